import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, ensureH5Build, launchBrowser, phonePage, screenshot, startServerProcess, writePng, type ServerProcess } from './support';

describe.skipIf(browserMissing)('说事 closed loop through the UI, in Chromium against the H5 build', () => {
  let server: ServerProcess;
  let browser: Browser;
  let resident: Page;
  let worker: Page;
  let photo: string;
  let reportUrl = '';
  let reportNumber = '';

  async function loginAs(openid: string): Promise<Page> {
    const page = await phonePage(browser);
    await page.goto(`${server.baseUrl}/`);
    await page.locator(`.login-user-${openid}`).click();
    await page.locator('#home-page').waitFor({ timeout: 20_000 });
    return page;
  }

  /** Opens a form from the action area, lets `fill` fill it and submits; waits for the popup to go. */
  async function act(page: Page, action: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
    await page.locator(`#action-${action}`).click();
    const form = page.locator(`#form-${action}`);
    await form.waitFor();
    if (fill) await fill(form);
    await form.locator('#action-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
  }

  async function choosePhoto(page: Page, addButton: string): Promise<void> {
    const chooser = page.waitForEvent('filechooser');
    await page.locator(addButton).click();
    await (await chooser).setFiles(photo);
  }

  beforeAll(async () => {
    ensureH5Build();
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-photo-')), 'street-light.png');
    writePng(photo);
    server = await startServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (photo) fs.rmSync(path.dirname(photo), { recursive: true, force: true });
  });

  it('a resident files a report with a photo and lands on its detail page', async () => {
    resident = await loginAs('demo-resident-1');
    await resident.goto(`${server.baseUrl}/#/pages/report/index`);
    await resident.locator('#report-category-facilities').waitFor({ timeout: 15_000 });
    await screenshot(resident, 'reports-1-form');

    await resident.locator('#report-category-facilities').click();
    await resident.locator('#report-description textarea').fill('3号楼东侧路灯坏了一个星期，晚上很黑');
    await choosePhoto(resident, '#report-add-photo');
    await resident.locator('#report-photos .photo-picker__item.is-uploaded').waitFor({ timeout: 15_000 });
    await resident.locator('#report-address input').fill('3号楼东侧');
    await screenshot(resident, 'reports-2-form-filled');
    await resident.locator('#report-submit').click();

    await resident.locator('#report-detail-page #report-number').waitFor({ timeout: 20_000 });
    reportNumber = await resident.locator('#report-number').innerText();
    reportUrl = resident.url();
    expect(reportNumber).toMatch(/^SS330199001-\d{8}-\d{4}$/);
    expect(await resident.locator('#report-status').innerText()).toContain('待受理');
    expect(await resident.locator('#report-description-text').innerText()).toContain('路灯坏了');
    expect(await resident.locator('.detail__header .detail-photos__image').count()).toBe(1);
    expect(await resident.locator('.timeline-event').allInnerTexts()).toEqual([expect.stringContaining('提交')]);
    await screenshot(resident, 'reports-3-detail-submitted');
  });

  it('the grid worker of 第一网格 finds it in the queue, accepts, dispatches, starts and resolves it', async () => {
    worker = await loginAs('demo-gridworker-1');
    await worker.goto(`${server.baseUrl}/#/packages/workbench/index`);
    const row = worker.locator('#queue-list [id^="report-row-"]', { hasText: reportNumber });
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => worker.locator('#queue-filter-submitted').innerText()).toContain('1');
    await screenshot(worker, 'reports-4-workbench');
    await row.click();

    await worker.locator('#action-accept').waitFor({ timeout: 15_000 });
    await act(worker, 'accept', async (form) => {
      await form.locator('#accept-priority-high').click();
      await form.locator('#accept-method-on_site').click();
    });
    await expect.poll(() => worker.locator('#report-status').innerText()).toContain('已受理');

    await act(worker, 'dispatch', async (form) => {
      await form.locator('#dispatch-mode-person').click();
      await form.locator('[id^="dispatch-person-"]', { hasText: '周海峰' }).click();
    });
    await expect.poll(() => worker.locator('#report-status').innerText()).toContain('已分流');

    await act(worker, 'start');
    await expect.poll(() => worker.locator('#report-status').innerText()).toContain('处理中');

    await act(worker, 'resolve', async (form) => {
      await form.locator('#action-note textarea').fill('已更换路灯灯泡，恢复照明');
      await choosePhoto(worker, '#resolve-add-photo');
      await form.locator('.photo-picker__item.is-uploaded').waitFor({ timeout: 15_000 });
    });
    await expect.poll(() => worker.locator('#report-status').innerText()).toContain('待评价');
    await worker.waitForTimeout(1600); // let the toast fade
    await screenshot(worker, 'reports-5-worker-resolved');
  });

  it('the resident is told in the inbox, rates it 5 stars and it is closed with every step on the timeline', async () => {
    await resident.goto(`${server.baseUrl}/#/packages/reports/inbox/index`);
    await resident.locator('.notification-item', { hasText: '办结' }).first().waitFor({ timeout: 15_000 });
    expect(await resident.locator('#inbox-unread').innerText()).toMatch(/\d+ 条未读/);
    await screenshot(resident, 'reports-6-inbox');

    await resident.goto(reportUrl);
    await resident.reload();
    await resident.locator('#rate-card').waitFor({ timeout: 15_000 });
    await resident.locator('#rate-comment textarea').fill('修得很快，谢谢网格员');
    await resident.locator('#rate-submit').click();
    await expect.poll(() => resident.locator('#report-status').innerText(), { timeout: 15_000 }).toContain('已办结');
    await expect.poll(() => resident.locator('#rate-card').count()).toBe(0);

    const steps = await resident.locator('.timeline__action').allInnerTexts();
    expect([...steps].reverse()).toEqual(['提交', '受理', '分流', '开始处理', '办结', '评价']);
    expect(await resident.locator('.event-resolve').innerText()).toContain('已更换路灯灯泡');
    expect(await resident.locator('.event-resolve .detail-photos__image').count()).toBe(1);
    expect(await resident.locator('.event-rate').innerText()).toContain('修得很快');
    await resident.waitForTimeout(1600);
    await screenshot(resident, 'reports-7-closed');

    await resident.goto(`${server.baseUrl}/#/packages/reports/mine/index`);
    const mine = resident.locator('[id^="report-row-"]', { hasText: reportNumber });
    await mine.waitFor({ timeout: 15_000 });
    expect(await mine.innerText()).toContain('已办结');
  });

  it('when the answer to 提交 is lost, the app resends with the same Idempotency-Key and only one report is filed', async () => {
    const keys: string[] = [];
    await resident.route('**/api/v1/reports', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      if (keys.length === 1) {
        await route.fetch(); // the server files it…
        return route.abort('connectionreset'); // …but the phone never hears back
      }
      return route.continue();
    });
    await resident.goto(`${server.baseUrl}/#/pages/report/index`);
    await resident.locator('#report-category-noise').waitFor({ timeout: 15_000 });
    await resident.locator('#report-category-noise').click();
    await resident.locator('#report-description textarea').fill('楼上每天夜里十二点后还在装修，电钻声很吵');
    await resident.locator('#report-submit').click();
    await resident.locator('#report-detail-page #report-number').waitFor({ timeout: 20_000 });
    await resident.unroute('**/api/v1/reports');

    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    await resident.goto(`${server.baseUrl}/#/packages/reports/mine/index`);
    await resident.locator('[id^="report-row-"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => resident.locator('[id^="report-row-"]', { hasText: '电钻声很吵' }).count()).toBe(1);
  });
});
