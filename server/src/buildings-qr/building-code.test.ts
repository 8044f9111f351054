import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { HttpSubscribeMessageProvider } from '../notifications/subscribe-message';
import { AppError } from '../platform/errors';
import { DevWxaCodeProvider, HttpWxaCodeProvider, qrPng } from './wxacode';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FAKE_IMAGE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('fake wxacode jpeg')]);

/**
 * A local stand-in for api.weixin.qq.com: stable_token (appid/secret checked) and getwxacodeunlimit
 * (token and body checked, answers a JPEG as WeChat does, or JSON errors). `rejectNextToken` makes the
 * next code call answer 40001 (token expired) once.
 */
async function startFakeWxaCode() {
  const state = { tokenCalls: 0, codeCalls: [] as { token: string | null; body: Record<string, unknown> }[], rejectNextToken: false, tokenSerial: 1, fail: null as null | number };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://fake');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const json = (value: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/cgi-bin/stable_token') {
        state.tokenCalls++;
        if (body.appid !== 'wx-app' || body.secret !== 'wx-secret' || body.grant_type !== 'client_credential') return json({ errcode: 40013, errmsg: 'invalid appid' });
        return json({ access_token: `token-${state.tokenSerial}`, expires_in: 7200 });
      }
      if (url.pathname === '/wxa/getwxacodeunlimit') {
        const token = url.searchParams.get('access_token');
        state.codeCalls.push({ token, body });
        if (state.rejectNextToken) {
          state.rejectNextToken = false;
          state.tokenSerial++;
          return json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        }
        if (token !== `token-${state.tokenSerial}`) return json({ errcode: 40001, errmsg: 'invalid credential' });
        if (state.fail) return json({ errcode: state.fail, errmsg: 'invalid page' });
        if (typeof body.scene !== 'string' || body.scene.length > 32) return json({ errcode: 40169, errmsg: 'invalid length for scene' });
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        return res.end(FAKE_IMAGE);
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { state, apiBase, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('WxaCodeProvider against a local fake WeChat', () => {
  let fake: Awaited<ReturnType<typeof startFakeWxaCode>>;
  beforeAll(async () => {
    fake = await startFakeWxaCode();
  });
  afterAll(() => fake.close());

  const provider = () => {
    const tokens = new HttpSubscribeMessageProvider({ appId: 'wx-app', secret: 'wx-secret', apiBase: fake.apiBase });
    return { tokens, codes: new HttpWxaCodeProvider({ apiBase: fake.apiBase, tokens }) };
  };

  it('posts {scene, page, check_path: false} with the cached stable token and answers WeChat’s image', async () => {
    const { codes } = provider();
    const before = fake.state.tokenCalls;
    const first = await codes.getUnlimited({ scene: 'b=12', page: 'pages/bind/index', checkPath: false });
    await codes.getUnlimited({ scene: 'b=13', page: 'pages/bind/index', checkPath: false });
    expect(first).toEqual({ contentType: 'image/jpeg', image: FAKE_IMAGE });
    expect(fake.state.tokenCalls - before).toBe(1);
    expect(fake.state.codeCalls.at(-2)).toEqual({ token: 'token-1', body: { scene: 'b=12', page: 'pages/bind/index', check_path: false } });
  });

  it('a token WeChat no longer accepts is dropped, fetched again, and the call retried once', async () => {
    const { codes } = provider();
    await codes.getUnlimited({ scene: 'b=1', page: 'pages/bind/index', checkPath: false });
    fake.state.rejectNextToken = true;
    const tokenCalls = fake.state.tokenCalls;
    const result = await codes.getUnlimited({ scene: 'b=1', page: 'pages/bind/index', checkPath: false });
    expect(result.image).toEqual(FAKE_IMAGE);
    expect(fake.state.tokenCalls).toBe(tokenCalls + 1);
    expect(fake.state.codeCalls.at(-1)!.token).toBe(`token-${fake.state.tokenSerial}`);
  });

  it('a WeChat error or an unreachable WeChat is 503 UPSTREAM_UNAVAILABLE', async () => {
    const { codes } = provider();
    fake.state.fail = 41030;
    await expect(codes.getUnlimited({ scene: 'b=1', page: 'pages/nope', checkPath: false })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    fake.state.fail = null;
    const offline = new HttpWxaCodeProvider({ apiBase: 'http://127.0.0.1:9', tokens: { accessToken: async () => 't', forget: () => undefined }, timeoutMs: 500 });
    await expect(offline.getUnlimited({ scene: 'b=1', page: 'pages/bind/index', checkPath: false })).rejects.toBeInstanceOf(AppError);
  });

  it('the dev provider answers a QR code of page?scene', async () => {
    const { contentType, image } = await new DevWxaCodeProvider().getUnlimited({ scene: 'b=7', page: 'pages/bind/index', checkPath: false });
    expect(contentType).toBe('image/png');
    expect(image).toEqual(await qrPng('pages/bind/index?scene=b%3D7'));
  });
});

describe('GET /buildings/:id/code (一楼一码)', () => {
  let fake: Awaited<ReturnType<typeof startFakeWxaCode>>;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let building: Building;

  beforeAll(async () => {
    fake = await startFakeWxaCode();
    const tokenSource = new HttpSubscribeMessageProvider({ appId: 'wx-app', secret: 'wx-secret', apiBase: fake.apiBase });
    server = await startTestServer({ deps: { wxaCodes: new HttpWxaCodeProvider({ apiBase: fake.apiBase, tokens: tokenSource }) } });
    for (const who of ['demo-secretary-1', 'demo-admin', 'demo-gridworker-1', 'demo-resident-1']) tokens[who] = await server.login(who);
    building = await server.dataSource.getRepository(Building).findOneByOrFail({ code: '330199001001-G01-M01-B01' });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  const fetchCode = (who: string, query = '') => fetch(`${server.baseUrl}/api/v1/buildings/${building.id}/code${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });

  it('format=qr (default): a PNG QR code of the H5 bind link with the building chosen', async () => {
    const response = await fetchCode('demo-secretary-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const image = Buffer.from(await response.arrayBuffer());
    expect(image.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(image).toEqual(await qrPng(`${server.baseUrl}/#/pages/bind/index?buildingId=${building.id}`));
    expect(decodeURIComponent(response.headers.get('content-disposition')!.split("filename*=UTF-8''")[1])).toBe('1号楼-330199001001-G01-M01-B01.png');
  });

  it('format=wxacode: WeChat’s mini-program code for pages/bind/index with scene b=<id>', async () => {
    const response = await fetchCode('demo-admin', '?format=wxacode');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(FAKE_IMAGE);
    expect(fake.state.codeCalls.at(-1)!.body).toEqual({ scene: `b=${building.id}`, page: 'pages/bind/index', check_path: false });
  });

  it('who may: secretary and admin in scope; a grid worker or resident 403; an unknown building 404; a bad format 400', async () => {
    expectError(await server.call('GET', `/buildings/${building.id}/code`, { token: tokens['demo-gridworker-1'] }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', `/buildings/${building.id}/code`, { token: tokens['demo-resident-1'] }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', '/buildings/99999/code', { token: tokens['demo-secretary-1'] }), 404, 'NOT_FOUND');
    expectError(await server.call('GET', `/buildings/${building.id}/code?format=gif`, { token: tokens['demo-secretary-1'] }), 400, 'VALIDATION_FAILED');
    expectError(await server.call('GET', `/buildings/${building.id}/code`), 401, 'UNAUTHENTICATED');
  });

  it('WeChat failing is 503 UPSTREAM_UNAVAILABLE in the contract’s shape', async () => {
    fake.state.fail = 41030;
    try {
      expectError(await server.call('GET', `/buildings/${building.id}/code?format=wxacode`, { token: tokens['demo-secretary-1'] }), 503, 'UPSTREAM_UNAVAILABLE');
    } finally {
      fake.state.fail = null;
    }
  });
});
