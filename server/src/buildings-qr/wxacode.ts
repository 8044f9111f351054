import QRCode from 'qrcode';
import { AppError } from '../platform/errors';

/** What a mini-program code opens: `page` with `scene` (≤ 32 characters) handed to it. */
export interface WxaCodeRequest {
  scene: string;
  page: string;
  /** false: the page need not be published yet (trial builds). */
  checkPath: boolean;
}

export interface CodeImage {
  contentType: string;
  image: Buffer;
}

/** One adapter per way of making a mini-program code (Medusa-style provider): WeChat, or dev. */
export interface WxaCodeProvider {
  readonly name: string;
  getUnlimited(request: WxaCodeRequest): Promise<CodeImage>;
}

/** The access token source: the subscription-message provider's cached stable-token client. */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  forget(token: string): void;
}

/** errcodes of an access token WeChat no longer accepts: fetch the current one and try once more. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);

/**
 * The real one: `POST {apiBase}/wxa/getwxacodeunlimit?access_token=…` with `{scene, page, check_path}`.
 * WeChat answers the image itself, or JSON `{errcode, errmsg}` on failure (503 UPSTREAM_UNAVAILABLE here).
 */
export class HttpWxaCodeProvider implements WxaCodeProvider {
  readonly name = 'wechat';

  constructor(private readonly options: { apiBase: string; tokens: AccessTokenSource; timeoutMs?: number }) {}

  async getUnlimited(request: WxaCodeRequest): Promise<CodeImage> {
    let token = await this.token();
    let result = await this.post(token, request);
    if ('errcode' in result && TOKEN_REJECTED.has(result.errcode)) {
      this.options.tokens.forget(token);
      token = await this.token();
      result = await this.post(token, request);
    }
    if ('errcode' in result) throw new AppError('UPSTREAM_UNAVAILABLE', `微信小程序码生成失败（${result.errcode}），请稍后再试`);
    return result;
  }

  private async token(): Promise<string> {
    try {
      return await this.options.tokens.accessToken();
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法连接微信，请稍后再试');
    }
  }

  private async post(token: string, request: WxaCodeRequest): Promise<CodeImage | { errcode: number; errmsg: string }> {
    const url = new URL('/wxa/getwxacodeunlimit', this.options.apiBase);
    url.searchParams.set('access_token', token);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scene: request.scene, page: request.page, check_path: request.checkPath }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法连接微信，请稍后再试');
    }
    const body = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok) throw new AppError('UPSTREAM_UNAVAILABLE', `微信返回 HTTP ${response.status}，请稍后再试`);
    if (contentType.startsWith('image/')) return { contentType: contentType.split(';')[0], image: body };
    try {
      const reply = JSON.parse(body.toString('utf8')) as { errcode?: number; errmsg?: string };
      return { errcode: reply.errcode ?? -1, errmsg: reply.errmsg ?? '' };
    } catch {
      return { errcode: -1, errmsg: 'not an image' };
    }
  }
}

/** QR options shared by the H5 code and the dev stand-in, so tests can rebuild the same image. */
export const QR_OPTIONS = { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 480 } as const;

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, QR_OPTIONS);
}

/** Without an AppID: a plain QR code of what the real code would open (`page?scene=…`). */
export class DevWxaCodeProvider implements WxaCodeProvider {
  readonly name = 'dev';

  async getUnlimited(request: WxaCodeRequest): Promise<CodeImage> {
    return { contentType: 'image/png', image: await qrPng(`${request.page}?scene=${encodeURIComponent(request.scene)}`) };
  }
}
