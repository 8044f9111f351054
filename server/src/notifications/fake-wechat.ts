import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake saw of one subscribe/send call that it accepted. */
export interface FakeSend {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state: string;
  lang?: string;
}

/**
 * A local stand-in for api.weixin.qq.com's getStableAccessToken and subscribeMessage.send, for tests.
 * It checks what the real one checks (appid/secret, a current token, the body's shape) and answers as
 * WeChat documents. Behaviour by openid: `o-refuse` → 43101, `o-5xx` → HTTP 502, `o-slow` → answers
 * after 2 s, `o-bad` → 40003 invalid openid, `o-busy` → errcode -1 (system busy).
 */
export async function startFakeWeChat(options: { appId?: string; secret?: string; expiresIn?: number } = {}) {
  const appId = options.appId ?? 'wx-test-app';
  const secret = options.secret ?? 'wx-test-secret';
  let tokenSerial = 0;
  let currentToken: string | null = null;
  const state = {
    tokenCalls: 0,
    sendCalls: 0,
    accepted: [] as FakeSend[],
    /** Accepted sends per openid. */
    perUser: new Map<string, number>(),
    /** Milliseconds every send waits before answering (to let concurrent runs interleave). */
    sendDelayMs: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://fake');
      const reply = (status: number, body: unknown) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reply(200, { errcode: 47001, errmsg: 'data format error' });
      }
      if (req.method !== 'POST') return reply(200, { errcode: 43002, errmsg: 'require POST method' });
      if (url.pathname === '/cgi-bin/stable_token') {
        state.tokenCalls++;
        if (body.grant_type !== 'client_credential') return reply(200, { errcode: 40002, errmsg: 'invalid grant_type' });
        if (body.appid !== appId) return reply(200, { errcode: 40013, errmsg: 'invalid appid' });
        if (body.secret !== secret) return reply(200, { errcode: 40125, errmsg: 'invalid appsecret' });
        // Normal mode: the same token while it is valid, a new one once it has expired.
        currentToken ??= `token-${++tokenSerial}`;
        return reply(200, { access_token: currentToken, expires_in: options.expiresIn ?? 7200 });
      }
      if (url.pathname === '/cgi-bin/message/subscribe/send') {
        state.sendCalls++;
        const token = url.searchParams.get('access_token');
        if (!token) return reply(200, { errcode: 41001, errmsg: 'access_token missing' });
        if (token !== currentToken) {
          return reply(200, tokenSerial > 0 && token.startsWith('token-') ? { errcode: 42001, errmsg: 'access_token expired' } : { errcode: 40001, errmsg: 'invalid credential' });
        }
        const send = body as unknown as FakeSend;
        if (typeof send.touser !== 'string' || typeof send.template_id !== 'string') return reply(200, { errcode: 47003, errmsg: 'argument invalid!' });
        if (!['developer', 'trial', 'formal'].includes(send.miniprogram_state)) return reply(200, { errcode: 47003, errmsg: 'argument invalid! miniprogram_state' });
        for (const [key, field] of Object.entries(send.data ?? {})) {
          if (typeof field?.value !== 'string' || !field.value) return reply(200, { errcode: 47003, errmsg: `argument invalid! data.${key}.value is empty` });
        }
        const answer = () => {
          if (send.touser === 'o-refuse') return reply(200, { errcode: 43101, errmsg: 'user refuse to accept the msg' });
          if (send.touser === 'o-bad') return reply(200, { errcode: 40003, errmsg: 'invalid openid' });
          if (send.touser === 'o-busy') return reply(200, { errcode: -1, errmsg: 'system error' });
          if (send.touser === 'o-5xx') return reply(502, 'Bad Gateway');
          state.accepted.push(send);
          state.perUser.set(send.touser, (state.perUser.get(send.touser) ?? 0) + 1);
          reply(200, { errcode: 0, errmsg: 'ok', msgid: state.accepted.length });
        };
        if (send.touser === 'o-slow') return void setTimeout(answer, 2000);
        if (state.sendDelayMs) return void setTimeout(answer, state.sendDelayMs);
        return answer();
      }
      reply(404, { errcode: -1, errmsg: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    state,
    /** The current token stops being valid (as at its expiry); the next stable_token call hands out a new one. */
    expireToken() {
      currentToken = null;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FakeWeChat = Awaited<ReturnType<typeof startFakeWeChat>>;
