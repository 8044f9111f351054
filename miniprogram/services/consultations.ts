import type { z } from 'zod';
import type {
  consultationActionBodies,
  ConsultationAction,
  ConsultationDetail,
  ConsultationStatus,
  ConsultationSummary,
  CreateConsultationBody,
  Page,
} from '@linli/shared';
import { CONSULTATION_ACTION_PATHS } from '@linli/shared';
import { api, ApiError, request } from './api';

export const CONSULT_TAB_PAGE = '/pages/consult/index';
export const CONSULT_NEW_PAGE = '/packages/consult/new/index';
export const CONSULT_DETAIL_PAGE = '/packages/consult/detail/index';
export const CONSULT_REVIEW_PAGE = '/packages/workbench/consult/index';

export const consultDetailUrl = (id: number) => `${CONSULT_DETAIL_PAGE}?id=${id}`;

/** Not in @linli/shared: the body of one action as its request schema accepts it (without `version`, added here). */
export type ConsultationActionBody<A extends ConsultationAction> = Omit<z.input<(typeof consultationActionBodies)[A]>, 'version'>;
export type ConsultationListItem = ConsultationSummary;
export type ConsultationPage = Page<ConsultationListItem>;

/** Actions whose body carries the consultation's version (comments and votes are not state changes). */
const VERSIONED: ConsultationAction[] = ['cosign', 'withdraw', 'approve', 'reject', 'close', 'implement', 'progress', 'complete'];

export interface ConsultationListQuery {
  scope: 'eligible' | 'mine' | 'queue';
  status?: ConsultationStatus;
  cursor?: string;
  limit?: number;
}

export function listConsultations(query: ConsultationListQuery): Promise<ConsultationPage> {
  return api.get<ConsultationPage>('/consultations', {
    query: { scope: query.scope, status: query.status, cursor: query.cursor, limit: query.limit ?? 20 },
  });
}

/** `silent` for background refreshes: a failed poll says nothing. */
export function getConsultation(id: number, options: { silent?: boolean } = {}): Promise<ConsultationDetail> {
  return api.get<ConsultationDetail>(`/consultations/${id}`, { silent: options.silent, keep: true });
}

export function createConsultation(body: CreateConsultationBody): Promise<ConsultationDetail> {
  return api.post<ConsultationDetail>('/consultations', body);
}

/**
 * One action on a consultation. State changes carry its `version`; a 409 (someone acted first, voting
 * closed) is left to the caller, which reloads and says so.
 */
export function runConsultationAction<A extends ConsultationAction>(
  consultation: Pick<ConsultationDetail, 'id' | 'version'>,
  action: A,
  body: ConsultationActionBody<A>,
): Promise<ConsultationDetail> {
  const payload = VERSIONED.includes(action) ? { ...body, version: consultation.version } : body;
  return request<ConsultationDetail>('POST', `/consultations/${consultation.id}/${CONSULTATION_ACTION_PATHS[action]}`, { body: payload, silent: true });
}

export function hideComment(consultationId: number, commentId: number, reason: string): Promise<ConsultationDetail> {
  return request<ConsultationDetail>('POST', `/consultations/${consultationId}/comments/${commentId}/hide`, { body: { reason }, silent: true });
}

/** Someone else changed the consultation first, or the state moved on (e.g. voting closed). */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'INVALID_TRANSITION');
}

/** Share of households that voted, 0–100. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.round((part / whole) * 100));
}

/** 剩 3天 4小时 / 剩 25分钟 / 已截止. */
export function timeLeft(iso: string | null, now = Date.now()): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return '已截止';
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `剩 ${days}天${hours ? ` ${hours}小时` : ''}`;
  if (hours > 0) return `剩 ${hours}小时 ${minutes % 60}分钟`;
  return `剩 ${Math.max(1, minutes)}分钟`;
}
