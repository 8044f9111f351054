import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer } from '../../test/harness';
import { HttpWeChatSessionProvider } from './wechat-session';
import { User } from './user.entity';

/**
 * A local stand-in for api.weixin.qq.com's code2Session. It checks what the real one checks
 * (appid, secret, grant_type) and answers as WeChat documents, including its errcodes.
 */
function startFakeWeChat() {
  const seen: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://fake');
    seen.push(url);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (url.pathname !== '/sns/jscode2session') return reply(404, { errcode: -1, errmsg: 'not found' });
    const params = Object.fromEntries(url.searchParams);
    if (params.appid !== 'wx-test-app' || params.secret !== 'wx-test-secret') return reply(200, { errcode: 40125, errmsg: 'invalid appsecret' });
    if (params.grant_type !== 'authorization_code') return reply(200, { errcode: 40002, errmsg: 'invalid grant_type' });
    const code = params.js_code;
    if (code === 'used-code') return reply(200, { errcode: 40163, errmsg: 'code been used' });
    if (code === 'bad-code') return reply(200, { errcode: 40029, errmsg: 'invalid code' });
    if (code === 'too-fast') return reply(200, { errcode: 45011, errmsg: 'api minute-quota reach limit' });
    if (code === 'server-error') return reply(502, 'Bad Gateway');
    if (code === 'garbage') return reply(200, '<html>oops</html>');
    if (code === 'slow') return void setTimeout(() => reply(200, { openid: 'late' }), 2000);
    reply(200, { openid: `oFake_${code}`, session_key: `sk_${code}`, unionid: `u_${code}` });
  });
  return new Promise<{ base: string; seen: URL[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        base: `http://127.0.0.1:${port}`,
        seen,
        close: () => {
          server.closeAllConnections();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

describe('HttpWeChatSessionProvider against a local fake of WeChat', () => {
  let fake: Awaited<ReturnType<typeof startFakeWeChat>>;
  let provider: HttpWeChatSessionProvider;
  beforeAll(async () => {
    fake = await startFakeWeChat();
    provider = new HttpWeChatSessionProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base, timeoutMs: 500 });
  });
  afterAll(() => fake.close());

  it('exchanges a code for openid, unionid and session_key, sending appid, secret and grant_type', async () => {
    const session = await provider.code2Session('abc123');
    expect(session).toEqual({ openid: 'oFake_abc123', unionid: 'u_abc123', sessionKey: 'sk_abc123' });
    const request = fake.seen.at(-1)!;
    expect(request.searchParams.get('js_code')).toBe('abc123');
    expect(request.searchParams.get('grant_type')).toBe('authorization_code');
  });

  it('maps WeChat errcodes: invalid or used code → 401, quota → 429', async () => {
    await expect(provider.code2Session('bad-code')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(provider.code2Session('used-code')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(provider.code2Session('too-fast')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('a wrong secret, an HTTP error, a non-JSON answer or a timeout → UPSTREAM_UNAVAILABLE', async () => {
    const wrong = new HttpWeChatSessionProvider({ appId: 'wx-test-app', secret: 'nope', apiBase: fake.base });
    await expect(wrong.code2Session('abc')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('40125') });
    await expect(provider.code2Session('server-error')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(provider.code2Session('garbage')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(provider.code2Session('slow')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('an unreachable WeChat → UPSTREAM_UNAVAILABLE, not a crash', async () => {
    const down = new HttpWeChatSessionProvider({ appId: 'a', secret: 'b', apiBase: 'http://127.0.0.1:1', timeoutMs: 500 });
    await expect(down.code2Session('abc')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('POST /auth/wechat through the server: a user is created, session_key stays on the server', async () => {
    const server = await startTestServer({ env: { WX_APPID: 'wx-test-app', WX_SECRET: 'wx-test-secret', WX_API_BASE: fake.base, PUBLIC_BASE_URL: 'https://linli.example.cn' } });
    try {
      const login = await server.call('POST', '/auth/wechat', { body: { code: 'phone-1' } });
      expect(login.status).toBe(200);
      expect(JSON.stringify(login.body)).not.toContain('sk_phone-1');
      const me = await server.call('GET', '/me', { token: login.body.token });
      expect(me.body.id).toBe(login.body.user.id);
      const stored = await server.dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .addSelect('u.sessionKey')
        .where('u.openid = :openid', { openid: 'oFake_phone-1' })
        .getOneOrFail();
      expect(stored.sessionKey).toBe('sk_phone-1');
      expect(stored.unionid).toBe('u_phone-1');
      expectError(await server.call('POST', '/auth/wechat', { body: { code: 'bad-code' } }), 401, 'UNAUTHENTICATED');
      expectError(await server.call('POST', '/auth/wechat', { body: { code: 'server-error' } }), 503, 'UPSTREAM_UNAVAILABLE');
    } finally {
      await server.close();
    }
  });
});
