import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A building (楼栋) of a micro-grid. */
@Entity('buildings')
export class Building {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  microgridId!: number;

  /** 3号楼 */
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  /** Position on the map, `{lat, lng}` JSON; used for the one-code-per-building sheet and nearby lists. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  location!: string | null;

  @Column({ type: 'int', default: 0 })
  sortOrder!: number;
}
