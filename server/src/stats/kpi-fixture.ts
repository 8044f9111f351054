import type { ReportStatus } from '@linli/shared';
import { CHINA_UTC_OFFSET_MS } from '@linli/shared';
import type { KpiRow } from './kpi';

/**
 * Hand-built reports with known answers, for the pure definitions (kpi.test.ts) and the SQL path
 * (stats.test.ts). The period is November 2026 in China time; "now" is 5 December, 12:00.
 * Places are the demo community's micro-grids (G1: M11 桂香苑, M12 桂馨苑; G2: M21 丹桂苑, M22 金桂苑)
 * and, for the one outside the community, the street.
 */

/** A China wall-clock time as an instant. */
export const cn = (local: string): Date => new Date(Date.parse(`${local.replace(' ', 'T')}:00Z`) - CHINA_UTC_OFFSET_MS);

export const PERIOD = { from: cn('2026-11-01 00:00'), to: cn('2026-12-01 00:00') };
export const NOW = cn('2026-12-05 12:00');

export type Place = 'M11' | 'M12' | 'M21' | 'M22' | 'street';

export interface FixtureReport extends KpiRow {
  key: string;
  place: Place;
  categoryCode: string;
  channel: 'miniprogram' | 'hotline' | 'grid_patrol';
  handlingMethod: 'on_site' | 'department' | null;
  lat: number | null;
  lng: number | null;
  anonymous: boolean;
}

const row = (
  key: string,
  place: Place,
  status: ReportStatus,
  createdAt: string,
  times: { due?: string; resolved?: string; closed?: string; rating?: number; reopen?: number; extended?: string } = {},
  extra: Partial<FixtureReport> = {},
): FixtureReport => ({
  key,
  place,
  status,
  createdAt: cn(createdAt),
  dueAt: times.due ? cn(times.due) : null,
  resolvedAt: times.resolved ? cn(times.resolved) : null,
  closedAt: times.closed ? cn(times.closed) : null,
  rating: times.rating ?? null,
  reopenCount: times.reopen ?? 0,
  extendedAt: times.extended ? cn(times.extended) : null,
  categoryCode: 'sanitation',
  channel: 'miniprogram',
  handlingMethod: status === 'submitted' || status === 'rejected' || status === 'merged' ? null : 'on_site',
  lat: 30.279,
  lng: 120.1496,
  anonymous: false,
  ...extra,
});

export const FIXTURE: FixtureReport[] = [
  // Closed in time, rated 5: handled in 24 h.
  row('A', 'M11', 'closed', '2026-11-03 10:00', { due: '2026-11-05 10:00', resolved: '2026-11-04 10:00', closed: '2026-11-05 12:00', rating: 5 }),
  // Closed, resolved a day late, rated 3; 48 h; filed through the hotline, dispatched to a department.
  row('B', 'M11', 'closed', '2026-11-10 10:00', { due: '2026-11-11 10:00', resolved: '2026-11-12 10:00', closed: '2026-11-13 09:00', rating: 3 }, { channel: 'hotline', handlingMethod: 'department', categoryCode: 'water' }),
  // Reopened once, then resolved again before its due time (closed after it: still on time); rated 4; 48 h.
  row('C', 'M12', 'closed', '2026-11-15 09:00', { due: '2026-11-18 09:00', resolved: '2026-11-17 09:00', closed: '2026-11-18 10:00', rating: 4, reopen: 1 }, { lat: 30.2812, lng: 120.1491 }),
  // Rejected and merged: received, but out of the completion rate's base.
  row('D', 'M21', 'rejected', '2026-11-20 08:00', { closed: '2026-11-20 09:00' }, { anonymous: true, categoryCode: 'noise' }),
  row('E', 'M21', 'merged', '2026-11-21 08:00', { closed: '2026-11-21 09:00' }, { channel: 'grid_patrol' }),
  // Reopened after a rating of 2, back in progress and past due: not closed, not rated, overdue now.
  row('F', 'M22', 'in_progress', '2026-11-22 08:00', { due: '2026-11-25 08:00', rating: 2, reopen: 1 }),
  // Resolved, waiting for the rating: handled (30 h) but not closed.
  row('G', 'M22', 'resolved', '2026-11-25 08:00', { due: '2026-11-27 08:00', resolved: '2026-11-26 14:00' }),
  // Auto-closed without a rating, on time; 24 h. Closed after the period: still closed in its cohort.
  row('H', 'M11', 'closed', '2026-11-28 10:00', { due: '2026-11-30 10:00', resolved: '2026-11-29 10:00', closed: '2026-12-04 10:00' }),
  // Received at the very first instant of the period, accepted, past due now.
  row('K', 'M12', 'accepted', '2026-11-01 00:00', { due: '2026-11-02 00:00' }, { categoryCode: 'water' }),
  // One minute before the period (closed inside it, rated 1): in no figure of November but the daily "closed" line.
  row('I', 'M11', 'closed', '2026-10-31 23:59', { due: '2026-11-02 00:00', resolved: '2026-11-01 12:00', closed: '2026-11-02 12:00', rating: 1 }),
  // At the very end of the period (to is exclusive): not in November.
  row('J', 'M21', 'submitted', '2026-12-01 00:00'),
  // Old, still dispatched and long past due: overdue now, whatever the period.
  row('M', 'M11', 'dispatched', '2026-09-01 10:00', { due: '2026-09-03 10:00' }),
  // Outside the community (owned by the street): never counted for the community.
  row('L', 'street', 'closed', '2026-11-05 10:00', { due: '2026-11-06 10:00', resolved: '2026-11-05 20:00', closed: '2026-11-06 09:00', rating: 5 }),

  // October: extensions (缓办). An approved extension moved each `due` below to what is written.
  // Being handled under an extension that runs to 10 December (after now): deferred, out of the base.
  row('N', 'M22', 'in_progress', '2026-10-20 08:00', { due: '2026-12-10 08:00', extended: '2026-10-22 09:00' }),
  // Resolved by its extended due time and closed: on time, extended, not deferred (it is done).
  row('P', 'M12', 'closed', '2026-10-05 08:00', { due: '2026-10-15 08:00', extended: '2026-10-07 09:00', resolved: '2026-10-14 08:00', closed: '2026-10-15 09:00', rating: 5 }),
  // The extension ran out on 1 November and it is still in progress: extended, overdue, NOT deferred.
  row('Q', 'M21', 'in_progress', '2026-10-10 08:00', { due: '2026-11-01 08:00', extended: '2026-10-12 09:00' }),
  // No extension, resolved two days late, closed.
  row('R', 'M11', 'closed', '2026-10-08 08:00', { due: '2026-10-10 08:00', resolved: '2026-10-12 08:00', closed: '2026-10-13 08:00', rating: 4 }),
  // Extended to 20 December but already resolved (waiting for the rating): handling is done, NOT deferred.
  row('S', 'M11', 'resolved', '2026-10-25 08:00', { due: '2026-12-20 08:00', extended: '2026-10-26 08:00', resolved: '2026-10-28 08:00' }),
];

/** What the definitions must give for the community in November (and, below, its two grids). */
export const EXPECTED_COMMUNITY = {
  received: 9, // A B C D E F G H K
  closed: 4, // A B C H
  rejected: 1,
  merged: 1,
  extended: 0,
  deferred: 0,
  completionRate: 0.5714, // 4 ÷ (9 − 1 − 1 − 0)
  onTimeRate: 0.4286, // A C H ÷ the same 7
  satisfaction: { rated: 3, average: 4, satisfiedRate: 0.6667 }, // 5 3 4; F's interim 2 and H's missing rating left out
  avgHandleHours: 34.8, // (24 + 48 + 48 + 30 + 24) ÷ 5
  overdue: 4, // F K M, and Q (October's, its extension run out)
};
export const EXPECTED_G1 = { received: 5, closed: 4, completionRate: 0.8, onTimeRate: 0.6, overdue: 2 }; // A B C H K (A C H on time); K M overdue
export const EXPECTED_G2 = { received: 4, closed: 0, completionRate: 0, onTimeRate: 0, overdue: 2 }; // D E F G, base F G; F and Q overdue

/** The community in October, when extensions were granted. */
export const OCTOBER = { from: cn('2026-10-01 00:00'), to: cn('2026-11-01 00:00') };
export const EXPECTED_OCTOBER = {
  received: 6, // N P Q R S, and I (the last minute of October)
  closed: 3, // P R I
  rejected: 0,
  merged: 0,
  extended: 4, // N P Q S
  deferred: 1, // N only: Q's extension ran out, S is resolved, P is closed
  completionRate: 0.6, // 3 ÷ (6 − 0 − 0 − 1)
  onTimeRate: 0.4, // P (by its extended due time) and I ÷ the same 5; R was late
  satisfaction: { rated: 3, average: 3.33, satisfiedRate: 0.6667 }, // 5 4 1
  avgHandleHours: 99, // P 216 h, R 96 h, S 72 h, I 12 h 1 min
};
