import { IsNull, Not } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PointsMe, TimebankClaim, TimebankMe, TimebankTask, TimebankTaskDetail, VolunteerApplication } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { COMMUNITY, GRID2, ledgerProblems, makeUsers, nodeId } from '../ledger/test-support';

const HOUR = 3600_000;

describe('time bank over HTTP', () => {
  let server: TestServer;
  let clock = Date.now();
  const at = (hours: number) => new Date(clock + hours * HOUR).toISOString();
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  const call = async <T = any>(method: string, path: string, who: string, body?: unknown) =>
    server.call<T>(method, path, { token: who.startsWith('ey') ? who : await as(who), body });
  const hours = async (who: string) => (await call<TimebankMe>('GET', '/timebank/me', who)).body.balanceHours;
  const post = (who: string, body: Record<string, unknown>) =>
    call<TimebankTaskDetail>('POST', '/timebank/tasks', who, { title: '帮忙搬运物资', description: '社区服务站物资整理', startAt: at(2), endAt: at(4), hours: 2, capacity: 2, ...body });
  const claimAct = (who: string, id: number, action: string, body: Record<string, unknown> = {}) => call<TimebankClaim>('POST', `/timebank/claims/${id}/${action}`, who, body);
  let grid2Secretary: string;
  let volunteers: { id: number; token: string }[];
  let freeHouseholds: number[];

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => clock } });
    const ds = server.dataSource;
    [{ token: grid2Secretary }] = await makeUsers(server, 'g2-secretary', 1, { role: { role: 'secretary', nodeId: await nodeId(ds, GRID2) } });
    volunteers = await makeUsers(server, 'volunteer', 3, { role: { role: 'volunteer', nodeId: await nodeId(ds, COMMUNITY) } });
    // Flats where no app user lives yet (the ledger's people have no WeChat).
    const taken = new Set((await ds.getRepository(User).find({ where: { openid: Not(IsNull()) } })).map((u) => u.householdId));
    const building1 = await ds.getRepository(Building).findOneByOrFail({ name: '1号楼' });
    freeHouseholds = (await ds.getRepository(Household).find({ where: { buildingId: building1.id }, order: { id: 'ASC' } })).filter((h) => !taken.has(h.id)).map((h) => h.id);
  });
  afterAll(async () => {
    expect(await ledgerProblems(server.dataSource)).toEqual([]);
    await server.close();
  });

  it('a resident applies to volunteer; the secretary of the community approves once and the role is held on the community', async () => {
    const [applicant] = await makeUsers(server, 'applicant', 1, { householdIds: [freeHouseholds[0]] });
    const applied = await call<VolunteerApplication>('POST', '/timebank/volunteers', applicant.token, { note: '退休教师，周末有空' });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ userId: applicant.id, status: 'pending', note: '退休教师，周末有空' });
    expectError(await call('POST', '/timebank/volunteers', applicant.token, {}), 409, 'CONFLICT');
    const queue = await call<{ items: VolunteerApplication[] }>('GET', '/timebank/volunteers', 'demo-secretary-1');
    expect(queue.body.items.map((a) => a.userId)).toContain(applicant.id);
    expectError(await call('GET', '/timebank/volunteers', 'demo-resident-1'), 403, 'FORBIDDEN');
    expectError(await call('POST', `/timebank/volunteers/${applicant.id}/approve`, 'demo-resident-1'), 403, 'FORBIDDEN');
    expectError(await call('POST', `/timebank/volunteers/${applicant.id}/approve`, grid2Secretary), 404, 'NOT_FOUND');
    const approved = await call<VolunteerApplication>('POST', `/timebank/volunteers/${applicant.id}/approve`, 'demo-secretary-1');
    expect(approved.body.status).toBe('approved');
    expectError(await call('POST', `/timebank/volunteers/${applicant.id}/approve`, 'demo-secretary-1'), 409, 'INVALID_TRANSITION');
    const me = await call('GET', '/me', applicant.token);
    expect(me.body.scopes).toContainEqual({ role: 'volunteer', nodeId: await nodeId(server.dataSource, COMMUNITY) });
    expectError(await call('POST', '/timebank/volunteers', applicant.token, {}), 409, 'CONFLICT');
    expectError(await call('POST', '/timebank/volunteers', 'demo-secretary-1', {}), 403, 'FORBIDDEN');
    expectError(await call('POST', '/timebank/volunteers/999999/approve', 'demo-secretary-1'), 404, 'NOT_FOUND');
  });

  it('a secretary posts a task paid by the community; a resident escrows hours × capacity from their own, 409 when too few', async () => {
    const community = await post('demo-secretary-1', { location: { lat: 30.279, lng: 120.1495, address: '1号楼下' } });
    expect(community.status).toBe(201);
    expect(community.body).toMatchObject({ status: 'open', fundedBy: 'community', hours: 2, capacity: 2, claimed: 0, heldHours: 4, scopeName: '桂花社区' });
    expect(community.body.actions).toEqual(['cancel']);

    expect(await hours('demo-resident-1')).toBe(6);
    const request = await post('demo-resident-1', { title: '陪我去医院复查', hours: 1.5, capacity: 2, startAt: at(48), endAt: at(50) });
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({ fundedBy: 'resident', heldHours: 3, poster: { nickname: '张晓梅' } });
    expect(await hours('demo-resident-1')).toBe(3);
    expect((await call<TimebankMe>('GET', '/timebank/me', 'demo-resident-1')).body.entries[0]).toMatchObject({ amount: -3, reason: 'task_escrow' });

    const poor = expectError(await post('demo-resident-5', { title: '帮忙修水龙头' }), 409, 'CONFLICT');
    expect(poor.message).toContain('余额不足');
    expectError(await post(grid2Secretary, { scopeNodeId: await nodeId(server.dataSource, '330199001001-G01') }), 403, 'FORBIDDEN');
    const bad = expectError(await post('demo-secretary-1', { hours: 0.3, endAt: at(1) }), 400, 'VALIDATION_FAILED');
    expect(bad.details.map((d) => d.path)).toEqual(expect.arrayContaining(['body.hours', 'body.endAt']));
    expectError(await post('demo-secretary-1', { startAt: at(-3), endAt: at(-1) }), 400, 'VALIDATION_FAILED');
  });

  it('volunteers browse the open tasks of their community, nearest first', async () => {
    const building6 = await server.dataSource.getRepository(Building).findOneByOrFail({ name: '6号楼' });
    const { lat, lng } = JSON.parse(building6.location!);
    const list = await call<{ items: TimebankTask[] }>('GET', `/timebank/tasks?lat=${lat}&lng=${lng}`, 'demo-volunteer-1');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ title: '楼道小广告清理', distanceMeters: 0, actions: ['claim'] });
    const distances = list.body.items.map((t) => t.distanceMeters ?? Infinity);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(list.body.items.every((t) => t.status === 'open')).toBe(true);
    const [stranger] = await makeUsers(server, 'no-home', 1);
    expect((await call<{ items: TimebankTask[] }>('GET', '/timebank/tasks', stranger.token)).body.items).toEqual([]);
    const ended = await call<{ items: TimebankTask[] }>('GET', '/timebank/tasks?status=ended', 'demo-volunteer-1');
    expect(ended.body.items.map((t) => t.title)).toContain('社区环境清洁日');
  });

  it('claims: once per volunteer, never past capacity; not by residents who are not volunteers', async () => {
    const task = (await post('demo-secretary-1', { title: '一个名额的任务', capacity: 1 })).body;
    const claimed = await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, 'demo-volunteer-1');
    expect(claimed.status).toBe(201);
    expect(claimed.body).toMatchObject({ status: 'claimed', hours: 2, actions: ['cancel'] });
    expectError(await call('POST', `/timebank/tasks/${task.id}/claim`, 'demo-volunteer-1'), 409, 'CONFLICT');
    expect(expectError(await call('POST', `/timebank/tasks/${task.id}/claim`, volunteers[0].token), 409, 'CONFLICT').message).toContain('名额已满');
    expectError(await call('POST', `/timebank/tasks/${task.id}/claim`, 'demo-resident-2'), 403, 'FORBIDDEN');
    expectError(await call('POST', '/timebank/tasks/999999/claim', 'demo-volunteer-1'), 404, 'NOT_FOUND');
    const detail = await call<TimebankTaskDetail>('GET', `/timebank/tasks/${task.id}`, 'demo-volunteer-1');
    expect(detail.body).toMatchObject({ claimed: 1, myClaim: { status: 'claimed' }, actions: [] });
    expect(detail.body.claims).toHaveLength(1);
  });

  it("a claim's life: cancel before the start, check in and out with location, confirm pays hours and +10 an hour, no-show; each once", async () => {
    const task = (await post('demo-secretary-1', { title: '敬老院包饺子', startAt: at(1), endAt: at(3), capacity: 3 })).body;
    const [v1, v2] = volunteers;
    const first = (await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, v1.token)).body;
    expect((await claimAct(v1.token, first.id, 'cancel')).body.status).toBe('cancelled');
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${task.id}`, 'demo-secretary-1')).body.claimed).toBe(0);
    const again = (await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, v1.token)).body;
    expect(again).toMatchObject({ id: first.id, status: 'claimed' });
    const second = (await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, v2.token)).body;

    expect(expectError(await claimAct(v1.token, first.id, 'check-in'), 409, 'CONFLICT').message).toContain('签到');
    expectError(await claimAct('demo-secretary-1', second.id, 'no-show'), 409, 'CONFLICT');
    clock += 0.75 * HOUR;
    const checkedIn = await claimAct(v1.token, first.id, 'check-in', { location: { lat: 30.2791, lng: 120.1496 } });
    expect(checkedIn.body).toMatchObject({ status: 'checked_in', checkInLocation: { lat: 30.2791, lng: 120.1496 }, actions: ['check_out'] });
    expectError(await claimAct(v1.token, first.id, 'cancel'), 409, 'INVALID_TRANSITION');
    clock += 0.5 * HOUR;
    expect(expectError(await claimAct(v2.token, second.id, 'cancel'), 409, 'CONFLICT').message).toContain('已经开始');
    // Checked out at the end: the whole task attended.
    clock += 1.75 * HOUR;
    expect((await claimAct(v1.token, first.id, 'check-out', {})).body).toMatchObject({ status: 'checked_out', attendedHours: 2 });
    expectError(await claimAct(v1.token, first.id, 'confirm'), 403, 'FORBIDDEN');
    expectError(await claimAct(grid2Secretary, first.id, 'confirm'), 404, 'NOT_FOUND');

    const pointsBefore = (await call<PointsMe>('GET', '/points/me', v1.token)).body.balance;
    expectError(await claimAct('demo-secretary-1', first.id, 'confirm', { version: 3 }), 409, 'CONFLICT');
    const confirmed = await claimAct('demo-secretary-1', first.id, 'confirm', { version: 4 });
    expect(confirmed.body).toMatchObject({ status: 'confirmed', actions: [] });
    expect(await hours(v1.token)).toBe(2);
    expect((await call<PointsMe>('GET', '/points/me', v1.token)).body.balance).toBe(pointsBefore + 20);
    expectError(await claimAct('demo-secretary-1', first.id, 'confirm'), 409, 'INVALID_TRANSITION');
    expect((await claimAct('demo-secretary-1', second.id, 'no-show')).body.status).toBe('no_show');
    expectError(await claimAct('demo-secretary-1', second.id, 'no-show'), 409, 'INVALID_TRANSITION');

    const mine = (await call<TimebankMe>('GET', '/timebank/me', v1.token)).body;
    expect(mine.entries[0]).toMatchObject({ amount: 2, reason: 'task_pay', text: '志愿服务「敬老院包饺子」' });
    expect(mine.claims.map((c) => c.status)).toContain('confirmed');
    expect(mine.isVolunteer).toBe(true);

    // After the end the job closes it; of 3 × 2 h, 2 h were paid, the other 4 h go back to the community.
    clock += 0.25 * HOUR;
    const released = await server.app.timebank.releaseEndedTasks(new Date(clock));
    expect(released.ended).toBeGreaterThanOrEqual(1);
    const closed = (await call<TimebankTaskDetail>('GET', `/timebank/tasks/${task.id}`, 'demo-secretary-1')).body;
    expect(closed).toMatchObject({ status: 'ended', heldHours: 0 });
    expect((await server.app.timebank.releaseEndedTasks(new Date(clock))).ended).toBe(0);
  });

  it("a resident's request: the poster confirms; unclaimed hours come back when it ends, all of them when it is cancelled", async () => {
    const start = await hours('demo-resident-1');
    const task = (await post('demo-resident-1', { title: '帮忙取药', hours: 1, capacity: 2, startAt: at(0.25), endAt: at(1.25) })).body;
    expect(await hours('demo-resident-1')).toBe(start - 2);
    const claim = (await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, volunteers[2].token)).body;
    await claimAct(volunteers[2].token, claim.id, 'check-in');
    clock += 1.25 * HOUR;
    await claimAct(volunteers[2].token, claim.id, 'check-out');
    expectError(await claimAct('demo-resident-2', claim.id, 'confirm'), 404, 'NOT_FOUND');
    expect((await claimAct('demo-resident-1', claim.id, 'confirm')).body.status).toBe('confirmed');
    clock += 0.25 * HOUR;
    await server.app.timebank.releaseEndedTasks(new Date(clock));
    expect(await hours('demo-resident-1')).toBe(start - 1);
    expect(await hours(volunteers[2].token)).toBe(1);

    const open = (await post('demo-resident-1', { title: '陪读绘本', hours: 0.5, capacity: 2 })).body;
    await call('POST', `/timebank/tasks/${open.id}/claim`, volunteers[2].token);
    expectError(await call('POST', `/timebank/tasks/${open.id}/cancel`, 'demo-resident-2', {}), 403, 'FORBIDDEN');
    const cancelled = await call<TimebankTaskDetail>('POST', `/timebank/tasks/${open.id}/cancel`, 'demo-resident-1', {});
    expect(cancelled.body).toMatchObject({ status: 'cancelled', heldHours: 0, claimed: 0 });
    expect(cancelled.body.claims.map((c) => c.status)).toEqual(['cancelled']);
    expect(await hours('demo-resident-1')).toBe(start - 1);
    expectError(await call('POST', `/timebank/tasks/${open.id}/cancel`, 'demo-resident-1', {}), 409, 'INVALID_TRANSITION');
  });

  it('hours are given to a member of the same household only', async () => {
    const resident1 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' });
    const [family] = await makeUsers(server, 'family', 1, { householdIds: [resident1.householdId!] });
    const before = await hours('demo-resident-1');
    const gift = await call('POST', '/timebank/gifts', 'demo-resident-1', { toUserId: family.id, hours: 1 });
    expect(gift.status).toBe(201);
    expect(gift.body).toMatchObject({ balanceHours: before - 1, entry: { amount: -1, reason: 'gift' } });
    expect(await hours(family.token)).toBe(1);
    const resident2 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-2' });
    expectError(await call('POST', '/timebank/gifts', 'demo-resident-1', { toUserId: resident2.id, hours: 1 }), 403, 'FORBIDDEN');
    expect(expectError(await call('POST', '/timebank/gifts', 'demo-resident-1', { toUserId: family.id, hours: 100 }), 409, 'CONFLICT').message).toContain('余额不足');
    expectError(await call('POST', '/timebank/gifts', 'demo-resident-1', { toUserId: resident1.id, hours: 1 }), 400, 'VALIDATION_FAILED');
    expectError(await call('POST', '/timebank/gifts', 'demo-resident-1', { toUserId: family.id, hours: 0.25 }), 400, 'VALIDATION_FAILED');
  });

  it('claims nobody settles settle by themselves a week after the end (checked out: the attended time; else no-show); the rest of the escrow goes back', async () => {
    const task = (await post('demo-secretary-1', { title: '周末义剪', startAt: at(0.25), endAt: at(1.25), hours: 1, capacity: 2 })).body;
    const a = (await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, volunteers[0].token)).body;
    const b = (await call<TimebankClaim>('POST', `/timebank/tasks/${task.id}/claim`, volunteers[1].token)).body;
    await claimAct(volunteers[0].token, a.id, 'check-in');
    clock += 1.25 * HOUR;
    await claimAct(volunteers[0].token, a.id, 'check-out');
    const before = await hours(volunteers[0].token);
    clock += 8 * 24 * HOUR;
    // Tokens last 7 days: log in again after the jump.
    tokens.clear();
    for (const v of volunteers) v.token = (await server.app.tokens.issue(v.id)).token;
    const result = await server.app.timebank.releaseEndedTasks(new Date(clock));
    expect(result.settled).toBeGreaterThanOrEqual(2);
    const detail = (await call<TimebankTaskDetail>('GET', `/timebank/tasks/${task.id}`, 'demo-secretary-1')).body;
    expect(Object.fromEntries(detail.claims.map((c) => [c.id, c.status]))).toEqual({ [a.id]: 'confirmed', [b.id]: 'no_show' });
    expect(detail.heldHours).toBe(0);
    expect(await hours(volunteers[0].token)).toBe(before + 1);
  });

  it('every time-bank route is in /openapi.json', async () => {
    const spec = (await server.call('GET', '/openapi.json')).body;
    const paths = Object.keys(spec.paths).map((p) => p.replace('/api/v1', ''));
    for (const path of ['/timebank/volunteers', '/timebank/volunteers/{userId}/approve', '/timebank/tasks', '/timebank/tasks/{id}', '/timebank/tasks/{id}/claim', '/timebank/tasks/{id}/cancel', '/timebank/claims/{id}/check-in', '/timebank/claims/{id}/no-show', '/timebank/me', '/timebank/gifts']) {
      expect(paths, path).toContain(path);
    }
  });
});
