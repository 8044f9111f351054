import crypto from 'node:crypto';
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
 * after 2 s, `o-bad` → 40003 invalid openid, `o-busy` → errcode -1 (system busy). getuserphonenumber: the
 * code `phone-<11 digits>` gives that number, any other code → 40029.
 */
export async function startFakeWeChat(options: { appId?: string; secret?: string; expiresIn?: number; fetchMedia?: boolean } = {}) {
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
    /** msgSecCheck bodies received. */
    textChecks: [] as Record<string, unknown>[],
    /** mediaCheckAsync calls accepted. */
    mediaChecks: [] as { traceId: string; mediaUrl: string; openid: string }[],
    /** With `fetchMedia`: what fetching each handed-over image gave (as WeChat downloads it to judge it), by trace id. */
    mediaFetched: new Map<string, { status: number; contentType: string | null; sha256: string }>(),
    /** true: the content-security endpoints answer HTTP 502. */
    textCheckDown: false,
    mediaCheckDown: false,
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
      if (url.pathname === '/wxa/business/getuserphonenumber') {
        const token = url.searchParams.get('access_token');
        if (!token || token !== currentToken) return reply(200, { errcode: 40001, errmsg: 'invalid credential' });
        // A code `phone-<digits>` stands for a user who allowed that number; anything else is spent or forged.
        const match = typeof body.code === 'string' ? /^phone-(\d{11})$/.exec(body.code) : null;
        if (!match) return reply(200, { errcode: 40029, errmsg: 'invalid code' });
        const phone = match[1];
        return reply(200, { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: '86', watermark: { timestamp: 0, appid: appId } } });
      }
      if (url.pathname === '/wxa/msg_sec_check' || url.pathname === '/wxa/media_check_async') {
        const token = url.searchParams.get('access_token');
        if (!token || token !== currentToken) return reply(200, { errcode: 40001, errmsg: 'invalid credential' });
        return url.pathname === '/wxa/msg_sec_check' ? answerTextCheck(body) : answerMediaCheck(body);
      }
      reply(404, { errcode: -1, errmsg: 'not found' });

      /** msgSecCheck v2: the fake's own little list stands for WeChat's classifier. */
      function answerTextCheck(check: Record<string, unknown>) {
        state.textChecks.push(check);
        if (check.version !== 2 || ![1, 2, 3, 4].includes(check.scene as number) || typeof check.openid !== 'string' || typeof check.content !== 'string') {
          return reply(200, { errcode: 47001, errmsg: 'data format error' });
        }
        if (check.openid === 'o-expired') return reply(200, { errcode: 61010, errmsg: 'user access expired' });
        if (state.textCheckDown) return reply(502, 'Bad Gateway');
        const text = `${check.title ?? ''}${check.content}`;
        const [suggest, label] = text.includes('违禁测试') ? ['risky', 20001] : text.includes('复核测试') ? ['review', 21000] : ['pass', 100];
        reply(200, { errcode: 0, errmsg: 'ok', trace_id: `text-${state.textChecks.length}`, result: { suggest, label }, detail: [{ strategy: 'content_model', errcode: 0, suggest, label }] });
      }

      /** mediaCheckAsync v2: takes the URL, answers a trace id; the verdict comes later through pushMediaVerdict. */
      function answerMediaCheck(check: Record<string, unknown>) {
        if (state.mediaCheckDown) return reply(502, 'Bad Gateway');
        if (check.version !== 2 || ![1, 2].includes(check.media_type as number) || typeof check.openid !== 'string' || !/^https?:\/\//.test(String(check.media_url))) {
          return reply(200, { errcode: 47001, errmsg: 'data format error' });
        }
        const traceId = `media-${state.mediaChecks.length + 1}`;
        state.mediaChecks.push({ traceId, mediaUrl: String(check.media_url), openid: check.openid });
        reply(200, { errcode: 0, errmsg: 'ok', trace_id: traceId });
        if (options.fetchMedia) void fetchMedia(traceId, String(check.media_url));
      }

      async function fetchMedia(traceId: string, mediaUrl: string) {
        const fetched = await fetch(mediaUrl).catch(() => null);
        const bytes = fetched ? Buffer.from(await fetched.arrayBuffer()) : Buffer.alloc(0);
        state.mediaFetched.set(traceId, { status: fetched?.status ?? 0, contentType: fetched?.headers.get('content-type') ?? null, sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    state,
    /**
     * What WeChat does once an image is judged: POSTs a `wxa_media_check` event to the message-push
     * URL, signed with the push token (plaintext mode, JSON). Returns the server's answer.
     */
    async pushMediaVerdict(pushUrl: string, pushToken: string, traceId: string, suggest: 'pass' | 'review' | 'risky', label = suggest === 'pass' ? 100 : 20002) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(Math.random()).slice(2, 12);
      const signature = crypto.createHash('sha1').update([pushToken, timestamp, nonce].sort().join('')).digest('hex');
      const target = new URL(pushUrl);
      target.search = new URLSearchParams({ signature, timestamp, nonce }).toString();
      const event = {
        ToUserName: 'gh_fake',
        FromUserName: 'o-system',
        CreateTime: Number(timestamp),
        MsgType: 'event',
        Event: 'wxa_media_check',
        appid: appId,
        trace_id: traceId,
        version: 2,
        detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
        errcode: 0,
        errmsg: 'ok',
        result: { suggest, label },
      };
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
      return { status: response.status, body: await response.text() };
    },
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
