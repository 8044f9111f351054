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
  /** Receives the response's headers (to keep an ETag). */
  onHeaders?: (headers: Record<string, string>) => void;
}

function buildUrl(path: string, query?: Query): string {
  const params = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return `${API_BASE}${path}${params.length ? `?${params.join('&')}` : ''}`;
}

function errorText(error: ApiError): string {
  const first = error.details[0];
  return first ? `${error.message}：${first.message}` : error.message;
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

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const token = getToken();
  const header: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  if (token) header.Authorization = `Bearer ${token}`;
  if (options.revalidate) header['If-None-Match'] = options.revalidate.etag;

  let response: { statusCode: number; data: unknown; header?: Record<string, string> };
  try {
    response = await Taro.request({
      url: buildUrl(path, options.query),
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
  options.onHeaders?.(response.header ?? {});
  if (statusCode >= 200 && statusCode < 300) return data as T;

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
