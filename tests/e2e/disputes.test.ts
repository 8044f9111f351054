import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DisputeStats } from '@linli/shared';
import { browserMissing, ensureH5Build, launchBrowser, phonePage, screenshot, shotsDir, startServerProcess, writePng, type ServerProcess, CONTEXT } from './support';

/*
 * 矛盾纠纷调处 through the UI: a resident applies for mediation of a neighbour dispute; the secretary
 * accepts it and assigns a mediator; the mediator records a session (with a photo of the signed
 * record) and a written agreement; the 人民调解协议书 downloads and its text is read back; the
 * agreement is performed, a return visit is recorded and the case closes; the dashboard's figures
 * move. A second case fails, goes to the fast-track court, is ruled, and counts in 化解率.
 */
describe.skipIf(browserMissing)('矛盾纠纷调处 in Chromium against the H5 build', () => {
  let server: ServerProcess;
  let browser: Browser;
  let resident: Page;
  let secretary: Page;
  let mediator: Page;
  let downloads: string;
  let photo: string;
  let caseUrl = '';
  let before: DisputeStats;
  const tokens: Record<string, string> = {};

  async function api<T>(method: string, url: string, who: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.baseUrl}/api/v1${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[who]}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} as ${who}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async function loginAs(openid: string, page: Page): Promise<Page> {
    await page.goto(`${server.baseUrl}/`);
    await page.locator(`.login-user-${openid}`).click();
    await page.locator('#home-page').waitFor({ timeout: 20_000 });
    return page;
  }

  /** A 1440×900 window, as the community office's screen. */
  async function desktopPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...CONTEXT });
    return context.newPage();
  }

  async function act(page: Page, action: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
    await page.locator(`#action-${action}`).click();
    const form = page.locator(`#form-${action}`);
    await form.waitFor();
    if (fill) await fill(form);
    await form.locator('#action-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
  }

  const status = (page: Page) => page.locator('#dispute-status').innerText();
  const tile = (page: Page, id: string) => page.locator(`#${id} .dashboard__tile-value`).innerText();
  const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`);

  beforeAll(async () => {
    ensureH5Build();
    downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-agreement-'));
    photo = path.join(downloads, 'signed-record.png');
    writePng(photo);
    server = await startServerProcess();
    browser = await launchBrowser();
    for (const openid of ['demo-resident-1', 'demo-secretary-1', 'demo-mediator-1']) {
      const response = await fetch(`${server.baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ openid }) });
      tokens[openid] = ((await response.json()) as { token: string }).token;
    }
    resident = await loginAs('demo-resident-1', await phonePage(browser));
    secretary = await loginAs('demo-secretary-1', await phonePage(browser));
    mediator = await loginAs('demo-mediator-1', await phonePage(browser));
    before = await api<DisputeStats>('GET', '/stats/disputes', 'demo-secretary-1');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
  });

  it('a resident applies for mediation of a neighbour dispute from 我的', async () => {
    await resident.goto(`${server.baseUrl}/#/pages/mine/index`);
    await resident.locator('.mine-disputes').click();
    await resident.locator('#my-disputes-page').waitFor({ timeout: 15_000 });
    await resident.locator('#dispute-apply').click();
    await resident.locator('#dispute-apply-page').waitFor({ timeout: 15_000 });
    await resident.locator('#dispute-type-neighbour').click();
    await resident.locator('#dispute-title input').fill('楼上漏水殃及我家');
    await resident.locator('#dispute-description textarea').fill('楼上202室卫生间漏水，我家天花板发霉掉皮，找过对方两次，对方不承认是他家的问题。希望对方维修并赔偿修复费用。');
    await resident.locator('.party-0-phone input').fill('13857110001');
    await resident.locator('.party-1-name input').fill('孙女士（202室）');
    await resident.locator('.party-1-phone input').fill('13900000001');
    await screenshot(resident, 'disputes-1-apply');
    await resident.locator('#dispute-submit').click();
    await resident.locator('#dispute-detail-page #dispute-number').waitFor({ timeout: 15_000 });
    expect(await status(resident)).toBe('待受理');
    expect(await resident.locator('#dispute-parties').innerText()).toContain('孙女士（202室）');
    caseUrl = resident.url();
    await screenshot(resident, 'disputes-2-applied');
  });

  it('the secretary finds it in the workbench, accepts it and assigns 沈国华 of the 「老娘舅」调解工作室', async () => {
    await secretary.goto(`${server.baseUrl}/#/packages/workbench/index`);
    await secretary.locator('#workbench-disputes').click();
    await secretary.locator('#dispute-queue-page').waitFor({ timeout: 15_000 });
    await secretary.locator('#dispute-filter-registered').click();
    const row = secretary.locator('.dispute-row', { hasText: '楼上漏水殃及我家' });
    await row.waitFor({ timeout: 15_000 });
    await screenshot(secretary, 'disputes-3-queue');
    await row.click();
    await secretary.locator('#dispute-detail-page #dispute-number').waitFor({ timeout: 15_000 });
    // The secretary sees both phones.
    expect(await secretary.locator('#dispute-parties').innerText()).toContain('13900000001');
    await act(secretary, 'accept', async (form) => {
      await form.locator('.choices__item', { hasText: '沈国华' }).click();
    });
    await expect.poll(() => status(secretary)).toBe('已受理');
    expect(await secretary.locator('#dispute-mediator').innerText()).toContain('「老娘舅」调解工作室');
    await screenshot(secretary, 'disputes-4-accepted');
    const desk = await desktopPage();
    await loginAs('demo-secretary-1', desk);
    await desk.goto(caseUrl.replace(/^.*#/, `${server.baseUrl}/#`));
    await desk.reload();
    await desk.locator('#dispute-detail-page #dispute-mediator').waitFor({ timeout: 15_000 });
    await screenshot(desk, 'disputes-4-accepted-desktop');
    await desk.context().close();
  });

  it('the mediator records a session with a photo of the signed record, then a written agreement', async () => {
    // A mediator has no 工作台: their cases are under 我的.
    await mediator.goto(`${server.baseUrl}/#/pages/mine/index`);
    await mediator.locator('.mine-dispute-queue').click();
    await mediator.locator('#dispute-queue-page').waitFor({ timeout: 15_000 });
    await mediator.locator('.dispute-row', { hasText: '楼上漏水殃及我家' }).click();
    await mediator.locator('#dispute-detail-page #dispute-number').waitFor({ timeout: 15_000 });
    await act(mediator, 'session', async (form) => {
      await form.locator('#session-participants input').fill('张晓梅、孙女士、沈国华');
      await form.locator('#action-note textarea').fill('双方到场。经查看，202室卫生间防水层老化导致渗漏。孙女士同意维修并承担部分修复费用。');
      const chooser = mediator.waitForEvent('filechooser');
      await form.locator('#session-add-photo').click();
      await (await chooser).setFiles(photo);
      await form.locator('.photo-picker__item.is-uploaded').waitFor({ timeout: 15_000 });
      await screenshot(mediator, 'disputes-5-session-form');
    });
    await expect.poll(() => status(mediator)).toBe('调解中');
    expect(await mediator.locator('#dispute-sessions').innerText()).toContain('防水层老化');
    await act(mediator, 'agree', async (form) => {
      await form.locator('#agree-terms textarea').fill('孙女士于十日内完成卫生间防水维修\n孙女士补偿张晓梅天花板修复费用800元\n双方互相谅解，不再因此事发生争执');
      await form.locator('#agree-performance textarea').fill('孙女士自行请人维修，补偿款当面付清');
    });
    await expect.poll(() => status(mediator)).toBe('达成协议');
    await screenshot(mediator, 'disputes-6-agreed');
  });

  it('the 人民调解协议书 downloads as a .docx and reads back with the case in it', async () => {
    const download = mediator.waitForEvent('download');
    await mediator.locator('#dispute-agreement-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^人民调解协议书_TJ\d{8}-\d{4}\.docx$/);
    const saved = path.join(downloads, 'agreement.docx');
    await file.saveAs(saved);
    const zip = await JSZip.loadAsync(fs.readFileSync(saved));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
    for (const expected of ['人民调解协议书', '申请人：张晓梅', '被申请人：孙女士（202室）', '楼上202室卫生间漏水', '一、孙女士于十日内完成卫生间防水维修', '二、孙女士补偿张晓梅天花板修复费用800元', '孙女士自行请人维修', '桂花社区人民调解委员会', '沈国华']) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('13900000001');
    fs.mkdirSync(shotsDir, { recursive: true });
    fs.copyFileSync(saved, path.join(shotsDir, 'disputes-agreement.docx'));
  });

  it('the agreement is performed, a return visit recorded, the case closes; the resident follows it without the other side’s phone', async () => {
    await act(mediator, 'fulfil');
    await expect.poll(() => status(mediator)).toBe('已履行');
    await act(mediator, 'visit', async (form) => {
      await form.locator('#action-note textarea').fill('上门回访，防水已修好，补偿款已付清，双方满意');
    });
    await mediator.locator('#dispute-visits').waitFor({ timeout: 15_000 });
    expect(await mediator.locator('#dispute-visits').innerText()).toContain('补偿款已付清');
    await act(mediator, 'close');
    await expect.poll(() => status(mediator)).toBe('已结案');
    await screenshot(mediator, 'disputes-7-closed');

    await resident.goto(caseUrl);
    await resident.reload();
    await resident.locator('#dispute-detail-page #dispute-timeline').waitFor({ timeout: 15_000 });
    expect(await status(resident)).toBe('已结案');
    const timeline = await resident.locator('#dispute-timeline .timeline__action').allInnerTexts();
    expect(timeline).toEqual(['结案归档', '回访', '协议履行', '达成协议', '调解', '受理', '登记']);
    const page = await resident.locator('#dispute-detail-page').innerText();
    expect(page).toContain('13857110001');
    expect(page).not.toContain('13900000001');
    expect(page).not.toContain('防水层老化');
    await resident.locator('#dispute-timeline').scrollIntoViewIfNeeded();
    await screenshot(resident, 'disputes-8-resident-timeline');
  });

  it('a second case fails, goes to the fast-track court and is ruled', async () => {
    const created = await api<{ id: number; version: number }>('POST', '/disputes', 'demo-resident-1', {
      title: '车位被占纠纷',
      description: '对门邻居长期占用我家购买的车位，多次沟通无果，要求对方停止占用并赔偿停车费。',
      type: 'neighbour',
      source: 'application',
      parties: [
        { role: 'applicant', name: '张晓梅' },
        { role: 'respondent', name: '钱先生' },
      ],
    });
    const pool = await api<{ items: { id: number; name: string }[] }>('GET', '/mediators', 'demo-secretary-1');
    await api('POST', `/disputes/${created.id}/accept`, 'demo-secretary-1', { mediatorId: pool.items.find((m) => m.name === '沈国华')!.id });
    await api('POST', `/disputes/${created.id}/session`, 'demo-mediator-1', { heldAt: new Date().toISOString(), place: '桂花社区调解室', participants: ['张晓梅', '钱先生'], notes: '钱先生不认可车位归属，拒绝赔偿。' });
    await mediator.goto(`${server.baseUrl}/#/packages/disputes/detail/index?id=${created.id}`);
    await mediator.reload();
    await mediator.locator('#dispute-detail-page #dispute-number').waitFor({ timeout: 15_000 });
    await act(mediator, 'fail', async (form) => {
      await form.locator('#fail-advice-speedy_trial').click();
      await form.locator('#action-note textarea').fill('双方对车位归属各执一词，两次调解未能达成一致');
    });
    await expect.poll(() => status(mediator)).toBe('调解不成');
    await act(mediator, 'ruling', async (form) => {
      await form.locator('#ruling-court input').fill('青溪区人民法院速裁法庭');
      await form.locator('#action-note textarea').fill('判决钱先生停止占用车位，赔偿停车费600元');
    });
    await expect.poll(() => status(mediator)).toBe('速裁已判');
    expect(await mediator.locator('#dispute-ruling').innerText()).toContain('青溪区人民法院速裁法庭');
    await screenshot(mediator, 'disputes-9-ruled');
  });

  it('the dashboard’s dispute figures moved: two more received, both settled, 化解率 and 调解成功率 as the API counts them', async () => {
    const after = await api<DisputeStats>('GET', '/stats/disputes', 'demo-secretary-1');
    expect(after.received - before.received).toBe(2);
    expect(after.resolved - before.resolved).toBe(2);
    expect(after.ruled - before.ruled).toBe(1);
    expect(after.agreed - before.agreed).toBe(1);
    expect(after.failed - before.failed).toBe(1);
    for (const page of [secretary, await desktopPage()]) {
      if (page !== secretary) await loginAs('demo-secretary-1', page);
      await page.goto(`${server.baseUrl}/#/packages/workbench/index`);
      await page.reload();
      await page.locator('#workbench-disputes').click();
      await page.locator('#dispute-stats').click();
      await page.locator('#dispute-dashboard-page #dispute-kpi-tiles').waitFor({ timeout: 15_000 });
      await expect.poll(() => tile(page, 'dispute-kpi-received')).toBe(String(after.received));
      expect(await tile(page, 'dispute-kpi-resolution')).toBe(percent(after.resolutionRate));
      expect(await tile(page, 'dispute-kpi-success')).toBe(percent(after.successRate));
      expect(await page.locator('#dispute-kpi-resolution .dashboard__tile-note').innerText()).toContain(`化解 ${after.resolved} 件（含速裁 ${after.ruled}）`);
      expect(await page.locator('#dispute-mediators').innerText()).toContain('沈国华');
      await screenshot(page, page === secretary ? 'disputes-10-dashboard' : 'disputes-10-dashboard-desktop');
      if (page !== secretary) await page.context().close();
    }
    expect(after.resolutionRate).not.toBe(before.resolutionRate);
  });
});
