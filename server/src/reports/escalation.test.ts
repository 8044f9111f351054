import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { openTestDatabase, startTestServer, type TestServer } from '../../test/harness';
import { Notification } from '../notifications/notification.entity';
import { User } from '../identity/user.entity';
import { ReportEventRow } from './report-event.entity';
import { Report } from './report.entity';
import { bundledScript } from '../../test/script-bundle';

const HOUR = 3600_000;
const SPOT = { lat: 30.279, lng: 120.1495 };

async function fileAndAccept(server: TestServer, resident: string, worker: string): Promise<ReportDetail> {
  const filed = await server.call<ReportDetail>('POST', '/reports', {
    token: await server.login(resident),
    body: { categoryCode: 'safety', description: '消防通道被杂物堵住了', location: SPOT },
    headers: { 'idempotency-key': randomUUID() },
  });
  const accepted = await server.call<ReportDetail>('POST', `/reports/${filed.body.id}/accept`, {
    token: await server.login(worker),
    body: { priority: 'urgent', handlingMethod: 'on_site' },
  });
  expect(accepted.status).toBe(200);
  return accepted.body;
}

describe('the report sweeper (escalation and auto-close)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('supervises an overdue report once per period, one grid level further up each time', async () => {
    const report = await fileAndAccept(server, 'demo-resident-1', 'demo-gridworker-1');
    const due = Date.parse(report.dueAt!);
    const { sweeper } = server.app;
    expect((await sweeper.sweep(new Date(due - 1000))).escalated).toBe(0);

    // Two sweeps at once (as two instances would run them): the report is escalated once.
    const [a, b] = await Promise.all([sweeper.sweep(new Date(due + 1000)), sweeper.sweep(new Date(due + 1000))]);
    const row = await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id });
    expect(row.escalationLevel).toBe(1);
    expect(a.escalated + b.escalated).toBeGreaterThanOrEqual(1);
    expect(await server.dataSource.getRepository(ReportEventRow).countBy({ reportId: report.id, action: 'auto_supervise' })).toBe(1);

    // Within the same period: nothing more. After it: level 2, reported to the community.
    expect((await sweeper.sweep(new Date(due + 2 * HOUR))).escalated).toBe(0);
    await sweeper.sweep(new Date(due + 25 * HOUR));
    const second = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: await server.login('demo-gridworker-1') });
    expect(second.body.escalationLevel).toBe(2);
    const notes = second.body.events.filter((e) => e.action === 'auto_supervise').map((e) => e.note);
    expect(notes).toEqual([expect.stringContaining('桂花社区第一网格'), expect.stringContaining('桂花社区')]);
    expect(second.body.events.filter((e) => e.action === 'auto_supervise').every((e) => e.actor === null)).toBe(true);
    // Level 2 is the community: its secretary hears of it.
    const secretary = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' });
    const told = await server.dataSource.getRepository(Notification).findBy({ userId: secretary.id, kind: 'report.escalated' });
    expect(told.some((n) => n.link?.endsWith(`id=${report.id}`))).toBe(true);
  });

  it('a report handled in time is never escalated', async () => {
    const report = await fileAndAccept(server, 'demo-resident-2', 'demo-gridworker-1');
    const worker = await server.login('demo-gridworker-1');
    const me = (await server.call('GET', '/me', { token: worker })).body;
    await server.call('POST', `/reports/${report.id}/dispatch`, { token: worker, body: { assigneeId: me.id } });
    await server.call('POST', `/reports/${report.id}/start`, { token: worker, body: {} });
    await server.call('POST', `/reports/${report.id}/resolve`, { token: worker, body: { result: '已清理通道' } });
    await server.app.sweeper.sweep(new Date(Date.parse(report.dueAt!) + 10 * HOUR));
    expect((await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id })).escalationLevel).toBe(0);
  });

  it('a resolved report nobody rated closes itself after 7 days, once', async () => {
    const report = await fileAndAccept(server, 'demo-resident-3', 'demo-gridworker-1');
    const worker = await server.login('demo-gridworker-1');
    const me = (await server.call('GET', '/me', { token: worker })).body;
    await server.call('POST', `/reports/${report.id}/dispatch`, { token: worker, body: { assigneeId: me.id } });
    await server.call('POST', `/reports/${report.id}/start`, { token: worker, body: {} });
    await server.call('POST', `/reports/${report.id}/resolve`, { token: worker, body: { result: '已清理通道' } });
    const resolvedAt = (await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id })).resolvedAt!;
    const { sweeper } = server.app;
    expect((await sweeper.autoClose(new Date(new Date(resolvedAt).getTime() + 6 * 24 * HOUR)))).toBe(0);
    const [x, y] = await Promise.all([
      sweeper.autoClose(new Date(new Date(resolvedAt).getTime() + 7 * 24 * HOUR + 1000)),
      sweeper.autoClose(new Date(new Date(resolvedAt).getTime() + 7 * 24 * HOUR + 1000)),
    ]);
    // Other resolved reports of this file close too; this one closes once, by one of the two sweeps.
    expect(x + y).toBeGreaterThanOrEqual(1);
    expect(await server.dataSource.getRepository(ReportEventRow).countBy({ reportId: report.id, action: 'auto_close' })).toBe(1);
    const detail = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: worker });
    expect(detail.body.status).toBe('closed');
    expect(detail.body.events.at(-1)).toMatchObject({ action: 'auto_close', actor: null, fromStatus: 'resolved', toStatus: 'closed' });
  });
});

const run = promisify(execFile);

describe.skipIf(!process.env.TEST_DATABASE_URL)('escalation in two server processes at once (MySQL/MariaDB)', () => {
  it('each overdue report is escalated exactly once per period', async () => {
    const database = await openTestDatabase();
    const server = await startTestServer({ database });
    try {
      const reports: ReportDetail[] = [];
      for (let i = 0; i < 12; i++) reports.push(await fileAndAccept(server, `demo-resident-${(i % 6) + 1}`, 'demo-gridworker-1'));
      const latestDue = Math.max(...reports.map((r) => Date.parse(r.dueAt!)));
      const now = new Date(latestDue + 1000).toISOString();
      const script = await bundledScript(path.resolve(__dirname, '../../test/sweep-once.ts'));
      const node = process.execPath;
      const [one, two] = await Promise.all([run(node, [script, database.url!, now]), run(node, [script, database.url!, now])]);
      const results = [JSON.parse(one.stdout), JSON.parse(two.stdout)];
      expect(results[0].escalated + results[1].escalated).toBe(12);
      const rows = await server.dataSource.getRepository(Report).findBy({});
      for (const report of reports) {
        expect(rows.find((r) => r.id === report.id)!.escalationLevel).toBe(1);
        expect(await server.dataSource.getRepository(ReportEventRow).countBy({ reportId: report.id, action: 'auto_supervise' })).toBe(1);
      }
      // Both processes again within the period: nothing.
      const again = await Promise.all([run(node, [script, database.url!, now]), run(node, [script, database.url!, now])]);
      expect(again.map((r) => JSON.parse(r.stdout).escalated)).toEqual([0, 0]);
    } finally {
      await server.close();
      await database.drop();
    }
  }, 60_000);
});
