import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One staff action (any change made by a user holding a staff role), written by the server as the
 * request ends, or by the service inside the change's transaction when it says what changed
 * (audit-log.ts, AuditNote). No route reads it back for editing or deletes it: it is append-only.
 */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  actorId!: number;

  /** The actor's staff roles at the time, e.g. "grid_worker,secretary". */
  @Column({ type: 'varchar', length: 100 })
  roles!: string;

  @Column({ type: 'varchar', length: 8 })
  method!: string;

  /** The path without its query string (which may carry coordinates). */
  @Column({ type: 'varchar', length: 255 })
  path!: string;

  @Column({ type: 'int' })
  status!: number;

  @Column({ type: 'varchar', length: 64 })
  requestId!: string;

  /**
   * What the change was, as JSON, when the service recorded it (e.g. an award: to whom, how many,
   * why). Written in the change's own transaction, so the row and the change commit together.
   */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  detail!: string | null;

  @Index()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
