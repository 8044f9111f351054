import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Announcement, AnnouncementPage, AnnouncementReads } from '@linli/shared';
import { expectError, makeMember, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { NotificationDelivery } from '../notifications/notification-delivery.entity';
import { Notification } from '../notifications/notification.entity';
import { User } from '../identity/user.entity';

describe('community notices (社区公告) over HTTP', () => {
  let server: TestServer;
  const token: Record<string, string> = {};
  let building1 = 0;
  let building2 = 0;
  let communityId = 0;

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-4', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-department-1', 'demo-admin']) {
      token[who] = await server.login(who);
    }
    const buildings = server.dataSource.getRepository(Building);
    building1 = (await buildings.findOneByOrFail({ name: '1号楼' })).id;
    building2 = (await buildings.findOneByOrFail({ name: '2号楼' })).id;
    communityId = (await server.dataSource.getRepository(GridNode).findOneByOrFail({ level: 'community' })).id;
  });
  afterAll(() => server.close());

  const post = (who: string, body: Record<string, unknown>) =>
    server.call<Announcement>('POST', '/announcements', { token: token[who], body: { title: '停水通知', body: '明天上午 8 点至 12 点检修水管，请提前储水。', ...body } });
  const listOf = async (who: string) => (await server.call<AnnouncementPage>('GET', '/announcements', { token: token[who] })).body;

  it('a notice to building 1 reaches the residents of building 1 only; a community notice reaches both buildings', async () => {
    const forB1 = await post('demo-gridworker-1', { buildingId: building1, title: '1号楼停水通知' });
    expect(forB1.status, JSON.stringify(forB1.body)).toBe(201);
    expect(forB1.body.place).toEqual({ kind: 'building', id: building1, name: '1号楼' });
    const forAll = await post('demo-secretary-1', { nodeId: communityId, title: '社区消防演练' });
    expect(forAll.status).toBe(201);

    const r1 = await listOf('demo-resident-1');
    expect(r1.items.map((a) => a.id)).toEqual(expect.arrayContaining([forB1.body.id, forAll.body.id]));
    expect(r1.items.find((a) => a.id === forB1.body.id)?.read).toBe(false);
    const r4 = await listOf('demo-resident-4');
    expect(r4.items.map((a) => a.id)).toContain(forAll.body.id);
    expect(r4.items.map((a) => a.id)).not.toContain(forB1.body.id);
    // Opened by its id, building 2's resident meets a notice that does not exist for them.
    expectError(await server.call('GET', `/announcements/${forB1.body.id}`, { token: token['demo-resident-4'] }), 404, 'NOT_FOUND');
    expectError(await server.call('POST', `/announcements/${forB1.body.id}/read`, { token: token['demo-resident-4'] }), 404, 'NOT_FOUND');
    // Staff with no household see no resident list, and a stranger to the place cannot open it.
    expect((await listOf('demo-department-1')).items).toEqual([]);
    expectError(await server.call('GET', `/announcements/${forB1.body.id}`, { token: token['demo-department-1'] }), 404, 'NOT_FOUND');
  });

  it('staff post only within their scope; residents and departments post nothing', async () => {
    // Grid worker 2 covers the second grid, not 1号楼; grid nodes and buildings are public, so 403.
    expectError(await post('demo-gridworker-2', { buildingId: building1 }), 403, 'FORBIDDEN');
    expectError(await post('demo-gridworker-2', { nodeId: communityId }), 403, 'FORBIDDEN');
    expectError(await post('demo-resident-1', { buildingId: building1 }), 403, 'FORBIDDEN');
    expectError(await post('demo-department-1', { nodeId: communityId }), 403, 'FORBIDDEN');
    expect((await post('demo-admin', { buildingId: building2 })).status).toBe(201);
    // Above a community there is no one place to tell.
    const street = await server.dataSource.getRepository(GridNode).findOneByOrFail({ level: 'street' });
    expectError(await post('demo-admin', { nodeId: street.id }), 400, 'VALIDATION_FAILED');
    expectError(await post('demo-secretary-1', { nodeId: communityId, buildingId: building1 }), 400, 'VALIDATION_FAILED');
  });

  it('photos are the poster’s own uploads; anything else is refused naming the field', async () => {
    const mine = await server.upload(token['demo-secretary-1']);
    const someoneElses = await server.upload(token['demo-resident-1']);
    const bad = await post('demo-secretary-1', { nodeId: communityId, photos: [mine, someoneElses] });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expect((bad.body as any).error.details.map((d: { path: string }) => d.path)).toEqual(['body.photos.1']);
    const good = await post('demo-secretary-1', { nodeId: communityId, photos: [mine] });
    expect(good.body.photos).toEqual([mine]);
  });

  it('reads are counted per household: two people of one home count once; N / M households to staff only', async () => {
    const notice = (await post('demo-gridworker-1', { buildingId: building1, title: '电梯维保' })).body;
    const households = await server.dataSource.getRepository(Household).countBy({ buildingId: building1 });
    const me1 = (await server.call('GET', '/me', { token: token['demo-resident-1'] })).body;
    // A second member of demo-resident-1's household.
    const familyToken = await server.login(`notice-family-${Date.now()}`);
    const family = (await server.call('GET', '/me', { token: familyToken })).body;
    await makeMember(server.dataSource, family.id, me1.householdId, 'family');

    const readsOf = async (who: string) => server.call<AnnouncementReads>('GET', `/announcements/${notice.id}/reads`, { token: token[who] });
    expect((await readsOf('demo-gridworker-1')).body).toEqual({ announcementId: notice.id, households, readHouseholds: 0, readers: 0 });

    const read = await server.call<Announcement>('POST', `/announcements/${notice.id}/read`, { token: token['demo-resident-1'] });
    expect(read.body.read).toBe(true);
    await server.call('POST', `/announcements/${notice.id}/read`, { token: token['demo-resident-1'] }); // twice is once
    await server.call('POST', `/announcements/${notice.id}/read`, { token: familyToken });
    expect((await readsOf('demo-secretary-1')).body).toMatchObject({ households, readHouseholds: 1, readers: 2 });
    await server.call('POST', `/announcements/${notice.id}/read`, { token: token['demo-resident-2'] });
    expect((await readsOf('demo-gridworker-1')).body).toMatchObject({ readHouseholds: 2, readers: 3 });

    // A resident who sees the notice may not see the counts; staff of another grid cannot see it at all.
    expectError(await readsOf('demo-resident-1'), 403, 'FORBIDDEN');
    expectError(await readsOf('demo-gridworker-2'), 404, 'NOT_FOUND');
    expect((await listOf('demo-resident-1')).items.find((a) => a.id === notice.id)?.read).toBe(true);
  });

  it('residents are told in the inbox with a subscription message (template ANNOUNCEMENT); opening the notice marks that line read', async () => {
    const notice = (await post('demo-gridworker-1', { buildingId: building1, title: '燃气安全检查' })).body;
    const resident2 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-2' });
    const line = await server.dataSource.getRepository(Notification).findOneByOrFail({ userId: resident2.id, dedupeKey: `announcement:${notice.id}` });
    expect(line).toMatchObject({ kind: 'announcement.posted', title: '社区公告：燃气安全检查', readAt: null });
    const deliveries = await server.dataSource.getRepository(NotificationDelivery).findBy({ notificationId: line.id });
    expect(deliveries.map((d) => d.templateKey)).toEqual(['ANNOUNCEMENT']);
    // Building 2 is not told.
    const resident4 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-4' });
    expect(await server.dataSource.getRepository(Notification).existsBy({ userId: resident4.id, dedupeKey: `announcement:${notice.id}` })).toBe(false);
    await server.call('POST', `/announcements/${notice.id}/read`, { token: token['demo-resident-2'] });
    expect((await server.dataSource.getRepository(Notification).findOneByOrFail({ id: line.id })).readAt).not.toBeNull();
  });

  it('pinned notices lead the list, the unread count falls as they are read, and an ended notice is gone for residents but not for staff', async () => {
    const pinned = (await post('demo-secretary-1', { nodeId: communityId, title: '置顶：垃圾分类新规', pinned: true })).body;
    const later = (await post('demo-secretary-1', { nodeId: communityId, title: '周末义诊' })).body;
    const before = await listOf('demo-resident-4');
    expect(before.items[0].id).toBe(pinned.id);
    expect(before.items.map((a) => a.id)).toContain(later.id);
    await server.call('POST', `/announcements/${later.id}/read`, { token: token['demo-resident-4'] });
    expect((await listOf('demo-resident-4')).unread).toBe(before.unread - 1);

    const ending = (await post('demo-secretary-1', { nodeId: communityId, title: '临时停车通知', endsAt: new Date(Date.now() + 60_000).toISOString() })).body;
    expect((await listOf('demo-resident-4')).items.map((a) => a.id)).toContain(ending.id);
    const { AnnouncementRow } = await import('./announcement.entities');
    await server.dataSource.getRepository(AnnouncementRow).update({ id: ending.id }, { endsAt: new Date(Date.now() - 1000) });
    expect((await listOf('demo-resident-4')).items.map((a) => a.id)).not.toContain(ending.id);
    expectError(await server.call('GET', `/announcements/${ending.id}`, { token: token['demo-resident-4'] }), 404, 'NOT_FOUND');
    const managed = (await server.call<AnnouncementPage>('GET', '/announcements?scope=managed&limit=100', { token: token['demo-secretary-1'] })).body;
    expect(managed.items.find((a) => a.id === ending.id)?.ended).toBe(true);
    expectError(await server.call('GET', '/announcements?scope=managed', { token: token['demo-resident-1'] }), 403, 'FORBIDDEN');
    expectError(await post('demo-secretary-1', { nodeId: communityId, endsAt: new Date(Date.now() - 60_000).toISOString() }), 400, 'VALIDATION_FAILED');
  });
});
