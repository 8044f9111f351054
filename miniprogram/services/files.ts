import Taro from '@tarojs/taro';
import { API_BASE, ApiError, showError } from './api';
import { getToken } from './session';

/* ───────── files behind the Authorization header ───────── */

export function queryString(query: Record<string, string | number | undefined>): string {
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function authHeader(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function fetchBlob(path: string): Promise<{ blob: Blob; disposition: string | null }> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { headers: authHeader() });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络后重试');
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(response.status, (error?.code as ApiError['code']) ?? 'BAD_RESPONSE', error?.message ?? `服务器返回异常（${response.status}）`);
  }
  return { blob: await response.blob(), disposition: response.headers.get('Content-Disposition') };
}

/** The file name from `Content-Disposition` (RFC 5987 `filename*` first). */
export function dispositionFilename(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

export async function weappDownload(path: string): Promise<string> {
  let result: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    result = await Taro.downloadFile({ url: `${API_BASE}${path}`, header: authHeader() });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络后重试');
  }
  if (result.statusCode < 200 || result.statusCode >= 300) throw new ApiError(result.statusCode, 'BAD_RESPONSE', `下载失败（${result.statusCode}）`);
  return result.tempFilePath;
}

/**
 * A code to scan, served at `path?format=…`, as something an `<Image>` shows: on H5 a QR of the H5 link
 * (a data URL), on weapp the mini-program code (a temp file). 一楼一码 and the owners' invites.
 */
export async function scanCodeImage(path: string): Promise<string> {
  try {
    if (process.env.TARO_ENV === 'h5') {
      const { blob } = await fetchBlob(`${path}?format=qr`);
      return await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(new ApiError(0, 'BAD_RESPONSE', '图片读取失败'));
        reader.readAsDataURL(blob);
      });
    }
    return await weappDownload(`${path}?format=wxacode`);
  } catch (error) {
    showError(error);
    throw error;
  }
}
