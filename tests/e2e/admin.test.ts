import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, ensureH5Build, launchBrowser, phonePage, screenshot, startServerProcess, type ServerProcess } from './support';

/*
 * The admin screens through the UI: demo-admin makes demo-resident-2 a 网格员 of 桂花社区第二网格
 * (checked through GET /me as the resident), then creates an Open311 key, whose one-time display is
 * used against the Open311 endpoint.
 */
describe.skipIf(browserMissing)('admin: 人员配置 and 开放接口密钥, in Chromium against the H5 build', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: Page;
  let residentToken = '';
  let residentId = 0;
  let residentName = '';

  interface MeBody {
    roles: string[];
    scopes: Array<{ role: string; nodeId: number }>;
  }

  async function me(token: string): Promise<MeBody> {
    const response = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as MeBody;
  }

  beforeAll(async () => {
    ensureH5Build();
    server = await startServerProcess();
    browser = await launchBrowser();
    const response = await fetch(`${server.baseUrl}/api/v1/auth/dev`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ openid: 'demo-resident-2' }),
    });
    const body = (await response.json()) as { token: string; user: { id: number; nickname: string } };
    residentToken = body.token;
    residentId = body.user.id;
    residentName = body.user.nickname;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('demo-admin sees the admin entries in the workbench', async () => {
    admin = await phonePage(browser);
    await admin.goto(`${server.baseUrl}/`);
    await admin.locator('.login-user-demo-admin').click();
    await admin.locator('#home-page').waitFor({ timeout: 20_000 });
    await admin.goto(`${server.baseUrl}/#/packages/workbench/index`);
    for (const id of ['workbench-admin-grids', 'workbench-admin-staff', 'workbench-admin-categories', 'workbench-admin-keys']) {
      await admin.locator(`#${id}`).waitFor({ timeout: 20_000 });
    }
  });

  it('assigns demo-resident-2 the grid_worker role on 桂花社区第二网格, which GET /me then shows', async () => {
    expect((await me(residentToken)).roles).not.toContain('grid_worker');

    await admin.locator('#workbench-admin-staff').click();
    await admin.locator('#admin-staff-page #staff-search-input input').waitFor({ timeout: 20_000 });
    await admin.locator('#staff-search-input input').fill(residentName);
    await admin.locator('#staff-search').click();
    await admin.locator(`#staff-user-${residentId}`).click();
    await admin.locator('#staff-role-grid_worker').click();
    const grid = admin.locator('#staff-tree .grid-tree__row', { hasText: '桂花社区第二网格' });
    await grid.locator('.grid-tree__main').click();
    const gridId = Number((await grid.getAttribute('id'))?.replace('staff-node-', ''));
    expect(gridId).toBeGreaterThan(0);
    await admin.locator('#staff-assign').click();

    const row = admin.locator(`#staff-assignments .admin__row[data-user-id="${residentId}"][data-role="grid_worker"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('桂花社区第二网格');
    await screenshot(admin, 'admin-staff-assigned');

    const after = await me(residentToken);
    expect(after.roles).toContain('grid_worker');
    expect(after.scopes).toContainEqual({ role: 'grid_worker', nodeId: gridId });
  });

  it('creates an Open311 key whose one-time display works against the Open311 endpoint', async () => {
    await admin.goto(`${server.baseUrl}/#/packages/admin/keys/index`);
    await admin.locator('#admin-keys-page #key-name input').waitFor({ timeout: 20_000 });
    await admin.locator('#key-name input').fill('12345 热线');
    await admin.locator('#key-tree .grid-tree__row', { hasText: '桂花社区' }).first().locator('.grid-tree__main').click();
    await admin.locator('#key-create').click();
    await admin.locator('#key-created-value').waitFor({ timeout: 10_000 });
    const key = (await admin.locator('#key-created-value').innerText()).trim();
    expect(key).toMatch(/^o311_/);
    await screenshot(admin, 'admin-key-created');

    const services = await fetch(`${server.baseUrl}/open311/v2/services.json`);
    expect(services.status).toBe(200);
    const requests = await fetch(`${server.baseUrl}/open311/v2/requests.json?api_key=${encodeURIComponent(key)}`);
    expect(requests.status).toBe(200);
    expect(Array.isArray(await requests.json())).toBe(true);
    const wrong = await fetch(`${server.baseUrl}/open311/v2/requests.json?api_key=${encodeURIComponent(`${key}x`)}`);
    expect(wrong.status).toBe(403);

    // Closed, the key is only listed by its prefix.
    await admin.locator('#key-created-close').click();
    const listed = admin.locator('#key-list .admin__row', { hasText: '12345 热线' });
    await listed.waitFor({ timeout: 10_000 });
    expect(await listed.innerText()).toContain(key.slice(0, 12));
    expect(await admin.locator('body').innerText()).not.toContain(key);
  });
});
