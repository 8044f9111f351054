import { z } from 'zod';
import { pageQuery } from './pagination';
import type { ModerationState } from './moderation';
import { MEMBERSHIP_RELATION_LABELS, membershipRules, type MembershipRelation } from './residents';

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
  simple: '简单多数（半数以上户参与，过半数同意）',
  civil_code_general: '民法典一般事项（面积、户数均三分之二以上参与，均过半数同意）',
  civil_code_major: '民法典重大事项（面积、户数均三分之二以上参与，均四分之三以上同意）',
};
/** The thresholds in plain words, as the resident and the secretary read them under the tally. */
export const VOTING_RULE_EXPLANATIONS: Record<VotingRule, string> = {
  simple: '按户计票，每户一票。参与投票的户数达到总户数的一半（含一半），且同意的户数超过参与户数的一半（不含一半），即为通过。',
  civil_code_general:
    '依《民法典》第二百七十八条：专有部分面积占总面积三分之二以上、且户数占总户数三分之二以上的业主参与表决（均含本数）；经参与表决专有部分面积过半数、且参与表决户数过半数的业主同意（均不含半数），即为通过。每套房屋计一户，面积以登记的专有部分建筑面积为准。',
  civil_code_major:
    '依《民法典》第二百七十八条（筹集维修资金、改建重建、改变共有部分用途等重大事项）：专有部分面积占总面积三分之二以上、且户数占总户数三分之二以上的业主参与表决；经参与表决专有部分面积四分之三以上、且参与表决户数四分之三以上的业主同意（均含本数），即为通过。每套房屋计一户，面积以登记的专有部分建筑面积为准。',
};
export const isCivilCodeRule = (rule: VotingRule | null): boolean => rule === 'civil_code_general' || rule === 'civil_code_major';

/** How a household's vote came in: in the app, on paper (书面表决) or by proxy (委托投票); staff record the last two. */
export const VOTE_METHODS = ['app', 'paper', 'proxy'] as const;
export type VoteMethod = (typeof VOTE_METHODS)[number];
export const VOTE_METHOD_LABELS: Record<VoteMethod, string> = { app: '小程序投票', paper: '书面表决', proxy: '委托投票' };
export const BALLOT_METHODS = ['paper', 'proxy'] as const satisfies readonly VoteMethod[];
export type BallotMethod = (typeof BALLOT_METHODS)[number];

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

/**
 * Areas are counted in hundredths of a square metre, as integers: sums and comparisons are exact
 * (0.1 + 0.2 is not 0.3 in floating point, and a threshold is decided by 0.01 m²).
 */
export const areaHundredths = (m2: number | null | undefined): number => (m2 == null ? 0 : Math.round(m2 * 100));
export const areaM2 = (hundredths: number): number => hundredths / 100;

/** 2180.6 → "2,180.6", 100 → "100", 1523.45 → "1,523.45" (written out by hand: not every phone's JS groups digits). */
export function formatAreaM2(m2: number): string {
  const hundredths = Math.abs(areaHundredths(m2));
  const whole = String(Math.floor(hundredths / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  return `${m2 < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** 参与 16/24 户 · 1,523.4/2,180.6 ㎡ */
export function participationText(t: Pick<ConsultationTally, 'votedHouseholds' | 'eligibleHouseholds' | 'votedAreaM2' | 'eligibleAreaM2'>): string {
  return `参与 ${t.votedHouseholds}/${t.eligibleHouseholds} 户 · ${formatAreaM2(t.votedAreaM2)}/${formatAreaM2(t.eligibleAreaM2)} ㎡`;
}

export interface OutcomeInput {
  rule: VotingRule;
  /** households in scope, whether or not anyone there uses the app */
  eligibleHouseholds: number;
  votedHouseholds: number;
  /** households that voted for options[0], "in favour" */
  inFavour: number;
  /** 专有部分面积 in hundredths of m² (integers): of the scope, of the households that voted, of those in favour */
  eligibleArea: number;
  votedArea: number;
  inFavourArea: number;
}

/**
 * The least that meets each threshold, in whole households and whole hundredths of m². "以上" in the
 * Civil Code includes the figure itself (art. 1259): ⅔ and ¾ are met exactly at ⅔ and ¾; "过半数"
 * (more than half) is strict. `participationArea` and `inFavourArea` are null under `simple`
 * (households only). decideOutcome compares by cross-multiplying; a test holds the two to each other.
 */
export function outcomeThresholds(rule: VotingRule, figures: Pick<OutcomeInput, 'eligibleHouseholds' | 'votedHouseholds' | 'eligibleArea' | 'votedArea'>) {
  const civil = isCivilCodeRule(rule);
  const moreThanHalf = (n: number) => Math.floor(n / 2) + 1;
  const threeQuarters = (n: number) => ceilDiv(3 * n, 4);
  const favour = rule === 'civil_code_major' ? threeQuarters : moreThanHalf;
  return {
    participationHouseholds: civil ? ceilDiv(2 * figures.eligibleHouseholds, 3) : ceilDiv(figures.eligibleHouseholds, 2),
    participationArea: civil ? ceilDiv(2 * figures.eligibleArea, 3) : null,
    inFavourHouseholds: favour(figures.votedHouseholds),
    inFavourArea: civil ? favour(figures.votedArea) : null,
  };
}
/**
 * What it takes to pass, in numbers, as the tally stands: the participation the rule needs and, of those
 * who took part so far, the votes in favour it needs. Plain Chinese lines for the consultation page.
 */
export function thresholdLines(rule: VotingRule, tally: Pick<ConsultationTally, 'eligibleHouseholds' | 'votedHouseholds' | 'eligibleAreaM2' | 'votedAreaM2'>): string[] {
  const t = outcomeThresholds(rule, {
    eligibleHouseholds: tally.eligibleHouseholds,
    votedHouseholds: tally.votedHouseholds,
    eligibleArea: areaHundredths(tally.eligibleAreaM2),
    votedArea: areaHundredths(tally.votedAreaM2),
  });
  const m2 = (hundredths: number | null) => `${formatAreaM2(areaM2(hundredths ?? 0))} ㎡`;
  if (rule === 'simple') {
    return [
      `参与：至少 ${t.participationHouseholds} 户（共 ${tally.eligibleHouseholds} 户的一半），现有 ${tally.votedHouseholds} 户`,
      `同意：超过参与户数的一半${tally.votedHouseholds === 0 ? '' : `，按现在的参与需至少 ${t.inFavourHouseholds} 户`}`,
    ];
  }
  const share = rule === 'civil_code_major' ? '四分之三以上' : '过半数';
  const nobody = tally.votedHouseholds === 0;
  return [
    `参与：至少 ${t.participationHouseholds} 户且至少 ${m2(t.participationArea)}（户数、面积均三分之二以上），现有 ${tally.votedHouseholds} 户、${formatAreaM2(tally.votedAreaM2)} ㎡`,
    `同意：参与户数和参与面积均${share}${nobody ? '' : `，按现在的参与需至少 ${t.inFavourHouseholds} 户且至少 ${m2(t.inFavourArea)}`}`,
  ];
}

/** ⌈a / b⌉ for non-negative integers. */
const ceilDiv = (a: number, b: number) => (a - (a % b)) / b + (a % b ? 1 : 0);

/**
 * DESIGN.md "Votes that hold up", exactly, in integer arithmetic:
 * - `simple`: households only: at least ½ of the households vote; more than ½ of the votes cast in favour.
 * - `civil_code_general`: area ≥ ⅔ of the scope's AND households ≥ ⅔ of the scope's take part; in favour:
 *   more than ½ of the participating area AND more than ½ of the participating households.
 * - `civil_code_major`: the same participation; in favour ≥ ¾ of the participating area AND ≥ ¾ of the
 *   participating households.
 */
export function decideOutcome(input: OutcomeInput): Outcome {
  const { rule, eligibleHouseholds: E, votedHouseholds: V, inFavour: F, eligibleArea: EA, votedArea: VA, inFavourArea: FA } = input;
  if (E === 0 || V === 0) return 'no_quorum';
  if (rule === 'simple') {
    if (V * 2 < E) return 'no_quorum';
    return F * 2 > V ? 'passed' : 'failed';
  }
  if (EA === 0 || V * 3 < E * 2 || VA * 3 < EA * 2) return 'no_quorum';
  const carried = rule === 'civil_code_major' ? F * 4 >= V * 3 && FA * 4 >= VA * 3 : F * 2 > V && FA * 2 > VA;
  return carried ? 'passed' : 'failed';
}

/* ───────────── who casts a household's vote ───────────── */

/** Under `simple` any verified member votes for the household; under a civil_code_* rule only an owner (DESIGN.md). */
export function castsHouseholdVote(rule: VotingRule | null, relation: MembershipRelation | null): boolean {
  if (!relation) return false;
  return isCivilCodeRule(rule) ? membershipRules.votesUnderCivilCode({ status: 'verified', relation }) : true;
}

/** Why a verified member in scope may not vote: what the 403 says and what the app shows instead of the buttons. */
export function ownerOnlyMessage(relation: MembershipRelation): string {
  return `本事项按《民法典》规则表决，每户须由业主本人投票；您在本户登记为${MEMBERSHIP_RELATION_LABELS[relation]}，请业主投票，或由业主签字委托、社区工作人员代录。`;
}

/* ───────────── who may do what, from which state ───────────── */

export const CONSULTATION_ACTIONS = ['cosign', 'withdraw', 'approve', 'reject', 'comment', 'vote', 'ballot', 'close', 'implement', 'progress', 'complete'] as const;
export type ConsultationAction = (typeof CONSULTATION_ACTIONS)[number];

export interface ConsultationRelation {
  isProposer: boolean;
  /** the caller's household is in the consultation's scope */
  householdInScope: boolean;
  /** the caller's household already co-signed */
  householdSupported: boolean;
  secretaryInScope: boolean;
  /** staff who record paper ballots and proxies over the scope: its secretaries (who run the vote) */
  recordsBallots: boolean;
  /** how the caller belongs to their (verified) household, null without one */
  householdRelation: MembershipRelation | null;
  /** the consultation's rule, once approved */
  rule: VotingRule | null;
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
  vote: { from: ['discussing'], may: (r) => r.householdInScope && r.votingOpen && castsHouseholdVote(r.rule, r.householdRelation) },
  ballot: { from: ['discussing'], may: (r) => r.recordsBallots && r.votingOpen },
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
  ballot: 'ballots',
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
  ballot: z
    .object({
      householdId: z.number().int().positive(),
      optionId: z.number().int().positive(),
      method: z.enum(BALLOT_METHODS),
      /** the signed ballot or, for a proxy, the owner's signed authorisation: URLs from POST /uploads */
      photos,
      note: z.string().trim().max(200).optional(),
    })
    .refine((b) => b.method !== 'proxy' || b.photos.length > 0, { message: '委托投票须上传业主签字的委托书照片', path: ['photos'] }),
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

/**
 * Both dimensions of DESIGN.md "Votes that hold up". Areas in m² (to the hundredth). Once decided, the
 * figures are those the outcome was computed from at close.
 */
export interface ConsultationTally {
  eligibleHouseholds: number;
  votedHouseholds: number;
  eligibleAreaM2: number;
  votedAreaM2: number;
  byOption: { optionId: number; label: string; votes: number; areaM2: number }[];
  /** how many households' votes came in each way */
  byMethod: Record<VoteMethod, number>;
}

/** A paper ballot or proxy as staff see it: who recorded it, when, and the photos. */
export interface RecordedBallot {
  householdId: number;
  /** 3号楼 2单元 301 */
  household: string;
  method: BallotMethod;
  optionId: number;
  photos: string[];
  note: string | null;
  recordedBy: { id: number; nickname: string };
  recordedAt: string;
}

/** What the timeline records: the phases, and the ballots staff recorded. */
export const CONSULTATION_EVENT_LABELS: Record<string, string> = {
  propose: '提出议题',
  cosign: '联名已满，提交审议',
  withdraw: '撤回议题',
  approve: '审议通过，开始表决',
  reject: '不予通过',
  ballot: '代录表决',
  close: '结束投票',
  auto_close: '投票到期结束',
  implement: '开始落实',
  progress: '记录进展',
  complete: '落实完成',
};

export interface ConsultationTimelineEntry {
  id: number;
  action: string;
  actor: { id: number; nickname: string } | null;
  note: string | null;
  createdAt: string;
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
  /** the building of a building-scoped consultation */
  buildingId: number | null;
  /** the grid node whose households take part */
  scopeNodeId: number;
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
  /** Why the caller's household member may not vote here (a family member or tenant under a civil_code_* rule); null otherwise. */
  voteRefusal: string | null;
  /** Staff over the scope, before the vote is decided: how many of the scope's households have no area (a civil_code_* rule needs none missing). */
  areasMissing: number | null;
  /** Staff over the scope: the paper ballots and proxies recorded (a resident sees the count in tally.byMethod). */
  ballots: RecordedBallot[] | null;
  timeline: ConsultationTimelineEntry[];
}
