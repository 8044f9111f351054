import Taro from '@tarojs/taro';
import {
  moderationNoticeFor,
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
 * check) says so in a dialog instead of plain success: nothing happens to it until the review is done
 * (a report is not handled), and how long that takes.
 */
export function toastSubmitted(content: { moderation: ModerationState }, done: string, subject: 'report' | 'consultation' | 'comment' = 'report'): void {
  if (content.moderation === 'clear') void Taro.showToast({ title: done, icon: 'success' });
  else void Taro.showModal({ title: '已提交，等待审核', content: moderationNoticeFor(subject, content.moderation), showCancel: false, confirmText: '知道了', confirmColor: '#c23b17' });
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
