import { In, IsNull, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { type NotificationItem, type NotificationPage, nextCursor, type PageQuery } from '@linli/shared';
import { transact } from '../db/data-source';
import { notFound } from '../platform/errors';
import { NotificationDelivery, type DeliveryPayload } from './notification-delivery.entity';
import { Notification } from './notification.entity';

/** What another module asks for: one inbox line, and optionally a WeChat subscription message. */
export interface NotificationInput {
  userId: number;
  /** e.g. `report.accepted` */
  kind: string;
  /** Chinese, shown in the inbox (at most 100 characters). */
  title: string;
  /** At most 500 characters. */
  body: string;
  /** A page of the app, e.g. `/packages/reports/detail/index?id=12`. */
  link?: string;
  /** Unique per user and event (e.g. `report:12:event:40`): enqueueing it again adds nothing. */
  dedupeKey: string;
  /** Also send a subscription message, with the template configured as WX_TEMPLATE_<templateKey>. */
  subscribe?: { templateKey: string; data: Record<string, string> };
}

export const SUBSCRIBE_CHANNEL = 'wechat_subscribe' as const;

export class NotificationService {
  /** Set by the dispatcher: asks it to send soon. */
  private kicker: (() => void) | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes inbox lines and pending deliveries with the caller's manager, i.e. inside the caller's
   * transaction: they commit with the change they tell about, or not at all. A dedupeKey already
   * present for that user is skipped, so a retried transaction does not notify twice. After the
   * transaction commits, call `kick()` to send without waiting for the next poll.
   */
  async enqueue(manager: EntityManager, inputs: NotificationInput[]): Promise<number[]> {
    const createdIds: number[] = [];
    for (const input of unique(inputs)) {
      checkLengths(input);
      const id = await this.insertOnce(manager, input);
      if (id === null) continue;
      createdIds.push(id);
      if (input.subscribe) {
        const payload: DeliveryPayload = { page: input.link ? input.link.replace(/^\/+/, '') : null, data: input.subscribe.data };
        // No read-back of the defaults: this runs in the caller's transaction, often under a lock.
        await manager.createQueryBuilder().insert().into(NotificationDelivery).updateEntity(false).values({
          notificationId: id,
          userId: input.userId,
          channel: SUBSCRIBE_CHANNEL,
          templateKey: input.subscribe.templateKey,
          payload: JSON.stringify(payload),
          idempotencyKey: `${SUBSCRIBE_CHANNEL}:${id}`,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: new Date(),
        }).execute();
      }
    }
    return createdIds;
  }

  /** The new row's id, or null when (userId, dedupeKey) is already there. */
  private async insertOnce(manager: EntityManager, input: NotificationInput): Promise<number | null> {
    const row = {
      userId: input.userId,
      kind: input.kind,
      title: clip(input.title, 100),
      body: clip(input.body, 500),
      link: input.link ?? null,
      dedupeKey: input.dedupeKey,
      readAt: null,
    };
    if (manager.connection.options.type === 'sqljs') {
      // One connection, transactions queue (transact()): nobody can insert the key between check and insert.
      if (await manager.existsBy(Notification, { userId: input.userId, dedupeKey: input.dedupeKey })) return null;
      const result = await manager.insert(Notification, row);
      return result.identifiers[0].id as number;
    }
    // Two transactions enqueueing the same key at once: the second waits on the unique index and then
    // inserts nothing, instead of failing the caller's whole transaction.
    const result = await manager.createQueryBuilder().insert().into(Notification).updateEntity(false).values(row).orIgnore().execute();
    // Without a read-back the driver's header tells: affectedRows 0 when ignored, else the new id.
    const header = result.raw as { affectedRows?: number; insertId?: number };
    return header.affectedRows === 1 && Number(header.insertId) > 0 ? Number(header.insertId) : null;
  }

  /** For callers without a transaction of their own: enqueue, commit, kick. */
  async send(inputs: NotificationInput[]): Promise<Notification[]> {
    const ids = await transact(this.dataSource, (manager) => this.enqueue(manager, inputs));
    this.kick();
    return ids.length ? this.dataSource.getRepository(Notification).find({ where: { id: In(ids) }, order: { id: 'ASC' } }) : [];
  }

  /** Asks the dispatcher (if one is attached) to send pending deliveries soon. Call after commit. */
  kick(): void {
    this.kicker?.();
  }

  /** @internal the dispatcher attaches itself here. */
  onKick(kicker: () => void): void {
    this.kicker = kicker;
  }

  /** The user's inbox, newest first; the cursor is the last id seen. */
  async list(userId: number, { cursor, limit }: PageQuery): Promise<NotificationPage> {
    const rows = await this.notifications.find({
      where: { userId, ...(cursor ? { id: LessThan(cursor) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map(toItem),
      nextCursor: nextCursor(rows, limit),
      unread: await this.unreadCount(userId),
    };
  }

  async unreadCount(userId: number): Promise<number> {
    return this.notifications.countBy({ userId, readAt: IsNull() });
  }

  /** Marks one of the user's own notifications read; someone else's is 404, as if it did not exist. */
  async markRead(userId: number, id: number): Promise<NotificationItem> {
    const row = await this.notifications.findOneBy({ id, userId });
    if (!row) throw notFound('通知');
    if (!row.readAt) {
      const readAt = new Date();
      await this.notifications.update({ id, userId, readAt: IsNull() }, { readAt });
      return toItem((await this.notifications.findOneBy({ id }))!);
    }
    return toItem(row);
  }

  /** Marks read the line told about `dedupeKey` (e.g. a notice the person has now opened); none is fine. */
  async markReadByKey(userId: number, dedupeKey: string): Promise<void> {
    await this.notifications.update({ userId, dedupeKey, readAt: IsNull() }, { readAt: new Date() });
  }

  async markAllRead(userId: number): Promise<{ unread: number }> {
    await this.notifications.update({ userId, readAt: IsNull() }, { readAt: new Date() });
    return { unread: 0 };
  }

  /** Deliveries of some notifications, for tests and operators. */
  deliveriesOf(notificationIds: number[]): Promise<NotificationDelivery[]> {
    if (notificationIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(NotificationDelivery).findBy({ notificationId: In(notificationIds) });
  }

  private get notifications() {
    return this.dataSource.getRepository(Notification);
  }
}

export function toItem(row: Notification): NotificationItem {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    read: row.readAt !== null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Two inputs with the same user and key in one call are one notification. */
function unique(inputs: NotificationInput[]): NotificationInput[] {
  const seen = new Set<string>();
  return inputs.filter((input) => {
    const key = `${input.userId}\u0000${input.dedupeKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkLengths(input: NotificationInput): void {
  // Programming errors, not user input: MySQL's INSERT IGNORE would otherwise truncate a key silently.
  if (input.dedupeKey.length === 0 || input.dedupeKey.length > 128) throw new Error(`dedupeKey must be 1..128 characters: ${input.dedupeKey}`);
  if (input.kind.length > 64) throw new Error(`kind too long: ${input.kind}`);
  if (input.link && input.link.length > 255) throw new Error(`link too long: ${input.link}`);
  if (input.subscribe && input.subscribe.templateKey.length > 64) throw new Error(`templateKey too long: ${input.subscribe.templateKey}`);
}

function clip(text: string, max: number): string {
  return [...text].length > max ? [...text].slice(0, max - 1).join('') + '…' : text;
}
