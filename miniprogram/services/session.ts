import Taro from '@tarojs/taro';
import type { Me } from '@linli/shared';

const TOKEN_KEY = 'linli.token';
const USER_KEY = 'linli.user';

export const LOGIN_PAGE = '/pages/login/index';
export const HOME_PAGE = '/pages/index/index';

export function getToken(): string | null {
  const token: unknown = Taro.getStorageSync(TOKEN_KEY);
  return typeof token === 'string' && token.length > 0 ? token : null;
}

export function getCachedUser(): Me | null {
  const user: unknown = Taro.getStorageSync(USER_KEY);
  return user && typeof user === 'object' ? (user as Me) : null;
}

export function saveSession(token: string, user: Me): void {
  Taro.setStorageSync(TOKEN_KEY, token);
  Taro.setStorageSync(USER_KEY, user);
}

export function saveUser(user: Me): void {
  Taro.setStorageSync(USER_KEY, user);
}

export function clearSession(): void {
  Taro.removeStorageSync(TOKEN_KEY);
  Taro.removeStorageSync(USER_KEY);
}

function currentRoute(): string | null {
  const pages = Taro.getCurrentPages();
  const page = pages[pages.length - 1];
  return page?.route ? `/${page.route.replace(/^\//, '')}` : null;
}

let redirecting = false;

/** Leaves whatever page is open for the login page (once, however many calls fail together). */
export function goToLogin(): void {
  if (redirecting || currentRoute() === LOGIN_PAGE) return;
  redirecting = true;
  Taro.reLaunch({ url: LOGIN_PAGE }).finally(() => {
    redirecting = false;
  });
}
