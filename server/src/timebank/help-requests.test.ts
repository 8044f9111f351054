import { IsNull, Not } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPage, PointsMe, TimebankClaim, TimebankMe, TimebankTask, TimebankTaskDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { COMMUNITY, GRID2, ledgerProblems, makeUsers, nodeId } from '../ledger/test-support';

const HOUR = 3600_000;

/*
 * Asking for help with no hours (issue 16): a resident whose balance cannot pay for a task may still post
 * it as a request for the community to fund (requestFunding). It holds nothing and is seen only by its
 * poster and the secretaries over it until a secretary funds it (the community's hours go into escrow and
 * volunteers may claim it) or declines it with a reason the poster reads.
 */
describe('help requests funded by the community', () => {
  let server: TestServer;
  let clock = Date.now();
  const at = (hours: number) => new Date(clock + hours * HOUR).toISOString();
  let poster: { id: number; token: string };
  let neighbour: { id: number; token: string };
  let volunteer: { id: number; token: string };
  let grid2Secretary: string;
  let posterHome: number;
  let secretary: string;

  const call = <T = any>(method: string, path: string, token: string, body?: unknown) => server.call<T>(method, path, { token, body });
  const ask = (body: Record<string, unknown> = {}) =>
    call<TimebankTaskDetail>('POST', '/timebank/tasks', poster.token, { title: '帮忙买药', description: '腿脚不便，想请人帮忙去药店买药', startAt: at(24), endAt: at(26), hours: 1, capacity: 2, requestFunding: true, ...body });
  const hoursOf = async (token: string) => (await call<TimebankMe>('GET', '/timebank/me', token)).body.balanceHours;
  const inbox = async (token: string) => (await call<NotificationPage>('GET', '/notifications', token)).body.items;

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => clock } });
    const ds = server.dataSource;
    const taken = new Set((await ds.getRepository(User).find({ where: { openid: Not(IsNull()) } })).map((u) => u.householdId));
    const building1 = await ds.getRepository(Building).findOneByOrFail({ name: '1号楼' });
    const free = (await ds.getRepository(Household).find({ where: { buildingId: building1.id }, order: { id: 'ASC' } })).filter((h) => !taken.has(h.id)).map((h) => h.id);
    [poster, neighbour] = await makeUsers(server, 'help-poster', 2, { householdIds: [free[0], free[1]] });
    posterHome = free[0];
    [volunteer] = await makeUsers(server, 'help-volunteer', 1, { householdIds: [free[2]], role: { role: 'volunteer', nodeId: await nodeId(ds, COMMUNITY) } });
    [{ token: grid2Secretary }] = await makeUsers(server, 'help-g2-secretary', 1, { role: { role: 'secretary', nodeId: await nodeId(ds, GRID2) } });
    secretary = await server.login('demo-secretary-1');
  });
  afterAll(async () => {
    expect(await ledgerProblems(server.dataSource)).toEqual([]);
    await server.close();
  });

  it('with 0 hours a resident cannot pay for a task, but may ask the community: it holds nothing and only the poster and the secretary see it', async () => {
    expect(await hoursOf(poster.token)).toBe(0);
    const paid = await call('POST', '/timebank/tasks', poster.token, { title: '帮忙买药', startAt: at(24), endAt: at(26), hours: 1, capacity: 2 });
    expectError(paid, 409, 'CONFLICT');

    const asked = await ask();
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ status: 'requested', fundedBy: 'community', heldHours: 0, actions: ['cancel'] });
    expect(await hoursOf(poster.token)).toBe(0);

    // The secretary is told, and may fund or decline.
    expect((await inbox(secretary)).some((n) => n.kind === 'timebank.help_requested' && n.link?.endsWith(`id=${asked.body.id}`))).toBe(true);
    const seen = await call<TimebankTaskDetail>('GET', `/timebank/tasks/${asked.body.id}`, secretary);
    expect(seen.body.actions).toEqual(expect.arrayContaining(['fund', 'decline', 'cancel']));
    const queue = await call<{ items: TimebankTask[] }>('GET', '/timebank/tasks?status=requested', secretary);
    expect(queue.body.items.map((t) => t.id)).toContain(asked.body.id);

    // Not a task yet: neighbours and volunteers neither list nor open nor claim it.
    for (const stranger of [neighbour.token, volunteer.token, grid2Secretary]) {
      expectError(await call('GET', `/timebank/tasks/${asked.body.id}`, stranger), 404, 'NOT_FOUND');
      const listed = await call<{ items: TimebankTask[] }>('GET', '/timebank/tasks?status=requested', stranger);
      expect(listed.body.items.map((t) => t.id)).not.toContain(asked.body.id);
    }
    expectError(await call('POST', `/timebank/tasks/${asked.body.id}/claim`, volunteer.token), 404, 'NOT_FOUND');
    // Its poster may not fund their own request, nor a secretary of another grid (cannot see it).
    expectError(await call('POST', `/timebank/tasks/${asked.body.id}/fund`, poster.token, {}), 403, 'FORBIDDEN');
    expectError(await call('POST', `/timebank/tasks/${asked.body.id}/fund`, grid2Secretary, {}), 404, 'NOT_FOUND');
  });

  it('funded: the community’s hours are held, volunteers claim it, and a staff confirmation pays hours and points', async () => {
    const asked = (await ask({ startAt: at(1), endAt: at(3) })).body;
    const funded = await call<TimebankTaskDetail>('POST', `/timebank/tasks/${asked.id}/fund`, secretary, { version: asked.version });
    expect(funded.status, JSON.stringify(funded.body)).toBe(200);
    expect(funded.body).toMatchObject({ status: 'open', fundedBy: 'community', heldHours: 2 });
    expect(await hoursOf(poster.token)).toBe(0);
    expect((await inbox(poster.token)).some((n) => n.kind === 'timebank.help_funded' && n.link?.endsWith(`id=${asked.id}`))).toBe(true);
    expectError(await call('POST', `/timebank/tasks/${asked.id}/fund`, secretary, {}), 409, 'INVALID_TRANSITION');

    const claim = await call<TimebankClaim>('POST', `/timebank/tasks/${asked.id}/claim`, volunteer.token);
    expect(claim.status).toBe(201);
    clock += 1 * HOUR;
    await call('POST', `/timebank/claims/${claim.body.id}/check-in`, volunteer.token, {});
    clock += 1 * HOUR;
    await call('POST', `/timebank/claims/${claim.body.id}/check-out`, volunteer.token, {});
    const pointsBefore = (await call<PointsMe>('GET', '/points/me', volunteer.token)).body.balance;
    const confirmed = await call<TimebankClaim>('POST', `/timebank/claims/${claim.body.id}/confirm`, secretary, {});
    expect(confirmed.body).toMatchObject({ status: 'confirmed', creditedHours: 1, points: 10 });
    expect(await hoursOf(volunteer.token)).toBe(1);
    expect((await call<PointsMe>('GET', '/points/me', volunteer.token)).body.balance).toBe(pointsBefore + 10);
  });

  it('a community-funded request cannot be claimed by the poster’s own family: the community’s hours do not pay a household to help itself', async () => {
    const [relative] = await makeUsers(server, 'help-relative', 1, { householdIds: [posterHome], role: { role: 'volunteer', nodeId: await nodeId(server.dataSource, COMMUNITY) } });
    const asked = (await ask()).body;
    await call('POST', `/timebank/tasks/${asked.id}/fund`, secretary, { version: asked.version });
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${asked.id}`, relative.token)).body.actions).not.toContain('claim');
    expectError(await call('POST', `/timebank/tasks/${asked.id}/claim`, relative.token), 403, 'FORBIDDEN');
    const task = await call<TimebankTaskDetail>('GET', `/timebank/tasks/${asked.id}`, secretary);
    expect(task.body).toMatchObject({ status: 'open', claimed: 0 });
    // A neighbour who volunteers may.
    expect((await call('POST', `/timebank/tasks/${asked.id}/claim`, volunteer.token)).status).toBe(201);
  });

  it('declined: the poster reads the reason; it cannot be funded afterwards; a reason is required', async () => {
    const asked = (await ask()).body;
    expectError(await call('POST', `/timebank/tasks/${asked.id}/decline`, secretary, {}), 400, 'VALIDATION_FAILED');
    const declined = await call<TimebankTaskDetail>('POST', `/timebank/tasks/${asked.id}/decline`, secretary, { reason: '这类事可以联系社区卫生服务站代购' });
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: '这类事可以联系社区卫生服务站代购', actions: [] });
    const told = (await inbox(poster.token)).find((n) => n.kind === 'timebank.help_declined');
    expect(told?.body).toContain('这类事可以联系社区卫生服务站代购');
    expectError(await call('POST', `/timebank/tasks/${asked.id}/fund`, secretary, {}), 409, 'INVALID_TRANSITION');
    expect((await call<TimebankTaskDetail>('GET', `/timebank/tasks/${asked.id}`, poster.token)).body.status).toBe('declined');
  });

  it('the poster may withdraw a request; one nobody decided before its end lapses as declined and the poster is told', async () => {
    const withdrawn = (await ask()).body;
    const cancelled = await call<TimebankTaskDetail>('POST', `/timebank/tasks/${withdrawn.id}/cancel`, poster.token, {});
    expect(cancelled.body.status).toBe('cancelled');

    const lapsing = (await ask({ startAt: at(1), endAt: at(2) })).body;
    clock += 3 * HOUR;
    await server.app.timebank.releaseEndedTasks(new Date(clock));
    const after = await call<TimebankTaskDetail>('GET', `/timebank/tasks/${lapsing.id}`, poster.token);
    expect(after.body).toMatchObject({ status: 'declined' });
    expect(after.body.declineReason).toContain('时间已过');
    expect((await inbox(poster.token)).some((n) => n.kind === 'timebank.help_declined' && n.link?.endsWith(`id=${lapsing.id}`))).toBe(true);
  });
});
