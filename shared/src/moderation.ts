import { z } from 'zod';
import { pageQuery } from './pagination';

/**
 * Content moderation (内容审核). Every resident's text and image passes a check before anyone else
 * sees it. A piece of content is in one of these states:
 * - `clear`: passed; everyone who may see its subject sees it.
 * - `pending`: the text passed but an image check has not answered yet (WeChat checks images
 *   asynchronously); only the author and the reviewers see it.
 * - `held`: flagged, waiting for a reviewer (a secretary or admin over its place); author and reviewers only.
 * - `removed`: a reviewer removed it, with a reason the author sees.
 * Flagged content is never dropped silently: it waits in the reviewers' queue until someone decides.
 */
export const MODERATION_STATES = ['clear', 'pending', 'held', 'removed'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];

/** What a check says, in WeChat's words (msgSecCheck v2 `result.suggest`). */
export type ModerationSuggest = 'pass' | 'review' | 'risky';

/** What can be held: a report (description, address, photos), a rating's comment, a consultation (title, description), a comment. */
export const MODERATION_SUBJECTS = ['report', 'report_rating', 'consultation', 'consultation_comment'] as const;
export type ModerationSubject = (typeof MODERATION_SUBJECTS)[number];

export const MODERATION_SUBJECT_LABELS: Record<ModerationSubject, string> = {
  report: '说事',
  report_rating: '说事评价',
  consultation: '议题',
  consultation_comment: '议事评论',
};

/**
 * Where an image's own check stands, for content a staff member publishes with it (a reward's
 * picture): `passed` images are shown to residents; `checking` (no verdict yet) and `refused`
 * (WeChat flagged it) are not, and the person who set the picture sees why.
 */
export const IMAGE_REVIEWS = ['checking', 'passed', 'refused'] as const;
export type ImageReview = (typeof IMAGE_REVIEWS)[number];

export const IMAGE_REVIEW_LABELS: Record<ImageReview, string> = {
  checking: '图片检测中，通过后居民可见',
  passed: '图片已通过检测',
  refused: '图片未通过检测，居民看不到，请换一张',
};

/** A case's life: pending (images still being checked) → held → released | removed; pending may also pass by itself. */
export const MODERATION_CASE_STATUSES = ['pending', 'held', 'released', 'removed'] as const;
export type ModerationCaseStatus = (typeof MODERATION_CASE_STATUSES)[number];

export const MODERATION_CASE_STATUS_LABELS: Record<ModerationCaseStatus, string> = {
  pending: '图片检测中',
  held: '待审核',
  released: '已通过',
  removed: '已移除',
};

/** WeChat's content labels (msgSecCheck / mediaCheckAsync v2), and ours for the local word list. */
export const MODERATION_LABELS: Record<number, string> = {
  100: '正常',
  10001: '广告',
  20001: '时政',
  20002: '色情',
  20003: '辱骂',
  20006: '违法犯罪',
  20008: '欺诈',
  20012: '低俗',
  20013: '版权',
  21000: '其他',
};

export function moderationLabelName(label: number): string {
  return MODERATION_LABELS[label] ?? '其他';
}

export interface ModerationFinding {
  /** `text` or the URL of the image */
  target: string;
  suggest: ModerationSuggest;
  label: string;
  /** Who said so: `wechat` or `wordlist`. */
  source: string;
  /** Words of the local list that matched (never WeChat's, which it does not disclose). */
  words?: string[];
}

export interface ModerationCaseView {
  id: number;
  status: ModerationCaseStatus;
  version: number;
  subjectType: ModerationSubject;
  subjectId: number;
  /** The report of a rating, or the consultation of a comment, so the app can open it. */
  parentId: number | null;
  author: { id: number; nickname: string };
  /** Where the content belongs: the grid node's names from the top. */
  place: string;
  text: string;
  photos: string[];
  findings: ModerationFinding[];
  decidedBy: { id: number; nickname: string } | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

export const listModerationCasesQuery = pageQuery.extend({
  status: z.enum(MODERATION_CASE_STATUSES).optional(),
});
export type ListModerationCasesQuery = z.infer<typeof listModerationCasesQuery>;

export interface ModerationQueueCounts {
  pending: number;
  held: number;
}

const version = z.number().int().min(0).optional();

export const releaseModerationCaseBody = z.object({ note: z.string().trim().max(200).optional(), version });
export const removeModerationCaseBody = z.object({ reason: z.string().trim().min(2, '请写明移除理由').max(200), version });
export type ReleaseModerationCaseBody = z.infer<typeof releaseModerationCaseBody>;
export type RemoveModerationCaseBody = z.infer<typeof removeModerationCaseBody>;

/** What the author reads about their own content while it is not public. */
export const MODERATION_NOTICES: Record<Exclude<ModerationState, 'clear'>, string> = {
  pending: '图片正在检测，通过后其他人可见',
  held: '内容需要人工审核，审核通过后其他人可见',
  removed: '内容未通过审核',
};

/** How long a person waits: what the author is told (the reviewers' promise, kept in one place). */
export const REVIEW_WITHIN_TEXT = '社区工作人员一般在 1 个工作日内审核完';
/** An image WeChat has not judged within this long goes to a person (ModerationService's default). */
export const IMAGE_CHECK_MINUTES = 30;

/**
 * What the author reads while their content waits, by what it is: that nothing happens to it until the
 * review is done (a report is not handled, a proposal not co-signed), and how long that takes.
 */
export function moderationNoticeFor(subject: 'report' | 'consultation' | 'comment', state: Exclude<ModerationState, 'clear'>): string {
  if (state === 'removed') return MODERATION_NOTICES.removed;
  const after = { report: '网格员才会看到并开始办理', consultation: '邻居才能看到并联名支持', comment: '邻居才能看到' }[subject];
  if (state === 'pending') return `图片正在自动检测，一般几分钟，最长 ${IMAGE_CHECK_MINUTES} 分钟后转人工审核；通过后${after}。`;
  return `内容需要人工审核，审核通过后${after}。${REVIEW_WITHIN_TEXT}。`;
}
