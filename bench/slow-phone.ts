/**
 * `npm run bench:slow-phone`: issue 16's slow phone (150 ms round trip, 1.6 Mbps down, 750 kbps up, CPU ×4)
 * opening the app and logging in (the address → the home page, less the tap) and then opening the 说事 tab,
 * for this checkout and for a baseline checkout in the same run, alternating, `BENCH_ROUNDS` rounds each
 * (default 3). The baseline is `BENCH_BASELINE` (a git ref; default the main before issue 16 was merged),
 * checked out beside /tmp with this checkout's node_modules hard-linked and its H5 built once.
 */
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startServerProcess } from '../server/test/server-process';
import { baselineCheckout, buildH5, shortSha } from './baseline';

const root = path.resolve(__dirname, '..');
const DEFAULT_BASELINE = 'ec41968^1';
const RESIDENT = 'demo-resident-1';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Timing {
  login: number;
  firstTab: number;
}

async function slowPhone(browser: Browser, baseUrl: string): Promise<Timing> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let started = Date.now();
  await page.goto(`${baseUrl}/`);
  await page.locator(`.login-user-${RESIDENT}`).waitFor({ timeout: 60_000 });
  const opened = Date.now() - started;
  started = Date.now();
  await page.locator(`.login-user-${RESIDENT}`).click();
  await page.locator('#home-page').waitFor({ timeout: 60_000 });
  const login = opened + Date.now() - started;
  started = Date.now();
  await page.locator('.taro-tabbar__tabbar a, .weui-tabbar__item').filter({ hasText: '说事' }).first().click();
  await page.locator('#report-page:visible').waitFor({ timeout: 60_000 });
  const firstTab = Date.now() - started;
  await context.close();
  return { login: login / 1000, firstTab: firstTab / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (x: number) => `${x.toFixed(2)} s`;

async function main(): Promise<void> {
  const ref = process.env.BENCH_BASELINE ?? DEFAULT_BASELINE;
  const baselineDir = baselineCheckout(ref, { h5: true });
  buildH5(root);
  const servers = { baseline: await startServerProcess({}, { checkout: baselineDir }), current: await startServerProcess() };
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const timings: Record<keyof typeof servers, Timing[]> = { baseline: [], current: [] };
  try {
    // One warm-up each (the server's first answers, the disk cache of the build), not counted.
    for (const which of ['baseline', 'current'] as const) await slowPhone(browser, servers[which].baseUrl);
    for (let round = 0; round < rounds; round++) {
      for (const which of ['baseline', 'current'] as const) timings[which].push(await slowPhone(browser, servers[which].baseUrl));
    }
  } finally {
    await browser.close();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  const figure = (which: keyof typeof servers, key: keyof Timing) => median(timings[which].map((t) => t[key]));
  console.log(`\nslow phone (150 ms, 1.6 Mbps, CPU ×4), median of ${rounds}; baseline ${ref} (${shortSha(ref)}), the issue's figures 3.8 s and 1.7 s`);
  console.log('| what | this checkout | baseline, same run | ratio |');
  console.log('|---|---|---|---|');
  for (const [key, label] of [['login', 'login (address → home)'], ['firstTab', '说事 tab']] as const) {
    const now = figure('current', key);
    const before = figure('baseline', key);
    console.log(`| ${label} | ${seconds(now)} | ${seconds(before)} | ${(now / before).toFixed(2)}× |`);
  }
  for (const which of ['baseline', 'current'] as const) {
    console.log(`${which}: ${timings[which].map((t) => `${seconds(t.login)} / ${seconds(t.firstTab)}`).join(', ')}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
