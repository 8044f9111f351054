import { z } from 'zod';
import { pageQuery } from './pagination';
import { POINTS_PER_VOLUNTEER_HOUR, type LedgerEntryView } from './points';

/* ───────────── hours ───────────── */

/** Hours move in half hours; the ledger counts minutes so every amount is a whole number. */
export const HOURS_STEP = 0.5;
export const toMinutes = (hours: number): number => Math.round(hours * 60);
export const toHours = (minutes: number): number => minutes / 60;

/** Check-in opens this long before the start unless TIMEBANK_CHECK_IN_OPENS_MINUTES says otherwise; it closes at the end. */
export const CHECK_IN_EARLY_MS = 30 * 60_000;
/** A claim nobody settles is settled by itself this long after its task ended (checked in → confirmed, else no-show). */
export const CLAIM_AUTO_SETTLE_DAYS = 7;

/* ───────────── attendance: what a confirmed claim credits ───────────── */

/**
 * Credited time is counted in tenths of an hour (6 minutes, one point of POINTS_PER_VOLUNTEER_HOUR),
 * to the nearest: 77 minutes attended → 1.3 h.
 */
export const CREDIT_STEP_MINUTES = 6;
/** A check-in or check-out further than this from the task's place is flagged. */
export const ATTENDANCE_RADIUS_METERS = 300;
/** Attendance under this share of the task's hours is flagged as short. */
export const SHORT_ATTENDANCE_SHARE = 0.5;

type Instant = string | Date;
const ms = (at: Instant) => new Date(at).getTime();

/**
 * Minutes attended within the task's window: from check-in (or the start, if earlier) to check-out (or
 * the end, if later); 0 when they do not overlap; null while there is no check-out to measure to.
 */
export function attendedMinutes(task: { startAt: Instant; endAt: Instant }, checkedInAt: Instant | null, checkedOutAt: Instant | null): number | null {
  if (!checkedInAt || !checkedOutAt) return null;
  const from = Math.max(ms(checkedInAt), ms(task.startAt));
  const to = Math.min(ms(checkedOutAt), ms(task.endAt));
  return Math.max(0, to - from) / 60_000;
}

/** What attendance earns: rounded to the nearest tenth of an hour, never more than the task's hours. */
export function creditableMinutes(attended: number, taskMinutes: number): number {
  return Math.min(taskMinutes, Math.round(attended / CREDIT_STEP_MINUTES) * CREDIT_STEP_MINUTES);
}

/**
 * Civility points for a confirmed claim: only on a community-funded task and only when staff (a
 * secretary over the task's place) confirmed it, POINTS_PER_VOLUNTEER_HOUR per credited hour. A
 * resident-funded task moves hours between residents and creates no points (issue 13: a loop between
 * two residents minted them); a claim that settled by itself was vouched for by nobody.
 */
export function volunteerPoints(fundedBy: TaskFunding, confirmedByStaff: boolean, creditedMinutes: number): number {
  if (fundedBy !== 'community' || !confirmedByStaff) return 0;
  return Math.floor((creditedMinutes * POINTS_PER_VOLUNTEER_HOUR) / 60);
}

/** What the confirmer should look at before confirming. */
export const CLAIM_FLAGS = ['not_checked_out', 'short', 'far', 'no_location'] as const;
export type ClaimFlag = (typeof CLAIM_FLAGS)[number];
export const CLAIM_FLAG_LABELS: Record<ClaimFlag, string> = {
  not_checked_out: '未签退',
  short: '到场时长不足一半',
  far: `签到或签退处距任务地点超过 ${ATTENDANCE_RADIUS_METERS} 米`,
  no_location: '签到或签退未定位',
};

export interface AttendanceFacts {
  taskMinutes: number;
  /** The task has a place (check-in and check-out are compared with it). */
  hasPlace: boolean;
  checkedIn: boolean;
  checkedOut: boolean;
  attendedMinutes: number | null;
  /** Metres from the place; null when that step carried no location (or has not happened). */
  checkInDistanceMeters: number | null;
  checkOutDistanceMeters: number | null;
}

export function claimFlags(f: AttendanceFacts): ClaimFlag[] {
  if (!f.checkedIn) return [];
  const flags: ClaimFlag[] = [];
  if (!f.checkedOut) flags.push('not_checked_out');
  if (f.attendedMinutes !== null && f.attendedMinutes < f.taskMinutes * SHORT_ATTENDANCE_SHARE) flags.push('short');
  if (f.hasPlace) {
    const distances = [f.checkInDistanceMeters, ...(f.checkedOut ? [f.checkOutDistanceMeters] : [])];
    if (distances.some((d) => d !== null && d > ATTENDANCE_RADIUS_METERS)) flags.push('far');
    if (distances.some((d) => d === null)) flags.push('no_location');
  }
  return flags;
}

/* ───────────── tasks ───────────── */

/**
 * A task is `open` once its hours are held. A resident without enough hours may still ask for help
 * (求助): the task waits as `requested` until a secretary funds it from the community's hours (→ open)
 * or declines it with a reason the poster reads (→ declined).
 */
export const TASK_STATUSES = ['requested', 'open', 'ended', 'cancelled', 'declined'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  requested: '待社区审核',
  open: '招募中',
  ended: '已结束',
  cancelled: '已取消',
  declined: '社区未资助',
};
/** Seen only by the poster and the secretaries over its place (not yet, or never, a task volunteers may take). */
export const HELP_REQUEST_STATUSES: readonly TaskStatus[] = ['requested', 'declined'];

/** Who pays the hours: the community's hours account, or the posting resident's own (escrowed). */
export const TASK_FUNDING = ['community', 'resident'] as const;
export type TaskFunding = (typeof TASK_FUNDING)[number];

export const TASK_ACTIONS = ['claim', 'cancel', 'fund', 'decline'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export interface TaskRelation {
  /** holds the volunteer role over the task's place */
  volunteerInScope: boolean;
  isPoster: boolean;
  /** the task is paid from the community's hours and the caller is of the poster's household */
  posterFamilyOnCommunityHours: boolean;
  secretaryInScope: boolean;
  /** the caller holds a claim that is not cancelled */
  hasClaim: boolean;
  full: boolean;
  beforeStart: boolean;
}

const taskRules: Record<TaskAction, { from: TaskStatus[]; may: (r: TaskRelation) => boolean }> = {
  // The community's hours pay a neighbour who helps, not the asker's own family.
  claim: { from: ['open'], may: (r) => r.volunteerInScope && !r.isPoster && !r.posterFamilyOnCommunityHours && !r.hasClaim && !r.full && r.beforeStart },
  cancel: { from: ['open', 'requested'], may: (r) => r.isPoster || r.secretaryInScope },
  // A help request is funded from the community's hours, or declined with a reason, by a secretary over its place.
  fund: { from: ['requested'], may: (r) => r.secretaryInScope },
  decline: { from: ['requested'], may: (r) => r.secretaryInScope },
};
/** Where each task action leaves the task. */
export const TASK_ACTION_TARGETS: Record<Exclude<TaskAction, 'claim'>, TaskStatus> = { cancel: 'cancelled', fund: 'open', decline: 'declined' };
export const TASK_ACTION_LABELS: Record<TaskAction, string> = { claim: '认领', cancel: '取消', fund: '由社区出时长', decline: '不予资助' };
export const TASK_RULES = taskRules;

export function availableTaskActions(status: TaskStatus, relation: TaskRelation): TaskAction[] {
  return TASK_ACTIONS.filter((a) => taskRules[a].from.includes(status) && taskRules[a].may(relation));
}

/* ───────────── claims: claimed → checked_in → checked_out → confirmed (or cancelled, no_show) ───────────── */

export const CLAIM_STATUSES = ['claimed', 'checked_in', 'checked_out', 'confirmed', 'cancelled', 'no_show'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  claimed: '已报名',
  checked_in: '已签到',
  checked_out: '已签退',
  confirmed: '已确认',
  cancelled: '已取消',
  no_show: '未到场',
};
/** Claims that still hold a place and may still be paid. */
export const PENDING_CLAIM_STATUSES: readonly ClaimStatus[] = ['claimed', 'checked_in', 'checked_out'];

export const CLAIM_ACTIONS = ['cancel', 'check_in', 'check_out', 'confirm', 'no_show'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];
/** The contract's paths: /timebank/claims/:id/{cancel,check-in,check-out,confirm,no-show} */
export const CLAIM_ACTION_PATHS: Record<ClaimAction, string> = {
  cancel: 'cancel',
  check_in: 'check-in',
  check_out: 'check-out',
  confirm: 'confirm',
  no_show: 'no-show',
};

export interface ClaimRelation {
  /** the volunteer who claimed */
  isVolunteer: boolean;
  /** the task's poster or a secretary over its place (never the volunteer themself) */
  isManager: boolean;
  /** now is before the task's start */
  beforeStart: boolean;
  /** now is within [start − the check-in lead (30 min by default), end] */
  checkInOpen: boolean;
}

const claimRules: Record<ClaimAction, { from: ClaimStatus[]; to: ClaimStatus; may: (r: ClaimRelation) => boolean }> = {
  cancel: { from: ['claimed'], to: 'cancelled', may: (r) => r.isVolunteer && r.beforeStart },
  check_in: { from: ['claimed'], to: 'checked_in', may: (r) => r.isVolunteer && r.checkInOpen },
  check_out: { from: ['checked_in'], to: 'checked_out', may: (r) => r.isVolunteer },
  // Attendance is confirmed by someone else: a volunteer who forgot to check out may still be confirmed.
  confirm: { from: ['checked_in', 'checked_out'], to: 'confirmed', may: (r) => r.isManager && !r.isVolunteer },
  // A checked-out claim may be a no-show too: checking in and out is not being there.
  no_show: { from: ['claimed', 'checked_in', 'checked_out'], to: 'no_show', may: (r) => r.isManager && !r.isVolunteer && !r.beforeStart },
};
export const CLAIM_RULES = claimRules;

export function canApplyClaimAction(action: ClaimAction, status: ClaimStatus, relation: ClaimRelation): boolean {
  return claimRules[action].from.includes(status) && claimRules[action].may(relation);
}

export function availableClaimActions(status: ClaimStatus, relation: ClaimRelation): ClaimAction[] {
  return CLAIM_ACTIONS.filter((a) => canApplyClaimAction(a, status, relation));
}

/* ───────────── request schemas ───────────── */

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const hours = (max: number) =>
  z
    .number()
    .min(HOURS_STEP)
    .max(max)
    .refine((h) => Number.isInteger(h / HOURS_STEP), `以 ${HOURS_STEP} 小时为单位`);
const place = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: text(0, 200).optional(),
});
const version = z.number().int().min(0).optional();

export const createTaskBody = z
  .object({
    title: text(2, 60),
    description: text(0, 2000).default(''),
    startAt: z.iso.datetime(),
    endAt: z.iso.datetime(),
    /** Hours each volunteer earns. */
    hours: hours(24),
    capacity: z.number().int().min(1).max(200),
    /** A grid or micro-grid of the community; default the whole community. */
    scopeNodeId: z.number().int().positive().optional(),
    location: place.optional(),
    /** Who pays: a secretary's task is paid by the community unless they say `resident` (their own hours). */
    fundedBy: z.enum(TASK_FUNDING).optional(),
    /** 请社区出时长: a resident asks the community to pay; the task waits for a secretary (status `requested`). */
    requestFunding: z.boolean().optional(),
  })
  .refine((b) => !(b.requestFunding && b.fundedBy), { message: '请社区出时长时不能同时指定付款方', path: ['fundedBy'] })
  .refine((b) => new Date(b.endAt).getTime() > new Date(b.startAt).getTime(), { message: '结束时间须晚于开始时间', path: ['endAt'] })
  // Credited hours are the time attended within the window: more could never be earned.
  .refine((b) => toMinutes(b.hours) * 60_000 <= new Date(b.endAt).getTime() - new Date(b.startAt).getTime(), {
    message: '每人时长不能超过任务的起止时间',
    path: ['hours'],
  });
export type CreateTaskBody = z.infer<typeof createTaskBody>;

export const listTasksQuery = z.object({
  status: z.enum(TASK_STATUSES).default('open'),
  /** community: tasks of my community; mine: tasks I posted; claimed: tasks I claimed */
  scope: z.enum(['community', 'mine', 'claimed']).default('community'),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const claimActionBody = z.object({
  /** Check-in/out: where the phone is, when it says. */
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  version,
});
export type ClaimActionBody = z.infer<typeof claimActionBody>;

/** Credited hours: tenths of an hour. */
const creditHours = z
  .number()
  .min(0.1)
  .max(24)
  .refine((h) => Math.abs(h * 10 - Math.round(h * 10)) < 1e-9, '以 0.1 小时为单位');

/**
 * Confirm: without `hours` the attended time is credited; `hours` credits another amount (at most the
 * task's), and then `reason` is required unless it equals the attended time. The reason is kept on the
 * claim, in its events and the audit log, and told to the volunteer.
 */
export const confirmClaimBody = z.object({
  hours: creditHours.optional(),
  reason: text(2, 200).optional(),
  version,
});
export type ConfirmClaimBody = z.infer<typeof confirmClaimBody>;

export const taskActionBody = z.object({ reason: text(0, 200).optional(), version });
/** Declining a help request: the poster reads why. */
export const declineTaskBody = z.object({ reason: text(2, 200), version });
export type DeclineTaskBody = z.infer<typeof declineTaskBody>;

export const giftHoursBody = z.object({ toUserId: z.number().int().positive(), hours: hours(1000) });
export type GiftHoursBody = z.infer<typeof giftHoursBody>;

export const volunteerApplyBody = z.object({ note: text(0, 200).optional() });
export const listVolunteerApplicationsQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected']).default('pending') });

export const timebankMeQuery = pageQuery;

/* ───────────── responses ───────────── */

export interface TimebankTask {
  id: number;
  title: string;
  description: string;
  status: TaskStatus;
  version: number;
  communityId: number;
  scopeNodeId: number;
  scopeName: string;
  startAt: string;
  endAt: string;
  /** Hours each volunteer earns. */
  hours: number;
  capacity: number;
  claimed: number;
  fundedBy: TaskFunding;
  /** A declined help request: the secretary's reason. */
  declineReason: string | null;
  poster: { id: number; nickname: string };
  location: { lat: number; lng: number; address: string | null } | null;
  /** From the `lat,lng` of the list query. */
  distanceMeters: number | null;
  myClaim: { id: number; status: ClaimStatus } | null;
  actions: TaskAction[];
  /** When check-in opens (it closes at endAt). */
  checkInOpensAt: string;
  /** For its poster and secretaries: claims checked in or out, waiting to be confirmed; null for anyone else. */
  toConfirm: number | null;
  createdAt: string;
}

export interface TimebankClaim {
  id: number;
  taskId: number;
  task: { id: number; title: string; startAt: string; endAt: string; status: TaskStatus };
  volunteer: { id: number; nickname: string };
  status: ClaimStatus;
  version: number;
  /** The task's hours each: the most a claim may be credited. */
  hours: number;
  /** Attended within the task's window, in hours to 0.1 (see attendedMinutes); null without a check-out. */
  attendedHours: number | null;
  /** Hours confirmation credited; null until confirmed. */
  creditedHours: number | null;
  /** The confirmer's reason when the credited hours differ from the attended time. */
  adjustReason: string | null;
  /** Points the confirmation earned (volunteerPoints); null until confirmed. */
  points: number | null;
  /** What looks odd about the attendance (see claimFlags). */
  flags: ClaimFlag[];
  /** Metres between the task's place and where the phone was at check-in / check-out; null without either. */
  checkInDistanceMeters: number | null;
  checkOutDistanceMeters: number | null;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  checkInLocation: { lat: number; lng: number } | null;
  checkOutLocation: { lat: number; lng: number } | null;
  settledAt: string | null;
  createdAt: string;
  actions: ClaimAction[];
}

export interface TimebankTaskDetail extends TimebankTask {
  /** The poster and secretaries see every claim; a volunteer only their own. */
  claims: TimebankClaim[];
  /** Hours still held for the task (escrow). */
  heldHours: number;
}

export interface TimebankMe {
  balanceHours: number;
  entries: LedgerEntryView[];
  nextCursor: string | null;
  claims: TimebankClaim[];
  isVolunteer: boolean;
  application: VolunteerApplication | null;
}

export interface VolunteerApplication {
  userId: number;
  nickname: string;
  communityId: number;
  status: 'pending' | 'approved' | 'rejected';
  note: string | null;
  createdAt: string;
  decidedAt: string | null;
}
