import Taro from '@tarojs/taro';
import { isErrorBody, type ErrorCode, type ErrorDetail } from '@linli/shared';
import { clearSession, getToken, goToLogin } from './session';

/** `/api/v1` on H5 (same origin as the server); an absolute URL baked in at build time on weapp. */
export const API_BASE: string = API_BASE_URL;

export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

/** A call that did not answer 2xx, carrying the contract's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: ErrorDetail[];

  constructor(status: number, code: ApiErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Don't show a toast for a failure: the caller shows the error itself. */
  silent?: boolean;
  /** A copy kept with its ETag: sent as If-None-Match, and answered as is when the server says 304. */
  revalidate?: { etag: string; cached: unknown };
  /** Keep the answer and revalidate it next time (see `kept` below): for pages the server sends an ETag with. */
  keep?: boolean;
}

function buildUrl(path: string, query?: Query): string {
  const params = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return `${API_BASE}${path}${params.length ? `?${params.join('&')}` : ''}`;
}

function errorText(error: ApiError): string {
  const first = error.details[0];
  // A field's own message is added only when it says more than the error's ("统计区间最长 366 天" once).
  return first && first.message !== error.message ? `${error.message}：${first.message}` : error.message;
}

export function showError(error: unknown): void {
  const message = error instanceof ApiError ? errorText(error) : '出错了，请稍后再试';
  void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
}

function toApiError(status: number, data: unknown): ApiError {
  if (isErrorBody(data)) {
    const { code, message, details } = data.error;
    return new ApiError(status, code, message, Array.isArray(details) ? details : []);
  }
  return new ApiError(status, status === 401 ? 'UNAUTHENTICATED' : 'BAD_RESPONSE', `服务器返回异常（${status}）`);
}

/*
 * Pages the server tags (report detail, my reports, a consultation, the map): the mini-program's request
 * has no HTTP cache, so the last answer of each URL is kept here, per user (by their token: a copy is
 * never offered under someone else's), and sent back as If-None-Match; on 304 the kept copy is shown and
 * nothing is downloaded again. In a browser (H5) its HTTP cache does the same by itself — the server
 * says `private, no-cache` and varies by Authorization — so nothing is kept twice.
 */
const KEEPS_ITSELF = process.env.TARO_ENV !== 'weapp';
const KEPT_MAX = 40;
const kept = new Map<string, { etag: string; body: unknown }>();

function keeper(method: Method, url: string, token: string | null, options: RequestOptions) {
  if (!options.keep || method !== 'GET' || KEEPS_ITSELF || options.revalidate) return null;
  const key = `${token ?? ''} ${url}`;
  const held = kept.get(key);
  return {
    revalidate: held ? { etag: held.etag, cached: held.body } : undefined,
    keep(headers: Record<string, string>, body: unknown) {
      const etag = headers.ETag ?? headers.etag;
      kept.delete(key); // re-inserted last: the oldest copies go first
      if (!etag) return;
      if (kept.size >= KEPT_MAX) kept.delete(kept.keys().next().value!);
      kept.set(key, { etag, body });
    },
  };
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const token = getToken();
  const url = buildUrl(path, options.query);
  const keeping = keeper(method, url, token, options);
  if (keeping?.revalidate) options = { ...options, revalidate: keeping.revalidate };
  const header: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  if (token) header.Authorization = `Bearer ${token}`;
  if (options.revalidate) header['If-None-Match'] = options.revalidate.etag;

  let response: { statusCode: number; data: unknown; header?: Record<string, string> };
  try {
    response = await Taro.request({
      url,
      method,
      header,
      data: options.body === undefined ? undefined : (options.body as Taro.request.Option['data']),
      dataType: 'json',
    });
  } catch {
    const error = new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络后重试');
    if (!options.silent) showError(error);
    throw error;
  }

  const { statusCode, data } = response;
  if (statusCode === 304 && options.revalidate) return options.revalidate.cached as T;
  if (statusCode >= 200 && statusCode < 300) {
    keeping?.keep(response.header ?? {}, data);
    return data as T;
  }

  const error = toApiError(statusCode, data);
  if (statusCode === 401) {
    // The token expired or was revoked: start over from the login page.
    clearSession();
    goToLogin();
  }
  if (!options.silent) showError(error);
  throw error;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  del: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};
