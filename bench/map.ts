import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { Actor } from '../server/src/identity/actor';
import { openDatabase } from '../server/src/db/data-source';
import type { ServerProcess } from '../server/test/server-process';

type Row = (what: string, figure: string, baseline?: string, ratio?: string) => void;
const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The openid of the bench's county operator: an admin role on the county is given for the run and taken back after. */
export const COUNTY_ADMIN = 'bench-county-admin';

/**
 * 一图 on the county, in process: GET /grids/map's answer for the county (10 streets, each drawn as its
 * 700 micro-grids joined) and for a street (14 communities), the first time (outlines joined and
 * simplified) and from the cache; its size as sent and gzipped; and a year of report points of each
 * (clustered past the limit), beside the stats overview of the same street as the baseline.
 */
export async function benchMapPayloads(row: Row): Promise<void> {
  const dataSource = await openDatabase({ url: process.env.DATABASE_URL!, embeddedFile: null });
  try {
    const { buildApp } = await import('../server/src/app');
    const { loadConfig } = await import('../server/src/config');
    const { createLogger } = await import('../server/src/platform/logger');
    const { map, directory, stats } = buildApp({ config: loadConfig({ NODE_ENV: 'test', H5_DIR: '/nonexistent' }), dataSource, logger: createLogger('silent') });
    await directory.ensureFresh();
    const [{ id: countyId }] = await dataSource.query("SELECT id FROM grid_nodes WHERE code = 'SCALE'");
    const [{ id: streetId }] = await dataSource.query("SELECT id FROM grid_nodes WHERE code = 'SCALE-S0'");
    const county = directory.node(countyId)!;
    const actor: Actor = { userId: 0, nickname: 'bench', householdId: null, householdRelation: null, departmentId: null, scopes: [{ role: 'admin', nodeId: county.id, nodePath: county.path }] };
    const to = new Date();
    const from = new Date(to.getTime() - 365 * 24 * 3600_000);
    const overviewMs: number[] = [];
    for (const [label, nodeId] of [
      ['a street (14 communities, 700 micro-grids)', streetId],
      ['the county (10 streets, 7,000 micro-grids)', countyId],
    ] as const) {
      const coldStart = performance.now();
      const drawn = await map.gridMap(actor, nodeId);
      const coldMs = performance.now() - coldStart;
      const warm: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await map.gridMap(actor, nodeId);
        warm.push(performance.now() - start);
      }
      const json = JSON.stringify(drawn);
      const vertices = drawn.features.reduce((sum, f) => sum + JSON.stringify(f.geometry).split('],[').length, 0);
      row(
        `map of ${label}: GET /grids/map`,
        `${n(json.length / 1024, 1)} KB (${n(zlib.gzipSync(json).length / 1024, 1)} KB gzipped), ${drawn.features.length} areas, ${n(vertices)} vertices; first ${n(coldMs)} ms (outlines joined, simplified), then ${n(median(warm), 1)} ms (cached, median of 5)`,
      );
      const pointStarts: number[] = [];
      const firstStart = performance.now();
      let points = await map.points(actor, { nodeId, from: from.toISOString(), to: to.toISOString() });
      const firstPointsMs = performance.now() - firstStart;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        points = await map.points(actor, { nodeId, from: from.toISOString(), to: to.toISOString() });
        pointStarts.push(performance.now() - start);
      }
      const pointsJson = JSON.stringify(points);
      if (nodeId === streetId) {
        for (let i = 0; i < 3; i++) {
          const start = performance.now();
          await stats.overviewOf(directory.node(streetId)!, { from, to });
          overviewMs.push(performance.now() - start);
        }
      }
      row(
        `report points of ${label}, one year: GET /reports/points`,
        `${n(points.total)} located reports as ${points.items.length ? `${n(points.items.length)} points` : `${n(points.clusters.length)} clusters`}; ${n(pointsJson.length / 1024, 1)} KB (${n(zlib.gzipSync(pointsJson).length / 1024, 1)} KB gzipped); first ${n(firstPointsMs)} ms, then ${n(median(pointStarts))} ms (clusters kept a minute, median of 3)`,
        nodeId === streetId ? `stats overview of the same street and year ${n(median(overviewMs))} ms` : '',
        nodeId === streetId ? `first: ${n(firstPointsMs / Math.max(median(overviewMs), 0.1), 2)}× its time` : '',
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The map's first render in headless Chromium (the H5 build): from opening the page to the county
 * drawn with a year of its reports, beside the staff queue of the same user in the same run.
 */
export async function benchMapRender(row: Row, browser: Browser, server: ServerProcess): Promise<void> {
  const withDb = async <T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const db = await openDatabase({ url: process.env.DATABASE_URL!, embeddedFile: null });
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  };
  const login = await fetch(`${server.baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: COUNTY_ADMIN }) });
  const { user } = (await login.json()) as { user: { id: number } };
  const countyId = await withDb(async (db) => {
    const [{ id }] = await db.query("SELECT id FROM grid_nodes WHERE code = 'SCALE'");
    await db.query("INSERT INTO role_assignments (userId, role, nodeId) VALUES (?, 'admin', ?)", [user.id, id]);
    return Number(id);
  });
  // The server keeps who is who for 5 s (actor-cache.ts): let the login's copy, without the role, expire.
  await new Promise((resolve) => setTimeout(resolve, 5500));
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.locator('.login-openid-input input').fill(COUNTY_ADMIN);
    await page.locator('#login-openid-submit').click();
    await page.locator('#home-page').waitFor({ timeout: 60_000 });
    const timeTo = async (route: string, ready: () => Promise<unknown>) => {
      const start = performance.now();
      await page.goto(`${server.baseUrl}/#${route}`);
      await page.reload();
      await ready();
      // Painted: two frames after the data arrived.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      return performance.now() - start;
    };
    const mapReady = async () => {
      await page.locator('#map-summary', { hasText: '条有位置的说事' }).waitFor({ timeout: 120_000 });
    };
    const queueReady = () => page.locator('#queue-list > *').first().waitFor({ timeout: 120_000 });
    // Once each to warm the server's caches (the drawing, the actor), then timed 3 times alternately.
    await timeTo(`/packages/map/index?nodeId=${countyId}`, mapReady);
    await timeTo('/packages/workbench/index', queueReady);
    const mapMs: number[] = [];
    const queueMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      mapMs.push(await timeTo(`/packages/map/index?nodeId=${countyId}`, mapReady));
      queueMs.push(await timeTo('/packages/workbench/index', queueReady));
    }
    row(
      'H5 first render of the map: the county, its 10 streets coloured, the last 30 days of reports (1440 × 900)',
      `${n(median(mapMs))} ms (median of 3)`,
      `the staff queue page, same user and run: ${n(median(queueMs))} ms`,
      `${n(median(mapMs) / median(queueMs), 2)}× its time`,
    );
  } finally {
    await withDb((db) => db.query("DELETE FROM role_assignments WHERE userId = ? AND role = 'admin'", [user.id]));
  }
}
