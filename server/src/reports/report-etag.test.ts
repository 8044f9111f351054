import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { revalidationOf } from '../../test/revalidation';
import { GridNode } from '../grids/grid-node.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { Report } from './report.entity';
import { ReportEventRow } from './report-event.entity';
import { ratingModerationHandler, reportModerationHandler } from './report-moderation';

// Inside 桂香苑微网格 (grid 1 of 桂花社区), where demo-resident-3 lives too (a neighbour who may follow).
const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };

describe('revalidation of the report pages: a 304 when nothing the caller sees changed, never on another caller’s tag', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-3', 'demo-gridworker-1']) tokens[who] = await server.login(who);
  });
  afterAll(() => server.close());

  async function file(token = tokens['demo-resident-1']): Promise<ReportDetail> {
    const result = await server.call<ReportDetail>('POST', '/reports', {
      token,
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body;
  }
  const act = async (who: string, id: number, action: string, body: Record<string, unknown> = {}) => {
    const result = await server.call<ReportDetail>('POST', `/reports/${id}/${action}`, { token: tokens[who], body });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    return result.body;
  };
  /** GET with the tag held (if any): the status, the tag sent back, and the body. */
  const { get, unchanged, changed } = revalidationOf<ReportDetail>(() => server, tokens);

  it('the report detail: 304 while unchanged; in full after a transition, a new follower, a note with photos', async () => {
    const report = await file();
    const path = `/reports/${report.id}`;
    let held = await unchanged('demo-resident-1', path);
    await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    expect((await changed('demo-resident-1', path, held)).body.status).toBe('accepted');

    held = await unchanged('demo-resident-1', path);
    await act('demo-resident-3', report.id, 'follow');
    expect((await changed('demo-resident-1', path, held)).body.followers).toBe(1);

    const photo = await server.upload(tokens['demo-gridworker-1']);
    await act('demo-gridworker-1', report.id, 'take');
    held = await unchanged('demo-resident-1', path);
    await act('demo-gridworker-1', report.id, 'resolve', { result: '已清运', photos: [photo] });
    const resolved = await changed('demo-resident-1', path, held);
    expect(resolved.body.events.at(-1)?.photos).toEqual([photo]);
  });

  it('the report detail: in full again when a content check changes the report or a rating’s words', async () => {
    const report = await file();
    const path = `/reports/${report.id}`;
    let held = await unchanged('demo-resident-1', path);
    await reportModerationHandler(server.app.reports).setState(server.dataSource.manager, report.id, 'pending');
    expect((await changed('demo-resident-1', path, held)).body.moderation).toBe('pending');
    await reportModerationHandler(server.app.reports).setState(server.dataSource.manager, report.id, 'clear');

    held = await unchanged('demo-gridworker-1', path);
    const submitted = await server.dataSource.getRepository(ReportEventRow).findOneByOrFail({ reportId: report.id, action: 'submit' });
    await ratingModerationHandler.setState(server.dataSource.manager, submitted.id, 'pending');
    expect((await changed('demo-gridworker-1', path, held)).body.events[0].moderation).toBe('pending');
  });

  it('the report detail: in full once its due time passes, with nothing written (overdue is the clock’s)', async () => {
    const report = await file();
    const path = `/reports/${report.id}`;
    await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    const dueAt = new Date(Date.now() + 1500);
    await server.dataSource.getRepository(Report).update({ id: report.id }, { dueAt });
    const held = await unchanged('demo-resident-1', path);
    expect((await get('demo-resident-1', path)).body.overdue).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, dueAt.getTime() - Date.now() + 50));
    expect((await changed('demo-resident-1', path, held)).body.overdue).toBe(true);
  });

  it('another caller holding my tag gets the page as they see it (200), never 304; so does a caller whose roles changed', async () => {
    const report = await file();
    const path = `/reports/${report.id}`;
    const mine = await unchanged('demo-resident-1', path);
    const theirs = await get('demo-gridworker-1', path, mine);
    expect(theirs.status).toBe(200);
    expect(theirs.etag).not.toBe(mine);
    // A stranger, who may not see it at all, is not told it is unchanged.
    expect((await get({ token: await server.login(`stranger-${randomUUID()}`) }, path, mine)).status).toBe(404);

    // The reporter becomes a grid worker over it: now they may act on it, under a new tag.
    const resident = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' });
    const grid = await server.dataSource.getRepository(GridNode).findOneByOrFail({ id: report.gridNodeId });
    const role = await server.dataSource.getRepository(RoleAssignment).save({ userId: resident.id, role: 'grid_worker', nodeId: grid.id });
    try {
      const after = await changed('demo-resident-1', path, mine);
      expect(after.body.actions).toContain('accept');
    } finally {
      await server.dataSource.getRepository(RoleAssignment).delete({ id: role.id });
    }
  });

  it('my reports: 304 while unchanged; in full after a transition, a new report, and for another page or another caller', async () => {
    const me = await server.login(`etag-mine-${randomUUID()}`);
    tokens.me = me;
    // A resident of 桂花社区 with no household files with a location.
    const first = await file(me);
    const path = '/reports?scope=mine';
    let held = await unchanged('me', path);
    await act('demo-gridworker-1', first.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    expect((await changed('me', path, held)).body).toMatchObject({ items: [{ id: first.id, status: 'accepted' }] });

    held = await unchanged('me', path);
    await file(me);
    expect(((await changed('me', path, held)).body as unknown as { items: unknown[] }).items).toHaveLength(2);

    held = await unchanged('me', path);
    expect((await get('me', `${path}&limit=1`, held)).status).toBe(200);
    expect((await get('demo-resident-1', path, held)).status).toBe(200);
  });

  it('my reports with no tag held: the stamp comes with the page, in one statement over reports; a page with no row, a tag all the same', async () => {
    const me = await server.login(`etag-one-read-${randomUUID()}`);
    tokens.oneRead = me;
    await file(me);
    await file(me);
    const logged = vi.spyOn(server.dataSource.logger, 'logQuery');
    const first = await get('oneRead', '/reports?scope=mine&limit=1');
    const overReports = logged.mock.calls.filter(([sql]) => /\b(FROM|JOIN)\s+[`"]?reports[`"]?\s/i.test(sql));
    logged.mockRestore();
    expect(overReports).toHaveLength(1);
    // The tag it came with is the one a held tag is checked against: unchanged, 304.
    expect((await get('oneRead', '/reports?scope=mine&limit=1', first.etag)).status).toBe(304);
    // A page with no row (none of mine is closed) cannot carry the aggregate: it is read on its own, the same stamp.
    const none = await get('oneRead', '/reports?scope=mine&status=closed');
    expect((none.body as unknown as { items: unknown[] }).items).toEqual([]);
    expect((await get('oneRead', '/reports?scope=mine&status=closed', none.etag)).status).toBe(304);
  });

  it('the staff queue is not stamped: it answers in full (no aggregate over a grid’s history is cheaper than its page)', async () => {
    const queue = await get('demo-gridworker-1', '/reports?scope=queue');
    expect(queue.status).toBe(200);
    expect(queue.etag).toBe('');
  });
});
