import { SUPERVISABLE_STATUSES } from '@linli/shared';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Report } from '../reports/report.entity';
import type { KpiCounts } from './kpi';
import { num, sqlDialect } from './sql';

/**
 * The KPI counts of kpi.ts as SQL, one row per group AND status: grouping by status (which the
 * covering index carries) leaves only a few cheap sums per row, where asking every figure's status
 * in a CASE cost a string comparison per figure per row. statusCounts() folds the rows by kpi.ts.
 * A comparison is 1, 0 or NULL in both databases, and SUM/COUNT skip NULLs: `COUNT(r.rating)` is the
 * rated ones, `SUM(hours)` is over those with a resolvedAt (hours are NULL without one).
 * Used by the dashboard's raw reads (stats.service.ts) and by the daily rollup (rollups.ts).
 */
export function selectKpiCounts(query: SelectQueryBuilder<Report>, dataSource: DataSource, now: Date): SelectQueryBuilder<Report> {
  const hours = sqlDialect(dataSource).hoursBetween('r.createdAt', 'r.resolvedAt');
  return query
    .addSelect('r.status', 'status')
    .addSelect('COUNT(*)', 'n')
    .addSelect('COUNT(r.extendedAt)', 'extended')
    .addSelect('SUM(CASE WHEN r.extendedAt IS NOT NULL AND r.dueAt >= :kpiNow THEN 1 ELSE 0 END)', 'deferred')
    .setParameter('kpiNow', now)
    .addSelect('SUM(COALESCE(r.resolvedAt, r.closedAt) <= r.dueAt)', 'onTime')
    .addSelect('COUNT(r.rating)', 'rated')
    .addSelect('SUM(r.rating)', 'ratingSum')
    .addSelect('SUM(r.rating >= 4)', 'satisfied')
    .addSelect('COUNT(r.resolvedAt)', 'resolved')
    .addSelect(`SUM(${hours})`, 'hoursSum')
    .addGroupBy('r.status');
}

/**
 * The counts of kpi.ts from one row of selectKpiCounts(): the reports of one group in one status.
 * closed: their on-time/rating sums count; resolved or closed: those with a resolvedAt are handled;
 * still being handled: those under an extension not yet run out are deferred (缓办).
 */
export function statusCounts(row: Record<string, unknown>): KpiCounts {
  const status = String(row.status);
  const n = num(row.n);
  const closed = status === 'closed';
  const handled = status === 'resolved' || closed;
  return {
    received: n,
    closed: closed ? n : 0,
    rejected: status === 'rejected' ? n : 0,
    merged: status === 'merged' ? n : 0,
    extended: num(row.extended),
    deferred: isOpen(status) ? num(row.deferred) : 0,
    closedOnTime: closed ? num(row.onTime) : 0,
    rated: closed ? num(row.rated) : 0,
    ratingSum: closed ? num(row.ratingSum) : 0,
    satisfied: closed ? num(row.satisfied) : 0,
    handled: handled ? num(row.resolved) : 0,
    handleHoursSum: handled ? num(row.hoursSum) : 0,
  };
}

/** Still being handled (what can be supervised). */
export function isOpen(status: string): boolean {
  return (SUPERVISABLE_STATUSES as readonly string[]).includes(status);
}
