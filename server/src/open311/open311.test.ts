import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { GridNode } from '../grids/grid-node.entity';
import { Report } from '../reports/report.entity';

/*
 * The example documents of the GeoReport v2 specification (http://wiki.open311.org/GeoReport_v2),
 * written out here (the spec's JSON has numbers with leading zeros, such as 001, which are not JSON:
 * they are strings below). Our documents must carry the same fields under the same names and nesting.
 */
const SPEC = {
  services: [
    {
      service_code: '001',
      service_name: 'Cans left out 24x7',
      description: 'Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.',
      metadata: true,
      type: 'realtime',
      keywords: 'lorem, ipsum, dolor',
      group: 'sanitation',
    },
  ],
  serviceDefinition: { service_code: 'DMV66', attributes: [] as unknown[] },
  postResponse: [
    {
      service_request_id: 293944,
      service_notice: 'The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code',
      account_id: null,
    },
  ],
  requests: [
    {
      service_request_id: 638344,
      status: 'closed',
      status_notes: 'Duplicate request.',
      service_name: 'Sidewalk and Curb Issues',
      service_code: '006',
      description: null,
      agency_responsible: null,
      service_notice: null,
      requested_datetime: '2010-04-14T06:37:38-08:00',
      updated_datetime: '2010-04-14T06:37:38-08:00',
      expected_datetime: '2010-04-15T06:37:38-08:00',
      address: '8TH AVE and JUDAH ST',
      address_id: 545483,
      zipcode: 94122,
      lat: 37.762221815,
      long: -122.4651145,
      media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638344.jpg',
    },
  ],
  error: [{ code: 403, description: "Invalid api_key received -- can't proceed with create_request." }],
};
const SPEC_XML = {
  services: `<?xml version="1.0" encoding="utf-8"?>
<services>
    <service>
        <service_code>001</service_code>
        <service_name>Cans left out 24x7</service_name>
        <description>Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.</description>
        <metadata>true</metadata>
        <type>realtime</type>
        <keywords>lorem, ipsum, dolor</keywords>
        <group>sanitation</group>
    </service>
</services>`,
  requests: `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
</service_requests>`,
  postResponse: `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>The City will inspect and require the responsible party to correct within 24 hours</service_notice>
        <account_id/>
    </request>
</service_requests>`,
  error: `<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>`,
};

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const xml = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, isArray: (name) => ['service', 'request', 'error'].includes(name) });
const keysOf = (value: object) => Object.keys(value).sort();

describe('Open311 GeoReport v2 at /open311/v2/', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let key = '';
  let keyId = 0;
  let photo = '';
  let grid1 = 0;

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-admin', 'demo-secretary-1', 'demo-resident-1', 'demo-gridworker-1']) tokens[who] = await server.login(who);
    grid1 = (await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001-G01' })).id;
    const community = await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001' });
    const created = await server.call('POST', '/admin/open311-keys', { token: tokens['demo-admin'], body: { name: '12345市民热线', nodeId: community.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    key = created.body.key;
    keyId = created.body.id;
    // A resident's anonymous report and a named one, both in grid 1, with a photo of theirs.
    photo = await server.upload(tokens['demo-resident-1']);
    for (const anonymous of [true, false]) {
      const filed = await server.call('POST', '/reports', {
        token: tokens['demo-resident-1'],
        body: { categoryCode: 'sanitation', description: anonymous ? '匿名：楼道堆满杂物' : '楼下垃圾桶满了三天', location: GRID1_SPOT, anonymous, photos: [photo] },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(filed.status).toBe(201);
    }
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const response = await fetch(`${server.baseUrl}/open311/v2/${path}`);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  const post = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${server.baseUrl}/open311/v2/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  it('services.json: our categories with exactly the fields of the spec’s example', async () => {
    const result = await get('services.json');
    expect(result.status).toBe(200);
    expect(result.type).toBe('application/json; charset=utf-8');
    const services = JSON.parse(result.text);
    expect(services.length).toBeGreaterThanOrEqual(9);
    for (const service of services) expect(keysOf(service)).toEqual(keysOf(SPEC.services[0]));
    expect(services[0]).toMatchObject({ service_code: 'sanitation', service_name: '环境卫生', metadata: false, type: 'realtime', group: '锦华街道城管执法中队' });
  });

  it('services.xml parses, with the element names of the spec’s XML example', async () => {
    const result = await get('services.xml');
    expect(result.type).toBe('text/xml; charset=utf-8');
    expect(result.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const ours = xml.parse(result.text);
    const spec = xml.parse(SPEC_XML.services);
    expect(keysOf(ours)).toEqual(['services']);
    expect(keysOf(ours.services.service[0])).toEqual(keysOf(spec.services.service[0]));
    expect(ours.services.service[0].service_name).toBe('环境卫生');
  });

  it('services/{code}.json is a service definition (no attributes); an unknown code is 404 in Open311’s error shape', async () => {
    expect(keysOf(JSON.parse((await get('services/water.json')).text))).toEqual(keysOf(SPEC.serviceDefinition));
    expect(xml.parse((await get('services/water.xml')).text).service_definition.service_code).toBe('water');
    const missing = await get('services/nope.json');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual([{ code: 404, description: expect.any(String) }]);
  });

  it('requests need an api_key: none or a bad one is 403 in the spec’s error format, JSON and XML', async () => {
    const none = await get('requests.json');
    expect(none.status).toBe(403);
    expect(keysOf(JSON.parse(none.text)[0])).toEqual(keysOf(SPEC.error[0]));
    const bad = await get('requests.xml?api_key=o311_wrong');
    expect(bad.status).toBe(403);
    const parsed = xml.parse(bad.text);
    expect(keysOf(parsed.errors.error[0])).toEqual(keysOf(xml.parse(SPEC_XML.error).errors.error[0]));
    expect(parsed.errors.error[0].code).toBe('403');
    const postBad = await post('requests.json', { api_key: 'o311_wrong', service_code: 'water', lat: '30.279', long: '120.1495', description: '井盖松动有异响' });
    expect(postBad.status).toBe(403);
  });

  it('GET requests.json: the spec’s fields, statuses open/closed, W3C times, and never the reporter', async () => {
    const result = await get(`requests.json?api_key=${key}`);
    expect(result.status).toBe(200);
    const requests = JSON.parse(result.text);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(keysOf(request)).toEqual(keysOf(SPEC.requests[0]));
      expect(request.status).toBe('open');
      expect(request.requested_datetime).toMatch(W3C);
      expect(request.updated_datetime).toMatch(W3C);
      expect(request.service_request_id).toMatch(/^SS330199001-\d{8}-\d{4}$/);
      expect(request.media_url).toBe(`${server.baseUrl}${photo}`);
    }
    expect(result.text).not.toMatch(/张晓梅|1385711|reporter/);
    const asXml = xml.parse((await get(`requests.xml?api_key=${key}`)).text);
    expect(keysOf(asXml.service_requests.request[0])).toEqual(keysOf(xml.parse(SPEC_XML.requests).service_requests.request[0]));
  });

  it('POST requests (form-encoded, as the spec) files a hotline report routed by lat/long; the answer is the spec’s', async () => {
    const result = await post('requests.json', {
      api_key: key,
      jurisdiction_id: 'linli',
      service_code: 'water',
      lat: String(GRID1_SPOT.lat),
      long: String(GRID1_SPOT.lng),
      address_string: '桂香苑3号楼北侧',
      description: '井盖松动，车辆经过有异响',
      first_name: '李',
      phone: '13900000000',
    });
    expect(result.status, result.text).toBe(201);
    const created = JSON.parse(result.text);
    expect(created).toHaveLength(1);
    expect(keysOf(created[0])).toEqual(keysOf(SPEC.postResponse[0]));
    expect(created[0].service_notice).toContain('桂香苑微网格');
    const report = await server.dataSource.getRepository(Report).findOneByOrFail({ number: created[0].service_request_id });
    expect(report).toMatchObject({ channel: 'hotline', categoryCode: 'water', status: 'submitted', address: '桂香苑3号楼北侧', anonymous: false });
    expect(report.gridPath).toBe((await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001-G01-M01' })).path);
    expect(report.description).not.toContain('13900000000');
    // The grid worker of the spot has it in their queue.
    const queue = await server.call('GET', '/reports?scope=queue', { token: tokens['demo-gridworker-1'] });
    expect(queue.body.items.map((r: { number: string }) => r.number)).toContain(report.number);
    // And it reads back one by one, JSON and XML.
    const one = JSON.parse((await get(`requests/${report.number}.json?api_key=${key}`)).text);
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ service_request_id: report.number, status: 'open', service_code: 'water', service_name: '供水排水', lat: GRID1_SPOT.lat, long: GRID1_SPOT.lng, agency_responsible: '桂香苑微网格' });
    const oneXml = xml.parse((await get(`requests/${report.number}.xml?api_key=${key}`)).text);
    expect(oneXml.service_requests.request[0].service_code).toBe('water');
    // XML answer to a POST.
    const viaXml = await post('requests.xml', { api_key: key, service_code: 'noise', address_string: '桂花社区广场', description: '广场舞音响太吵，晚上十点后仍未停' });
    expect(viaXml.status).toBe(201);
    expect(keysOf(xml.parse(viaXml.text).service_requests.request[0])).toEqual(keysOf(xml.parse(SPEC_XML.postResponse).service_requests.request[0]));
  });

  it('POST: a spot outside the key’s area, no location, or an unknown service_code are refused (400/404)', async () => {
    const outside = await post('requests.json', { api_key: key, service_code: 'water', lat: '30.2', long: '120.3', description: '井盖松动有异响' });
    expect(outside.status).toBe(400);
    expect(JSON.parse(outside.text)[0].code).toBe(400);
    expect((await post('requests.json', { api_key: key, service_code: 'water', description: '井盖松动有异响' })).status).toBe(400);
    expect((await post('requests.json', { api_key: key, service_code: 'nope', lat: '30.279', long: '120.1495', description: '井盖松动有异响' })).status).toBe(404);
  });

  it('filters: service_request_id, service_code, status, start/end date (at most 90 days)', async () => {
    const all = JSON.parse((await get(`requests.json?api_key=${key}`)).text);
    const first = all[0].service_request_id;
    expect(JSON.parse((await get(`requests.json?api_key=${key}&service_request_id=${first}`)).text).map((r: { service_request_id: string }) => r.service_request_id)).toEqual([first]);
    expect(JSON.parse((await get(`requests.json?api_key=${key}&service_code=water,noise`)).text)).toHaveLength(2);
    expect(JSON.parse((await get(`requests.json?api_key=${key}&status=closed`)).text)).toHaveLength(0);
    expect(JSON.parse((await get(`requests.json?api_key=${key}&status=open,closed`)).text)).toHaveLength(all.length);
    expect(JSON.parse((await get(`requests.json?api_key=${key}&start_date=2010-01-01T00:00:00Z&end_date=2010-02-01T00:00:00Z`)).text)).toHaveLength(0);
    expect((await get(`requests.json?api_key=${key}&start_date=2010-01-01T00:00:00Z&end_date=2010-06-01T00:00:00Z`)).status).toBe(400);
    expect((await get(`requests.json?api_key=${key}&status=pending`)).status).toBe(400);
    expect((await get(`requests/SS19990101-0001.json?api_key=${key}`)).status).toBe(404);
  });

  describe('admin manages the keys under /api/v1/admin/open311-keys', () => {
    it('the list never shows a key, only its prefix; a secretary may not manage keys (403)', async () => {
      const list = await server.call('GET', '/admin/open311-keys', { token: tokens['demo-admin'] });
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toMatchObject({ id: keyId, name: '12345市民热线', nodeName: '桂花社区', revokedAt: null, prefix: key.slice(0, 12) });
      expect(JSON.stringify(list.body)).not.toContain(key);
      expect(list.body.items[0].lastUsedAt).toMatch(/Z$/);
      expectError(await server.call('GET', '/admin/open311-keys', { token: tokens['demo-secretary-1'] }), 403, 'FORBIDDEN');
      expectError(await server.call('POST', '/admin/open311-keys', { token: tokens['demo-secretary-1'], body: { name: '热线', nodeId: grid1 } }), 403, 'FORBIDDEN');
      expectError(await server.call('DELETE', `/admin/open311-keys/${keyId}`, { token: tokens['demo-secretary-1'] }), 403, 'FORBIDDEN');
      expectError(await server.call('POST', '/admin/open311-keys', { token: tokens['demo-admin'], body: { name: '' } }), 400, 'VALIDATION_FAILED');
    });

    it('a key scoped to grid 1 reads only grid 1; a revoked key is 403 from then on', async () => {
      const narrow = await server.call('POST', '/admin/open311-keys', { token: tokens['demo-admin'], body: { name: '网格一测试', nodeId: grid1 } });
      const outside = await post('requests.json', { api_key: narrow.body.key, service_code: 'water', lat: '30.281', long: '120.153', description: '第二网格的井盖松动' });
      expect(outside.status).toBe(400);
      const revoked = await server.call('DELETE', `/admin/open311-keys/${narrow.body.id}`, { token: tokens['demo-admin'] });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toMatch(/Z$/);
      expect((await get(`requests.json?api_key=${narrow.body.key}`)).status).toBe(403);
      expectError(await server.call('DELETE', `/admin/open311-keys/${narrow.body.id}`, { token: tokens['demo-admin'] }), 409, 'CONFLICT');
      expectError(await server.call('DELETE', '/admin/open311-keys/99999', { token: tokens['demo-admin'] }), 404, 'NOT_FOUND');
      // The main key still works.
      expect((await get(`requests.json?api_key=${key}`)).status).toBe(200);
    });
  });
});
