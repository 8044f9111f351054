import { z } from 'zod';
import { pageQuery, sortedPageCursor, type QueueSort } from './pagination';
import type { ModerationState } from './moderation';
import { latLng } from './grids';
import { phoneNumber } from './residents';
import { CHINA_UTC_OFFSET_MS } from './points';

/* ───────────── vocabulary ───────────── */

export const REPORT_STATUSES = ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved', 'closed', 'rejected', 'merged'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** FixMyStreet's lesson: states are data, code asks `isOpen`, not string compares. */
export const REPORT_STATUS_INFO: Record<ReportStatus, { label: string; open: boolean; tag: 'primary' | 'warning' | 'success' | 'default' | 'danger' }> = {
  submitted: { label: '待受理', open: true, tag: 'warning' },
  accepted: { label: '已受理', open: true, tag: 'primary' },
  dispatched: { label: '已分流', open: true, tag: 'primary' },
  in_progress: { label: '处理中', open: true, tag: 'primary' },
  resolved: { label: '待评价', open: true, tag: 'success' },
  closed: { label: '已办结', open: false, tag: 'default' },
  rejected: { label: '不予受理', open: false, tag: 'danger' },
  merged: { label: '已合并', open: false, tag: 'default' },
};
export const isOpenReport = (status: ReportStatus) => REPORT_STATUS_INFO[status].open;
/** Open and not yet handed back to the resident: what supervision and overdue apply to. */
export const SUPERVISABLE_STATUSES: ReportStatus[] = ['submitted', 'accepted', 'dispatched', 'in_progress'];
/** Every open status (待办, the queue's "all open" tile): the supervisable ones and those waiting for the rating. */
export const OPEN_STATUSES: ReportStatus[] = REPORT_STATUSES.filter((status) => REPORT_STATUS_INFO[status].open);
/** Finished one way or another (the queue's 已办结 filter): closed, not accepted, or merged. */
export const DONE_STATUSES: ReportStatus[] = REPORT_STATUSES.filter((status) => !REPORT_STATUS_INFO[status].open);
/** `status` of a list may name one status or one of these groups. */
export const REPORT_STATUS_GROUPS = { open: OPEN_STATUSES, done: DONE_STATUSES } as const;
export type ReportStatusGroup = keyof typeof REPORT_STATUS_GROUPS;
/** What a list's `status` stands for. */
export const statusesOf = (status: ReportStatus | ReportStatusGroup): readonly ReportStatus[] =>
  status in REPORT_STATUS_GROUPS ? REPORT_STATUS_GROUPS[status as ReportStatusGroup] : [status as ReportStatus];
/** 即将超期: open, not yet past due, but due within this many hours. */
export const DUE_SOON_HOURS = 24;

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { urgent: '紧急', high: '较急', normal: '一般', low: '不急' };
/** Due time = category SLA hours × this factor ("shortened by priority"); low keeps the full SLA. */
export const PRIORITY_SLA_FACTOR: Record<Priority, number> = { urgent: 0.25, high: 0.5, normal: 1, low: 1 };

export const HANDLING_METHODS = ['on_site', 'department', 'mediation', 'consultation', 'legal', 'escalate'] as const;
export type HandlingMethod = (typeof HANDLING_METHODS)[number];
export const HANDLING_METHOD_LABELS: Record<HandlingMethod, string> = {
  on_site: '现场处置',
  department: '部门办理',
  mediation: '矛盾调解',
  consultation: '议事协商',
  legal: '法律服务',
  escalate: '上报上级',
};

export const INTAKE_CHANNELS = ['miniprogram', 'grid_patrol', 'hotline', 'wechat_group', 'talk_station', 'deputy_station', 'walk_in'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
export const INTAKE_CHANNEL_LABELS: Record<IntakeChannel, string> = {
  miniprogram: '小程序',
  grid_patrol: '网格巡查',
  hotline: '热线电话',
  wechat_group: '微信群',
  talk_station: '说事点',
  deputy_station: '代表联络站',
  walk_in: '来访',
};

export const REPORT_ACTIONS = [
  'accept',
  'reject',
  'merge',
  'dispatch',
  'start',
  'resolve',
  'supervise',
  'feedback',
  'rate',
  'follow',
  'take',
  'return',
  'extend',
  'grant_extension',
  'deny_extension',
] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];
/** Where an action is posted, below `/reports/:id/` (the extension's decisions are a sub-resource). */
export const REPORT_ACTION_PATHS: Record<ReportAction, string> = {
  ...(Object.fromEntries(REPORT_ACTIONS.map((action) => [action, action])) as Record<ReportAction, string>),
  grant_extension: 'extension/approve',
  deny_extension: 'extension/reject',
};
/** Event actions: the transitions plus `submit`, the automatic ones, and `release` (held content passed review). */
export type ReportEventAction = ReportAction | 'submit' | 'auto_close' | 'auto_supervise' | 'release';
export const REPORT_ACTION_LABELS: Record<ReportEventAction, string> = {
  submit: '提交',
  accept: '受理',
  reject: '不予受理',
  merge: '合并',
  dispatch: '分流',
  start: '开始处理',
  resolve: '办结',
  supervise: '督办',
  feedback: '回访',
  rate: '评价',
  follow: '关注',
  take: '我来处理',
  return: '退回',
  extend: '申请延期',
  grant_extension: '同意延期',
  deny_extension: '不同意延期',
  auto_close: '自动办结',
  auto_supervise: '超期督办',
  release: '审核通过',
};

/**
 * What one step of the loop was, in words: the one wording of its timeline line and of its notice. The
 * same action again after a reopening says so (再次办结: a reopened report resolved a second time is news,
 * not a repeat), and a rating that reopened the report says that instead of a bare 评价.
 */
export function reportStepLabel(step: { action: ReportEventAction; toStatus: ReportStatus | null }, afterReopening: boolean): string {
  if (step.action === 'rate' && step.toStatus === 'in_progress') return '评价不满意，重新处理';
  if (afterReopening && (step.action === 'resolve' || step.action === 'auto_close')) return `再次${REPORT_ACTION_LABELS[step.action]}`;
  return REPORT_ACTION_LABELS[step.action];
}

/** The labels of a report's timeline, oldest first: each step after a reopening rating reads as such. */
export function reportStepLabels(events: readonly { action: ReportEventAction; toStatus: ReportStatus | null }[]): string[] {
  let reopened = false;
  return events.map((e) => {
    const label = reportStepLabel(e, reopened);
    if (e.action === 'rate' && e.toStatus === 'in_progress') reopened = true;
    return label;
  });
}

/* ───────────── the state machine ───────────── */

/** How the caller stands to the report; computed by the server, used by both sides. */
export interface ReportRelation {
  isReporter: boolean;
  /** the user the report is dispatched to */
  isAssignee: boolean;
  /** staff of the department the report is dispatched to */
  inAssignedDepartment: boolean;
  /** grid worker whose scope covers the report's grid node */
  gridWorkerInScope: boolean;
  /** secretary whose scope covers it */
  secretaryInScope: boolean;
  /** already follows it */
  isFollower: boolean;
  /** lives in the report's community (by their household): may see it as a neighbour, and +1 it */
  isNeighbour: boolean;
}

/** What the report row says beside its status that some actions depend on. */
export interface ReportFacts {
  /** An extension (缓办) was asked for and waits for a secretary's decision. */
  extensionPending: boolean;
}
export const NO_REPORT_FACTS: ReportFacts = { extensionPending: false };

interface ReportRule {
  from: readonly ReportStatus[];
  /** null: the status does not change (supervise, feedback, follow); rate decides by score. */
  to: ReportStatus | null;
  may: (r: ReportRelation) => boolean;
  /** Beside the status, what must hold for the action to be legal (else 409 INVALID_TRANSITION). */
  when?: (facts: ReportFacts) => boolean;
}

const triage = (r: ReportRelation) => r.gridWorkerInScope || r.secretaryInScope;
const handler = (r: ReportRelation) => r.isAssignee || r.inAssignedDepartment || r.gridWorkerInScope;
/** The one it was dispatched to: the assignee, or staff of the assigned department. */
const assigned = (r: ReportRelation) => r.isAssignee || r.inAssignedDepartment;
/** Being handled: what an extension is about. */
const HANDLING: ReportStatus[] = ['dispatched', 'in_progress'];

export const REPORT_RULES: Record<ReportAction, ReportRule> = {
  accept: { from: ['submitted'], to: 'accepted', may: triage },
  reject: { from: ['submitted'], to: 'rejected', may: triage },
  merge: { from: ['submitted'], to: 'merged', may: triage },
  // Dispatching again reassigns.
  dispatch: { from: ['accepted', 'dispatched'], to: 'dispatched', may: triage },
  start: { from: ['dispatched'], to: 'in_progress', may: handler },
  resolve: { from: ['in_progress'], to: 'resolved', may: handler },
  supervise: { from: SUPERVISABLE_STATUSES, to: null, may: (r) => r.secretaryInScope },
  feedback: { from: ['resolved', 'closed'], to: null, may: triage },
  rate: { from: ['resolved'], to: null, may: (r) => r.isReporter },
  // Only a neighbour, who could already see it in /reports/nearby; a person without a household has no community.
  follow: { from: ['submitted', 'accepted', 'dispatched', 'in_progress'], to: null, may: (r) => r.isNeighbour && !r.isReporter && !r.isFollower },
  // 我来处理: a grid worker over it accepts, takes it on and starts, in one step (the three events of those steps).
  take: { from: ['submitted', 'accepted'], to: 'in_progress', may: (r) => r.gridWorkerInScope },
  // Dispatched to the wrong place: its assignee hands it back to triage, with a reason.
  return: { from: ['dispatched'], to: 'accepted', may: assigned },
  // 缓办: the assignee asks for more time; one request at a time; a secretary over it decides.
  extend: { from: HANDLING, to: null, may: assigned, when: (f) => !f.extensionPending },
  grant_extension: { from: HANDLING, to: null, may: (r) => r.secretaryInScope, when: (f) => f.extensionPending },
  deny_extension: { from: HANDLING, to: null, may: (r) => r.secretaryInScope, when: (f) => f.extensionPending },
};

/** Legal from the report's state (its status, and the facts some rules ask), whoever asks. */
export function isLegalReportAction(action: ReportAction, status: ReportStatus, facts: ReportFacts = NO_REPORT_FACTS): boolean {
  const rule = REPORT_RULES[action];
  return rule.from.includes(status) && (rule.when?.(facts) ?? true);
}

export function canApplyReportAction(action: ReportAction, status: ReportStatus, relation: ReportRelation, facts: ReportFacts = NO_REPORT_FACTS): boolean {
  return isLegalReportAction(action, status, facts) && REPORT_RULES[action].may(relation);
}

/** The actions the caller may take now: the server enforces them, the app shows only these. */
export function availableReportActions(status: ReportStatus, relation: ReportRelation, facts: ReportFacts = NO_REPORT_FACTS): ReportAction[] {
  return REPORT_ACTIONS.filter((action) => canApplyReportAction(action, status, relation, facts));
}

/** A rating ≥ 3 closes; ≤ 2 reopens once, and a second low rating closes as unsatisfied. */
export function statusAfterRating(score: number, reopenCount: number): { status: ReportStatus; reopened: boolean } {
  if (score >= 3 || reopenCount >= 1) return { status: 'closed', reopened: false };
  return { status: 'in_progress', reopened: true };
}

/** `2026-11-23 18:00` in China time: how a due time reads in a timeline note. */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export function dueAtFor(from: Date, slaHours: number, priority: Priority): Date {
  return new Date(from.getTime() + slaHours * PRIORITY_SLA_FACTOR[priority] * 3600_000);
}

/** Days after resolution without a rating before the report closes by itself. */
export const AUTO_CLOSE_DAYS = 7;
export const MAX_REPORT_PHOTOS = 9;
/** An extension (缓办) asks for at most this many days from now. */
export const MAX_EXTENSION_DAYS = 90;

/* ───────────── request schemas ───────────── */

const photoUrl = z.string().trim().min(1).max(500);
const photos = z.array(photoUrl).max(MAX_REPORT_PHOTOS).default([]);
const version = z.number().int().min(0).optional();
const note = z.string().trim().max(1000);

export const createReportBody = z.object({
  categoryCode: z.string().trim().min(1).max(32),
  description: z.string().trim().min(5, '请至少写 5 个字').max(2000),
  photos,
  location: latLng.optional(),
  address: z.string().trim().max(200).optional(),
  anonymous: z.boolean().default(false),
  channel: z.enum(INTAKE_CHANNELS).default('miniprogram'),
  onBehalfOfUserId: z.number().int().positive().optional(),
  /** Staff record a caller who is not registered (hotline, 说事点): kept on the report, the phone encrypted; not with onBehalfOfUserId. */
  caller: z.object({ name: z.string().trim().min(1, '请填写来电人姓名').max(32), phone: phoneNumber }).optional(),
});
export type CreateReportBody = z.infer<typeof createReportBody>;

export const reportActionBodies = {
  accept: z.object({ priority: z.enum(PRIORITIES), handlingMethod: z.enum(HANDLING_METHODS), dueAt: z.iso.datetime().optional(), note: note.optional(), version }),
  reject: z.object({ reason: note.min(2), version }),
  merge: z.object({ intoId: z.number().int().positive(), version }),
  dispatch: z
    .object({ assigneeId: z.number().int().positive().optional(), departmentId: z.number().int().positive().optional(), note: note.optional(), version })
    .refine((b) => !!b.assigneeId !== !!b.departmentId, { message: '须指定处理人或部门之一', path: ['assigneeId'] }),
  start: z.object({ note: note.optional(), version }),
  resolve: z.object({ result: note.min(2), photos, version }),
  /** dueAt: 督办时限, the date the supervisor asks it done by (it pauses the automatic supervision until then). */
  supervise: z.object({ note: note.min(2), dueAt: z.iso.datetime().optional(), version }),
  feedback: z.object({ method: z.enum(['visit', 'call']), note: note.min(2), version }),
  rate: z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional(), version }),
  follow: z.object({ version }),
  /** The accept part's choices (handled on site, 现场处置, by the one who takes it); by default 一般, due by the category's time. */
  take: z.object({ priority: z.enum(PRIORITIES).default('normal'), dueAt: z.iso.datetime().optional(), note: note.optional(), version }),
  return: z.object({ reason: note.min(2), version }),
  extend: z.object({ until: z.iso.datetime(), reason: note.min(2), version }),
  grant_extension: z.object({ note: note.optional(), version }),
  deny_extension: z.object({ reason: note.min(2), version }),
} satisfies Record<ReportAction, z.ZodType>;
export type ReportActionBody<A extends ReportAction> = z.infer<(typeof reportActionBodies)[A]>;

export const QUEUE_SORTS = ['due', 'priority', 'updated'] as const satisfies readonly QueueSort[];
export const QUEUE_SORT_LABELS: Record<(typeof QUEUE_SORTS)[number], string> = { due: '按时限', priority: '按缓急', updated: '按更新' };

/**
 * `status`: one status, `open` (every open one) or `done` (closed, not accepted, merged). `q`: a number
 * (SS330199001-20261123-0001, with or without the letters), words of the description or address, or — in
 * a staff queue — the start of the reporter's or caller's name or a phone's last four (never on an
 * anonymous report). `sort`: `due`
 * (earliest due first, those without a due time last), `priority` (紧急 first, then by due), `updated`
 * (latest change first); without it, newest first. The cursor carries the sort it was made for.
 */
export const listReportsQuery = pageQuery
  .omit({ cursor: true })
  .extend({
    scope: z.enum(['mine', 'queue', 'following']).default('mine'),
    status: z.enum([...REPORT_STATUSES, 'open', 'done']).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    /** true: open and due within DUE_SOON_HOURS, not yet past it (即将超期). */
    dueSoon: z.enum(['true', 'false']).optional(),
    categoryCode: z.string().trim().max(32).optional(),
    q: z.string().trim().min(1).max(50).optional(),
    sort: z.enum(QUEUE_SORTS).optional(),
    cursor: sortedPageCursor.optional(),
  })
  .superRefine((query, ctx) => {
    // Zod runs this even when the cursor itself failed (it is then still the text): only a decoded cursor is compared.
    if (typeof query.cursor === 'object' && query.cursor.sort !== (query.sort ?? 'id')) ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'cursor 应为同一排序下上一页返回的 nextCursor' });
  });
export type ListReportsQuery = z.infer<typeof listReportsQuery>;

export const nearbyReportsQuery = latLng.extend({
  categoryCode: z.string().trim().min(1).max(32),
  radius: z.coerce.number().min(10).max(2000).default(300),
});

/* ───────────── responses ───────────── */

export interface ReportCategory {
  code: string;
  name: string;
  slaHours: number;
  departmentId: number | null;
  departmentName: string | null;
}

export interface ReportPerson {
  id: number;
  nickname: string;
}

/** A pending extension (缓办) request: asked by whom, until when (the reason is on the timeline). */
export interface ReportExtensionRequest {
  until: string;
}

export interface ReportEvent {
  id: number;
  action: ReportEventAction;
  /** null for the automatic jobs */
  actor: ReportPerson | null;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  note: string | null;
  photos: string[];
  createdAt: string;
  /** A rating's comment under review shows as 评价内容审核中 to all but the reporter and the reviewers. */
  moderation: ModerationState;
}

export interface ReportSummary {
  id: number;
  /** SS330199001-20261123-0001 (the street's code, the day, the street's count of the day): what a person reads out on the phone */
  number: string;
  status: ReportStatus;
  version: number;
  categoryCode: string;
  categoryName: string;
  description: string;
  photos: string[];
  address: string | null;
  location: { lat: number; lng: number } | null;
  channel: IntakeChannel;
  anonymous: boolean;
  /** null when hidden (anonymous report seen by staff) */
  reporter: ReportPerson | null;
  gridNodeId: number;
  gridPath: string[];
  priority: Priority | null;
  handlingMethod: HandlingMethod | null;
  dueAt: string | null;
  overdue: boolean;
  /** 督办时限: the date a supervisor asked it done by; null when none was set. */
  supervisionDueAt: string | null;
  /** An approved extension (缓办) moved `dueAt`: counted apart in the KPIs. */
  extended: boolean;
  /** An extension asked for, waiting for a secretary; null when none. */
  extensionRequest: ReportExtensionRequest | null;
  escalationLevel: number;
  assignee: ReportPerson | null;
  department: { id: number; name: string } | null;
  followers: number;
  rating: number | null;
  createdAt: string;
  updatedAt: string;
  /** Content check: anything but `clear` is seen only by the reporter and the reviewers. */
  moderation: ModerationState;
}

export interface ReportDetail extends ReportSummary {
  events: ReportEvent[];
  mergedIntoId: number | null;
  /** The building consultation this report became (handling method `consultation`). */
  consultationId: number | null;
  /** The dispute case this report became (handling method `mediation`). */
  disputeId: number | null;
  reopenCount: number;
  /** What the caller may do now (from the shared state machine). */
  actions: ReportAction[];
  /** The category's usual department, suggested at dispatch. */
  suggestedDepartment: { id: number; name: string } | null;
  /**
   * The unregistered caller staff recorded (name, phone masked): present only for the staff handling the
   * report (never for residents, Open311 or nearby lists); null when there is none.
   */
  caller?: ReportCaller | null;
  /**
   * The reporter's phone, masked, for the staff over or on the report (never on an anonymous report, never
   * to residents); `POST /reports/:id/reporter/phone` reveals it (audited). Absent for everyone else.
   */
  reporterPhoneMasked?: string | null;
}

export interface ReportCaller {
  name: string;
  phoneMasked: string | null;
}

export interface ReportQueueCounts {
  submitted: number;
  accepted: number;
  dispatched: number;
  in_progress: number;
  resolved: number;
  overdue: number;
  /** 即将超期: open, due within DUE_SOON_HOURS and not past it. */
  dueSoon: number;
}

/** Someone a report can be dispatched to. */
export interface ReportAssignee {
  id: number;
  nickname: string;
  role: string;
}

/** `GET /reports`: a page, and for `scope=queue` the counts per status (of the same category and `q` as the page). */
export interface ReportListPage {
  items: ReportSummary[];
  nextCursor: string | null;
  counts?: ReportQueueCounts;
}

export interface Department {
  id: number;
  name: string;
  code: string;
}
