import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConsultationDetail } from '@linli/shared';
import { browserMissing, demoUsers, ensureH5Build, launchBrowser, openRoute, screenshot, startServerProcess, type ServerProcess } from './support';

describe.skipIf(browserMissing)('内容审核 through the UI: held content waits for the secretary, who releases or removes it', () => {
  let server: ServerProcess;
  let browser: Browser;
  let reportUrl = '';
  let reportNumber = '';
  let consultationId = 0;
  const description = '楼道里堆满了纸箱，那个王八蛋邻居就是不清理，消防通道都堵了';
  const comment = '同意加装，但是楼下那个傻逼乱停车的问题也要管';

  const as = demoUsers(() => browser, () => server.baseUrl);

  const open = (page: Page, route: string, ready: string) => openRoute(page, server.baseUrl, route, ready);

  /** The API as a demo user, for what the test only sets up (a consultation open for comments). */
  async function call<T>(openid: string, method: string, path: string, body?: unknown): Promise<T> {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ openid }) });
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(`${server.baseUrl}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as T;
  }

  /** From the workbench's entry; waits for the page to finish sliding in (for the screenshots). */
  async function openQueue(secretary: Page): Promise<void> {
    await secretary.locator('#workbench-moderation').click();
    await secretary.locator('#moderation-page #mod-tab-held').waitFor({ timeout: 15_000 });
    await expect.poll(() => secretary.locator('#moderation-page').evaluate((page) => page.getBoundingClientRect().left)).toBe(0);
  }

  beforeAll(async () => {
    ensureH5Build();
    server = await startServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('demo-resident-1 files a 说事 with a listed word: it is held, and the detail says so', async () => {
    const resident = await as('demo-resident-1');
    await open(resident, '/pages/report/index', '#report-category-facilities');
    await resident.locator('#report-category-facilities').click();
    await resident.locator('#report-description textarea').fill(description);
    await resident.locator('#report-address input').fill('2号楼3单元楼道');
    await resident.locator('#report-submit').click();

    await resident.locator('#report-detail-page #report-moderation').waitFor({ timeout: 20_000 });
    reportUrl = resident.url();
    reportNumber = await resident.locator('#report-number').innerText();
    expect(await resident.locator('#report-moderation').innerText()).toContain('内容需要人工审核，审核通过后网格员才会看到并开始办理');
    expect(await resident.locator('#report-actions').count()).toBe(0);
    await resident.waitForTimeout(1600); // let the toast fade
    await screenshot(resident, 'moderation-1-resident-held-report');

    await open(resident, '/packages/reports/mine/index', '[id^="report-row-"]');
    expect(await resident.locator('[id^="report-row-"]', { hasText: reportNumber }).locator('.moderation-mark').innerText()).toBe('审核中');
  });

  it('demo-gridworker-1 does not find it in the workbench queue', async () => {
    const worker = await as('demo-gridworker-1');
    await open(worker, '/packages/workbench/index', '#queue-filter-submitted');
    await expect.poll(() => worker.locator('#queue-filter-submitted .workbench__filter-count').innerText()).not.toBe('·');
    await worker.locator('#queue-empty, #queue-list [id^="report-row-"]').first().waitFor({ timeout: 15_000 });
    expect(await worker.locator('#queue-list [id^="report-row-"]', { hasText: reportNumber }).count()).toBe(0);
  });

  it('demo-secretary-1 opens 内容审核 from the workbench, sees the word highlighted and releases it; it leaves 待审核', async () => {
    const secretary = await as('demo-secretary-1');
    await open(secretary, '/packages/workbench/index', '#workbench-moderation');
    await expect.poll(() => secretary.locator('#workbench-moderation-held').count(), { timeout: 15_000 }).toBe(1);
    expect(await secretary.locator('#workbench-moderation-held').innerText()).toBe('1');
    await screenshot(secretary, 'moderation-2-workbench-entry');
    await openQueue(secretary);

    const card = secretary.locator('#moderation-list .mod-case', { hasText: '消防通道都堵了' });
    await card.waitFor({ timeout: 15_000 });
    expect(await secretary.locator('#mod-tab-held').innerText()).toBe('待审核 1');
    expect(await card.locator('.mod-case__hit').allInnerTexts()).toEqual(['王八蛋']);
    expect(await card.locator('.mod-finding').allInnerTexts()).toEqual(['辱骂 · 词库：王八蛋']);
    expect(await card.innerText()).toContain('说事');
    expect(await card.innerText()).toContain('张晓梅');
    await screenshot(secretary, 'moderation-3-queue-held');

    await card.locator('[id^="mod-release-"]').click();
    const form = secretary.locator('#mod-form-release');
    await form.waitFor();
    await form.locator('#mod-form-text textarea').fill('反映问题属实，措辞不当');
    await screenshot(secretary, 'moderation-4-release-dialog');
    await form.locator('#mod-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await secretary.locator('#mod-tab-held').innerText()).toBe('待审核');
    await secretary.locator('#moderation-empty').waitFor();
  });

  it('demo-gridworker-1 now finds it in the queue, with 审核通过 on its timeline', async () => {
    const worker = await as('demo-gridworker-1');
    await open(worker, '/packages/workbench/index', '#queue-filter-submitted');
    const row = worker.locator('#queue-list [id^="report-row-"]', { hasText: reportNumber });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await worker.locator('#action-accept').waitFor({ timeout: 15_000 });
    expect([...(await worker.locator('.timeline__action').allInnerTexts())].reverse()).toEqual(['提交', '审核通过']);
    expect(await worker.locator('#report-moderation').count()).toBe(0);

    const resident = await as('demo-resident-1');
    await resident.goto(reportUrl);
    await resident.reload();
    await resident.locator('#report-detail-page #report-number').waitFor({ timeout: 15_000 });
    expect(await resident.locator('#report-moderation').count()).toBe(0);
  });

  it("a held comment is marked 审核中 for its author only; the secretary removes it with a reason, which the author reads", async () => {
    // Set up through the API: a 1号楼 matter open for comments.
    const created = await call<ConsultationDetail>('demo-resident-1', 'POST', '/consultations', {
      title: '1号楼加装电梯',
      description: '1号楼老人多，上下楼不方便，提议加装电梯，费用按楼层分摊。',
    });
    consultationId = created.id;
    await call('demo-resident-2', 'POST', `/consultations/${consultationId}/cosign`, {});
    await call('demo-resident-3', 'POST', `/consultations/${consultationId}/cosign`, {});
    await call('demo-secretary-1', 'POST', `/consultations/${consultationId}/approve`, {
      votingEndsAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rule: 'simple',
    });

    const resident = await as('demo-resident-1');
    await open(resident, `/packages/consult/detail/index?id=${consultationId}`, '#comment-input');
    await resident.locator('#comment-input textarea').fill(comment);
    await resident.locator('#comment-send').click();
    const mine = resident.locator('.consult-comment', { hasText: '乱停车' });
    await mine.waitFor({ timeout: 15_000 });
    expect(await mine.locator('.comment-moderation').innerText()).toBe('审核中');
    await mine.scrollIntoViewIfNeeded();
    await screenshot(resident, 'moderation-5-comment-held-toast');
    await resident.waitForTimeout(3600); // the toast that says it waits for review
    await screenshot(resident, 'moderation-5-comment-held');

    const neighbour = await call<ConsultationDetail>('demo-resident-2', 'GET', `/consultations/${consultationId}`);
    expect(neighbour.comments.some((c) => c.body?.includes('乱停车'))).toBe(false);

    const secretary = await as('demo-secretary-1');
    await open(secretary, '/packages/workbench/index', '#workbench-moderation');
    await openQueue(secretary);
    const card = secretary.locator('#moderation-list .mod-case', { hasText: '乱停车' });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('.mod-case__subject').innerText()).toBe('议事评论');
    expect(await card.locator('.mod-case__hit').allInnerTexts()).toEqual(['傻逼']);
    await card.locator('[id^="mod-remove-"]').click();
    const form = secretary.locator('#mod-form-remove');
    await form.waitFor();
    await form.locator('#mod-reason-1').click(); // 人身攻击
    expect(await form.locator('#mod-form-text textarea').inputValue()).toBe('人身攻击');
    await screenshot(secretary, 'moderation-6-remove-dialog');
    await form.locator('#mod-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    await card.waitFor({ state: 'detached', timeout: 15_000 });

    await secretary.locator('#mod-tab-pending').click();
    await secretary.locator('#moderation-empty').waitFor({ timeout: 15_000 });
    await secretary.waitForTimeout(1600); // let the toast fade
    await screenshot(secretary, 'moderation-7-queue-pending');
    await secretary.locator('#mod-tab-done').click();
    await secretary.locator('#moderation-list .mod-case', { hasText: '消防通道都堵了' }).waitFor({ timeout: 15_000 });
    await screenshot(secretary, 'moderation-8-queue-released');
    await secretary.locator('#mod-done-removed').click();
    const removed = secretary.locator('#moderation-list .mod-case', { hasText: '乱停车' });
    await removed.waitFor({ timeout: 15_000 });
    expect(await removed.innerText()).toContain('理由：人身攻击');
    await screenshot(secretary, 'moderation-9-queue-removed');

    await open(resident, `/packages/consult/detail/index?id=${consultationId}`, '#comment-input');
    const hidden = resident.locator('.consult-comment.is-hidden');
    await hidden.waitFor({ timeout: 15_000 });
    expect(await hidden.innerText()).toContain('内容未通过审核：人身攻击');
    expect(await hidden.locator('.comment-moderation').count()).toBe(0);
  });
});
