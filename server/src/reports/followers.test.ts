import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridImportBody, ReportDetail, ReportSummary } from '@linli/shared';
import { expectError, joinVerified, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { boxPolygon } from '../seed/demo-community';

// Inside 桂香苑微网格 (grid 1 of 桂花社区).
const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const NEARBY = `/reports/nearby?lat=${GRID1_SPOT.lat}&lng=${GRID1_SPOT.lng}&categoryCode=sanitation`;

/** 新河社区: a second community of 锦华街道, outside 桂花社区. */
const otherCommunity: GridImportBody = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: boxPolygon([120.141, 30.284, 120.145, 30.288]), properties: { code: 'FOLLOW-C', name: '新河社区', level: 'community', parentCode: '330199001' } },
    { type: 'Feature', geometry: null, properties: { code: 'FOLLOW-G', name: '新河社区第一网格', level: 'grid', parentCode: 'FOLLOW-C' } },
    { type: 'Feature', geometry: boxPolygon([120.141, 30.284, 120.145, 30.288]), properties: { code: 'FOLLOW-M', name: '新河微网格', level: 'microgrid', parentCode: 'FOLLOW-G' } },
  ],
};

describe('following a report: only neighbours, and they see what a neighbour sees', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let elsewhereHouseholdId = 0;
  let ownHouseholdId = 0;

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-gridworker-1', 'demo-admin']) tokens[who] = await server.login(who);
    const imported = await server.call('POST', '/grids/import', { token: tokens['demo-admin'], body: otherCommunity });
    expect(imported.status).toBe(200);
    const microgrid = await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: 'FOLLOW-M' });
    const building = await server.dataSource.getRepository(Building).save({ microgridId: microgrid.id, name: '1号楼', code: 'FOLLOW-M-B01', location: null, sortOrder: 0 });
    elsewhereHouseholdId = (await server.dataSource.getRepository(Household).save({ buildingId: building.id, unit: '1单元', room: '101' })).id;
    ownHouseholdId = (await server.call('GET', '/me', { token: tokens['demo-resident-3'] })).body.householdId;
  });
  afterAll(() => server.close());

  async function file(body: Record<string, unknown> = {}): Promise<ReportDetail> {
    const result = await server.call<ReportDetail>('POST', '/reports', {
      token: tokens['demo-resident-1'],
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT, ...body },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body;
  }
  const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}) => server.call<ReportDetail>('POST', `/reports/${id}/${action}`, { token, body });
  const inboxLinks = async (token: string) => (await server.call('GET', '/notifications', { token })).body.items.map((n: { link: string }) => n.link) as string[];
  const following = async (token: string) => (await server.call('GET', '/reports?scope=following', { token })).body.items as ReportSummary[];

  it('when an account without a household follows a report it cannot see, then 404, and the report and its steps stay hidden from it', async () => {
    const report = await file();
    const stranger = await server.login(`stranger-${randomUUID()}`);
    expectError(await server.call('GET', `/reports/${report.id}`, { token: stranger }), 404, 'NOT_FOUND');
    expectError(await act(stranger, report.id, 'follow'), 404, 'NOT_FOUND');
    expectError(await server.call('GET', `/reports/${report.id}`, { token: stranger }), 404, 'NOT_FOUND');
    expect((await following(stranger)).map((r) => r.id)).not.toContain(report.id);
    expect((await server.call('GET', NEARBY, { token: stranger })).body.items).toEqual([]);
    await act(tokens['demo-gridworker-1'], report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    expect((await inboxLinks(stranger)).some((link) => link.endsWith(`id=${report.id}`))).toBe(false);
    expect((await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-resident-1'] })).body.followers).toBe(0);
  });

  it('when a resident of another community follows a report, then 404, and nearby does not list it to them', async () => {
    const report = await file();
    const outsider = await server.login(`outsider-${randomUUID()}`);
    await joinVerified(server, outsider, elsewhereHouseholdId);
    expect((await server.call('GET', NEARBY, { token: outsider })).body.items.map((r: ReportSummary) => r.id)).not.toContain(report.id);
    expectError(await act(outsider, report.id, 'follow'), 404, 'NOT_FOUND');
    expectError(await server.call('GET', `/reports/${report.id}`, { token: outsider }), 404, 'NOT_FOUND');
  });

  it('when a neighbour follows, then they see what nearby shows them: no reporter, steps without notes, photos or the reporter’s name', async () => {
    const photo = await server.upload(tokens['demo-gridworker-1']);
    const report = await file();
    const reporter = (await server.call('GET', '/me', { token: tokens['demo-resident-1'] })).body;
    const neighbour = tokens['demo-resident-2'];
    const listed = (await server.call('GET', NEARBY, { token: neighbour })).body.items.find((r: ReportSummary) => r.id === report.id);
    expect(listed.reporter).toBeNull();
    expect((await act(neighbour, report.id, 'follow')).status).toBe(200);
    const worker = tokens['demo-gridworker-1'];
    const me = (await server.call('GET', '/me', { token: worker })).body;
    await act(worker, report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site', note: '已联系张女士 13857110001' });
    await act(worker, report.id, 'dispatch', { assigneeId: me.id });
    await act(worker, report.id, 'start');
    await act(worker, report.id, 'resolve', { result: '已清运，张女士家门口也已打扫', photos: [photo] });
    await act(tokens['demo-resident-1'], report.id, 'rate', { score: 5, comment: '谢谢网格员' });

    const seen = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: neighbour });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: report.id, status: 'closed', reporter: null, description: report.description, actions: [] });
    expect(seen.body.events.map((e) => e.action)).toEqual(['submit', 'accept', 'dispatch', 'start', 'resolve', 'rate']);
    expect(seen.body.events.every((e) => e.note === null && e.photos.length === 0)).toBe(true);
    // The reporter's own steps name nobody; the staff handling it are named, as the assignee is.
    expect(seen.body.events[0].actor).toEqual({ id: 0, nickname: '居民' });
    expect(seen.body.events[5].actor).toEqual({ id: 0, nickname: '居民' });
    expect(seen.body.events[1].actor?.id).toBe(me.id);
    const text = JSON.stringify(seen.body);
    for (const secret of [reporter.nickname, '13857110001', photo, '谢谢网格员']) expect(text).not.toContain(secret);
    expect(seen.body.events.some((e) => e.actor?.id === reporter.id)).toBe(false);
    // The list of what they follow shows the same.
    const row = (await following(neighbour)).find((r) => r.id === report.id)!;
    expect(row.reporter).toBeNull();
    // Their notices say which report and where it stands, nothing the page would not.
    const notices = (await server.call('GET', '/notifications', { token: neighbour })).body.items.filter((n: { link: string }) => n.link.endsWith(`id=${report.id}`));
    expect(notices.map((n: { kind: string }) => n.kind).sort()).toEqual(['report.accept', 'report.dispatch', 'report.resolve', 'report.start']);
    for (const notice of notices) for (const secret of [reporter.nickname, '13857110001', '张女士']) expect(JSON.stringify(notice)).not.toContain(secret);
    // The reporter still sees everything.
    const own = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-resident-1'] });
    expect(own.body.reporter?.id).toBe(reporter.id);
    expect(own.body.events[4].photos).toEqual([photo]);
  });

  it('when a follower moves to another community, then the report, its place in their list and its notices are closed to them', async () => {
    const report = await file();
    const mover = tokens['demo-resident-3'];
    expect((await act(mover, report.id, 'follow')).status).toBe(200);
    expect((await server.call('GET', `/reports/${report.id}`, { token: mover })).status).toBe(200);
    try {
      await joinVerified(server, mover, elsewhereHouseholdId);
      expectError(await server.call('GET', `/reports/${report.id}`, { token: mover }), 404, 'NOT_FOUND');
      expect((await following(mover)).map((r) => r.id)).not.toContain(report.id);
      await act(tokens['demo-gridworker-1'], report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
      expect((await inboxLinks(mover)).some((link) => link.endsWith(`id=${report.id}`))).toBe(false);
    } finally {
      await server.call('PUT', '/me/household', { token: mover, body: { householdId: ownHouseholdId } });
    }
    expect((await server.call('GET', `/reports/${report.id}`, { token: mover })).status).toBe(200);
  });
});
