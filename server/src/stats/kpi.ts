import { SUPERVISABLE_STATUSES, type KpiFigures, type ReportStatus } from '@linli/shared';

/*
 * THE KPI DEFINITIONS — the one place they are written down. The SQL of stats.service.ts computes the
 * same counts with GROUP BY; kpi.test.ts checks both against hand-built data with known answers.
 *
 * The period is [from, to). Every figure except `overdue` is about the COHORT of reports RECEIVED in
 * the period (createdAt in [from, to)), each as it stands now: a report received on the 31st and
 * closed on the 2nd of the next month counts as received and closed in the month it was received;
 * one received the day before `from` is not in the period at all, whenever it was closed. So a
 * figure never exceeds its base (completion ≤ 100 %), and last month's figures only grow as its
 * late reports close, which is how the communities' monthly reports are read.
 *
 * received        reports with createdAt in [from, to).
 * rejected/merged of those, status rejected (不予受理) / merged (合并) now.
 * closed          of those, status closed now (the resident rated it, or it auto-closed 7 days after
 *                 resolution). A reopened report (reopenCount > 0) counts once, by where it stands now:
 *                 back in progress → not closed; closed after its second resolution → closed. A report
 *                 that is resolved but not yet rated is not closed.
 * extended        of those, the ones an approved extension (缓办/延期) moved the due time of (extendedAt
 *                 set), whatever they stand at now: shown apart on the dashboard.
 * deferred        缓办 now: of those, the ones still being handled (submitted … in_progress) with an
 *                 approved extension whose due time has not passed at `now`. Once its extended time
 *                 passes, or once it is resolved, a report is no longer deferred: it counts as any other.
 * completionRate  结案率 = closed ÷ (应结案 − 缓办), where 应结案 (what should be closed) is what was
 *                 taken in: received − rejected − merged; so closed ÷ (received − rejected − merged −
 *                 deferred). null when that is 0.
 * onTimeRate      按期结案率 = closed on time ÷ (应结案 − 缓办), the same base. On time: resolvedAt ≤ dueAt,
 *                 the due time as it stands (an approved extension moved it; a 督办时限 does not).
 *                 resolvedAt, not closedAt: the due time binds the staff, and resolving is the last
 *                 thing they do; closedAt waits on the resident's rating (up to 7 days), which staff
 *                 do not control. A reopened report's resolvedAt is its final resolution, so a reopen
 *                 that pushed the fix past the due time makes it late. (closedAt stands in if a closed
 *                 report has no resolvedAt; a closed report without a due time is not on time.)
 *   Source of both: the county assessments of digital city management (数字化城市管理) that grid
 *   governance borrowed, e.g. 金华市区数字化城市管理工作考核细则（试行）: 按期结案率 = 按期结案数 ÷
 *   (应结案数 − 缓办数) × 100%, 结案率 = 结案数 ÷ (应结案数 − 缓办数) × 100%
 *   (https://m.wenke99.com/p-414460.html); monthly bulletins such as 淮安市数字城管运行情况通报
 *   (2019-06) publish 应结案, 结案, 按期结案 and their rates the same way.
 * satisfaction    over the closed ones with a rating: average rating, and the share rated 4 or 5.
 *                 A reopened report's first low rating is replaced by its final one; auto-closed
 *                 reports carry no rating and are left out.
 * avgHandleHours  mean of (resolvedAt − createdAt) in hours over the ones resolved or closed with a
 *                 resolvedAt.
 * overdue         NOT period-bound: reports under the node open now (submitted, accepted,
 *                 dispatched, in_progress: what can be supervised) with dueAt < now.
 */

export interface KpiRow {
  status: ReportStatus;
  createdAt: Date;
  dueAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  rating: number | null;
  reopenCount: number;
  /** When an extension was granted (it moved dueAt); null when none was. */
  extendedAt: Date | null;
}

/** The additive counts the figures are made of: sums of these over parts give the whole. */
export interface KpiCounts {
  received: number;
  closed: number;
  rejected: number;
  merged: number;
  extended: number;
  deferred: number;
  closedOnTime: number;
  rated: number;
  ratingSum: number;
  satisfied: number;
  handled: number;
  handleHoursSum: number;
}

export const ZERO_COUNTS: KpiCounts = {
  received: 0,
  closed: 0,
  rejected: 0,
  merged: 0,
  extended: 0,
  deferred: 0,
  closedOnTime: 0,
  rated: 0,
  ratingSum: 0,
  satisfied: 0,
  handled: 0,
  handleHoursSum: 0,
};

const HOUR_MS = 3_600_000;

export function inPeriod(at: Date, from: Date, to: Date): boolean {
  return at.getTime() >= from.getTime() && at.getTime() < to.getTime();
}

/** 缓办 at `now`: being handled, its due time moved by a granted extension and not yet passed. */
export function isDeferred(row: Pick<KpiRow, 'status' | 'dueAt' | 'extendedAt'>, now: Date): boolean {
  return SUPERVISABLE_STATUSES.includes(row.status) && row.extendedAt !== null && row.dueAt !== null && row.dueAt.getTime() >= now.getTime();
}

/** The counts of the cohort received in [from, to), by the definitions above, as things stand at `now`. */
export function countKpis(rows: readonly KpiRow[], from: Date, to: Date, now: Date): KpiCounts {
  const counts = { ...ZERO_COUNTS };
  for (const row of rows) {
    if (!inPeriod(row.createdAt, from, to)) continue;
    counts.received++;
    if (row.status === 'rejected') counts.rejected++;
    if (row.status === 'merged') counts.merged++;
    if (row.extendedAt) counts.extended++;
    if (isDeferred(row, now)) counts.deferred++;
    if (row.status === 'closed') {
      counts.closed++;
      const finishedAt = row.resolvedAt ?? row.closedAt;
      if (row.dueAt && finishedAt && finishedAt.getTime() <= row.dueAt.getTime()) counts.closedOnTime++;
      if (row.rating !== null) {
        counts.rated++;
        counts.ratingSum += row.rating;
        if (row.rating >= 4) counts.satisfied++;
      }
    }
    if ((row.status === 'resolved' || row.status === 'closed') && row.resolvedAt) {
      counts.handled++;
      counts.handleHoursSum += (row.resolvedAt.getTime() - row.createdAt.getTime()) / HOUR_MS;
    }
  }
  return counts;
}

/** Open supervisable reports past their due time at `now`, whenever they were received. */
export function countOverdue(rows: readonly KpiRow[], now: Date): number {
  return rows.filter((row) => SUPERVISABLE_STATUSES.includes(row.status) && row.dueAt !== null && row.dueAt.getTime() < now.getTime()).length;
}

export function addCounts(a: KpiCounts, b: KpiCounts): KpiCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof KpiCounts)[]) sum[key] += b[key];
  return sum;
}

/** The published figures from the counts. Rates to 4 decimals, averages to 2. */
export function kpiFigures(c: KpiCounts): KpiFigures {
  // 应结案 − 缓办.
  const base = c.received - c.rejected - c.merged - c.deferred;
  return {
    received: c.received,
    closed: c.closed,
    rejected: c.rejected,
    merged: c.merged,
    extended: c.extended,
    deferred: c.deferred,
    completionRate: base > 0 ? round(c.closed / base, 4) : null,
    onTimeRate: base > 0 ? round(c.closedOnTime / base, 4) : null,
    satisfaction: {
      rated: c.rated,
      average: c.rated > 0 ? round(c.ratingSum / c.rated, 2) : null,
      satisfiedRate: c.rated > 0 ? round(c.satisfied / c.rated, 4) : null,
    },
    avgHandleHours: c.handled > 0 ? round(c.handleHoursSum / c.handled, 2) : null,
  };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
