import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, demoUsers, ensureH5Build, launchBrowser, screenshot, startServerProcess, type ServerProcess } from './support';

describe.skipIf(browserMissing)('议事协商 through the UI: propose, co-sign, review, vote, close', () => {
  let server: ServerProcess;
  let browser: Browser;
  let detailUrl = '';
  const title = '1号楼加装电梯';

  const as = demoUsers(() => browser, () => server.baseUrl);

  async function openDetail(page: Page): Promise<void> {
    await page.goto(detailUrl);
    await page.reload();
    await page.locator('#consult-detail-page #consult-status').waitFor({ timeout: 15_000 });
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

  it('demo-resident-1 opens 议事 from the home page and proposes a matter for 1号楼', async () => {
    const resident = await as('demo-resident-1');
    await resident.locator('#home-shortcut-consult').click();
    await resident.locator('#consult-page').waitFor({ timeout: 15_000 });
    await resident.locator('#consult-empty').waitFor({ timeout: 15_000 });

    await resident.locator('#consult-new').click();
    await resident.locator('#consult-new-page #consult-submit').waitFor({ timeout: 15_000 });
    expect(await resident.locator('#consult-scope-building').innerText()).toContain('1号楼');
    expect(await resident.locator('#consult-scope-building').getAttribute('class')).toContain('is-selected');
    await resident.locator('#consult-title input').fill(title);
    await resident.locator('#consult-description textarea').fill('1号楼住着不少老人，上下楼很不方便。提议加装电梯，费用按楼层分摊，请邻居们一起商量。');
    await screenshot(resident, 'consult-1-new');
    await resident.locator('#consult-submit').click();

    await resident.locator('#consult-detail-page #consult-supporters').waitFor({ timeout: 20_000 });
    detailUrl = resident.url();
    expect(await resident.locator('#consult-status').innerText()).toContain('征集联名');
    expect(await resident.locator('#consult-title-text').innerText()).toBe(title);
    expect(await resident.locator('#consult-supporters').innerText()).toContain('1 / 3 户');
    expect(await resident.locator('#consult-supported').innerText()).toContain('提议人');
    expect(await resident.locator('#action-cosign').count()).toBe(0);
    await screenshot(resident, 'consult-2-proposed');
  });

  it('demo-resident-2 and demo-resident-3 co-sign it; with 3 households it goes to review', async () => {
    const second = await as('demo-resident-2');
    await openDetail(second);
    await second.locator('#action-cosign').click();
    await second.locator('#consult-supported').waitFor({ timeout: 15_000 });
    expect(await second.locator('#consult-supporters').innerText()).toContain('2 / 3 户');

    const third = await as('demo-resident-3');
    await openDetail(third);
    await third.locator('#action-cosign').click();
    await third.locator('#consult-review-card').waitFor({ timeout: 15_000 });
    expect(await third.locator('#consult-status').innerText()).toContain('待审议');
  });

  it('demo-secretary-1 finds it under 议事审核 and approves it with the default options and the simple rule', async () => {
    const secretary = await as('demo-secretary-1');
    await secretary.goto(`${server.baseUrl}/#/packages/workbench/index`);
    await secretary.locator('#workbench-consult').click();
    const row = secretary.locator('#consult-review-list [id^="consult-row-"]', { hasText: title });
    await row.waitFor({ timeout: 15_000 });
    expect(await secretary.locator('#consult-filter-in_review').getAttribute('class')).toContain('is-active');
    await row.click();

    await secretary.locator('#action-approve').click();
    const form = secretary.locator('#form-approve');
    await form.waitFor();
    expect(await form.locator('#approve-options input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual([
      '同意',
      '不同意',
    ]);
    expect(await form.locator('#approve-days-7').getAttribute('class')).toContain('is-selected');
    expect(await form.locator('#approve-rule-simple').getAttribute('class')).toContain('is-selected');
    await form.locator('#action-submit').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });

    await expect.poll(() => secretary.locator('#consult-status').innerText()).toContain('协商表决中');
    expect(await secretary.locator('#consult-rule').innerText()).toContain('简单多数');
    expect(await secretary.locator('#consult-countdown').innerText()).toMatch(/距截止\s*[67]天/);
    expect(await secretary.locator('#consult-participation').innerText()).toContain('0 / 24 户');
  });

  it('residents 1, 2 and 3 vote: two 同意, one 不同意 (resident 2 first picks 不同意, then changes)', async () => {
    const ballots: Array<[string, number[]]> = [
      ['demo-resident-1', [0]],
      ['demo-resident-2', [1, 0]],
      ['demo-resident-3', [1]],
    ];
    for (const [openid, choices] of ballots) {
      const page = await as(openid);
      await openDetail(page);
      for (const choice of choices) {
        await page.locator(`#vote-option-${choice}`).click();
        await page.locator(`#vote-option-${choice}.is-mine`).waitFor({ timeout: 15_000 });
      }
      expect(await page.locator('.vote-option.is-mine').count()).toBe(1);
    }
    const third = await as('demo-resident-3');
    expect(await third.locator('#consult-participation').innerText()).toContain('3 / 24 户');
    expect(await third.locator('#vote-option-0 .vote-option__count').innerText()).toBe('2 票 · 217.89 ㎡');
    expect(await third.locator('#vote-option-1 .vote-option__count').innerText()).toBe('1 票 · 90.31 ㎡');
    await screenshot(third, 'consult-3-voted');
  });

  it('the secretary closes voting early: 3 of 24 households is short of the simple quorum, so 参与不足 with 2/1', async () => {
    const secretary = await as('demo-secretary-1');
    await openDetail(secretary);
    await secretary.locator('#action-close').click();
    await secretary.locator('.taro-model__confirm').click();
    await secretary.locator('#consult-outcome').waitFor({ timeout: 15_000 });

    expect(await secretary.locator('#consult-status').innerText()).toContain('已表决');
    expect(await secretary.locator('#consult-outcome-label').innerText()).toBe('参与不足');
    expect(await secretary.locator('#consult-rule').innerText()).toContain('简单多数');
    expect(await secretary.locator('#consult-participation').innerText()).toContain('3 / 24 户');
    expect(await secretary.locator('#vote-option-0').innerText()).toContain('同意');
    expect(await secretary.locator('#vote-option-0 .vote-option__count').innerText()).toBe('2 票 · 217.89 ㎡');
    expect(await secretary.locator('#vote-option-1').innerText()).toContain('不同意');
    expect(await secretary.locator('#vote-option-1 .vote-option__count').innerText()).toBe('1 票 · 90.31 ㎡');
    expect(await secretary.locator('#action-implement').count()).toBe(0);

    // A resident sees the same result, their choice marked, and can no longer vote.
    const resident = await as('demo-resident-1');
    await openDetail(resident);
    await resident.locator('#consult-outcome').waitFor({ timeout: 15_000 });
    expect(await resident.locator('#consult-outcome-label').innerText()).toBe('参与不足');
    expect(await resident.locator('#consult-outcome').innerText()).toContain('24 户中 3 户参与');
    expect(await resident.locator('#vote-option-0').getAttribute('class')).toContain('is-mine');
    expect(await resident.locator('.vote-option.is-votable').count()).toBe(0);
    await resident.waitForTimeout(1600); // let the toast fade
    await screenshot(resident, 'consult-4-decided');

    await resident.goto(`${server.baseUrl}/#/pages/consult/index`);
    const row = resident.locator('#consult-list [id^="consult-row-"]', { hasText: title });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain('参与不足');
  });
});
