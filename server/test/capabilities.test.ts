import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  holdsCapability,
  mayApplyToVolunteer,
  mayClaimTasks,
  mayGiftHours,
  mayPostTask,
  mayPropose,
  mayRedeem,
  type Capability,
  type Me,
} from '@linli/shared';
import { GridNode } from '../src/grids/grid-node.entity';
import { User } from '../src/identity/user.entity';
import { makeMember, startTestServer, type CallResult, type TestServer } from './harness';

/*
 * The capability table of shared/src/capabilities.ts is what the app shows; this test holds it to
 * what the server does. For each function of the table, one call that only its holders can make
 * succeeds, made as each demo user: it must succeed exactly for those the table names (read from their
 * GET /me). A change on either side that the other does not follow fails here.
 */

const DEMO = ['demo-resident-1', 'demo-volunteer-1', 'demo-gridworker-1', 'demo-secretary-1', 'demo-department-1', 'demo-mediator-1', 'demo-admin'] as const;
type Demo = (typeof DEMO)[number];
const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();

let server: TestServer;
const token = {} as Record<Demo, string>;
const me = {} as Record<Demo, Me>;
const fx = { communityId: 0, grid1Id: 0, microgridId: 0, microgridName: '', building1Id: 0, residentId: 0, rewardId: 0, taskId: 0, family: new Map<number, number>() };
let serial = 0;
const next = () => `${Date.now().toString(36)}${++serial}`;

async function call(who: Demo | 'demo-resident-2' | 'demo-resident-3', method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<CallResult> {
  const bearer = who in token ? token[who as Demo] : await server.login(who);
  return server.call(method, path, { token: bearer, body: body ?? (method === 'GET' ? undefined : {}), headers });
}
const ok = (result: CallResult) => result.status >= 200 && result.status < 300;

/** demo-resident-1's consultation of 1号楼, co-signed into review. */
async function consultationInReview(): Promise<number> {
  const { body } = await call('demo-resident-1', 'POST', '/consultations', { title: `楼道加装声控灯 ${next()}`, description: '楼道晚上太黑，老人上下楼不安全，建议加装声控灯。' });
  await call('demo-resident-2', 'POST', `/consultations/${body.id}/cosign`);
  const cosigned = await call('demo-resident-3', 'POST', `/consultations/${body.id}/cosign`);
  if (cosigned.body.status !== 'in_review') throw new Error(`setup: consultation ${body.id} is ${cosigned.body.status}`);
  return body.id;
}

/** A report of demo-resident-1 in grid 1, accepted and dispatched to 城管 (demo-department-1's department). */
async function dispatchedReport(): Promise<number> {
  const { body } = await call('demo-resident-1', 'POST', '/reports', { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT }, { 'idempotency-key': randomUUID() });
  const departments = (await call('demo-resident-1', 'GET', '/departments')).body.items as { id: number; code: string }[];
  await call('demo-gridworker-1', 'POST', `/reports/${body.id}/accept`, { priority: 'normal', handlingMethod: 'department' });
  const dispatched = await call('demo-gridworker-1', 'POST', `/reports/${body.id}/dispatch`, { departmentId: departments.find((d) => d.code === 'DEPT-CG')!.id });
  if (dispatched.body.status !== 'dispatched') throw new Error(`setup: report ${body.id} is ${dispatched.body.status}`);
  return body.id;
}

/** demo-resident-1's application, accepted by the secretary for demo-mediator-1. */
async function acceptedDispute(): Promise<number> {
  const { body } = await call('demo-resident-1', 'POST', '/disputes', {
    title: '楼道堆物纠纷',
    description: '邻居长期在共用楼道堆放杂物，影响通行。',
    type: 'neighbour',
    source: 'application',
    parties: [{ role: 'applicant', name: '张晓梅' }, { role: 'respondent', name: '孙女士' }],
  });
  const pool = (await call('demo-secretary-1', 'GET', '/mediators')).body.items as { id: number; userId: number }[];
  const accepted = await call('demo-secretary-1', 'POST', `/disputes/${body.id}/accept`, { mediatorId: pool.find((m) => m.userId === me['demo-mediator-1'].id)!.id });
  if (accepted.body.status !== 'accepted') throw new Error(`setup: dispute ${body.id} is ${accepted.body.status}`);
  return body.id;
}

/** For each staff function, a call only its holders can make, as `who`: did it succeed? */
const PROBES: Record<Capability, (who: Demo) => Promise<boolean>> = {
  handleReports: async (who) => {
    const id = await dispatchedReport();
    const queue = await call(who, 'GET', '/reports?scope=queue&limit=50');
    return ok(queue) && queue.body.items.some((r: { id: number }) => r.id === id);
  },
  fileOnBehalf: async (who) =>
    ok(await call(who, 'POST', '/reports', { categoryCode: 'sanitation', description: '居民来电反映路灯不亮', location: GRID1_SPOT, channel: 'hotline' }, { 'idempotency-key': randomUUID() })),
  reviewContent: async (who) => ok(await call(who, 'GET', '/moderation/cases')),
  readDashboard: async (who) => ok(await call(who, 'GET', `/stats/overview?nodeId=${fx.grid1Id}`)),
  // The map's drawing is open to anyone (outlines only); the report points are the staff's.
  readGridMap: async (who) => ok(await call(who, 'GET', `/reports/points?nodeId=${fx.grid1Id}`)),
  // An image, not JSON: only its status is read.
  makeBuildingCodes: async (who) => (await fetch(`${server.baseUrl}/api/v1/buildings/${fx.building1Id}/code?format=qr`, { headers: { authorization: `Bearer ${token[who]}` } })).ok,
  // The ledger's template is open to its keepers only.
  keepLedger: async (who) => (await fetch(`${server.baseUrl}/api/v1/households/import-template`, { headers: { authorization: `Bearer ${token[who]}` } })).ok,
  reviewConsultations: async (who) => ok(await call(who, 'POST', `/consultations/${await consultationInReview()}/reject`, { reason: '属于物业合同约定事项' })),
  awardPoints: async (who) => ok(await call(who, 'POST', '/points/awards', { userId: fx.residentId, points: 1, note: '帮助邻居' }, { 'idempotency-key': randomUUID() })),
  manageRewards: async (who) => ok(await call(who, 'POST', '/rewards', { name: `雨伞 ${next()}`.slice(0, 40), cost: 30, stock: 5, communityId: fx.communityId })),
  runTimebank: async (who) => ok(await call(who, 'GET', '/timebank/volunteers')),
  postAnnouncements: async (who) => ok(await call(who, 'GET', '/announcements?scope=managed')),
  // Staff register a walk-in for the parties; a resident may only apply for themself.
  registerDisputes: async (who) =>
    ok(
      await call(who, 'POST', '/disputes', {
        title: '来访登记的纠纷',
        description: '两户邻居因楼道堆物发生争执，来社区要求调解。',
        type: 'neighbour',
        source: 'walk_in',
        nodeId: fx.grid1Id,
        parties: [{ role: 'applicant', name: '甲' }, { role: 'respondent', name: '乙' }],
      }),
    ),
  coordinateDisputes: async (who) => ok(await call(who, 'GET', `/mediators?nodeId=${fx.communityId}`)),
  // A session on a case assigned to demo-mediator-1.
  mediateDisputes: async (who) => ok(await call(who, 'POST', `/disputes/${await acceptedDispute()}/session`, { heldAt: new Date().toISOString(), place: '调解室', participants: ['甲', '乙'], notes: '双方到场陈述。' })),
  manageGrids: async (who) => ok(await call(who, 'PUT', `/grids/${fx.microgridId}`, { name: fx.microgridName })),
  manageStaff: async (who) => ok(await call(who, 'GET', `/admin/role-assignments?nodeId=${fx.communityId}`)),
  manageCategories: async (who) => ok(await call(who, 'GET', '/admin/report-categories')),
  manageOpen311Keys: async (who) => ok(await call(who, 'GET', '/admin/open311-keys')),
  manageCannedReplies: async (who) => ok(await call(who, 'POST', '/canned-replies', { nodeId: fx.communityId, kind: 'feedback', text: `电话回访，居民满意 ${next()}` })),
};

/** The household's and the volunteer's functions, each with its check of the table and its probe. */
const RESIDENT_PROBES: Array<{ name: string; may: (me: Me) => boolean; probe: (who: Demo) => Promise<boolean> }> = [
  {
    name: 'mayPropose',
    may: mayPropose,
    probe: async (who) => ok(await call(who, 'POST', '/consultations', { title: `加装电动车充电桩 ${next()}`, description: '楼下电动车乱停乱充，建议加装集中充电桩。' })),
  },
  { name: 'mayRedeem', may: mayRedeem, probe: async (who) => ok(await call(who, 'POST', `/rewards/${fx.rewardId}/redeem`)) },
  {
    name: 'mayGiftHours',
    may: mayGiftHours,
    probe: async (who) => ok(await call(who, 'POST', '/timebank/gifts', { toUserId: fx.family.get(me[who].householdId ?? -1) ?? [...fx.family.values()][0], hours: 0.5 })),
  },
  {
    name: 'mayPostTask',
    may: mayPostTask,
    probe: async (who) =>
      ok(await call(who, 'POST', '/timebank/tasks', { title: `楼道清理 ${next()}`, startAt: inDays(3), endAt: inDays(3.1), hours: 0.5, capacity: 1, scopeNodeId: fx.communityId })),
  },
  { name: 'mayClaimTasks', may: mayClaimTasks, probe: async (who) => ok(await call(who, 'POST', `/timebank/tasks/${fx.taskId}/claim`)) },
  { name: 'mayApplyToVolunteer', may: mayApplyToVolunteer, probe: async (who) => ok(await call(who, 'POST', '/timebank/volunteers', { note: '周末有空' })) },
];

describe('the capability table (shared) agrees with the server', () => {
  beforeAll(async () => {
    server = await startTestServer();
    const { dataSource } = server;
    const users = dataSource.getRepository(User);
    for (const openid of DEMO) {
      token[openid] = await server.login(openid);
      me[openid] = (await server.call<Me>('GET', '/me', { token: token[openid] })).body;
    }
    fx.residentId = me['demo-resident-1'].id;
    fx.building1Id = me['demo-resident-1'].household!.buildingId;
    fx.communityId = (await dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001' })).id;
    fx.grid1Id = (await dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001-G01' })).id;
    const microgrid = await dataSource.getRepository(GridNode).findOneByOrFail({ id: me['demo-resident-1'].household!.microgridId });
    fx.microgridId = microgrid.id;
    fx.microgridName = microgrid.name;
    // A family member in each demo household, to gift hours to.
    for (const openid of DEMO) {
      const householdId = me[openid].householdId;
      if (!householdId) continue;
      const family = await users.save(users.create({ openid: `capability-family-${next()}`, nickname: '家人', householdId }));
      await makeMember(dataSource, family.id, householdId, 'family');
      fx.family.set(householdId, family.id);
    }
    fx.rewardId = (await call('demo-secretary-1', 'POST', '/rewards', { name: '能力表奖品', cost: 1, stock: 1_000, communityId: fx.communityId })).body.id;
    fx.taskId = (
      await call('demo-secretary-1', 'POST', '/timebank/tasks', { title: `陪伴独居老人 ${next()}`, startAt: inDays(2), endAt: inDays(2.1), hours: 1, capacity: 5, scopeNodeId: fx.communityId })
    ).body.id;
    expect(fx.rewardId).toBeGreaterThan(0);
    expect(fx.taskId).toBeGreaterThan(0);
  });
  afterAll(() => server?.close());

  it('every staff function: its one call succeeds exactly for the demo users the table names', { timeout: 120_000 }, async () => {
    const mismatches: string[] = [];
    for (const [capability, probe] of Object.entries(PROBES) as [Capability, (who: Demo) => Promise<boolean>][]) {
      for (const who of DEMO) {
        const expected = holdsCapability(me[who], capability);
        if ((await probe(who)) !== expected) mismatches.push(`${capability} ${who}: the table says ${expected ? 'may' : 'may not'}, the server ${expected ? 'refused' : 'allowed'}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a household\'s and a volunteer\'s functions: the same, for every demo user', { timeout: 120_000 }, async () => {
    const mismatches: string[] = [];
    for (const { name, may, probe } of RESIDENT_PROBES) {
      for (const who of DEMO) {
        const expected = may(me[who]);
        if ((await probe(who)) !== expected) mismatches.push(`${name} ${who}: the table says ${expected ? 'may' : 'may not'}, the server ${expected ? 'refused' : 'allowed'}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
