import { randomUUID } from 'node:crypto';
import { Brackets, In, type DataSource, type EntityManager } from 'typeorm';
import { writeRetrying } from '../db/data-source';
import { User } from '../identity/user.entity';
import type { Logger } from '../platform/logger';
import { NotificationDelivery, type DeliveryPayload, type DeliveryStatus } from './notification-delivery.entity';
import type { NotificationService } from './notification.service';
import { templateIdFor } from './notifications.config';
import type { SendOutcome, SubscribeMessageProvider } from './subscribe-message';
import { mapLimit } from '../platform/map-limit';

export interface DispatcherOptions {
  provider: SubscribeMessageProvider;
  /** Template ids by our key (WX_TEMPLATE_<KEY>); a key without one is skipped. */
  templates: Record<string, string>;
  /** Kicks from the service (after a commit) reach this dispatcher. */
  service?: NotificationService;
  logger?: Logger;
  /** Tries before a retryable failure becomes `failed` (default 5). */
  maxAttempts?: number;
  /** Backoff after the first failure, doubled each time (default 30 s, at most 1 h). */
  retryBaseMs?: number;
  /** Rows claimed at once (default 20). */
  batchSize?: number;
  /** How long a claim holds, and how long one send may take before another instance may try (default 60 s). */
  leaseMs?: number;
  /** Sends in flight at once per instance (default 4). */
  concurrency?: number;
  now?: () => Date;
}

export interface DispatchResult {
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
}

/**
 * Sends pending deliveries (the outbox) after they were committed. Any number of instances may run
 * over the same database: a row is sent only by the run whose conditional UPDATE claimed it, and a
 * claim lapses so that a crashed instance's rows are picked up again.
 */
export class DeliveryDispatcher {
  /** This instance; each run adds its own suffix, so a re-read by claimedBy finds only this run's rows. */
  readonly instanceId = randomUUID().slice(0, 18);
  private runCounter = 0;
  private timer: NodeJS.Timeout | null = null;
  private kickTimer: NodeJS.Timeout | null = null;
  private running: Promise<DispatchResult> | null = null;
  private again = false;
  /** When recoverInterrupted last looked (ms). */
  private recoveredAt = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: DispatcherOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 30_000;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? (() => new Date());
    options.service?.onKick(() => this.kick());
  }

  /** Polls every intervalMs (the safety net for kicks lost to a crash or another instance's commit). */
  start(intervalMs: number): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops polling and waits for a run in progress to finish its sends. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.timer = this.kickTimer = null;
    await this.running?.catch(() => undefined);
  }

  /** Run soon; kicks while a run is going coalesce into one more run. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = null;
      this.runOnce().catch((err) => this.options.logger?.error({ err }, 'notification dispatch failed'));
    }, 10);
    this.kickTimer.unref();
  }

  /** Sends what is due now, batch after batch, until nothing due is left unclaimed. */
  runOnce(): Promise<DispatchResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
    return this.running;
  }

  private async drain(): Promise<DispatchResult> {
    const total: DispatchResult = { sent: 0, skipped: 0, retried: 0, failed: 0 };
    await this.recoverInterrupted();
    for (let batch = 0; batch < 50; batch++) {
      const claimed = await this.claimBatch();
      if (claimed === null) break;
      const outcomes = await mapLimit(claimed.rows, this.concurrency, (row) => this.deliver(row));
      for (const outcome of outcomes) if (outcome) total[outcome]++;
      // Fewer than a batch were due: nothing else was. What is committed after that kicks a run of its own
      // (a kick during this run asks for one more), so no SELECT that finds nothing follows every run.
      if (!claimed.more) break;
    }
    return total;
  }

  /** Rows left `sending` by an instance that died mid-send: back to pending, counted as a try. */
  private async recoverInterrupted(): Promise<void> {
    const now = this.now();
    // A claim lapses after leaseMs: looking every quarter of it finds a dead instance's rows soon enough,
    // without one more UPDATE for every kick (each submission kicks).
    if (now.getTime() - this.recoveredAt < this.leaseMs / 4) return;
    this.recoveredAt = now.getTime();
    await this.write((manager) =>
      manager
        .createQueryBuilder()
        .update(NotificationDelivery)
        .set({ status: 'pending', claimedBy: null, claimedUntil: null, nextAttemptAt: now, lastError: 'interrupted while sending' })
        .where('status = :sending', { sending: 'sending' })
        .andWhere('claimedUntil < :now', { now })
        .execute(),
    );
  }

  /**
   * Picks due rows, claims them with one conditional UPDATE, and returns the rows this run won
   * (re-read by its claim token); `more`: a whole batch was due, there may be more. null: nothing due was found at all.
   */
  private async claimBatch(): Promise<{ rows: NotificationDelivery[]; more: boolean } | null> {
    const now = this.now();
    const repo = this.dataSource.getRepository(NotificationDelivery);
    const due = await repo
      .createQueryBuilder('d')
      .select('d.id')
      .where('d.status = :pending', { pending: 'pending' })
      .andWhere('d.nextAttemptAt <= :now', { now })
      .andWhere(new Brackets((w) => w.where('d.claimedUntil IS NULL').orWhere('d.claimedUntil < :now', { now })))
      .orderBy('d.nextAttemptAt', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(this.batchSize)
      .getMany();
    if (due.length === 0) return null;
    const token = `${this.instanceId}:${++this.runCounter}`;
    await this.write((manager) =>
      manager
        .createQueryBuilder()
        .update(NotificationDelivery)
        .set({ claimedBy: token, claimedUntil: new Date(now.getTime() + this.leaseMs) })
        .where('id IN (:...ids)', { ids: due.map((d) => d.id) })
        .andWhere('status = :pending', { pending: 'pending' })
        .andWhere(new Brackets((w) => w.where('claimedUntil IS NULL').orWhere('claimedUntil < :now', { now })))
        .execute(),
    );
    // Whatever another instance claimed first is not ours; the re-read tells which rows we won.
    const rows = await repo.find({ where: { claimedBy: token, status: 'pending' }, order: { id: 'ASC' } });
    return { rows, more: due.length === this.batchSize };
  }

  /** One claimed row: mark it sending (only if still ours), send, record the outcome. */
  private async deliver(row: NotificationDelivery): Promise<keyof DispatchResult | null> {
    const token = row.claimedBy!;
    const started = await this.write((manager) =>
      manager
        .createQueryBuilder()
        .update(NotificationDelivery)
        .set({ status: 'sending', claimedUntil: new Date(this.now().getTime() + this.leaseMs), attempts: row.attempts + 1 })
        .where('id = :id', { id: row.id })
        .andWhere('claimedBy = :token', { token })
        .andWhere('status = :pending', { pending: 'pending' })
        .execute(),
    );
    if (started.affected !== 1) return null;
    const attempts = row.attempts + 1;
    const outcome = await this.send(row);
    const now = this.now();
    let status: DeliveryStatus;
    let nextAttemptAt = row.nextAttemptAt;
    let result: keyof DispatchResult;
    if (outcome.status === 'sent' || outcome.status === 'skipped') {
      status = outcome.status;
      result = outcome.status;
    } else if (outcome.retryable && attempts < this.maxAttempts) {
      status = 'pending';
      nextAttemptAt = new Date(now.getTime() + Math.min(this.retryBaseMs * 2 ** (attempts - 1), 3_600_000));
      result = 'retried';
    } else {
      status = 'failed';
      result = 'failed';
    }
    const reason = outcome.status === 'sent' ? null : outcome.reason.slice(0, 500);
    await this.write((manager) =>
      manager
        .createQueryBuilder()
        .update(NotificationDelivery)
        .set({ status, nextAttemptAt, lastError: reason, claimedBy: null, claimedUntil: null, ...(status === 'sent' ? { sentAt: now } : {}) })
        .where('id = :id', { id: row.id })
        .andWhere('claimedBy = :token', { token })
        .andWhere('status = :sending', { sending: 'sending' })
        .execute(),
    );
    if (result === 'failed') this.options.logger?.warn({ deliveryId: row.id, attempts, reason }, 'subscription message failed');
    return result;
  }

  private async send(row: NotificationDelivery): Promise<SendOutcome> {
    const templateId = templateIdFor(this.options, row.templateKey);
    if (!templateId) return { status: 'skipped', reason: `no template id configured (WX_TEMPLATE_${row.templateKey.toUpperCase()})` };
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: row.userId }, select: { id: true, openid: true } });
    if (!user?.openid) return { status: 'skipped', reason: 'user has no openid' };
    let payload: DeliveryPayload;
    try {
      payload = JSON.parse(row.payload) as DeliveryPayload;
    } catch {
      return { status: 'failed', retryable: false, reason: 'payload is not JSON' };
    }
    try {
      return await this.options.provider.send({
        openid: user.openid,
        templateId,
        page: payload.page,
        data: payload.data ?? {},
        idempotencyKey: row.idempotencyKey,
      });
    } catch (err) {
      return { status: 'failed', retryable: true, reason: `provider threw: ${(err as Error).message}` };
    }
  }

  /**
   * Each write is one guarded UPDATE, atomic on its own: no transaction around it on MySQL/MariaDB; on the
   * embedded database (one connection) it queues behind a request's open transaction instead of landing
   * inside it. A deadlock victim (seen under a storm of submissions inserting deliveries) is run again.
   */
  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return writeRetrying(this.dataSource, work);
  }

  /** Deliveries in a given status, for tests and operators. */
  countByStatus(ids?: number[]): Promise<Record<DeliveryStatus, number>> {
    return this.dataSource
      .getRepository(NotificationDelivery)
      .find({ select: { id: true, status: true }, ...(ids ? { where: { id: In(ids) } } : {}) })
      .then((rows) => {
        const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
        for (const r of rows) counts[r.status]++;
        return counts;
      });
  }
}
