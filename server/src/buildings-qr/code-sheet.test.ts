import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { qrPng } from './wxacode';

/** GET /grids/:id/building-codes: the sheet a secretary prints, one A4 page per building. */
describe('the printable sheet of a community’s building codes', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const node: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-secretary-1', 'demo-admin', 'demo-gridworker-1', 'demo-resident-1']) tokens[who] = await server.login(who);
    for (const code of ['330199001', '330199001001', '330199001001-G02']) node[code] = (await server.dataSource.getRepository(GridNode).findOneByOrFail({ code })).id;
  });
  afterAll(() => server.close());

  const sheet = (who: string, nodeId: number, query = '') => fetch(`${server.baseUrl}/api/v1/grids/${nodeId}/building-codes${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });

  it('when the secretary asks for the community, then one A4 page per building, in order, each with its name, code number and QR image', async () => {
    const response = await sheet('demo-secretary-1', node['330199001001']);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    expect(html).toContain('@page { size: A4 portrait');
    const pages = [...html.matchAll(/<section class="sheet">([\s\S]*?)<\/section>/g)].map((m) => m[1]);
    const buildings = await server.dataSource.getRepository(Building).find({ order: { id: 'ASC' } });
    expect(buildings).toHaveLength(8);
    expect(pages.map((p) => /<h1>(.*?)<\/h1>/.exec(p)![1])).toEqual(['1号楼', '2号楼', '3号楼', '4号楼', '5号楼', '6号楼', '7号楼', '8号楼']);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain(`楼栋编码 ${buildings[i].code}`);
      expect(page).toContain('桂花社区');
    }
    // The image is the building's own code: the bind link with it chosen.
    const first = (await qrPng(`http://${new URL(server.baseUrl).host}/#/pages/bind/index?buildingId=${buildings[0].id}`)).toString('base64');
    expect(pages[0]).toContain(`data:image/png;base64,${first}`);
  });

  it('a grid’s sheet holds its buildings only; the mini-program code format comes from the WeChat adapter', async () => {
    const html = await (await sheet('demo-admin', node['330199001001-G02'], '?format=wxacode')).text();
    expect([...html.matchAll(/<h1>(.*?)<\/h1>/g)].map((m) => m[1])).toEqual(['5号楼', '6号楼', '7号楼', '8号楼']);
    expect(html).toContain('微信扫一扫');
  });

  it('who may: the secretary and admin over it; a grid worker or resident 403; a street 400; an unknown node 404', async () => {
    expectError(await server.call('GET', `/grids/${node['330199001001']}/building-codes`, { token: tokens['demo-gridworker-1'] }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', `/grids/${node['330199001001']}/building-codes`, { token: tokens['demo-resident-1'] }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', `/grids/${node['330199001']}/building-codes`, { token: tokens['demo-secretary-1'] }), 403, 'FORBIDDEN');
    expect(expectError(await server.call('GET', `/grids/${node['330199001']}/building-codes`, { token: tokens['demo-admin'] }), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['params.id']);
    expectError(await server.call('GET', '/grids/999999/building-codes', { token: tokens['demo-admin'] }), 404, 'NOT_FOUND');
  });
});
