import Taro from '@tarojs/taro';
import type { DevLoginBody, LoginResult, WechatLoginBody } from '@linli/shared';
import { api, ApiError } from './api';
import { clearSession, getToken, goToLogin, saveSession } from './session';

export interface AuthOptions {
  /** `POST /auth/dev` is on (never in production). */
  devLogin: boolean;
  /** The server has WeChat credentials for code2Session. */
  wechatLogin: boolean;
}

export const isWeapp = process.env.TARO_ENV === 'weapp';

export function getAuthOptions(): Promise<AuthOptions> {
  return api.get<AuthOptions>('/auth/options');
}

export async function devLogin(openid: string): Promise<LoginResult> {
  const body: DevLoginBody = { openid: openid.trim() };
  const result = await api.post<LoginResult>('/auth/dev', body);
  saveSession(result.token, result.user);
  return result;
}

export async function wechatLogin(): Promise<LoginResult> {
  const { code } = await Taro.login();
  if (!code) throw new ApiError(0, 'UNAUTHENTICATED', '微信登录失败，请重试');
  const body: WechatLoginBody = { code };
  const result = await api.post<LoginResult>('/auth/wechat', body);
  saveSession(result.token, result.user);
  return result;
}

export function isLoggedIn(): boolean {
  return getToken() !== null;
}

export function logout(): void {
  clearSession();
}

/**
 * Makes sure there is a token. On weapp a first visit logs in silently with `Taro.login()` when the
 * server can reach WeChat; otherwise (H5, or no WeChat credentials) the login page takes over.
 */
export async function ensureSession(): Promise<boolean> {
  if (isLoggedIn()) return true;
  if (isWeapp) {
    try {
      const options = await getAuthOptions();
      if (options.wechatLogin) {
        await wechatLogin();
        return true;
      }
    } catch {
      // The toast already told the user; fall through to the login page where they can retry.
    }
  }
  goToLogin();
  return false;
}
