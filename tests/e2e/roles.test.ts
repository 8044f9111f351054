import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, demoUsers, ensureH5Build, launchBrowser, openRoute, screenshot, startServerProcess, type ServerProcess } from './support';

/*
 * Each demo role walked through the app's entry points: home, 我的, the 议事 and 时间银行 pages, and
 * the 工作台 when it is offered. The table below is what each role may use, read from the server's
 * checks (server/test/authorization-matrix.test.ts), not from the app:
 *   - the entries shown are exactly the role's (a volunteer is a resident who gives time, not staff:
 *     no 工作台, so no 代居民登记);
 *   - every entry shown opens a page that works for the role: no 没有权限 screen, no API call refused;
 *     代居民登记 is used for real (a report filed through the form);
 *   - a page the role may not use, opened by its URL, shows 没有权限 (or asks to bind a household
 *     first, when that is what is missing) with a way home, instead of a form that fails on submit.
 */

type Host = 'home' | 'mine' | 'consult' | 'timebank' | 'mall' | 'workbench' | 'dashboard' | 'notices';

interface Entry {
  host: Host;
  /** What to click on the host page. */
  selector: string;
  /** What the page it opens shows when ready; none for a button that acts in place. */
  opens?: string;
  /** For a button that acts in place: the API path its click calls, which must answer 2xx. */
  calls?: string;
}

const HOSTS: Record<Host, { route: string; ready: string }> = {
  home: { route: '/pages/index/index', ready: '#home-page' },
  mine: { route: '/pages/mine/index', ready: '#mine-page' },
  consult: { route: '/pages/consult/index', ready: '#consult-page' },
  timebank: { route: '/packages/timebank/index', ready: '#timebank-balance' },
  mall: { route: '/packages/points/mall/index', ready: '#mall-rewards .mall__reward, #mall-rewards .mall__empty' },
  workbench: { route: '/packages/workbench/index', ready: '#workbench-page' },
  dashboard: { route: '/packages/dashboard/index', ready: '#kpi-received' },
  notices: { route: '/packages/notices/index', ready: '#notices-unread' },
};

const ENTRIES = {
  // home
  'home-workbench': { host: 'home', selector: '#home-workbench', opens: '#workbench-page' },
  'home-volunteer': { host: 'home', selector: '#home-volunteer', opens: '#tasks-page' },
  'home-bind': { host: 'home', selector: '#home-bind-button', opens: '#bind-page' },
  'home-report': { host: 'home', selector: '#home-shortcut-report', opens: '#report-page' },
  'home-consult': { host: 'home', selector: '#home-shortcut-consult', opens: '#consult-page' },
  // 我的待办 on a staff home: each tile opens the list it counts.
  'home-todo-submitted': { host: 'home', selector: '#home-todo-submitted', opens: '#queue-filter-submitted.is-active' },
  'home-todo-memberships': { host: 'home', selector: '#home-todo-memberships', opens: '#membership-queue-page' },
  'home-todo-held': { host: 'home', selector: '#home-todo-held', opens: '#moderation-page' },
  // 我的
  'mine-points': { host: 'mine', selector: '#mine-points', opens: '#points-page' },
  'mine-timebank': { host: 'mine', selector: '#mine-timebank', opens: '#timebank-page' },
  'mine-mall': { host: 'mine', selector: '.mine-mall', opens: '#mall-page' },
  'mine-rank': { host: 'mine', selector: '.mine-rank', opens: '#rank-scope-name' },
  'mine-inbox': { host: 'mine', selector: '.mine-inbox', opens: '#inbox-page' },
  'mine-reports': { host: 'mine', selector: '.mine-reports', opens: '#my-reports-page' },
  'mine-household': { host: 'mine', selector: '.mine-switch-household', opens: '#bind-page' },
  'mine-workbench': { host: 'mine', selector: '.mine-workbench', opens: '#workbench-page' },
  'mine-disputes': { host: 'mine', selector: '.mine-disputes', opens: '#my-disputes-page' },
  'mine-dispute-queue': { host: 'mine', selector: '.mine-dispute-queue', opens: '#dispute-queue-page' },
  'mine-notices': { host: 'mine', selector: '.mine-notices', opens: '#notices-page' },
  // 社区公告
  'notices-new': { host: 'notices', selector: '#notices-new', opens: '#notice-new-page' },
  // 议事
  'consult-new': { host: 'consult', selector: '#consult-new', opens: '#consult-new-page' },
  // 时间银行
  'timebank-tasks': { host: 'timebank', selector: '#timebank-tasks', opens: '#tasks-page' },
  'timebank-new': { host: 'timebank', selector: '#timebank-new', opens: '#task-new-page' },
  'timebank-gift': { host: 'timebank', selector: '#timebank-gift', opens: '#gift-page' },
  'timebank-apply': { host: 'timebank', selector: '#timebank-apply' },
  // 积分商城
  'mall-redeem': { host: 'mall', selector: '.mall__redeem' },
  // 工作台
  'workbench-file': { host: 'workbench', selector: '#workbench-file', opens: '#file-on-behalf-page' },
  'workbench-queue': { host: 'workbench', selector: '#workbench-filters' },
  'workbench-moderation': { host: 'workbench', selector: '#workbench-moderation', opens: '#moderation-page' },
  'workbench-dashboard': { host: 'workbench', selector: '#workbench-dashboard', opens: '#kpi-received' },
  'workbench-codes': { host: 'workbench', selector: '#workbench-codes', opens: '#building-codes-page' },
  'workbench-canned': { host: 'workbench', selector: '#workbench-canned', opens: '#canned-page' },
  'workbench-disputes': { host: 'workbench', selector: '#workbench-disputes', opens: '#dispute-queue-page' },
  'workbench-consult': { host: 'workbench', selector: '#workbench-consult', opens: '#consult-review-page' },
  'workbench-points': { host: 'workbench', selector: '#workbench-points', opens: '#points-admin-page' },
  'workbench-rewards': { host: 'workbench', selector: '#workbench-rewards', opens: '#rewards-admin-page' },
  'workbench-timebank': { host: 'workbench', selector: '#workbench-timebank', opens: '#timebank-admin-page' },
  'workbench-admin-grids': { host: 'workbench', selector: '#workbench-admin-grids', opens: '#admin-grids-page' },
  'workbench-admin-staff': { host: 'workbench', selector: '#workbench-admin-staff', opens: '#admin-staff-page' },
  'workbench-admin-categories': { host: 'workbench', selector: '#workbench-admin-categories', opens: '#admin-categories-page' },
  'workbench-admin-keys': { host: 'workbench', selector: '#workbench-admin-keys', opens: '#admin-keys-page' },
  'workbench-notices': { host: 'workbench', selector: '#workbench-notices', opens: '#notices-page' },
  // 数据看板
  'dashboard-export': { host: 'dashboard', selector: '#dashboard-export', calls: '/api/v1/stats/reports.xlsx' },
  'dashboard-codes': { host: 'dashboard', selector: '#dashboard-codes', opens: '#building-codes-page' },
} satisfies Record<string, Entry>;
type EntryId = keyof typeof ENTRIES;

/** Everyone logged in: the tabs, balances, the mall and board, the inbox, their reports, (re)binding, the tasks list. */
const EVERYONE: EntryId[] = ['home-report', 'home-consult', 'mine-points', 'mine-timebank', 'mine-mall', 'mine-rank', 'mine-inbox', 'mine-reports', 'mine-disputes', 'mine-notices', 'mine-household', 'timebank-tasks'];
/** A bound household: proposing, asking for help with one's hours, gifts to family, redeeming. */
const HOUSEHOLD: EntryId[] = ['consult-new', 'timebank-new', 'timebank-gift', 'mall-redeem'];
/** Residents and mediators without a household are asked to bind one on home. */
const NO_HOUSEHOLD: EntryId[] = ['home-bind'];
/**
 * Staff without a household: no bind prompt on home (我的 still offers binding), no points or hours on 我的;
 * their home leads with 我的待办 and the 工作台.
 */
const STAFF: EntryId[] = [
  ...EVERYONE.filter((id) => !['mine-points', 'mine-timebank', 'mine-mall', 'mine-rank'].includes(id)),
  'home-workbench',
  'home-todo-submitted',
  'mine-workbench',
  'workbench-queue',
];

/** noHousehold: has none, so a household page opened by its URL offers binding one. */
const ROLES: Record<string, { label: string; noHousehold?: boolean; entries: EntryId[] }> = {
  'demo-resident-1': { label: 'resident', entries: [...EVERYONE, ...HOUSEHOLD, 'timebank-apply'] },
  // Claims tasks (home's 志愿服务 opens the list); no workbench: nothing of it is theirs.
  'demo-volunteer-1': { label: 'volunteer', entries: [...EVERYONE, ...HOUSEHOLD, 'home-volunteer'] },
  // Files for residents, handles the queue, reads the dashboard of their grid.
  'demo-gridworker-1': { label: 'grid worker', noHousehold: true, entries: [...STAFF, 'home-todo-memberships', 'workbench-file', 'workbench-dashboard', 'dashboard-export', 'workbench-disputes', 'workbench-notices', 'notices-new'] },
  'demo-secretary-1': {
    label: 'secretary',
    noHousehold: true,
    entries: [
      ...STAFF,
      'home-todo-memberships',
      'home-todo-held',
      'workbench-canned',
      // posts tasks paid by the community
      'timebank-new',
      'workbench-file',
      'workbench-moderation',
      'workbench-dashboard',
      'dashboard-export',
      'dashboard-codes',
      'workbench-codes',
      'workbench-consult',
      'workbench-points',
      'workbench-rewards',
      'workbench-timebank',
      'workbench-disputes',
      'workbench-notices',
      'notices-new',
    ],
  },
  // Only their handling queue.
  'demo-department-1': { label: 'department', noHousehold: true, entries: STAFF },
  'demo-admin': {
    label: 'admin',
    noHousehold: true,
    entries: [
      ...STAFF,
      'home-todo-memberships',
      'home-todo-held',
      'workbench-canned',
      'workbench-file',
      'workbench-moderation',
      'workbench-dashboard',
      'dashboard-export',
      'dashboard-codes',
      'workbench-codes',
      'workbench-admin-grids',
      'workbench-admin-staff',
      'workbench-admin-categories',
      'workbench-admin-keys',
      'workbench-disputes',
      'workbench-notices',
      'notices-new',
    ],
  },
  // 人民调解员: no 工作台 (no report queue); their cases from 我的.
  'demo-mediator-1': { label: 'mediator', noHousehold: true, entries: [...EVERYONE, ...NO_HOUSEHOLD, 'mine-dispute-queue'] },
};

/** The pages meant for some roles only, and the entry that leads to each (a role with the entry may open it). */
const RESTRICTED_PAGES: Array<{ route: string; entry: EntryId; ready: string; household?: boolean }> = [
  { route: '/packages/workbench/index', entry: 'home-workbench', ready: '#workbench-page' },
  { route: '/packages/workbench/file/index', entry: 'workbench-file', ready: '#file-on-behalf-page' },
  { route: '/packages/workbench/moderation/index', entry: 'workbench-moderation', ready: '#moderation-page' },
  { route: '/packages/workbench/consult/index', entry: 'workbench-consult', ready: '#consult-review-page' },
  { route: '/packages/workbench/points/index', entry: 'workbench-points', ready: '#points-admin-page' },
  { route: '/packages/workbench/rewards/index', entry: 'workbench-rewards', ready: '#rewards-admin-page' },
  { route: '/packages/workbench/timebank/index', entry: 'workbench-timebank', ready: '#timebank-admin-page' },
  { route: '/packages/dashboard/index', entry: 'workbench-dashboard', ready: '#dashboard-page' },
  { route: '/packages/dashboard/codes/index', entry: 'workbench-codes', ready: '#building-codes-page' },
  { route: '/packages/workbench/canned/index', entry: 'workbench-canned', ready: '#canned-page' },
  { route: '/packages/admin/grids/index', entry: 'workbench-admin-grids', ready: '#admin-grids-page' },
  { route: '/packages/admin/staff/index', entry: 'workbench-admin-staff', ready: '#admin-staff-page' },
  { route: '/packages/admin/categories/index', entry: 'workbench-admin-categories', ready: '#admin-categories-page' },
  { route: '/packages/admin/keys/index', entry: 'workbench-admin-keys', ready: '#admin-keys-page' },
  { route: '/packages/notices/new/index', entry: 'notices-new', ready: '#notice-new-page' },
  { route: '/packages/consult/new/index', entry: 'consult-new', ready: '#consult-new-page', household: true },
  { route: '/packages/timebank/new/index', entry: 'timebank-new', ready: '#task-new-page', household: true },
  { route: '/packages/timebank/gift/index', entry: 'timebank-gift', ready: '#gift-page', household: true },
];

describe.skipIf(browserMissing)('roles: each demo role sees only the entries it may use, and each one works', () => {
  let server: ServerProcess;
  let browser: Browser;
  const as = demoUsers(() => browser, () => server.baseUrl);

  beforeAll(async () => {
    ensureH5Build();
    server = await startServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The API answers a page received while `action` ran and the page settled: every status ≥ 400. */
  async function refusals(page: Page, action: () => Promise<void>): Promise<string[]> {
    const refused: string[] = [];
    let inFlight = 0;
    const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
    const onRequest = (request: { url(): string }) => void (isApi(request.url()) && inFlight++);
    const onDone = (request: { url(): string }) => void (isApi(request.url()) && inFlight--);
    const onResponse = (response: { url(): string; status(): number; request(): { method(): string } }) => {
      if (isApi(response.url()) && response.status() >= 400) refused.push(`${response.request().method()} ${new URL(response.url()).pathname} → ${response.status()}`);
    };
    page.on('request', onRequest);
    page.on('requestfinished', onDone);
    page.on('requestfailed', onDone);
    page.on('response', onResponse);
    try {
      await action();
      // Settled: no API call in flight for half a second.
      let quietSince = Date.now();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && Date.now() - quietSince < 500) {
        await page.waitForTimeout(100);
        if (inFlight > 0) quietSince = Date.now();
      }
    } finally {
      page.off('request', onRequest);
      page.off('requestfinished', onDone);
      page.off('requestfailed', onDone);
      page.off('response', onResponse);
    }
    return refused;
  }

  async function openHost(page: Page, host: Host): Promise<void> {
    await openRoute(page, server.baseUrl, HOSTS[host].route, HOSTS[host].ready);
  }

  /**
   * The entries of `ENTRIES` visible on the role's pages; the 工作台 and the 数据看板 only when an entry
   * to them is shown.
   */
  async function visibleEntries(page: Page, openid: string): Promise<EntryId[]> {
    const seen: EntryId[] = [];
    const hosts: Array<{ host: Host; if?: EntryId[] }> = [
      { host: 'home' },
      { host: 'mine' },
      { host: 'consult' },
      { host: 'timebank' },
      { host: 'mall' },
      { host: 'workbench', if: ['home-workbench', 'mine-workbench'] },
      { host: 'dashboard', if: ['workbench-dashboard'] },
      { host: 'notices' },
    ];
    for (const { host, if: reachedBy } of hosts) {
      if (reachedBy && !reachedBy.some((id) => seen.includes(id))) continue;
      await openHost(page, host);
      // What depends on GET /me and the page's own data has arrived.
      await page.waitForTimeout(1_000);
      if (host === 'timebank') await page.locator('#timebank-balance').filter({ hasNotText: '—' }).waitFor({ timeout: 15_000 });
      if (host === 'home' || host === 'mine' || host === 'workbench') await screenshot(page, `roles-${openid}-${host}`);
      for (const [id, entry] of Object.entries(ENTRIES) as [EntryId, Entry][]) {
        if (entry.host === host && (await page.locator(entry.selector).count()) > 0) seen.push(id);
      }
    }
    return seen;
  }

  /** Files a report through 代居民登记 and lands on its detail. */
  async function fileOnBehalf(page: Page, openid: string): Promise<void> {
    // For nobody in particular: finding a resident is the residents e2e's.
    await page.locator('#file-whom-none').click();
    await page.locator('#report-category-sanitation').click();
    await page.locator('#report-description textarea').fill(`居民来电：楼下垃圾桶满了没人清运（${openid}）`);
    await page.locator('#report-address input').fill('桂香苑1号楼东侧');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports' && r.request().method() === 'POST', { timeout: 15_000 }),
      page.locator('#report-submit').click(),
    ]);
    expect(response.status(), `代居民登记 by ${openid}: ${await response.text()}`).toBe(201);
    await page.locator('#report-detail-page #report-number').waitFor({ timeout: 15_000 });
  }

  for (const [openid, role] of Object.entries(ROLES)) {
    it(`${openid} (${role.label}): shows exactly the role's entries, and each one works`, { timeout: 300_000 }, async () => {
      const page = await as(openid);
      const visible = await visibleEntries(page, openid);
      expect.soft([...visible].sort(), `entries shown to ${openid}`).toEqual([...role.entries].sort());

      for (const id of visible) {
        const entry: Entry = ENTRIES[id];
        if (entry.calls) {
          await openHost(page, entry.host);
          const [response] = await Promise.all([
            page.waitForResponse((r) => new URL(r.url()).pathname === entry.calls, { timeout: 15_000 }),
            page.locator(entry.selector).first().click(),
          ]);
          expect.soft(response.status(), `${id} for ${openid}`).toBeLessThan(300);
          await response.finished(); // the whole file arrived before the page is left
        }
        if (!entry.opens) continue;
        await openHost(page, entry.host);
        const refused = await refusals(page, async () => {
          await page.locator(entry.selector).first().click();
          await page.locator(entry.opens!).first().waitFor({ timeout: 15_000 });
        });
        expect.soft(await page.locator('#no-access').count(), `${id} opens 没有权限 for ${openid}`).toBe(0);
        expect.soft(refused, `API calls refused on ${id} for ${openid}`).toEqual([]);
        if (id === 'workbench-file') await fileOnBehalf(page, openid);
      }
    });

    it(`${openid} (${role.label}): a page the role may not use, opened by its URL, says 没有权限 with a way home`, { timeout: 300_000 }, async () => {
      const page = await as(openid);
      const denied = RESTRICTED_PAGES.filter((p) => !role.entries.includes(p.entry));
      for (const target of denied) {
        const refused = await refusals(page, () => openRoute(page, server.baseUrl, target.route, '#no-access'));
        expect.soft(await page.locator(target.ready).count(), `${target.route}'s own page for ${openid}`).toBe(0);
        expect.soft(refused, `API calls refused on ${target.route} for ${openid}`).toEqual([]);
        // What is missing is a household (and binding one would do): the screen says so and offers it.
        const bindable = !!target.household && !!role.noHousehold;
        expect.soft(await page.locator('#no-access-bind').count(), `${target.route}: bind offered to ${openid}`).toBe(bindable ? 1 : 0);
      }
      if (denied.length > 0) {
        await openRoute(page, server.baseUrl, denied[0].route, '#no-access');
        expect(await page.locator('#no-access').innerText()).toContain(denied[0].household && role.noHousehold ? '绑定住户' : '没有权限');
        await screenshot(page, `roles-${openid}-no-access`);
        await page.locator('#no-access-home').click();
        await page.locator('#home-page').waitFor({ timeout: 15_000 });
      }
      const bindFirst = denied.find((p) => p.household && role.noHousehold);
      if (bindFirst) {
        await openRoute(page, server.baseUrl, bindFirst.route, '#no-access-bind');
        await screenshot(page, `roles-${openid}-bind-first`);
        await page.locator('#no-access-bind').click();
        await page.locator('#bind-page').waitFor({ timeout: 15_000 });
      }
    });
  }

  it('staff pages at 1440×900: the workbench of each staff role, and the grid worker\'s dashboard of their grid', { timeout: 120_000 }, async () => {
    for (const openid of ['demo-gridworker-1', 'demo-secretary-1', 'demo-department-1', 'demo-admin']) {
      const page = await as(openid);
      await page.setViewportSize({ width: 1440, height: 900 });
      await openHost(page, 'workbench');
      await page.locator('#workbench-filters').waitFor({ timeout: 15_000 });
      await page.waitForTimeout(800);
      await screenshot(page, `roles-${openid}-workbench-1440`);
      if (openid === 'demo-gridworker-1') {
        await openRoute(page, server.baseUrl, '/packages/dashboard/index', '#kpi-received');
        expect(await page.locator('#dashboard-node-name').innerText()).toBe('桂花社区第一网格');
        await screenshot(page, `roles-${openid}-dashboard-1440`);
      }
      await page.setViewportSize({ width: 390, height: 844 });
    }
  });
});
