import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, ensureH5Build, launchBrowser, phonePage, screenshot, startServerProcess, type ServerProcess } from './support';

describe.skipIf(browserMissing)('foundation, in Chromium against the H5 build served by the server', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureH5Build();
    server = await startServerProcess();
    browser = await launchBrowser();
    page = await phonePage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A GET with exactly these request headers; the body as sent, still compressed. */
  function rawGet(path: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      http
        .get(`${server.baseUrl}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  }

  it('the H5 build is sent compressed (Brotli or gzip, as accepted), scripts cached for a year, the page revalidated', async () => {
    const index = await rawGet('/', { 'accept-encoding': 'gzip' });
    expect(index.headers['content-encoding']).toBe('gzip');
    expect(index.headers['cache-control']).toBe('max-age=0');
    const html = zlib.gunzipSync(index.body).toString();
    const script = html.match(/src="\/?(js\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const plain = await rawGet(`/${script}`, {});
    const brotli = await rawGet(`/${script}`, { 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await rawGet(`/${script}`, { 'accept-encoding': 'gzip, deflate' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(zlib.gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 2);
    for (const response of [plain, brotli, gzip]) expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('a demo resident logs in with the dev picker and sees the grid card', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.locator('.login-user-demo-resident-4').click();
    const card = page.locator('#grid-card');
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('#home-welcome').innerText()).toContain('陈志明');
    expect(await page.locator('#grid-card-household').innerText()).toContain('2号楼 1单元 301');
    expect(await page.locator('.grid-card-community').innerText()).toContain('桂花社区');
    expect(await page.locator('.grid-card-worker').first().innerText()).toContain('周海峰');
    expect(await page.locator('.grid-card-phone').first().innerText()).toContain('138****1234');
    await screenshot(page, 'foundation-1-home-demo-resident');
  });

  it('the resident asks to join another household (building → unit → room → relation): a request, 待核验, and the verified home stays the current one', async () => {
    await page.goto(`${server.baseUrl}/#/pages/bind/index`);
    await page.locator('#bind-page').waitFor();
    await page.locator('[id^="bind-building-"]', { hasText: '6号楼' }).click();
    await page.locator('[id^="bind-unit-"]', { hasText: '2单元' }).click();
    await page.locator('[id^="bind-room-"]', { hasText: '502' }).click();
    await page.locator('#bind-relation-tenant').click();
    await expect.poll(() => page.locator('#bind-summary').innerText()).toContain('6号楼 2单元 502 · 租户');
    await screenshot(page, 'foundation-2-bind');
    await page.locator('#bind-confirm').click();
    const request = page.locator('.my-household', { hasText: '6号楼 2单元 502' });
    await request.waitFor({ timeout: 20_000 });
    expect(await request.locator('.my-household-status').innerText()).toBe('待核验');
    // The verified household stays, one tap away.
    expect(await page.locator('.my-household', { hasText: '2号楼 1单元 301' }).locator('.my-household-status').innerText()).toBe('已核验');
    await page.goto(`${server.baseUrl}/#/pages/index/index`);
    await page.reload();
    await page.locator('#grid-card').waitFor({ timeout: 20_000 });
    // Asking to join a second flat does not move the resident out of the verified one (README: Residents and households).
    await expect.poll(() => page.locator('#grid-card-household').innerText()).toContain('2号楼 1单元 301');
    expect(await page.locator('#grid-card-status').innerText()).toBe('已核验');
    expect(await page.locator('#grid-card-pending').count()).toBe(0);
    expect(await page.locator('.grid-card-worker').first().innerText()).toContain('周海峰');
    await screenshot(page, 'foundation-3-home-after-bind');
  });

  it('a newcomer with an unseen openid is asked to bind first, and after asking to join sees the card (待核验)', async () => {
    const newcomer = await phonePage(browser);
    await newcomer.goto(`${server.baseUrl}/`);
    await newcomer.locator('.login-openid-input input').fill('e2e-newcomer-1');
    await newcomer.locator('#login-openid-submit').click();
    await newcomer.locator('#bind-prompt').waitFor({ timeout: 20_000 });
    await newcomer.locator('#home-bind-button').click();
    await newcomer.locator('[id^="bind-building-"]', { hasText: '1号楼' }).click();
    await newcomer.locator('[id^="bind-unit-"]', { hasText: '1单元' }).click();
    await newcomer.locator('[id^="bind-room-"]', { hasText: '602' }).click();
    await newcomer.locator('#bind-relation-owner').click();
    await newcomer.locator('#bind-confirm').click();
    await newcomer.locator('.my-household--pending').waitFor({ timeout: 20_000 });
    await newcomer.goto(`${server.baseUrl}/#/pages/index/index`);
    await newcomer.reload();
    await newcomer.locator('#grid-card').waitFor({ timeout: 20_000 });
    await expect.poll(() => newcomer.locator('#grid-card-household').innerText()).toContain('1号楼 1单元 602');
    expect(await newcomer.locator('.grid-card-microgrid').innerText()).toContain('桂香苑微网格');
    expect(await newcomer.locator('#grid-card-status').innerText()).toBe('待核验');
    await screenshot(newcomer, 'foundation-4-newcomer-home');
  });
});
