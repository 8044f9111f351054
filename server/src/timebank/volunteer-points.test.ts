import { IsNull, Not } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PointsMe, TimebankClaim, TimebankMe, TimebankTaskDetail } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { transactRetrying } from '../db/data-source';
import { Building } from '../grids/building.entity';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { accountId, transfer } from '../ledger/ledger';
import { COMMUNITY, ledgerProblems, makeUsers, nodeId } from '../ledger/test-support';

const HOUR = 3600_000;

/**
 * Points for volunteering come only from community-funded tasks confirmed by staff (issue 13, item 7).
 * Hours still move between residents, so a loop of requests between two residents creates no points.
 */
describe('points for volunteer hours', () => {
  let server: TestServer;
  let clock = Date.now();
  let community: number;
  let households: number[];
  let secretary: string;

  const at = (hours: number) => new Date(clock + hours * HOUR).toISOString();
  const call = <T = any>(method: string, path: string, token: string, body?: unknown) => server.call<T>(method, path, { token, body });
  const points = async (token: string) => (await call<PointsMe>('GET', '/points/me', token)).body.balance;
  const hours = async (token: string) => (await call<TimebankMe>('GET', '/timebank/me', token)).body.balanceHours;
  /** Two volunteers of the community, each in a flat of their own with `banked` hours carried over. */
  const residents = async (prefix: string, banked: number) => {
    const made = await makeUsers(server, prefix, 2, { householdIds: households.splice(0, 2), role: { role: 'volunteer', nodeId: community } });
    for (const person of banked > 0 ? made : []) {
      await transactRetrying(server.dataSource, async (m) =>
        transfer(m, {
          unit: 'hours',
          fromAccountId: await accountId(m, 'hours', 'issuing', community),
          toAccountId: await accountId(m, 'hours', 'user', person.id),
          amount: banked * 60,
          reason: 'opening',
          memo: '线下登记的志愿时长',
        }),
      );
    }
    return made;
  };

  /** `poster` posts a task of `taskHours` starting in an hour; `volunteer` claims it, attends all of it; `confirmer` confirms. */
  async function doTask(poster: string, volunteer: string, taskHours: number, options: { confirmer?: string; fundedBy?: 'resident' | 'community' } = {}) {
    const posted = await call<TimebankTaskDetail>('POST', '/timebank/tasks', poster, {
      title: '陪老人去医院复查',
      startAt: at(1),
      endAt: at(1 + taskHours),
      hours: taskHours,
      capacity: 1,
      ...(options.fundedBy ? { fundedBy: options.fundedBy } : {}),
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const claim = await call<TimebankClaim>('POST', `/timebank/tasks/${posted.body.id}/claim`, volunteer);
    expect(claim.status).toBe(201);
    clock += HOUR;
    expect((await call('POST', `/timebank/claims/${claim.body.id}/check-in`, volunteer, {})).status).toBe(200);
    clock += taskHours * HOUR;
    expect((await call('POST', `/timebank/claims/${claim.body.id}/check-out`, volunteer, {})).status).toBe(200);
    if (options.confirmer !== undefined) {
      const confirmed = await call<TimebankClaim>('POST', `/timebank/claims/${claim.body.id}/confirm`, options.confirmer, {});
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    }
    clock += HOUR;
    return { taskId: posted.body.id, claimId: claim.body.id };
  }

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => clock } });
    const ds = server.dataSource;
    community = await nodeId(ds, COMMUNITY);
    // Flats where no app user lives yet (the ledger's people have no WeChat).
    const taken = new Set((await ds.getRepository(User).find({ where: { openid: Not(IsNull()) } })).map((u) => u.householdId));
    const building = await ds.getRepository(Building).findOneByOrFail({ name: '4号楼' });
    households = (await ds.getRepository(Household).find({ where: { buildingId: building.id }, order: { id: 'ASC' } })).filter((h) => !taken.has(h.id)).map((h) => h.id);
    secretary = await server.login('demo-secretary-1');
  });
  afterAll(async () => {
    expect(await ledgerProblems(server.dataSource)).toEqual([]);
    await server.close();
  });

  it('when two residents post resident-funded tasks for each other for five rounds, then their hours end where they started and their points are unchanged', async () => {
    const [x, y] = await residents('loop', 24);
    const before = { x: await points(x.token), y: await points(y.token), hx: await hours(x.token), hy: await hours(y.token) };
    for (let round = 0; round < 5; round++) {
      await doTask(x.token, y.token, 1, { confirmer: x.token });
      await doTask(y.token, x.token, 1, { confirmer: y.token });
    }
    // The 24-hour request that paid 240 points a claim.
    await doTask(x.token, y.token, 24, { confirmer: x.token });
    await doTask(y.token, x.token, 24, { confirmer: y.token });
    expect({ x: await points(x.token), y: await points(y.token), hx: await hours(x.token), hy: await hours(y.token) }).toEqual(before);
  });

  it('when a secretary confirms a claim on a community-funded task, then the volunteer earns 10 points an hour', async () => {
    const [volunteer] = await residents('helper', 0);
    const before = await points(volunteer.token);
    await doTask(secretary, volunteer.token, 2, { confirmer: secretary });
    expect(await points(volunteer.token)).toBe(before + 20);
    expect(await hours(volunteer.token)).toBe(2);
    expect((await call<PointsMe>('GET', '/points/me', volunteer.token)).body.entries[0]).toMatchObject({ amount: 20, reason: 'award' });
  });

  it("when a secretary posts a request paid from their own hours (fundedBy resident), then confirming it moves hours but pays no points", async () => {
    const [volunteer] = await residents('own-hours', 0);
    // demo-secretary-1 has no household: a secretary who lives in the community and has banked hours.
    const [staff] = await makeUsers(server, 'secretary-resident', 1, { householdIds: households.splice(0, 1), role: { role: 'secretary', nodeId: community } });
    await transactRetrying(server.dataSource, async (m) =>
      transfer(m, {
        unit: 'hours',
        fromAccountId: await accountId(m, 'hours', 'issuing', community),
        toAccountId: await accountId(m, 'hours', 'user', staff.id),
        amount: 120,
        reason: 'opening',
        memo: '线下登记的志愿时长',
      }),
    );
    await doTask(staff.token, volunteer.token, 2, { confirmer: staff.token, fundedBy: 'resident' });
    expect(await hours(volunteer.token)).toBe(2);
    expect(await points(volunteer.token)).toBe(0);
  });

  it('when nobody confirms a claim on a community task and it settles by itself, then the hours move but no points (staff never vouched for it)', async () => {
    const [volunteer] = await residents('unconfirmed', 0);
    const { taskId } = await doTask(secretary, volunteer.token, 1);
    clock += 8 * 24 * HOUR;
    await server.app.timebank.releaseEndedTasks(new Date(clock));
    const token = (await server.app.tokens.issue(volunteer.id)).token;
    secretary = (await server.app.tokens.issue((await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' })).id)).token;
    const detail = (await call<TimebankTaskDetail>('GET', `/timebank/tasks/${taskId}`, secretary)).body;
    expect(detail.claims.map((c) => c.status)).toEqual(['confirmed']);
    expect(await hours(token)).toBe(1);
    expect(await points(token)).toBe(0);
  });
});
