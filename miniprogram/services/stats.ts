import Taro from '@tarojs/taro';
import { CHINA_UTC_OFFSET_MS, chinaDay, type Me, type StatsOverview, type StatsQuery } from '@linli/shared';
import { API_BASE, ApiError, request, showError } from './api';
import { getToken } from './session';

export const DASHBOARD_PAGE = '/packages/dashboard/index';
export const BUILDING_CODES_PAGE = '/packages/dashboard/codes/index';

/** Who reads the dashboard and makes building codes from the workbench. */
export const DASHBOARD_ROLES = ['secretary', 'admin'] as const;

export function canReadDashboard(me: Pick<Me, 'roles'> | null): boolean {
  return !!me && me.roles.some((role) => (DASHBOARD_ROLES as readonly string[]).includes(role));
}

/** The nodes the user holds a secretary or admin role on (widest first, no duplicates). */
export function dashboardRootIds(me: Pick<Me, 'scopes'>): number[] {
  const ids = me.scopes.filter((scope) => (DASHBOARD_ROLES as readonly string[]).includes(scope.role)).map((scope) => scope.nodeId);
  return [...new Set(ids)];
}

export function getOverview(query: StatsQuery): Promise<StatsOverview> {
  return request<StatsOverview>('GET', '/stats/overview', { query: { nodeId: query.nodeId, from: query.from, to: query.to } });
}

/* ───────── periods (China days, `to` inclusive as the API reads a day) ───────── */

export type PeriodKey = 'this_month' | 'last_month' | 'last_30' | 'custom';
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the China day `offset` days from `day`. */
export function addDays(day: string, offset: number): string {
  return chinaDay(new Date(Date.parse(`${day}T12:00:00Z`) - CHINA_UTC_OFFSET_MS + offset * DAY_MS));
}

export function periodOf(key: Exclude<PeriodKey, 'custom'>, now = new Date()): Period {
  const today = chinaDay(now);
  const monthStart = `${today.slice(0, 8)}01`;
  if (key === 'this_month') return { from: monthStart, to: today };
  if (key === 'last_30') return { from: addDays(today, -29), to: today };
  const lastDay = addDays(monthStart, -1);
  return { from: `${lastDay.slice(0, 8)}01`, to: lastDay };
}

/* ───────── files behind the Authorization header ───────── */

function queryString(query: Record<string, string | number | undefined>): string {
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function authHeader(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function fetchBlob(path: string): Promise<{ blob: Blob; disposition: string | null }> {
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

async function weappDownload(path: string): Promise<string> {
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
 * 导出 Excel: the reports of a node and period as .xlsx. H5 saves it through an `<a download>`;
 * the mini-program downloads it and opens it (the document viewer can forward or save it).
 */
export function exportReportsXlsx(query: StatsQuery, fallbackName: string): Promise<void> {
  return saveXlsx(`/stats/reports.xlsx${queryString({ nodeId: query.nodeId, from: query.from, to: query.to })}`, fallbackName);
}

/** An .xlsx the API serves at `path` (below API_BASE), saved (H5) or opened (weapp); failures are toasted. */
export async function saveXlsx(path: string, fallbackName: string): Promise<void> {
  try {
    if (process.env.TARO_ENV === 'h5') {
      const { blob, disposition } = await fetchBlob(path);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = dispositionFilename(disposition, fallbackName);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return;
    }
    const filePath = await weappDownload(path);
    await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true });
  } catch (error) {
    showError(error);
    throw error;
  }
}

/** 一楼一码: the building's code as something an `<Image>` shows (a data URL on H5, a temp file on weapp). */
export async function buildingCodeImage(buildingId: number): Promise<string> {
  try {
    if (process.env.TARO_ENV === 'h5') {
      const { blob } = await fetchBlob(`/buildings/${buildingId}/code?format=qr`);
      return await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(new ApiError(0, 'BAD_RESPONSE', '图片读取失败'));
        reader.readAsDataURL(blob);
      });
    }
    return await weappDownload(`/buildings/${buildingId}/code?format=wxacode`);
  } catch (error) {
    showError(error);
    throw error;
  }
}

/* ───────── formatting ───────── */

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export function decimal(value: number | null, digits = 1): string {
  return value === null ? '—' : value.toFixed(digits).replace(/\.?0+$/, '');
}
