import Taro from '@tarojs/taro';
import type { GridImportBody, GridImportPreview, GridMap, LocateResult, PointStatusFilter, ReportPoints } from '@linli/shared';
import { api, ApiError, showError } from './api';

export * from './map-links';

const IMPORT_DRAFT_KEY = 'linli:grid-import-draft';

/** The map's drawing rarely changes: the server sends an ETag with it, and the app keeps it (api.ts `keep`). */
export function getGridMap(nodeId?: number): Promise<GridMap> {
  return api.get<GridMap>('/grids/map', { query: { nodeId }, keep: true });
}

/** Null where the node is above the caller's scope (they may see the map there, not the reports: 403). */
export function getReportPoints(query: { nodeId?: number; from?: string; to?: string; status?: PointStatusFilter }): Promise<ReportPoints | null> {
  return api.get<ReportPoints>('/reports/points', { query, silent: true }).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 403) return null;
    showError(error);
    throw error;
  });
}

export function locate(lat: number, lng: number): Promise<LocateResult> {
  return api.get<LocateResult>('/grids/locate', { query: { lat, lng }, silent: true });
}

export function previewGridImport(body: GridImportBody): Promise<GridImportPreview> {
  return api.post<GridImportPreview>('/grids/import?dryRun=true', body);
}

/** The admin's pasted GeoJSON, handed to the preview page (it may be large: storage, not the URL). */
export function keepImportDraft(body: unknown): void {
  Taro.setStorageSync(IMPORT_DRAFT_KEY, JSON.stringify(body));
}

export function importDraft(): GridImportBody | null {
  const text = Taro.getStorageSync<string>(IMPORT_DRAFT_KEY);
  return text ? (JSON.parse(text) as GridImportBody) : null;
}

export function dropImportDraft(): void {
  Taro.removeStorageSync(IMPORT_DRAFT_KEY);
}
