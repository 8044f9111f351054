import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { In } from 'typeorm';
import { openTestDatabase } from '../../test/harness';
import { User } from '../identity/user.entity';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { startFakeWeChat, type FakeWeChat } from './fake-wechat';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationService, type NotificationInput } from './notification.service';
import { HttpSubscribeMessageProvider, type SendOutcome, type SubscribeMessage, type SubscribeMessageProvider } from './subscribe-message';

const templates = { REPORT_STATUS: 'tmpl-report-status' };

describe('DeliveryDispatcher', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let service: NotificationService;
  let fake: FakeWeChat;
  beforeAll(async () => {
    database = await openTestDatabase();
    service = new NotificationService(database.dataSource);
    fake = await startFakeWeChat();
  });
  afterAll(async () => {
    await fake.close();
    await database.drop();
  });

  let serial = 0;
  const users = (count: number, prefix: string) =>
    database.dataSource
      .getRepository(User)
      .save(Array.from({ length: count }, () => ({ openid: `${prefix}-${++serial}`, nickname: `居民${serial}` })));

  const input = (userId: number, key: string, templateKey = 'report_status'): NotificationInput => ({
    userId,
    kind: 'report.accepted',
    title: '您反映的问题已受理',
    body: '网格员已受理',
    link: `/packages/reports/detail/index?id=${key}`,
    dedupeKey: key,
    subscribe: { templateKey, data: { thing1: '路灯不亮', phrase2: '已受理' } },
  });

  const deliveriesOf = async (notificationIds: number[]) =>
    database.dataSource.getRepository(NotificationDelivery).find({ where: { notificationId: In(notificationIds) }, order: { id: 'ASC' } });

  it('when two instances run at once over 50 pending deliveries, then each is sent exactly once', async () => {
    const people = await users(50, 'o-many');
    const created = await service.send(people.map((u) => input(u.id, `many:${u.id}`)));
    expect(created).toHaveLength(50);
    // Two server processes: two dispatchers, each with its own provider (own token cache), same database.
    const calls = new Map<string, number>();
    const counting = (inner: SubscribeMessageProvider): SubscribeMessageProvider => ({
      name: 'counting',
      send(message) {
        calls.set(message.idempotencyKey, (calls.get(message.idempotencyKey) ?? 0) + 1);
        return inner.send(message);
      },
    });
    const provider = () => counting(new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base }));
    const a = new DeliveryDispatcher(database.dataSource, { provider: provider(), templates, batchSize: 7 });
    const b = new DeliveryDispatcher(database.dataSource, { provider: provider(), templates, batchSize: 7 });
    fake.state.sendDelayMs = 5;
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    fake.state.sendDelayMs = 0;
    expect(ra.sent + rb.sent).toBe(50);
    expect(calls.size).toBe(50);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    for (const u of people) expect(fake.state.perUser.get(u.openid)).toBe(1);
    const rows = await deliveriesOf(created.map((n) => n.id));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.sentAt && r.claimedBy === null)).toBe(true);
    // Both took part (the claim split the work rather than one instance doing all of it by luck of timing).
    expect(ra.sent).toBeGreaterThan(0);
    expect(rb.sent).toBeGreaterThan(0);
    // Nothing left: a second pass sends nothing.
    expect(await a.runOnce()).toEqual({ sent: 0, skipped: 0, retried: 0, failed: 0 });
  });

  it('when the provider keeps failing, then attempts grow with backoff and the delivery ends failed after 5 tries', async () => {
    const [person] = await users(1, 'o-failing');
    const [notification] = await service.send([input(person.id, 'failing:1')]);
    let clock = new Date('2030-01-01T00:00:00Z');
    const seen: SubscribeMessage[] = [];
    const failing: SubscribeMessageProvider = {
      name: 'failing',
      async send(message): Promise<SendOutcome> {
        seen.push(message);
        return { status: 'failed', retryable: true, reason: 'WeChat answered HTTP 503' };
      },
    };
    const dispatcher = new DeliveryDispatcher(database.dataSource, { provider: failing, templates, retryBaseMs: 1000, now: () => clock });
    const history: { status: string; attempts: number; waitMs: number }[] = [];
    for (let run = 0; run < 5; run++) {
      await dispatcher.runOnce();
      const [row] = await deliveriesOf([notification.id]);
      history.push({ status: row.status, attempts: row.attempts, waitMs: new Date(row.nextAttemptAt).getTime() - clock.getTime() });
      // Not due yet: running again at the same time sends nothing.
      expect(await dispatcher.runOnce()).toEqual({ sent: 0, skipped: 0, retried: 0, failed: 0 });
      clock = new Date(clock.getTime() + 60_000);
    }
    expect(history.map((h) => [h.status, h.attempts])).toEqual([
      ['pending', 1],
      ['pending', 2],
      ['pending', 3],
      ['pending', 4],
      ['failed', 5],
    ]);
    expect(history.slice(0, 4).map((h) => h.waitMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(seen).toHaveLength(5);
    expect(seen[0]).toMatchObject({ openid: person.openid, templateId: 'tmpl-report-status', idempotencyKey: `wechat_subscribe:${notification.id}` });
    const [row] = await deliveriesOf([notification.id]);
    expect(row.lastError).toContain('503');
    expect(row.claimedBy).toBeNull();
  });

  it('43101 from WeChat, a template key without a configured id, and a permanent error end skipped, skipped and failed at once', async () => {
    const people = await database.dataSource.getRepository(User).save([
      { openid: 'o-refuse', nickname: '拒收者' },
      { openid: 'o-no-template', nickname: '无模板' },
      { openid: 'o-bad', nickname: '错 openid' },
    ]);
    const created = await service.send([
      input(people[0].id, 'outcomes:refuse'),
      input(people[1].id, 'outcomes:no-template', 'consultation_vote'),
      input(people[2].id, 'outcomes:bad'),
    ]);
    const provider = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
    const result = await new DeliveryDispatcher(database.dataSource, { provider, templates }).runOnce();
    expect(result).toEqual({ sent: 0, skipped: 2, retried: 0, failed: 1 });
    const rows = await deliveriesOf(created.map((n) => n.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['skipped', 1],
      ['skipped', 1],
      ['failed', 1],
    ]);
    expect(rows[1].lastError).toContain('WX_TEMPLATE_CONSULTATION_VOTE');
  });

  it('a delivery left `sending` by an instance that died is sent again once its claim lapses', async () => {
    const [person] = await users(1, 'o-crash');
    const [notification] = await service.send([input(person.id, 'crash:1')]);
    const [row] = await deliveriesOf([notification.id]);
    const past = new Date(Date.now() - 1000);
    await database.dataSource.getRepository(NotificationDelivery).update(row.id, { status: 'sending', attempts: 1, claimedBy: 'dead-instance:1', claimedUntil: past });
    const provider = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
    expect((await new DeliveryDispatcher(database.dataSource, { provider, templates }).runOnce()).sent).toBe(1);
    const [after] = await deliveriesOf([notification.id]);
    expect([after.status, after.attempts]).toEqual(['sent', 2]);
  });

  // Recovery looks once per quarter of the lease, not on every kick: a running instance must still find a
  // row that another instance left `sending` once that row's claim lapses.
  it('a running dispatcher finds a row left `sending` within a quarter of the lease after its claim lapsed', async () => {
    const [person] = await users(1, 'o-lapse');
    let clock = Date.now();
    const provider = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
    const dispatcher = new DeliveryDispatcher(database.dataSource, { provider, templates, leaseMs: 60_000, now: () => new Date(clock) });
    await dispatcher.runOnce(); // looks for lapsed claims now
    const [notification] = await service.send([input(person.id, 'lapse:1')]);
    const [row] = await deliveriesOf([notification.id]);
    await database.dataSource
      .getRepository(NotificationDelivery)
      .update(row.id, { status: 'sending', attempts: 1, claimedBy: 'dead-instance:2', claimedUntil: new Date(clock + 10_000) });
    clock += 12_000; // the claim has lapsed; the last look was 12 s ago
    expect((await dispatcher.runOnce()).sent).toBe(0);
    clock += 3_000; // a quarter of the lease since the last look
    expect((await dispatcher.runOnce()).sent).toBe(1);
    const [after] = await deliveriesOf([notification.id]);
    expect([after.status, after.attempts]).toEqual(['sent', 2]);
  });

  it('kick() after a commit sends without waiting for the poll; start/stop run and end the loop', async () => {
    const [person] = await users(1, 'o-kick');
    const dev = { name: 'dev', sent: [] as string[], async send(m: SubscribeMessage): Promise<SendOutcome> { this.sent.push(m.idempotencyKey); return { status: 'sent' }; } };
    const kicked = new NotificationService(database.dataSource);
    const dispatcher = new DeliveryDispatcher(database.dataSource, { provider: dev, templates, service: kicked });
    dispatcher.start(60_000);
    try {
      const [notification] = await kicked.send([input(person.id, 'kick:1')]);
      await expect.poll(() => dev.sent.includes(`wechat_subscribe:${notification.id}`), { timeout: 3000 }).toBe(true);
    } finally {
      await dispatcher.stop();
    }
  });
});
