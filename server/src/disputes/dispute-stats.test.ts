import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisputeStats } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { DisputeFixture } from './test-support';

describe('GET /stats/disputes and its .xlsx', () => {
  let server: TestServer;
  let fx: DisputeFixture;
  let query = '';

  beforeAll(async () => {
    server = await startTestServer();
    fx = new DisputeFixture(server);
    await fx.login('demo-resident-1', 'demo-mediator-1', 'demo-secretary-1', 'demo-admin', 'demo-gridworker-1');
    // The period starts now: the demo community's seeded cases are older and stay out.
    const from = new Date(Date.now() - 1000).toISOString();
    await fx.caseIn('closed'); // agreed → fulfilled → closed
    await fx.caseIn('ruled'); // failed (fast-track) → ruled
    await fx.caseIn('failed', { advice: 'litigation' });
    await fx.caseIn('breached');
    await fx.caseIn('declined');
    await fx.caseIn('registered');
    query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`;
  });
  afterAll(() => server.close());

  it('counts the period’s cases by the definitions of kpi.ts', async () => {
    const stats = (await fx.call('demo-secretary-1', 'GET', `/stats/disputes?${query}`)).body as DisputeStats;
    expect(stats).toMatchObject({
      node: { name: '桂花社区' },
      received: 6,
      accepted: 4,
      declined: 1,
      agreed: 2,
      failed: 2,
      fulfilled: 1,
      breached: 1,
      ruled: 1,
      // the fulfilled agreement and the ruling; not the breach, not the litigation
      resolved: 2,
      successRate: 0.5,
      resolutionRate: 0.3333,
      confirmations: { applied: 0, confirmed: 0, rejected: 0 },
    });
    expect(stats.avgDays).toBeGreaterThanOrEqual(0);
    expect(stats.byType).toEqual([expect.objectContaining({ key: 'neighbour', label: '邻里纠纷', received: 6, resolved: 2 })]);
    expect(stats.byMediator).toEqual([expect.objectContaining({ label: '沈国华', accepted: 4, agreed: 2, failed: 2, successRate: 0.5 })]);
    expect(stats.bySource).toEqual([expect.objectContaining({ key: 'application', label: '当事人申请', received: 6 })]);
  });

  it('moves when a case moves: a pending agreement is resolved, its breach takes it out again', async () => {
    const before = (await fx.call('demo-secretary-1', 'GET', `/stats/disputes?${query}`)).body as DisputeStats;
    const d = await fx.caseIn('agreed');
    const after = (await fx.call('demo-secretary-1', 'GET', `/stats/disputes?${query}`)).body as DisputeStats;
    expect(after.received - before.received).toBe(1);
    expect(after.resolved - before.resolved).toBe(1);
    await fx.must('demo-mediator-1', d.id, 'breach', { note: '到期未履行' });
    const breached = (await fx.call('demo-secretary-1', 'GET', `/stats/disputes?${query}`)).body as DisputeStats;
    expect(breached.resolved).toBe(before.resolved);
    expect(breached.agreed - before.agreed).toBe(1);
  });

  it('is for the secretaries and admins over the node', async () => {
    expect((await fx.call('demo-admin', 'GET', `/stats/disputes?${query}`)).status).toBe(200);
    expectError(await fx.call('demo-gridworker-1', 'GET', `/stats/disputes?${query}`), 403, 'FORBIDDEN');
    expectError(await fx.call('demo-mediator-1', 'GET', `/stats/disputes?${query}`), 403, 'FORBIDDEN');
    expectError(await fx.call('demo-resident-1', 'GET', `/stats/disputes?${query}`), 403, 'FORBIDDEN');
    expectError(await fx.call('demo-secretary-1', 'GET', `/stats/disputes?nodeId=999999&${query}`), 404, 'NOT_FOUND');
    const street = (await fx.call('demo-admin', 'GET', '/me')).body.scopes[0].nodeId;
    expectError(await fx.call('demo-secretary-1', 'GET', `/stats/disputes?nodeId=${street}&${query}`), 403, 'FORBIDDEN');
  });

  it('exports the figures and the ledger as .xlsx, without phone numbers', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/stats/disputes.xlsx?${query}`, { headers: { authorization: `Bearer ${fx.tokens['demo-secretary-1']}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const summary = workbook.getWorksheet('调处统计')!;
    expect(summary.getRow(1).values).toEqual(expect.arrayContaining(['分组', '调解成功率', '化解率']));
    expect(summary.getRow(2).getCell(1).value).toBe('桂花社区合计');
    const ledger = workbook.getWorksheet('调解台账')!;
    expect(ledger.rowCount - 1).toBeGreaterThanOrEqual(7);
    const cells = JSON.stringify(ledger.getSheetValues());
    expect(cells).toContain('速裁已判');
    expect(cells).not.toMatch(/1[3-9]\d{9}/);
  });
});
