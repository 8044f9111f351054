import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierLeaks } from '@linli/shared';
import { ConsultationEventRow } from '../src/consultations/consultation.entities';
import { GridNode } from '../src/grids/grid-node.entity';
import { Notification } from '../src/notifications/notification.entity';
import { ReportEventRow } from '../src/reports/report-event.entity';
import { startTestServer, type TestServer } from './harness';

/*
 * No identifier reaches a person (issue 16): residents read "表决结果：passed" and "表决规则：civil_code_general"
 * in their inbox. Here the app's steps that write notices and timeline lines are walked once each — the
 * report loop with a reopening, rejection and supervision, a consultation from proposal to a decided vote
 * under each rule, a help request declined, a notice posted — and every inbox line and timeline note
 * written is read back: none may carry an identifier-like word (IDENTIFIER_LIKE in shared/plain-chinese.ts).
 */
describe('plain Chinese in every notice and timeline line', () => {
  let server: TestServer;
  const token: Record<string, string> = {};
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const result = await server.call(method, path, { token: token[who], body: body ?? (method === 'GET' ? undefined : {}), headers: { 'idempotency-key': randomUUID() } });
    if (result.status >= 300) throw new Error(`${who} ${method} ${path} → ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  };

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-gridworker-1', 'demo-secretary-1']) token[who] = await server.login(who);
  });
  afterAll(() => server.close());

  async function reportLoop() {
    const filed = async () => call('demo-resident-1', 'POST', '/reports', { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: { lat: 30.279, lng: 120.1495 } });
    const report = await filed();
    const worker = await call('demo-gridworker-1', 'GET', '/me');
    await call('demo-gridworker-1', 'POST', `/reports/${report.id}/accept`, { priority: 'high', handlingMethod: 'on_site' });
    await call('demo-secretary-1', 'POST', `/reports/${report.id}/supervise`, { note: '请尽快处理' });
    await call('demo-gridworker-1', 'POST', `/reports/${report.id}/dispatch`, { assigneeId: worker.id });
    await call('demo-gridworker-1', 'POST', `/reports/${report.id}/start`);
    await call('demo-gridworker-1', 'POST', `/reports/${report.id}/resolve`, { result: '已清理' });
    await call('demo-resident-1', 'POST', `/reports/${report.id}/rate`, { score: 1, comment: '没清干净' });
    await call('demo-gridworker-1', 'POST', `/reports/${report.id}/resolve`, { result: '再次清理' });
    await call('demo-resident-1', 'POST', `/reports/${report.id}/rate`, { score: 4 });
    await call('demo-gridworker-1', 'POST', `/reports/${report.id}/feedback`, { method: 'visit', note: '上门回访' });
    const rejected = await filed();
    await call('demo-gridworker-1', 'POST', `/reports/${rejected.id}/reject`, { reason: '不属于本社区事务' });
  }

  const RULES = ['simple', 'civil_code_general', 'civil_code_major'];
  async function consultationDecided(rule: string) {
    const c = await call('demo-resident-1', 'POST', '/consultations', { title: `楼道加装声控灯（${['一', '二', '三'][RULES.indexOf(rule)]}）`, description: '楼道晚上太黑，老人上下楼不安全，建议加装声控灯。' });
    await call('demo-resident-2', 'POST', `/consultations/${c.id}/cosign`);
    await call('demo-resident-3', 'POST', `/consultations/${c.id}/cosign`);
    const approved = await call('demo-secretary-1', 'POST', `/consultations/${c.id}/approve`, { votingEndsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), rule });
    await call('demo-resident-1', 'POST', `/consultations/${c.id}/votes`, { optionId: approved.options[0].id });
    await call('demo-secretary-1', 'POST', `/consultations/${c.id}/close`);
  }

  it('walks the steps that notify, then finds no identifier in any inbox line or timeline note', async () => {
    await reportLoop();
    // civil_code_* needs every flat's area; the demo building has them (the lines came from these rules).
    for (const rule of RULES) await consultationDecided(rule);
    const community = await server.dataSource.getRepository(GridNode).findOneByOrFail({ level: 'community' });
    await call('demo-secretary-1', 'POST', '/announcements', { nodeId: community.id, title: '停水通知', body: '明天上午检修水管，请提前储水。' });
    const help = await call('demo-resident-1', 'POST', '/timebank/tasks', {
      title: '帮忙买药',
      startAt: new Date(Date.now() + 86_400_000).toISOString(),
      endAt: new Date(Date.now() + 90_000_000).toISOString(),
      hours: 1,
      capacity: 1,
      requestFunding: true,
    });
    await call('demo-secretary-1', 'POST', `/timebank/tasks/${help.id}/decline`, { reason: '请联系社区卫生服务站' });

    const lines = await server.dataSource.getRepository(Notification).find();
    const kinds = new Set(lines.map((n) => n.kind));
    for (const kind of ['report.resolve', 'report.rate', 'report.supervise', 'report.reject', 'consultation.decided', 'consultation.discussing', 'announcement.posted', 'timebank.help_declined']) {
      expect(kinds, `a ${kind} notice was written`).toContain(kind);
    }
    const leaks = lines.flatMap((n) => identifierLeaks(`${n.title} ${n.body}`).map((word) => `${n.kind}: “${n.title} / ${n.body}” has ${word}`));
    expect(leaks).toEqual([]);

    const notes = [
      ...(await server.dataSource.getRepository(ReportEventRow).find()).map((e) => e.note ?? ''),
      ...(await server.dataSource.getRepository(ConsultationEventRow).find()).map((e) => e.note ?? ''),
    ];
    expect(notes.some((n) => n.startsWith('表决结果：'))).toBe(true);
    expect(notes.flatMap((n) => identifierLeaks(n).map((word) => `“${n}” has ${word}`))).toEqual([]);
  });
});
