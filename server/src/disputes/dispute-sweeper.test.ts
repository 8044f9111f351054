import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisputeDetail } from '@linli/shared';
import { openTestDatabase, startTestServer, type TestServer } from '../../test/harness';
import { Notification } from '../notifications/notification.entity';
import { Dispute, DisputeEventRow } from './dispute.entities';
import { DisputeFixture } from './test-support';
import { bundledScript } from '../../test/script-bundle';

const DAY = 24 * 3600_000;

describe('the dispute sweeper: due reminders, escalation, the judicial-confirmation reminder', () => {
  let server: TestServer;
  let fx: DisputeFixture;
  const events = (id: number, action: string) => server.dataSource.getRepository(DisputeEventRow).countBy({ disputeId: id, action: action as never });

  beforeAll(async () => {
    server = await startTestServer();
    fx = new DisputeFixture(server);
    await fx.login('demo-resident-1', 'demo-mediator-1', 'demo-secretary-1', 'demo-admin');
  });
  afterAll(() => server.close());

  it('reminds the mediator 5 days before the due time, once, even with two sweeps at once; an extension brings a new reminder', async () => {
    const d = await fx.caseIn('mediating');
    const due = Date.parse(d.dueAt!);
    const sweeper = server.app.disputeSweeper;
    expect((await sweeper.remindDue(new Date(due - 6 * DAY))) >= 0).toBe(true);
    expect(await events(d.id, 'remind')).toBe(0);
    const [a, b] = await Promise.all([sweeper.sweep(new Date(due - 4 * DAY)), sweeper.sweep(new Date(due - 4 * DAY))]);
    expect(a.reminded + b.reminded).toBeGreaterThanOrEqual(1);
    expect(await events(d.id, 'remind')).toBe(1);
    await sweeper.sweep(new Date(due - 3 * DAY));
    expect(await events(d.id, 'remind')).toBe(1);
    const told = await server.dataSource.getRepository(Notification).findBy({ userId: fx.userIds['demo-mediator-1'], kind: 'dispute.remind' });
    expect(told.some((n) => n.link?.endsWith(`id=${d.id}`))).toBe(true);
    // The case changed (a reminder is a step): an action with the old version is stale.
    const current = (await fx.call('demo-mediator-1', 'GET', `/disputes/${d.id}`)).body as DisputeDetail;
    expect(current.version).toBe(d.version + 1);
    const extended = await fx.must('demo-mediator-1', d.id, 'extend', { reason: '双方同意延长' });
    await sweeper.sweep(new Date(Date.parse(extended.dueAt!) - 4 * DAY));
    expect(await events(d.id, 'remind')).toBe(2);
  });

  it('escalates an overdue case once per period, from the community up to the street, with two sweeps at once', async () => {
    const d = await fx.caseIn('accepted');
    const due = Date.parse(d.dueAt!);
    const sweeper = server.app.disputeSweeper;
    expect((await sweeper.escalateOverdue(new Date(due - 1000))) >= 0).toBe(true);
    expect(await events(d.id, 'escalate')).toBe(0);
    await Promise.all([sweeper.sweep(new Date(due + 1000)), sweeper.sweep(new Date(due + 1000))]);
    expect((await server.dataSource.getRepository(Dispute).findOneByOrFail({ id: d.id })).escalationLevel).toBe(1);
    expect(await events(d.id, 'escalate')).toBe(1);
    await sweeper.sweep(new Date(due + 2 * 3600_000));
    expect(await events(d.id, 'escalate')).toBe(1);
    await sweeper.sweep(new Date(due + 25 * 3600_000));
    const detail = (await fx.call('demo-secretary-1', 'GET', `/disputes/${d.id}`)).body as DisputeDetail;
    expect(detail.escalationLevel).toBe(2);
    expect(detail.events.filter((e) => e.action === 'escalate').map((e) => [e.actor, e.note])).toEqual([
      [null, expect.stringContaining('已报 桂花社区')],
      [null, expect.stringContaining('已报 锦华街道')],
    ]);
    const secretaryTold = await server.dataSource.getRepository(Notification).findBy({ userId: fx.userIds['demo-secretary-1'], kind: 'dispute.escalate' });
    expect(secretaryTold.some((n) => n.link?.endsWith(`id=${d.id}`))).toBe(true);
  });

  it('a case that reached an agreement in time is never escalated', async () => {
    const d = await fx.caseIn('agreed');
    await server.app.disputeSweeper.sweep(new Date(Date.now() + 40 * DAY));
    expect(await events(d.id, 'escalate')).toBe(0);
  });

  it('reminds of judicial confirmation when 7 days of the 30 are left, once, only for a written agreement nobody applied for', async () => {
    const written = await fx.caseIn('agreed');
    const oral = await fx.caseIn('agreed', { form: 'oral' });
    const applied = await fx.caseIn('agreed');
    await fx.must('demo-mediator-1', applied.id, 'confirmation', { status: 'applied', court: '青溪区人民法院' });
    const agreedAt = Date.parse(written.agreement!.agreedAt);
    const sweeper = server.app.disputeSweeper;
    await sweeper.remindConfirmation(new Date(agreedAt + 22 * DAY));
    expect(await events(written.id, 'confirmation_remind')).toBe(0);
    await Promise.all([sweeper.remindConfirmation(new Date(agreedAt + 24 * DAY)), sweeper.remindConfirmation(new Date(agreedAt + 24 * DAY))]);
    expect(await events(written.id, 'confirmation_remind')).toBe(1);
    await sweeper.remindConfirmation(new Date(agreedAt + 26 * DAY));
    expect(await events(written.id, 'confirmation_remind')).toBe(1);
    expect(await events(oral.id, 'confirmation_remind')).toBe(0);
    expect(await events(applied.id, 'confirmation_remind')).toBe(0);
    // The applicant hears of it too.
    const told = await server.dataSource.getRepository(Notification).findBy({ userId: fx.userIds['demo-resident-1'], kind: 'dispute.confirmation_remind' });
    expect(told.some((n) => n.link?.endsWith(`id=${written.id}`))).toBe(true);
    // Past the window: too late to remind.
    const late = await fx.caseIn('agreed');
    await sweeper.remindConfirmation(new Date(Date.parse(late.agreement!.agreedAt) + 31 * DAY));
    expect(await events(late.id, 'confirmation_remind')).toBe(0);
  });
});

const run = promisify(execFile);

describe.skipIf(!process.env.TEST_DATABASE_URL)('the dispute sweeper in two server processes at once (MySQL/MariaDB)', () => {
  it('each overdue case is escalated, and each reminded, exactly once', async () => {
    const database = await openTestDatabase();
    const server = await startTestServer({ database });
    try {
      const fx = new DisputeFixture(server);
      await fx.login('demo-resident-1', 'demo-mediator-1', 'demo-secretary-1');
      const cases: DisputeDetail[] = [];
      for (let i = 0; i < 8; i++) cases.push(await fx.caseIn(i % 2 ? 'accepted' : 'mediating'));
      const now = new Date(Math.max(...cases.map((c) => Date.parse(c.dueAt!))) + 1000).toISOString();
      const script = await bundledScript(path.resolve(__dirname, '../../test/sweep-once.ts'));
      const node = process.execPath;
      const results = (await Promise.all([run(node, [script, database.url!, now, 'disputes']), run(node, [script, database.url!, now, 'disputes'])])).map((r) => JSON.parse(r.stdout));
      // The 8 cases and the demo community's case under mediation.
      expect(results[0].escalated + results[1].escalated).toBe(cases.length + 1);
      for (const c of cases) {
        expect((await server.dataSource.getRepository(Dispute).findOneByOrFail({ id: c.id })).escalationLevel).toBe(1);
        expect(await server.dataSource.getRepository(DisputeEventRow).countBy({ disputeId: c.id, action: 'escalate' })).toBe(1);
      }
      const again = await Promise.all([run(node, [script, database.url!, now, 'disputes']), run(node, [script, database.url!, now, 'disputes'])]);
      expect(again.map((r) => JSON.parse(r.stdout).escalated)).toEqual([0, 0]);
    } finally {
      await server.close();
      await database.drop();
    }
  }, 120_000);
});
