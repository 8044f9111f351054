/**
 * `npm run bench`: every figure beside a baseline measured in the same run.
 * DATABASE_URL (MySQL/MariaDB) benchmarks the server on it; unset, on the embedded database.
 * BENCH_SECONDS sets each HTTP run's length (default 5).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServerProcess } from '../server/test/server-process';
import { bareServer, load, type HttpFigure } from './http';
import { benchLocate } from './locate';
import { weappSizes } from './sizes';

const root = path.resolve(__dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rows: [string, string, string, string][] = [];
const row = (what: string, figure: string, baseline = '', ratio = '') => rows.push([what, figure, baseline, ratio]);
const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function benchHttp() {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' });
  try {
    const api = `${server.baseUrl}/api/v1`;
    const login = async (openid: string) =>
      ((await (await fetch(`${api}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })).json()) as { token: string }).token;
    const resident = { authorization: `Bearer ${await login('demo-resident-1')}`, 'content-type': 'application/json' };
    const worker = { authorization: `Bearer ${await login('demo-gridworker-1')}` };
    const reportBody = () => JSON.stringify({ categoryCode: 'sanitation', description: '压测：楼下垃圾桶满了没人清运', location: { lat: 30.279, lng: 120.1495 } });
    let id = 0;
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${api}/reports`, { method: 'POST', headers: { ...resident, 'idempotency-key': randomUUID() }, body: reportBody() });
      id = ((await response.json()) as { id: number }).id;
    }
    const detailBody = await (await fetch(`${api}/reports/${id}`, { headers: resident })).text();
    const baseline = await bareServer(detailBody);
    const figures: HttpFigure[] = [];
    try {
      const bare = await load('baseline: bare node:http, same body', baseline.url, { seconds });
      const runs: [string, string, Parameters<typeof load>[2]][] = [
        ['report detail', `${api}/reports/${id}`, { headers: resident }],
        ['my reports', `${api}/reports?scope=mine`, { headers: resident }],
        ['grid-worker queue', `${api}/reports?scope=queue`, { headers: worker }],
        ['submit', `${api}/reports`, { method: 'POST', headers: resident, body: reportBody }],
      ];
      row(`HTTP ${bare.name} (${detailBody.length} B)`, `${n(bare.requestsPerSecond)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`);
      for (const [name, url, options] of runs) {
        const max = await load(name, url, { ...options, seconds });
        const at500 = await load(name, url, { ...options, seconds, rate: 500 });
        figures.push(max, at500);
        row(`HTTP ${name}: max`, `${n(max.requestsPerSecond)} req/s (${max.errors + max.non2xx} failed)`, `${n(bare.requestsPerSecond)} req/s`, `${n(max.requestsPerSecond / bare.requestsPerSecond, 2)}×`);
        row(`HTTP ${name}: at 500 req/s`, `p50 ${at500.p50} ms, p99 ${at500.p99} ms (${n(at500.requestsPerSecond)} req/s)`, `p99 ${bare.p99} ms`, '');
      }
    } finally {
      await baseline.close();
    }
    return figures;
  } finally {
    await server.stop();
  }
}

async function benchH5FirstLoad() {
  const server = await startServerProcess({ SEED_DEMO: 'on', LOG_LEVEL: 'error', JOB_INTERVAL_MS: '0' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    let bytes = 0;
    page.on('response', async (response) => {
      bytes += Number(response.headers()['content-length'] ?? (await response.body().catch(() => Buffer.alloc(0))).length);
    });
    const start = performance.now();
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#login-page').waitFor();
    const ms = performance.now() - start;
    row('H5 first load (login page rendered)', `${n(ms)} ms, ${n(bytes / 1024)} KB transferred`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main() {
  console.log(`linli bench on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, ${process.env.DATABASE_URL ? 'MySQL/MariaDB' : 'embedded database'}\n`);
  const locate = benchLocate();
  row(`locate: R-tree index over ${n(locate.polygons)} micro-grids (built in ${n(locate.buildMs)} ms)`, `${n(locate.indexedPerSecond)} lookups/s`, `linear scan ${n(locate.scannedPerSecond)} lookups/s`, `${n(locate.indexedPerSecond / locate.scannedPerSecond)}×`);
  const sizes = weappSizes(path.join(root, 'dist/weapp'));
  row('weapp main package', `${n(sizes.main / 1024)} KB`, 'WeChat limit 2,048 KB', `${n((sizes.main / (2048 * 1024)) * 100, 1)}% of limit`);
  for (const [name, bytes] of Object.entries(sizes.subPackages)) row(`weapp sub-package ${name}`, `${n(bytes / 1024)} KB`, 'limit 2,048 KB', '');
  row('weapp in all', `${n(sizes.total / 1024)} KB`, 'limit 20,480 KB', '');
  await benchHttp();
  await benchH5FirstLoad().catch((err) => row('H5 first load', `failed: ${String(err).split('\n')[0]}`));
  row('stats overview over 1,000,000 reports', 'not built yet (issue 6)', '', '');
  row('escalation sweep over 1,000,000 reports', 'not measured yet (needs seed:scale, issue 7)', '', '');

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  console.log(line(['what', 'figure', 'baseline (same run)', 'ratio']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
