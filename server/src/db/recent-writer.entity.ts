import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * When each user last wrote (any instance, by the primary's clock): for READ_YOUR_WRITES_SECONDS after
 * it, their reads stay on the primary instead of a replica that may not have the write yet (replicas.ts).
 * Written only when DATABASE_REPLICA_URLS is set; rows older than an hour are removed.
 */
@Entity('recent_writers')
export class RecentWriter {
  @PrimaryColumn({ type: 'int' })
  userId!: number;

  @Column({ type: 'datetime', precision: 6 })
  writtenAt!: Date;
}
