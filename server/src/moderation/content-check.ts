import type { ModerationSuggest } from '@linli/shared';
import type { AccessTokenSource } from '../buildings-qr/wxacode';
import type { WordList } from './word-list';

/** WeChat's scenes (v2): 1 profile, 2 comment, 3 forum, 4 social log. Reports and proposals read like forum posts. */
export type CheckScene = 'comment' | 'forum';
const SCENE_CODES: Record<CheckScene, number> = { comment: 2, forum: 3 };

export interface TextCheckRequest {
  text: string;
  /** A proposal's title is sent apart, as WeChat asks. */
  title?: string;
  /** WeChat checks in the context of a user who used the mini-program within the last two hours. */
  openid: string;
  scene: CheckScene;
}

export interface CheckVerdict {
  suggest: ModerationSuggest;
  /** WeChat's label code (100 = normal). */
  label: number;
  source: string;
  words?: string[];
}

/** The result of handing an image over: WeChat answers later (pushed to us), the dev check at once. */
export type ImageSubmission =
  | { status: 'pending'; traceId: string }
  | { status: 'done'; verdict: CheckVerdict }
  | { status: 'error'; reason: string };

/**
 * One adapter per content checker (Medusa-style provider). `checkText` answers null when the checker
 * could not be asked (network, a user WeChat does not know yet): the caller falls back, never blocks.
 */
export interface ContentChecker {
  readonly name: string;
  checkText(request: TextCheckRequest): Promise<CheckVerdict | null>;
  submitImage(request: { url: string; openid: string; scene: CheckScene }): Promise<ImageSubmission>;
}

/** The development checker: the local word list for text; images pass (there is nothing local to judge them by). */
export class WordListChecker implements ContentChecker {
  readonly name = 'wordlist';

  constructor(private readonly words: WordList) {}

  async checkText(request: TextCheckRequest): Promise<CheckVerdict> {
    const match = this.words.match(`${request.title ?? ''}\n${request.text}`);
    return { suggest: match.suggest, label: match.label, source: this.name, words: match.words };
  }

  async submitImage(): Promise<ImageSubmission> {
    return { status: 'done', verdict: { suggest: 'pass', label: 100, source: this.name } };
  }
}

const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
const SUGGESTS = new Set(['pass', 'review', 'risky']);

interface SecReply {
  errcode?: number;
  errmsg?: string;
  trace_id?: string;
  result?: { suggest?: string; label?: number };
}

/**
 * The real one, WeChat's content security v2:
 * - text: `POST {apiBase}/wxa/msg_sec_check?access_token=…` `{content, version: 2, scene, openid, title?}`
 *   → `{errcode: 0, result: {suggest, label}, trace_id}`;
 * - images: `POST {apiBase}/wxa/media_check_async?access_token=…` `{media_url, media_type: 2, version: 2,
 *   scene, openid}` → `{errcode: 0, trace_id}`; the verdict arrives later as a `wxa_media_check` event
 *   on the message-push URL (see wechat-push.ts).
 * The access token is the app's one cached stable token (shared with subscription messages and codes).
 */
export class WeChatContentChecker implements ContentChecker {
  readonly name = 'wechat';

  constructor(
    private readonly options: {
      apiBase: string;
      tokens: AccessTokenSource;
      /** Where WeChat can fetch our images: PUBLIC_BASE_URL, e.g. https://linli.example.gov.cn */
      publicBaseUrl: string;
      /** The URL WeChat fetches an upload from, when the storage hands out its own (object storage: uploads/storage.ts `urlForImageCheck`); else under publicBaseUrl. */
      mediaUrl?: (issuedUrl: string) => Promise<string>;
      timeoutMs?: number;
    },
  ) {}

  async checkText(request: TextCheckRequest): Promise<CheckVerdict | null> {
    const reply = await this.call('/wxa/msg_sec_check', {
      content: request.text,
      version: 2,
      scene: SCENE_CODES[request.scene],
      openid: request.openid,
      ...(request.title ? { title: request.title } : {}),
    });
    if (!reply || reply.errcode) return null;
    const suggest = reply.result?.suggest;
    if (!suggest || !SUGGESTS.has(suggest)) return null;
    return { suggest: suggest as ModerationSuggest, label: Number(reply.result?.label ?? 21000), source: this.name };
  }

  async submitImage(request: { url: string; openid: string; scene: CheckScene }): Promise<ImageSubmission> {
    const reply = await this.call('/wxa/media_check_async', {
      media_url: this.options.mediaUrl ? await this.options.mediaUrl(request.url) : new URL(request.url, this.options.publicBaseUrl).toString(),
      media_type: 2,
      version: 2,
      scene: SCENE_CODES[request.scene],
      openid: request.openid,
    });
    if (!reply) return { status: 'error', reason: 'WeChat unreachable' };
    if (reply.errcode || !reply.trace_id) return { status: 'error', reason: `errcode ${reply.errcode ?? '?'}: ${reply.errmsg ?? ''}`.slice(0, 200) };
    return { status: 'pending', traceId: reply.trace_id };
  }

  /** One call with the cached token, once more with a fresh one if WeChat refused the token; null when WeChat could not be asked. */
  private async call(path: string, body: Record<string, unknown>): Promise<SecReply | null> {
    let token: string;
    try {
      token = await this.options.tokens.accessToken();
    } catch {
      return null;
    }
    let reply = await this.post(path, token, body);
    if (reply && TOKEN_REJECTED.has(reply.errcode ?? 0)) {
      this.options.tokens.forget(token);
      try {
        token = await this.options.tokens.accessToken();
      } catch {
        return null;
      }
      reply = await this.post(path, token, body);
    }
    return reply;
  }

  private async post(path: string, token: string, body: Record<string, unknown>): Promise<SecReply | null> {
    const url = new URL(path, this.options.apiBase);
    url.searchParams.set('access_token', token);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return null;
      }
      return (await response.json()) as SecReply;
    } catch {
      return null;
    }
  }
}
