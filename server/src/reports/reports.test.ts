import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Notification } from '../notifications/notification.entity';
import { ReportEventRow } from './report-event.entity';
import { parseReportNumber } from './report-number';
import { Report } from './report.entity';

// Inside 桂香苑微网格 (grid 1) and 金桂苑微网格 (grid 2) of the demo community.
const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const GRID2_SPOT = { lat: 30.281, lng: 120.153 };

describe('speak-up reports: the closed loop over HTTP', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const as = (who: string) => tokens[who];

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-4', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-department-1', 'demo-admin', 'demo-volunteer-1']) {
      tokens[who] = await server.login(who);
    }
  });
  afterAll(() => server.close());

  async function file(who = 'demo-resident-1', body: Record<string, unknown> = {}) {
    const result = await server.call<ReportDetail>('POST', '/reports', {
      token: as(who),
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT, ...body },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body;
  }
  const act = (who: string, id: number, action: string, body: Record<string, unknown> = {}) =>
    server.call<ReportDetail>('POST', `/reports/${id}/${action}`, { token: as(who), body });

  it('a resident files; it is numbered, routed to the micro-grid of the spot, and the grid worker hears of it', async () => {
    const report = await file();
    expect(report.number).toMatch(/^SS330199001-\d{8}-\d{4}$/); // 锦华街道's code, the day, its count
    expect(report.status).toBe('submitted');
    expect(report.gridPath).toEqual(['青溪区', '锦华街道', '桂花社区', '桂花社区第一网格', '桂香苑微网格']);
    expect(report.events.map((e) => e.action)).toEqual(['submit']);
    expect(report.actions).toEqual([]);
    const inbox = await server.call('GET', '/notifications', { token: as('demo-gridworker-1') });
    expect(inbox.body.items.some((n: { link: string }) => n.link.endsWith(`id=${report.id}`))).toBe(true);
    // The other grid's worker is not told and cannot see it.
    expectError(await server.call('GET', `/reports/${report.id}`, { token: as('demo-gridworker-2') }), 404, 'NOT_FOUND');
  });

  it('without a location the report goes to the reporter’s household micro-grid', async () => {
    const report = await file('demo-resident-4', { location: undefined });
    expect(report.gridPath.at(-1)).toBe('桂香苑微网格');
    const spot2 = await file('demo-resident-4', { location: GRID2_SPOT });
    expect(spot2.gridPath.at(-1)).toBe('金桂苑微网格');
  });

  it('the whole loop: accept → dispatch → start → resolve → rate closes it, each step an event', async () => {
    const report = await file();
    const accepted = await act('demo-gridworker-1', report.id, 'accept', { priority: 'high', handlingMethod: 'department', version: report.version });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    // 48 h SLA for sanitation, halved for high priority.
    expect(Date.parse(accepted.body.dueAt!) - Date.parse(report.createdAt)).toBe(24 * 3600_000);
    expect(accepted.body.suggestedDepartment?.name).toBe('锦华街道城管执法中队');
    const dispatched = await act('demo-gridworker-1', report.id, 'dispatch', { departmentId: accepted.body.suggestedDepartment!.id });
    expect(dispatched.body).toMatchObject({ status: 'dispatched', department: { name: '锦华街道城管执法中队' } });
    const queue = await server.call('GET', '/reports?scope=queue', { token: as('demo-department-1') });
    expect(queue.body.items.map((r: { id: number }) => r.id)).toContain(report.id);
    expect((await act('demo-department-1', report.id, 'start')).body.status).toBe('in_progress');
    const resolved = await act('demo-department-1', report.id, 'resolve', { result: '已安排清运车清理', photos: [await server.upload(as('demo-department-1'))] });
    expect(resolved.body.status).toBe('resolved');
    // Offline feedback belongs to the grid, not the department.
    expect(resolved.body.actions).toEqual([]);
    const mine = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as('demo-resident-1') });
    expect(mine.body.actions).toEqual(['rate']);
    const rated = await act('demo-resident-1', report.id, 'rate', { score: 5, comment: '很及时' });
    expect(rated.body.status).toBe('closed');
    expect(rated.body.rating).toBe(5);
    expect(rated.body.events.map((e) => e.action)).toEqual(['submit', 'accept', 'dispatch', 'start', 'resolve', 'rate']);
    expect(rated.body.events.map((e) => e.toStatus)).toEqual(['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved', 'closed']);
    expect(rated.body.events[4].photos).toHaveLength(1);
    const feedback = await act('demo-gridworker-1', report.id, 'feedback', { method: 'call', note: '电话回访，居民满意' });
    expect(feedback.body.status).toBe('closed');
    expect(feedback.body.events.at(-1)?.note).toContain('电话回访');
  });

  it('a low rating reopens once; a second low rating closes it as unsatisfied', async () => {
    const report = await file();
    await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    const me = (await server.call('GET', '/me', { token: as('demo-gridworker-1') })).body;
    await act('demo-gridworker-1', report.id, 'dispatch', { assigneeId: me.id });
    await act('demo-gridworker-1', report.id, 'start');
    await act('demo-gridworker-1', report.id, 'resolve', { result: '已清理' });
    const reopened = await act('demo-resident-1', report.id, 'rate', { score: 2, comment: '没清干净' });
    expect(reopened.body).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    await act('demo-gridworker-1', report.id, 'resolve', { result: '再次清理' });
    const closed = await act('demo-resident-1', report.id, 'rate', { score: 1 });
    expect(closed.body).toMatchObject({ status: 'closed', reopenCount: 1, rating: 1 });
    expect(closed.body.events.at(-1)?.note).toContain('不满意，办结');
  });

  it('one notice per event: a reopened report resolved again tells its reporter so, never in words identical to the first time', async () => {
    const report = await file();
    await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    const me = (await server.call('GET', '/me', { token: as('demo-gridworker-1') })).body;
    await act('demo-gridworker-1', report.id, 'dispatch', { assigneeId: me.id });
    await act('demo-gridworker-1', report.id, 'start');
    await act('demo-gridworker-1', report.id, 'resolve', { result: '已清理' });
    await act('demo-resident-1', report.id, 'rate', { score: 2, comment: '没清干净' });
    await act('demo-gridworker-1', report.id, 'resolve', { result: '再次清理' });
    const reporter = (await server.call('GET', '/me', { token: as('demo-resident-1') })).body;
    const lines = await server.dataSource.getRepository(Notification).find({ where: { userId: reporter.id, link: `/packages/reports/detail/index?id=${report.id}` }, order: { id: 'ASC' } });
    const events = await server.dataSource.getRepository(ReportEventRow).find({ where: { reportId: report.id }, order: { id: 'ASC' } });
    // One line per step the reporter did not take themself: accept, dispatch, start, resolve, resolve again.
    expect(lines.map((n) => n.dedupeKey)).toEqual(events.filter((e) => e.action !== 'submit' && e.action !== 'rate').map((e) => `report-event:${e.id}`));
    expect(lines.map((n) => n.kind)).toEqual(['report.accept', 'report.dispatch', 'report.start', 'report.resolve', 'report.resolve']);
    const texts = lines.map((n) => `${n.title}|${n.body}`);
    expect(new Set(texts).size).toBe(texts.length);
    expect(lines.at(-1)!.title).toContain('再次办结');
    // The grid worker hears of the reopening as such.
    const staffLines = await server.dataSource.getRepository(Notification).find({ where: { userId: me.id, kind: 'report.rate', link: `/packages/reports/detail/index?id=${report.id}` } });
    expect(staffLines.map((n) => n.title)).toEqual([expect.stringContaining('不满意')]);
  });

  it('illegal transitions are 409 INVALID_TRANSITION and change nothing', async () => {
    const report = await file();
    expectError(await act('demo-gridworker-1', report.id, 'start'), 409, 'INVALID_TRANSITION');
    expectError(await act('demo-gridworker-1', report.id, 'resolve', { result: '办好了' }), 409, 'INVALID_TRANSITION');
    expectError(await act('demo-resident-1', report.id, 'rate', { score: 5 }), 409, 'INVALID_TRANSITION');
    expectError(await act('demo-gridworker-1', report.id, 'dispatch', { departmentId: 1 }), 409, 'INVALID_TRANSITION');
    expectError(await act('demo-gridworker-1', report.id, 'feedback', { method: 'visit', note: '上门' }), 409, 'INVALID_TRANSITION');
    await act('demo-gridworker-1', report.id, 'reject', { reason: '不属于本社区事务' });
    for (const [action, body] of [['accept', { priority: 'low', handlingMethod: 'legal' }], ['merge', { intoId: 1 }], ['supervise', { note: '请尽快' }]] as const) {
      expectError(await act(action === 'supervise' ? 'demo-secretary-1' : 'demo-gridworker-1', report.id, action, body), 409, 'INVALID_TRANSITION');
    }
    // A closed report is no longer in a neighbour's sight (nearby lists open ones): nothing to +1.
    expectError(await act('demo-resident-2', report.id, 'follow'), 404, 'NOT_FOUND');
    const after = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as('demo-resident-1') });
    expect(after.body.status).toBe('rejected');
    expect(after.body.events.map((e) => e.action)).toEqual(['submit', 'reject']);
  });

  it('each role may only do its own part (403), and people outside see nothing (404)', async () => {
    const report = await file();
    expectError(await act('demo-resident-1', report.id, 'accept', { priority: 'low', handlingMethod: 'on_site' }), 403, 'FORBIDDEN');
    expectError(await act('demo-department-1', report.id, 'accept', { priority: 'low', handlingMethod: 'on_site' }), 404, 'NOT_FOUND');
    expectError(await act('demo-gridworker-2', report.id, 'accept', { priority: 'low', handlingMethod: 'on_site' }), 404, 'NOT_FOUND');
    expectError(await act('demo-gridworker-1', report.id, 'supervise', { note: '请尽快处理' }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', `/reports/${report.id}`, { token: as('demo-resident-2') }), 404, 'NOT_FOUND');
    // The secretary accepts too (triage), and supervises; the admin of the district sees it.
    const accepted = await act('demo-secretary-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'department' });
    expect(accepted.status).toBe(200);
    const supervised = await act('demo-secretary-1', report.id, 'supervise', { note: '请本周内办结' });
    expect(supervised.body.escalationLevel).toBe(1);
    expect((await server.call('GET', `/reports/${report.id}`, { token: as('demo-admin') })).status).toBe(200);
    // Dispatched to the department: its staff may start; the grid worker of another grid may not.
    await act('demo-secretary-1', report.id, 'dispatch', { departmentId: accepted.body.suggestedDepartment!.id });
    expectError(await act('demo-resident-1', report.id, 'start'), 403, 'FORBIDDEN');
    expect((await act('demo-department-1', report.id, 'start')).status).toBe(200);
    expectError(await act('demo-department-1', report.id, 'rate', { score: 5 }), 409, 'INVALID_TRANSITION');
  });

  it('a neighbour follows (+1) instead of filing again; nearby lists open reports of the category without names', async () => {
    const report = await file();
    const nearby = await server.call('GET', `/reports/nearby?lat=${GRID1_SPOT.lat}&lng=${GRID1_SPOT.lng + 0.0005}&categoryCode=sanitation`, { token: as('demo-resident-2') });
    expect(nearby.body.items.map((r: { id: number }) => r.id)).toContain(report.id);
    expect(nearby.body.items.every((r: { reporter: unknown }) => r.reporter === null)).toBe(true);
    const far = await server.call('GET', `/reports/nearby?lat=30.2815&lng=120.1535&categoryCode=sanitation`, { token: as('demo-resident-2') });
    expect(far.body.items.map((r: { id: number }) => r.id)).not.toContain(report.id);
    const followed = await act('demo-resident-2', report.id, 'follow');
    expect(followed.body.followers).toBe(1);
    expectError(await act('demo-resident-2', report.id, 'follow'), 409, 'CONFLICT');
    expectError(await act('demo-resident-1', report.id, 'follow'), 403, 'FORBIDDEN');
    const following = await server.call('GET', '/reports?scope=following', { token: as('demo-resident-2') });
    expect(following.body.items.map((r: { id: number }) => r.id)).toContain(report.id);
  });

  it('merge folds a duplicate into another report of the community', async () => {
    const original = await file();
    const duplicate = await file('demo-resident-4');
    const merged = await act('demo-gridworker-1', duplicate.id, 'merge', { intoId: original.id });
    expect(merged.body).toMatchObject({ status: 'merged', mergedIntoId: original.id });
    expect((await server.call<ReportDetail>('GET', `/reports/${original.id}`, { token: as('demo-resident-1') })).body.followers).toBe(1);
    const self = await file();
    expectError(await act('demo-gridworker-1', self.id, 'merge', { intoId: self.id }), 400, 'VALIDATION_FAILED');
  });

  it('an anonymous reporter is hidden from grid workers, departments and secretaries, in detail, lists and events', async () => {
    const report = await file('demo-resident-1', { anonymous: true });
    const resident1 = (await server.call('GET', '/me', { token: as('demo-resident-1') })).body;
    for (const who of ['demo-gridworker-1', 'demo-secretary-1']) {
      const detail = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as(who) });
      expect(detail.body.reporter).toBeNull();
      expect(detail.body.events[0].actor).toEqual({ id: 0, nickname: '匿名居民' });
      expect(JSON.stringify(detail.body)).not.toContain(resident1.nickname);
      const queue = await server.call('GET', '/reports?scope=queue&status=submitted', { token: as(who) });
      const row = queue.body.items.find((r: { id: number }) => r.id === report.id);
      expect(row.reporter).toBeNull();
      expect(JSON.stringify(row)).not.toContain(resident1.nickname);
    }
    await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'department' });
    await act('demo-gridworker-1', report.id, 'dispatch', { departmentId: 1 });
    const dept = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as('demo-department-1') });
    expect(dept.body.reporter).toBeNull();
    expect(JSON.stringify(dept.body)).not.toContain(resident1.nickname);
    // The reporter still sees themself and can follow the progress.
    const own = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as('demo-resident-1') });
    expect(own.body.reporter?.nickname).toBe(resident1.nickname);
    expect(own.body.anonymous).toBe(true);
  });

  it('a retried submit with the same Idempotency-Key returns the same report, even ten at once', async () => {
    const key = randomUUID();
    const body = { categoryCode: 'noise', description: '楼上深夜装修噪音很大', location: GRID1_SPOT };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => server.call<ReportDetail>('POST', '/reports', { token: as('demo-resident-2'), body, headers: { 'idempotency-key': key } })),
    );
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await server.dataSource.getRepository(Report).countBy({ idempotencyKey: key })).toBe(1);
    expect(await server.dataSource.getRepository(ReportEventRow).countBy({ reportId: results[0].body.id })).toBe(1);
  });

  it('twenty filed at once get consecutive numbers of the street’s day, each once, and the grid worker’s notices carry them', async () => {
    const filers = ['demo-resident-1', 'demo-resident-2', 'demo-resident-4'];
    const reports = await Promise.all(Array.from({ length: 20 }, (_, i) => file(filers[i % filers.length])));
    const numbers = reports.map((r) => r.number);
    expect(new Set(numbers).size).toBe(20);
    // Per China day (a run across midnight spans two): no gap between the smallest and the largest.
    const byDay = new Map<string, number[]>();
    for (const number of numbers) {
      const parts = parseReportNumber(number)!;
      expect(parts.series).toBe('330199001');
      byDay.set(parts.day, [...(byDay.get(parts.day) ?? []), parts.sequence]);
    }
    for (const sequence of byDay.values()) expect(Math.max(...sequence) - Math.min(...sequence)).toBe(sequence.length - 1);
    const stored = await server.dataSource.getRepository(Report).findBy(reports.map((r) => ({ id: r.id })));
    expect(stored.map((r) => r.number).sort()).toEqual([...numbers].sort());
    const notices = await server.dataSource.getRepository(Notification).findBy(reports.map((r) => ({ link: `/packages/reports/detail/index?id=${r.id}` })));
    for (const report of reports) expect(notices.filter((n) => n.title.endsWith(report.number)).length).toBeGreaterThan(0);
  });

  it('two staff acting at once: one accept wins, the other is told; a stale version is 409 CONFLICT', async () => {
    const report = await file();
    const [a, b] = await Promise.all([
      act('demo-gridworker-1', report.id, 'accept', { priority: 'high', handlingMethod: 'on_site', version: report.version }),
      act('demo-secretary-1', report.id, 'accept', { priority: 'low', handlingMethod: 'mediation', version: report.version }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['CONFLICT', 'INVALID_TRANSITION']).toContain((loser.body as unknown as { error: { code: string } }).error.code);
    const detail = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as('demo-gridworker-1') });
    expect(detail.body.events.filter((e) => e.action === 'accept')).toHaveLength(1);
    expectError(await act('demo-gridworker-1', report.id, 'dispatch', { departmentId: 1, version: report.version }), 409, 'CONFLICT');
  });

  it('staff file on a resident’s behalf from another channel; residents may not use staff channels', async () => {
    const resident4 = (await server.call('GET', '/me', { token: as('demo-resident-4') })).body;
    const result = await server.call<ReportDetail>('POST', '/reports', {
      token: as('demo-gridworker-1'),
      body: { categoryCode: 'facilities', description: '路灯坏了两盏，晚上很黑', channel: 'hotline', onBehalfOfUserId: resident4.id },
    });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ channel: 'hotline', reporter: { id: resident4.id } });
    expect(result.body.events[0].note).toContain('代为登记');
    const mine = await server.call('GET', '/reports?scope=mine', { token: as('demo-resident-4') });
    expect(mine.body.items.map((r: { id: number }) => r.id)).toContain(result.body.id);
    expectError(
      await server.call('POST', '/reports', { token: as('demo-resident-1'), body: { categoryCode: 'other', description: '想通过热线登记', channel: 'hotline' } }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await server.call('POST', '/reports', { token: as('demo-gridworker-2'), body: { categoryCode: 'other', description: '代登记别的网格', channel: 'walk_in', onBehalfOfUserId: resident4.id } }),
      403,
      'FORBIDDEN',
    );
  });

  it('bad input: unknown category, too short, too many photos → 400 naming the field; nothing stored', async () => {
    const before = await server.dataSource.getRepository(Report).count();
    const cases: [Record<string, unknown>, string][] = [
      [{ categoryCode: 'nope', description: '描述足够长的内容' }, 'body.categoryCode'],
      [{ categoryCode: 'sanitation', description: '短' }, 'body.description'],
      [{ categoryCode: 'sanitation', description: '描述足够长的内容', photos: Array(10).fill('/x.jpg') }, 'body.photos'],
      [{ categoryCode: 'sanitation', description: '描述足够长的内容', location: { lat: 200, lng: 1 } }, 'body.location.lat'],
    ];
    for (const [body, path] of cases) {
      const error = expectError(await server.call('POST', '/reports', { token: as('demo-resident-1'), body }), 400, 'VALIDATION_FAILED');
      expect(error.details[0].path).toBe(path);
    }
    expect(await server.dataSource.getRepository(Report).count()).toBe(before);
  });

  it('the queue counts what a grid worker covers, and overdue ones are flagged', async () => {
    const queue = await server.call('GET', '/reports?scope=queue', { token: as('demo-gridworker-1') });
    expect(queue.body.counts.submitted).toBeGreaterThan(0);
    expect(queue.body.items.every((r: { gridPath: string[] }) => r.gridPath[3] === '桂花社区第一网格')).toBe(true);
    const other = await server.call('GET', '/reports?scope=queue', { token: as('demo-gridworker-2') });
    expect(other.body.items.every((r: { gridPath: string[] }) => r.gridPath[3] === '桂花社区第二网格')).toBe(true);
    expect(other.body.items.length).toBeGreaterThan(0);
    const page = await server.call('GET', '/reports?scope=queue&limit=2', { token: as('demo-secretary-1') });
    expect(page.body.items).toHaveLength(2);
    const next = await server.call('GET', `/reports?scope=queue&limit=2&cursor=${page.body.nextCursor}`, { token: as('demo-secretary-1') });
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id + 1);
    expect(next.body.items[0].id).not.toBe(page.body.items[1].id);
  });

  it('paging through a queue fed two ways (my grid, and assigned to me elsewhere) gives each report once, newest first', async () => {
    const me = (await server.call('GET', '/me', { token: as('demo-gridworker-1') })).body.id as number;
    const elsewhere = await file('demo-resident-2', { location: GRID2_SPOT });
    await act('demo-gridworker-2', elsewhere.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    const dispatched = await act('demo-gridworker-2', elsewhere.id, 'dispatch', { assigneeId: me });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    const mine = await file('demo-resident-1');
    const seen: number[] = [];
    let cursor: string | null = null;
    let counts: Record<string, number> = {};
    do {
      const page: { status: number; body: { items: { id: number }[]; counts: Record<string, number>; nextCursor: string | null } } = await server.call('GET', `/reports?scope=queue&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: as('demo-gridworker-1') });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r) => r.id));
      counts = page.body.counts;
      cursor = page.body.nextCursor;
    } while (cursor);
    const expected = (
      await server.dataSource
        .getRepository(Report)
        .createQueryBuilder('r')
        .where("r.moderation = 'clear' AND (r.assigneeId = :me OR r.gridPath LIKE :grid)", { me, grid: `${(await server.dataSource.getRepository(Report).findOneByOrFail({ id: mine.id })).gridPath.split('/').slice(0, 5).join('/')}/%` })
        .orderBy('r.id', 'DESC')
        .getMany()
    ).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(seen).toContain(elsewhere.id);
    expect(seen).toContain(mine.id);
    const open = await server.dataSource.getRepository(Report).findBy(expected.map((id) => ({ id })));
    expect(counts.dispatched).toBe(open.filter((r) => r.status === 'dispatched').length);
    expect(counts.submitted).toBe(open.filter((r) => r.status === 'submitted').length);
  });

  it('a transition, its event and its notifications commit together: a failing notification rolls back the step', async () => {
    const report = await file();
    const notifications = server.dataSource.getRepository(Notification);
    const before = await notifications.count();
    const original = server.app.notifications.service.enqueue.bind(server.app.notifications.service);
    server.app.notifications.service.enqueue = async () => {
      throw new Error('inbox down');
    };
    try {
      expectError(await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' }), 500, 'INTERNAL');
    } finally {
      server.app.notifications.service.enqueue = original;
    }
    const after = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: as('demo-gridworker-1') });
    expect(after.body).toMatchObject({ status: 'submitted', version: report.version });
    expect(after.body.events).toHaveLength(1);
    expect(await notifications.count()).toBe(before);
  });
});
