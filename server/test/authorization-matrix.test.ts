import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, GridImportBody } from '@linli/shared';
import { Consultation } from '../src/consultations/consultation.entities';
import { Building } from '../src/grids/building.entity';
import { GridNode } from '../src/grids/grid-node.entity';
import { Household } from '../src/grids/household.entity';
import { RoleAssignment } from '../src/identity/role-assignment.entity';
import { User } from '../src/identity/user.entity';
import { boxPolygon } from '../src/seed/demo-community';
import { TimebankTaskRow } from '../src/timebank/timebank.entities';
import { ModerationCaseRow } from '../src/moderation/moderation.entities';
import { pushSignature } from '../src/moderation/wechat-push';
import { makeMember, startTestServer, type TestServer } from './harness';
import { HouseholdMembership } from '../src/residents/membership.entity';

/*
 * The authorisation matrix: every operation of /openapi.json × every kind of caller, with the status
 * each should get, from ONE table (MATRIX below). A route without a row fails the test, and so does a
 * row whose route is gone.
 *
 * The expected statuses are what the server SHOULD answer, decided from DESIGN.md and the server's own
 * conventions, not copied from what it answers today:
 *   401  no token (public routes: auth/options, auth/dev, auth/wechat, GET uploads/files answer anyway)
 *   404  the caller cannot see the target at all: reports, consultations, claims, redemptions and tasks
 *        by the rule their GET uses (a sub-resource or sub-action follows its parent); for a route of
 *        one role (secretary, admin), a holder of that role whose scope does not reach the target
 *   403  the caller sees the target but may not do this; or the route is for a role they do not hold
 *        at all (no secretary role, no household for a resident's action) — that says nothing about
 *        the target; grid nodes are public, so a node out of scope is 403 too
 *   409  right caller, wrong state (INVALID_TRANSITION / CONFLICT)
 * Each row's `setup` builds a target in the state the action needs (fresh per check when the action
 * changes it) and a VALID body, so that a status measures authorisation and state, not validation.
 *
 * The targets live in grid 1 of 桂花社区 (桂香苑, 1号楼) and belong to demo-resident-1 (residentIn);
 * residentElsewhere and secretaryOut live in a second community made in beforeAll.
 */

const CALLERS = [
  'anonymous',
  'residentIn',
  'residentElsewhere',
  'volunteer',
  'gridWorkerIn',
  'gridWorkerOut',
  'secretaryIn',
  'secretaryOut',
  'department',
  'mediator',
  'admin',
] as const;
type Caller = (typeof CALLERS)[number];
type LoggedIn = Exclude<Caller, 'anonymous'>;
type Expect = Record<Caller, number>;

interface Target {
  /** Values for the `{name}` placeholders of the path. */
  params?: Record<string, string | number>;
  /** Appended after `?`. */
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** multipart/form-data instead of JSON. */
  form?: () => FormData;
}

interface Row {
  expect: Expect;
  /** Builds the target and a valid body: again after every check whose call the server accepted, unless `shared`. */
  setup?: (caller: Caller) => Promise<Target>;
  /** The call does not change the target: one setup for all callers. */
  shared?: boolean;
  /** The call changes the caller themself (their household, their account…): it is made by a fresh user of the caller's kind. */
  throwaway?: boolean;
}

/* ───────── expectation shorthands ───────── */

/** Every logged-in caller gets `status`; anonymous 401. */
const everyone = (status: number): Expect => ({
  anonymous: 401,
  residentIn: status,
  residentElsewhere: status,
  volunteer: status,
  gridWorkerIn: status,
  gridWorkerOut: status,
  secretaryIn: status,
  secretaryOut: status,
  department: status,
  mediator: status,
  admin: status,
});
/** A public route: anonymous too. */
const publicRoute = (status: number): Expect => ({ ...everyone(status), anonymous: status });

/* ───────── fixtures (filled in beforeAll) ───────── */

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const OTHER = { community: 'MATRIX-C', grid: 'MATRIX-G', microgrid: 'MATRIX-M' };
const DEMO_OPENIDS: Partial<Record<LoggedIn, string>> = {
  residentIn: 'demo-resident-1',
  volunteer: 'demo-volunteer-1',
  gridWorkerIn: 'demo-gridworker-1',
  gridWorkerOut: 'demo-gridworker-2',
  secretaryIn: 'demo-secretary-1',
  department: 'demo-department-1',
  // 人民调解员 of 桂花社区's pool: the dispute targets are assigned to them.
  mediator: 'demo-mediator-1',
  admin: 'demo-admin',
};

let server: TestServer;
const fx = {
  token: {} as Record<LoggedIn | 'resident2' | 'resident3', string>,
  userId: {} as Record<LoggedIn, number>,
  communityId: 0,
  grid1Id: 0,
  building1Id: 0,
  building1Households: [] as number[],
  deptCgId: 0,
  rewardId: 0,
  familyMemberId: 0,
  uploadUrl: '',
  mediatorId: 0,
  mediator2Id: 0,
};
let serial = 0;
const next = () => `${Date.now().toString(36)}${++serial}`;
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** A setup step that must succeed. */
async function must<T = any>(who: keyof typeof fx.token, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const result = await server.call<T>(method, path, { token: fx.token[who], body: body ?? (method === 'GET' ? undefined : {}), headers });
  if (result.status >= 300) throw new Error(`setup ${who} ${method} ${path} → ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/* ───────── targets ───────── */

type ReportState = 'submitted' | 'accepted' | 'dispatched' | 'in_progress' | 'resolved';
/** A report of demo-resident-1 in grid 1, walked to `state`; from dispatched on it is with 城管 (demo-department-1). */
async function report(state: ReportState): Promise<number> {
  const { id } = await must('residentIn', 'POST', '/reports', { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT }, { 'idempotency-key': randomUUID() });
  const steps: [ReportState, string, unknown][] = [
    ['accepted', 'accept', { priority: 'normal', handlingMethod: 'department' }],
    ['dispatched', 'dispatch', { departmentId: fx.deptCgId }],
    ['in_progress', 'start', {}],
    ['resolved', 'resolve', { result: '已安排清运' }],
  ];
  const order: ReportState[] = ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved'];
  for (const [reached, action, body] of steps) {
    if (order.indexOf(state) < order.indexOf(reached)) break;
    await must(action === 'start' || action === 'resolve' ? 'department' : 'gridWorkerIn', 'POST', `/reports/${id}/${action}`, body);
  }
  return id;
}
const reportTarget = (state: ReportState, body?: unknown) => async (): Promise<Target> => ({ params: { id: await report(state) }, body });
/** A report with 城管 whose clerk asked for more time: waiting for the secretary. */
async function extensionAsked(): Promise<number> {
  const id = await report('dispatched');
  await must('department', 'POST', `/reports/${id}/extend`, { until: inDays(10), reason: '需协调停水施工' });
  return id;
}
/** A canned reply of 桂花社区, written by its secretary. */
async function cannedReply(): Promise<number> {
  return (await must('secretaryIn', 'POST', '/canned-replies', { nodeId: fx.communityId, kind: 'reject', text: `不属于社区受理范围 ${next()}` })).id;
}

type Phase = 'proposed' | 'in_review' | 'discussing' | 'decided' | 'implementing';
/** A consultation of 1号楼 proposed by demo-resident-1 (or by demo-resident-2), walked to `phase`; decided = passed. */
async function consultation(phase: Phase, proposer: 'residentIn' | 'resident2' = 'residentIn'): Promise<ConsultationDetail> {
  let c = await must<ConsultationDetail>(proposer, 'POST', '/consultations', { title: `楼道加装声控灯 ${next()}`, description: '楼道晚上太黑，老人上下楼不安全，建议加装声控灯。' });
  const order: Phase[] = ['proposed', 'in_review', 'discussing', 'decided', 'implementing'];
  const reached = (p: Phase) => order.indexOf(phase) >= order.indexOf(p);
  if (reached('in_review')) {
    await must('resident2', 'POST', `/consultations/${c.id}/cosign`);
    c = await must('resident3', 'POST', `/consultations/${c.id}/cosign`);
  }
  if (reached('discussing')) c = await must('secretaryIn', 'POST', `/consultations/${c.id}/approve`, { votingEndsAt: inDays(7), rule: 'simple' });
  if (reached('decided')) {
    // A pass needs half of the 24 households to vote; the outcome itself is not what this test is about.
    await server.dataSource.getRepository(Consultation).update({ id: c.id }, { status: 'decided', outcome: 'passed', eligibleAtClose: 24, version: c.version + 1 });
  }
  if (reached('implementing')) c = await must('secretaryIn', 'POST', `/consultations/${c.id}/implement`, { plan: '物业本月内安装' });
  return c;
}
const consultationTarget = (phase: Phase, body?: unknown) => async (): Promise<Target> => ({ params: { id: (await consultation(phase)).id }, body });
const discussingForComments = once(() => consultation('discussing'));

/** A report of demo-resident-1 in grid 1 whose text the word list flags: its moderation case id. */
async function heldCase(): Promise<number> {
  const { id } = await must('residentIn', 'POST', '/reports', { categoryCode: 'sanitation', description: `楼下那个傻逼又乱扔垃圾 ${next()}`, location: GRID1_SPOT }, { 'idempotency-key': randomUUID() });
  return (await server.dataSource.getRepository(ModerationCaseRow).findOneByOrFail({ subjectType: 'report', subjectId: id })).id;
}

const PUSH_TOKEN = 'matrix-push-token';
function signedQuery(extra = ''): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = next();
  return `signature=${pushSignature(PUSH_TOKEN, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}${extra}`;
}

/** demo-resident-1 redeems the test reward (cost 1). */
async function redemption(): Promise<number> {
  return (await must('residentIn', 'POST', `/rewards/${fx.rewardId}/redeem`)).id;
}

/** A task of grid 1 posted by the secretary (paid by the community), starting in `startInMinutes`. */
async function task(startInMinutes = 2 * 24 * 60): Promise<number> {
  const body = { title: `陪伴独居老人 ${next()}`, description: '上门聊天读报', startAt: inMinutes(startInMinutes), endAt: inMinutes(startInMinutes + 120), hours: 1, capacity: 5, scopeNodeId: fx.grid1Id };
  return (await must('secretaryIn', 'POST', '/timebank/tasks', body)).id;
}
type ClaimState = 'claimed' | 'claimed_started' | 'checked_in' | 'checked_out';
/** demo-volunteer-1's claim on a fresh task; `claimed_started`: the task has begun (for no-show). */
async function claim(state: ClaimState): Promise<number> {
  const taskId = await task(state === 'claimed' ? 2 * 24 * 60 : 10);
  const { id } = await must('volunteer', 'POST', `/timebank/tasks/${taskId}/claim`);
  if (state === 'claimed_started') await server.dataSource.getRepository(TimebankTaskRow).update({ id: taskId }, { startAt: new Date(Date.now() - 60_000) });
  if (state === 'checked_in' || state === 'checked_out') await must('volunteer', 'POST', `/timebank/claims/${id}/check-in`, {});
  if (state === 'checked_out') await must('volunteer', 'POST', `/timebank/claims/${id}/check-out`, {});
  return id;
}
/** demo-resident-1's request that the community pay for help (求助, status requested) in grid 1. */
async function helpRequest(): Promise<number> {
  const body = { title: `陪同就医 ${next()}`, startAt: inDays(2), endAt: inDays(2.1), hours: 1, capacity: 1, scopeNodeId: fx.grid1Id, requestFunding: true };
  return (await must('residentIn', 'POST', '/timebank/tasks', body)).id;
}
/** A notice of 桂花社区's secretary to grid 1 (1–4号楼: residentIn and the volunteer live there). */
const notice = once(async () => (await must('secretaryIn', 'POST', '/announcements', { nodeId: fx.grid1Id, title: '停水通知', body: '周三上午检修管道，全网格停水。' })).id as number);
/** Seen by the staff over grid 1 and its verified residents until the end date; nobody else. */
const noticeSeen = (residents: number, staff: number): Expect => ({ ...everyone(404), residentIn: residents, volunteer: residents, gridWorkerIn: staff, secretaryIn: staff, admin: staff });

const claimTarget = (state: ClaimState) => async (): Promise<Target> => ({ params: { id: await claim(state) }, body: {} });

/** Deciding a membership of 1号楼: the staff over it; anyone else cannot see it. */
const membershipDecision: Expect = { ...everyone(404), gridWorkerIn: 200, secretaryIn: 200, admin: 200 };

/** A newcomer's membership of a 1号楼 flat, pending or already verified; returns its id. */
async function membership(status: 'pending' | 'verified'): Promise<number> {
  const user = await server.dataSource.getRepository(User).save({ openid: `matrix-member-${next()}`, nickname: '新住户', householdId: fx.building1Households[14] });
  const row = await server.dataSource.getRepository(HouseholdMembership).save({ householdId: fx.building1Households[14], userId: user.id, relation: 'family', status, method: 'request', version: 0 });
  return row.id;
}

/** A new resident of 1号楼 who applied to volunteer; returns their user id. */
async function applicant(): Promise<number> {
  const users = server.dataSource.getRepository(User);
  const user = await users.save(users.create({ openid: `matrix-applicant-${next()}`, nickname: '申请人', householdId: fx.building1Households[6] }));
  await makeMember(server.dataSource, user.id, fx.building1Households[6]);
  const token = (await server.app.tokens.issue(user.id)).token;
  const applied = await server.call('POST', '/timebank/volunteers', { token, body: { note: '周末有空' } });
  if (applied.status !== 201) throw new Error(`setup apply → ${applied.status} ${JSON.stringify(applied.body)}`);
  return user.id;
}

type DisputeState = 'registered' | 'accepted' | 'mediating' | 'agreed' | 'failed' | 'fulfilled';
const DISPUTE_SESSION = { heldAt: new Date().toISOString(), place: '桂花社区调解室', participants: ['张晓梅', '孙女士'], notes: '双方到场陈述意见。' };
const DISPUTE_AGREEMENT = { form: 'written', terms: '孙女士七日内清理楼道杂物', performance: '自行清理', deadline: new Date(Date.now() + 8 * 3600_000 + 7 * 24 * 3600_000).toISOString().slice(0, 10) };
/** A case demo-resident-1 applied for in grid 1, accepted for demo-mediator-1 and walked to `state`; a failed one went to the fast-track court. */
async function dispute(state: DisputeState): Promise<number> {
  const { id } = await must('residentIn', 'POST', '/disputes', {
    title: `楼道堆物纠纷 ${next()}`.slice(0, 60),
    description: '邻居长期在共用楼道堆放杂物，影响通行。',
    type: 'neighbour',
    source: 'application',
    parties: [{ role: 'applicant', name: '张晓梅' }, { role: 'respondent', name: '孙女士', phone: '13900000001' }],
  });
  const steps: [DisputeState, LoggedIn, string, unknown][] = [
    ['accepted', 'secretaryIn', 'accept', { mediatorId: fx.mediatorId }],
    ['mediating', 'mediator', 'session', DISPUTE_SESSION],
    ['agreed', 'mediator', 'agree', DISPUTE_AGREEMENT],
    ['fulfilled', 'mediator', 'fulfil', {}],
  ];
  const order: DisputeState[] = ['registered', 'accepted', 'mediating', 'agreed', 'fulfilled'];
  if (state === 'failed') {
    for (const [, who, action, body] of steps.slice(0, 2)) await must(who, 'POST', `/disputes/${id}/${action}`, body);
    await must('mediator', 'POST', `/disputes/${id}/fail`, { advice: 'speedy_trial', reason: '分歧较大' });
    return id;
  }
  for (const [reached, who, action, body] of steps) {
    if (order.indexOf(state) < order.indexOf(reached)) break;
    await must(who, 'POST', `/disputes/${id}/${action}`, body);
  }
  return id;
}
const disputeTarget = (state: DisputeState, body?: unknown) => async (): Promise<Target> => ({ params: { id: await dispute(state) }, body: body ?? {} });
/** Who sees a case: the party, its mediator, the secretary and admin over it; anyone else 404. */
const disputeSeen = (party: number, mediator: number, coordinators: number): Expect => ({ ...everyone(404), residentIn: party, mediator, secretaryIn: coordinators, admin: coordinators });

/** A smallest valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const pngForm = () => {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'matrix.png');
  return form;
};

const otherCommunityImport = (): GridImportBody => ({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: boxPolygon([120.141, 30.284, 120.145, 30.288]), properties: { code: OTHER.community, name: '新河社区', level: 'community', parentCode: '330199001' } },
    { type: 'Feature', geometry: null, properties: { code: OTHER.grid, name: '新河社区第一网格', level: 'grid', parentCode: OTHER.community } },
    { type: 'Feature', geometry: boxPolygon([120.141, 30.284, 120.145, 30.288]), properties: { code: OTHER.microgrid, name: '新河微网格', level: 'microgrid', parentCode: OTHER.grid } },
  ],
});

/** An empty micro-grid of the second community, made by the admin's import. */
async function emptyMicrogrid(): Promise<number> {
  const code = `MATRIX-EMPTY-${next()}`;
  await must('admin', 'POST', '/grids/import', {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: null, properties: { code, name: '待删微网格', level: 'microgrid', parentCode: OTHER.grid } }],
  });
  return (await server.dataSource.getRepository(GridNode).findOneByOrFail({ code })).id;
}
const sharedEmptyMicrogrid = once(emptyMicrogrid);

/** A one-row ledger: a flat of 1号楼 as it is (importing it again and again changes nothing). */
const ledgerFile = once(async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('台账');
  sheet.addRow(['微网格', '楼栋', '单元', '房号', '建筑面积㎡', '姓名', '手机号', '与户关系']);
  sheet.addRow(['', '1号楼', '1单元', '101', '', '', '', '']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
});
const ledgerForm = (bytes: Uint8Array) => () => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), '台账.xlsx');
  return form;
};

/** A user with no role, for granting one. */
async function plainUser(): Promise<number> {
  const users = server.dataSource.getRepository(User);
  return (await users.save(users.create({ openid: `matrix-plain-${next()}`, nickname: '普通用户' }))).id;
}

/* ───────── THE MATRIX ───────── */

const MATRIX: Record<string, Row> = {
  /* dashboard and export: the secretary and admin over the node (a grid worker only inside their grid) */
  'GET /api/v1/stats/overview': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ query: `nodeId=${fx.communityId}` }) },
  'GET /api/v1/stats/reports.xlsx': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ query: `nodeId=${fx.communityId}` }) },
  'GET /api/v1/buildings/{id}/code': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ params: { id: fx.building1Id }, query: 'format=qr' }) },
  // The print sheet of a community's codes: its secretary, admins over it; a node is public, so 403 outside.
  'GET /api/v1/grids/{id}/building-codes': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ params: { id: fx.communityId } }) },

  /* admin: grid nodes, staff, categories, Open311 keys */
  'PUT /api/v1/grids/{id}': { expect: { ...everyone(403), admin: 200 }, shared: true, setup: async () => ({ params: { id: await sharedEmptyMicrogrid() }, body: { name: '改名微网格' } }) },
  'DELETE /api/v1/grids/{id}': { expect: { ...everyone(403), admin: 204 }, setup: async () => ({ params: { id: await emptyMicrogrid() } }) },
  'GET /api/v1/admin/role-assignments': { expect: { ...everyone(403), admin: 200 }, shared: true, setup: async () => ({ query: `nodeId=${fx.communityId}` }) },
  'POST /api/v1/admin/role-assignments': { expect: { ...everyone(403), admin: 201 }, setup: async () => ({ body: { userId: await plainUser(), role: 'volunteer', nodeId: fx.communityId } }) },
  'DELETE /api/v1/admin/role-assignments/{id}': {
    expect: { ...everyone(403), admin: 204 },
    setup: async () => {
      const roles = server.dataSource.getRepository(RoleAssignment);
      const { identifiers } = await roles.insert({ userId: await plainUser(), role: 'volunteer', nodeId: fx.communityId });
      return { params: { id: identifiers[0].id as number } };
    },
  },
  'GET /api/v1/admin/users': { expect: { ...everyone(403), admin: 200 }, shared: true, setup: async () => ({ query: `q=${encodeURIComponent('张')}` }) },
  'GET /api/v1/admin/report-categories': { expect: { ...everyone(403), admin: 200 } },
  'POST /api/v1/admin/report-categories': { expect: { ...everyone(403), admin: 201 }, setup: async () => ({ body: { code: `m${next()}`, name: '测试类别', slaHours: 24 } }) },
  'PUT /api/v1/admin/report-categories/{code}': { expect: { ...everyone(403), admin: 200 }, shared: true, setup: async () => ({ params: { code: 'other' }, body: { slaHours: 120 } }) },
  'POST /api/v1/admin/open311-keys': { expect: { ...everyone(403), admin: 201 }, setup: async () => ({ body: { name: '12345热线', nodeId: fx.communityId } }) },
  'GET /api/v1/admin/open311-keys': { expect: { ...everyone(403), admin: 200 } },
  'DELETE /api/v1/admin/open311-keys/{id}': {
    expect: { ...everyone(403), admin: 200 },
    setup: async () => ({ params: { id: (await must('admin', 'POST', '/admin/open311-keys', { name: '待撤销', nodeId: fx.communityId })).id } }),
  },

  /* auth & me */
  'GET /api/v1/auth/options': { expect: publicRoute(200) },
  // Without WeChat configured every code is the dev user.
  'POST /api/v1/auth/wechat': { expect: publicRoute(200), shared: true, setup: async () => ({ body: { code: 'matrix-code' } }) },
  'POST /api/v1/auth/dev': { expect: publicRoute(200), setup: async () => ({ body: { openid: `matrix-dev-${next()}` } }) },
  'GET /api/v1/me': { expect: everyone(200) },
  'GET /api/v1/me/export': { expect: everyone(200) },
  'PUT /api/v1/me/settings': { expect: everyone(200), throwaway: true, shared: true, setup: async () => ({ body: { showNameOnLeaderboard: true } }) },
  'DELETE /api/v1/me': { expect: everyone(204), throwaway: true },
  // Binding moves the caller: made by a throwaway of each kind.
  'PUT /api/v1/me/household': { expect: everyone(200), throwaway: true, shared: true, setup: async () => ({ body: { householdId: fx.building1Households[10] } }) },

  /* residents: memberships, invites, the staff's people search */
  'POST /api/v1/me/phone': { expect: everyone(200), throwaway: true, setup: async () => ({ body: { code: `dev-phone-139${String(serial).padStart(8, '0')}` } }) },
  'GET /api/v1/memberships': { expect: { ...everyone(403), gridWorkerIn: 200, gridWorkerOut: 200, secretaryIn: 200, secretaryOut: 200, admin: 200 } },
  'POST /api/v1/memberships/{id}/verify': { expect: membershipDecision, setup: async () => ({ params: { id: await membership('pending') }, body: {} }) },
  'POST /api/v1/memberships/{id}/reject': { expect: membershipDecision, setup: async () => ({ params: { id: await membership('pending') }, body: { reason: '台账无此人' } }) },
  'POST /api/v1/memberships/{id}/remove': { expect: membershipDecision, setup: async () => ({ params: { id: await membership('verified') }, body: { reason: '已搬离' } }) },
  // Only a verified owner of that very household; anyone else cannot see it.
  'POST /api/v1/households/{id}/invites': { expect: { ...everyone(404), residentIn: 201 }, shared: true, setup: async () => ({ params: { id: fx.building1Households[0] }, body: { relation: 'family' } }) },
  // A throwaway of the owner is a member already.
  'POST /api/v1/invites/{code}/accept': {
    expect: { ...everyone(200), residentIn: 409 },
    throwaway: true,
    setup: async () => ({ params: { code: (await must('residentIn', 'POST', `/households/${fx.building1Households[0]}/invites`, { relation: 'family' })).code }, body: {} }),
  },
  // The verified members of the caller's own household: staff without one have none (403), as a pending member.
  'GET /api/v1/me/household/members': { expect: { ...everyone(200), gridWorkerIn: 403, gridWorkerOut: 403, secretaryIn: 403, secretaryOut: 403, department: 403, admin: 403, mediator: 403 } },
  // Only the owner who made the code learns it exists.
  'GET /api/v1/invites/{code}/image': {
    expect: { ...everyone(404), residentIn: 200 },
    shared: true,
    setup: async () => ({ params: { code: (await must('residentIn', 'POST', `/households/${fx.building1Households[0]}/invites`, { relation: 'tenant' })).code }, query: 'format=qr' }),
  },
  'GET /api/v1/residents': { expect: { ...everyone(403), gridWorkerIn: 200, gridWorkerOut: 200, secretaryIn: 200, secretaryOut: 200, admin: 200 }, shared: true, setup: async () => ({ query: `q=${encodeURIComponent('张')}` }) },
  'POST /api/v1/residents': {
    expect: { ...everyone(403), gridWorkerIn: 201, secretaryIn: 201, admin: 201 },
    setup: async () => ({ body: { name: `登记${next()}`.slice(0, 32), householdId: fx.building1Households[12], relation: 'family' } }),
  },
  'POST /api/v1/residents/{id}/phone': {
    expect: { ...everyone(403), gridWorkerIn: 200, gridWorkerOut: 404, secretaryIn: 200, secretaryOut: 404, admin: 200 },
    shared: true,
    setup: async () => ({ params: { id: fx.userId.residentIn }, body: {} }),
  },
  // The ledger (台账): the secretary and admins over the community; the template to any of them.
  'GET /api/v1/households/import-template': { expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 200, admin: 200 } },
  'GET /api/v1/households/export': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ query: `nodeId=${fx.communityId}` }) },
  'POST /api/v1/households/import': {
    expect: { ...everyone(403), secretaryIn: 200, admin: 200 },
    shared: true,
    setup: async () => ({ query: `nodeId=${fx.communityId}&dryRun=false`, form: ledgerForm(await ledgerFile()) }),
  },
  // Staff over the flat; other staff cannot see it.
  'GET /api/v1/households/{id}/members': {
    expect: { ...everyone(403), gridWorkerIn: 200, gridWorkerOut: 404, secretaryIn: 200, secretaryOut: 404, admin: 200 },
    shared: true,
    setup: async () => ({ params: { id: fx.building1Households[0] } }),
  },
  'PUT /api/v1/households/{id}': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ params: { id: fx.building1Households[13] }, body: { areaM2: 95.5 } }) },

  /* grids: the tree and buildings are public to anyone logged in (the binding picker); import is the admin's */
  'GET /api/v1/grids/tree': { expect: everyone(200) },
  'GET /api/v1/grids/locate': { expect: everyone(200), shared: true, setup: async () => ({ query: `lat=${GRID1_SPOT.lat}&lng=${GRID1_SPOT.lng}` }) },
  'GET /api/v1/grids/{id}/buildings': { expect: everyone(200), shared: true, setup: async () => ({ params: { id: fx.communityId } }) },
  'GET /api/v1/buildings/{id}/households': { expect: everyone(200), shared: true, setup: async () => ({ params: { id: fx.building1Id } }) },
  'POST /api/v1/grids/import': { expect: { ...everyone(403), admin: 200 }, shared: true, setup: async () => ({ body: otherCommunityImport() }) },

  /* the map (一图): a community's drawing for its residents and for staff over, in or under it (a grid worker of
     either grid sees the community around theirs); no household → the tree from the top; points for staff over the node */
  'GET /api/v1/grids/map': {
    expect: { ...everyone(200), residentElsewhere: 403, secretaryOut: 403 },
    shared: true,
    setup: async () => ({ query: `nodeId=${fx.communityId}` }),
  },
  'GET /api/v1/reports/points': {
    expect: { ...everyone(403), gridWorkerIn: 200, secretaryIn: 200, admin: 200 },
    shared: true,
    setup: async () => ({ query: `nodeId=${fx.grid1Id}` }),
  },

  /* reports */
  'GET /api/v1/report-categories': { expect: everyone(200) },
  'GET /api/v1/departments': { expect: everyone(200) },
  // Anyone logged in may speak up about a spot; it is routed to the grid that covers it.
  'POST /api/v1/reports': {
    expect: everyone(201),
    setup: async () => ({ body: { categoryCode: 'sanitation', description: '路灯坏了好几天了', location: GRID1_SPOT }, headers: { 'idempotency-key': randomUUID() } }),
  },
  'GET /api/v1/reports': { expect: everyone(200), shared: true, setup: async () => ({ query: 'scope=queue' }) },
  'GET /api/v1/reports/nearby': { expect: everyone(200), shared: true, setup: async () => ({ query: `lat=${GRID1_SPOT.lat}&lng=${GRID1_SPOT.lng}&categoryCode=sanitation` }) },
  // A caller recorded by the grid worker: the staff over the report may call them back; residents cannot see the report.
  'POST /api/v1/reports/{id}/caller/phone': {
    expect: { ...everyone(404), gridWorkerIn: 200, secretaryIn: 200, admin: 200 },
    shared: true,
    setup: async () => {
      const filed = await must('gridWorkerIn', 'POST', '/reports', { categoryCode: 'sanitation', description: '来电反映楼下垃圾桶满了', location: GRID1_SPOT, channel: 'hotline', caller: { name: '来电人', phone: '13905710101' } }, { 'idempotency-key': randomUUID() });
      return { params: { id: filed.id }, body: {} };
    },
  },
  'GET /api/v1/reports/{id}': {
    expect: { ...everyone(404), residentIn: 200, gridWorkerIn: 200, secretaryIn: 200, admin: 200 },
    shared: true,
    setup: reportTarget('submitted'),
  },
  // A sub-resource of the report: who cannot see the report gets 404, as for GET /reports/{id}.
  'GET /api/v1/reports/{id}/assignees': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, admin: 200 },
    shared: true,
    setup: reportTarget('submitted'),
  },
  'POST /api/v1/reports/{id}/accept': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, admin: 403 },
    setup: reportTarget('submitted', { priority: 'normal', handlingMethod: 'on_site' }),
  },
  'POST /api/v1/reports/{id}/reject': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, admin: 403 },
    setup: reportTarget('submitted', { reason: '不属于本社区事务' }),
  },
  'POST /api/v1/reports/{id}/merge': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, admin: 403 },
    setup: async () => ({ params: { id: await report('submitted') }, body: { intoId: await report('submitted') } }),
  },
  'POST /api/v1/reports/{id}/dispatch': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, admin: 403 },
    setup: async () => ({ params: { id: await report('accepted') }, body: { departmentId: fx.deptCgId } }),
  },
  // Handling belongs to the assignee / department and the grid worker; the secretary supervises instead.
  'POST /api/v1/reports/{id}/start': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 403, department: 200, admin: 403 },
    setup: reportTarget('dispatched'),
  },
  'POST /api/v1/reports/{id}/resolve': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 403, department: 200, admin: 403 },
    setup: reportTarget('in_progress', { result: '已清运完毕' }),
  },
  'POST /api/v1/reports/{id}/supervise': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: reportTarget('accepted', { note: '请本周内办结' }),
  },
  'POST /api/v1/reports/{id}/feedback': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, department: 403, admin: 403 },
    setup: reportTarget('resolved', { method: 'call', note: '电话回访，居民满意' }),
  },
  'POST /api/v1/reports/{id}/rate': {
    expect: { ...everyone(404), residentIn: 200, gridWorkerIn: 403, secretaryIn: 403, department: 403, admin: 403 },
    setup: reportTarget('resolved', { score: 5 }),
  },
  // 我来处理 is a grid worker's over the report; the reporter sees it but may not; staff elsewhere cannot see it.
  'POST /api/v1/reports/{id}/take': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 403, admin: 403 },
    setup: reportTarget('submitted', { priority: 'normal' }),
  },
  // Handing back and asking for time are the assignee's (城管, demo-department-1); deciding is the secretary's.
  'POST /api/v1/reports/{id}/return': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 403, department: 200, admin: 403 },
    setup: reportTarget('dispatched', { reason: '不属于城管职责' }),
  },
  'POST /api/v1/reports/{id}/extend': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 403, department: 200, admin: 403 },
    setup: reportTarget('dispatched', { until: inDays(10), reason: '需协调停水施工' }),
  },
  'POST /api/v1/reports/{id}/extension/approve': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, department: 403, admin: 403 },
    setup: async () => ({ params: { id: await extensionAsked() }, body: {} }),
  },
  'POST /api/v1/reports/{id}/extension/reject': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, department: 403, admin: 403 },
    setup: async () => ({ params: { id: await extensionAsked() }, body: { reason: '请按原时限办结' } }),
  },
  // The staff over or on it call the reporter back; the reporter is no staff; anyone else cannot see it.
  'POST /api/v1/reports/{id}/reporter/phone': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 200, secretaryIn: 200, department: 200, admin: 200 },
    shared: true,
    setup: reportTarget('dispatched'),
  },
  // 常用语: read by whoever handles the community's reports (both its grids, the street's department), kept by its secretary and admins.
  'GET /api/v1/canned-replies': {
    expect: { ...everyone(403), gridWorkerIn: 200, gridWorkerOut: 200, secretaryIn: 200, department: 200, admin: 200 },
    shared: true,
    setup: async () => ({ query: `nodeId=${fx.communityId}` }),
  },
  'POST /api/v1/canned-replies': {
    expect: { ...everyone(403), secretaryIn: 201, admin: 201 },
    setup: async () => ({ body: { nodeId: fx.communityId, kind: 'resolve', text: `已处理完毕 ${next()}` } }),
  },
  'PUT /api/v1/canned-replies/{id}': {
    expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 404, admin: 200 },
    shared: true,
    setup: async () => ({ params: { id: await cannedReply() }, body: { text: '已现场处理完毕。' } }),
  },
  'DELETE /api/v1/canned-replies/{id}': {
    expect: { ...everyone(403), secretaryIn: 204, secretaryOut: 404, admin: 204 },
    setup: async () => ({ params: { id: await cannedReply() } }),
  },
  // A neighbour (household in the report's community: the volunteer of 3号楼) may +1 an open report found
  // nearby; those who see it otherwise (its reporter, staff without a household there) may not; to anyone
  // else it does not exist.
  'POST /api/v1/reports/{id}/follow': {
    expect: { ...everyone(404), residentIn: 403, volunteer: 200, gridWorkerIn: 403, secretaryIn: 403, admin: 403 },
    setup: reportTarget('submitted'),
  },

  /* consultations: residentIn = demo-resident-1 of 1号楼 (the proposer unless said otherwise) */
  // Proposing is for a household; staff without one are refused as such (403), as gifts and redeeming do.
  'POST /api/v1/consultations': {
    expect: { ...everyone(403), residentIn: 201, residentElsewhere: 201, volunteer: 201 },
    setup: async () => ({ body: { title: `加装电动车充电桩 ${next()}`, description: '楼下电动车乱停乱充，建议加装集中充电桩。' } }),
  },
  'GET /api/v1/consultations': { expect: everyone(200) },
  'GET /api/v1/consultations/{id}': {
    expect: { ...everyone(404), residentIn: 200, gridWorkerIn: 200, secretaryIn: 200, admin: 200 },
    shared: true,
    setup: consultationTarget('proposed'),
  },
  // Proposed by demo-resident-2, so demo-resident-1's household has not co-signed yet.
  'POST /api/v1/consultations/{id}/cosign': {
    expect: { ...everyone(404), residentIn: 200, gridWorkerIn: 403, secretaryIn: 403, admin: 403 },
    setup: async () => ({ params: { id: (await consultation('proposed', 'resident2')).id }, body: {} }),
  },
  'POST /api/v1/consultations/{id}/withdraw': {
    expect: { ...everyone(404), residentIn: 200, gridWorkerIn: 403, secretaryIn: 403, admin: 403 },
    setup: consultationTarget('proposed'),
  },
  'POST /api/v1/consultations/{id}/approve': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: async () => ({ params: { id: (await consultation('in_review')).id }, body: { votingEndsAt: inDays(7), rule: 'simple' } }),
  },
  'POST /api/v1/consultations/{id}/reject': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: consultationTarget('in_review', { reason: '属于物业合同约定事项' }),
  },
  'POST /api/v1/consultations/{id}/comments': {
    expect: { ...everyone(404), residentIn: 201, gridWorkerIn: 403, secretaryIn: 201, admin: 403 },
    shared: true,
    setup: async () => ({ params: { id: (await discussingForComments()).id }, body: { body: '支持，晚上充电太不方便了' } }),
  },
  'POST /api/v1/consultations/{id}/votes': {
    expect: { ...everyone(404), residentIn: 200, gridWorkerIn: 403, secretaryIn: 403, admin: 403 },
    shared: true,
    setup: async () => {
      const c = await consultation('discussing');
      return { params: { id: c.id }, body: { optionId: c.options[0].id } };
    },
  },
  // Paper ballots and proxies: the secretary over the consultation's scope records them (grid workers hand the paper in).
  'POST /api/v1/consultations/{id}/ballots': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    shared: true,
    setup: async () => {
      const c = await consultation('discussing');
      return { params: { id: c.id }, body: { householdId: fx.building1Households[5], optionId: c.options[0].id, method: 'paper' } };
    },
  },
  'POST /api/v1/consultations/{id}/close': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: consultationTarget('discussing'),
  },
  'POST /api/v1/consultations/{id}/implement': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: consultationTarget('decided', { plan: '物业本月内安装' }),
  },
  // The owner is the secretary who took it on (implement without ownerId).
  'POST /api/v1/consultations/{id}/progress': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    shared: true,
    setup: consultationTarget('implementing', { note: '已订购灯具' }),
  },
  'POST /api/v1/consultations/{id}/complete': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: consultationTarget('implementing', { summary: '声控灯已全部安装' }),
  },
  // A consultation action like the others: who cannot see the consultation gets 404.
  'POST /api/v1/consultations/{id}/comments/{commentId}/hide': {
    expect: { ...everyone(404), residentIn: 403, gridWorkerIn: 403, secretaryIn: 200, admin: 403 },
    setup: async () => {
      const c = await discussingForComments();
      const text = `某某就是想占车位 ${next()}`;
      const after = await must<ConsultationDetail>('resident2', 'POST', `/consultations/${c.id}/comments`, { body: text });
      return { params: { id: c.id, commentId: after.comments.find((x) => x.body === text)!.id }, body: { reason: '含人身攻击' } };
    },
  },

  /* points */
  'GET /api/v1/points/me': { expect: everyone(200) },
  // Grid 1's board: neighbours of the community and staff over grid 1; a grid node is public, so 403 outside.
  'GET /api/v1/points/leaderboard': {
    expect: { ...everyone(200), residentElsewhere: 403, gridWorkerOut: 403, secretaryOut: 403 },
    shared: true,
    setup: async () => ({ query: `nodeId=${fx.grid1Id}&period=all` }),
  },
  // Secretary's route; the resident lives outside secretaryOut's scope (residents are not public) → 404.
  'POST /api/v1/points/awards': {
    expect: { ...everyone(403), secretaryIn: 201, secretaryOut: 404 },
    setup: async () => ({ body: { userId: fx.userId.residentIn, points: 2, note: '帮助邻居' }, headers: { 'idempotency-key': randomUUID() } }),
  },
  // Secretary's route about themselves: any secretary (of any community) reads their own budget.
  'GET /api/v1/points/awards/budget': { expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 200 } },
  'GET /api/v1/rewards': { expect: everyone(200) },
  'POST /api/v1/rewards': {
    expect: { ...everyone(403), secretaryIn: 201 },
    setup: async () => ({ body: { name: `雨伞 ${next()}`.slice(0, 40), cost: 30, stock: 5, communityId: fx.communityId } }),
  },
  // Secretary's route: no secretary role → 403; a secretary of another community cannot see the reward → 404.
  'PUT /api/v1/rewards/{id}': {
    expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 404 },
    shared: true,
    setup: async () => ({ params: { id: fx.rewardId }, body: { stock: 100_000 } }),
  },
  // A household's route: none → 403; a resident of another community cannot see this shelf → 404.
  'POST /api/v1/rewards/{id}/redeem': {
    expect: { ...everyone(403), residentIn: 201, volunteer: 201, residentElsewhere: 404 },
    shared: true,
    setup: async () => ({ params: { id: fx.rewardId } }),
  },
  'GET /api/v1/redemptions': { expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 200 }, shared: true, setup: async () => ({ query: 'scope=queue' }) },
  'POST /api/v1/redemptions/{id}/fulfil': {
    expect: { ...everyone(404), residentIn: 403, secretaryIn: 200 },
    setup: async () => ({ params: { id: await redemption() }, body: {} }),
  },
  'POST /api/v1/redemptions/{id}/cancel': {
    expect: { ...everyone(404), residentIn: 200, secretaryIn: 200 },
    setup: async () => ({ params: { id: await redemption() }, body: {} }),
  },

  /* time bank */
  // Applying changes the caller: throwaways. A household is needed (403 without, like redeeming); a volunteer already is one (409).
  'POST /api/v1/timebank/volunteers': {
    expect: { ...everyone(403), residentIn: 201, residentElsewhere: 201, volunteer: 409 },
    throwaway: true,
    shared: true,
    setup: async () => ({ body: { note: '周末有空' } }),
  },
  'GET /api/v1/timebank/volunteers': { expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 200 } },
  'POST /api/v1/timebank/volunteers/{userId}/approve': {
    expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 404 },
    setup: async () => ({ params: { userId: await applicant() } }),
  },
  'POST /api/v1/timebank/volunteers/{userId}/reject': {
    expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 404 },
    setup: async () => ({ params: { userId: await applicant() } }),
  },
  'GET /api/v1/timebank/tasks': { expect: everyone(200) },
  // In grid 1 of 桂花社区: its secretary (community hours), or a resident of 桂花 with banked hours.
  'POST /api/v1/timebank/tasks': {
    expect: { ...everyone(403), residentIn: 201, volunteer: 201, secretaryIn: 201 },
    setup: async () => ({ body: { title: `楼道清理 ${next()}`, startAt: inDays(3), endAt: inDays(3.1), hours: 1, capacity: 1, scopeNodeId: fx.grid1Id } }),
  },
  // Tasks are for the whole community (residents, its volunteers and grid workers) and admins over it;
  // staff of other duties there (departments, mediators) do not see them.
  'GET /api/v1/timebank/tasks/{id}': {
    expect: { ...everyone(200), residentElsewhere: 404, secretaryOut: 404, department: 404, mediator: 404 },
    shared: true,
    setup: async () => ({ params: { id: await task() } }),
  },
  'POST /api/v1/timebank/tasks/{id}/cancel': {
    expect: { ...everyone(403), residentElsewhere: 404, secretaryOut: 404, department: 404, mediator: 404, secretaryIn: 200 },
    setup: async () => ({ params: { id: await task() }, body: {} }),
  },
  'POST /api/v1/timebank/tasks/{id}/claim': {
    expect: { ...everyone(403), residentElsewhere: 404, secretaryOut: 404, department: 404, mediator: 404, volunteer: 201 },
    setup: async () => ({ params: { id: await task() } }),
  },
  // A claim is seen by its volunteer and the task's managers (poster = secretaryIn) only.
  'POST /api/v1/timebank/claims/{id}/cancel': { expect: { ...everyone(404), volunteer: 200, secretaryIn: 403 }, setup: claimTarget('claimed') },
  'POST /api/v1/timebank/claims/{id}/check-in': { expect: { ...everyone(404), volunteer: 200, secretaryIn: 403 }, setup: claimTarget('claimed_started') },
  'POST /api/v1/timebank/claims/{id}/check-out': { expect: { ...everyone(404), volunteer: 200, secretaryIn: 403 }, setup: claimTarget('checked_in') },
  // Checked in and out at once before the start: no attended time, so a valid body names the hours and why.
  'POST /api/v1/timebank/claims/{id}/confirm': {
    expect: { ...everyone(404), volunteer: 403, secretaryIn: 200 },
    setup: async () => ({ ...(await claimTarget('checked_out')()), body: { hours: 1, reason: '现场核实全程在岗' } }),
  },
  'POST /api/v1/timebank/claims/{id}/no-show': { expect: { ...everyone(404), volunteer: 403, secretaryIn: 200 }, setup: claimTarget('claimed_started') },
  'GET /api/v1/timebank/me': { expect: everyone(200) },
  // To a member of demo-resident-1's household: a relation between two people, not a scope, so 403 for anyone else.
  'POST /api/v1/timebank/gifts': { expect: { ...everyone(403), residentIn: 201 }, shared: true, setup: async () => ({ body: { toUserId: fx.familyMemberId, hours: 0.5 } }) },

  // 求助: seen by its poster and the secretaries (and admins) over it; only a secretary funds or declines it.
  'POST /api/v1/timebank/tasks/{id}/fund': { expect: { ...everyone(404), residentIn: 403, admin: 403, secretaryIn: 200 }, setup: async () => ({ params: { id: await helpRequest() }, body: {} }) },
  'POST /api/v1/timebank/tasks/{id}/decline': {
    expect: { ...everyone(404), residentIn: 403, admin: 403, secretaryIn: 200 },
    setup: async () => ({ params: { id: await helpRequest() }, body: { reason: '本月社区时长已用完' } }),
  },

  /* 社区公告 */
  'GET /api/v1/announcements': { expect: everyone(200) },
  // Posters (grid workers, secretaries, admins) over the place; anyone else holds no such role (403).
  'POST /api/v1/announcements': {
    expect: { ...everyone(403), gridWorkerIn: 201, secretaryIn: 201, admin: 201 },
    setup: async () => ({ body: { nodeId: fx.grid1Id, title: `活动通知 ${next()}`, body: '周六上午社区广场义诊，欢迎参加。' } }),
  },
  'GET /api/v1/announcements/{id}': { expect: noticeSeen(200, 200), shared: true, setup: async () => ({ params: { id: await notice() } }) },
  'POST /api/v1/announcements/{id}/read': { expect: noticeSeen(200, 200), shared: true, setup: async () => ({ params: { id: await notice() }, body: {} }) },
  // 已读 N / M 户 is for the staff over it; a resident who reads the notice may not see the count.
  'GET /api/v1/announcements/{id}/reads': { expect: noticeSeen(403, 200), shared: true, setup: async () => ({ params: { id: await notice() } }) },

  /* inbox: one's own only */
  'GET /api/v1/notifications': { expect: everyone(200) },
  'POST /api/v1/notifications/read-all': { expect: everyone(200) },
  'POST /api/v1/notifications/{id}/read': {
    expect: { ...everyone(404), residentIn: 200 },
    shared: true,
    setup: async () => {
      const [n] = await server.app.notifications.service.send([{ userId: fx.userId.residentIn, kind: 'matrix', title: '测试通知', body: '授权矩阵', dedupeKey: `matrix:${next()}` }]);
      return { params: { id: n.id } };
    },
  },

  /* moderation */
  // A reviewers' route (secretary, admin): the list is scoped, so any reviewer gets 200.
  'GET /api/v1/moderation/cases': { expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 200, admin: 200 } },
  // One role's route: a reviewer whose scope does not reach the case gets 404.
  'POST /api/v1/moderation/cases/{id}/release': {
    expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 404, admin: 200 },
    setup: async () => ({ params: { id: await heldCase() }, body: {} }),
  },
  'POST /api/v1/moderation/cases/{id}/remove': {
    expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 404, admin: 200 },
    setup: async () => ({ params: { id: await heldCase() }, body: { reason: '含辱骂内容' } }),
  },
  // WeChat's message push: public, authenticated by its signature instead of a token.
  'GET /api/v1/wechat/events': { expect: publicRoute(200), setup: async () => ({ query: signedQuery('&echostr=matrix') }) },
  'POST /api/v1/wechat/events': {
    expect: publicRoute(200),
    setup: async () => ({ query: signedQuery(), body: { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'matrix-unknown', result: { suggest: 'pass', label: 100 } } }),
  },

  /* disputes (矛盾纠纷调处): residentIn applied; the mediator caller is assigned from acceptance on */
  // A resident applies for themself; staff who register cases (grid workers, secretaries, mediators, admins)
  // file it in their own scope; department staff without a household have no place for it (403).
  'POST /api/v1/disputes': {
    expect: { ...everyone(201), department: 403 },
    setup: async () => ({ body: { title: '噪音纠纷', description: '楼上深夜经常拖动家具，影响休息。', type: 'neighbour', source: 'application', parties: [{ role: 'applicant', name: '王某' }, { role: 'respondent', name: '李某' }] } }),
  },
  'GET /api/v1/disputes': { expect: everyone(200), shared: true, setup: async () => ({ query: 'scope=queue' }) },
  'GET /api/v1/disputes/{id}': { expect: disputeSeen(200, 200, 200), shared: true, setup: disputeTarget('accepted') },
  'GET /api/v1/disputes/{id}/agreement': { expect: disputeSeen(200, 200, 200), shared: true, setup: disputeTarget('agreed') },
  // Not accepted yet: no mediator on it, so the mediator caller cannot see it.
  'POST /api/v1/disputes/{id}/accept': { expect: disputeSeen(403, 404, 200), setup: async () => ({ params: { id: await dispute('registered') }, body: { mediatorId: fx.mediatorId } }) },
  'POST /api/v1/disputes/{id}/decline': { expect: disputeSeen(403, 404, 200), setup: disputeTarget('registered', { reason: '不属于人民调解受理范围' }) },
  'POST /api/v1/disputes/{id}/assign': { expect: disputeSeen(403, 403, 200), setup: async () => ({ params: { id: await dispute('accepted') }, body: { mediatorId: fx.mediator2Id } }) },
  // The mediator's own work: recording sessions and the outcome.
  'POST /api/v1/disputes/{id}/session': { expect: disputeSeen(403, 200, 403), setup: disputeTarget('accepted', DISPUTE_SESSION) },
  'POST /api/v1/disputes/{id}/agree': { expect: disputeSeen(403, 200, 403), setup: disputeTarget('mediating', DISPUTE_AGREEMENT) },
  'POST /api/v1/disputes/{id}/fail': { expect: disputeSeen(403, 200, 403), setup: disputeTarget('mediating', { advice: 'litigation', reason: '双方分歧较大' }) },
  // After the outcome the handlers (mediator, secretary, admin) carry it on.
  'POST /api/v1/disputes/{id}/fulfil': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('agreed') },
  'POST /api/v1/disputes/{id}/breach': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('agreed', { note: '到期未履行' }) },
  'POST /api/v1/disputes/{id}/ruling': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('failed', { note: '判决清理杂物' }) },
  'POST /api/v1/disputes/{id}/visit': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('agreed', { method: 'call', note: '电话回访' }) },
  'POST /api/v1/disputes/{id}/extend': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('accepted', { reason: '双方同意延期' }) },
  'POST /api/v1/disputes/{id}/confirmation': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('agreed', { status: 'applied', court: '青溪区人民法院' }) },
  'POST /api/v1/disputes/{id}/close': { expect: disputeSeen(403, 200, 200), setup: disputeTarget('fulfilled') },
  // The pools: coordinators only; a secretary of another community may not add to 桂花社区's (a node: 403).
  'GET /api/v1/mediators': { expect: { ...everyone(403), secretaryIn: 200, secretaryOut: 200, admin: 200 } },
  'POST /api/v1/mediators': { expect: { ...everyone(403), secretaryIn: 201, admin: 201 }, setup: async () => ({ body: { userId: await plainUser(), nodeId: fx.communityId, name: '新调解员' } }) },
  'GET /api/v1/stats/disputes': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ query: `nodeId=${fx.communityId}` }) },
  'GET /api/v1/stats/disputes.xlsx': { expect: { ...everyone(403), secretaryIn: 200, admin: 200 }, shared: true, setup: async () => ({ query: `nodeId=${fx.communityId}` }) },

  /* uploads */
  'POST /api/v1/uploads': { expect: everyone(201), shared: true, setup: async () => ({ form: pngForm }) },
  // Public: the keys are unguessable.
  'GET /api/v1/uploads/files/{year}/{month}/{day}/{name}': {
    expect: publicRoute(200),
    shared: true,
    setup: async () => {
      const [year, month, day, name] = fx.uploadUrl.split('/').slice(-4);
      return { params: { year, month, day, name } };
    },
  },
};

/* ───────── the run ───────── */

async function send(operation: string, target: Target, token: string | null): Promise<{ status: number; code?: string; message?: string }> {
  const [method, template] = operation.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = target.params?.[name];
    if (value === undefined) throw new Error(`setup gave no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
  const headers: Record<string, string> = { ...target.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | FormData | undefined;
  if (target.form) body = target.form();
  else if (method !== 'GET') {
    // Actions without fields still send `{}`, as the app does.
    body = JSON.stringify(target.body ?? {});
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${server.baseUrl}${path}${target.query ? `?${target.query}` : ''}`, { method, headers, body });
  const text = await response.text();
  let error: { code?: string; message?: string } | undefined;
  try {
    error = JSON.parse(text)?.error;
  } catch {
    // not JSON (an image): no error body
  }
  return { status: response.status, code: error?.code, message: error?.message };
}

/** A fresh user of the caller's kind: same household, department and roles. */
async function throwawayOf(caller: Caller): Promise<string | null> {
  if (caller === 'anonymous') return null;
  const users = server.dataSource.getRepository(User);
  const original = await users.findOneByOrFail({ id: fx.userId[caller] });
  const user = await users.save(users.create({ openid: `matrix-${caller}-${next()}`, nickname: `临时${caller}`.slice(0, 20), householdId: original.householdId, departmentId: original.departmentId }));
  const membership = original.householdId ? await server.dataSource.getRepository(HouseholdMembership).findOneBy({ userId: original.id, householdId: original.householdId }) : null;
  if (membership) await makeMember(server.dataSource, user.id, membership.householdId, membership.relation);
  const roles = server.dataSource.getRepository(RoleAssignment);
  for (const role of await roles.findBy({ userId: original.id })) await roles.insert({ userId: user.id, role: role.role, nodeId: role.nodeId });
  return (await server.app.tokens.issue(user.id)).token;
}

describe('authorisation matrix: every route × every kind of caller', () => {
  let operations: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { WX_PUSH_TOKEN: PUSH_TOKEN } });
    const { dataSource } = server;
    const users = dataSource.getRepository(User);
    const nodeId = async (code: string) => (await dataSource.getRepository(GridNode).findOneByOrFail({ code })).id;

    for (const [caller, openid] of Object.entries(DEMO_OPENIDS) as [LoggedIn, string][]) {
      fx.token[caller] = await server.login(openid);
      fx.userId[caller] = (await users.findOneByOrFail({ openid })).id;
    }
    fx.token.resident2 = await server.login('demo-resident-2');
    fx.token.resident3 = await server.login('demo-resident-3');

    // A second community under 锦华街道, with one building, one household, its resident and its secretary.
    await must('admin', 'POST', '/grids/import', otherCommunityImport());
    const building = await dataSource.getRepository(Building).save({ microgridId: await nodeId(OTHER.microgrid), name: '1号楼', code: `${OTHER.microgrid}-B01`, location: null, sortOrder: 0 });
    const household = await dataSource.getRepository(Household).save({ buildingId: building.id, unit: '1单元', room: '101' });
    const elsewhere = await users.save(users.create({ openid: 'matrix-resident-elsewhere', nickname: '新河居民', householdId: household.id }));
    await makeMember(dataSource, elsewhere.id, household.id);
    const secretaryOut = await users.save(users.create({ openid: 'matrix-secretary-out', nickname: '新河书记', householdId: null }));
    await dataSource.getRepository(RoleAssignment).insert({ userId: secretaryOut.id, role: 'secretary', nodeId: await nodeId(OTHER.community) });
    for (const [caller, user] of [['residentElsewhere', elsewhere], ['secretaryOut', secretaryOut]] as const) {
      fx.userId[caller] = user.id;
      fx.token[caller] = (await server.app.tokens.issue(user.id)).token;
    }

    fx.communityId = await nodeId('330199001001');
    fx.grid1Id = await nodeId('330199001001-G01');
    const me = await must('residentIn', 'GET', '/me');
    fx.building1Id = me.household.buildingId;
    fx.building1Households = (await must('residentIn', 'GET', `/buildings/${fx.building1Id}/households`)).items.map((h: { id: number }) => h.id);
    fx.deptCgId = (await must('residentIn', 'GET', '/departments')).items.find((d: { code: string }) => d.code === 'DEPT-CG').id;
    fx.familyMemberId = (await users.save(users.create({ openid: 'matrix-family', nickname: '家人', householdId: me.householdId }))).id;
    await makeMember(dataSource, fx.familyMemberId, me.householdId, 'family');
    fx.rewardId = (await must('secretaryIn', 'POST', '/rewards', { name: '授权矩阵奖品', cost: 1, stock: 100_000, communityId: fx.communityId })).id;
    // Enough points for every redemption the matrix makes.
    for (let i = 0; i < 2; i++) await must('secretaryIn', 'POST', '/points/awards', { userId: fx.userId.residentIn, points: 50, note: '授权矩阵' });
    const upload = await fetch(`${server.baseUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${fx.token.residentIn}` }, body: pngForm() });
    fx.uploadUrl = ((await upload.json()) as { url: string }).url;

    const pool = (await must('secretaryIn', 'GET', '/mediators')).items as { id: number; userId: number }[];
    fx.mediatorId = pool.find((m) => m.userId === fx.userId.mediator)!.id;
    fx.mediator2Id = pool.find((m) => m.userId !== fx.userId.mediator)!.id;

    const openApi = await server.call('GET', '/openapi.json');
    operations = Object.entries(openApi.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(() => server?.close());

  it('has one row for every operation of /openapi.json, and no row for a route that is gone', () => {
    const missing = operations.filter((op) => !(op in MATRIX));
    const stale = Object.keys(MATRIX).filter((op) => !operations.includes(op));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('answers every (route, caller) with the status of the matrix', { timeout: 900_000 }, async () => {
    const mismatches: string[] = [];
    let checks = 0;
    for (const operation of operations) {
      const row = MATRIX[operation];
      if (!row) continue; // reported by the test above
      // A target is built again only after a call that may have changed it (a write the server accepted):
      // a refused call leaves it as it was (the fuzzer checks that refusals change nothing), so the
      // callers refused in a row share one target. This keeps every check while building a fraction
      // of the targets.
      let target: Promise<Target> | undefined;
      const writes = !operation.startsWith('GET ');
      for (const caller of CALLERS) {
        checks++;
        const expected = row.expect[caller];
        try {
          const built = row.setup ? await (target ??= row.setup(caller)) : {};
          const token = row.throwaway ? await throwawayOf(caller) : caller === 'anonymous' ? null : fx.token[caller];
          const got = await send(operation, built, token);
          if (!row.shared && writes && got.status < 400) target = undefined;
          if (got.status !== expected) {
            mismatches.push(`${operation.padEnd(62)} ${caller.padEnd(17)} expected ${expected}, got ${got.status}${got.code ? ` ${got.code}` : ''}${got.message ? ` (${got.message})` : ''}`);
          }
        } catch (err) {
          if (!row.shared) target = undefined;
          mismatches.push(`${operation.padEnd(62)} ${caller.padEnd(17)} expected ${expected}, setup failed: ${(err as Error).message}`);
        }
      }
    }
    console.log(`authz: ${operations.length} routes × ${CALLERS.length} callers = ${checks} checks, ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
  });
});
