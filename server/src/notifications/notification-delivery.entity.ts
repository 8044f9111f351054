import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_CHANNELS = ['wechat_subscribe'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** What a delivery carries to the provider, stored as JSON text in `payload`. */
export interface DeliveryPayload {
  /** The mini-program page the message opens (the notification's link without its leading slash). */
  page: string | null;
  /** Template fields, e.g. `{ thing1: '路灯不亮', phrase2: '已受理' }`. */
  data: Record<string, string>;
}

/**
 * The outbox of one notification on one outside channel (a WeChat subscription message). Its status
 * is its own: a message WeChat refused changes nothing about the report or the inbox line.
 */
@Entity('notification_deliveries')
@Index(['status', 'nextAttemptAt'])
export class NotificationDelivery {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** The inbox line this delivery announces. */
  @Index()
  @Column({ type: 'int' })
  notificationId!: number;

  /** Whose openid to send to (read from users when sending: an openid is not copied around). */
  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 32 })
  channel!: DeliveryChannel;

  /** Our name for the template (REPORT_STATUS); its WeChat id comes from env WX_TEMPLATE_<KEY> when sending. */
  @Column({ type: 'varchar', length: 64 })
  templateKey!: string;

  /** JSON of DeliveryPayload. */
  @Column({ type: 'text' })
  payload!: string;

  /** Handed to the provider on every send; unique, so one notification is never queued twice on a channel. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** Sends tried so far; at the maximum a retryable failure becomes `failed`. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** Not sent before this time: backoff after a retryable failure. */
  @Column({ type: 'datetime', precision: 6 })
  nextAttemptAt!: Date;

  /** Why the last try did not send (or why it was skipped), for operators. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** Which dispatcher run holds the row: only that run may send it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  /** The claim lapses at this time, so a crashed instance does not hold rows forever. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  claimedUntil!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
