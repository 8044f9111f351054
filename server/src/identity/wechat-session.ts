import { AppError, unauthenticated } from '../platform/errors';

/** What WeChat's code2Session gives for a `wx.login` code. */
export interface WeChatSession {
  openid: string;
  unionid: string | null;
  /** Stays on the server: it decrypts the user's signed data (phone number) later. */
  sessionKey: string;
}

/** The adapter in front of WeChat's login API. */
export interface WeChatSessionProvider {
  code2Session(code: string): Promise<WeChatSession>;
}

interface Code2SessionReply {
  openid?: string;
  session_key?: string;
  unionid?: string;
  errcode?: number;
  errmsg?: string;
}

/**
 * The real one: `GET {apiBase}/sns/jscode2session`. `apiBase` is WeChat's
 * (https://api.weixin.qq.com) in production and a local fake server in tests.
 */
export class HttpWeChatSessionProvider implements WeChatSessionProvider {
  constructor(
    private readonly options: { appId: string; secret: string; apiBase: string; timeoutMs?: number },
  ) {}

  async code2Session(code: string): Promise<WeChatSession> {
    const url = new URL('/sns/jscode2session', this.options.apiBase);
    url.search = new URLSearchParams({
      appid: this.options.appId,
      secret: this.options.secret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString();
    const reply = await this.fetchJson(url);
    if (reply.errcode) throw mapWeChatError(reply.errcode);
    if (!reply.openid || !reply.session_key) throw upstream('微信登录返回内容不完整');
    return { openid: reply.openid, unionid: reply.unionid ?? null, sessionKey: reply.session_key };
  }

  private async fetchJson(url: URL): Promise<Code2SessionReply> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch {
      throw upstream('暂时无法连接微信服务，请稍后再试');
    }
    if (!response.ok) throw upstream(`微信服务返回 ${response.status}`);
    try {
      return (await response.json()) as Code2SessionReply;
    } catch {
      throw upstream('微信服务返回了无法识别的内容');
    }
  }
}

/** WeChat's documented errcodes for code2Session. */
function mapWeChatError(errcode: number): AppError {
  if (errcode === 40029 || errcode === 40163) return unauthenticated('登录码无效或已使用，请重新登录');
  if (errcode === 45011) return new AppError('RATE_LIMITED', '登录过于频繁，请稍后再试');
  if (errcode === 40226) return new AppError('FORBIDDEN', '该微信账号已被限制登录');
  return upstream(`微信登录失败（${errcode}）`);
}

function upstream(message: string): AppError {
  return new AppError('UPSTREAM_UNAVAILABLE', message);
}

/**
 * For development without an AppID: WeChat DevTools still hands out codes, and each one maps to a
 * stable dev openid so that repeated logins reach the same user.
 */
export class DevWeChatSessionProvider implements WeChatSessionProvider {
  async code2Session(_code: string): Promise<WeChatSession> {
    return { openid: 'dev-wechat-user', unionid: null, sessionKey: 'dev-session-key' };
  }
}
