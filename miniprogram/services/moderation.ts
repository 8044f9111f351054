import Taro from '@tarojs/taro';
import {
  MODERATION_NOTICES,
  type ModerationCaseStatus,
  type ModerationCaseView,
  type ModerationQueueCounts,
  type ModerationState,
  type Page,
  type ReleaseModerationCaseBody,
  type RemoveModerationCaseBody,
} from '@linli/shared';
import { api, request } from './api';
import { consultDetailUrl } from './consultations';
import { reportDetailUrl } from './reports';

export const MODERATION_PAGE = '/packages/workbench/moderation/index';

/**
 * Says a resident's report, proposal or comment was sent; one that waits for review (or an image
 * check) says so instead of plain success: nobody else sees it yet.
 */
export function toastSubmitted(content: { moderation: ModerationState }, done: string): void {
  if (content.moderation === 'clear') void Taro.showToast({ title: done, icon: 'success' });
  else void Taro.showToast({ title: MODERATION_NOTICES[content.moderation], icon: 'none', duration: 3500 });
}

export type ModerationCasePage = Page<ModerationCaseView> & { counts: ModerationQueueCounts };

export interface ModerationCaseQuery {
  status?: ModerationCaseStatus;
  cursor?: string | null;
  limit?: number;
}

/** 内容审核: held and pending content in the reviewer's scope, newest first, with the open counts. */
export function listModerationCases(query: ModerationCaseQuery, options: { silent?: boolean } = {}): Promise<ModerationCasePage> {
  return api.get<ModerationCasePage>('/moderation/cases', {
    query: { status: query.status, cursor: query.cursor ?? undefined, limit: query.limit ?? 20 },
    silent: options.silent,
  });
}

/** Carries the case's `version`; a 409 (another reviewer decided first) is left to the caller, which refreshes. */
export function releaseCase(item: Pick<ModerationCaseView, 'id' | 'version'>, note?: string): Promise<ModerationCaseView> {
  const body: ReleaseModerationCaseBody = { version: item.version, ...(note ? { note } : {}) };
  return request<ModerationCaseView>('POST', `/moderation/cases/${item.id}/release`, { body, silent: true });
}

export function removeCase(item: Pick<ModerationCaseView, 'id' | 'version'>, reason: string): Promise<ModerationCaseView> {
  const body: RemoveModerationCaseBody = { reason, version: item.version };
  return request<ModerationCaseView>('POST', `/moderation/cases/${item.id}/remove`, { body, silent: true });
}

/** The page of the case's subject: a rating opens its report, a comment its consultation. */
export function caseSubjectUrl(item: Pick<ModerationCaseView, 'subjectType' | 'subjectId' | 'parentId'>): string {
  switch (item.subjectType) {
    case 'report':
      return reportDetailUrl(item.subjectId);
    case 'report_rating':
      return reportDetailUrl(item.parentId ?? item.subjectId);
    case 'consultation':
      return consultDetailUrl(item.subjectId);
    case 'consultation_comment':
      return consultDetailUrl(item.parentId ?? item.subjectId);
  }
}
