import { z } from 'zod';
import { pageQuery } from './pagination';
import type { ImageReview } from './moderation';

/* ───────────── the rules that earn civility points (文明积分) ───────────── */

export const POINT_RULE_CODES = ['report_closed', 'proposal_approved', 'vote', 'comment', 'volunteer_hour', 'good_deed'] as const;
export type PointRule = (typeof POINT_RULE_CODES)[number];

export interface PointRuleConfig {
  label: string;
  /** Points of one award; null when the caller says how many (good deed, volunteer hours). */
  points: number | null;
  /** At most this many awards of the rule per user and (China) day; null = no cap. */
  dailyCap: number | null;
}

/**
 * Configurable in one place. Each award is unique per (user, rule, source), so a retry never pays twice:
 * report_closed — the reporter, when a report closes rated ≥ 3 or by itself (source: report id);
 * proposal_approved — the proposer (source: consultation id); vote — once per consultation;
 * comment — per comment, at most 3 a day;
 * volunteer_hour — per claim on a COMMUNITY-funded task confirmed by staff (a secretary over the task's
 *   place), POINTS_PER_VOLUNTEER_HOUR for each credited hour (see `volunteerPoints` in timebank.ts).
 *   A resident-funded task moves hours from the poster to the volunteer and earns no points, nor does a
 *   claim that settled by itself: points for volunteering are issued only where staff vouch for the work,
 *   so no loop between residents can create them;
 * good_deed — a secretary's award with a note: never to themselves or their own household, at most
 *   POINTS_AWARD_MAX at once and POINTS_AWARD_MONTHLY_MAX per secretary and China month (server config).
 */
export const POINT_RULES: Record<PointRule, PointRuleConfig> = {
  report_closed: { label: '说事办结', points: 5, dailyCap: null },
  proposal_approved: { label: '议题通过审议', points: 10, dailyCap: null },
  vote: { label: '参与议事表决', points: 1, dailyCap: null },
  comment: { label: '参与议事讨论', points: 1, dailyCap: 3 },
  volunteer_hour: { label: '志愿服务', points: null, dailyCap: null },
  good_deed: { label: '好人好事', points: null, dailyCap: null },
};
export const POINTS_PER_VOLUNTEER_HOUR = 10;
/** The most any configuration lets a secretary award at once (POINTS_AWARD_MAX is at most this). */
export const MAX_GOOD_DEED_POINTS = 500;

/** Days (for caps) and months (for the leaderboard) are counted in China time. */
export const CHINA_UTC_OFFSET_MS = 8 * 3600_000;

/** 'YYYY-MM-DD' of the China day containing `at`. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of the China month containing `at`. */
export function chinaMonth(at: Date): string {
  return chinaDay(at).slice(0, 7);
}

/** The instant the China month containing `at` began. */
export function chinaMonthStart(at: Date): Date {
  const local = new Date(at.getTime() + CHINA_UTC_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CHINA_UTC_OFFSET_MS);
}

/* ───────────── ledger lines as a person reads them ───────────── */

/** Why points or hours moved. */
export const LEDGER_REASONS = [
  'award',
  'redeem',
  'redeem_refund',
  'task_escrow',
  'task_pay',
  'task_release',
  'gift',
  /** hours carried over from a community's paper records when its time bank opened */
  'opening',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

export interface LedgerEntryView {
  id: number;
  /** Signed, from the owner's side: + in, − out (hours for the time bank). */
  amount: number;
  reason: LedgerReason;
  /** The reason a person reads: 「说事办结」, 「兑换 洗衣液」, the secretary's note… */
  text: string;
  createdAt: string;
}

/* ───────────── redemptions: pending → fulfilled | cancelled ───────────── */

export const REDEMPTION_STATUSES = ['pending', 'fulfilled', 'cancelled'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];
export const REDEMPTION_STATUS_LABELS: Record<RedemptionStatus, string> = { pending: '待领取', fulfilled: '已领取', cancelled: '已取消' };

export const REDEMPTION_ACTIONS = ['fulfil', 'cancel'] as const;
export type RedemptionAction = (typeof REDEMPTION_ACTIONS)[number];

export interface RedemptionRelation {
  /** the redeeming resident */
  isOwner: boolean;
  /** a secretary over the reward's community */
  secretaryInScope: boolean;
}

const redemptionRules: Record<RedemptionAction, { from: RedemptionStatus[]; to: RedemptionStatus; may: (r: RedemptionRelation) => boolean }> = {
  fulfil: { from: ['pending'], to: 'fulfilled', may: (r) => r.secretaryInScope },
  // The resident may take back a redemption not yet collected; the secretary cancels one that cannot be served.
  cancel: { from: ['pending'], to: 'cancelled', may: (r) => r.secretaryInScope || r.isOwner },
};
export const REDEMPTION_RULES = redemptionRules;

export function canApplyRedemptionAction(action: RedemptionAction, status: RedemptionStatus, relation: RedemptionRelation): boolean {
  return redemptionRules[action].from.includes(status) && redemptionRules[action].may(relation);
}

export function availableRedemptionActions(status: RedemptionStatus, relation: RedemptionRelation): RedemptionAction[] {
  return REDEMPTION_ACTIONS.filter((a) => canApplyRedemptionAction(a, status, relation));
}

/* ───────────── request schemas ───────────── */

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const url = z.string().trim().min(1).max(500);

export const pointsMeQuery = pageQuery;
export type PointsMeQuery = z.infer<typeof pointsMeQuery>;

export const LEADERBOARD_PERIODS = ['month', 'all'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

export const LEADERBOARD_SIZE = 20;

/**
 * A neighbour's name on a leaderboard unless they chose to show it: the first and last characters
 * with the middle masked (张晓梅 → 张*梅, 刘芳 → 刘*, 欧阳晓梅 → 欧**梅).
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`;
}

/** One of nodeId (a community, grid or micro-grid) or buildingId; neither → the caller's community. */
export const leaderboardQuery = z
  .object({
    nodeId: z.coerce.number().int().positive().optional(),
    buildingId: z.coerce.number().int().positive().optional(),
    period: z.enum(LEADERBOARD_PERIODS).default('month'),
    /** The top 20 at most: a board of neighbours, not a census; the caller's own line comes apart. */
    limit: z.coerce.number().int().min(1).max(LEADERBOARD_SIZE).default(LEADERBOARD_SIZE),
  })
  .refine((q) => !(q.nodeId && q.buildingId), { message: '网格和楼栋只能选一个', path: ['buildingId'] });
export type LeaderboardQuery = z.infer<typeof leaderboardQuery>;

export const awardPointsBody = z.object({
  userId: z.number().int().positive(),
  points: z.number().int().min(1).max(MAX_GOOD_DEED_POINTS),
  note: text(2, 200),
});
export type AwardPointsBody = z.infer<typeof awardPointsBody>;

export const createRewardBody = z.object({
  name: text(1, 40),
  cost: z.number().int().min(1).max(100_000),
  stock: z.number().int().min(0).max(100_000),
  description: text(0, 500).optional(),
  imageUrl: url.optional(),
  /** For a secretary of several communities: which one; default their own. */
  communityId: z.number().int().positive().optional(),
});
export type CreateRewardBody = z.infer<typeof createRewardBody>;

/** Managing a reward: any of its fields; `active: false` takes it off the shelf. */
export const updateRewardBody = z.object({
  name: text(1, 40).optional(),
  cost: z.number().int().min(1).max(100_000).optional(),
  stock: z.number().int().min(0).max(100_000).optional(),
  description: text(0, 500).optional(),
  imageUrl: url.nullable().optional(),
  active: z.boolean().optional(),
});
export type UpdateRewardBody = z.infer<typeof updateRewardBody>;

export const listRewardsQuery = z.object({
  /** Staff: include rewards off the shelf. */
  all: z.enum(['true', 'false']).optional(),
});

export const listRedemptionsQuery = pageQuery.extend({
  scope: z.enum(['mine', 'queue']).default('mine'),
  status: z.enum(REDEMPTION_STATUSES).optional(),
});
export type ListRedemptionsQuery = z.infer<typeof listRedemptionsQuery>;

export const redemptionActionBody = z.object({ version: z.number().int().min(0).optional(), note: text(0, 200).optional() });

/* ───────────── responses ───────────── */

export interface PointsMe {
  balance: number;
  entries: LedgerEntryView[];
  nextCursor: string | null;
}

/** What a secretary may still award (GET /points/awards/budget). */
export interface AwardBudget {
  /** POINTS_AWARD_MAX: the most in one award. */
  maxPerAward: number;
  /** POINTS_AWARD_MONTHLY_MAX: the most one secretary awards in a China month. */
  monthlyMax: number;
  /** 'YYYY-MM', China time. */
  month: string;
  awardedThisMonth: number;
  remainingThisMonth: number;
}

export interface LeaderboardEntry {
  /** Competition ranking: equal points share a rank (1, 2, 2, 4). */
  rank: number;
  /** How many share this rank (2 for 并列第 2). */
  tied: number;
  userId: number;
  /** Masked (张*梅) unless the person chose to show their name, or it is the caller's own line. */
  nickname: string;
  masked: boolean;
  isMe: boolean;
  avatarUrl: string | null;
  /** Points earned in the period (redemptions do not lower a rank). */
  points: number;
}

export interface Leaderboard {
  scope: { kind: 'node' | 'building'; id: number; name: string };
  period: LeaderboardPeriod;
  since: string | null;
  items: LeaderboardEntry[];
  /** The caller's own line, when they are in scope and earned something. */
  me: LeaderboardEntry | null;
}

export interface Reward {
  id: number;
  communityId: number;
  name: string;
  cost: number;
  stock: number;
  description: string | null;
  /** Residents get a picture only once its content check passed (null until then). */
  imageUrl: string | null;
  /** For the secretaries who manage the reward: where its picture's check stands (null: no picture). */
  imageReview?: ImageReview | null;
  active: boolean;
}

export interface Redemption {
  id: number;
  status: RedemptionStatus;
  version: number;
  reward: { id: number; name: string; imageUrl: string | null };
  user: { id: number; nickname: string };
  cost: number;
  createdAt: string;
  fulfilledAt: string | null;
  cancelledAt: string | null;
  actions: RedemptionAction[];
}
