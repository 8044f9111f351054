import { z } from 'zod';
import { pageQuery } from './pagination';
import type { ModerationState } from './moderation';
import { latLng } from './grids';
import { phoneNumber } from './residents';

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

export const REPORT_ACTIONS = ['accept', 'reject', 'merge', 'dispatch', 'start', 'resolve', 'supervise', 'feedback', 'rate', 'follow'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];
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
  auto_close: '自动办结',
  auto_supervise: '超期督办',
  release: '审核通过',
};

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

interface ReportRule {
  from: readonly ReportStatus[];
  /** null: the status does not change (supervise, feedback, follow); rate decides by score. */
  to: ReportStatus | null;
  may: (r: ReportRelation) => boolean;
}

const triage = (r: ReportRelation) => r.gridWorkerInScope || r.secretaryInScope;
const handler = (r: ReportRelation) => r.isAssignee || r.inAssignedDepartment || r.gridWorkerInScope;

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
};

export function canApplyReportAction(action: ReportAction, status: ReportStatus, relation: ReportRelation): boolean {
  const rule = REPORT_RULES[action];
  return rule.from.includes(status) && rule.may(relation);
}

/** The actions the caller may take now: the server enforces them, the app shows only these. */
export function availableReportActions(status: ReportStatus, relation: ReportRelation): ReportAction[] {
  return REPORT_ACTIONS.filter((action) => canApplyReportAction(action, status, relation));
}

/** A rating ≥ 3 closes; ≤ 2 reopens once, and a second low rating closes as unsatisfied. */
export function statusAfterRating(score: number, reopenCount: number): { status: ReportStatus; reopened: boolean } {
  if (score >= 3 || reopenCount >= 1) return { status: 'closed', reopened: false };
  return { status: 'in_progress', reopened: true };
}

export function dueAtFor(from: Date, slaHours: number, priority: Priority): Date {
  return new Date(from.getTime() + slaHours * PRIORITY_SLA_FACTOR[priority] * 3600_000);
}

/** Days after resolution without a rating before the report closes by itself. */
export const AUTO_CLOSE_DAYS = 7;
export const MAX_REPORT_PHOTOS = 9;

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
  supervise: z.object({ note: note.min(2), version }),
  feedback: z.object({ method: z.enum(['visit', 'call']), note: note.min(2), version }),
  rate: z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional(), version }),
  follow: z.object({ version }),
} satisfies Record<ReportAction, z.ZodType>;
export type ReportActionBody<A extends ReportAction> = z.infer<(typeof reportActionBodies)[A]>;

export const listReportsQuery = pageQuery.extend({
  scope: z.enum(['mine', 'queue', 'following']).default('mine'),
  status: z.enum(REPORT_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  categoryCode: z.string().trim().max(32).optional(),
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
  /** SS20261123-0001: what a person reads out on the phone */
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
}

/** Someone a report can be dispatched to. */
export interface ReportAssignee {
  id: number;
  nickname: string;
  role: string;
}

/** `GET /reports`: a page, and for `scope=queue` the counts per status. */
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
