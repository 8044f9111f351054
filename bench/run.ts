/**
 * `npm run bench`: every figure beside a baseline measured in the same run.
 * DATABASE_URL (MySQL/MariaDB) benchmarks the server on it; unset, on the embedded database.
 * BENCH_SECONDS sets each HTTP run's length (default 5). BENCH_ONLY=submit,queue runs only the HTTP
 * runs whose names contain one of those words, with one server process, and nothing else
 * (BENCH_ONLY=map: the map's payloads and first render on the county; BENCH_ONLY=overview: the dashboard's
 * overviews and the escalation sweep on the county; BENCH_ONLY=seed: `npm run seed:scale` of this checkout
 * and of BENCH_BASELINE, each into an empty database, BENCH_SEED_REPORTS reports).
 * BENCH_URL (with the deployment's JWT_SECRET and DATABASE_URL) sends the HTTP runs to a running
 * deployment, e.g. nginx in front of `npm run cluster`, and runs nothing else (bench/front.ts).
 * On MySQL/MariaDB the report page, my reports, the queue page and submit at 300 req/s are also measured
 * against a server of `BENCH_BASELINE` (a git ref; default main before issue 20), from its own worktree on
 * the same database (BENCH_ONLY=baseline: that alone; BENCH_ONLY=revalidate: the ETag figures alone).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { openDatabase } from '../server/src/db/data-source';
import type { GridNodeInfo } from '../server/src/grids/grid-directory';
import type { StatsService } from '../server/src/stats/stats.service';
import { startServerProcess } from '../server/test/server-process';
import { markBeforeBench, removeBenchReports } from './cleanup';
import { benchFront } from './front';
import { bareServer, load } from './http';
import { benchLedgerImport } from './ledger-import';
import { baselineCheckout, shortSha } from './baseline';
import { benchLocate } from './locate';
import { benchSubmit, countyFilers, demoFilers } from './submit';
import { benchMapPayloads, benchMapRender } from './map';
import { benchResidentsSearch } from './residents-search';
import { benchSeed } from './seed-bench';
import { benchRevalidation, printRevalidation, type RevalidatedPage } from './revalidate';
import { weappSizes } from './sizes';

const root = path.resolve(__dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean) ?? null;
const front = benchFront();
const rows: [string, string, string, string][] = [];
const row = (what: string, figure: string, baseline = '', ratio = '') => rows.push([what, figure, baseline, ratio]);
const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The residents who file the bench's reports: what they file after the bench starts is removed at the end. */
const COUNTY_RESIDENT = 'scale-resident-0';
/** "Today's main" of issue 20: the reads it asks to make twice as fast, measured against this. */
const DEFAULT_BASELINE = 'dcfd72d';
const DEMO_RESIDENT = 'demo-resident-1';

interface Target {
  label: string;
  resident: string;
  worker: string;
  /** a report the resident filed */
  reportId: number;
  /** What the grid worker searches their queue for: a reporter's name, a report's number, words of a description. */
  search: { name: string; number: string; words: string };
}

/** A grid worker's searches, taken from the first report of their queue that names its reporter. */
async function searchesOf(api: string, token: string): Promise<Target['search']> {
  const queue = (await (await fetch(`${api}/reports?scope=queue&status=open&limit=50`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    items: { number: string; description: string; reporter: { nickname: string } | null }[];
  };
  const named = queue.items.find((r) => r.reporter) ?? queue.items[0];
  return { name: named.reporter?.nickname ?? '居民', number: named.number, words: named.description.slice(0, 4) };
}

/** On a seeded county (npm run seed:scale) the county's own people; else the demo plus 300 fresh reports. */
async function prepareTarget(api: string, login: (openid: string) => Promise<string>, countySeeded: boolean): Promise<Target> {
  if (countySeeded) {
    const token = await login(COUNTY_RESIDENT);
    const mine = (await (await fetch(`${api}/reports?scope=mine&limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: number }[] };
    // The grid worker of the grid above the report's micro-grid.
    const tree = (await (await fetch(`${api}/grids/locate?lat=31.002&lng=121.002`, { headers: { authorization: `Bearer ${token}` } })).json()) as { path: { id: number; level: string }[] };
    const grid = tree.path.find((p) => p.level === 'grid')!;
    const worker = `scale-gridworker-${grid.id}`;
    return { label: 'county: 1,000,000 reports', resident: COUNTY_RESIDENT, worker, reportId: mine.items[0].id, search: await searchesOf(api, await login(worker)) };
  }
  const headers = { authorization: `Bearer ${await login(DEMO_RESIDENT)}`, 'content-type': 'application/json' };
  let id = 0;
  for (let i = 0; i < 300; i++) {
    const response = await fetch(`${api}/reports`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: reportBody() });
    id = ((await response.json()) as { id: number }).id;
  }
  return { label: 'demo community + 300 reports', resident: DEMO_RESIDENT, worker: 'demo-gridworker-1', reportId: id, search: await searchesOf(api, await login('demo-gridworker-1')) };
}

const reportBody = () => JSON.stringify({ categoryCode: 'sanitation', description: '压测：楼下垃圾桶满了没人清运', location: { lat: 30.279, lng: 120.1495 } });

/** The grid worker's searches and sorts of the open queue (GET /reports q, sort), each a query string. */
function queueVariants(search: Target['search']): [string, string][] {
  return [
    ['grid-worker queue open, search a resident name', `q=${encodeURIComponent(search.name)}`],
    ['grid-worker queue open, search a number', `q=${encodeURIComponent(search.number)}`],
    ['grid-worker queue open, search words', `q=${encodeURIComponent(search.words)}`],
    ['grid-worker queue open, sort=due', 'sort=due'],
    ['grid-worker queue open, sort=priority', 'sort=priority'],
    ['grid-worker queue open, sort=updated', 'sort=updated'],
  ];
}

/** 50 residents of the county, five a street (bench/submit.ts). */
async function countyFilersOf(url: string) {
  const dataSource = await openDatabase({ url, embeddedFile: null });
  try {
    return await countyFilers(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function countyIsSeeded(): Promise<boolean> {
  if (!process.env.DATABASE_URL) return false;
  const dataSource = await openDatabase({ url: process.env.DATABASE_URL, embeddedFile: null });
  try {
    return (await dataSource.query("SELECT COUNT(*) AS n FROM grid_nodes WHERE code = 'SCALE'"))[0].n > 0;
  } finally {
    await dataSource.destroy();
  }
}

async function benchHttp(countySeeded: boolean, processes: number) {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const env = { DATABASE_URL: databaseUrl, SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' };
  const servers: { baseUrl: string; stop?: () => Promise<void> }[] = front ? [front] : [await startServerProcess(env)];
  for (let i = 1; i < processes; i++) servers.push(await startServerProcess(env));
  try {
    const api = (i = 0) => `${servers[i % servers.length].baseUrl}/api/v1`;
    const login = async (openid: string) =>
      front
        ? front.login(openid)
        : ((await (await fetch(`${api()}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })).json()) as { token: string }).token;
    const target = await prepareTarget(api(), login, countySeeded);
    const resident = { authorization: `Bearer ${await login(target.resident)}`, 'content-type': 'application/json' };
    const worker = { authorization: `Bearer ${await login(target.worker)}` };
    const detailBody = await (await fetch(`${api()}/reports/${target.reportId}`, { headers: resident })).text();
    const baseline = await bareServer(detailBody);
    const where = front ? `${target.label}, through ${front.baseUrl}` : `${target.label}, ${processes} process${processes > 1 ? 'es' : ''}`;
    try {
      const bare = await load('bare node:http', baseline.url, { seconds });
      row(`HTTP baseline: bare node:http, same body (${detailBody.length} B)`, `${n(bare.requestsPerSecond)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`);
      type Run = [string, (i: number) => string, Parameters<typeof load>[2]];
      const runs: Run[] = [
        ['report detail', (i) => `${api(i)}/reports/${target.reportId}`, { headers: resident }],
        ['my reports', (i) => `${api(i)}/reports?scope=mine`, { headers: resident }],
        ['grid-worker queue', (i) => `${api(i)}/reports?scope=queue`, { headers: worker }],
        // The working day's queue (#15): all open, unsorted, then searched and sorted: each beside the unsorted page.
        ['grid-worker queue open, unsorted', (i) => `${api(i)}/reports?scope=queue&status=open`, { headers: worker }],
        ...queueVariants(target.search).map(([name, query]): Run => [name, (i) => `${api(i)}/reports?scope=queue&status=open&${query}`, { headers: worker }]),
        ['submit', (i) => `${api(i)}/reports`, { method: 'POST', headers: resident, body: reportBody }],
      ];
      let unsorted: { max: { requestsPerSecond: number }; at500: { p50: number; p99: number }; single: { p50: number; p99: number } } | null = null;
      for (const [name, url, options] of runs.filter(([name]) => !only || only.some((word) => name.includes(word)))) {
        // With several processes the load is split between them, as a load balancer would.
        const spread = async (rate?: number) => {
          const parts = await Promise.all(servers.map((_, i) => load(name, url(i), { ...options, seconds, rate: rate ? rate / servers.length : undefined, connections: Math.ceil(20 / servers.length) })));
          return {
            requestsPerSecond: parts.reduce((a, p) => a + p.requestsPerSecond, 0),
            p50: Math.max(...parts.map((p) => p.p50)),
            p99: Math.max(...parts.map((p) => p.p99)),
            failed: parts.reduce((a, p) => a + p.errors + p.non2xx, 0),
          };
        };
        const max = await spread();
        const at500 = await spread(500);
        // A searched or sorted queue stands beside the unsorted open queue measured just before it.
        const openQueue = name.startsWith('grid-worker queue open, ');
        // One request at a time: what a grid worker waits for a page (the "under 50 ms").
        const single = openQueue ? await load(name, url(0), { ...options, seconds, connections: 1 }) : null;
        const beside = openQueue && name !== 'grid-worker queue open, unsorted' ? unsorted : null;
        if (name === 'grid-worker queue open, unsorted') unsorted = { max, at500, single: single! };
        if (single) row(`HTTP ${name} (${where}): one at a time`, `p50 ${single.p50} ms, p99 ${single.p99} ms`, beside ? `unsorted p50 ${beside.single.p50} ms, p99 ${beside.single.p99} ms` : '', beside ? `${n(single.p50 / beside.single.p50, 2)}×` : '');
        if (beside) {
          row(`HTTP ${name} (${where}): max`, `${n(max.requestsPerSecond)} req/s (${max.failed} failed)`, `unsorted ${n(beside.max.requestsPerSecond)} req/s`, `${n(max.requestsPerSecond / beside.max.requestsPerSecond, 3)}×`);
          row(`HTTP ${name} (${where}): at 500 req/s`, `p50 ${at500.p50} ms, p99 ${at500.p99} ms (${n(at500.requestsPerSecond)} req/s reached)`, `unsorted p50 ${beside.at500.p50} ms, p99 ${beside.at500.p99} ms`, '');
        } else {
          row(`HTTP ${name} (${where}): max`, `${n(max.requestsPerSecond)} req/s (${max.failed} failed)`, `${n(bare.requestsPerSecond)} req/s`, `${n(max.requestsPerSecond / bare.requestsPerSecond, 3)}×`);
          row(`HTTP ${name} (${where}): at 500 req/s`, `p50 ${at500.p50} ms, p99 ${at500.p99} ms (${n(at500.requestsPerSecond)} req/s reached)`, `p99 ${bare.p99} ms`, '');
        }
      }
    } finally {
      await baseline.close();
    }
  } finally {
    for (const server of servers) await server.stop?.();
  }
}

/**
 * Issue 20 against the main it started from: the reads it asks to double (the report page, my reports, a
 * grid worker's queue page), each at its max req/s from this checkout and from the baseline's worktree
 * on the same database, alternately, two rounds each, the mean of each beside the other; then submit at
 * 300 req/s from residents all over the county, on each.
 */
async function benchAgainstBaseline(countySeeded: boolean, filers: Awaited<ReturnType<typeof countyFilers>>) {
  const ref = process.env.BENCH_BASELINE ?? DEFAULT_BASELINE;
  const submits = { baseline: '', current: '' };
  const p99s = { baseline: 0, current: 0 };
  const env = { DATABASE_URL: process.env.DATABASE_URL!, SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' };
  const baseline = await startServerProcess(env, { checkout: baselineCheckout(ref, { h5: false }) });
  const current = await startServerProcess(env);
  try {
    const login = async (openid: string) =>
      ((await (await fetch(`${current.baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })).json()) as { token: string }).token;
    const target = await prepareTarget(`${current.baseUrl}/api/v1`, login, countySeeded);
    const resident = { authorization: `Bearer ${await login(target.resident)}` };
    const worker = { authorization: `Bearer ${await login(target.worker)}` };
    const runs: [string, string, Record<string, string>][] = [
      ['report detail', `/reports/${target.reportId}`, resident],
      ['my reports', '/reports?scope=mine', resident],
      ['grid-worker queue page (open)', '/reports?scope=queue&status=open', worker],
    ];
    for (const [name, route, headers] of runs) {
      const figures = { baseline: [] as number[], current: [] as number[] };
      for (let round = 0; round < 2; round++) {
        for (const [which, server] of [['baseline', baseline], ['current', current]] as const) {
          figures[which].push((await load(name, `${server.baseUrl}/api/v1${route}`, { headers, seconds })).requestsPerSecond);
        }
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      row(
        `HTTP ${name} (${target.label}): max, against the baseline (mean of 2 each, alternating)`,
        `${n(mean(figures.current))} req/s`,
        `main at ${shortSha(ref)}: ${n(mean(figures.baseline))} req/s`,
        `${n(mean(figures.current) / mean(figures.baseline), 2)}×`,
      );
    }
    // Submit at 300 req/s from residents all over the county (numbered per street here, on one counter there).
    for (const [which, server] of [['baseline', baseline], ['current', current]] as const) {
      const figure = await benchSubmit({ apis: [`${server.baseUrl}/api/v1`], login, filers, rate: 300, seconds });
      submits[which] = `p50 ${figure.p50} ms, p99 ${figure.p99} ms, ${n(figure.reached)} req/s reached, ${figure.failed} failed`;
      p99s[which] = figure.p99;
    }
    row(
      `HTTP submit at 300 req/s (${target.label}; ${filers.length} residents over ${new Set(filers.map((f) => f.street)).size} streets)`,
      submits.current,
      `main at ${shortSha(ref)}: ${submits.baseline}`,
      `p99 ${n(p99s.current / Math.max(p99s.baseline, 1), 2)}×`,
    );
  } finally {
    await current.stop();
    await baseline.stop();
  }
}

/** The escalation sweep over the county: finding the overdue, then supervising them. */
async function benchEscalation() {
  const dataSource = await openDatabase({ url: process.env.DATABASE_URL!, embeddedFile: null });
  try {
    const { buildApp } = await import('../server/src/app');
    const { loadConfig } = await import('../server/src/config');
    const { createLogger } = await import('../server/src/platform/logger');
    const { sweeper, stats, directory } = buildApp({ config: loadConfig({ NODE_ENV: 'test', H5_DIR: '/nonexistent' }), dataSource, logger: createLogger('silent') });
    const scanStart = performance.now();
    const [{ total }] = await dataSource.query('SELECT COUNT(*) AS total FROM reports IGNORE INDEX (PRIMARY) WHERE description IS NOT NULL');
    const scanMs = performance.now() - scanStart;
    const findStart = performance.now();
    const [{ overdue }] = await dataSource.query(
      "SELECT COUNT(*) AS overdue FROM reports WHERE status IN ('submitted','accepted','dispatched','in_progress') AND dueAt < NOW(6) AND (lastEscalatedAt IS NULL OR lastEscalatedAt < NOW(6) - INTERVAL 1 DAY)",
    );
    const findMs = performance.now() - findStart;
    row(`escalation: find the overdue among ${n(Number(total))} reports`, `${n(findMs)} ms (${n(Number(overdue))} overdue)`, `full scan of the table ${n(scanMs)} ms`, `${n(scanMs / Math.max(findMs, 0.1), 1)}× faster`);
    // Stats overview of a street and of the county over a year (from the daily rollup), each against one
    // plain GROUP BY over the same rows.
    await directory.ensureFresh();
    const street = directory.node((await dataSource.query("SELECT id FROM grid_nodes WHERE code = 'SCALE-S0'"))[0].id)!;
    const county = directory.node(street.parentId!)!;
    for (const [what, node] of [['a street', street], ['the county', county]] as const) {
      const figure = await benchOverview(dataSource, stats, node);
      row(
        `stats overview of ${what}, one year (${n(figure.received)} of ${n(Number(total))} reports), from the daily rollup, median of 5`,
        `${n(figure.overviewMs)} ms (${figure.overviewRange})`,
        `a plain GROUP BY over the same rows ${n(figure.plainMs)} ms (${figure.plainRange})`,
        `${n(figure.overviewMs / Math.max(figure.plainMs, 0.1), 2)}× its time`,
      );
    }
    const sweepStart = performance.now();
    const result = await sweeper.sweep(new Date());
    const sweepMs = performance.now() - sweepStart;
    const changed = result.escalated + result.autoClosed;
    row(
      'escalation sweep: supervise the overdue, auto-close the unrated (a transaction, event and notices each)',
      `${n(sweepMs)} ms: ${n(result.escalated)} escalated, ${n(result.autoClosed)} auto-closed (${n(sweepMs / Math.max(changed, 1), 1)} ms each)`,
      '',
      '',
    );
  } finally {
    await dataSource.destroy();
  }
}

/** One node's year overview, timed 5 times alternately with a plain GROUP BY over the same rows: medians and ranges. */
async function benchOverview(dataSource: Awaited<ReturnType<typeof openDatabase>>, stats: StatsService, node: GridNodeInfo) {
  const to = new Date();
  const from = new Date(to.getTime() - 365 * 24 * 3600_000);
  await stats.overviewOf(node, { from, to }); // catch the rollup up and warm the buffer pool once, for both
  // Each timed 5 times, alternately: the median, and the range (one run alone is too noisy on 2 shared cores).
  const plainMs: number[] = [];
  const overviewMs: number[] = [];
  let overview = await stats.overviewOf(node, { from, to });
  for (let i = 0; i < 5; i++) {
    const plainStart = performance.now();
    await dataSource.query('SELECT status, COUNT(*) AS n FROM reports WHERE gridPath LIKE ? AND createdAt >= ? AND createdAt < ? GROUP BY status', [`${node.path}%`, from, to]);
    plainMs.push(performance.now() - plainStart);
    const overviewStart = performance.now();
    overview = await stats.overviewOf(node, { from, to });
    overviewMs.push(performance.now() - overviewStart);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const range = (xs: number[]) => `${n(Math.min(...xs))}–${n(Math.max(...xs))}`;
  return { received: overview.received, overviewMs: median(overviewMs), overviewRange: range(overviewMs), plainMs: median(plainMs), plainRange: range(plainMs) };
}

/** Staff search over the county's households, for a grid worker and a street admin. */
async function benchSearch() {
  const databaseUrl = process.env.DATABASE_URL!;
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' });
  const dataSource = await openDatabase({ url: databaseUrl, embeddedFile: null });
  try {
    const api = `${server.baseUrl}/api/v1`;
    const login = async (openid: string) =>
      ((await (await fetch(`${api}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })).json()) as { token: string }).token;
    const { figures, baselines } = await benchResidentsSearch(api, login, dataSource);
    const [lookup, count] = baselines;
    for (const f of figures) {
      row(`GET /residents?q= over 301,000 households: ${f.what}, median of 15`, `${n(f.medianMs, 1)} ms (${n(f.rangeMs[0])}–${n(f.rangeMs[1])}), ${f.found} found`, `${lookup.what} ${n(lookup.medianMs, 1)} ms`, `${n(f.medianMs / Math.max(lookup.medianMs, 0.1), 0)}×`);
    }
    row(`baseline: ${count.what}`, `${n(count.medianMs)} ms (${n(count.found)} rows)`, '', '');
  } finally {
    await dataSource.destroy();
    await server.stop();
  }
}

/** The ledger import of 10,000 households (bench/ledger-import.ts), in a scratch database. */
async function benchLedger() {
  const figures = await benchLedgerImport(process.env.DATABASE_URL!);
  const baseline = `reading the file alone ${n(figures.readMs)} ms`;
  for (const run of figures.runs) {
    const { created, updated, unchanged } = run.result;
    row(
      `ledger import, ${n(figures.households)} households (${n(figures.rows)} rows, ${n(figures.bytes / 1024)} KB): ${run.what}`,
      `${n(run.ms)} ms (created ${n(created)}, updated ${n(updated)}, unchanged ${n(unchanged)})`,
      baseline,
      `${n(run.ms / Math.max(figures.readMs, 1), 1)}×`,
    );
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

/** The map's first render in Chromium, against a server on the county. */
async function benchMapOnCounty() {
  const server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL!, SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    await benchMapRender(row, browser, server);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main() {
  console.log(`linli bench on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, ${process.env.DATABASE_URL ? 'MySQL/MariaDB' : 'embedded database'}\n`);
  // BENCH_ONLY runs the named HTTP runs and nothing else (no weapp build needed); BENCH_URL only the HTTP runs.
  if (!only && !front) benchLocal();
  const countySeeded = await countyIsSeeded();
  // Each phase starts from the same database: what the one before filed is removed first.
  for (const processes of process.env.DATABASE_URL && !only && !front ? [1, 2] : [1]) {
    const before = await markBeforeBench();
    try {
      await benchHttp(countySeeded, processes);
    } finally {
      const removed = await removeBenchReports(before, [COUNTY_RESIDENT, DEMO_RESIDENT]);
      if (removed) console.log(`removed the ${n(removed)} reports the HTTP runs filed`);
    }
  }
  if (front) return printTable();
  if (process.env.DATABASE_URL && (!only || only.includes('baseline'))) {
    const before = await markBeforeBench();
    const filers = countySeeded ? await countyFilersOf(process.env.DATABASE_URL) : demoFilers();
    await benchAgainstBaseline(countySeeded, filers).finally(() => removeBenchReports(before, [COUNTY_RESIDENT, DEMO_RESIDENT, ...filers.map((f) => f.openid)]));
  }
  // Revalidation (ETag / 304): bytes on the wire and the server's cost, printed after the table.
  let revalidation: RevalidatedPage[] = [];
  if (!only || only.includes('revalidate')) {
    const before = await markBeforeBench();
    revalidation = await benchRevalidation({ databaseUrl: process.env.DATABASE_URL, seconds }).finally(() => removeBenchReports(before, [COUNTY_RESIDENT, DEMO_RESIDENT]));
  }
  const printAll = () => {
    printTable();
    if (revalidation.length) printRevalidation(revalidation);
  };
  if (only) {
    // BENCH_ONLY=overview: the escalation sweep and the dashboard's overviews alone (on the county).
    if (only.includes('overview') && countySeeded) await benchEscalation();
    // BENCH_ONLY=seed: the county seed of this checkout and of the baseline, each into an empty database.
    if (only.includes('seed') && process.env.DATABASE_URL) await benchSeed(row, process.env.BENCH_BASELINE ?? DEFAULT_BASELINE);
    // BENCH_ONLY=map: the map's figures alone (on the county).
    if (only.includes('map') && countySeeded) {
      await benchMapPayloads(row);
      await benchMapOnCounty().catch((err) => row('H5 first render of the map', `failed: ${String(err).split('\n')[0]}`));
    }
    return printAll();
  }
  if (countySeeded) {
    await benchEscalation();
    // The residents' search needs the county's people (a county seeded before issue 14 lacks them: seed:scale adds them).
    await benchSearch().catch((err) => row('GET /residents?q= over the county', `failed: ${String(err).split('\n')[0]}`));
    await benchMapPayloads(row);
    await benchMapOnCounty().catch((err) => row('H5 first render of the map', `failed: ${String(err).split('\n')[0]}`));
  } else row('stats overview, escalation, resident search and the map at county scale', 'run `npm run seed:scale` on MariaDB first', '', '');
  if (process.env.DATABASE_URL) await benchLedger();
  if (process.env.DATABASE_URL) await benchSeed(row, process.env.BENCH_BASELINE ?? DEFAULT_BASELINE);
  await benchH5FirstLoad().catch((err) => row('H5 first load', `failed: ${String(err).split('\n')[0]}`));
  printAll();
}

/** What needs no server: the grid index and the weapp's package sizes. */
function benchLocal() {
  const locate = benchLocate();
  row(`locate: R-tree index over ${n(locate.polygons)} micro-grids (built in ${n(locate.buildMs)} ms)`, `${n(locate.indexedPerSecond)} lookups/s`, `linear scan ${n(locate.scannedPerSecond)} lookups/s`, `${n(locate.indexedPerSecond / locate.scannedPerSecond)}×`);
  const sizes = weappSizes(path.join(root, 'dist/weapp'));
  row('weapp main package', `${n(sizes.main / 1024)} KB`, 'WeChat limit 2,048 KB', `${n((sizes.main / (2048 * 1024)) * 100, 1)}% of limit`);
  for (const [name, bytes] of Object.entries(sizes.subPackages)) row(`weapp sub-package ${name}`, `${n(bytes / 1024)} KB`, 'limit 2,048 KB', '');
  row('weapp in all', `${n(sizes.total / 1024)} KB`, 'limit 20,480 KB', '');
}

function printTable() {
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
