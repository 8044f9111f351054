import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, ensureH5Build, launchBrowser, phonePage, screenshot, startServerProcess, type ServerProcess } from './support';

/*
 * 数据看板 through the UI: known reports are built through the API (five in 第一网格, one in 第二网格),
 * then the secretary of 桂花社区 reads this month's figures, drills into 第一网格 and exports it.
 *
 * The data and what it implies (server/src/stats/kpi.ts):
 *   第一网格: A 5★, B 4★, C 3★ closed (resolved before their due time); D accepted, open; E rejected.
 *   第二网格: F submitted, open.
 *   桂花社区: received 6, rejected 1, closed 3 → 结案率 3 ÷ (6 − 1) = 60%; 按期结案率 3 ÷ 5 = 60%;
 *            满意度 (5+4+3)/3 = 4, 好评率 2/3 = 66.7%; nothing overdue (every due time is ahead).
 *   第一网格: received 5 → 办结率 3 ÷ 4 = 75%.
 */
describe.skipIf(browserMissing)('数据看板 and 导出 Excel, in Chromium against the H5 build', () => {
  let server: ServerProcess;
  let browser: Browser;
  let secretary: Page;
  let downloads: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};

  async function call<T>(method: string, url: string, who: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${server.baseUrl}/api/v1${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[who]}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} as ${who}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async function login(openid: string): Promise<void> {
    const response = await fetch(`${server.baseUrl}/api/v1/auth/dev`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ openid }),
    });
    const body = (await response.json()) as { token: string; user: { id: number } };
    tokens[openid] = body.token;
    ids[openid] = body.user.id;
  }

  async function file(who: string, categoryCode: string, description: string, location?: { lat: number; lng: number }): Promise<number> {
    const report = await call<{ id: number }>('POST', '/reports', who, { categoryCode, description, location }, { 'Idempotency-Key': crypto.randomUUID() });
    return report.id;
  }

  const W = 'demo-gridworker-1';
  async function handle(id: number, handlingMethod: string): Promise<void> {
    await call('POST', `/reports/${id}/accept`, W, { priority: 'normal', handlingMethod });
    await call('POST', `/reports/${id}/dispatch`, W, { assigneeId: ids[W] });
    await call('POST', `/reports/${id}/start`, W, {});
    await call('POST', `/reports/${id}/resolve`, W, { result: '已处理完毕' });
  }

  beforeAll(async () => {
    ensureH5Build();
    downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-export-'));
    server = await startServerProcess();
    browser = await launchBrowser();
    for (const openid of ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-resident-4', 'demo-resident-5', 'demo-resident-6', W]) await login(openid);

    const a = await file('demo-resident-1', 'facilities', '楼道灯不亮了，晚上上下楼看不清');
    const b = await file('demo-resident-2', 'sanitation', '垃圾桶满了两天没人清运');
    const c = await file('demo-resident-3', 'noise', '楼下广场舞音响太吵');
    const d = await file('demo-resident-4', 'facilities', '单元门禁坏了，门关不上');
    const e = await file('demo-resident-5', 'sanitation', '想问问垃圾分类几点开始');
    await file('demo-resident-6', 'water', '丹桂苑路边下水道堵了，雨后积水', { lat: 30.279, lng: 120.1525 });

    for (const [id, score] of [[a, 5], [b, 4], [c, 3]] as const) {
      await handle(id, 'on_site');
      await call('POST', `/reports/${id}/rate`, `demo-resident-${id === a ? 1 : id === b ? 2 : 3}`, { score });
    }
    await call('POST', `/reports/${d}/accept`, W, { priority: 'normal', handlingMethod: 'mediation' });
    await call('POST', `/reports/${e}/reject`, W, { reason: '咨询类问题，已电话答复' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
  });

  const tile = (id: string) => secretary.locator(`#${id} .dashboard__tile-value`);

  it('the secretary opens the dashboard from the workbench and sees this month of 桂花社区', async () => {
    secretary = await phonePage(browser);
    await secretary.goto(`${server.baseUrl}/`);
    await secretary.locator('.login-user-demo-secretary-1').click();
    await secretary.locator('#home-page').waitFor({ timeout: 20_000 });
    await secretary.goto(`${server.baseUrl}/#/packages/workbench/index`);
    await secretary.locator('#workbench-dashboard').click();
    await secretary.locator('#dashboard-page #kpi-tiles').waitFor({ timeout: 20_000 });
    await secretary.locator('#period-this_month').click();

    await expect.poll(() => secretary.locator('#dashboard-node-name').innerText()).toBe('桂花社区');
    await expect.poll(() => tile('kpi-received').innerText()).toBe('6');
    expect(await secretary.locator('#kpi-received .dashboard__tile-note').innerText()).toContain('不予受理 1');
    expect(await tile('kpi-completion').innerText()).toBe('60%');
    expect(await secretary.locator('#kpi-completion .dashboard__tile-note').innerText()).toContain('结案 3 ÷ (应结案 5 − 缓办 0)');
    // 按期结案率 has 结案率's base (kpi.ts): 3 closed in time ÷ (应结案 5 − 缓办 0).
    expect(await tile('kpi-ontime').innerText()).toBe('60%');
    expect(await tile('kpi-satisfaction').innerText()).toBe('4');
    expect(await secretary.locator('#kpi-satisfaction .dashboard__tile-note').innerText()).toContain('好评率 66.7%');
    expect(await tile('kpi-hours').innerText()).toMatch(/^\d+(\.\d)?$/);
    expect(await tile('kpi-overdue').innerText()).toBe('0');

    // The trend: six received today, three closed today.
    const today = secretary.locator('.daily-chart__day[data-received="6"]');
    expect(await today.count()).toBe(1);
    expect(await today.getAttribute('data-closed')).toBe('3');
    // Breakdowns: by category, then channel and handling method.
    expect(await secretary.locator('#facet-row-facilities .bar-list__value').innerText()).toBe('2');
    expect(await secretary.locator('#facet-row-sanitation .bar-list__value').innerText()).toBe('2');
    await secretary.locator('#facet-channel').click();
    expect(await secretary.locator('#facet-row-miniprogram').innerText()).toContain('小程序');
    expect(await secretary.locator('#facet-row-miniprogram .bar-list__value').innerText()).toBe('6');
    await secretary.locator('#facet-method').click();
    expect(await secretary.locator('#facet-row-on_site .bar-list__value').innerText()).toBe('3');
    expect(await secretary.locator('#facet-row-mediation').innerText()).toContain('矛盾调解');

    // Drill-down table and hot spots.
    const rows = secretary.locator('[id^="child-row-"]');
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('桂花社区第一网格'), expect.stringContaining('桂花社区第二网格')]);
    expect(await rows.nth(0).locator('.child-received').innerText()).toBe('5');
    expect(await rows.nth(0).locator('.child-completion').innerText()).toBe('75%');
    expect(await rows.nth(1).locator('.child-received').innerText()).toBe('1');
    expect(await secretary.locator('[id^="hot-spot-"]').first().innerText()).toContain('桂香苑微网格');
    await screenshot(secretary, 'dashboard-1-community');
  });

  it('drills into 桂花社区第一网格', async () => {
    await secretary.locator('[id^="child-row-"]', { hasText: '桂花社区第一网格' }).click();
    await expect.poll(() => secretary.locator('#dashboard-node-name').innerText()).toBe('桂花社区第一网格');
    await expect.poll(() => tile('kpi-received').innerText()).toBe('5');
    expect(await tile('kpi-completion').innerText()).toBe('75%');
    expect(await secretary.locator('#dashboard-trail').innerText()).toContain('桂花社区');
    expect(await secretary.locator('[id^="child-row-"]').allInnerTexts()).toEqual([expect.stringContaining('桂香苑微网格'), expect.stringContaining('桂馨苑微网格')]);
    await screenshot(secretary, 'dashboard-2-grid');
  });

  it('导出 Excel downloads the grid’s reports with Chinese headers', async () => {
    const download = secretary.waitForEvent('download');
    await secretary.locator('#dashboard-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^桂花社区第一网格说事台账_\d{4}-\d{2}-\d{2}至\d{4}-\d{2}-\d{2}\.xlsx$/);
    const saved = path.join(downloads, 'export.xlsx');
    await file.saveAs(saved);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(saved);
    const sheet = workbook.worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['编号', '类别', '描述', '渠道', '状态', '处置方式', '网格', '提交时间', '办结时间', '评价', '是否超期']));
    expect(headers[0]).toBe('编号');
    expect(sheet.actualRowCount).toBe(1 + 5);
    const descriptions: string[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) descriptions.push(String(row.getCell(3).value));
    });
    expect(descriptions).toEqual(expect.arrayContaining(['楼道灯不亮了，晚上上下楼看不清', '想问问垃圾分类几点开始']));
    expect(descriptions.some((d) => d.includes('丹桂苑'))).toBe(false);
  });

  it('一楼一码: the secretary shows 3号楼’s code, and its link opens the bind page with 3号楼 chosen', async () => {
    await secretary.locator('#dashboard-codes').click();
    const button = secretary.locator('.codes__row', { hasText: '3号楼' }).locator('[id^="building-code-"]');
    await button.waitFor({ timeout: 15_000 });
    const buildingId = Number((await button.getAttribute('id'))!.replace('building-code-', ''));
    await button.click();
    const image = secretary.locator('#building-code-image img, img#building-code-image').first();
    await image.waitFor({ timeout: 15_000 });
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await screenshot(secretary, 'dashboard-3-building-code');

    const resident = await phonePage(browser);
    await resident.goto(`${server.baseUrl}/`);
    await resident.locator('.login-user-demo-resident-1').click();
    await resident.locator('#home-page').waitFor({ timeout: 20_000 });
    await resident.goto(`${server.baseUrl}/#/pages/bind/index?buildingId=${buildingId}`);
    await expect.poll(() => resident.locator(`#bind-building-${buildingId}.is-selected`).count(), { timeout: 15_000 }).toBe(1);
    expect(await resident.locator('[id^="bind-unit-"]').count()).toBeGreaterThan(0);
  });
});
