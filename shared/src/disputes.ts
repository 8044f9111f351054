import { z } from 'zod';
import { pageQuery } from './pagination';
import { phoneNumber } from './residents';

/* ───────────── vocabulary (every code a person may see has its label here) ───────────── */

/** The 15 kinds of dispute the mediation centres count (DESIGN.md). */
export const DISPUTE_TYPES = [
  'marriage_family',
  'neighbour',
  'housing_land',
  'contract',
  'business',
  'damages',
  'forest_land',
  'land_requisition',
  'pollution',
  'labour',
  'consumer',
  'medical',
  'traffic',
  'property_management',
  'other',
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];
export const DISPUTE_TYPE_LABELS: Record<DisputeType, string> = {
  marriage_family: '婚姻家庭',
  neighbour: '邻里纠纷',
  housing_land: '房屋宅基地',
  contract: '合同纠纷',
  business: '生产经营',
  damages: '损害赔偿',
  forest_land: '山林土地',
  land_requisition: '征地拆迁',
  pollution: '环境污染',
  labour: '劳动争议',
  consumer: '消费纠纷',
  medical: '医疗纠纷',
  traffic: '交通事故',
  property_management: '物业纠纷',
  other: '其他',
};

export const RISK_LEVELS = ['red', 'orange', 'yellow', 'normal'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { red: '红色（重大）', orange: '橙色（较大）', yellow: '黄色（一般）', normal: '低风险' };

/** Where a case came from: a party, a report, a grid worker's own finding, or a referral. */
export const DISPUTE_SOURCES = ['application', 'walk_in', 'report', 'grid_finding', 'police', 'court', 'government'] as const;
export type DisputeSource = (typeof DISPUTE_SOURCES)[number];
export const DISPUTE_SOURCE_LABELS: Record<DisputeSource, string> = {
  application: '当事人申请',
  walk_in: '来访登记',
  report: '说事转入',
  grid_finding: '网格排查',
  police: '公安移送',
  court: '法院委派',
  government: '部门移交',
};
/** What staff may pick when they register a case (a report's case is made by accepting the report). */
export const STAFF_DISPUTE_SOURCES = ['walk_in', 'application', 'grid_finding', 'police', 'court', 'government'] as const satisfies readonly DisputeSource[];

export const PARTY_ROLES = ['applicant', 'respondent', 'third_party'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_ROLE_LABELS: Record<PartyRole, string> = { applicant: '申请人', respondent: '被申请人', third_party: '第三人' };

/** 诉讼 / 仲裁 / 速裁法庭: where a failed mediation points the parties. */
export const FAILURE_ADVICE = ['litigation', 'arbitration', 'speedy_trial'] as const;
export type FailureAdvice = (typeof FAILURE_ADVICE)[number];
export const FAILURE_ADVICE_LABELS: Record<FailureAdvice, string> = { litigation: '引导诉讼', arbitration: '引导仲裁', speedy_trial: '转速裁法庭' };

export const AGREEMENT_FORMS = ['written', 'oral'] as const;
export type AgreementForm = (typeof AGREEMENT_FORMS)[number];
export const AGREEMENT_FORM_LABELS: Record<AgreementForm, string> = { written: '书面协议', oral: '口头协议' };

export const CONFIRMATION_STATUSES = ['applied', 'confirmed', 'rejected'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];
export const CONFIRMATION_STATUS_LABELS: Record<ConfirmationStatus, string> = { applied: '已申请司法确认', confirmed: '已司法确认', rejected: '不予确认' };

export const VISIT_METHODS = ['visit', 'call'] as const;
export type VisitMethod = (typeof VISIT_METHODS)[number];
export const VISIT_METHOD_LABELS: Record<VisitMethod, string> = { visit: '上门回访', call: '电话回访' };

export const DISPUTE_STATUSES = ['registered', 'accepted', 'mediating', 'agreed', 'failed', 'fulfilled', 'breached', 'ruled', 'declined', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** States are data: `open` = still being handled (not closed, not declined). */
export const DISPUTE_STATUS_INFO: Record<DisputeStatus, { label: string; open: boolean; tag: 'primary' | 'warning' | 'success' | 'default' | 'danger' }> = {
  registered: { label: '待受理', open: true, tag: 'warning' },
  accepted: { label: '已受理', open: true, tag: 'primary' },
  mediating: { label: '调解中', open: true, tag: 'primary' },
  agreed: { label: '达成协议', open: true, tag: 'success' },
  failed: { label: '调解不成', open: true, tag: 'danger' },
  fulfilled: { label: '已履行', open: true, tag: 'success' },
  breached: { label: '未履行', open: true, tag: 'danger' },
  ruled: { label: '速裁已判', open: true, tag: 'success' },
  declined: { label: '不予受理', open: false, tag: 'default' },
  closed: { label: '已结案', open: false, tag: 'default' },
};
/** Mediation under way: what the 30-day due time, its reminder and escalation apply to. */
export const MEDIATING_STATUSES: DisputeStatus[] = ['accepted', 'mediating'];

/* ───────────── the state machine ───────────── */

export const DISPUTE_ACTIONS = ['accept', 'decline', 'assign', 'session', 'agree', 'fail', 'fulfil', 'breach', 'ruling', 'visit', 'extend', 'confirmation', 'close'] as const;
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];
/** Event lines: the actions, `register`, and the sweeper's reminders and escalations (no actor). */
export type DisputeEventAction = DisputeAction | 'register' | 'remind' | 'escalate' | 'confirmation_remind';
export const DISPUTE_ACTION_LABELS: Record<DisputeEventAction, string> = {
  register: '登记',
  accept: '受理',
  decline: '不予受理',
  assign: '指派调解员',
  session: '调解',
  agree: '达成协议',
  fail: '调解终结',
  fulfil: '协议履行',
  breach: '协议未履行',
  ruling: '速裁判决',
  visit: '回访',
  extend: '延长调解期限',
  confirmation: '司法确认',
  close: '结案归档',
  remind: '到期提醒',
  escalate: '超期督办',
  confirmation_remind: '司法确认提醒',
};

/** How the caller stands to the case; computed by the server, used by both sides. */
export interface DisputeRelation {
  /** named as a party (a party who uses the app) */
  isParty: boolean;
  /** the mediator the case is assigned to */
  isMediator: boolean;
  /** a secretary or admin over the case's node: accepts, assigns, and sees every case there */
  coordinatorInScope: boolean;
}

/** What the rule needs to know of the case beside its status. */
export interface DisputeFacts {
  failureAdvice: FailureAdvice | null;
  agreementForm: AgreementForm | null;
  extended: boolean;
  confirmationStatus: ConfirmationStatus | null;
}

interface DisputeRule {
  from: readonly DisputeStatus[];
  /** null: the status does not change (assign, visit, extend, confirmation; a later session). */
  to: DisputeStatus | null;
  may: (r: DisputeRelation) => boolean;
  /** A further condition on the case: when it fails, the action is not offered. */
  when?: (f: DisputeFacts) => boolean;
  /**
   * Why the condition failed, when that is "already done" (409 CONFLICT) rather than the wrong state
   * (409 INVALID_TRANSITION, e.g. a ruling on a case not sent to the fast-track court).
   */
  conflict?: string;
}

const coordinator = (r: DisputeRelation) => r.coordinatorInScope;
const mediator = (r: DisputeRelation) => r.isMediator;
const handler = (r: DisputeRelation) => r.isMediator || r.coordinatorInScope;

export const DISPUTE_RULES: Record<DisputeAction, DisputeRule> = {
  accept: { from: ['registered'], to: 'accepted', may: coordinator },
  decline: { from: ['registered'], to: 'declined', may: coordinator },
  // A secretary reassigns while mediation is under way.
  assign: { from: MEDIATING_STATUSES, to: null, may: coordinator },
  // The first session starts mediation; later ones are recorded beside it.
  session: { from: MEDIATING_STATUSES, to: 'mediating', may: mediator },
  agree: { from: ['mediating'], to: 'agreed', may: mediator },
  fail: { from: ['mediating'], to: 'failed', may: mediator },
  fulfil: { from: ['agreed'], to: 'fulfilled', may: handler },
  breach: { from: ['agreed'], to: 'breached', may: handler },
  ruling: { from: ['failed'], to: 'ruled', may: handler, when: (f) => f.failureAdvice === 'speedy_trial' },
  visit: { from: ['agreed', 'fulfilled', 'breached'], to: null, may: handler },
  // Once, by the parties' consent.
  extend: { from: MEDIATING_STATUSES, to: null, may: handler, when: (f) => !f.extended, conflict: '调解期限只能延长一次' },
  // Only a written agreement goes to court; the application is recorded, then its result.
  confirmation: {
    from: ['agreed', 'fulfilled', 'breached'],
    to: null,
    may: handler,
    when: (f) => f.agreementForm === 'written' && f.confirmationStatus !== 'confirmed' && f.confirmationStatus !== 'rejected',
    conflict: '只有书面协议可以申请司法确认，且法院已作出裁定的不能再登记',
  },
  close: { from: ['fulfilled', 'breached', 'failed', 'ruled', 'declined'], to: 'closed', may: handler },
};

/** The state allows the action (status and the rule's condition), whoever asks. */
export function disputeStateAllows(action: DisputeAction, status: DisputeStatus, facts: DisputeFacts): boolean {
  const rule = DISPUTE_RULES[action];
  return rule.from.includes(status) && (rule.when?.(facts) ?? true);
}

export function canApplyDisputeAction(action: DisputeAction, status: DisputeStatus, facts: DisputeFacts, relation: DisputeRelation): boolean {
  return disputeStateAllows(action, status, facts) && DISPUTE_RULES[action].may(relation);
}

/** The actions the caller may take now: the server enforces them, the app shows only these. */
export function availableDisputeActions(status: DisputeStatus, facts: DisputeFacts, relation: DisputeRelation): DisputeAction[] {
  return DISPUTE_ACTIONS.filter((action) => canApplyDisputeAction(action, status, facts, relation));
}

/** 受理后 30 日内调结; one extension by the parties' consent adds 30 more. */
export const MEDIATION_DAYS = 30;
export const EXTENSION_DAYS = 30;
/** The mediator is reminded this many days before the due time. */
export const DUE_REMINDER_DAYS = 5;
/** 司法确认: the parties apply within 30 days of the agreement taking effect (民事诉讼法 art. 205). */
export const CONFIRMATION_WINDOW_DAYS = 30;
/** The reminder goes out when this many days of the window are left and nobody has applied. */
export const CONFIRMATION_REMINDER_DAYS = 7;
export const MAX_DISPUTE_PHOTOS = 9;

/* ───────────── request schemas ───────────── */

const version = z.number().int().min(0).optional();
const text = (max: number) => z.string().trim().max(max);
const photos = z.array(z.string().trim().min(1).max(500)).max(MAX_DISPUTE_PHOTOS).default([]);

export const disputePartyInput = z.object({
  role: z.enum(PARTY_ROLES),
  name: z.string().trim().min(1, '请填写当事人姓名').max(32),
  phone: phoneNumber.optional(),
  /** A party who uses the app (staff link them; a resident may name only themself). */
  userId: z.number().int().positive().optional(),
});
export type DisputePartyInput = z.infer<typeof disputePartyInput>;

const parties = z
  .array(disputePartyInput)
  .min(2, '至少需要申请人和被申请人')
  .max(20)
  .refine((list) => list.some((p) => p.role === 'applicant') && list.some((p) => p.role === 'respondent'), { message: '至少需要一名申请人和一名被申请人' });

export const createDisputeBody = z.object({
  title: z.string().trim().min(2, '请写一个简短的标题').max(60),
  description: z.string().trim().min(10, '请至少写 10 个字，说清纠纷经过').max(2000),
  type: z.enum(DISPUTE_TYPES),
  source: z.enum(DISPUTE_SOURCES),
  parties,
  riskLevel: z.enum(RISK_LEVELS).optional(),
  /** 涉及金额, yuan */
  amount: z.number().min(0).max(1e10).optional(),
  peopleInvolved: z.number().int().min(1).max(100_000).optional(),
  reportId: z.number().int().positive().optional(),
  /** Where the case belongs (staff; default their own scope, or the applicant's micro-grid). */
  nodeId: z.number().int().positive().optional(),
});
export type CreateDisputeBody = z.infer<typeof createDisputeBody>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const disputeActionBodies = {
  accept: z.object({ mediatorId: z.number().int().positive(), riskLevel: z.enum(RISK_LEVELS).optional(), note: text(500).optional(), version }),
  decline: z.object({ reason: text(500).min(2, '请写明不予受理的理由'), version }),
  assign: z.object({ mediatorId: z.number().int().positive(), note: text(500).optional(), version }),
  session: z.object({
    heldAt: z.iso.datetime({ offset: true }),
    place: text(100).min(1, '请填写调解地点'),
    participants: z.array(text(32).min(1)).min(1, '请填写参加人员').max(30),
    notes: text(4000).min(2, '请记录调解情况'),
    photos,
    /** People identified at the session (a report's case starts with its reporter alone). */
    parties: z.array(disputePartyInput).max(10).default([]),
    version,
  }),
  agree: z.object({
    form: z.enum(AGREEMENT_FORMS),
    /** 纠纷主要事实、争议事项 (default: the case's description) */
    facts: text(2000).min(2).optional(),
    /** 各方当事人权利义务: what was agreed */
    terms: text(4000).min(2, '请写明协议内容'),
    /** 履行方式 */
    performance: text(1000).min(2, '请写明履行方式'),
    /** 履行期限 (a China day) */
    deadline: day,
    version,
  }),
  fail: z.object({ advice: z.enum(FAILURE_ADVICE), reason: text(1000).min(2, '请写明调解不成的原因'), version }),
  fulfil: z.object({ note: text(500).optional(), version }),
  breach: z.object({ note: text(500).min(2, '请写明未履行的情况'), version }),
  ruling: z.object({ note: text(1000).min(2, '请写明裁判结果'), court: text(60).optional(), version }),
  visit: z.object({ method: z.enum(VISIT_METHODS), note: text(1000).min(2, '请记录回访情况'), photos, version }),
  extend: z.object({ reason: text(500).min(2, '请写明延期理由（须经双方同意）'), version }),
  confirmation: z.object({
    status: z.enum(CONFIRMATION_STATUSES),
    court: text(60).min(2, '请填写受理法院'),
    /** When the parties applied (default now); for a result, the application already recorded. */
    appliedAt: z.iso.datetime({ offset: true }).optional(),
    note: text(500).optional(),
    version,
  }),
  close: z.object({ note: text(500).optional(), version }),
} satisfies Record<DisputeAction, z.ZodType>;
export type DisputeActionBody<A extends DisputeAction> = z.infer<(typeof disputeActionBodies)[A]>;

export const listDisputesQuery = pageQuery.extend({
  scope: z.enum(['mine', 'queue']).default('mine'),
  status: z.enum(DISPUTE_STATUSES).optional(),
  type: z.enum(DISPUTE_TYPES).optional(),
});
export type ListDisputesQuery = z.infer<typeof listDisputesQuery>;

export const mediatorsQuery = z.object({ nodeId: z.coerce.number().int().positive().optional() });

export const createMediatorBody = z.object({
  userId: z.number().int().positive(),
  /** The pool: a community or a street */
  nodeId: z.number().int().positive(),
  name: z.string().trim().min(1).max(32),
  phone: phoneNumber.optional(),
  specialties: z.array(z.enum(DISPUTE_TYPES)).max(DISPUTE_TYPES.length).default([]),
  /** e.g. 「老娘舅」调解工作室 */
  studio: text(60).optional(),
});
export type CreateMediatorBody = z.infer<typeof createMediatorBody>;

/* ───────────── responses ───────────── */

export interface DisputePerson {
  id: number;
  nickname: string;
}

export interface DisputeParty {
  id: number;
  role: PartyRole;
  name: string;
  /** Whole for the mediator, the coordinators and the party themself; null for the other side. */
  phone: string | null;
  /** the caller is this party */
  isMe: boolean;
}

export interface DisputeSession {
  id: number;
  heldAt: string;
  place: string;
  participants: string[];
  /** The mediator's record: for the handlers, not shown to the parties (null). */
  notes: string | null;
  photos: string[];
  recordedBy: DisputePerson | null;
}

export interface DisputeVisit {
  id: number;
  method: VisitMethod;
  note: string;
  photos: string[];
  recordedBy: DisputePerson | null;
  createdAt: string;
}

export interface DisputeEvent {
  id: number;
  action: DisputeEventAction;
  actor: DisputePerson | null;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus | null;
  note: string | null;
  photos: string[];
  createdAt: string;
}

export interface MediatorSummary {
  id: number;
  userId: number;
  name: string;
  studio: string | null;
  specialties: DisputeType[];
}

export interface Mediator extends MediatorSummary {
  phone: string | null;
  nodeId: number;
  nodeName: string;
  /** cases assigned now and still under mediation */
  activeCases: number;
}

export interface DisputeSummary {
  id: number;
  /** TJ20261130-0001 */
  number: string;
  title: string;
  type: DisputeType;
  source: DisputeSource;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  version: number;
  nodeId: number;
  nodePath: string[];
  mediator: MediatorSummary | null;
  dueAt: string | null;
  overdue: boolean;
  escalationLevel: number;
  createdAt: string;
  updatedAt: string;
}

export interface DisputeAgreement {
  form: AgreementForm;
  facts: string;
  terms: string;
  performance: string;
  /** China day */
  deadline: string;
  agreedAt: string;
}

export interface DisputeConfirmation {
  status: ConfirmationStatus;
  court: string;
  appliedAt: string;
  decidedAt: string | null;
  /** the last day the parties may apply (30 days after the agreement) */
  windowEndsAt: string;
}

export interface DisputeDetail extends DisputeSummary {
  description: string;
  amount: number | null;
  peopleInvolved: number | null;
  reportId: number | null;
  parties: DisputeParty[];
  sessions: DisputeSession[];
  visits: DisputeVisit[];
  events: DisputeEvent[];
  acceptedAt: string | null;
  extended: boolean;
  agreement: DisputeAgreement | null;
  failure: { advice: FailureAdvice; reason: string; at: string } | null;
  ruling: { note: string; court: string | null; at: string } | null;
  confirmation: DisputeConfirmation | null;
  /** the last day to apply for judicial confirmation, while it can still be applied for */
  confirmationDeadline: string | null;
  /** What the caller may do now (from the shared state machine). */
  actions: DisputeAction[];
  /** The 协议书 can be downloaded (a written agreement, by the handlers and the parties). */
  agreementDocument: boolean;
}

export interface DisputeQueueCounts {
  registered: number;
  accepted: number;
  mediating: number;
  agreed: number;
  overdue: number;
}

export interface DisputeListPage {
  items: DisputeSummary[];
  nextCursor: string | null;
  counts?: DisputeQueueCounts;
}

/* ───────────── figures (GET /stats/disputes) ───────────── */

/** The figures of one set of cases (the node, a type, a mediator); see server/src/stats/kpi.ts. */
export interface DisputeFigures {
  /** cases registered in the period */
  received: number;
  /** of those, accepted for mediation (whatever happened after) */
  accepted: number;
  declined: number;
  /** reached an agreement (whatever happened after: fulfilled, breached, closed) */
  agreed: number;
  /** mediation ended without agreement (whatever happened after: ruled, closed) */
  failed: number;
  /** agreed and performed */
  fulfilled: number;
  breached: number;
  /** ruled by the fast-track court after a failed mediation */
  ruled: number;
  /** 化解: agreed and not breached, or ruled; each case once */
  resolved: number;
  /** 调解成功率 = agreed ÷ (agreed + failed); null when neither */
  successRate: number | null;
  /** 化解率 = resolved ÷ received; null when none received */
  resolutionRate: number | null;
  /** mean days from acceptance to agreement or failure; null when none ended */
  avgDays: number | null;
}

export interface DisputeBreakdownRow extends DisputeFigures {
  key: string;
  label: string;
}

export interface DisputeStats extends DisputeFigures {
  node: { id: number; name: string; level: string };
  from: string;
  to: string;
  /** under mediation now and past the due time (not bound to the period) */
  overdue: number;
  byType: DisputeBreakdownRow[];
  byMediator: DisputeBreakdownRow[];
  bySource: DisputeBreakdownRow[];
  /** judicial confirmations of the period's cases, by where they stand */
  confirmations: { applied: number; confirmed: number; rejected: number };
}
