import { SUPERVISABLE_STATUSES, type DisputeFigures, type KpiFigures, type ReportStatus } from '@linli/shared';

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

/* ───────────── 矛盾纠纷调处: the dispute figures (GET /stats/disputes) ───────────── */

/*
 * Like the reports', these are about the COHORT of cases REGISTERED in the period [from, to) (createdAt),
 * each counted by what has happened to it by now. A case keeps the time of every milestone it passed
 * (acceptedAt, agreedAt, failedAt, fulfilledAt, breachedAt, ruledAt), so closing it (结案归档) changes
 * none of these figures: a case counts by the milestones, not by the status it is archived in.
 *
 * received        cases registered in [from, to), whatever happened to them (declined ones too).
 * accepted        of those, accepted for mediation (acceptedAt set).
 * declined        of those, declined (不予受理).
 * agreed          of those, that reached an agreement (agreedAt set), written or oral, whatever came after:
 *                 a case that went agreed → fulfilled, or agreed → breached, or was closed after either,
 *                 still reached one. This is the numerator of 调解成功率: mediation succeeded.
 * failed          of those, whose mediation ended without agreement (failedAt set), whatever came after
 *                 (a fast-track ruling, closure).
 * fulfilled / breached / ruled   of those, agreed and performed / agreed and not performed / failed and
 *                 then ruled by the fast-track court (速裁法庭).
 * successRate     调解成功率 = agreed ÷ (agreed + failed) (DESIGN.md); null when no mediation has ended.
 *                 Cases still under mediation, not yet accepted, or declined are in neither term.
 * resolved        化解 = the cases in which the dispute is settled now: an agreement that has not been
 *                 breached (agreed and still pending, or fulfilled), or a fast-track ruling. DESIGN.md
 *                 writes 化解率 = (fulfilled + agreed + ruled) ÷ cases received; a case that went agreed →
 *                 fulfilled is ONE case, counted once (not once as agreed and again as fulfilled), and a
 *                 breached agreement is no longer settled, so it leaves the numerator (it is still
 *                 `agreed` for 调解成功率: mediation did reach an agreement). A failed case that was not
 *                 ruled (sent to litigation or arbitration) is not settled here.
 * resolutionRate  化解率 = resolved ÷ received; null when nothing was received. Declined cases stay in the
 *                 base: DESIGN.md divides by cases received, and a case turned away was not settled.
 * avgDays         mean days from acceptance to the end of mediation (agreedAt or failedAt) over the cases
 *                 that reached either: the span the 30-day limit binds. null when none.
 * confirmations   cases with a judicial confirmation recorded, by its status now (applied / confirmed /
 *                 rejected).
 * overdue         NOT period-bound: cases under mediation (accepted, mediating) now with dueAt < now.
 */

export interface DisputeKpiRow {
  status: string;
  createdAt: Date;
  acceptedAt: Date | null;
  declinedAt: Date | null;
  agreedAt: Date | null;
  failedAt: Date | null;
  fulfilledAt: Date | null;
  breachedAt: Date | null;
  ruledAt: Date | null;
  dueAt: Date | null;
  confirmationStatus: string | null;
}

/** The additive counts of the dispute figures. */
export interface DisputeKpiCounts {
  received: number;
  accepted: number;
  declined: number;
  agreed: number;
  failed: number;
  fulfilled: number;
  breached: number;
  ruled: number;
  resolved: number;
  ended: number;
  daysSum: number;
  confirmationApplied: number;
  confirmationConfirmed: number;
  confirmationRejected: number;
}

export const ZERO_DISPUTE_COUNTS: DisputeKpiCounts = {
  received: 0,
  accepted: 0,
  declined: 0,
  agreed: 0,
  failed: 0,
  fulfilled: 0,
  breached: 0,
  ruled: 0,
  resolved: 0,
  ended: 0,
  daysSum: 0,
  confirmationApplied: 0,
  confirmationConfirmed: 0,
  confirmationRejected: 0,
};

const DAY_MS = 24 * HOUR_MS;

/** Settled now: an agreement not breached, or a fast-track ruling (each case once). */
export function isResolvedDispute(row: Pick<DisputeKpiRow, 'agreedAt' | 'breachedAt' | 'ruledAt'>): boolean {
  return (row.agreedAt !== null && row.breachedAt === null) || row.ruledAt !== null;
}

/** The counts of the cohort registered in [from, to), by the definitions above. */
export function countDisputeKpis(rows: readonly DisputeKpiRow[], from: Date, to: Date): DisputeKpiCounts {
  const c = { ...ZERO_DISPUTE_COUNTS };
  for (const row of rows) {
    if (!inPeriod(row.createdAt, from, to)) continue;
    c.received++;
    if (row.acceptedAt) c.accepted++;
    if (row.declinedAt) c.declined++;
    if (row.agreedAt) c.agreed++;
    if (row.failedAt) c.failed++;
    if (row.agreedAt && row.fulfilledAt) c.fulfilled++;
    if (row.agreedAt && row.breachedAt) c.breached++;
    if (row.failedAt && row.ruledAt) c.ruled++;
    if (isResolvedDispute(row)) c.resolved++;
    const ended = row.agreedAt ?? row.failedAt;
    if (row.acceptedAt && ended) {
      c.ended++;
      c.daysSum += (ended.getTime() - row.acceptedAt.getTime()) / DAY_MS;
    }
    if (row.confirmationStatus === 'applied') c.confirmationApplied++;
    if (row.confirmationStatus === 'confirmed') c.confirmationConfirmed++;
    if (row.confirmationStatus === 'rejected') c.confirmationRejected++;
  }
  return c;
}

export function addDisputeCounts(a: DisputeKpiCounts, b: DisputeKpiCounts): DisputeKpiCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof DisputeKpiCounts)[]) sum[key] += b[key];
  return sum;
}

/** The published figures from the counts. Rates to 4 decimals, days to 1. */
export function disputeFigures(c: DisputeKpiCounts): DisputeFigures {
  return {
    received: c.received,
    accepted: c.accepted,
    declined: c.declined,
    agreed: c.agreed,
    failed: c.failed,
    fulfilled: c.fulfilled,
    breached: c.breached,
    ruled: c.ruled,
    resolved: c.resolved,
    successRate: c.agreed + c.failed > 0 ? round(c.agreed / (c.agreed + c.failed), 4) : null,
    resolutionRate: c.received > 0 ? round(c.resolved / c.received, 4) : null,
    avgDays: c.ended > 0 ? round(c.daysSum / c.ended, 1) : null,
  };
}

/** Under mediation now and past the due time, whenever registered. */
export function countOverdueDisputes(rows: readonly Pick<DisputeKpiRow, 'status' | 'dueAt'>[], now: Date): number {
  return rows.filter((row) => (row.status === 'accepted' || row.status === 'mediating') && row.dueAt !== null && row.dueAt.getTime() < now.getTime()).length;
}
