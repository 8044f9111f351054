import { z } from 'zod';
import { CHINA_UTC_OFFSET_MS } from './points';
import { STAFF_ROLES } from './roles';

/* ───────────── the dashboard (GET /stats/overview) ───────────── */

/** `YYYY-MM-DD` (a China day) or a full ISO-8601 instant. */
export const dayOrInstant = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'), z.iso.datetime({ offset: true })]);

/**
 * The period is `[from, to)`. A day (`2026-11-01`) means the start of that China day for `from`, and the
 * end of that China day for `to` (so `from=2026-11-01&to=2026-11-30` is the whole of November);
 * an instant is used as given. Without them: the current China month so far. At most 366 days.
 */
export const statsQuery = z.object({
  nodeId: z.coerce.number().int().positive().optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
});
export type StatsQuery = z.infer<typeof statsQuery>;

export const MAX_STATS_PERIOD_DAYS = 366;

/**
 * A range of China days as two date pickers left it, kept valid: at most MAX_STATS_PERIOD_DAYS days and
 * `from` not after `to`. The end just moved stays where it was put; the other follows it (a secretary
 * who picks a start two years back sees the end move with it, rather than a refusal).
 */
export function keepPeriodInBounds(range: { from: string; to: string }, moved: 'from' | 'to'): { from: string; to: string } {
  const days = dayNumber(range.to) - dayNumber(range.from) + 1;
  if (days >= 1 && days <= MAX_STATS_PERIOD_DAYS) return range;
  const span = days < 1 ? 0 : MAX_STATS_PERIOD_DAYS - 1;
  return moved === 'from' ? { from: range.from, to: addDays(range.from, span) } : { from: addDays(range.to, -span), to: range.to };
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` (calendar arithmetic: no time zone involved). */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
}

/** The `YYYY-MM-DD` `days` days after `day` (before, when negative): calendar days, the same in every zone. */
export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** Start of the China day `YYYY-MM-DD`, as an instant. */
export function chinaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_UTC_OFFSET_MS);
}

/** The figures of one set of reports (a node, a child, a category, a channel…). */
export interface KpiFigures {
  /** reports created in the period */
  received: number;
  /** of those, closed now */
  closed: number;
  rejected: number;
  merged: number;
  /** of those, the ones a granted extension (缓办/延期) moved the due time of */
  extended: number;
  /** 缓办 now: still being handled under a granted extension that has not run out (out of the rates' base) */
  deferred: number;
  /** 结案率 = closed ÷ (应结案 − 缓办) = closed ÷ (received − rejected − merged − deferred); null when that is 0 */
  completionRate: number | null;
  /** 按期结案率 = closed and resolved by their due time ÷ the same base; null when that is 0 */
  onTimeRate: number | null;
  satisfaction: {
    /** closed ones that carry a rating */
    rated: number;
    /** mean rating 1–5; null when none is rated */
    average: number | null;
    /** share rated 4 or 5; null when none is rated */
    satisfiedRate: number | null;
  };
  /** mean hours from submission to resolution of the resolved and closed ones; null when none */
  avgHandleHours: number | null;
}

export interface StatsBreakdownRow extends KpiFigures {
  key: string;
  label: string;
}

export interface StatsChildRow extends KpiFigures {
  nodeId: number;
  name: string;
  level: string;
  /** open reports past their due time now */
  overdue: number;
}

export interface StatsOverview extends KpiFigures {
  node: { id: number; name: string; level: string };
  /** the period actually used, ISO instants, `to` exclusive */
  from: string;
  to: string;
  /** open supervisable reports past their due time right now (not bound to the period) */
  overdue: number;
  byChild: StatsChildRow[];
  byCategory: StatsBreakdownRow[];
  byChannel: StatsBreakdownRow[];
  /** `key` is `none` for reports not accepted yet */
  byHandlingMethod: StatsBreakdownRow[];
  /** one row per China day of the period: reports received that day, and closed that day (whenever received) */
  daily: { date: string; received: number; closed: number }[];
  hotSpots: {
    /** the grid nodes that own the most reports of the period */
    nodes: { nodeId: number; name: string; path: string[]; received: number; open: number }[];
    /** ~100 m cells (lat/lng rounded to 3 decimals) with the most located reports */
    cells: { lat: number; lng: number; received: number }[];
  };
  /** 议事: consultations decided in the period under the node */
  consultations: { decided: number; eligibleHouseholds: number; votedHouseholds: number; participationRate: number | null };
  /** 时间银行: hours of claims confirmed in the period on tasks under the node */
  volunteerHours: { confirmedClaims: number; hours: number };
  /**
   * 文明积分: points paid out of community issuing accounts in the period. Points are booked per
   * community, so below community level this is the community's figure (`communityId` says which).
   */
  pointsIssued: { points: number; awards: number; communityIds: number[] };
}

/* ───────────── admin ───────────── */

export const roleAssignmentBody = z.object({
  userId: z.number().int().positive(),
  role: z.enum(STAFF_ROLES),
  nodeId: z.number().int().positive(),
});
export type RoleAssignmentBody = z.infer<typeof roleAssignmentBody>;

export const listRoleAssignmentsQuery = z.object({
  nodeId: z.coerce.number().int().positive().optional(),
  role: z.enum(STAFF_ROLES).optional(),
  userId: z.coerce.number().int().positive().optional(),
});

export const userSearchQuery = z.object({ q: z.string().trim().min(1).max(64) });

export const categoryCode = z.string().trim().regex(/^[a-z][a-z0-9_]{1,31}$/, '小写字母开头，可含数字和下划线');
const categoryFields = {
  name: z.string().trim().min(1).max(50),
  /** hours allowed from submission to resolution at normal priority (shortened for urgent and high) */
  slaHours: z.number().int().min(1).max(24 * 90),
  /** the department that usually handles it (suggested when dispatching) */
  departmentId: z.number().int().positive().nullable(),
  sortOrder: z.number().int().min(0).max(10_000),
};
export const createCategoryBody = z.object({
  code: categoryCode,
  ...categoryFields,
  departmentId: categoryFields.departmentId.default(null),
  sortOrder: categoryFields.sortOrder.default(0),
});
/** Only the fields sent change. */
export const updateCategoryBody = z.object(categoryFields).partial().refine((b) => Object.keys(b).length > 0, { message: '至少修改一项' });
export type CreateCategoryBody = z.infer<typeof createCategoryBody>;
export type UpdateCategoryBody = z.infer<typeof updateCategoryBody>;

export const updateGridNodeBody = z.object({ name: z.string().trim().min(1).max(100) });

export const createOpen311KeyBody = z.object({
  name: z.string().trim().min(2).max(60),
  nodeId: z.number().int().positive(),
});

export interface Open311KeyView {
  id: number;
  name: string;
  /** the first characters, to tell keys apart; the key itself is shown once, on creation */
  prefix: string;
  nodeId: number;
  nodeName: string;
  createdById: number;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const buildingCodeQuery = z.object({ format: z.enum(['qr', 'wxacode']).default('qr') });

/** What a building's code opens: the bind page with the building chosen. */
export const BIND_PAGE = 'pages/bind/index';
export const bindLink = (buildingId: number) => `/#/${BIND_PAGE}?buildingId=${buildingId}`;
/** The mini-program code's scene (≤ 32 characters): the bind page reads `b`. */
export const bindScene = (buildingId: number) => `b=${buildingId}`;
