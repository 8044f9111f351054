import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { GridLevel } from '@linli/shared';

/** One node of the grid tree: district → street → community → grid → micro-grid. */
@Entity('grid_nodes')
export class GridNode {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int', nullable: true })
  parentId!: number | null;

  @Column({ type: 'varchar', length: 16 })
  level!: GridLevel;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Stable outside identifier (administrative code or the operator's own); imports match on it. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  /** Materialized path of ids, `/1/4/9/`: "is X inside Y's subtree" is a prefix test, no recursion. */
  @Index()
  @Column({ type: 'varchar', length: 255 })
  path!: string;

  /** GeoJSON Polygon or MultiPolygon, `[lng, lat]` in GCJ-02; null when the node has no drawn boundary. */
  @Column({ type: 'text', nullable: true })
  boundary!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
