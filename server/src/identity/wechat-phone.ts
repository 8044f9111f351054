import { AppError } from '../platform/errors';
import type { AccessTokenSource } from '../buildings-qr/wxacode';

/** The adapter in front of WeChat's phone-number API (the mini-program's getPhoneNumber button gives a code). */
export interface PhoneNumberProvider {
  phoneNumber(code: string): Promise<string>;
}

const TOKEN_REJECTED = new Set([40001, 40014, 42001]);

interface PhoneReply {
  errcode?: number;
  errmsg?: string;
  phone_info?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string };
}

/** The real one: `POST {apiBase}/wxa/business/getuserphonenumber?access_token=…` with `{code}`. */
export class HttpPhoneNumberProvider implements PhoneNumberProvider {
  constructor(private readonly options: { apiBase: string; tokens: AccessTokenSource; timeoutMs?: number }) {}

  async phoneNumber(code: string): Promise<string> {
    let token = await this.token();
    let reply = await this.post(token, code);
    if (reply.errcode && TOKEN_REJECTED.has(reply.errcode)) {
      this.options.tokens.forget(token);
      token = await this.token();
      reply = await this.post(token, code);
    }
    if (reply.errcode === 40029) throw new AppError('VALIDATION_FAILED', '手机号授权码无效或已过期，请重新授权', [{ path: 'body.code', message: '授权码无效或已过期' }]);
    if (reply.errcode) throw new AppError('UPSTREAM_UNAVAILABLE', `获取手机号失败（${reply.errcode}），请稍后再试`);
    const phone = reply.phone_info?.purePhoneNumber;
    if (!phone || reply.phone_info?.countryCode !== '86') throw new AppError('VALIDATION_FAILED', '仅支持中国大陆手机号', [{ path: 'body.code', message: '仅支持中国大陆手机号' }]);
    return phone;
  }

  private async token(): Promise<string> {
    try {
      return await this.options.tokens.accessToken();
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法连接微信，请稍后再试');
    }
  }

  private async post(token: string, code: string): Promise<PhoneReply> {
    const url = new URL('/wxa/business/getuserphonenumber', this.options.apiBase);
    url.searchParams.set('access_token', token);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法连接微信，请稍后再试');
    }
    if (!response.ok) throw new AppError('UPSTREAM_UNAVAILABLE', `微信返回 HTTP ${response.status}，请稍后再试`);
    try {
      return (await response.json()) as PhoneReply;
    } catch {
      throw new AppError('UPSTREAM_UNAVAILABLE', '微信服务返回了无法识别的内容');
    }
  }
}

/**
 * For development without an AppID (H5, dev login): the "code" is `dev-phone-<11 digits>`, standing for
 * the number WeChat would confirm. Never used when WeChat is configured.
 */
export class DevPhoneNumberProvider implements PhoneNumberProvider {
  async phoneNumber(code: string): Promise<string> {
    const match = /^dev-phone-(1\d{10})$/.exec(code);
    if (!match) throw new AppError('VALIDATION_FAILED', '开发环境的手机号授权码形如 dev-phone-13800000000', [{ path: 'body.code', message: '授权码格式不对' }]);
    return match[1];
  }
}
