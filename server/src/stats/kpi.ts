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
 * completionRate  办结率 = closed ÷ (received − rejected − merged); null when that is 0.
 * onTimeRate      of the closed ones with a dueAt, the share with resolvedAt ≤ dueAt; null when none.
 *                 resolvedAt, not closedAt: the due time binds the staff, and resolving is the last
 *                 thing they do; closedAt waits on the resident's rating (up to 7 days), which staff
 *                 do not control. A reopened report's resolvedAt is its final resolution, so a reopen
 *                 that pushed the fix past the due time makes it late. (closedAt stands in if a closed
 *                 report has no resolvedAt.)
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
}

/** The additive counts the figures are made of: sums of these over parts give the whole. */
export interface KpiCounts {
  received: number;
  closed: number;
  rejected: number;
  merged: number;
  closedWithDue: number;
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
  closedWithDue: 0,
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

/** The counts of the cohort received in [from, to), by the definitions above. */
export function countKpis(rows: readonly KpiRow[], from: Date, to: Date): KpiCounts {
  const counts = { ...ZERO_COUNTS };
  for (const row of rows) {
    if (!inPeriod(row.createdAt, from, to)) continue;
    counts.received++;
    if (row.status === 'rejected') counts.rejected++;
    if (row.status === 'merged') counts.merged++;
    if (row.status === 'closed') {
      counts.closed++;
      const finishedAt = row.resolvedAt ?? row.closedAt;
      if (row.dueAt) {
        counts.closedWithDue++;
        if (finishedAt && finishedAt.getTime() <= row.dueAt.getTime()) counts.closedOnTime++;
      }
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
  const base = c.received - c.rejected - c.merged;
  return {
    received: c.received,
    closed: c.closed,
    rejected: c.rejected,
    merged: c.merged,
    completionRate: base > 0 ? round(c.closed / base, 4) : null,
    onTimeRate: c.closedWithDue > 0 ? round(c.closedOnTime / c.closedWithDue, 4) : null,
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
