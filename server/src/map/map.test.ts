import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Boundary, GridImportBody, GridImportPreview, GridMap, GridTreeNode, ReportPoints, ReportSummary } from '@linli/shared';
import { expectError, openTestDatabase, startTestServer, type TestServer } from '../../test/harness';
import { Report } from '../reports/report.entity';
import { boxPolygon, DEMO_NODES } from '../seed/demo-community';
import { GridDrawings } from '../grids/grid-drawings';
import { POINTS_LIMIT } from './map.service';

// Inside 桂香苑 and 桂馨苑 (grid 1), 丹桂苑 and 金桂苑 (grid 2) of the demo community.
const SPOTS = {
  guixiang: { lat: 30.279, lng: 120.1495 },
  guixin: { lat: 30.281, lng: 120.1495 },
  dangui: { lat: 30.279, lng: 120.1525 },
  jingui: { lat: 30.281, lng: 120.153 },
};
const GRID1 = '桂花社区第一网格';
const GRID2 = '桂花社区第二网格';
const OPEN = ['submitted', 'accepted', 'dispatched', 'in_progress'];
const HOUR = 3600_000;

type Logins = Record<string, string>;

async function loginAll(server: TestServer, openids: string[]): Promise<Logins> {
  const tokens: Logins = {};
  for (const openid of openids) tokens[openid] = await server.login(openid);
  return tokens;
}

async function file(server: TestServer, token: string, spot: { lat: number; lng: number } | undefined, description = '路灯坏了好几天了，晚上很黑') {
  const result = await server.call<ReportSummary>('POST', '/reports', {
    token,
    body: { categoryCode: 'facilities', description, ...(spot ? { location: spot } : {}) },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

/** Every report of a queue, paged through. */
async function wholeQueue(server: TestServer, token: string): Promise<ReportSummary[]> {
  const items: ReportSummary[] = [];
  let cursor = '';
  do {
    const page = await server.call('GET', `/reports?scope=queue&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? '';
  } while (cursor);
  return items;
}

const byName = (map: GridMap, name: string) => map.features.find((f) => f.properties.name === name)!;

describe('一图: the grid map and report points over HTTP', () => {
  let server: TestServer;
  let tokens: Logins;
  let ids: { community: number; street: number; grid1: number; grid2: number };

  beforeAll(async () => {
    server = await startTestServer();
    tokens = await loginAll(server, ['demo-resident-1', 'demo-resident-4', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-admin', 'demo-department-1']);
    const tree = (await server.call<GridTreeNode>('GET', '/grids/tree', { token: tokens['demo-admin'] })).body;
    const street = tree.children[0];
    const community = street.children[0];
    ids = { street: street.id, community: community.id, grid1: community.children[0].id, grid2: community.children[1].id };

    // Grid 1: open in 桂香苑 (one made overdue below), one accepted in 桂馨苑, one closed-loop resolved (not open).
    // Grid 2: one submitted, one held for review (its words), one without a place (the reporter's household: grid 1).
    const r1 = await file(server, tokens['demo-resident-1'], SPOTS.guixiang);
    const r2 = await file(server, tokens['demo-resident-1'], SPOTS.guixiang);
    const r3 = await file(server, tokens['demo-resident-4'], SPOTS.guixin);
    const r4 = await file(server, tokens['demo-resident-4'], SPOTS.guixin);
    await file(server, tokens['demo-resident-1'], SPOTS.dangui);
    await file(server, tokens['demo-resident-4'], SPOTS.jingui, '楼下那个傻逼天天乱停车');
    await file(server, tokens['demo-resident-4'], undefined);
    const worker = tokens['demo-gridworker-1'];
    for (const id of [r2.id, r3.id, r4.id]) {
      const accepted = await server.call('POST', `/reports/${id}/accept`, { token: worker, body: { priority: 'normal', handlingMethod: 'on_site' } });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    }
    const me = (await server.call('GET', '/me', { token: worker })).body;
    await server.call('POST', `/reports/${r4.id}/dispatch`, { token: worker, body: { assigneeId: me.id } });
    await server.call('POST', `/reports/${r4.id}/start`, { token: worker, body: {} });
    expect((await server.call('POST', `/reports/${r4.id}/resolve`, { token: worker, body: { result: '已修好' } })).status).toBe(200);
    // Past due: r2 (open) and r4 (resolved: handed back to the resident, not overdue).
    await server.dataSource.getRepository(Report).update({ id: r2.id }, { dueAt: new Date(Date.now() - HOUR) });
    await server.dataSource.getRepository(Report).update({ id: r4.id }, { dueAt: new Date(Date.now() - HOUR) });
    void r1;
  });
  afterAll(() => server.close());

  const getMap = (who: string, nodeId?: number) => server.call<GridMap>('GET', `/grids/map${nodeId ? `?nodeId=${nodeId}` : ''}`, { token: tokens[who] ?? who });

  /** Open and overdue per grid, from the reports' own `status` and `overdue` (report-view.ts isOverdue). */
  function expectedCounts(reports: ReportSummary[], grid: string, clearOnly: boolean) {
    const open = reports.filter((r) => r.gridPath[3] === grid && OPEN.includes(r.status) && (!clearOnly || r.moderation === 'clear'));
    return { open: open.length, overdue: open.filter((r) => r.overdue).length };
  }

  it("a secretary's map of 桂花社区: both grids drawn, each with open and overdue as its reports say", async () => {
    const map = await getMap('demo-secretary-1');
    expect(map.status).toBe(200);
    expect(map.body).toMatchObject({ type: 'FeatureCollection', node: { id: ids.community, level: 'community' } });
    expect(map.body.path.map((p) => p.name)).toEqual(['青溪区', '锦华街道', '桂花社区']);
    expect(map.body.features.map((f) => f.properties.name)).toEqual([GRID1, GRID2]);
    for (const feature of map.body.features) {
      expect(feature.geometry?.type).toBe('Polygon');
      expect(feature.properties).toMatchObject({ level: 'grid', hasChildren: true, derived: false });
    }
    const queue = await wholeQueue(server, tokens['demo-secretary-1']);
    expect(byName(map.body, GRID1).properties).toMatchObject(expectedCounts(queue, GRID1, false));
    expect(byName(map.body, GRID2).properties).toMatchObject(expectedCounts(queue, GRID2, false));
    // The data as built: grid 1 has r1, r2, r3 and the household one (resident 4 lives in 2号楼, 桂香苑) open, r4 resolved, r2 overdue; grid 2 one open and one held.
    expect(byName(map.body, GRID1).properties).toMatchObject({ open: 4, overdue: 1 });
    expect(byName(map.body, GRID2).properties).toMatchObject({ open: 2, overdue: 0 });
    expect(map.body.totals).toEqual({ open: 6, overdue: 1 });
  });

  it('a grid worker of grid 2 sees counts on grid 2 only, its queue’s (content under review left out), and no other community', async () => {
    const map = await getMap('demo-gridworker-2', ids.community);
    expect(map.status).toBe(200);
    const queue = await wholeQueue(server, tokens['demo-gridworker-2']);
    expect(byName(map.body, GRID2).properties).toMatchObject(expectedCounts(queue, GRID2, true));
    expect(byName(map.body, GRID2).properties).toMatchObject({ open: 1, overdue: 0 });
    expect(byName(map.body, GRID1).properties).toMatchObject({ open: null, overdue: null });
    expect(map.body.totals).toBeNull();
    // Their own grid is where they start: its micro-grids, counted.
    const own = await getMap('demo-gridworker-2');
    expect(own.body.node.id).toBe(ids.grid2);
    expect(own.body.features.map((f) => [f.properties.name, f.properties.open])).toEqual([
      ['丹桂苑微网格', 1],
      ['金桂苑微网格', 0],
    ]);
    // Another grid's own map: neither above nor below their scope.
    expectError(await getMap('demo-gridworker-2', ids.grid1), 403, 'FORBIDDEN');
    expectError(await getMap('demo-gridworker-2', 999999), 404, 'NOT_FOUND');
  });

  it('a resident gets the outlines of their own community, never counts, and nothing outside it', async () => {
    const map = await getMap('demo-resident-1');
    expect(map.status).toBe(200);
    expect(map.body.node.id).toBe(ids.community);
    expect(map.body.features.map((f) => [f.properties.name, f.properties.open, f.properties.overdue])).toEqual([
      [GRID1, null, null],
      [GRID2, null, null],
    ]);
    expect(map.body.totals).toBeNull();
    expect((await getMap('demo-resident-1', ids.grid2)).body.features).toHaveLength(2);
    expectError(await getMap('demo-resident-1', ids.street), 403, 'FORBIDDEN');
    expectError(await server.call('GET', `/reports/points?nodeId=${ids.community}`, { token: tokens['demo-resident-1'] }), 403, 'FORBIDDEN');
  });

  it('someone without a household starts at the top of the tree and may go down it, outlines only', async () => {
    const newcomer = await server.login(`map-newcomer-${randomUUID().slice(0, 8)}`);
    const top = await getMap(newcomer);
    expect(top.body.node.level).toBe('district');
    expect(top.body.features.map((f) => f.properties.name)).toEqual(['锦华街道']);
    const community = await getMap(newcomer, ids.community);
    expect(community.body.features.every((f) => f.properties.open === null)).toBe(true);
    expectError(await server.call('GET', `/reports/points?nodeId=${ids.community}`, { token: newcomer }), 403, 'FORBIDDEN');
  });

  it('a newcomer without a household files by pointing at a spot: it reaches that micro-grid’s grid worker; with neither spot nor household, 400', async () => {
    const newcomer = await server.login(`map-pointer-${randomUUID().slice(0, 8)}`);
    const report = await file(server, newcomer, SPOTS.guixin);
    expect(report.gridPath).toEqual(['青溪区', '锦华街道', '桂花社区', GRID1, '桂馨苑微网格']);
    expect((await wholeQueue(server, tokens['demo-gridworker-1'])).map((r) => r.id)).toContain(report.id);
    expect((await wholeQueue(server, tokens['demo-gridworker-2'])).map((r) => r.id)).not.toContain(report.id);
    const nowhere = await server.call('POST', '/reports', { token: newcomer, body: { categoryCode: 'facilities', description: '路灯坏了好几天了' }, headers: { 'idempotency-key': randomUUID() } });
    expect(expectError(nowhere, 400, 'VALIDATION_FAILED').details[0].path).toBe('body.location');
  });

  it('points: the located reports of the period, each overdue as its report says; reviewers see those under review, grid workers not', async () => {
    const points = await server.call<ReportPoints>('GET', `/reports/points?nodeId=${ids.community}`, { token: tokens['demo-secretary-1'] });
    expect(points.status).toBe(200);
    const queue = await wholeQueue(server, tokens['demo-secretary-1']);
    const located = queue.filter((r) => r.location);
    expect(points.body.items.map((p) => p.id).sort()).toEqual(located.map((r) => r.id).sort());
    for (const point of points.body.items) {
      const report = located.find((r) => r.id === point.id)!;
      expect(point).toEqual({ id: report.id, lat: report.location!.lat, lng: report.location!.lng, status: report.status, overdue: report.overdue });
    }
    expect(points.body.items.filter((p) => p.overdue)).toHaveLength(1);
    expect(points.body).toMatchObject({ clusters: [], total: located.length, unlocated: queue.length - located.length, limit: POINTS_LIMIT });

    const worker = await server.call<ReportPoints>('GET', `/reports/points?nodeId=${ids.grid2}`, { token: tokens['demo-gridworker-2'] });
    expect(worker.body.items.map((p) => p.status)).toEqual(['submitted']);
    expectError(await server.call('GET', `/reports/points?nodeId=${ids.community}`, { token: tokens['demo-gridworker-2'] }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', `/reports/points?nodeId=${ids.grid1}`, { token: tokens['demo-department-1'] }), 403, 'FORBIDDEN');
  });

  it('points: by status (open, overdue, one status) and by date range', async () => {
    const ask = async (query: string) => (await server.call<ReportPoints>('GET', `/reports/points?nodeId=${ids.community}&${query}`, { token: tokens['demo-secretary-1'] })).body;
    expect((await ask('status=overdue')).items.map((p) => p.overdue)).toEqual([true]);
    expect((await ask('status=resolved')).items.map((p) => p.status)).toEqual(['resolved']);
    const located = (await wholeQueue(server, tokens['demo-secretary-1'])).filter((r) => r.location);
    expect((await ask('status=open')).items.map((p) => p.id).sort()).toEqual(located.filter((r) => OPEN.includes(r.status)).map((r) => r.id).sort());
    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    expect((await ask(`from=${today}&to=${today}`)).items).toHaveLength(located.length);
    const past = await ask('from=2020-01-01&to=2020-01-31');
    expect(past).toMatchObject({ items: [], total: 0, unlocated: 0, from: '2019-12-31T16:00:00.000Z', to: '2020-01-31T16:00:00.000Z' });
    const backwards = await server.call('GET', `/reports/points?nodeId=${ids.community}&from=2020-02-01&to=2020-01-01`, { token: tokens['demo-secretary-1'] });
    expect(expectError(backwards, 400, 'VALIDATION_FAILED').details[0].path).toBe('query.to');
    expectError(await server.call('GET', `/reports/points?status=lost`, { token: tokens['demo-secretary-1'] }), 400, 'VALIDATION_FAILED');
  });

  it('the map answers with an ETag: the same map again is 304, a new report changes it', async () => {
    const first = await getMap('demo-secretary-1');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await server.call('GET', '/grids/map', { token: tokens['demo-secretary-1'], headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    await file(server, tokens['demo-resident-1'], SPOTS.guixiang);
    const after = await server.call<GridMap>('GET', '/grids/map', { token: tokens['demo-secretary-1'], headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(byName(after.body, GRID1).properties.open).toBe(byName(first.body, GRID1).properties.open! + 1);
  });
});

describe('一图: outlines simplified for drawing, derived where a node has none, kept fresh across imports and instances', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let first: TestServer;
  let second: TestServer;
  let admin: string;
  let streetId: number;
  const streetCode = '330199001';

  beforeAll(async () => {
    database = await openTestDatabase();
    first = await startTestServer({ database });
    second = await startTestServer({ database, seed: false });
    admin = await first.login('demo-admin');
    streetId = (await first.call<GridTreeNode>('GET', '/grids/tree', { token: admin })).body.children[0].id;
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  /** A ring of 3,000 vertices round (lng, lat), each nudged in or out by less than the street's tolerance. */
  function jaggedRing(lng: number, lat: number, radius: number): [number, number][] {
    const ring: [number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const angle = (i / 3000) * 2 * Math.PI;
      const r = radius + (i % 2 ? 4e-6 : -4e-6);
      ring.push([lng + r * Math.cos(angle), lat + r * Math.sin(angle)]);
    }
    ring.push(ring[0]);
    return ring;
  }

  it('a detailed boundary is simplified within the tolerance, and a tiny sibling stays drawn', async () => {
    const jagged = jaggedRing(120.1575, 30.28, 0.0015);
    const tiny = boxPolygon([120.145, 30.275, 120.145002, 30.275002]);
    const body: GridImportBody = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [jagged] }, properties: { code: 'MAP-JAGGED', name: '圆环社区', level: 'community', parentCode: streetCode } },
        { type: 'Feature', geometry: tiny, properties: { code: 'MAP-TINY', name: '针尖社区', level: 'community', parentCode: streetCode } },
      ],
    };
    expect((await first.call('POST', '/grids/import', { token: admin, body })).status).toBe(200);
    const map = (await first.call<GridMap>('GET', `/grids/map?nodeId=${streetId}`, { token: admin })).body;
    expect(map.features.map((f) => f.properties.name)).toEqual(['桂花社区', '圆环社区', '针尖社区']);
    // The street's own box is 0.02° across: a 2,000th of it.
    expect(map.tolerance).toBeCloseTo(0.02 / 2000, 10);
    const drawn = byName(map, '圆环社区').geometry as Extract<Boundary, { type: 'Polygon' }>;
    expect(drawn.coordinates[0].length).toBeLessThan(200);
    expect(drawn.coordinates[0].length).toBeGreaterThan(8);
    // Every vertex given lies within the tolerance (and the rounding to a tenth of it) of the outline drawn.
    const worst = Math.max(...jagged.map((p) => distanceToRing(p, drawn.coordinates[0])));
    expect(worst).toBeLessThanOrEqual(map.tolerance * 1.1);
    for (const feature of map.features) {
      const ring = (feature.geometry as Extract<Boundary, { type: 'Polygon' }>).coordinates[0];
      expect(ring.length, feature.properties.name).toBeGreaterThanOrEqual(4);
      expect(Math.abs(shoelace(ring)), feature.properties.name).toBeGreaterThan(0);
    }
  });

  it('a node without a boundary is drawn as its children joined', async () => {
    const body: GridImportBody = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: null, properties: { code: 'MAP-BARE', name: '无界社区', level: 'community', parentCode: streetCode } },
        { type: 'Feature', geometry: boxPolygon([120.141, 30.284, 120.142, 30.286]), properties: { code: 'MAP-BARE-G1', name: '无界一网格', level: 'grid', parentCode: 'MAP-BARE' } },
        { type: 'Feature', geometry: boxPolygon([120.142, 30.284, 120.143, 30.286]), properties: { code: 'MAP-BARE-G2', name: '无界二网格', level: 'grid', parentCode: 'MAP-BARE' } },
      ],
    };
    expect((await first.call('POST', '/grids/import', { token: admin, body })).status).toBe(200);
    const bare = byName((await first.call<GridMap>('GET', `/grids/map?nodeId=${streetId}`, { token: admin })).body, '无界社区');
    expect(bare.properties).toMatchObject({ derived: true, hasChildren: true });
    const ring = (bare.geometry as Extract<Boundary, { type: 'Polygon' }>).coordinates[0];
    expect(Math.min(...ring.map((p) => p[0]))).toBeCloseTo(120.141, 6);
    expect(Math.max(...ring.map((p) => p[0]))).toBeCloseTo(120.143, 6);
    expect(Math.abs(shoelace(ring))).toBeCloseTo(0.002 * 0.002, 9);
  });

  it('the box the report points are counted in is the drawing’s box, found without joining any outline', async () => {
    const { directory } = first.app;
    await directory.ensureFresh();
    const boxesOnly = new GridDrawings(directory);
    const drawn = new GridDrawings(directory);
    const everyNode = directory.subtreeIds(directory.roots()[0].id);
    expect(everyNode.length).toBeGreaterThan(5);
    for (const id of everyNode) {
      const box = boxesOnly.bboxOf(id);
      expect(box, directory.node(id)!.name).toEqual(drawn.of(id).bbox);
    }
    // Nothing was joined for the boxes: the derived community's outline is made only when drawn.
    expect(boxesOnly['outlines'].size).toBe(0);
  });

  it('the import preview says what would change, which siblings overlap and where a parent is left uncovered, and writes nothing', async () => {
    const g2 = DEMO_NODES.find((n) => n.code === '330199001001-G02')!;
    const m01 = DEMO_NODES.find((n) => n.code === '330199001001-G01-M01')!;
    const body: GridImportBody = {
      type: 'FeatureCollection',
      features: [
        // unchanged: as seeded
        { type: 'Feature', geometry: boxPolygon(m01.box!), properties: { code: m01.code, name: m01.name, level: 'microgrid', parentCode: m01.parentCode } },
        // changed: a new name
        { type: 'Feature', geometry: boxPolygon(g2.box!), properties: { code: g2.code, name: '桂花社区第二网格（新）', level: 'grid', parentCode: g2.parentCode } },
        // new, laid over 桂香苑
        { type: 'Feature', geometry: boxPolygon([120.148, 30.278, 120.149, 30.28]), properties: { code: 'PREVIEW-M', name: '叠加微网格', level: 'microgrid', parentCode: '330199001001-G01' } },
        // new, with one grid covering half of it
        { type: 'Feature', geometry: boxPolygon([120.144, 30.271, 120.146, 30.273]), properties: { code: 'PREVIEW-C', name: '半空社区', level: 'community', parentCode: streetCode } },
        { type: 'Feature', geometry: boxPolygon([120.144, 30.271, 120.145, 30.273]), properties: { code: 'PREVIEW-C-G1', name: '半空一网格', level: 'grid', parentCode: 'PREVIEW-C' } },
      ],
    };
    const preview = await first.call<GridImportPreview>('POST', '/grids/import?dryRun=true', { token: admin, body });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ created: 3, changed: 1, unchanged: 1 });
    expect(preview.body.nodes.map((n) => [n.code, n.change])).toEqual([
      [m01.code, 'unchanged'],
      [g2.code, 'changed'],
      ['PREVIEW-M', 'new'],
      ['PREVIEW-C', 'new'],
      ['PREVIEW-C-G1', 'new'],
    ]);
    expect(preview.body.nodes.every((n) => n.geometry?.type === 'Polygon')).toBe(true);
    expect(preview.body.overlaps).toHaveLength(1);
    expect(new Set(preview.body.overlaps[0].codes)).toEqual(new Set([m01.code, 'PREVIEW-M']));
    expect(new Set(preview.body.overlaps[0].names)).toEqual(new Set([m01.name, '叠加微网格']));
    // 0.001° × 0.002° at 30.28° N ≈ 96 m × 222 m.
    expect(preview.body.overlaps[0].areaM2).toBeGreaterThan(19_000);
    expect(preview.body.overlaps[0].areaM2).toBeLessThan(24_000);
    const half = preview.body.gaps.find((g) => g.parentCode === 'PREVIEW-C')!;
    expect(half.share).toBeCloseTo(0.5, 2);
    expect(half.geometry?.type).toBe('Polygon');
    // Grid 1 and its micro-grids still tile 桂花社区: no gap reported there.
    expect(preview.body.gaps.map((g) => g.parentCode)).not.toContain('330199001001');
    expect(preview.body.parents.map((p) => p.code)).toEqual(expect.arrayContaining([streetCode, '330199001001-G01', 'PREVIEW-C']));
    // Drawn beside them: the siblings the import leaves as they are (桂馨苑 beside 桂香苑 and the new one).
    expect(preview.body.siblings.map((n) => n.code)).toContain('330199001001-G01-M02');
    expect(preview.body.siblings.map((n) => n.code)).not.toContain(m01.code);

    // Nothing written: the tree is as before, and the real import then creates them.
    const tree = JSON.stringify((await first.call('GET', '/grids/tree', { token: admin })).body);
    expect(tree).not.toContain('PREVIEW');
    expect(tree).not.toContain('（新）');
    expect((await first.call('POST', '/grids/import', { token: admin, body })).body).toEqual({ created: 3, updated: 2 });
  });

  it('an import reaches the map on every instance: the cached drawing and the ETag change', async () => {
    const secretaryOn = async (server: TestServer) => server.login('demo-secretary-1');
    const before = await second.call<GridMap>('GET', '/grids/map', { token: await secretaryOn(second) });
    const etag = before.headers.get('etag')!;
    const grid1 = DEMO_NODES.find((n) => n.code === '330199001001-G01')!;
    const shrunk = boxPolygon([120.148, 30.278, 120.15, 30.282]);
    const body: GridImportBody = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: shrunk, properties: { code: grid1.code, name: grid1.name, level: 'grid', parentCode: grid1.parentCode } }],
    };
    expect((await first.call('POST', '/grids/import', { token: admin, body })).status).toBe(200);
    for (const server of [first, second]) {
      const after = await server.call<GridMap>('GET', '/grids/map', { token: await secretaryOn(server), headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      const ring = (byName(after.body, GRID1).geometry as Extract<Boundary, { type: 'Polygon' }>).coordinates[0];
      expect(Math.max(...ring.map((p) => p[0]))).toBeCloseTo(120.15, 6);
    }
  });

  it('the preview checks as the import does: admins only, and a missing parent is 400 on its field', async () => {
    const secretary = await first.login('demo-secretary-1');
    const body: GridImportBody = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: null, properties: { code: 'PREVIEW-X', name: '孤儿网格', level: 'grid', parentCode: 'NO-SUCH' } }],
    };
    expectError(await first.call('POST', '/grids/import?dryRun=true', { token: secretary, body }), 403, 'FORBIDDEN');
    const error = expectError(await first.call('POST', '/grids/import?dryRun=true', { token: admin, body }), 400, 'VALIDATION_FAILED');
    expect(error.details[0].path).toBe('body.features.0.properties.parentCode');
  });
});

describe('一图: past the points limit, reports come counted in cells', () => {
  let server: TestServer;
  let secretary: string;
  let communityId: number;

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.login('demo-secretary-1');
    const tree = (await server.call<GridTreeNode>('GET', '/grids/tree', { token: secretary })).body;
    const community = tree.children[0].children[0];
    communityId = community.id;
    const microgrid = community.children[0].children[0];
    const resident = (await server.call('GET', '/me', { token: await server.login('demo-resident-1') })).body;
    const path = `/${tree.id}/${tree.children[0].id}/${community.id}/${community.children[0].id}/${microgrid.id}/`;
    // Written straight into the table: volume is the point here, the app's path is tested above.
    const rows = Array.from({ length: POINTS_LIMIT + 50 }, (_, i) => ({
      number: `SSMAP-${String(i).padStart(5, '0')}`,
      status: i % 10 === 0 ? ('accepted' as const) : ('closed' as const),
      version: 0,
      categoryCode: 'facilities',
      description: '批量',
      photos: '[]',
      lat: 30.2785 + (i % 7) * 0.0001,
      lng: 120.1485 + (i % 11) * 0.0001,
      channel: 'miniprogram' as const,
      reporterId: resident.id,
      createdById: resident.id,
      gridNodeId: microgrid.id,
      gridPath: path,
      dueAt: i % 20 === 0 ? new Date(Date.now() - HOUR) : new Date(Date.now() + HOUR),
      moderation: 'clear' as const,
    }));
    // And seven routed by household, without a place.
    const unlocated = rows.slice(0, 7).map((row, i) => ({ ...row, number: `SSMAP-X${i}`, lat: null, lng: null }));
    for (const part of [...Array.from({ length: Math.ceil(rows.length / 200) }, (_, i) => rows.slice(i * 200, i * 200 + 200)), unlocated]) {
      await server.dataSource.getRepository(Report).insert(part);
    }
  });
  afterAll(() => server.close());

  it('every report is in one cell; the open and overdue add up', async () => {
    const answer = await server.call<ReportPoints>('GET', `/reports/points?nodeId=${communityId}`, { token: secretary });
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([]);
    expect(answer.body.total).toBe(POINTS_LIMIT + 50);
    expect(answer.body.unlocated).toBe(7);
    expect(answer.body.clusters.reduce((sum, c) => sum + c.count, 0)).toBe(POINTS_LIMIT + 50);
    expect(answer.body.clusters.reduce((sum, c) => sum + c.open, 0)).toBe(Math.ceil((POINTS_LIMIT + 50) / 10));
    expect(answer.body.clusters.reduce((sum, c) => sum + c.overdue, 0)).toBe(Math.ceil((POINTS_LIMIT + 50) / 20));
    // Cells are a fortieth of the community's 0.006° across (0.00015°): the reports' 0.001° × 0.0006° spread makes at most 8 × 5.
    expect(answer.body.clusters.length).toBeGreaterThan(1);
    expect(answer.body.clusters.length).toBeLessThanOrEqual(8 * 5);
    for (const cluster of answer.body.clusters) {
      expect(cluster.lat).toBeGreaterThanOrEqual(30.2785);
      expect(cluster.lng).toBeGreaterThanOrEqual(120.1485);
    }
  });
});

function distanceToRing([x, y]: [number, number], ring: [number, number][]): number {
  let best = Infinity;
  for (let i = 0; i < ring.length - 1; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[i + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const t = dx || dy ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy))) : 0;
    best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
  }
  return best;
}

function shoelace(ring: [number, number][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}
