import { IsNull, Not } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwardBudget, PointsMe } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Building } from '../grids/building.entity';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { COMMUNITY, ledgerProblems, makeUsers, nodeId } from '../ledger/test-support';

const DAY = 24 * 3600_000;

/**
 * A secretary's good-deed awards (issue 13, item 3): never to oneself or one's own household, at most
 * POINTS_AWARD_MAX at once and POINTS_AWARD_MONTHLY_MAX per secretary and China month, each in the
 * audit log with what was paid. On MariaDB (TEST_DATABASE_URL) the concurrent awards really race.
 */
describe(`good-deed awards: limits and audit (${process.env.TEST_DATABASE_URL ? 'MariaDB' : 'embedded'})`, () => {
  let server: TestServer;
  // Mid-month in China time, so that "next month" is a clear jump.
  let clock = Date.UTC(2031, 4, 14, 4);
  let households: number[];
  let community: number;
  let made = 0;

  /** A secretary of the whole community who lives in it (their own household), and a resident of another flat. */
  const secretaryWithHome = async () => {
    const n = made++;
    const [secretary] = await makeUsers(server, `awarder-${n}`, 1, { householdIds: [households[2 * n]], role: { role: 'secretary', nodeId: community } });
    const [resident] = await makeUsers(server, `awardee-${n}`, 1, { householdIds: [households[2 * n + 1]] });
    return { secretary, resident };
  };
  const award = (token: string, userId: number, points: number, note = '帮邻居修好了楼道灯') =>
    server.call('POST', '/points/awards', { token, body: { userId, points, note }, headers: { 'idempotency-key': randomUUID() } });
  const balance = async (token: string) => (await server.call<PointsMe>('GET', '/points/me', { token })).body.balance;

  beforeAll(async () => {
    server = await startTestServer({ env: { POINTS_AWARD_MAX: '50', POINTS_AWARD_MONTHLY_MAX: '200' }, deps: { now: () => clock } });
    const ds = server.dataSource;
    community = await nodeId(ds, COMMUNITY);
    // Flats where no app user lives yet (the ledger's people have no WeChat).
    const taken = new Set((await ds.getRepository(User).find({ where: { openid: Not(IsNull()) } })).map((u) => u.householdId));
    const building = await ds.getRepository(Building).findOneByOrFail({ name: '3号楼' });
    households = (await ds.getRepository(Household).find({ where: { buildingId: building.id }, order: { id: 'ASC' } })).filter((h) => !taken.has(h.id)).map((h) => h.id);
  });
  afterAll(async () => {
    expect(await ledgerProblems(server.dataSource)).toEqual([]);
    await server.close();
  });

  it('when a secretary awards points to themselves, then 403 FORBIDDEN and nothing is paid, however often they try', async () => {
    const { secretary } = await secretaryWithHome();
    for (let i = 0; i < 2; i++) {
      const refused = expectError(await award(secretary.token, secretary.id, 50), 403, 'FORBIDDEN');
      expect(refused.message).toContain('自己');
    }
    expect(await balance(secretary.token)).toBe(0);
  });

  it('when a secretary awards points to a member of their own household, then 403 FORBIDDEN', async () => {
    const { secretary } = await secretaryWithHome();
    const home = (await server.dataSource.getRepository(User).findOneByOrFail({ id: secretary.id })).householdId!;
    const [spouse] = await makeUsers(server, `spouse-${made}`, 1, { householdIds: [home] });
    expectError(await award(secretary.token, spouse.id, 20), 403, 'FORBIDDEN');
    expect(await balance(spouse.token)).toBe(0);
  });

  it('when an award is above POINTS_AWARD_MAX, then 400 on body.points naming the maximum, and nothing is paid', async () => {
    const { secretary, resident } = await secretaryWithHome();
    const tooMuch = expectError(await award(secretary.token, resident.id, 51), 400, 'VALIDATION_FAILED');
    expect(tooMuch.details).toEqual([{ path: 'body.points', message: expect.stringContaining('50') }]);
    expect(await balance(resident.token)).toBe(0);
    expect((await award(secretary.token, resident.id, 50)).status).toBe(201);
    expect(await balance(resident.token)).toBe(50);
  });

  it("when a secretary's awards this month would pass POINTS_AWARD_MONTHLY_MAX, then 409 CONFLICT saying what is left; next month the budget is whole again", async () => {
    const { secretary, resident } = await secretaryWithHome();
    for (let i = 0; i < 3; i++) expect((await award(secretary.token, resident.id, 50)).status).toBe(201);
    expect((await award(secretary.token, resident.id, 40)).status).toBe(201);
    const budget = await server.call<AwardBudget>('GET', '/points/awards/budget', { token: secretary.token });
    expect(budget.body).toMatchObject({ maxPerAward: 50, monthlyMax: 200, awardedThisMonth: 190, remainingThisMonth: 10 });
    const over = expectError(await award(secretary.token, resident.id, 20), 409, 'CONFLICT');
    expect(over.message).toContain('10');
    expect(await balance(resident.token)).toBe(190);
    // Another secretary's budget is their own.
    const other = await secretaryWithHome();
    expect((await award(other.secretary.token, resident.id, 20)).status).toBe(201);

    clock += 20 * DAY;
    const token = (await server.app.tokens.issue(secretary.id)).token;
    expect((await server.call<AwardBudget>('GET', '/points/awards/budget', { token })).body).toMatchObject({ awardedThisMonth: 0, remainingThisMonth: 200 });
    expect((await award(token, resident.id, 20)).status).toBe(201);
  });

  it('when ten awards that together pass the monthly maximum are sent at once, then only as many as fit are paid', async () => {
    const { secretary, resident } = await secretaryWithHome();
    expect((await award(secretary.token, resident.id, 50)).status).toBe(201);
    expect((await award(secretary.token, resident.id, 50)).status).toBe(201);
    // 100 left: ten awards of 40 at once, two fit.
    const results = await Promise.all(Array.from({ length: 10 }, () => award(secretary.token, resident.id, 40)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 'CONFLICT');
    expect(await balance(resident.token)).toBe(180);
    expect((await server.call<AwardBudget>('GET', '/points/awards/budget', { token: secretary.token })).body.awardedThisMonth).toBe(180);
  });

  it("when a secretary's first ten awards of the month are sent at once, then the month's counter is made once and only as many as fit are paid", async () => {
    const { secretary, resident } = await secretaryWithHome();
    const results = await Promise.all(Array.from({ length: 10 }, () => award(secretary.token, resident.id, 30)));
    // 200 a month: six awards of 30 fit.
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 'CONFLICT');
    expect(await balance(resident.token)).toBe(180);
  });

  it('when a secretary awards points, then the audit log holds the award (to whom, how many, why); a refused award is there too', async () => {
    const { secretary, resident } = await secretaryWithHome();
    const paid = await award(secretary.token, resident.id, 30, '冒雨帮邻居收被子');
    expect(paid.status).toBe(201);
    expectError(await award(secretary.token, secretary.id, 30), 403, 'FORBIDDEN');
    const rows = await server.dataSource.getRepository(AuditEntry).find({ where: { actorId: secretary.id }, order: { id: 'ASC' } });
    expect(rows.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/api/v1/points/awards', 201],
      ['POST', '/api/v1/points/awards', 403],
    ]);
    expect(JSON.parse(rows[0].detail!)).toEqual({ awardId: paid.body.id, userId: resident.id, points: 30, note: '冒雨帮邻居收被子' });
    expect(rows[1].detail).toBeNull();
  });

  it('the budget route is for secretaries only', async () => {
    const resident = await server.login('demo-resident-1');
    expectError(await server.call('GET', '/points/awards/budget', { token: resident }), 403, 'FORBIDDEN');
  });
});
