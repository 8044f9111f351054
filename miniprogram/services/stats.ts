import Taro from '@tarojs/taro';
import { addDays, chinaDay, type Me, type StatsOverview, type StatsQuery } from '@linli/shared';
import { API_BASE, ApiError, request, showError } from './api';
import { dispositionFilename, fetchBlob, queryString, scanCodeImage, weappDownload } from './files';
import { getToken } from './session';

export const DASHBOARD_PAGE = '/packages/dashboard/index';
export const BUILDING_CODES_PAGE = '/packages/dashboard/codes/index';

export function getOverview(query: StatsQuery): Promise<StatsOverview> {
  return request<StatsOverview>('GET', '/stats/overview', { query: { nodeId: query.nodeId, from: query.from, to: query.to } });
}

/* ───────── periods (China days, `to` inclusive as the API reads a day) ───────── */

export type PeriodKey = 'this_month' | 'last_month' | 'last_30' | 'custom';
export interface Period {
  from: string;
  to: string;
}

export function periodOf(key: Exclude<PeriodKey, 'custom'>, now = new Date()): Period {
  const today = chinaDay(now);
  const monthStart = `${today.slice(0, 8)}01`;
  if (key === 'this_month') return { from: monthStart, to: today };
  if (key === 'last_30') return { from: addDays(today, -29), to: today };
  const lastDay = addDays(monthStart, -1);
  return { from: `${lastDay.slice(0, 8)}01`, to: lastDay };
}

/**
 * 导出 Excel: the reports of a node and period as .xlsx. H5 saves it through an `<a download>`;
 * the mini-program downloads it and opens it (the document viewer can forward or save it).
 */
export function exportReportsXlsx(query: StatsQuery, fallbackName: string): Promise<void> {
  return downloadFile(`/stats/reports.xlsx${queryString({ nodeId: query.nodeId, from: query.from, to: query.to })}`, 'xlsx', fallbackName);
}

/** An .xlsx the API serves at `path` (below API_BASE), saved (H5) or opened (weapp); failures are toasted. */
export const saveXlsx = (path: string, fallbackName: string) => downloadFile(path, 'xlsx', fallbackName);

/**
 * A file of the API (an export, a 协议书): H5 saves it through an `<a download>`; the mini-program
 * downloads it and opens it in WeChat's document viewer (which can forward, print or save it).
 */
export async function downloadFile(path: string, fileType: 'xlsx' | 'docx', fallbackName: string): Promise<void> {
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
    await Taro.openDocument({ filePath, fileType, showMenu: true });
  } catch (error) {
    showError(error);
    throw error;
  }
}

/** 一楼一码: the building's code as something an `<Image>` shows (a data URL on H5, a temp file on weapp). */
export function buildingCodeImage(buildingId: number): Promise<string> {
  return scanCodeImage(`/buildings/${buildingId}/code`);
}

/** Whether this app can open the whole print sheet (a page to print needs a PC browser, i.e. H5). */
export const canPrintCodeSheet = process.env.TARO_ENV === 'h5';

/**
 * 打印全部楼栋码 (H5): the community's A4 sheet, one page per building, opened in a new tab to print.
 * Fetched with the session's token (a plain link would carry none), shown from a blob URL.
 */
export async function openBuildingCodeSheet(nodeId: number): Promise<void> {
  try {
    const { blob } = await fetchBlob(`/grids/${nodeId}/building-codes?format=qr`);
    const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
    const opened = window.open(url, '_blank');
    if (!opened) window.location.href = url;
  } catch (error) {
    showError(error);
  }
}

/* ───────── formatting ───────── */

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export function decimal(value: number | null, digits = 1): string {
  return value === null ? '—' : value.toFixed(digits).replace(/\.?0+$/, '');
}
