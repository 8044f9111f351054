import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { GridTreeNode } from '@linli/shared';
import { browserMissing, ensureH5Build, launchBrowser, openRoute, phonePage, screenshot, startServerProcess, type ServerProcess, CONTEXT, pageErrors, reportTrouble } from './support';

/*
 * 一图 in Chromium against the H5 build: the secretary's map (coloured grids, drill down, a report opened
 * from its point), a resident without a household filing by tapping the spot, the admin's import seen on
 * the map before it is saved, and the staff pages at a desk (1440 × 900).
 *
 * The data: grid 1 (第一网格) gets two open reports, grid 2 one; so grid 1 is drawn in the darker of the
 * two "open" bands the legend shows (1 and 2 open), grid 2 in the lighter.
 */
const SPOTS = {
  guixiang: { lat: 30.279, lng: 120.1495 },
  guixin: { lat: 30.281, lng: 120.1495 },
  dangui: { lat: 30.279, lng: 120.1525 },
};
/** Inside grid 1 and grid 2, clear of the points and the labels: where their fill colour shows. */
const FILL_SPOTS = { grid1: { lat: 30.2785, lng: 120.1485 }, grid2: { lat: 30.2785, lng: 120.1535 } };
const BAND_RGB = { twoOpen: [255, 204, 128], oneOpen: [255, 224, 178] };

describe.skipIf(browserMissing)('一图 (the grid map) in Chromium against the H5 build', () => {
  let server: ServerProcess;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const ids = { grid1: 0, grid2: 0, community: 0, reportAtGuixiang: 0 };

  async function call<T>(method: string, url: string, who: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.baseUrl}/api/v1${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[who]}`, 'Idempotency-Key': crypto.randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} as ${who}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async function login(openid: string): Promise<void> {
    const response = await fetch(`${server.baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ openid }) });
    tokens[openid] = ((await response.json()) as { token: string }).token;
  }

  /** A page logged in through the login page's picker, at the given size. */
  async function signedIn(openid: string, size: 'phone' | 'desk'): Promise<Page> {
    const page =
      size === 'phone'
        ? await phonePage(browser)
        : await (await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, ...CONTEXT })).newPage().then((page) => (reportTrouble(page), page));
    await page.goto(`${server.baseUrl}/`);
    await page.locator(`.login-user-${openid}`).click();
    await page.locator('#home-page').waitFor({ timeout: 20_000 });
    return page;
  }

  /** Clicks the map where a place is drawn (the chart says where, through its element). */
  async function tapMap(page: Page, canvasId: string, spot: { lat: number; lng: number }): Promise<void> {
    const at = await pixelOf(page, canvasId, spot);
    const box = (await page.locator(`#${canvasId}`).boundingBox())!;
    await page.mouse.click(box.x + at[0], box.y + at[1]);
  }

  async function pixelOf(page: Page, canvasId: string, spot: { lat: number; lng: number }): Promise<[number, number]> {
    return page.evaluate(
      ({ id, lat, lng }) => (document.getElementById(id) as unknown as { linliToPixel(lng: number, lat: number): [number, number] }).linliToPixel(lng, lat),
      { id: canvasId, lat: spot.lat, lng: spot.lng },
    );
  }

  /** The colour the chart painted at a place. */
  async function colourAt(page: Page, canvasId: string, spot: { lat: number; lng: number }): Promise<number[]> {
    const [x, y] = await pixelOf(page, canvasId, spot);
    return page.evaluate(
      ({ id, x: px, y: py }) => {
        const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement;
        const scale = canvas.width / canvas.getBoundingClientRect().width;
        return [...canvas.getContext('2d')!.getImageData(Math.round(px * scale), Math.round(py * scale), 1, 1).data.slice(0, 3)];
      },
      { id: canvasId, x, y },
    );
  }

  /** Waits until the map has drawn the node and its points. */
  async function mapShows(page: Page, nodeName: string): Promise<void> {
    await expect.poll(() => page.locator('#map-crumbs .is-current').innerText(), { timeout: 20_000 }).toBe(nodeName);
    await expect.poll(() => page.locator('#map-summary').innerText(), { timeout: 20_000 }).toContain('条有位置的说事');
    await page.waitForTimeout(300); // the chart paints on the next frame
  }

  beforeAll(async () => {
    ensureH5Build();
    server = await startServerProcess();
    browser = await launchBrowser();
    for (const openid of ['demo-resident-1', 'demo-resident-2', 'demo-resident-4', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-admin']) await login(openid);
    const tree = await call<GridTreeNode>('GET', '/grids/tree', 'demo-admin');
    const community = tree.children[0].children[0];
    Object.assign(ids, { community: community.id, grid1: community.children[0].id, grid2: community.children[1].id });
    const file = (who: string, spot: { lat: number; lng: number }, description: string) =>
      call<{ id: number }>('POST', '/reports', who, { categoryCode: 'facilities', description, location: spot });
    ids.reportAtGuixiang = (await file('demo-resident-1', SPOTS.guixiang, '桂香苑门口的路灯坏了，晚上一片黑')).id;
    const accepted = await file('demo-resident-2', SPOTS.guixin, '桂馨苑垃圾房门关不上');
    await call('POST', `/reports/${accepted.id}/accept`, 'demo-gridworker-1', { priority: 'normal', handlingMethod: 'on_site' });
    await file('demo-resident-4', SPOTS.dangui, '丹桂苑健身器材松动了');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a secretary opens the map from the workbench: the grids coloured and counted, a grid drilled into, a report opened from its point', async () => {
    const secretary = await signedIn('demo-secretary-1', 'phone');
    await openRoute(secretary, server.baseUrl, '/packages/workbench/index', '#workbench-map');
    await secretary.locator('#workbench-map').click();
    await mapShows(secretary, '桂花社区');
    expect(await secretary.locator(`#map-child-${ids.grid1}`).innerText()).toContain('待办 2');
    expect(await secretary.locator(`#map-child-${ids.grid2}`).innerText()).toContain('待办 1');
    expect(await secretary.locator('#map-legend').innerText()).toMatch(/待办 1 件[\s\S]*待办 2 件/);
    expect(await colourAt(secretary, 'grid-map-canvas', FILL_SPOTS.grid1)).toEqual(BAND_RGB.twoOpen);
    expect(await colourAt(secretary, 'grid-map-canvas', FILL_SPOTS.grid2)).toEqual(BAND_RGB.oneOpen);
    await screenshot(secretary, 'map-1-secretary-community-390');

    await tapMap(secretary, 'grid-map-canvas', FILL_SPOTS.grid1);
    await mapShows(secretary, '桂花社区第一网格');
    expect(await secretary.locator('#map-children').innerText()).toMatch(/桂香苑微网格[\s\S]*桂馨苑微网格/);
    await screenshot(secretary, 'map-2-secretary-grid-390');

    await tapMap(secretary, 'grid-map-canvas', SPOTS.guixiang);
    await secretary.locator('#report-detail-page').waitFor({ timeout: 20_000 });
    expect(secretary.url()).toContain(`id=${ids.reportAtGuixiang}`);
    await expect.poll(() => secretary.locator('#report-detail-page').innerText()).toContain('桂香苑门口的路灯坏了');
    await screenshot(secretary, 'map-3-secretary-report-from-point-390');

    // And back up from the grid through the path.
    await secretary.goBack();
    await secretary.locator(`#map-crumb-${ids.community}`).click();
    await mapShows(secretary, '桂花社区');
    // A range of one's own: two dates, starting as the last 30 days (the same reports).
    await secretary.locator('#map-period-custom').click();
    await secretary.locator('#map-period-range').waitFor();
    const lastThirty = await secretary.locator('#map-period-from').innerText();
    expect(lastThirty).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect.poll(() => secretary.locator('#map-summary').innerText()).toContain('3 条有位置的说事');
    // Taro's date picker, swiped a year each way: the end not moved follows, so the range stays within
    // 366 days (the server's longest), and the map asks for exactly the range shown. The reports were
    // all filed today.
    const dayAfter = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const yearFrom = (day: string, years: number) => `${Number(day.slice(0, 4)) + years}${day.slice(4)}`;
    const today = await secretary.locator('#map-period-to').innerText();
    const start = yearFrom(lastThirty, -1);
    const askedBack = secretary.waitForRequest((r) => r.url().includes('/reports/points') && r.url().includes(`from=${start}`));
    await turnYearWheel(secretary, '#map-period-from', -1);
    expect(new URL((await askedBack).url()).searchParams.get('to')).toBe(dayAfter(start, 365));
    expect(await secretary.locator('#map-period-range').innerText()).toMatch(new RegExp(`${start}[\\s\\S]*${dayAfter(start, 365)}`));
    expect(dayAfter(start, 365) < today).toBe(true);
    await expect.poll(() => secretary.locator('#map-summary').innerText()).toMatch(/^0 条有位置的说事/);
    await screenshot(secretary, 'map-3b-secretary-range-a-year-back-390');
    const end = yearFrom(dayAfter(start, 365), 1);
    const askedOn = secretary.waitForRequest((r) => r.url().includes('/reports/points') && r.url().includes(`to=${end}`));
    await turnYearWheel(secretary, '#map-period-to', 1);
    expect(new URL((await askedOn).url()).searchParams.get('from')).toBe(dayAfter(end, -365));
    await expect.poll(() => secretary.locator('#map-summary').innerText()).toContain('3 条有位置的说事');
    await screenshot(secretary, 'map-3c-secretary-range-a-year-on-390');
  });

  it('a new resident without a household files on H5 by tapping the spot; it reaches the grid worker of that micro-grid', async () => {
    const newcomer = await phonePage(browser);
    await newcomer.goto(`${server.baseUrl}/`);
    await newcomer.locator('.login-openid-input input').fill(`e2e-map-newcomer-${crypto.randomUUID().slice(0, 6)}`);
    await newcomer.locator('#login-openid-submit').click();
    await newcomer.locator('#home-page').waitFor({ timeout: 20_000 });
    await openRoute(newcomer, server.baseUrl, '/pages/report/index', '#report-category-facilities');
    await newcomer.locator('#report-category-facilities').click();
    await newcomer.locator('#report-description textarea').fill('桂馨苑北门的护栏倒了，小孩容易摔');
    await newcomer.locator('#report-place-grid').click();

    await newcomer.locator('#map-pick-page').waitFor({ timeout: 20_000 });
    // No household: the map starts at the top and passes through the levels with one way down.
    await expect.poll(() => newcomer.locator('.map-pick__title').innerText(), { timeout: 20_000 }).toBe('桂花社区');
    await newcomer.waitForTimeout(300);
    await screenshot(newcomer, 'map-4-newcomer-pick-390');
    await tapMap(newcomer, 'map-pick-canvas', SPOTS.guixin);
    await expect.poll(() => newcomer.locator('#map-pick-where').innerText(), { timeout: 15_000 }).toContain('桂馨苑微网格');
    await screenshot(newcomer, 'map-5-newcomer-pinned-390');
    await newcomer.locator('#map-pick-confirm').click();

    await expect.poll(() => newcomer.locator('#report-place-picked').innerText(), { timeout: 15_000 }).toContain('桂馨苑微网格');
    await newcomer.locator('#report-submit').click();
    await newcomer.locator('#report-detail-page').waitFor({ timeout: 20_000 });
    const reportId = Number(new URL(newcomer.url().replace('#/', '')).searchParams.get('id'));
    expect(reportId).toBeGreaterThan(0);
    await expect.poll(() => newcomer.locator('#report-detail-page').innerText()).toContain('桂馨苑微网格');

    const queue = (who: string) => call<{ items: { id: number }[] }>('GET', '/reports?scope=queue&limit=50', who).then((page) => page.items.map((r) => r.id));
    expect(await queue('demo-gridworker-1')).toContain(reportId);
    expect(await queue('demo-gridworker-2')).not.toContain(reportId);
  });

  it('the admin pastes an import and sees it on the map before saving: new, changed, the overlap; then saves it', async () => {
    const geojson = {
      type: 'FeatureCollection',
      features: [
        // 第二网格 renamed; a new micro-grid laid over 桂香苑; a new community beside 桂花社区 with one grid filling half of it.
        { type: 'Feature', geometry: box(120.151, 30.278, 120.154, 30.282), properties: { code: '330199001001-G02', name: '桂花社区第二网格（东）', level: 'grid', parentCode: '330199001001' } },
        { type: 'Feature', geometry: box(120.148, 30.278, 120.1495, 30.2795), properties: { code: 'E2E-OVERLAP', name: '叠加微网格', level: 'microgrid', parentCode: '330199001001-G01' } },
        { type: 'Feature', geometry: box(120.155, 30.278, 120.159, 30.282), properties: { code: 'E2E-C', name: '新桥社区', level: 'community', parentCode: '330199001' } },
        { type: 'Feature', geometry: box(120.155, 30.278, 120.157, 30.282), properties: { code: 'E2E-C-G1', name: '新桥社区第一网格', level: 'grid', parentCode: 'E2E-C' } },
      ],
    };
    for (const size of ['desk', 'phone'] as const) {
      const admin = await signedIn('demo-admin', size);
      await openRoute(admin, server.baseUrl, '/packages/admin/grids/index', '#grid-import-text');
      await admin.locator('#grid-import-text textarea').fill(JSON.stringify(geojson));
      await admin.locator('#grid-import-preview').click();
      await admin.locator('#import-preview-summary').waitFor({ timeout: 20_000 });
      expect(await admin.locator('#import-preview-summary').innerText()).toContain('新建 3 个 · 变更 1 个 · 不变 0 个');
      const problems = await admin.locator('#import-preview-problems').innerText();
      expect(problems).toMatch(/桂香苑微网格 与 叠加微网格 重叠约 [\d,]+ 平方米/);
      expect(problems).toContain('新桥社区 有 50.0%');
      await admin.waitForTimeout(400);
      await screenshot(admin, `map-6-admin-import-preview-${size === 'desk' ? 1440 : 390}`);
      if (size === 'phone') {
        await admin.locator('#import-preview-save').click();
        await expect.poll(() => admin.locator('#grid-import-result').innerText(), { timeout: 20_000 }).toContain('新建 3 个，更新 1 个');
        await expect.poll(() => admin.locator('#admin-grid-tree').innerText()).toContain('新桥社区');
      }
    }
  });

  it('at a desk (1440 × 900) the staff pages take a desk layout at a desk type size, residents’ pages stay phone-shaped', async () => {
    const secretary = await signedIn('demo-secretary-1', 'desk');
    // The root font size is capped: rem-sized text no larger than on a large phone.
    expect(await secretary.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('22px');
    const home = (await secretary.locator('#home-page').boundingBox())!;
    expect(home.width).toBeLessThanOrEqual(480);
    await screenshot(secretary, 'map-7-desk-home-1440');

    await openRoute(secretary, server.baseUrl, '/packages/map/index', '#map-children');
    await mapShows(secretary, '桂花社区');
    const main = (await secretary.locator('#map-page .desk-page__main').boundingBox())!;
    const side = (await secretary.locator('#map-page .desk-page__side').boundingBox())!;
    expect(side.x).toBeGreaterThan(main.x + main.width - 1);
    expect(side.y).toBeLessThan(main.y + 50);
    await screenshot(secretary, 'map-8-desk-map-1440');

    await openRoute(secretary, server.baseUrl, '/packages/workbench/index', '#queue-list');
    const queue = (await secretary.locator('#workbench-page').boundingBox())!;
    expect(queue.width).toBeGreaterThan(900);
    expect(queue.width).toBeLessThanOrEqual(1040);
    expect(queue.x).toBeGreaterThan(100);
    // Our text and NutUI's buttons at one scale: the name line beside the buttons.
    const title = await secretary.locator('.workbench__name').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(title).toBeGreaterThan(14);
    expect(title).toBeLessThan(24);
    await screenshot(secretary, 'map-9-desk-queue-1440');

    await openRoute(secretary, server.baseUrl, `/packages/reports/detail/index?id=${ids.reportAtGuixiang}`, '#report-detail-page');
    await secretary.waitForTimeout(500);
    await screenshot(secretary, 'map-10-desk-report-detail-1440');
    await openRoute(secretary, server.baseUrl, '/packages/dashboard/index', '#dashboard-page');
    await secretary.waitForTimeout(800);
    await screenshot(secretary, 'map-11-desk-dashboard-1440');
  });

  it('no page threw on the way: a map left behind in the page stack (hidden, 0 × 0) is not laid out', () => {
    expect(pageErrors).toEqual([]);
  });
});

function box(west: number, south: number, east: number, north: number) {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

/**
 * Opens Taro's date picker under `trigger`, swipes its year wheel one row (`years`: -1 a year back, the
 * finger moving down; 1 a year on) with Chromium's touch input (the phone page has a touch screen), waits
 * for the wheel to settle and confirms. The wheel's rows are 34 px from 102 px (Taro's picker/constant.js).
 */
async function turnYearWheel(page: Page, trigger: string, years: -1 | 1): Promise<void> {
  await page.locator(trigger).click();
  const picker = page.locator('.weui-picker:visible');
  await picker.waitFor();
  const wheelOfYears = picker.locator('.weui-picker__group').first();
  const wheelRow = async () => 0 + Math.round((102 - (await wheelOfYears.locator('.weui-picker__content').evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).m42))) / 34);
  const before = await wheelRow();
  // The sheet slides up as it opens: swipe once it stands still.
  let wheel = await wheelOfYears.boundingBox();
  await expect.poll(async () => {
    const now = await wheelOfYears.boundingBox();
    const still = now?.y === wheel?.y;
    wheel = now;
    return still;
  }).toBe(true);
  if (!wheel) throw new Error('the date picker has no year wheel');
  const x = wheel.x + wheel.width / 2;
  const y = wheel.y + wheel.height / 2;
  const finger = await page.context().newCDPSession(page);
  await finger.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (const step of [12, 24, 34]) await finger.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - years * step }] });
  await finger.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await finger.detach();
  await expect.poll(wheelRow).toBe(before + years); // after its 0.3 s transition
  await picker.locator('.weui-picker__action', { hasText: '确定' }).click();
  await picker.waitFor({ state: 'hidden' });
}
