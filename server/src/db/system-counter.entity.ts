import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Named counters shared by every server instance, e.g. `grid_boundaries`: bumped when boundaries
 * change so that each instance knows to rebuild its in-memory spatial index.
 */
@Entity('system_counters')
export class SystemCounter {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'int', default: 0 })
  value!: number;
}
