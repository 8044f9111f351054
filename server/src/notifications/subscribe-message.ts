import type { Logger } from '../platform/logger';
import type { MiniprogramState } from './notifications.config';

/** One WeChat subscription message (订阅消息) to one user. */
export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** Mini-program page the message opens, e.g. `packages/reports/detail/index?id=12`; null → the home page. */
  page: string | null;
  /** Template fields by name: `{ thing1: '路灯不亮', phrase2: '已受理' }`. */
  data: Record<string, string>;
  /** The delivery's key: the same message is never sent twice under it by us; providers may use it too. */
  idempotencyKey: string;
}

/**
 * What became of one send:
 * - `sent`: WeChat took it.
 * - `skipped`: nothing to retry, nothing wrong: the user did not subscribe (or used up their one-time consent).
 * - `failed` + retryable: try again later (network, 5xx, a busy or unreachable WeChat, a token problem).
 * - `failed` + not retryable: the request itself is wrong (bad openid, template id or field) — retrying won't help.
 */
export type SendOutcome =
  | { status: 'sent' }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; retryable: boolean; reason: string };

/** One channel's adapter (Medusa's notification provider): the dispatcher knows only this. */
export interface SubscribeMessageProvider {
  readonly name: string;
  send(message: SubscribeMessage): Promise<SendOutcome>;
}

export interface HttpSubscribeMessageOptions {
  appId: string;
  secret: string;
  /** https://api.weixin.qq.com in production, a local fake server in tests. */
  apiBase: string;
  miniprogramState?: MiniprogramState;
  timeoutMs?: number;
  now?: () => number;
}

/** errcodes of an access token that WeChat no longer accepts: fetch a new one and try once more. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** The user did not subscribe to this template, refused, or already used their one-time consent. */
const NOT_SUBSCRIBED = 43101;
/** The request is wrong, not the moment: invalid openid, template id, page or field value. */
const PERMANENT = new Set([40003, 40037, 41030, 47003]);

interface WeChatReply {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

type HttpResult = { ok: true; reply: WeChatReply } | { ok: false; reason: string };

/**
 * The real one. Token: `POST {apiBase}/cgi-bin/stable_token` (getStableAccessToken, normal mode: it
 * hands every instance the same valid token, so several servers do not invalidate each other's),
 * cached until shortly before `expires_in`. Send: `POST {apiBase}/cgi-bin/message/subscribe/send`.
 */
export class HttpSubscribeMessageProvider implements SubscribeMessageProvider {
  readonly name = 'wechat';
  private token: { value: string; expiresAt: number } | null = null;
  private tokenRequest: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: HttpSubscribeMessageOptions) {
    this.now = options.now ?? Date.now;
  }

  async send(message: SubscribeMessage): Promise<SendOutcome> {
    let token: string;
    try {
      token = await this.accessToken();
    } catch (err) {
      return { status: 'failed', retryable: true, reason: `access token: ${(err as Error).message}` };
    }
    let result = await this.post(token, message);
    if (result.ok && TOKEN_REJECTED.has(result.reply.errcode ?? 0)) {
      // Expired or revoked before we thought: drop it, fetch the current one, try once more.
      this.forget(token);
      try {
        token = await this.accessToken();
      } catch (err) {
        return { status: 'failed', retryable: true, reason: `access token: ${(err as Error).message}` };
      }
      result = await this.post(token, message);
    }
    if (!result.ok) return { status: 'failed', retryable: true, reason: result.reason };
    const { errcode = 0, errmsg = '' } = result.reply;
    if (errcode === 0) return { status: 'sent' };
    const reason = `errcode ${errcode}: ${errmsg}`.slice(0, 300);
    if (errcode === NOT_SUBSCRIBED) return { status: 'skipped', reason };
    return { status: 'failed', retryable: !PERMANENT.has(errcode), reason };
  }

  /**
   * The cached token, or one fetch shared by every caller waiting for it. Public so other WeChat
   * calls of the same app (the building codes' getwxacodeunlimit) share this one cache.
   */
  accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    this.tokenRequest ??= this.fetchToken().finally(() => {
      this.tokenRequest = null;
    });
    return this.tokenRequest;
  }

  /** Drops a token WeChat refused, so the next accessToken() fetches the current one. */
  forget(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const result = await this.postJson(new URL('/cgi-bin/stable_token', this.options.apiBase), {
      grant_type: 'client_credential',
      appid: this.options.appId,
      secret: this.options.secret,
    });
    if (!result.ok) throw new Error(result.reason);
    const { access_token: value, expires_in: expiresIn, errcode, errmsg } = result.reply;
    if (errcode) throw new Error(`errcode ${errcode}: ${errmsg ?? ''}`);
    if (!value || !expiresIn) throw new Error('stable_token reply without access_token');
    // Refresh 5 minutes early (WeChat rotates its stable token 5 minutes before expiry), or halfway for short ones.
    const lifetimeMs = expiresIn * 1000;
    this.token = { value, expiresAt: this.now() + Math.max(lifetimeMs - 300_000, lifetimeMs / 2) };
    return value;
  }

  private post(token: string, message: SubscribeMessage): Promise<HttpResult> {
    const url = new URL('/cgi-bin/message/subscribe/send', this.options.apiBase);
    url.searchParams.set('access_token', token);
    return this.postJson(url, {
      touser: message.openid,
      template_id: message.templateId,
      ...(message.page ? { page: message.page } : {}),
      data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
      miniprogram_state: this.options.miniprogramState ?? 'formal',
      lang: 'zh_CN',
    });
  }

  private async postJson(url: URL, body: unknown): Promise<HttpResult> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return { ok: false, reason: timedOut ? 'WeChat did not answer in time' : 'WeChat unreachable' };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: `WeChat answered HTTP ${response.status}` };
    }
    try {
      return { ok: true, reply: (await response.json()) as WeChatReply };
    } catch {
      return { ok: false, reason: 'WeChat answered something other than JSON' };
    }
  }
}

/**
 * For development without an AppID: records each message in memory and logs it. Like a careful
 * provider it honours the idempotency key: a key it has seen is answered `sent` without a second copy.
 */
export class DevSubscribeMessageProvider implements SubscribeMessageProvider {
  readonly name = 'dev';
  readonly sent: SubscribeMessage[] = [];
  /** Calls per idempotency key, repeats included (tests read it). */
  readonly calls = new Map<string, number>();

  constructor(private readonly logger?: Logger) {}

  async send(message: SubscribeMessage): Promise<SendOutcome> {
    const seen = this.calls.get(message.idempotencyKey) ?? 0;
    this.calls.set(message.idempotencyKey, seen + 1);
    if (seen === 0) {
      this.sent.push(message);
      this.logger?.info({ templateId: message.templateId, page: message.page, idempotencyKey: message.idempotencyKey }, 'dev subscription message');
    }
    return { status: 'sent' };
  }
}
