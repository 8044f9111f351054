import {
  type CannedReply,
  type CannedReplyKind,
  type CreateCannedReplyBody,
  type CreateReportBody,
  type Department,
  type ListReportsQuery,
  type ReportAction,
  type ReportActionBody,
  type ReportCategory,
  type ReportDetail,
  type ReportListPage,
  type ReportAssignee,
  type ReportSummary,
  REPORT_ACTION_PATHS,
} from '@linli/shared';
import { api, ApiError, request, showError, type RequestOptions } from './api';
import { callNumber } from './residents';

export const REPORT_DETAIL_PAGE = '/packages/reports/detail/index';
export const MY_REPORTS_PAGE = '/packages/reports/mine/index';
export const INBOX_PAGE = '/packages/reports/inbox/index';
export const FILE_ON_BEHALF_PAGE = '/packages/workbench/file/index';

export const reportDetailUrl = (id: number) => `${REPORT_DETAIL_PAGE}?id=${id}`;

export type ReportPage = ReportListPage;
export type Assignee = ReportAssignee;

let categoriesCache: Promise<ReportCategory[]> | null = null;

/** Categories change rarely: fetched once per app run (again after a failure). */
export function listCategories(): Promise<ReportCategory[]> {
  if (!categoriesCache) {
    categoriesCache = api.get<{ items: ReportCategory[] }>('/report-categories').then((page) => page.items);
    categoriesCache.catch(() => {
      categoriesCache = null;
    });
  }
  return categoriesCache;
}

export function listDepartments(): Promise<Department[]> {
  return api.get<{ items: Department[] }>('/departments').then((page) => page.items);
}

/** A random UUID v4: the Idempotency-Key of one draft (weapp has no crypto.randomUUID). */
export function newIdempotencyKey(): string {
  const hex = '0123456789abcdef';
  let out = '';
  for (let i = 0; i < 36; i += 1) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += hex[8 + Math.floor(Math.random() * 4)];
    else out += hex[Math.floor(Math.random() * 16)];
  }
  return out;
}

const RETRY_DELAYS_MS = [1000, 2000, 4000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Worth sending again: the request may not have arrived, or a proxy in between failed. */
function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'NETWORK_ERROR' || [502, 503, 504].includes(error.status));
}

/**
 * `POST /reports` that survives a flaky network: retried up to 3 times with backoff under the SAME
 * Idempotency-Key, so the server files it once however many attempts arrive.
 */
export async function createReport(body: CreateReportBody, idempotencyKey: string): Promise<ReportDetail> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await request<ReportDetail>('POST', '/reports', { body, headers: { 'Idempotency-Key': idempotencyKey }, silent: true });
    } catch (error) {
      if (isTransient(error) && attempt < RETRY_DELAYS_MS.length) {
        await sleep(RETRY_DELAYS_MS[attempt]);
        continue;
      }
      showError(error);
      throw error;
    }
  }
}

/** The query as sent: the cursor is the page's `nextCursor` as the server wrote it (the server decodes it). */
export type ReportListQuery = Partial<Omit<ListReportsQuery, 'overdue' | 'dueSoon' | 'cursor'>> & { overdue?: boolean; dueSoon?: boolean; cursor?: string };

export function listReports(query: ReportListQuery): Promise<ReportPage> {
  return api.get<ReportPage>('/reports', {
    query: {
      scope: query.scope ?? 'mine',
      status: query.status,
      overdue: query.overdue ? 'true' : undefined,
      dueSoon: query.dueSoon ? 'true' : undefined,
      categoryCode: query.categoryCode,
      q: query.q?.trim() || undefined,
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit ?? 20,
    },
    // My reports come back tagged (the others untagged: nothing is kept for them).
    keep: (query.scope ?? 'mine') === 'mine',
  });
}

export function nearbyReports(location: { lat: number; lng: number }, categoryCode: string): Promise<ReportSummary[]> {
  return api
    .get<{ items: ReportSummary[] }>('/reports/nearby', { query: { lat: location.lat, lng: location.lng, categoryCode }, silent: true })
    .then((page) => page.items);
}

export function getReport(id: number, options: RequestOptions = {}): Promise<ReportDetail> {
  return api.get<ReportDetail>(`/reports/${id}`, { keep: true, ...options });
}

export function listAssignees(id: number): Promise<Assignee[]> {
  return api.get<{ items: Assignee[] }>(`/reports/${id}/assignees`).then((page) => page.items);
}

/**
 * One step of the loop. Carries the report's `version`; a 409 CONFLICT or INVALID_TRANSITION
 * (someone acted first) is left to the caller, which reloads and says so.
 */
export function runReportAction<A extends ReportAction>(
  report: Pick<ReportDetail, 'id' | 'version'>,
  action: A,
  body: Omit<ReportActionBody<A>, 'version'>,
): Promise<ReportDetail> {
  return request<ReportDetail>('POST', `/reports/${report.id}/${REPORT_ACTION_PATHS[action]}`, { body: { ...body, version: report.version }, silent: true });
}

/** Someone else changed the report first. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'INVALID_TRANSITION');
}

/** Tap-to-call the reporter: the full number is revealed only now, and the server audits the request. */
export const callReporter = (reportId: number) => callNumber(() => api.post<{ phone: string | null }>(`/reports/${reportId}/reporter/phone`, {}, { silent: true }));

/** 常用语 of the community a report lies in (any node of it answers), of one kind. */
export function listCannedReplies(nodeId: number, kind: CannedReplyKind): Promise<CannedReply[]> {
  return api.get<{ items: CannedReply[] }>('/canned-replies', { query: { nodeId, kind }, silent: true }).then((page) => page.items);
}

export const CANNED_REPLIES_PAGE = '/packages/workbench/canned/index';

/** Silent: the page shows the server's objection in its form. */
export function addCannedReply(body: CreateCannedReplyBody): Promise<CannedReply> {
  return api.post<CannedReply>('/canned-replies', body, { silent: true });
}

export function updateCannedReply(id: number, text: string): Promise<CannedReply> {
  return api.put<CannedReply>(`/canned-replies/${id}`, { text }, { silent: true });
}

export function removeCannedReply(id: number): Promise<void> {
  return request<void>('DELETE', `/canned-replies/${id}`);
}
