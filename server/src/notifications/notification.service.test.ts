import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness';
import { transact } from '../db/data-source';
import { User } from '../identity/user.entity';
import { NotificationDelivery } from './notification-delivery.entity';
import { Notification } from './notification.entity';
import { NotificationService, type NotificationInput } from './notification.service';

describe('NotificationService.enqueue inside the caller’s transaction', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let service: NotificationService;
  let userId: number;
  beforeAll(async () => {
    database = await openTestDatabase();
    service = new NotificationService(database.dataSource);
    userId = (await database.dataSource.getRepository(User).save({ openid: 'o-enqueue-1', nickname: '王阿姨' })).id;
  });
  afterAll(() => database.drop());

  const input = (dedupeKey: string, subscribe = true): NotificationInput => ({
    userId,
    kind: 'report.accepted',
    title: '您反映的问题已受理',
    body: '路灯不亮：网格员周海峰已受理，预计 3 天内处理。',
    link: '/packages/reports/detail/index?id=12',
    dedupeKey,
    ...(subscribe ? { subscribe: { templateKey: 'report_status', data: { thing1: '路灯不亮', phrase2: '已受理' } } } : {}),
  });

  const rowsFor = async (dedupeKey: string) => {
    const notifications = await database.dataSource.getRepository(Notification).findBy({ userId, dedupeKey });
    const deliveries = await service.deliveriesOf(notifications.map((n) => n.id));
    return { notifications, deliveries };
  };

  it('when the transaction commits, then the inbox line and a pending delivery are both there', async () => {
    const created = await transact(database.dataSource, (manager) => service.enqueue(manager, [input('report:12:event:1')]));
    expect(created).toHaveLength(1);
    const { notifications, deliveries } = await rowsFor('report:12:event:1');
    expect(notifications).toHaveLength(1);
    expect(notifications[0].readAt).toBeNull();
    expect(deliveries).toEqual([
      expect.objectContaining({
        status: 'pending',
        attempts: 0,
        channel: 'wechat_subscribe',
        templateKey: 'report_status',
        idempotencyKey: `wechat_subscribe:${notifications[0].id}`,
      }),
    ]);
    expect(JSON.parse(deliveries[0].payload)).toEqual({
      page: 'packages/reports/detail/index?id=12',
      data: { thing1: '路灯不亮', phrase2: '已受理' },
    });
  });

  it('when the transaction throws after enqueueing, then neither the inbox line nor the delivery exists', async () => {
    const before = await database.dataSource.getRepository(NotificationDelivery).count();
    await expect(
      transact(database.dataSource, async (manager) => {
        await service.enqueue(manager, [input('report:12:event:2')]);
        throw new Error('the report transition failed after notifying');
      }),
    ).rejects.toThrow('the report transition failed');
    const { notifications } = await rowsFor('report:12:event:2');
    expect(notifications).toEqual([]);
    expect(await database.dataSource.getRepository(NotificationDelivery).count()).toBe(before);
  });

  it('when the same dedupeKey is enqueued again (a retry, or twice in one call), then there is one line and one delivery', async () => {
    await transact(database.dataSource, (manager) => service.enqueue(manager, [input('report:12:event:3'), input('report:12:event:3')]));
    const again = await transact(database.dataSource, (manager) => service.enqueue(manager, [input('report:12:event:3')]));
    expect(again).toEqual([]);
    const { notifications, deliveries } = await rowsFor('report:12:event:3');
    expect(notifications).toHaveLength(1);
    expect(deliveries).toHaveLength(1);
  });

  it('the same dedupeKey for two users is two notifications', async () => {
    const other = await database.dataSource.getRepository(User).save({ openid: 'o-enqueue-2', nickname: '李叔' });
    await service.send([input('broadcast:1', false), { ...input('broadcast:1', false), userId: other.id }]);
    expect(await database.dataSource.getRepository(Notification).countBy({ dedupeKey: 'broadcast:1' })).toBe(2);
  });

  it('without `subscribe` only the inbox line is written', async () => {
    await service.send([input('report:12:event:4', false)]);
    const { notifications, deliveries } = await rowsFor('report:12:event:4');
    expect(notifications).toHaveLength(1);
    expect(deliveries).toEqual([]);
  });

  it('enqueues of the same key racing in two transactions leave one line and do not fail either caller', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => transact(database.dataSource, (manager) => service.enqueue(manager, [input('report:12:event:5')]))),
    );
    expect(results.flat()).toHaveLength(1);
    const { notifications, deliveries } = await rowsFor('report:12:event:5');
    expect(notifications).toHaveLength(1);
    expect(deliveries).toHaveLength(1);
  });

  it('a title longer than the column is clipped, a key longer than its column is refused', async () => {
    const [row] = await service.send([{ ...input('report:12:event:6', false), title: '很'.repeat(150) }]);
    expect([...row.title]).toHaveLength(100);
    expect(row.title.endsWith('…')).toBe(true);
    await expect(service.send([input('k'.repeat(129))])).rejects.toThrow(/dedupeKey/);
  });
});
