import { z } from 'zod';
import { pageQuery } from './pagination';
import type { ModerationState } from './moderation';

/* ───────────── vocabulary ───────────── */

export const CONSULTATION_STATUSES = ['proposed', 'in_review', 'withdrawn', 'rejected', 'discussing', 'decided', 'implementing', 'completed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];
export const CONSULTATION_STATUS_LABELS: Record<ConsultationStatus, string> = {
  proposed: '征集联名',
  in_review: '待审议',
  withdrawn: '已撤回',
  rejected: '未通过审议',
  discussing: '协商表决中',
  decided: '已表决',
  implementing: '落实中',
  completed: '已落实',
};

export const VOTING_RULES = ['simple', 'civil_code_general', 'civil_code_major'] as const;
export type VotingRule = (typeof VOTING_RULES)[number];
export const VOTING_RULE_LABELS: Record<VotingRule, string> = {
  simple: '简单多数（过半数户参与，过半数同意）',
  civil_code_general: '民法典一般事项（三分之二以上户参与，过半数同意）',
  civil_code_major: '民法典重大事项（三分之二以上户参与，四分之三以上同意）',
};

export const OUTCOMES = ['passed', 'failed', 'no_quorum'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = { passed: '通过', failed: '未通过', no_quorum: '参与不足' };

export const CONSULTATION_SCOPES = ['building', 'microgrid', 'community'] as const;
export type ConsultationScope = (typeof CONSULTATION_SCOPES)[number];

/** Households (the proposer's included) that must co-sign before the secretary reviews a proposal. */
export const DEFAULT_SUPPORT_THRESHOLD = 3;
export const DEFAULT_OPTIONS = ['同意', '不同意'];
export const COMMENT_MAX_LENGTH = 500;

/* ───────────── the outcome: from the tally and the rule, nothing else ───────────── */

export interface OutcomeInput {
  rule: VotingRule;
  eligibleHouseholds: number;
  votedHouseholds: number;
  /** votes for options[0], "in favour" */
  inFavour: number;
}

/**
 * Thresholds in whole numbers (no floating point at the edges). "以上" in the Civil Code includes the
 * figure itself (art. 1259): ⅔ participation and ¾ in favour are met exactly at ⅔ and ¾; "过半数"
 * (more than half) is strict.
 */
export function decideOutcome({ rule, eligibleHouseholds, votedHouseholds, inFavour }: OutcomeInput): Outcome {
  const quorum = rule === 'simple' ? votedHouseholds * 2 >= eligibleHouseholds : votedHouseholds * 3 >= eligibleHouseholds * 2;
  if (eligibleHouseholds === 0 || votedHouseholds === 0 || !quorum) return 'no_quorum';
  const carried = rule === 'civil_code_major' ? inFavour * 4 >= votedHouseholds * 3 : inFavour * 2 > votedHouseholds;
  return carried ? 'passed' : 'failed';
}

/* ───────────── who may do what, from which state ───────────── */

export const CONSULTATION_ACTIONS = ['cosign', 'withdraw', 'approve', 'reject', 'comment', 'vote', 'close', 'implement', 'progress', 'complete'] as const;
export type ConsultationAction = (typeof CONSULTATION_ACTIONS)[number];

export interface ConsultationRelation {
  isProposer: boolean;
  /** the caller's household is in the consultation's scope */
  householdInScope: boolean;
  /** the caller's household already co-signed */
  householdSupported: boolean;
  secretaryInScope: boolean;
  isOwner: boolean;
  /** voting is still open (before votingEndsAt) */
  votingOpen: boolean;
  /** decided and passed */
  passed: boolean;
}

const rules: Record<ConsultationAction, { from: ConsultationStatus[]; may: (r: ConsultationRelation) => boolean }> = {
  cosign: { from: ['proposed'], may: (r) => r.householdInScope && !r.householdSupported },
  withdraw: { from: ['proposed', 'in_review'], may: (r) => r.isProposer },
  approve: { from: ['in_review'], may: (r) => r.secretaryInScope },
  reject: { from: ['in_review'], may: (r) => r.secretaryInScope },
  comment: { from: ['discussing'], may: (r) => r.householdInScope || r.secretaryInScope },
  vote: { from: ['discussing'], may: (r) => r.householdInScope && r.votingOpen },
  close: { from: ['discussing'], may: (r) => r.secretaryInScope },
  implement: { from: ['decided'], may: (r) => r.secretaryInScope && r.passed },
  progress: { from: ['implementing'], may: (r) => r.secretaryInScope || r.isOwner },
  complete: { from: ['implementing'], may: (r) => r.secretaryInScope || r.isOwner },
};
export const CONSULTATION_RULES = rules;

/** The contract's paths below /consultations/:id: comments and votes are collections, the rest are verbs. */
export const CONSULTATION_ACTION_PATHS: Record<ConsultationAction, string> = {
  cosign: 'cosign',
  withdraw: 'withdraw',
  approve: 'approve',
  reject: 'reject',
  comment: 'comments',
  vote: 'votes',
  close: 'close',
  implement: 'implement',
  progress: 'progress',
  complete: 'complete',
};

export function canApplyConsultationAction(action: ConsultationAction, status: ConsultationStatus, relation: ConsultationRelation): boolean {
  return rules[action].from.includes(status) && rules[action].may(relation);
}

export function availableConsultationActions(status: ConsultationStatus, relation: ConsultationRelation): ConsultationAction[] {
  return CONSULTATION_ACTIONS.filter((a) => canApplyConsultationAction(a, status, relation));
}

/* ───────────── request schemas ───────────── */

const version = z.number().int().min(0).optional();
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const photos = z.array(z.string().trim().min(1).max(500)).max(9).default([]);

export const createConsultationBody = z
  .object({
    buildingId: z.number().int().positive().optional(),
    scopeNodeId: z.number().int().positive().optional(),
    title: text(4, 60),
    description: text(10, 3000),
  })
  .refine((b) => !(b.buildingId && b.scopeNodeId), { message: '楼栋和网格范围只能选一个', path: ['scopeNodeId'] });
export type CreateConsultationBody = z.infer<typeof createConsultationBody>;

export const consultationActionBodies = {
  cosign: z.object({ version }),
  withdraw: z.object({ version }),
  approve: z.object({
    options: z.array(text(1, 30)).min(2).max(6).refine((o) => new Set(o).size === o.length, '选项不能重复').default(DEFAULT_OPTIONS),
    votingEndsAt: z.iso.datetime(),
    rule: z.enum(VOTING_RULES).default('simple'),
    version,
  }),
  reject: z.object({ reason: text(2, 500), version }),
  comment: z.object({ body: text(1, COMMENT_MAX_LENGTH) }),
  vote: z.object({ optionId: z.number().int().positive() }),
  close: z.object({ version }),
  implement: z.object({ plan: text(2, 2000), ownerId: z.number().int().positive().optional(), version }),
  progress: z.object({ note: text(2, 1000), photos, version }),
  complete: z.object({ summary: text(2, 2000), version }),
} satisfies Record<ConsultationAction, z.ZodType>;

export const hideCommentBody = z.object({ reason: text(2, 200) });

export const listConsultationsQuery = pageQuery.extend({
  scope: z.enum(['mine', 'eligible', 'queue']).default('eligible'),
  status: z.enum(CONSULTATION_STATUSES).optional(),
});
export type ListConsultationsQuery = z.infer<typeof listConsultationsQuery>;

/* ───────────── responses ───────────── */

export interface ConsultationOption {
  id: number;
  label: string;
}

export interface ConsultationTally {
  eligibleHouseholds: number;
  votedHouseholds: number;
  byOption: { optionId: number; label: string; votes: number }[];
}

export interface ConsultationComment {
  id: number;
  author: { id: number; nickname: string } | null;
  /** null for a hidden comment shown to a resident */
  body: string | null;
  hidden: boolean;
  hiddenReason: string | null;
  createdAt: string;
  /** A comment not yet `clear` shows only to its author and the reviewers. */
  moderation: ModerationState;
}

export interface ConsultationProgressEntry {
  id: number;
  note: string;
  photos: string[];
  author: { id: number; nickname: string };
  createdAt: string;
}

export interface ConsultationSummary {
  id: number;
  title: string;
  status: ConsultationStatus;
  version: number;
  scope: ConsultationScope;
  scopeName: string;
  proposer: { id: number; nickname: string };
  supporters: number;
  supportThreshold: number;
  votingEndsAt: string | null;
  outcome: Outcome | null;
  createdAt: string;
  /** Content check of the title and description: anything but `clear` is seen only by the proposer and the reviewers. */
  moderation: ModerationState;
  /** In lists, once voting has opened: participation at a glance. */
  tally?: ConsultationTally;
}

export interface ConsultationDetail extends ConsultationSummary {
  description: string;
  rule: VotingRule | null;
  options: ConsultationOption[];
  tally: ConsultationTally;
  /** the option the caller's household chose, if it voted */
  myVoteOptionId: number | null;
  comments: ConsultationComment[];
  progress: ConsultationProgressEntry[];
  plan: string | null;
  owner: { id: number; nickname: string } | null;
  summary: string | null;
  rejectReason: string | null;
  reportId: number | null;
  actions: ConsultationAction[];
}
