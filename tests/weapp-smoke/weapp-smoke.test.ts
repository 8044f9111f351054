/**
 * Smoke test of the weapp build: boots dist/weapp/app.js and the home page in plain Node with a fake
 * mini-program host, answers the page's API calls from a fake, and reads what the page rendered from
 * the data it passed to setData.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationSummary, GridMap, GridTreeNode, Me, PointsMe, ReportCategory, StatsOverview, TimebankMe } from '@linli/shared';
import { collectHooks, collectText, installFakeHost, waitFor, type FakeHost, type Route } from './fake-weapp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist/weapp');
const MAIN_PACKAGE_LIMIT = 1.5 * 1024 * 1024;
const TOKEN = 'smoke-token';

const resident: Me = {
  id: 7,
  nickname: '张晓梅',
  avatarUrl: null,
  roles: ['resident'],
  scopes: [],
  householdId: 101,
  household: {
    id: 101,
    buildingId: 11,
    buildingName: '1号楼',
    unit: '2单元',
    room: '301',
    label: '1号楼 2单元 301',
    microgridId: 5,
    path: [
      { id: 1, level: 'district', name: '演示区' },
      { id: 2, level: 'street', name: '幸福街道' },
      { id: 3, level: 'community', name: '桂花社区' },
      { id: 4, level: 'grid', name: '第一网格' },
      { id: 5, level: 'microgrid', name: '1号微网格' },
    ],
    gridWorkers: [{ id: 9, nickname: '周海峰', phoneMasked: '138****1234' }],
    membership: { id: 31, relation: 'owner', status: 'verified', method: 'ledger', reason: null },
  },
  households: [],
  phoneMasked: '138****0001',
  phoneVerified: false,
  settings: { showNameOnLeaderboard: false },
};

let meResponse: { statusCode: number; data: unknown } = { statusCode: 200, data: resident };
const categories: ReportCategory[] = [
  { code: 'environment', name: '环境卫生', slaHours: 48, departmentId: null, departmentName: null },
  { code: 'facilities', name: '公共设施', slaHours: 72, departmentId: 1, departmentName: '城管' },
];
const consultation: ConsultationSummary = {
  id: 31,
  title: '1号楼加装电梯',
  status: 'discussing',
  version: 3,
  scope: 'building',
  scopeName: '1号楼',
  proposer: { id: 7, nickname: '张晓梅' },
  supporters: 3,
  supportThreshold: 3,
  buildingId: 1,
  scopeNodeId: 5,
  votingEndsAt: new Date(Date.now() + 3 * 86400_000).toISOString(),
  outcome: null,
  createdAt: new Date().toISOString(),
  moderation: 'clear',
  tally: {
    eligibleHouseholds: 24,
    votedHouseholds: 9,
    eligibleAreaM2: 2180.6,
    votedAreaM2: 812.5,
    byOption: [
      { optionId: 1, label: '同意', votes: 7, areaM2: 630.3 },
      { optionId: 2, label: '不同意', votes: 2, areaM2: 182.2 },
    ],
    byMethod: { app: 8, paper: 1, proxy: 0 },
  },
};
const pointsMe: PointsMe = {
  balance: 35,
  entries: [
    { id: 2, amount: -20, reason: 'redeem', text: '兑换 环保购物袋', createdAt: new Date().toISOString() },
    { id: 1, amount: 55, reason: 'award', text: '好人好事：帮助独居老人搬运生活物资', createdAt: new Date().toISOString() },
  ],
  nextCursor: null,
};
const timebankMe: TimebankMe = {
  balanceHours: 7.5,
  entries: [{ id: 3, amount: 1.5, reason: 'task_pay', text: '志愿服务「楼道小广告清理」', createdAt: new Date().toISOString() }],
  nextCursor: null,
  claims: [],
  isVolunteer: false,
  application: null,
};
const secretary: Me = { id: 21, nickname: '王书记', avatarUrl: null, roles: ['secretary'], scopes: [{ role: 'secretary', nodeId: 3 }], householdId: null, household: null, households: [], phoneMasked: null, phoneVerified: false, settings: { showNameOnLeaderboard: false } };
const admin: Me = { id: 22, nickname: '管理员', avatarUrl: null, roles: ['admin'], scopes: [{ role: 'admin', nodeId: 1 }], householdId: null, household: null, households: [], phoneMasked: null, phoneVerified: false, settings: { showNameOnLeaderboard: false } };
const gridTree: GridTreeNode[] = [
  {
    id: 3,
    level: 'community',
    name: '桂花社区',
    code: 'C1',
    children: [
      { id: 4, level: 'grid', name: '第一网格', code: 'G1', children: [] },
      { id: 6, level: 'grid', name: '第二网格', code: 'G2', children: [] },
    ],
  },
];
const figures = (received: number, closed: number, rejected: number) => ({
  received,
  closed,
  rejected,
  merged: 0,
  extended: 0,
  deferred: 0,
  completionRate: received - rejected > 0 ? closed / (received - rejected) : null,
  onTimeRate: closed ? 1 : null,
  satisfaction: { rated: closed, average: closed ? 4.5 : null, satisfiedRate: closed ? 0.75 : null },
  avgHandleHours: closed ? 26.4 : null,
});
const overview: StatsOverview = {
  ...figures(12, 6, 2),
  node: { id: 3, name: '桂花社区', level: 'community' },
  from: '2026-10-31T16:00:00.000Z',
  to: '2026-11-20T04:00:00.000Z',
  overdue: 2,
  byChild: [
    { nodeId: 4, name: '第一网格', level: 'grid', overdue: 2, ...figures(8, 4, 1) },
    { nodeId: 6, name: '第二网格', level: 'grid', overdue: 0, ...figures(4, 2, 1) },
  ],
  byCategory: [{ key: 'facilities', label: '公共设施', ...figures(12, 6, 2) }],
  byChannel: [{ key: 'miniprogram', label: '小程序', ...figures(12, 6, 2) }],
  byHandlingMethod: [{ key: 'on_site', label: '现场处置', ...figures(12, 6, 2) }],
  daily: [
    { date: '2026-11-01', received: 5, closed: 1 },
    { date: '2026-11-02', received: 7, closed: 5 },
  ],
  hotSpots: { nodes: [{ nodeId: 5, name: '1号微网格', path: ['桂花社区', '第一网格', '1号微网格'], received: 8, open: 3 }], cells: [] },
  consultations: { decided: 1, eligibleHouseholds: 24, votedHouseholds: 18, participationRate: 0.75 },
  volunteerHours: { confirmedClaims: 4, hours: 9.5 },
  pointsIssued: { points: 320, awards: 14, communityIds: [3] },
};

const square = (west: number, south: number): GridMap['features'][number]['geometry'] => ({
  type: 'Polygon',
  coordinates: [[[west, south], [west + 0.003, south], [west + 0.003, south + 0.004], [west, south + 0.004], [west, south]]],
});
const gridMap: GridMap = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: square(120.148, 30.278), properties: { id: 4, name: '第一网格', level: 'grid', open: 3, overdue: 1, hasChildren: true, derived: false } },
    { type: 'Feature', geometry: square(120.151, 30.278), properties: { id: 6, name: '第二网格', level: 'grid', open: 0, overdue: 0, hasChildren: true, derived: false } },
  ],
  node: { id: 3, name: '桂花社区', level: 'community', parentId: 2 },
  path: [
    { id: 2, level: 'street', name: '幸福街道' },
    { id: 3, level: 'community', name: '桂花社区' },
  ],
  outline: null,
  bbox: [120.148, 30.278, 120.154, 30.282],
  totals: { open: 3, overdue: 1 },
  tolerance: 0.000003,
};
const GRID_MAP_ETAG = 'W/"smoke-map"';

const routes: Route[] = [
  // The map answers 304 to a request holding its ETag, as the server does.
  (request) =>
    request.method === 'GET' && /\/api\/v1\/grids\/map(\?|$)/.test(request.url)
      ? request.header['If-None-Match'] === GRID_MAP_ETAG
        ? { statusCode: 304, data: '' }
        : { statusCode: 200, data: gridMap, header: { ETag: GRID_MAP_ETAG } }
      : undefined,
  (request) =>
    request.method === 'GET' && /\/api\/v1\/reports\/points\?/.test(request.url)
      ? { statusCode: 200, data: { items: [{ id: 41, lat: 30.279, lng: 120.1495, status: 'submitted', overdue: true }], clusters: [], total: 1, unlocated: 0, limit: 1000, from: '', to: '' } }
      : undefined,
  (request) => (request.method === 'GET' && /\/api\/v1\/grids\/tree$/.test(request.url) ? { statusCode: 200, data: gridTree } : undefined),
  (request) => (request.method === 'GET' && /\/api\/v1\/stats\/overview\?/.test(request.url) ? { statusCode: 200, data: overview } : undefined),
  (request) => (request.method === 'GET' && /\/api\/v1\/points\/me\?/.test(request.url) ? { statusCode: 200, data: pointsMe } : undefined),
  (request) => (request.method === 'GET' && /\/api\/v1\/timebank\/me\?/.test(request.url) ? { statusCode: 200, data: timebankMe } : undefined),
  (request) => (request.method === 'GET' && /\/api\/v1\/me$/.test(request.url) ? meResponse : undefined),
  (request) =>
    request.method === 'GET' && /\/api\/v1\/notifications\?/.test(request.url)
      ? { statusCode: 200, data: { items: [], nextCursor: null, unread: 2 } }
      : undefined,
  (request) =>
    request.method === 'GET' && /\/api\/v1\/report-categories$/.test(request.url) ? { statusCode: 200, data: { items: categories } } : undefined,
  (request) =>
    request.method === 'GET' && /\/api\/v1\/consultations\?/.test(request.url)
      ? { statusCode: 200, data: { items: [consultation], nextCursor: null } }
      : undefined,
];

/** The render node with this id (`uid`). */
function findNode(node: unknown, uid: string): Record<string, unknown> | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findNode(child, uid);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.uid === uid) return record;
    if (record.cn) return findNode(record.cn, uid);
  }
  return null;
}

function dirSize(dir: string, skip: (relative: string) => boolean, base = dir): number {
  let total = 0;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const relative = path.relative(base, full).split(path.sep).join('/');
    if (skip(relative)) continue;
    const stat = statSync(full);
    total += stat.isDirectory() ? dirSize(full, skip, base) : stat.size;
  }
  return total;
}

let host: FakeHost;

beforeAll(() => {
  if (!existsSync(path.join(dist, 'app.js'))) {
    execFileSync('npx', ['taro', 'build', '--type', 'weapp'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  }
  host = installFakeHost(dist, routes);
  host.storage.set('linli.token', TOKEN);
  host.launchApp();
}, 300_000);

describe('weapp build', () => {
  it('declares the tab pages and the workbench, household, notices, reports, consult, points, timebank, disputes, dashboard, admin and map sub-packages', () => {
    const config = host.appConfig as { config?: unknown } | null;
    expect(config).toBeTruthy();
    const appJson = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
      pages: string[];
      tabBar: { list: Array<{ pagePath: string; text: string }> };
      subPackages: Array<{ root: string; pages: string[] }>;
    };
    expect(appJson.tabBar.list.map((tab) => tab.text)).toEqual(['首页', '说事', '议事', '我的']);
    expect(appJson.pages).toEqual(expect.arrayContaining(['pages/login/index', 'pages/bind/index']));
    expect(appJson.subPackages).toEqual([
      expect.objectContaining({
        root: 'packages/workbench',
        pages: ['index', 'file/index', 'consult/index', 'points/index', 'rewards/index', 'timebank/index', 'moderation/index', 'residents/index', 'canned/index'],
      }),
      expect.objectContaining({ root: 'packages/household', pages: ['invite/index', 'accept/index'] }),
      expect.objectContaining({ root: 'packages/notices', pages: ['index', 'detail/index', 'new/index'] }),
      expect.objectContaining({ root: 'packages/reports', pages: ['detail/index', 'mine/index', 'inbox/index'] }),
      expect.objectContaining({ root: 'packages/consult', pages: ['new/index', 'detail/index'] }),
      expect.objectContaining({ root: 'packages/points', pages: ['index', 'mall/index', 'rank/index'] }),
      expect.objectContaining({ root: 'packages/timebank', pages: ['index', 'tasks/index', 'task/index', 'new/index', 'gift/index'] }),
      expect.objectContaining({ root: 'packages/disputes', pages: ['mine/index', 'apply/index', 'detail/index', 'queue/index'] }),
      expect.objectContaining({ root: 'packages/dashboard', pages: ['index', 'codes/index', 'disputes/index', 'ledger/index'] }),
      expect.objectContaining({ root: 'packages/admin', pages: ['grids/index', 'staff/index', 'categories/index', 'keys/index'] }),
      expect.objectContaining({ root: 'packages/map', pages: ['index', 'pick/index', 'preview/index'] }),
    ]);
  });

  it('renders the household, its grid path and the masked phone of the grid worker on the home page', async () => {
    meResponse = { statusCode: 200, data: resident };
    const page = host.openPage('pages/index/index');

    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('138****1234') ? all : null;
    });

    const meCall = host.requests.find((request) => request.url.endsWith('/api/v1/me'));
    expect(meCall?.url).toMatch(/^https?:\/\/.+\/api\/v1\/me$/);
    expect(meCall?.header.Authorization).toBe(`Bearer ${TOKEN}`);

    expect(text).toContain('张晓梅，您好');
    expect(text).toContain('1号楼 2单元 301');
    expect(text).toContain('桂花社区');
    expect(text).toContain('第一网格');
    expect(text).toContain('1号微网格');
    expect(text).toContain('周海峰');
    expect(text).not.toContain('还没有绑定住户');
    const hooks = collectHooks(page.data.root);
    expect(hooks.ids).toContain('grid-card');
    // The inbox's unread count goes on the 我的 tab.
    await waitFor(() => host.tabBadges.get(3) === '2');
    // Every wx API the home page used is one the fake implements.
    expect([...host.missing]).toEqual([]);
  });

  it('renders the 说事 form with the categories from the server', async () => {
    meResponse = { statusCode: 200, data: resident };
    const page = host.openPage('pages/report/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('公共设施') ? all : null;
    });
    expect(text).toContain('环境卫生');
    expect(text).toContain('我的说事');
    expect(text).toContain('匿名');
    const hooks = collectHooks(page.data.root);
    expect([...hooks.ids]).toEqual(expect.arrayContaining(['report-form', 'report-category-facilities', 'report-submit', 'report-add-photo']));
    expect([...host.missing]).toEqual([]);
  });

  it('renders the 议事 tab with a consultation being voted on and its participation', async () => {
    meResponse = { statusCode: 200, data: resident };
    const page = host.openPage('pages/consult/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('1号楼加装电梯') && all.includes('9 / 24 户') ? all : null;
    });
    expect(text).toContain('协商表决中');
    expect(text).toContain('参与 9/24 户 · 812.5/2,180.6 ㎡');
    expect(text).toContain('发起议题');
    expect(text).toContain('我发起的');
    const listCall = host.requests.find((request) => /\/api\/v1\/consultations\?/.test(request.url));
    expect(listCall?.url).toContain('scope=eligible');
    const hooks = collectHooks(page.data.root);
    expect([...hooks.ids]).toEqual(expect.arrayContaining(['consult-page', 'consult-new', 'consult-tab-mine', 'consult-row-31']));
    expect([...host.missing]).toEqual([]);
  });

  it('renders 我的 with the points and hours cards, the mall and leaderboard entries, and the existing entries', async () => {
    meResponse = { statusCode: 200, data: resident };
    const page = host.openPage('pages/mine/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('35') && all.includes('7.5') ? all : null;
    });
    for (const label of ['文明积分 ›', '时间银行 ›', '积分商城', '文明积分榜', '消息', '我的说事', '切换住户', '退出登录']) expect(text).toContain(label);
    const hooks = collectHooks(page.data.root);
    expect([...hooks.ids]).toEqual(expect.arrayContaining(['mine-points', 'mine-points-balance', 'mine-timebank', 'mine-timebank-hours', 'mine-logout']));
    expect(host.requests.some((request) => /\/api\/v1\/points\/me\?/.test(request.url))).toBe(true);
    expect([...host.missing]).toEqual([]);
  });

  it('renders the 文明积分 page of the points sub-package with the balance and each entry\'s reason', async () => {
    meResponse = { statusCode: 200, data: resident };
    const page = host.openPage('packages/points/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('兑换 环保购物袋') ? all : null;
    });
    expect(text).toContain('35');
    expect(text).toContain('好人好事：帮助独居老人搬运生活物资');
    expect(text).toContain('-20');
    expect(text).toContain('+55');
    expect(text).toContain('怎么赚积分');
    expect(collectHooks(page.data.root).ids).toContain('points-entries');
  });

  it('shows the bind prompt when the user has no household', async () => {
    meResponse = { statusCode: 200, data: { ...resident, householdId: null, household: null } };
    const page = host.openPage('pages/index/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('还没有绑定住户') ? all : null;
    });
    expect(text).toContain('绑定住户');
    expect(text).not.toContain('桂花社区');
    expect(collectHooks(page.data.root).ids).toContain('bind-prompt');
  });

  it('on WeChat the bind page shows a pending request with who verifies it, and offers 用手机号快速核验 (getPhoneNumber)', async () => {
    const pendingMembership = { id: 41, relation: 'family' as const, status: 'pending' as const, method: 'request' as const, reason: null };
    meResponse = {
      statusCode: 200,
      data: {
        ...resident,
        roles: [],
        household: { ...resident.household!, membership: pendingMembership },
        households: [{ id: 101, label: '1号楼 2单元 301', buildingId: 11, microgridId: 5, current: true, membership: pendingMembership }],
      },
    };
    const page = host.openPage('pages/bind/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('用手机号快速核验') ? all : null;
    });
    expect(text).toContain('待核验');
    expect(text).toContain('周海峰（138****1234）');
    // The button asks WeChat for the phone: its open-type reaches the render layer.
    const button = findNode(page.data.root, 'bind-phone-verify');
    expect(JSON.stringify(button)).toContain('getPhoneNumber');
    expect([...host.missing]).toEqual([]);
  });

  it('on 401 clears the token, shows the message and goes to the login page', async () => {
    meResponse = { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录', details: [] } } };
    host.toasts.length = 0;
    host.navigations.length = 0;
    host.openPage('pages/index/index');
    await waitFor(() => host.navigations.find(([api]) => api === 'reLaunch'));
    expect(host.navigations).toContainEqual(['reLaunch', '/pages/login/index']);
    expect(host.storage.has('linli.token')).toBe(false);
    expect(host.toasts.map((toast) => toast.title)).toContain('登录已过期，请重新登录');
  });

  it('renders the 数据看板 of the dashboard sub-package for a secretary: tiles, drill-down and the side figures', async () => {
    meResponse = { statusCode: 200, data: secretary };
    host.storage.set('linli.token', TOKEN); // an earlier test signed out
    const page = host.openPage('packages/dashboard/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('60%') && all.includes('第二网格') ? all : null;
    });
    for (const figure of ['受理', '12', '结案率', '60%', '按期结案率', '100%', '满意度', '4.5', '好评率 75%', '平均办理时长', '26.4', '当前超期', '导出 Excel']) {
      expect(text).toContain(figure);
    }
    for (const figure of ['第一网格', '57.1%', '1号微网格', '75%', '9.5', '320', '14| 笔']) expect(text).toContain(figure);
    const hooks = collectHooks(page.data.root);
    expect([...hooks.ids]).toEqual(expect.arrayContaining(['kpi-received', 'kpi-completion', 'kpi-overdue', 'daily-chart', 'child-row-4', 'dashboard-export']));
    const overviewCall = host.requests.find((request) => /\/api\/v1\/stats\/overview\?/.test(request.url));
    expect(overviewCall?.url).toMatch(/nodeId=3&from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}$/);
    expect([...host.missing]).toEqual([]);
    meResponse = { statusCode: 200, data: resident };
  });

  it('renders the 网格管理 of the admin sub-package: the tree with its rename and delete actions', async () => {
    meResponse = { statusCode: 200, data: admin };
    host.storage.set('linli.token', TOKEN);
    const page = host.openPage('packages/admin/grids/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('第二网格') ? all : null;
    });
    for (const figure of ['网格树', '桂花社区', '第一网格', '社区', '改名', '删除', '导入 GeoJSON']) expect(text).toContain(figure);
    const hooks = collectHooks(page.data.root);
    expect([...hooks.ids]).toEqual(expect.arrayContaining(['admin-grid-tree', 'grid-node-3', 'grid-rename-4', 'grid-delete-6', 'grid-import-submit']));
    expect([...host.missing]).toEqual([]);
    meResponse = { statusCode: 200, data: resident };
  });

  it('shows 没有权限 and a way home to a resident who opens a staff page, which makes no call of its own', async () => {
    meResponse = { statusCode: 200, data: resident };
    host.storage.set('linli.token', TOKEN);
    const before = host.requests.length;
    const page = host.openPage('packages/workbench/file/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('没有权限') ? all : null;
    });
    expect(text).toContain('返回首页');
    expect(text).not.toContain('登记渠道');
    expect([...collectHooks(page.data.root).ids]).toEqual(expect.arrayContaining(['no-access', 'no-access-home']));
    expect(host.requests.slice(before).map((request) => request.url).filter((url) => !url.includes('/api/v1/me'))).toEqual([]);
    expect([...host.missing]).toEqual([]);
  });

  it('draws the 网格地图 of the map sub-package on a 2d canvas: the grids, their counts, the points; the drawing revalidated by its ETag', async () => {
    meResponse = { statusCode: 200, data: secretary };
    host.storage.set('linli.token', TOKEN);
    host.canvasCalls.length = 0;
    const page = host.openPage('packages/map/index');
    const text = await waitFor(() => {
      const all = collectText(page.data.root).join('|');
      return all.includes('待办 3') && all.includes('条有位置的说事') ? all : null;
    });
    for (const figure of ['桂花社区', '第一网格', '超期 1', '第二网格', '图例', '待受理']) expect(text).toContain(figure);
    // ECharts drew through the canvas bridge: the grids filled, their names and counts written, the point drawn.
    const drawnText = await waitFor(() => {
      const written = host.canvasCalls.filter((c) => c.name === 'fillText').map((c) => String(c.args[0]));
      return written.some((t) => t.includes('第一网格')) ? written : null;
    });
    expect(drawnText).toEqual(expect.arrayContaining(['第一网格', '待办 3 · 超期 1']));
    expect(host.canvasCalls.filter((c) => c.name === 'fill').length).toBeGreaterThanOrEqual(3);
    // Opened again, the drawing is asked for with its ETag and the kept copy is used on 304.
    const again = host.openPage('packages/map/index');
    await waitFor(() => (collectText(again.data.root).join('|').includes('待办 3') ? true : null));
    const asked = host.requests.filter((r) => /\/grids\/map/.test(r.url));
    expect(asked.at(-1)?.header['If-None-Match']).toBe(GRID_MAP_ETAG);
    expect([...host.missing]).toEqual([]);
    meResponse = { statusCode: 200, data: resident };
  });

  it('keeps the map sub-package (ECharts) under WeChat\'s 2 MB', () => {
    const size = dirSize(path.join(dist, 'packages/map'), () => false);
    console.log(`weapp map sub-package: ${(size / 1024).toFixed(1)} KB`);
    expect(size).toBeLessThan(2 * 1024 * 1024);
  });

  it('keeps the admin sub-package under WeChat\'s 2 MB', () => {
    const size = dirSize(path.join(dist, 'packages/admin'), () => false);
    console.log(`weapp admin sub-package: ${(size / 1024).toFixed(1)} KB`);
    expect(size).toBeLessThan(2 * 1024 * 1024);
  });

  it('keeps the dashboard sub-package under WeChat\'s 2 MB', () => {
    const size = dirSize(path.join(dist, 'packages/dashboard'), () => false);
    console.log(`weapp dashboard sub-package: ${(size / 1024).toFixed(1)} KB`);
    expect(size).toBeLessThan(2 * 1024 * 1024);
  });

  it('keeps the main package under 1.5 MB', () => {
    const size = dirSize(dist, (relative) => relative === 'packages' || relative.startsWith('packages/'));
    const subPackages = dirSize(path.join(dist, 'packages'), () => false);
    console.log(`weapp main package: ${(size / 1024).toFixed(1)} KB; sub-packages: ${(subPackages / 1024).toFixed(1)} KB`);
    expect(size).toBeGreaterThan(50 * 1024); // a real build, not an empty folder
    expect(size).toBeLessThan(MAIN_PACKAGE_LIMIT);
  });
});
