import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay, chinaDayStart, type ReportStatus } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { GridNode } from '../grids/grid-node.entity';
import { User } from '../identity/user.entity';
import { Report } from '../reports/report.entity';
import { ReportRollup } from './report-rollup.entity';
import { FACETED_LEVELS } from './rollups';
import { StatsService } from './stats.service';

/*
 * The dashboard from the daily rollup equals the dashboard from the raw reports (overviewRaw, the SQL
 * path checked against kpi.ts by stats.test.ts), over random nodes and periods, before and after random
 * transitions; the catch-up folds a transition in; a rebuild equals what the catch-ups built.
 */

const DAY = 24 * 3600_000;
const STATUSES: ReportStatus[] = ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved', 'closed', 'rejected', 'merged'];
const CATEGORIES = ['sanitation', 'water', 'noise'];
const CHANNELS = ['miniprogram', 'hotline', 'grid_patrol'] as const;
const METHODS = ['on_site', 'department'] as const;

/** A small deterministic generator, so a failure can be replayed from the seed printed by fast-check. */
function random(seed: number) {
  let x = seed || 1;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** The fields a report has in `status`, with times around `createdAt` (the invariants of the loop, loosely). */
function fieldsFor(status: ReportStatus, createdAt: Date, rnd: () => number): Partial<Report> {
  const hours = (n: number) => new Date(createdAt.getTime() + Math.round(rnd() * n) * 3600_000);
  const accepted = !['submitted', 'rejected', 'merged'].includes(status);
  const extended = accepted && rnd() < 0.25;
  const dueAt = accepted ? (rnd() < 0.5 ? hours(24 * 40) : new Date(Date.now() + (rnd() - 0.5) * 20 * DAY)) : null;
  const resolvedAt = status === 'resolved' || status === 'closed' ? hours(24 * 6) : null;
  return {
    status,
    handlingMethod: accepted ? METHODS[Math.floor(rnd() * METHODS.length)] : null,
    dueAt,
    extendedAt: extended ? hours(24) : null,
    resolvedAt,
    closedAt: status === 'closed' ? new Date(resolvedAt!.getTime() + Math.round(rnd() * 72) * 3600_000) : status === 'rejected' || status === 'merged' ? hours(10) : null,
    rating: status === 'closed' && rnd() < 0.7 ? 1 + Math.floor(rnd() * 5) : null,
  };
}

describe('the dashboard from the daily rollup', () => {
  let server: TestServer;
  let stats: StatsService;
  let faceted: GridNode[];
  let reportIds: number[];
  const now = Date.now();

  beforeAll(async () => {
    server = await startTestServer();
    stats = server.app.stats;
    const nodes = await server.dataSource.getRepository(GridNode).find();
    faceted = nodes.filter((n) => FACETED_LEVELS.includes(n.level));
    const reporter = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' });
    const rnd = random(20);
    const rows: Partial<Report>[] = [];
    for (let i = 0; i < 160; i++) {
      const node = nodes[Math.floor(rnd() * nodes.length)];
      // Over the last 50 days, and a few in the next hours' part of today.
      const createdAt = new Date(now - rnd() * 50 * DAY);
      rows.push({
        number: `SS20990101-${String(i + 1).padStart(4, '0')}`,
        categoryCode: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)],
        description: `随机说事 ${i}`,
        photos: '[]',
        lat: 30.27 + Math.round(rnd() * 20) / 1000,
        lng: 120.14 + Math.round(rnd() * 20) / 1000,
        channel: CHANNELS[Math.floor(rnd() * CHANNELS.length)],
        reporterId: reporter.id,
        createdById: reporter.id,
        gridNodeId: node.id,
        gridPath: node.path,
        createdAt,
        ...fieldsFor(STATUSES[Math.floor(rnd() * STATUSES.length)], createdAt, rnd),
      });
    }
    await server.dataSource.getRepository(Report).insert(rows);
    // Read back: a bulk insert's identifiers are not every row's on the embedded database.
    reportIds = (await server.dataSource.getRepository(Report).find({ select: { id: true } })).map((r) => r.id);
    expect(reportIds.length).toBeGreaterThanOrEqual(rows.length);
  });
  afterAll(() => server.close());

  /** A period: whole China days, or instants cutting into the first and last day, within the last 55 days. */
  const period = fc.record({ start: fc.integer({ min: 0, max: 55 * 24 }), hours: fc.integer({ min: 1, max: 40 * 24 }), aligned: fc.boolean() }).map(({ start, hours, aligned }) => {
    let from = new Date(now - start * 3600_000);
    let to = new Date(from.getTime() + hours * 3600_000);
    if (aligned) {
      from = chinaDayStart(chinaDay(from));
      to = chinaDayStart(chinaDay(new Date(to.getTime() + DAY)));
    }
    return { from, to };
  });

  const rollupsEqualRaw = () =>
    fc.assert(
      fc.asyncProperty(fc.nat(), period, async (pick, p) => {
        const node = (await server.app.directory.node(faceted[pick % faceted.length].id))!;
        expect(await stats.overviewOf(node, p)).toEqual(await stats.overviewRaw(node, p));
      }),
      { numRuns: 10 },
    );

  it('equals the raw figures over random nodes and periods (the first read builds the rollup)', async () => {
    await server.app.directory.ensureFresh();
    await rollupsEqualRaw();
    expect(await server.dataSource.getRepository(ReportRollup).count()).toBeGreaterThan(0);
  });

  it('read in parts and partial days by time, as a county of thousands of paths is, the figures are the same: hot nodes and cells summed across parts', async () => {
    const at = new Date();
    const whole = new StatsService(server.dataSource, server.app.directory, () => at);
    // Every subtree of more than one node read by prefix, or in parts (one per node), and a day or less of it
    // by time: the rollup path's partial first and last days too.
    const inParts = new StatsService(server.dataSource, server.app.directory, () => at, 1);
    // The random reports share ~100 m cells across nodes, so across parts: those cells must be summed.
    const shared = await server.dataSource.query('SELECT ROUND(lat, 3) AS lat, ROUND(lng, 3) AS lng FROM reports WHERE lat IS NOT NULL GROUP BY ROUND(lat, 3), ROUND(lng, 3) HAVING COUNT(DISTINCT gridNodeId) > 1');
    expect(shared.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.nat(), period, async (pick, p) => {
        const node = server.app.directory.node(faceted[pick % faceted.length].id)!;
        const expected = await whole.overviewRaw(node, p);
        expect(await inParts.overviewRaw(node, p)).toEqual(expected);
        expect(await inParts.overviewOf(node, p)).toEqual(expected);
      }),
      { numRuns: 10 },
    );
  });

  it('after random transitions: the next read catches up and still equals the raw figures', async () => {
    const rnd = random(7);
    const reports = server.dataSource.getRepository(Report);
    for (let i = 0; i < 40; i++) {
      const id = reportIds[Math.floor(rnd() * reportIds.length)];
      const report = await reports.findOneByOrFail({ id });
      // Closing, rejecting and merging are final (closedAt is set once): the loop moves the others.
      if (report.closedAt) continue;
      // Repository.update, as saveIfUnchanged saves a transition: it sets updatedAt.
      await reports.update({ id }, fieldsFor(STATUSES[Math.floor(rnd() * STATUSES.length)], report.createdAt, rnd));
    }
    await rollupsEqualRaw();
  });

  it('a transition changes the figures read from the rollup (the catch-up sees it), and a rebuild equals the catch-ups', async () => {
    const street = faceted.find((n) => n.level === 'street')!;
    const node = server.app.directory.node(street.id)!;
    const day = chinaDay(new Date(now - 3 * DAY));
    const p = { from: chinaDayStart(day), to: new Date(chinaDayStart(day).getTime() + DAY) };
    await server.dataSource.getRepository(Report).insert({
      number: 'SS20990101-9999',
      categoryCode: 'water',
      description: '楼道灯坏了',
      photos: '[]',
      channel: 'hotline',
      reporterId: (await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' })).id,
      createdById: 1,
      gridNodeId: node.id,
      gridPath: node.path,
      createdAt: new Date(p.from.getTime() + 3600_000),
      status: 'submitted',
    });
    const { id: report } = await server.dataSource.getRepository(Report).findOneByOrFail({ number: 'SS20990101-9999' });
    const before = await stats.overviewOf(node, p);
    await server.dataSource.getRepository(Report).update({ id: report }, { status: 'closed', handlingMethod: 'on_site', resolvedAt: new Date(now - DAY), closedAt: new Date(now - 1000), rating: 5 });
    const after = await stats.overviewOf(node, p);
    expect(after.closed).toBe(before.closed + 1);
    expect(after.byHandlingMethod.find((m) => m.key === 'on_site')?.received).toBe((before.byHandlingMethod.find((m) => m.key === 'on_site')?.received ?? 0) + 1);
    expect(after).toEqual(await stats.overviewRaw(node, p));

    const rows = server.dataSource.getRepository(ReportRollup);
    const order = { nodeId: 'ASC', facet: 'ASC', day: 'ASC', facetKey: 'ASC' } as const;
    const incremental = await rows.find({ order });
    await stats.rollups.rebuild();
    const rebuilt = await rows.find({ order });
    expect(rebuilt.length).toBe(incremental.length);
    for (const [i, row] of rebuilt.entries()) expect({ ...row, handleHoursSum: Number(row.handleHoursSum.toFixed(6)) }).toEqual({ ...incremental[i], handleHoursSum: Number(incremental[i].handleHoursSum.toFixed(6)) });
  });
});
