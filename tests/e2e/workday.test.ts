import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ReportDetail, ReportListPage, StatsOverview } from '@linli/shared';
import { apiAs, browserMissing, demoUsers, desktopPage, ensureH5Build, launchBrowser, openRoute, screenshot, shotsDir, startServerProcess, type ServerProcess } from './support';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
/** What the secretary changes the first 办理结果 常用语 to. */
const EDITED_REPLY = '共享单车已清运至指定停放点，盲道已恢复通行。';

/*
 * A working day (#15), in Chromium against the H5 build: the grid worker finds a report by the
 * resident's name and by its number, sorts the queue by deadline, handles one with 我来处理 and closes
 * it with a canned reply; the 城管 clerk hands one back with a reason and asks more time on another,
 * which the secretary grants; the dashboard then counts the extended report apart and its 结案率 reads
 * closed ÷ (应结案 − 缓办). Before that the secretary edits the 常用语 the worker then picks; and at a PC
 * (1440 × 900) the queue's tiles fill their rows and a report shows beside its history. One page per role;
 * what is only set up goes through the API.
 */
describe.skipIf(browserMissing)('a grid worker’s and a department’s working day', () => {
  let server: ServerProcess;
  let browser: Browser;
  const as = demoUsers(() => browser, () => server.baseUrl);
  let residentName = '';
  /** For 我来处理; to be handed back; to be extended. */
  let taken: ReportDetail;
  let wrong: ReportDetail;
  let longer: ReportDetail;

  const file = (description: string) => apiAs<ReportDetail>(server.baseUrl, 'demo-resident-1', 'POST', '/reports', { categoryCode: 'sanitation', description, location: GRID1_SPOT });
  /** Accepted and dispatched to 城管 (demo-department-1) by the grid worker. */
  async function toDepartment(description: string, priority: 'urgent' | 'normal'): Promise<ReportDetail> {
    const report = await file(description);
    const departments = await apiAs<{ items: { id: number; code: string }[] }>(server.baseUrl, 'demo-gridworker-1', 'GET', '/departments');
    const departmentId = departments.items.find((d) => d.code === 'DEPT-CG')!.id;
    await apiAs(server.baseUrl, 'demo-gridworker-1', 'POST', `/reports/${report.id}/accept`, { priority, handlingMethod: 'department' });
    return apiAs<ReportDetail>(server.baseUrl, 'demo-gridworker-1', 'POST', `/reports/${report.id}/dispatch`, { departmentId });
  }
  const overview = async () => {
    const me = await apiAs<{ scopes: { nodeId: number }[] }>(server.baseUrl, 'demo-secretary-1', 'GET', '/me');
    return apiAs<StatsOverview>(server.baseUrl, 'demo-secretary-1', 'GET', `/stats/overview?nodeId=${me.scopes[0].nodeId}`);
  };

  /** Opens a form from the action area, lets `fill` fill it and submits; waits for the popup to go. */
  async function act(page: Page, action: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
    await page.locator(`#action-${action}`).click();
    const form = page.locator(`#form-${action}`);
    await form.waitFor();
    if (fill) await fill(form);
    await form.locator('#action-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
  }
  const rowNumbers = (page: Page) => page.locator('#queue-list .report-row__number').allInnerTexts();
  async function search(page: Page, words: string): Promise<void> {
    await page.locator('#queue-search input').fill(words);
    await page.locator('#queue-search-go').click();
  }

  beforeAll(async () => {
    ensureH5Build();
    server = await startServerProcess();
    browser = await launchBrowser();
    residentName = (await apiAs<{ nickname: string }>(server.baseUrl, 'demo-resident-1', 'GET', '/me')).nickname;
    taken = await file('3号楼门口共享单车堆成一排，挡住了盲道');
    // 紧急 is due in a quarter of the category's time: the deadline order differs from the newest-first one.
    wrong = await toDepartment('小区北门的窨井盖松动，踩上去会响', 'urgent');
    longer = await toDepartment('桂香苑东侧的绿化带被挖开后一直没有回填', 'normal');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the grid worker finds a report by the resident’s name and by its number, and sorts the queue by deadline', async () => {
    const worker = await as('demo-gridworker-1');
    const todoCount = () => worker.locator('#home-todo-submitted .todo__count').innerText();
    const countRequest = (url: URL) => url.pathname.endsWith('/reports') && url.searchParams.get('limit') === '1';
    // Home (where the login landed), opened afresh, asks for its counts once: the mount and the page's show
    // share one load.
    let asked = 0;
    await worker.route(countRequest, (route) => (asked++, route.continue()));
    await worker.reload();
    await expect.poll(todoCount, { timeout: 15_000 }).toMatch(/^\d+$/);
    await worker.waitForTimeout(500);
    expect(asked).toBe(1);
    await worker.unroute(countRequest);
    // With no user kept on the phone (as after a role was given since), 我的待办 appears only once the fresh
    // user arrives, after the page showed; and the network drops its first count, which is asked again.
    asked = 0;
    await worker.route(countRequest, (route) => (asked++ === 0 ? route.abort('connectionfailed') : route.continue()));
    await worker.evaluate(() => localStorage.removeItem('linli.user'));
    await worker.reload();
    await expect.poll(todoCount, { timeout: 15_000 }).toMatch(/^\d+$/);
    expect(asked).toBe(2);
    await worker.unroute(countRequest);
    // Home leads with the day's to-do counts, not a household prompt.
    expect(await worker.locator('#bind-prompt').count()).toBe(0);
    await screenshot(worker, 'workday-1-home');

    await worker.locator('#home-todo-submitted').click();
    await worker.locator('#queue-filter-submitted.is-active').waitFor({ timeout: 15_000 });
    await worker.locator('#queue-filter-all').click();
    await worker.locator(`#report-row-${taken.id}`).waitFor({ timeout: 15_000 });
    // The 全部待办 tile counts what its list holds: open reports only.
    const queue = await apiAs<ReportListPage>(server.baseUrl, 'demo-gridworker-1', 'GET', '/reports?scope=queue&status=open&limit=100');
    expect(queue.nextCursor).toBeNull();
    expect(await worker.locator('#queue-filter-all .workbench__filter-count').innerText()).toBe(String(queue.items.length));

    await search(worker, residentName);
    await worker.locator(`#report-row-${taken.id}`).waitFor({ timeout: 15_000 });
    const byName = await apiAs<ReportListPage>(server.baseUrl, 'demo-gridworker-1', 'GET', `/reports?scope=queue&status=open&q=${encodeURIComponent(residentName)}`);
    expect(byName.items.every((r) => r.reporter?.nickname === residentName)).toBe(true);
    await expect.poll(() => rowNumbers(worker)).toEqual(byName.items.map((r) => r.number));
    await screenshot(worker, 'workday-2-search-name');

    await search(worker, taken.number);
    await expect.poll(() => rowNumbers(worker), { timeout: 15_000 }).toEqual([taken.number]);
    await screenshot(worker, 'workday-3-search-number');

    await worker.locator('#queue-search-clear').click();
    await worker.locator('#queue-sort-due').click();
    const byDue = await apiAs<ReportListPage>(server.baseUrl, 'demo-gridworker-1', 'GET', '/reports?scope=queue&status=open&sort=due');
    const dues = byDue.items.map((r) => r.dueAt).filter((d): d is string => d !== null);
    expect(dues.length).toBeGreaterThan(1);
    expect([...dues].sort()).toEqual(dues);
    expect(byDue.items.findIndex((r) => r.id === wrong.id)).toBeLessThan(byDue.items.findIndex((r) => r.id === longer.id));
    await expect.poll(() => rowNumbers(worker), { timeout: 15_000 }).toEqual(byDue.items.map((r) => r.number));
    expect(await worker.locator('#queue-sort-due').getAttribute('class')).toContain('is-active');
    await screenshot(worker, 'workday-4-sort-due');
  });

  it('the secretary edits a canned reply: the server’s objection stays in the form, the new text is saved', async () => {
    const secretary = await as('demo-secretary-1');
    await openRoute(secretary, server.baseUrl, '/packages/workbench/canned/index', '#canned-page');
    const first = secretary.locator('#canned-page .canned__row').first();
    await first.waitFor({ timeout: 15_000 });
    const before = await first.locator('.canned__text').innerText();
    const rows = await secretary.locator('#canned-page .canned__row').count();
    await first.locator('.canned__text').click();
    // The tapped reply fills the same form, which now saves it.
    await expect.poll(() => secretary.locator('#canned-text textarea').inputValue()).toBe(before);
    expect(await secretary.locator('#canned-save').innerText()).toBe('保存');
    await secretary.locator('#canned-text textarea').fill('好');
    await secretary.locator('#canned-save').click();
    await expect.poll(() => secretary.locator('#canned-error').innerText(), { timeout: 15_000 }).toContain('至少 2 个字');
    // 取消 and 保存 side by side within the phone's width (the page does not scroll sideways).
    expect(await secretary.locator('.taro_page_show').evaluate((page) => page.scrollWidth - page.clientWidth)).toBe(0);
    await screenshot(secretary, 'workday-5a-canned-edit-refused');
    await secretary.locator('#canned-text textarea').fill(EDITED_REPLY);
    await secretary.locator('#canned-save').click();
    await expect.poll(() => first.locator('.canned__text').innerText(), { timeout: 15_000 }).toBe(EDITED_REPLY);
    expect(await secretary.locator('#canned-error').count()).toBe(0);
    expect(await secretary.locator('#canned-save').innerText()).toBe('添加');
    expect(await secretary.locator('#canned-page .canned__row').count()).toBe(rows);
    await screenshot(secretary, 'workday-5b-canned-edited');
  });

  it('the grid worker handles one with 我来处理 and closes it with the edited canned reply, edited again before sending', async () => {
    const worker = await as('demo-gridworker-1');
    await worker.locator(`#report-row-${taken.id}`).click();
    await worker.locator('#action-take').waitFor({ timeout: 15_000 });
    await screenshot(worker, 'workday-5-take');
    await worker.locator('#action-take').click();
    await expect.poll(() => worker.locator('#report-status').innerText(), { timeout: 15_000 }).toContain('处理中');
    // One tap wrote the three steps' events.
    const actions = await worker.locator('.timeline-event .timeline__action').allInnerTexts();
    expect(actions.slice(0, 3)).toEqual(['开始处理', '分流', '受理']);

    await worker.locator('#action-resolve').click();
    const form = worker.locator('#form-resolve');
    await form.locator('.canned-reply').first().waitFor({ timeout: 15_000 });
    const canned = await form.locator('.canned-reply').first().innerText();
    expect(canned).toBe(EDITED_REPLY);
    await form.locator('.canned-reply').first().click();
    await expect.poll(() => form.locator('#action-note textarea').inputValue()).toBe(canned);
    await form.locator('#action-note textarea').fill(`${canned}现场已拍照留存。`);
    await screenshot(worker, 'workday-6-canned-reply');
    await form.locator('#action-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => worker.locator('#report-status').innerText(), { timeout: 15_000 }).toContain('待评价');
    expect(await worker.locator('.timeline-event.is-latest .timeline__note').innerText()).toBe(`${canned}现场已拍照留存。`);
    // The resident's rating closes it (the loop's last step is theirs).
    const closed = await apiAs<ReportDetail>(server.baseUrl, 'demo-resident-1', 'POST', `/reports/${taken.id}/rate`, { score: 5 });
    expect(closed.status).toBe('closed');
    await openRoute(worker, server.baseUrl, `/packages/reports/detail/index?id=${taken.id}`, '#report-timeline');
    expect(await worker.locator('#report-status').innerText()).toContain('已办结');
    await screenshot(worker, 'workday-7-closed');
  });

  it('the 城管 clerk hands one back with a reason, and asks for more time on another', async () => {
    const clerk = await as('demo-department-1');
    // Staff home and 我的: to-do counts, no points or hours that mean nothing to them.
    await openRoute(clerk, server.baseUrl, '/pages/mine/index', '#mine-page');
    expect(await clerk.locator('#mine-points').count()).toBe(0);
    expect(await clerk.locator('.mine-staff-workbench').count()).toBe(1);
    await screenshot(clerk, 'workday-8-clerk-mine');

    await openRoute(clerk, server.baseUrl, `/packages/reports/detail/index?id=${wrong.id}`, '#action-return');
    // The reporter's phone, masked, with 拨打 (revealed on the tap, audited).
    expect(await clerk.locator('#report-reporter').innerText()).toMatch(/\d{3}\*{4}\d{4}/);
    expect(await clerk.locator('#report-call-reporter').count()).toBe(1);
    await act(clerk, 'return', async (form) => form.locator('#action-note textarea').fill('窨井盖属供水公司管养，不属于城管职责'));
    await expect.poll(() => clerk.locator('#report-status').innerText(), { timeout: 15_000 }).toContain('已受理');
    expect(await clerk.locator('.timeline-event.is-latest').innerText()).toContain('窨井盖属供水公司管养');
    await screenshot(clerk, 'workday-9-returned');

    await openRoute(clerk, server.baseUrl, `/packages/reports/detail/index?id=${longer.id}`, '#action-extend');
    await act(clerk, 'extend', async (form) => {
      await form.locator('#extend-by-d15').click();
      await form.locator('#action-note textarea').fill('需等园林公司补苗，预计两周');
    });
    await clerk.locator('#report-extension-request').waitFor({ timeout: 15_000 });
    expect(await clerk.locator('#action-extend').count()).toBe(0);
    await screenshot(clerk, 'workday-10-extension-asked');
  });

  it('the secretary grants the extension; the dashboard counts it apart and 结案率 reads closed ÷ (应结案 − 缓办)', async () => {
    const before = await overview();
    const secretary = await as('demo-secretary-1');
    await openRoute(secretary, server.baseUrl, `/packages/reports/detail/index?id=${longer.id}`, '#action-grant_extension');
    expect(await secretary.locator('#action-deny_extension').count()).toBe(1);
    await screenshot(secretary, 'workday-11-extension-decision');
    await act(secretary, 'grant_extension');
    await expect.poll(() => secretary.locator('.detail__facts').innerText(), { timeout: 15_000 }).toContain('（已延期）');
    expect(await secretary.locator('#report-extension-request').count()).toBe(0);
    const granted = await apiAs<ReportDetail>(server.baseUrl, 'demo-secretary-1', 'GET', `/reports/${longer.id}`);
    expect(granted.extended).toBe(true);
    expect(Date.parse(granted.dueAt!)).toBeGreaterThan(Date.parse(longer.dueAt!) + 10 * 86400_000);
    await screenshot(secretary, 'workday-12-extended');

    const after = await overview();
    expect(after.extended).toBe(before.extended + 1);
    expect(after.deferred).toBe(before.deferred + 1);
    const base = after.received - after.rejected - after.merged - after.deferred;
    expect(after.completionRate).toBeCloseTo(after.closed / base, 10);

    await openRoute(secretary, server.baseUrl, '/packages/dashboard/index', '#kpi-extended');
    await expect.poll(() => secretary.locator('#kpi-extended .dashboard__tile-value').innerText(), { timeout: 15_000 }).toBe(String(after.extended));
    expect(await secretary.locator('#kpi-extended .dashboard__tile-note').innerText()).toBe(`缓办中 ${after.deferred} 件，不计入基数`);
    const percent = `${((after.closed / base) * 100).toFixed(1).replace(/\.0$/, '')}%`;
    expect(await secretary.locator('#kpi-completion .dashboard__tile-value').innerText()).toBe(percent);
    expect(await secretary.locator('#kpi-completion .dashboard__tile-note').innerText()).toBe(
      `结案 ${after.closed} ÷ (应结案 ${after.received - after.rejected - after.merged} − 缓办 ${after.deferred})`,
    );
    await screenshot(secretary, 'workday-13-dashboard');
  });

  it('at a PC (1440 × 900) the queue’s tiles fill their rows, and a report shows beside its history', async () => {
    for (const openid of ['demo-gridworker-1', 'demo-secretary-1']) {
      const desk = await desktopPage(browser);
      await desk.goto(`${server.baseUrl}/`);
      await desk.locator(`.login-user-${openid}`).click();
      await desk.locator('#home-page').waitFor({ timeout: 20_000 });
      await openRoute(desk, server.baseUrl, '/packages/workbench/index', '#queue-list .report-row');
      await screenshot(desk, `workday-15-desk-queue-${openid}`);
      // Every row of tiles (the entries, the queue's filters) reaches both edges: no empty cell beside a wide
      // tile. The nine filters take one row at a desk.
      const rows = { entries: await tileRows(desk, '.workbench__entries'), filters: await tileRows(desk, '#workbench-filters') };
      expect(rows.entries.length).toBeGreaterThan(0);
      expect(rows.filters).toHaveLength(1);
      for (const row of [...rows.entries, ...rows.filters]) expect(row, openid).toEqual({ left: 0, right: 0 });
      // The name banner is as wide as the tiles under it.
      const head = (await desk.locator('.workbench__head').boundingBox())!;
      const filters = (await desk.locator('#workbench-filters').boundingBox())!;
      expect(Math.round(head.x)).toBe(Math.round(filters.x));
      expect(Math.round(head.x + head.width)).toBe(Math.round(filters.x + filters.width));
      await openRoute(desk, server.baseUrl, `/packages/reports/detail/index?id=${longer.id}`, '#report-timeline');
      // The report (facts, photos, actions) on the left, its history on the right, both starting at the top.
      await screenshot(desk, `workday-16-desk-report-${openid}`);
      const main = (await desk.locator('#report-detail-page .desk-page__main').boundingBox())!;
      const side = (await desk.locator('#report-detail-page .desk-page__side').boundingBox())!;
      expect(side.x).toBeGreaterThanOrEqual(main.x + main.width);
      expect(Math.abs(side.y - main.y)).toBeLessThan(20);
      expect(await desk.locator('#report-detail-page .desk-page__side #report-timeline').count()).toBe(1);
      await desk.context().close();
    }
  });

  it('the secretary opens the printable sheet of the community’s building codes, one A4 page per building', async () => {
    const secretary = await as('demo-secretary-1');
    await openRoute(secretary, server.baseUrl, '/packages/dashboard/codes/index', '#codes-print-sheet');
    const [sheet] = await Promise.all([secretary.context().waitForEvent('page'), secretary.locator('#codes-print-sheet').click()]);
    await sheet.locator('section.sheet').first().waitFor({ timeout: 15_000 });
    const buildings = await secretary.locator('.codes__name').allInnerTexts();
    expect(await sheet.locator('section.sheet h1').allInnerTexts()).toEqual(buildings);
    // As it shows at a PC before printing: the first page (the whole sheet is eight of them).
    const desk = await desktopPage(browser);
    await desk.setViewportSize({ width: 900, height: 1200 });
    await desk.setContent(await sheet.content());
    await desk.screenshot({ path: path.join(shotsDir, 'workday-14-code-sheet.png') });
    await desk.context().close();
    await sheet.close();
  });
});

/**
 * The rows of a grid of tiles, each as how far (px, rounded) its first tile starts from the grid's left
 * edge and its last ends before the right one: { left: 0, right: 0 } is a full row.
 */
async function tileRows(page: Page, grid: string): Promise<Array<{ left: number; right: number }>> {
  const container = await page.locator(grid).boundingBox();
  if (!container) return [];
  const tiles = await page.locator(`${grid} > *`).evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, right: r.right })));
  const rows = new Map<number, typeof tiles>();
  for (const tile of tiles) rows.set(Math.round(tile.y), [...(rows.get(Math.round(tile.y)) ?? []), tile]);
  return [...rows.values()].map((row) => ({
    left: Math.round(Math.min(...row.map((t) => t.x)) - container.x),
    right: Math.round(container.x + container.width - Math.max(...row.map((t) => t.right))),
  }));
}
