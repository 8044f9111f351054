import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One line of a user's in-app inbox (站内信). Written in the same transaction as the change it tells
 * about, so a user never reads of a transition that did not happen.
 */
@Entity('notifications')
@Index(['userId', 'id'])
@Index(['userId', 'dedupeKey'], { unique: true })
export class Notification {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** Whose inbox: the list is always read by userId, newest first (index userId + id). */
  @Column({ type: 'int' })
  userId!: number;

  /** What happened, for the app's icon and filters, e.g. `report.accepted`. */
  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  /** Shown in the list (Chinese, written by the module that raised it). */
  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  body!: string;

  /** A page of the app to open, e.g. `/packages/reports/detail/index?id=12`. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  link!: string | null;

  /**
   * Chosen by the caller from what it tells about (e.g. `report:12:event:40`): unique per user, so a
   * retried enqueue adds nothing.
   */
  @Column({ type: 'varchar', length: 128 })
  dedupeKey!: string;

  /** null while unread; the unread count is the rows where it is null. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
