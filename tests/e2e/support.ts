import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodePng } from '../../server/src/uploads/png';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const shotsDir = path.join(root, '.e2e/screenshots');

/** In CI a missing browser is a failure; on a newcomer's machine the e2e tests are skipped with a hint. */
export const browserMissing = !fs.existsSync(CHROMIUM);
if (browserMissing && process.env.CI) throw new Error(`CI needs ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
if (browserMissing) console.warn(`[e2e] skipped: ${CHROMIUM} not found (apt-get install -y chromium fonts-noto-cjk)`);

/** The H5 build the server serves; built once if missing. */
export function ensureH5Build(): void {
  if (fs.existsSync(path.join(root, 'dist/h5/index.html'))) return;
  execFileSync('npx', ['taro', 'build', '--type', 'h5'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

export { startServerProcess, type ServerProcess } from '../../server/test/server-process';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** What a failing e2e needs to be read from CI's log: the page's uncaught errors (also kept in `pageErrors`) and the server's 5xx answers. */
export const pageErrors: string[] = [];
export function reportTrouble(page: Page): void {
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  page.on('pageerror', (error) => console.error(`[e2e page error] ${page.url()}: ${(error.stack ?? error.message).split('\n').slice(0, 4).join(' ← ')}`));
  page.on('response', (response) => {
    if (response.status() >= 500) console.error(`[e2e server error] ${response.request().method()} ${response.url()} → ${response.status()}`);
  });
}

/** Every e2e browser context: Chinese, on Beijing time like the people using the app (and the server's notes). */
export const CONTEXT = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;

/** A phone-sized page (iPhone 12/13 logical size). */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, ...CONTEXT });
  const page = await context.newPage();
  reportTrouble(page);
  return page;
}

/**
 * Screenshots are for people to look at: taken on a developer's run, skipped in CI (where nobody looks
 * and the ~120 full-page captures at 2× cost a minute of its 15) unless E2E_SCREENSHOTS=on.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.CI && process.env.E2E_SCREENSHOTS !== 'on') return;
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
}

/**
 * Demo users, each in a browser context of their own, logged in once through the dev login picker.
 * Getters, because the browser and the server start in beforeAll.
 */
export function demoUsers(browser: () => Browser, baseUrl: () => string): (openid: string) => Promise<Page> {
  const pages = new Map<string, Page>();
  return async (openid) => {
    const existing = pages.get(openid);
    if (existing) return existing;
    const page = await phonePage(browser());
    await page.goto(`${baseUrl()}/`);
    await page.locator(`.login-user-${openid}`).click();
    await page.locator('#home-page').waitFor({ timeout: 20_000 });
    pages.set(openid, page);
    return page;
  };
}

/** Opens an H5 route afresh (reloaded: the hash router keeps no stale page) and waits for `ready`. */
export async function openRoute(page: Page, baseUrl: string, route: string, ready: string): Promise<void> {
  await page.goto(`${baseUrl}/#${route}`);
  await page.reload();
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
}

/** 390 × 844 as CSS pixels, the viewport only: what the phone shows (half the encoding time of the device pixels). */
export async function viewportShot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), scale: 'css' });
}

/** Turns 关怀模式 on or off in 我的, as a resident does; `open` is the test's way of opening a route. */
export async function switchElder(page: Page, open: (page: Page, route: string, ready: string) => Promise<void>, on: boolean): Promise<void> {
  await open(page, '/pages/mine/index', '#mine-page');
  const toggle = page.locator('#mine-elder-switch:visible');
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await page.waitForFunction((wanted) => document.documentElement.classList.contains('elder') === wanted, on, { timeout: 5_000 });
}

/** A small valid PNG (solid colour), written to a temp file for the file chooser. */
export function writePng(file: string, width = 64, height = 48): void {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb.set([200, 80, 40], i);
  fs.writeFileSync(file, encodePng(width, height, rgb));
}

/** A desktop-sized page, for staff who work at a computer. */
export async function desktopPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...CONTEXT });
  return context.newPage();
}

/** The API as a dev-login user, for what a test only sets up; fails on anything but 2xx. */
export async function apiAs<T = any>(baseUrl: string, openid: string, method: string, path: string, body?: unknown): Promise<T> {
  const login = await fetch(`${baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ openid }) });
  const { token } = (await login.json()) as { token: string };
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${openid} ${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}
