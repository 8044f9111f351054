import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportAssignee, ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { ReportEventRow } from './report-event.entity';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };

describe('dispatch: only to the staff who may handle the report', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-department-1', 'demo-secretary-1']) {
      tokens[who] = await server.login(who);
      ids[who] = (await server.call('GET', '/me', { token: tokens[who] })).body.id;
    }
  });
  afterAll(() => server.close());

  async function accepted(): Promise<ReportDetail> {
    const filed = await server.call<ReportDetail>('POST', '/reports', {
      token: tokens['demo-resident-1'],
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT },
      headers: { 'idempotency-key': randomUUID() },
    });
    const result = await server.call<ReportDetail>('POST', `/reports/${filed.body.id}/accept`, { token: tokens['demo-gridworker-1'], body: { priority: 'normal', handlingMethod: 'on_site' } });
    expect(result.status).toBe(200);
    return result.body;
  }
  const dispatch = (id: number, body: Record<string, unknown>) => server.call<ReportDetail>('POST', `/reports/${id}/dispatch`, { token: tokens['demo-gridworker-1'], body });
  const assignees = async (id: number) => (await server.call<{ items: ReportAssignee[] }>('GET', `/reports/${id}/assignees`, { token: tokens['demo-gridworker-1'] })).body.items;

  it('when a grid worker dispatches to someone not among the report’s assignees, then 400 on body.assigneeId, and that person cannot handle it', async () => {
    const report = await accepted();
    const strangerToken = await server.login(`stranger-${randomUUID()}`);
    const stranger = (await server.call('GET', '/me', { token: strangerToken })).body.id as number;
    const listed = (await assignees(report.id)).map((a) => a.id);
    for (const who of [stranger, ids['demo-resident-2'], ids['demo-department-1'], ids['demo-secretary-1'], 999_999]) {
      expect(listed).not.toContain(who);
      const error = expectError(await dispatch(report.id, { assigneeId: who }), 400, 'VALIDATION_FAILED');
      expect(error.details.map((d) => d.path)).toEqual(['body.assigneeId']);
    }
    expectError(await server.call('POST', `/reports/${report.id}/start`, { token: strangerToken, body: {} }), 404, 'NOT_FOUND');
    const after = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-gridworker-1'] });
    expect(after.body).toMatchObject({ status: 'accepted', assignee: null, version: report.version });
    expect(await server.dataSource.getRepository(ReportEventRow).countBy({ reportId: report.id, action: 'dispatch' })).toBe(0);
  });

  it('when a dispatch names a department that does not exist, then 400 on body.departmentId', async () => {
    const report = await accepted();
    const error = expectError(await dispatch(report.id, { departmentId: 999_999 }), 400, 'VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toEqual(['body.departmentId']);
  });

  it('when a grid worker dispatches to one of the listed assignees, then that person handles it', async () => {
    const report = await accepted();
    const listed = await assignees(report.id);
    // The community's grid workers: this grid's and the neighbouring grid's.
    expect(listed.map((a) => a.id).sort()).toEqual([ids['demo-gridworker-1'], ids['demo-gridworker-2']].sort());
    const dispatched = await dispatch(report.id, { assigneeId: ids['demo-gridworker-2'] });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.assignee?.id).toBe(ids['demo-gridworker-2']);
    const started = await server.call<ReportDetail>('POST', `/reports/${report.id}/start`, { token: tokens['demo-gridworker-2'], body: {} });
    expect(started.body.status).toBe('in_progress');
  });
});
