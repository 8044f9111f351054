import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridImportBody, GridTreeNode } from '@linli/shared';
import { expectError, openTestDatabase, startTestServer, type TestServer } from '../../test/harness';
import { boxPolygon } from '../seed/demo-community';

describe('grids over HTTP (demo community)', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = await server.login('demo-resident-1');
  });
  afterAll(() => server.close());

  it('the tree nests district → street → community → grids → micro-grids, boundaries only on request', async () => {
    const tree = await server.call<GridTreeNode>('GET', '/grids/tree', { token });
    expect(tree.body.name).toBe('青溪区');
    expect(tree.body.boundary).toBeUndefined();
    const community = tree.body.children[0].children[0];
    expect(community.children.map((g) => g.name)).toEqual(['桂花社区第一网格', '桂花社区第二网格']);
    expect(community.children.flatMap((g) => g.children).map((m) => m.level)).toEqual(Array(4).fill('microgrid'));
    const withBoundaries = await server.call<GridTreeNode>('GET', '/grids/tree?boundaries=true', { token });
    expect(withBoundaries.body.children[0].children[0].boundary?.type).toBe('Polygon');
  });

  it('locate: a point inside a micro-grid gives its full path', async () => {
    const result = await server.call('GET', '/grids/locate?lat=30.2790&lng=120.1495', { token });
    expect(result.status).toBe(200);
    expect(result.body.path.map((p: { name: string }) => p.name)).toEqual(['青溪区', '锦华街道', '桂花社区', '桂花社区第一网格', '桂香苑微网格']);
  });

  it('locate: a point on the edge between two micro-grids goes to one of them, the same one every time', async () => {
    const a = await server.call('GET', '/grids/locate?lat=30.2790&lng=120.151', { token });
    const b = await server.call('GET', '/grids/locate?lat=30.2790&lng=120.151', { token });
    expect(a.body.path.at(-1).level).toBe('microgrid');
    expect(['桂香苑微网格', '丹桂苑微网格']).toContain(a.body.path.at(-1).name);
    expect(b.body).toEqual(a.body);
  });

  it('locate: outside the community but inside the street, the path stops at the street', async () => {
    const result = await server.call('GET', '/grids/locate?lat=30.285&lng=120.145', { token });
    expect(result.body.path.at(-1)).toMatchObject({ level: 'street', name: '锦华街道' });
  });

  it('locate: outside every grid is 404; a latitude out of range is 400', async () => {
    expectError(await server.call('GET', '/grids/locate?lat=39.9&lng=116.4', { token }), 404, 'NOT_FOUND');
    const error = expectError(await server.call('GET', '/grids/locate?lat=95&lng=116.4', { token }), 400, 'VALIDATION_FAILED');
    expect(error.details[0].path).toBe('query.lat');
    expectError(await server.call('GET', '/grids/locate?lng=116.4', { token }), 400, 'VALIDATION_FAILED');
  });

  it('buildings of a grid node include those of every micro-grid below it, in natural order', async () => {
    const tree = await server.call<GridTreeNode>('GET', '/grids/tree', { token });
    const community = tree.body.children[0].children[0];
    const all = await server.call('GET', `/grids/${community.id}/buildings`, { token });
    expect(all.body.items.map((b: { name: string }) => b.name)).toEqual(['1号楼', '2号楼', '3号楼', '4号楼', '5号楼', '6号楼', '7号楼', '8号楼']);
    expect(all.body.nextCursor).toBeNull();
    const secondGrid = community.children[1];
    const some = await server.call('GET', `/grids/${secondGrid.id}/buildings`, { token });
    expect(some.body.items.map((b: { name: string }) => b.name)).toEqual(['5号楼', '6号楼', '7号楼', '8号楼']);
    const paged = await server.call('GET', `/grids/${community.id}/buildings?limit=3`, { token });
    expect(paged.body.items).toHaveLength(3);
    const next = await server.call('GET', `/grids/${community.id}/buildings?limit=3&cursor=${paged.body.nextCursor}`, { token });
    expect(next.body.items.map((b: { name: string }) => b.name)).toEqual(['4号楼', '5号楼', '6号楼']);
    expectError(await server.call('GET', '/grids/999999/buildings', { token }), 404, 'NOT_FOUND');
  });

  it('households of a building list unit and room in order', async () => {
    const buildings = await server.call('GET', '/grids/1/buildings', { token });
    const first = buildings.body.items[0];
    const households = await server.call('GET', `/buildings/${first.id}/households`, { token });
    expect(households.body.items).toHaveLength(24);
    expect(households.body.items.slice(0, 3).map((h: { label: string }) => h.label)).toEqual(['1号楼 1单元 101', '1号楼 1单元 102', '1号楼 1单元 201']);
    expectError(await server.call('GET', '/buildings/999999/households', { token }), 404, 'NOT_FOUND');
  });

  it('reading the grid needs a login', async () => {
    expectError(await server.call('GET', '/grids/tree'), 401, 'UNAUTHENTICATED');
  });
});

const newCommunity = (west: number): GridImportBody => ({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: boxPolygon([west, 30.284, west + 0.004, 30.288]), properties: { code: `IMPORT-C-${west}`, name: '新河社区', level: 'community', parentCode: '330199001' } },
    { type: 'Feature', geometry: null, properties: { code: `IMPORT-G-${west}`, name: '新河社区第一网格', level: 'grid', parentCode: `IMPORT-C-${west}` } },
    { type: 'Feature', geometry: boxPolygon([west, 30.284, west + 0.002, 30.288]), properties: { code: `IMPORT-M-${west}`, name: '新河微网格', level: 'microgrid', parentCode: `IMPORT-G-${west}` } },
  ],
});

describe('grid import and the spatial index across server instances', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    database = await openTestDatabase();
    // Two server instances on one database, as behind a load balancer.
    first = await startTestServer({ database });
    second = await startTestServer({ database, seed: false });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  it('an admin imports a community; both instances locate points in it afterwards', async () => {
    const admin = await first.login('demo-admin');
    const resident = await second.login('demo-resident-1');
    const before = await second.call('GET', '/grids/locate?lat=30.286&lng=120.1415', { token: resident });
    expect(before.body.path.at(-1).name).toBe('锦华街道');
    const imported = await first.call('POST', '/grids/import', { token: admin, body: newCommunity(120.141) });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ created: 3, updated: 0 });
    for (const server of [first, second]) {
      const located = await server.call('GET', '/grids/locate?lat=30.286&lng=120.1415', { token: resident });
      expect(located.body.path.map((p: { name: string }) => p.name)).toEqual(['青溪区', '锦华街道', '新河社区', '新河社区第一网格', '新河微网格']);
    }
  });

  it('re-importing moves a boundary; the old spot is no longer in it', async () => {
    const admin = await first.login('demo-admin');
    const resident = await second.login('demo-resident-1');
    const moved = newCommunity(120.141);
    moved.features[2].geometry = boxPolygon([120.143, 30.284, 120.145, 30.288]);
    expect((await first.call('POST', '/grids/import', { token: admin, body: moved })).body).toEqual({ created: 0, updated: 3 });
    const oldSpot = await second.call('GET', '/grids/locate?lat=30.286&lng=120.1415', { token: resident });
    expect(oldSpot.body.path.at(-1).name).toBe('新河社区');
    const newSpot = await second.call('GET', '/grids/locate?lat=30.286&lng=120.1435', { token: resident });
    expect(newSpot.body.path.at(-1).name).toBe('新河微网格');
  });

  it('a secretary may not import; an admin may not import under a missing parent or at the wrong level, and nothing is half-written', async () => {
    const secretary = await first.login('demo-secretary-1');
    expectError(await first.call('POST', '/grids/import', { token: secretary, body: newCommunity(120.13) }), 403, 'FORBIDDEN');
    const admin = await first.login('demo-admin');
    const orphan = newCommunity(120.12);
    orphan.features[2].properties.parentCode = 'NO-SUCH-GRID';
    const error = expectError(await first.call('POST', '/grids/import', { token: admin, body: orphan }), 400, 'VALIDATION_FAILED');
    expect(error.details[0].path).toBe('body.features.2.properties.parentCode');
    // The first two features of the rejected import were rolled back.
    const tree = await first.call<GridTreeNode>('GET', '/grids/tree', { token: admin });
    expect(JSON.stringify(tree.body)).not.toContain('IMPORT-C-120.12');
    const wrongLevel = newCommunity(120.11);
    wrongLevel.features[0].properties.level = 'grid';
    expectError(await first.call('POST', '/grids/import', { token: admin, body: wrongLevel }), 400, 'VALIDATION_FAILED');
  });

  it('a malformed boundary is rejected with the path of the bad field', async () => {
    const admin = await first.login('demo-admin');
    const body = newCommunity(120.1) as unknown as { features: { geometry: unknown }[] };
    body.features[0].geometry = { type: 'Polygon', coordinates: [[[120.1, 30.284], [200, 30.284]]] };
    const error = expectError(await first.call('POST', '/grids/import', { token: admin, body }), 400, 'VALIDATION_FAILED');
    expect(error.details[0].path).toMatch(/^body\.features\.0\.geometry/);
  });
});
