import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConsultationDetail, HouseholdSummary, Me } from '@linli/shared';
import { apiAs, browserMissing, demoUsers, desktopPage, ensureH5Build, launchBrowser, phonePage, screenshot, startServerProcess, writePng, type ServerProcess } from './support';

/**
 * Votes that hold up, through the UI: a tenant is refused on a Civil Code vote and allowed on a simple
 * one; the secretary records two paper ballots and a proxy, closes the vote, and the result shows
 * headcount and floor area. 1号楼 has 24 flats (12 of 90.31 m², 12 of 127.58 m², 2,614.68 m² in all).
 */
describe.skipIf(browserMissing)('议事表决 by household: owners, tenants, paper ballots and proxies', () => {
  let server: ServerProcess;
  let browser: Browser;
  let photo = '';
  let flats: HouseholdSummary[] = [];
  let major: ConsultationDetail;
  let simple: ConsultationDetail;
  let tenant: Page;

  const as = demoUsers(() => browser, () => server.baseUrl);
  const api = <T = any>(openid: string, method: string, apiPath: string, body?: unknown) => apiAs<T>(server.baseUrl, openid, method, apiPath, body);
  const detailUrl = (id: number) => `${server.baseUrl}/#/packages/consult/detail/index?id=${id}`;

  async function openDetail(page: Page, id: number): Promise<void> {
    await page.goto(detailUrl(id));
    await page.reload();
    await page.locator('#consult-detail-page #consult-status').waitFor({ timeout: 15_000 });
  }

  /** Proposed by demo-resident-1, co-signed by residents 2 and 3: waiting for the secretary. */
  async function inReview(title: string): Promise<ConsultationDetail> {
    const c = await api<ConsultationDetail>('demo-resident-1', 'POST', '/consultations', { title, description: `${title}：请各户业主按《民法典》第二百七十八条的规定表决。` });
    await api('demo-resident-2', 'POST', `/consultations/${c.id}/cosign`, {});
    return api<ConsultationDetail>('demo-resident-3', 'POST', `/consultations/${c.id}/cosign`, {});
  }

  beforeAll(async () => {
    ensureH5Build();
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-proxy-')), 'authorisation.png');
    writePng(photo);
    server = await startServerProcess();
    browser = await launchBrowser();
    const me = await api<Me>('demo-resident-1', 'GET', '/me');
    flats = (await api<{ items: HouseholdSummary[] }>('demo-resident-1', 'GET', `/buildings/${me.household!.buildingId}/households?limit=100`)).items;
    // The owner of 1单元 101 invites a tenant with a one-time code; a new account accepts it.
    const invite = await api<{ code: string }>('demo-resident-1', 'POST', `/households/${me.householdId}/invites`, { relation: 'tenant' });
    await api('e2e-tenant-1', 'POST', `/invites/${invite.code}/accept`, {});
    major = await inReview('使用维修资金更换电梯');
    simple = await inReview('单元门口加装雨棚');
    simple = await api('demo-secretary-1', 'POST', `/consultations/${simple.id}/approve`, { votingEndsAt: new Date(Date.now() + 7 * 86400_000).toISOString(), rule: 'simple' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (photo) fs.rmSync(path.dirname(photo), { recursive: true, force: true });
  });

  it('the secretary is warned when a flat has no area, and approves the matter as a Civil Code major one once it has', async () => {
    const flat602 = flats.find((f) => f.label === '1号楼 2单元 602')!;
    await api('demo-secretary-1', 'PUT', `/households/${flat602.id}`, { areaM2: null });
    const secretary = await as('demo-secretary-1');
    await openDetail(secretary, major.id);
    await secretary.locator('#action-approve').click();
    await secretary.locator('#form-approve #approve-rule-civil_code_major').click();
    expect(await secretary.locator('#approve-area-warning').innerText()).toContain('有 1 户没有登记专有部分面积');
    await screenshot(secretary, 'votes-1-approve-area-missing');

    await api('demo-secretary-1', 'PUT', `/households/${flat602.id}`, { areaM2: 127.58 });
    await openDetail(secretary, major.id);
    await secretary.locator('#action-approve').click();
    const form = secretary.locator('#form-approve');
    await form.locator('#approve-rule-civil_code_major').click();
    expect(await form.locator('#approve-area-warning').count()).toBe(0);
    expect(await form.locator('#approve-rule-explain').innerText()).toContain('四分之三以上');
    await form.locator('#action-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => secretary.locator('#consult-status').innerText()).toContain('协商表决中');
    expect(await secretary.locator('#consult-rule').innerText()).toContain('民法典重大事项');
    expect(await secretary.locator('#consult-participation-area').innerText()).toBe('参与 0/24 户 · 0/2,614.68 ㎡');
    expect(await secretary.locator('#consult-thresholds').innerText()).toContain('至少 16 户且至少 1,743.12 ㎡');
  });

  it('a tenant is refused on the Civil Code vote (the page says why) and votes on the simple one', async () => {
    tenant = await phonePage(browser);
    await tenant.goto(`${server.baseUrl}/`);
    await tenant.locator('.login-openid-input input').fill('e2e-tenant-1');
    await tenant.locator('#login-openid-submit').click();
    await tenant.locator('#home-page').waitFor({ timeout: 20_000 });

    await openDetail(tenant, major.id);
    const refusal = tenant.locator('#consult-vote-refusal');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.innerText()).toContain('您在本户登记为租户');
    expect(await refusal.innerText()).toContain('业主本人投票');
    expect(await tenant.locator('.vote-option.is-votable').count()).toBe(0);
    await refusal.scrollIntoViewIfNeeded();
    await screenshot(tenant, 'votes-2-tenant-refused');

    await openDetail(tenant, simple.id);
    expect(await tenant.locator('#consult-vote-refusal').count()).toBe(0);
    await tenant.locator('#vote-option-0').click();
    await tenant.locator('#vote-option-0.is-mine').waitFor({ timeout: 15_000 });
    expect(await tenant.locator('#consult-participation').innerText()).toContain('1 / 24 户');
    await tenant.waitForTimeout(1600); // let the toast fade
    await tenant.locator('#consult-voting').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(tenant, 'votes-3-tenant-voted-simple');
  });

  it('the owner votes in the app; the secretary records two paper ballots and a proxy with its signed authorisation', async () => {
    const owner = await as('demo-resident-1');
    await openDetail(owner, major.id);
    await owner.locator('#vote-option-0').click();
    await owner.locator('#vote-option-0.is-mine').waitFor({ timeout: 15_000 });

    const secretary = await as('demo-secretary-1');
    await openDetail(secretary, major.id);
    const record = async (unit: string, room: string, option: 0 | 1, method: 'paper' | 'proxy') => {
      await secretary.locator('#action-ballot').click();
      const form = secretary.locator('#form-ballot');
      await form.waitFor();
      await form.locator('[id^="ballot-unit-"]', { hasText: unit }).click();
      await form.locator('[id^="ballot-room-"]', { hasText: room }).click();
      await form.locator('[id^="ballot-option-"]').nth(option).click();
      await form.locator(`#ballot-method-${method}`).click();
      if (method === 'proxy') {
        const chooser = secretary.waitForEvent('filechooser');
        await form.locator('#ballot-add-photo').click();
        await (await chooser).setFiles(photo);
        await form.locator('#ballot-photos .photo-picker__item.is-uploaded').waitFor({ timeout: 15_000 });
        await form.locator('#ballot-note textarea').fill('业主在外地，委托其女儿代为投票');
        await screenshot(secretary, 'votes-4-proxy-form');
      }
      await form.locator('#ballot-submit').click();
      await form.waitFor({ state: 'detached', timeout: 15_000 });
    };
    await record('2单元', '301', 0, 'paper');
    await record('2单元', '302', 1, 'paper');
    await record('1单元', '401', 0, 'proxy');

    await expect.poll(() => secretary.locator('#consult-methods').innerText()).toBe('小程序投票 1 户 · 书面表决 2 户 · 委托投票 1 户');
    expect(await secretary.locator('#consult-ballots .consult-ballot').count()).toBe(3);
    expect(await secretary.locator('#consult-ballots').innerText()).toContain('1号楼 1单元 401');
    expect(await secretary.locator('#consult-ballots .consult-photos__image, #consult-ballots image, #consult-ballots img').count()).toBeGreaterThan(0);
    expect(await secretary.locator('#consult-timeline').innerText()).toContain('工作人员 吴慧敏 代录 1号楼 2单元 301 的书面表决');
    // The owner's neighbours see how the votes came in, not the recorded choices.
    await openDetail(owner, major.id);
    expect(await owner.locator('#consult-methods').innerText()).toBe('小程序投票 1 户 · 书面表决 2 户 · 委托投票 1 户');
    expect(await owner.locator('#consult-ballots').count()).toBe(0);
  });

  it('the secretary closes the vote: the result shows headcount and floor area', async () => {
    const secretary = await as('demo-secretary-1');
    await openDetail(secretary, major.id);
    await secretary.locator('#action-close').click();
    await secretary.locator('.taro-model__confirm').click();
    await secretary.locator('#consult-outcome').waitFor({ timeout: 15_000 });
    // 4 of 24 flats, 398.51 of 2,614.68 m²: far from two thirds of either.
    expect(await secretary.locator('#consult-outcome-label').innerText()).toBe('参与不足');
    expect(await secretary.locator('#consult-outcome').innerText()).toContain('24 户中 4 户参与');
    expect(await secretary.locator('#consult-participation-area').innerText()).toBe('参与 4/24 户 · 398.51/2,614.68 ㎡');
    expect(await secretary.locator('#vote-option-0 .vote-option__count').innerText()).toBe('3 票 · 270.93 ㎡');
    expect(await secretary.locator('#vote-option-1 .vote-option__count').innerText()).toBe('1 票 · 127.58 ㎡');
    expect(await secretary.locator('#consult-timeline').innerText()).toContain('表决结果：参与不足（参与 4/24 户 · 398.51/2,614.68 ㎡）');
    await secretary.waitForTimeout(1600);
    await secretary.locator('#consult-outcome').scrollIntoViewIfNeeded();
    await screenshot(secretary, 'votes-5-decided');

    // At a desk: the same page at 1440×900, and the 议事审核 list with headcount and area.
    const desk = await desktopPage(browser);
    await desk.goto(`${server.baseUrl}/`);
    await desk.locator('.login-user-demo-secretary-1').click();
    await desk.locator('#home-page').waitFor({ timeout: 20_000 });
    await openDetail(desk, major.id);
    await desk.locator('#consult-outcome').waitFor({ timeout: 15_000 });
    await desk.locator('#consult-voting').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(desk, 'votes-6-secretary-desktop');
    await desk.goto(`${server.baseUrl}/#/packages/workbench/consult/index`);
    await desk.reload();
    await desk.locator('#consult-filter-decided').click();
    const row = desk.locator(`#consult-row-${major.id}`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain('参与 4/24 户 · 398.51/2,614.68 ㎡');
    await screenshot(desk, 'votes-7-review-list-desktop');
  });
});
