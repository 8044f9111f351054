import { z } from 'zod';
import { pageQuery } from './pagination';
import type { LedgerEntryView } from './points';

/* ───────────── hours ───────────── */

/** Hours move in half hours; the ledger counts minutes so every amount is a whole number. */
export const HOURS_STEP = 0.5;
export const toMinutes = (hours: number): number => Math.round(hours * 60);
export const toHours = (minutes: number): number => minutes / 60;

/** Check-in opens this long before the start. */
export const CHECK_IN_EARLY_MS = 30 * 60_000;
/** A claim nobody settles is settled by itself this long after its task ended (checked in → confirmed, else no-show). */
export const CLAIM_AUTO_SETTLE_DAYS = 7;

/* ───────────── tasks ───────────── */

export const TASK_STATUSES = ['open', 'ended', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { open: '招募中', ended: '已结束', cancelled: '已取消' };

/** Who pays the hours: the community's hours account, or the posting resident's own (escrowed). */
export const TASK_FUNDING = ['community', 'resident'] as const;
export type TaskFunding = (typeof TASK_FUNDING)[number];

export const TASK_ACTIONS = ['claim', 'cancel'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export interface TaskRelation {
  /** holds the volunteer role over the task's place */
  volunteerInScope: boolean;
  isPoster: boolean;
  secretaryInScope: boolean;
  /** the caller holds a claim that is not cancelled */
  hasClaim: boolean;
  full: boolean;
  beforeStart: boolean;
}

const taskRules: Record<TaskAction, { from: TaskStatus[]; may: (r: TaskRelation) => boolean }> = {
  claim: { from: ['open'], may: (r) => r.volunteerInScope && !r.isPoster && !r.hasClaim && !r.full && r.beforeStart },
  cancel: { from: ['open'], may: (r) => r.isPoster || r.secretaryInScope },
};
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
  /** now is within [start − 30 min, end] */
  checkInOpen: boolean;
}

const claimRules: Record<ClaimAction, { from: ClaimStatus[]; to: ClaimStatus; may: (r: ClaimRelation) => boolean }> = {
  cancel: { from: ['claimed'], to: 'cancelled', may: (r) => r.isVolunteer && r.beforeStart },
  check_in: { from: ['claimed'], to: 'checked_in', may: (r) => r.isVolunteer && r.checkInOpen },
  check_out: { from: ['checked_in'], to: 'checked_out', may: (r) => r.isVolunteer },
  // Attendance is confirmed by someone else: a volunteer who forgot to check out may still be confirmed.
  confirm: { from: ['checked_in', 'checked_out'], to: 'confirmed', may: (r) => r.isManager && !r.isVolunteer },
  no_show: { from: ['claimed', 'checked_in'], to: 'no_show', may: (r) => r.isManager && !r.isVolunteer && !r.beforeStart },
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
  })
  .refine((b) => new Date(b.endAt).getTime() > new Date(b.startAt).getTime(), { message: '结束时间须晚于开始时间', path: ['endAt'] });
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

export const taskActionBody = z.object({ reason: text(0, 200).optional(), version });

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
  poster: { id: number; nickname: string };
  location: { lat: number; lng: number; address: string | null } | null;
  /** From the `lat,lng` of the list query. */
  distanceMeters: number | null;
  myClaim: { id: number; status: ClaimStatus } | null;
  actions: TaskAction[];
  createdAt: string;
}

export interface TimebankClaim {
  id: number;
  taskId: number;
  task: { id: number; title: string; startAt: string; endAt: string; status: TaskStatus };
  volunteer: { id: number; nickname: string };
  status: ClaimStatus;
  version: number;
  hours: number;
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
