import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Notification } from '../notifications/notification.entity';
import { ReportEventRow } from './report-event.entity';
import { Report } from './report.entity';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PEOPLE = ['demo-resident-1', 'demo-resident-2', 'demo-volunteer-1', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-department-1', 'demo-admin'] as const;
type Who = (typeof PEOPLE)[number];

/*
 * A working day on the loop: 我来处理 (take), handing back (return), asking for more time (extend) and
 * the secretary's decision, a supervision with a deadline, and reaching the reporter by phone. Each
 * transition with its illegal neighbours (wrong state 409 INVALID_TRANSITION, stale version 409
 * CONFLICT, wrong person 403/404) and two staff acting at once.
 */
describe('a working day on the report loop', () => {
  let server: TestServer;
  const token = {} as Record<Who, string>;
  const id = {} as Record<Who, number>;
  let deptCg = 0;

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of PEOPLE) {
      token[who] = await server.login(who);
      id[who] = (await server.call('GET', '/me', { token: token[who] })).body.id;
    }
    deptCg = (await server.call('GET', '/departments', { token: token['demo-admin'] })).body.items.find((d: { code: string }) => d.code === 'DEPT-CG').id;
  });
  afterAll(() => server.close());

  const act = (who: Who, reportId: number, path: string, body: Record<string, unknown> = {}) => server.call<ReportDetail>('POST', `/reports/${reportId}/${path}`, { token: token[who], body });
  const detail = async (who: Who, reportId: number) => (await server.call<ReportDetail>('GET', `/reports/${reportId}`, { token: token[who] })).body;
  const events = (reportId: number) => server.dataSource.getRepository(ReportEventRow).find({ where: { reportId }, order: { id: 'ASC' } });
  async function file(who: Who = 'demo-resident-1', extra: Record<string, unknown> = {}): Promise<ReportDetail> {
    const filed = await server.call<ReportDetail>('POST', '/reports', {
      token: token[who],
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT, ...extra },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(filed.status).toBe(201);
    return filed.body;
  }
  /** Filed, accepted and dispatched to 城管 (demo-department-1) by the grid worker. */
  async function withDepartment(): Promise<ReportDetail> {
    const report = await file();
    expect((await act('demo-gridworker-1', report.id, 'accept', { priority: 'normal', handlingMethod: 'department' })).status).toBe(200);
    const dispatched = await act('demo-gridworker-1', report.id, 'dispatch', { departmentId: deptCg });
    expect(dispatched.body.status).toBe('dispatched');
    return dispatched.body;
  }

  describe('我来处理 (take)', () => {
    it('when a grid worker takes a new report, then it is accepted, theirs and started at once, with the three events the three steps write', async () => {
      const report = await file();
      const taken = await act('demo-gridworker-1', report.id, 'take', { priority: 'high', version: report.version });
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      expect(taken.body).toMatchObject({ status: 'in_progress', priority: 'high', handlingMethod: 'on_site', assignee: { id: id['demo-gridworker-1'] }, department: null, version: report.version + 1 });
      expect(taken.body.dueAt).not.toBeNull();
      expect(taken.body.actions).toContain('resolve');
      const steps = (await events(report.id)).map((e) => [e.action, e.fromStatus, e.toStatus, e.actorId]);
      expect(steps).toEqual([
        ['submit', null, 'submitted', id['demo-resident-1']],
        ['accept', 'submitted', 'accepted', id['demo-gridworker-1']],
        ['dispatch', 'accepted', 'dispatched', id['demo-gridworker-1']],
        ['start', 'dispatched', 'in_progress', id['demo-gridworker-1']],
      ]);
      // The reporter hears of each step, as after the three taps.
      const kinds = (await server.dataSource.getRepository(Notification).findBy({ userId: id['demo-resident-1'] })).filter((n) => n.link?.endsWith(`id=${report.id}`)).map((n) => n.kind);
      expect(kinds.sort()).toEqual(['report.accept', 'report.dispatch', 'report.start']);
    });

    it('when a report was accepted already, then taking it writes the dispatch and the start only', async () => {
      const report = await file();
      await act('demo-secretary-1', report.id, 'accept', { priority: 'low', handlingMethod: 'on_site' });
      const taken = await act('demo-gridworker-1', report.id, 'take');
      expect(taken.body).toMatchObject({ status: 'in_progress', priority: 'low', assignee: { id: id['demo-gridworker-1'] } });
      expect((await events(report.id)).map((e) => e.action)).toEqual(['submit', 'accept', 'dispatch', 'start']);
    });

    it('when it is dispatched already, or asked by anyone but a grid worker over it, then it is refused and nothing is written', async () => {
      const dispatched = await withDepartment();
      expectError(await act('demo-gridworker-1', dispatched.id, 'take'), 409, 'INVALID_TRANSITION');
      const fresh = await file();
      expectError(await act('demo-secretary-1', fresh.id, 'take'), 403, 'FORBIDDEN');
      expectError(await act('demo-resident-1', fresh.id, 'take'), 403, 'FORBIDDEN');
      expectError(await act('demo-admin', fresh.id, 'take'), 403, 'FORBIDDEN');
      // The second grid's worker cannot see a first-grid report at all.
      expectError(await act('demo-gridworker-2', fresh.id, 'take'), 404, 'NOT_FOUND');
      expectError(await act('demo-gridworker-1', fresh.id, 'take', { version: fresh.version + 5 }), 409, 'CONFLICT');
      expect((await events(fresh.id)).map((e) => e.action)).toEqual(['submit']);
      expect(await detail('demo-resident-1', fresh.id)).toMatchObject({ status: 'submitted', assignee: null, version: fresh.version });
    });

    it('when the grid worker takes it while the secretary refuses it, then exactly one of them wins and the events are those of the winner', async () => {
      for (let round = 0; round < 3; round++) {
        const report = await file();
        const [take, reject] = await Promise.all([
          act('demo-gridworker-1', report.id, 'take', { version: report.version }),
          act('demo-secretary-1', report.id, 'reject', { reason: '不属于本社区事务', version: report.version }),
        ]);
        expect([take.status, reject.status].sort()).toEqual([200, 409]);
        const written = (await events(report.id)).map((e) => e.action);
        expect(written).toEqual(take.status === 200 ? ['submit', 'accept', 'dispatch', 'start'] : ['submit', 'reject']);
        expect((await detail('demo-secretary-1', report.id)).status).toBe(take.status === 200 ? 'in_progress' : 'rejected');
      }
    });

    it('when one tap arrives twice at once, then it is taken once', async () => {
      const report = await file();
      const results = await Promise.all([act('demo-gridworker-1', report.id, 'take'), act('demo-gridworker-1', report.id, 'take')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await events(report.id)).filter((e) => e.action === 'start')).toHaveLength(1);
    });
  });

  describe('return (hand back a wrongly dispatched report)', () => {
    it('when the department clerk returns it with a reason, then it is accepted again, nobody’s, and the grid worker who dispatched it is told', async () => {
      const report = await withDepartment();
      expect((await detail('demo-department-1', report.id)).actions).toEqual(['start', 'return', 'extend']);
      const returned = await act('demo-department-1', report.id, 'return', { reason: '不属于城管职责，请转供水部门', version: report.version });
      expect(returned.status, JSON.stringify(returned.body)).toBe(200);
      expect(returned.body).toMatchObject({ status: 'accepted', department: null, assignee: null });
      const last = (await events(report.id)).at(-1)!;
      expect(last).toMatchObject({ action: 'return', fromStatus: 'dispatched', toStatus: 'accepted', actorId: id['demo-department-1'], note: '不属于城管职责，请转供水部门' });
      const told = await server.dataSource.getRepository(Notification).findBy({ userId: id['demo-gridworker-1'], kind: 'report.return' });
      expect(told.map((n) => n.link)).toContain(`/packages/reports/detail/index?id=${report.id}`);
      // The reporter is not bothered with an internal hand-back.
      expect(await server.dataSource.getRepository(Notification).countBy({ userId: id['demo-resident-1'], kind: 'report.return' })).toBe(0);
      // Back with the grid worker, who dispatches it again; the clerk no longer sees it.
      expect((await detail('demo-gridworker-1', report.id)).actions).toContain('dispatch');
      expect((await server.call('GET', `/reports/${report.id}`, { token: token['demo-department-1'] })).status).toBe(404);
    });

    it('when anyone but the assignee returns it, or it is already being handled, or without a reason, then it is refused', async () => {
      const report = await withDepartment();
      expectError(await act('demo-gridworker-1', report.id, 'return', { reason: '派错了' }), 403, 'FORBIDDEN');
      expectError(await act('demo-secretary-1', report.id, 'return', { reason: '派错了' }), 403, 'FORBIDDEN');
      expectError(await act('demo-resident-1', report.id, 'return', { reason: '派错了' }), 403, 'FORBIDDEN');
      expectError(await act('demo-department-1', report.id, 'return', {}), 400, 'VALIDATION_FAILED');
      expectError(await act('demo-department-1', report.id, 'return', { reason: '派错了', version: report.version - 1 }), 409, 'CONFLICT');
      await act('demo-department-1', report.id, 'start');
      expectError(await act('demo-department-1', report.id, 'return', { reason: '派错了' }), 409, 'INVALID_TRANSITION');
      expect((await events(report.id)).some((e) => e.action === 'return')).toBe(false);
    });
  });

  describe('extend (缓办) and the secretary’s decision', () => {
    it('when the clerk asks for more time and the secretary grants it, then dueAt moves, the report counts as extended, and each side is told', async () => {
      const report = await withDepartment();
      const until = new Date(Date.parse(report.dueAt!) + 5 * DAY).toISOString();
      const asked = await act('demo-department-1', report.id, 'extend', { until, reason: '需协调供水部门停水施工', version: report.version });
      expect(asked.status, JSON.stringify(asked.body)).toBe(200);
      expect(asked.body).toMatchObject({ status: 'dispatched', dueAt: report.dueAt, extended: false, extensionRequest: { until } });
      expect(asked.body.actions).not.toContain('extend');
      const secretaryTold = await server.dataSource.getRepository(Notification).findBy({ userId: id['demo-secretary-1'], kind: 'report.extend' });
      expect(secretaryTold.some((n) => n.link?.endsWith(`id=${report.id}`))).toBe(true);
      const seen = await detail('demo-secretary-1', report.id);
      expect(seen.actions).toEqual(expect.arrayContaining(['grant_extension', 'deny_extension']));

      const granted = await act('demo-secretary-1', report.id, 'extension/approve', { note: '同意', version: seen.version });
      expect(granted.status, JSON.stringify(granted.body)).toBe(200);
      expect(granted.body).toMatchObject({ dueAt: until, extended: true, extensionRequest: null, status: 'dispatched' });
      const last = (await events(report.id)).at(-1)!;
      expect(last.action).toBe('grant_extension');
      expect(last.note).toContain('同意延期至');
      expect(last.note).toContain('原时限');
      const clerkTold = await server.dataSource.getRepository(Notification).findBy({ userId: id['demo-department-1'], kind: 'report.grant_extension' });
      expect(clerkTold.some((n) => n.link?.endsWith(`id=${report.id}`))).toBe(true);
      const row = await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id });
      expect(row.extendedAt).not.toBeNull();
      expect(row.extensionUntil).toBeNull();
      // Nothing waits any more: a second decision is the wrong state.
      expectError(await act('demo-secretary-1', report.id, 'extension/approve'), 409, 'INVALID_TRANSITION');
      expectError(await act('demo-secretary-1', report.id, 'extension/reject', { reason: '不同意' }), 409, 'INVALID_TRANSITION');
    });

    it('when the secretary refuses, then the due time stays and the clerk may ask again', async () => {
      const report = await withDepartment();
      const until = new Date(Date.parse(report.dueAt!) + 2 * DAY).toISOString();
      await act('demo-department-1', report.id, 'extend', { until, reason: '材料未到' });
      const denied = await act('demo-secretary-1', report.id, 'extension/reject', { reason: '请按原时限办结' });
      expect(denied.status).toBe(200);
      expect(denied.body).toMatchObject({ dueAt: report.dueAt, extended: false, extensionRequest: null });
      expect((await events(report.id)).at(-1)).toMatchObject({ action: 'deny_extension', note: '不同意延期：请按原时限办结' });
      expect((await act('demo-department-1', report.id, 'extend', { until, reason: '材料仍未到' })).status).toBe(200);
    });

    it('refuses a second request while one waits (409 CONFLICT), a time not later than the due time or too far (400), and the wrong people', async () => {
      const report = await withDepartment();
      const due = Date.parse(report.dueAt!);
      expect(expectError(await act('demo-department-1', report.id, 'extend', { until: new Date(due - HOUR).toISOString(), reason: '需要时间' }), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['body.until']);
      expect(expectError(await act('demo-department-1', report.id, 'extend', { until: new Date(Date.now() + 200 * DAY).toISOString(), reason: '需要时间' }), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['body.until']);
      // Not theirs to ask: the grid worker who dispatched it, the secretary, the reporter.
      for (const who of ['demo-gridworker-1', 'demo-secretary-1', 'demo-resident-1'] as const) {
        expectError(await act(who, report.id, 'extend', { until: new Date(due + DAY).toISOString(), reason: '需要时间' }), 403, 'FORBIDDEN');
      }
      // Nothing waits yet: nothing to decide.
      expectError(await act('demo-secretary-1', report.id, 'extension/approve'), 409, 'INVALID_TRANSITION');
      expect((await act('demo-department-1', report.id, 'extend', { until: new Date(due + DAY).toISOString(), reason: '需要时间' })).status).toBe(200);
      expectError(await act('demo-department-1', report.id, 'extend', { until: new Date(due + 2 * DAY).toISOString(), reason: '再多一天' }), 409, 'CONFLICT');
      // Deciding is the secretary's: not the clerk's, the grid worker's, the admin's; a stale version is CONFLICT.
      for (const who of ['demo-department-1', 'demo-gridworker-1', 'demo-admin'] as const) expectError(await act(who, report.id, 'extension/approve'), 403, 'FORBIDDEN');
      expectError(await act('demo-gridworker-2', report.id, 'extension/approve'), 404, 'NOT_FOUND');
      expectError(await act('demo-secretary-1', report.id, 'extension/approve', { version: 0 }), 409, 'CONFLICT');
      // An extension is about a report being handled: before dispatch there is none to ask.
      const fresh = await file();
      await act('demo-gridworker-1', fresh.id, 'accept', { priority: 'normal', handlingMethod: 'on_site' });
      expectError(await act('demo-gridworker-1', fresh.id, 'extend', { until: new Date(Date.now() + 10 * DAY).toISOString(), reason: '需要时间' }), 409, 'INVALID_TRANSITION');
    });

    it('when the clerk asks twice at once, then one request waits; when the secretary grants and refuses at once, then one decision stands', async () => {
      const report = await withDepartment();
      const due = Date.parse(report.dueAt!);
      const asks = await Promise.all([1, 2].map((d) => act('demo-department-1', report.id, 'extend', { until: new Date(due + d * DAY).toISOString(), reason: `需要 ${d} 天` })));
      expect(asks.map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await events(report.id)).filter((e) => e.action === 'extend')).toHaveLength(1);
      const decisions = await Promise.all([act('demo-secretary-1', report.id, 'extension/approve'), act('demo-secretary-1', report.id, 'extension/reject', { reason: '不同意' })]);
      expect(decisions.map((r) => r.status).sort()).toEqual([200, 409]);
      const decided = (await events(report.id)).filter((e) => e.action === 'grant_extension' || e.action === 'deny_extension');
      expect(decided).toHaveLength(1);
      const row = await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id });
      expect(row.extendedAt !== null).toBe(decided[0].action === 'grant_extension');
    });

    it('when a granted extension moved dueAt past an overdue report’s, then the automatic supervision waits until the new time, and resumes after it', async () => {
      const report = await withDepartment();
      const due = Date.parse(report.dueAt!);
      const { sweeper } = server.app;
      // Overdue: supervised once.
      await sweeper.sweep(new Date(due + HOUR));
      expect((await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id })).escalationLevel).toBe(1);
      const until = new Date(Date.now() + 3 * DAY);
      await act('demo-department-1', report.id, 'extend', { until: until.toISOString(), reason: '等待配件' });
      await act('demo-secretary-1', report.id, 'extension/approve');
      // Past the old due time and past the period, before the new one: nothing.
      expect((await sweeper.sweep(new Date(until.getTime() - HOUR))).escalated).toBe(0);
      const waiting = await detail('demo-secretary-1', report.id);
      expect(waiting).toMatchObject({ escalationLevel: 1, overdue: false });
      // Past it: supervised again.
      await sweeper.sweep(new Date(until.getTime() + HOUR));
      expect((await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id })).escalationLevel).toBe(2);
    });
  });

  describe('督办 with a deadline', () => {
    it('when the secretary supervises with a deadline, then the handler sees it, the automatic supervision waits for it, and the due time (the KPIs’) stays', async () => {
      const report = await withDepartment();
      const due = Date.parse(report.dueAt!);
      const by = new Date(Date.now() + 2 * DAY);
      const supervised = await act('demo-secretary-1', report.id, 'supervise', { note: '居民反映强烈，请尽快办结', dueAt: by.toISOString() });
      expect(supervised.status, JSON.stringify(supervised.body)).toBe(200);
      expect(supervised.body).toMatchObject({ supervisionDueAt: by.toISOString(), dueAt: report.dueAt, escalationLevel: 1 });
      expect((await events(report.id)).at(-1)!.note).toMatch(/^居民反映强烈，请尽快办结（限 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前办结）$/);
      const clerkTold = await server.dataSource.getRepository(Notification).findBy({ userId: id['demo-department-1'], kind: 'report.supervise' });
      expect(clerkTold.some((n) => n.link?.endsWith(`id=${report.id}`))).toBe(true);
      const { sweeper } = server.app;
      // Overdue by its due time, but the supervisor's deadline is ahead: no automatic supervision yet.
      expect(due).toBeLessThan(by.getTime());
      expect((await sweeper.sweep(new Date(by.getTime() - HOUR))).escalated).toBe(0);
      await sweeper.sweep(new Date(by.getTime() + HOUR));
      expect((await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id })).escalationLevel).toBe(2);
    });

    it('refuses a deadline in the past (400 on body.dueAt), and supervising is the secretary’s', async () => {
      const report = await withDepartment();
      const error = expectError(await act('demo-secretary-1', report.id, 'supervise', { note: '请尽快', dueAt: new Date(Date.now() - HOUR).toISOString() }), 400, 'VALIDATION_FAILED');
      expect(error.details.map((d) => d.path)).toEqual(['body.dueAt']);
      expectError(await act('demo-gridworker-1', report.id, 'supervise', { note: '请尽快', dueAt: new Date(Date.now() + DAY).toISOString() }), 403, 'FORBIDDEN');
      expect((await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id })).supervisionDueAt).toBeNull();
    });
  });

  describe('reaching the reporter', () => {
    it('when staff over or on a report open it, then they see the reporter’s phone masked and may reveal it (audited); residents and the anonymous never', async () => {
      const report = await withDepartment();
      for (const who of ['demo-gridworker-1', 'demo-secretary-1', 'demo-department-1', 'demo-admin'] as const) {
        expect((await detail(who, report.id)).reporterPhoneMasked, who).toBe('138****0001');
      }
      expect((await detail('demo-resident-1', report.id)).reporterPhoneMasked).toBeUndefined();
      const reveal = (who: Who, reportId = report.id) => server.call('POST', `/reports/${reportId}/reporter/phone`, { token: token[who], body: {} });
      const revealed = await reveal('demo-department-1');
      expect(revealed.status).toBe(200);
      expect(revealed.body).toEqual({ phone: '13857110001' });
      const audit = await server.dataSource.getRepository(AuditEntry).findBy({ actorId: id['demo-department-1'], path: `/api/v1/reports/${report.id}/reporter/phone` });
      expect(audit).toHaveLength(1);
      // The reporter (not staff), a resident who cannot see it, staff of the other grid.
      expectError(await reveal('demo-resident-1'), 403, 'FORBIDDEN');
      expectError(await reveal('demo-resident-2'), 404, 'NOT_FOUND');
      expectError(await reveal('demo-gridworker-2'), 404, 'NOT_FOUND');

      const anonymous = await file('demo-resident-2', { anonymous: true });
      const staffView = await detail('demo-gridworker-1', anonymous.id);
      expect(staffView.reporter).toBeNull();
      expect(staffView.reporterPhoneMasked).toBeUndefined();
      expectError(await reveal('demo-gridworker-1', anonymous.id), 404, 'NOT_FOUND');
    });
  });
});
