import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPage, PointsMe, TimebankClaim, TimebankMe, TimebankTaskDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { AuditEntry } from '../audit/audit-entry.entity';
import { User } from '../identity/user.entity';
import { COMMUNITY, ledgerProblems, makeUsers, nodeId } from '../ledger/test-support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PLACE = { lat: 30.279, lng: 120.1495, address: '1号楼下' };
const NEAR = { lat: 30.2791, lng: 120.1496 };
/** About a kilometre north of the place. */
const FAR = { lat: 30.288, lng: 120.1495 };

/**
 * Time-bank attendance (issue 13, item 10): check-in opens TIMEBANK_CHECK_IN_OPENS_MINUTES before the
 * start (15 here) and closes at the end; the hours credited are the time attended within the task's
 * window, to 0.1 h, at most the task's hours; the confirmer sees it with flags and may credit other
 * hours with a reason, which is logged; the volunteer is told what was credited.
 */
describe('time-bank attendance', () => {
  let server: TestServer;
  let clock = Date.now();
  let secretary: string;
  let secretaryId: number;
  let volunteers: { id: number; token: string }[];
  let start = 0;

  const call = <T = any>(method: string, path: string, token: string, body?: unknown) => server.call<T>(method, path, { token, body });
  const act = (token: string, claimId: number, action: string, body: Record<string, unknown> = {}) => call<TimebankClaim>('POST', `/timebank/claims/${claimId}/${action}`, token, body);
  const points = async (token: string) => (await call<PointsMe>('GET', '/points/me', token)).body.balance;
  const hours = async (token: string) => (await call<TimebankMe>('GET', '/timebank/me', token)).body.balanceHours;
  const claimOf = async (taskId: number, claimId: number) => (await call<TimebankTaskDetail>('GET', `/timebank/tasks/${taskId}`, secretary)).body.claims.find((c) => c.id === claimId)!;

  /** A 2-hour community task starting in an hour, with a place; `who` claim it. Returns the task and the claims. */
  async function task(who: { token: string }[], body: Record<string, unknown> = {}) {
    start = clock + HOUR;
    const posted = await call<TimebankTaskDetail>('POST', '/timebank/tasks', secretary, {
      title: '社区图书角整理',
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + 2 * HOUR).toISOString(),
      hours: 2,
      capacity: who.length,
      location: PLACE,
      ...body,
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const claims: number[] = [];
    for (const v of who) claims.push((await call<TimebankClaim>('POST', `/timebank/tasks/${posted.body.id}/claim`, v.token)).body.id);
    return { task: posted.body, claims };
  }
  const setClock = (at: number) => {
    clock = at;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { TIMEBANK_CHECK_IN_OPENS_MINUTES: '15' }, deps: { now: () => clock } });
    secretary = await server.login('demo-secretary-1');
    secretaryId = (await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' })).id;
    volunteers = await makeUsers(server, 'attendee', 4, { role: { role: 'volunteer', nodeId: await nodeId(server.dataSource, COMMUNITY) } });
  });
  afterAll(async () => {
    expect(await ledgerProblems(server.dataSource)).toEqual([]);
    await server.close();
  });

  it('when a volunteer checks in and out in the same minute, nine minutes before the start, then the confirmer sees 0 hours attended, flagged, and confirming without hours is refused', async () => {
    const [v] = volunteers;
    const { task: t, claims: [claimId] } = await task([v]);
    setClock(start - 9 * MINUTE);
    expect((await act(v.token, claimId, 'check-in', { location: NEAR })).status).toBe(200);
    setClock(clock + 20_000);
    expect((await act(v.token, claimId, 'check-out', { location: NEAR })).status).toBe(200);
    setClock(start + 3 * HOUR);

    const seen = await claimOf(t.id, claimId);
    expect(seen).toMatchObject({ status: 'checked_out', hours: 2, attendedHours: 0, creditedHours: null, actions: ['confirm', 'no_show'] });
    // The secretary's list says a claim waits; the volunteer is not told such counts.
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${t.id}`, secretary)).body.toConfirm).toBe(1);
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${t.id}`, v.token)).body.toConfirm).toBeNull();
    expect(seen.flags).toContain('short');
    const before = { hours: await hours(v.token), points: await points(v.token) };
    const refused = expectError(await act(secretary, claimId, 'confirm', {}), 400, 'VALIDATION_FAILED');
    expect(refused.details.map((d) => d.path)).toEqual(['body.hours']);
    expect({ hours: await hours(v.token), points: await points(v.token) }).toEqual(before);
  });

  it('when the confirmer credits other hours than attended, then a reason is required; with one, those hours and their points are credited, logged as a claim event and in the audit log, and the volunteer is told', async () => {
    const [v] = volunteers;
    const { task: t, claims: [claimId] } = await task([v]);
    setClock(start - 9 * MINUTE);
    await act(v.token, claimId, 'check-in', { location: NEAR });
    await act(v.token, claimId, 'check-out', { location: NEAR });
    setClock(start + 3 * HOUR);
    const before = { hours: await hours(v.token), points: await points(v.token) };

    expect(expectError(await act(secretary, claimId, 'confirm', { hours: 1.5 }), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['body.reason']);
    expect(expectError(await act(secretary, claimId, 'confirm', { hours: 2.5, reason: '多算一点' }), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['body.hours']);
    expectError(await act(secretary, claimId, 'confirm', { hours: 1.25, reason: '现场核实' }), 400, 'VALIDATION_FAILED');
    const reason = '现场核实：志愿者到岗服务，签到签退时点错了';
    const confirmed = await act(secretary, claimId, 'confirm', { hours: 1.5, reason });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', attendedHours: 0, creditedHours: 1.5, adjustReason: reason });
    expect(await hours(v.token)).toBe(before.hours + 1.5);
    expect(await points(v.token)).toBe(before.points + 15);

    // The claim's own events (timebank_claim_events: append-only, like a report's).
    const events: { action: string; fromStatus: string | null; toStatus: string; actorId: number | null; minutes: number | null; attendedMinutes: number | null; note: string | null }[] =
      await server.dataSource.query('SELECT action, fromStatus, toStatus, actorId, minutes, attendedMinutes, note FROM timebank_claim_events WHERE claimId = ? ORDER BY id', [claimId]);
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['claim', null, 'claimed'],
      ['check_in', 'claimed', 'checked_in'],
      ['check_out', 'checked_in', 'checked_out'],
      ['confirm', 'checked_out', 'confirmed'],
    ]);
    expect(events[3]).toMatchObject({ actorId: secretaryId, minutes: 90, attendedMinutes: 0, note: reason });

    const audit = await server.dataSource.getRepository(AuditEntry).find({ where: { actorId: secretaryId, path: `/api/v1/timebank/claims/${claimId}/confirm` }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.status)).toEqual([400, 400, 400, 200]);
    expect(JSON.parse(audit[3].detail!)).toEqual({ claimId, volunteerId: v.id, attendedHours: 0, creditedHours: 1.5, reason, points: 15 });

    const inbox = (await call<NotificationPage>('GET', '/notifications', v.token)).body.items;
    expect(inbox[0]).toMatchObject({ kind: 'timebank.confirmed', link: `/packages/timebank/task/index?id=${t.id}` });
    expect(inbox[0].body).toContain('1.5 小时');
    expect(inbox[0].body).toContain('15 积分');
    expect(inbox[0].body).toContain(reason);
  });

  it('when a volunteer attends part of the task, then the attended time within the window is credited, to 0.1 h, and what was not credited goes back when the task ends', async () => {
    const [a, b] = volunteers;
    const { task: t, claims: [early, late] } = await task([a, b]);
    setClock(start - 10 * MINUTE);
    await act(a.token, early, 'check-in', { location: NEAR });
    setClock(start + 77 * MINUTE);
    await act(a.token, early, 'check-out', { location: NEAR });
    setClock(start + 30 * MINUTE + 20_000);
    await act(b.token, late, 'check-in', { location: NEAR });
    setClock(start + 3 * HOUR);
    await act(b.token, late, 'check-out', { location: NEAR });

    // 10 minutes before the start do not count: 77 minutes, 1.3 h. The second: 30 minutes into the task until its end, 1.5 h.
    expect(await claimOf(t.id, early)).toMatchObject({ attendedHours: 1.3, flags: [] });
    expect(await claimOf(t.id, late)).toMatchObject({ attendedHours: 1.5, flags: [] });
    const before = { a: await hours(a.token), pa: await points(a.token), b: await hours(b.token) };
    const first = await act(secretary, early, 'confirm', {});
    expect(first.body).toMatchObject({ status: 'confirmed', creditedHours: 1.3, adjustReason: null });
    // The same hours as attended need no reason.
    expect((await act(secretary, late, 'confirm', { hours: 1.5 })).body).toMatchObject({ creditedHours: 1.5, adjustReason: null });
    expect(await hours(a.token)).toBeCloseTo(before.a + 1.3, 6);
    expect(await points(a.token)).toBe(before.pa + 13);
    expect(await hours(b.token)).toBe(before.b + 1.5);

    await server.app.timebank.releaseEndedTasks(new Date(clock));
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${t.id}`, secretary)).body).toMatchObject({ status: 'ended', heldHours: 0 });
  });

  it("when a task's hours are longer than its start-to-end window, then 400 on body.hours (they could never be attended)", async () => {
    const refused = await call('POST', '/timebank/tasks', secretary, { title: '半小时的两小时任务', startAt: new Date(clock + HOUR).toISOString(), endAt: new Date(clock + 1.5 * HOUR).toISOString(), hours: 2, capacity: 1 });
    expect(expectError(refused, 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['body.hours']);
  });

  it('when check-in is asked earlier than TIMEBANK_CHECK_IN_OPENS_MINUTES before the start, or after the end, then 409; the task says when it opens', async () => {
    const [a, b] = volunteers;
    const { task: t, claims: [first, second] } = await task([a, b]);
    expect(t.checkInOpensAt).toBe(new Date(start - 15 * MINUTE).toISOString());
    setClock(start - 16 * MINUTE);
    expect(expectError(await act(a.token, first, 'check-in'), 409, 'CONFLICT').message).toContain('15 分钟');
    setClock(start - 15 * MINUTE);
    expect((await act(a.token, first, 'check-in')).status).toBe(200);
    setClock(start + 2 * HOUR + MINUTE);
    expectError(await act(b.token, second, 'check-in'), 409, 'CONFLICT');
    await act(secretary, second, 'no-show');
    await act(a.token, first, 'check-out');
    await act(secretary, first, 'confirm');
  });

  it('when check-in is far from the place and check-out carries no location, or there is no check-out, then the claim is flagged', async () => {
    const [a, b] = volunteers;
    const { task: t, claims: [far, open] } = await task([a, b]);
    setClock(start);
    await act(a.token, far, 'check-in', { location: FAR });
    await act(b.token, open, 'check-in', { location: NEAR });
    setClock(start + 2 * HOUR);
    await act(a.token, far, 'check-out', {});

    const farClaim = await claimOf(t.id, far);
    expect(farClaim).toMatchObject({ attendedHours: 2, checkOutDistanceMeters: null });
    expect(farClaim.checkInDistanceMeters).toBeGreaterThan(900);
    expect([...farClaim.flags].sort()).toEqual(['far', 'no_location']);
    const openClaim = await claimOf(t.id, open);
    expect(openClaim).toMatchObject({ status: 'checked_in', attendedHours: null, flags: ['not_checked_out'] });
    expect(openClaim.checkInDistanceMeters).toBeLessThan(50);
    // Without a check-out there is no attended time: the confirmer says how many hours, and why.
    expectError(await act(secretary, open, 'confirm', {}), 400, 'VALIDATION_FAILED');
    expect((await act(secretary, open, 'confirm', { hours: 2, reason: '忘记签退，现场核实全程在岗' })).body).toMatchObject({ creditedHours: 2 });
    expect((await act(secretary, far, 'confirm', { hours: 2 })).body.creditedHours).toBe(2);
  });

  it('when nobody confirms within a week of the end, then a checked-out claim is credited its attended time and a claim never checked out is a no-show; each volunteer is told', async () => {
    const [a, b] = volunteers;
    const { task: t, claims: [out, stuck] } = await task([a, b]);
    setClock(start);
    await act(a.token, out, 'check-in');
    await act(b.token, stuck, 'check-in');
    setClock(start + HOUR);
    await act(a.token, out, 'check-out');
    const before = { a: await hours(a.token), b: await hours(b.token) };
    setClock(start + 8 * 24 * HOUR);
    await server.app.timebank.releaseEndedTasks(new Date(clock));
    secretary = (await server.app.tokens.issue(secretaryId)).token;
    for (const v of volunteers) v.token = (await server.app.tokens.issue(v.id)).token;

    expect(await claimOf(t.id, out)).toMatchObject({ status: 'confirmed', creditedHours: 1 });
    expect(await claimOf(t.id, stuck)).toMatchObject({ status: 'no_show', creditedHours: null });
    expect(await hours(a.token)).toBe(before.a + 1);
    expect(await hours(b.token)).toBe(before.b);
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${t.id}`, secretary)).body.heldHours).toBe(0);
    expect((await call<NotificationPage>('GET', '/notifications', a.token)).body.items[0]).toMatchObject({ kind: 'timebank.confirmed' });
    expect((await call<NotificationPage>('GET', '/notifications', b.token)).body.items[0]).toMatchObject({ kind: 'timebank.no_show' });
  });
});
