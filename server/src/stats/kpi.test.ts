import { describe, expect, it } from 'vitest';
import { countKpis, countOverdue, kpiFigures } from './kpi';
import { cn, EXPECTED_COMMUNITY, EXPECTED_G1, EXPECTED_G2, EXPECTED_OCTOBER, FIXTURE, NOW, OCTOBER, PERIOD } from './kpi-fixture';

const community = FIXTURE.filter((r) => r.place !== 'street');
const g1 = community.filter((r) => r.place === 'M11' || r.place === 'M12');
const g2 = community.filter((r) => r.place === 'M21' || r.place === 'M22');

describe('KPI definitions on hand-built reports (pure)', () => {
  it('give the known answers for the community: rejected and merged out of the base, a reopened one once, the edges of the period', () => {
    const figures = kpiFigures(countKpis(community, PERIOD.from, PERIOD.to, NOW));
    const { overdue, ...expected } = EXPECTED_COMMUNITY;
    expect(figures).toEqual(expected);
    expect(countOverdue(community, NOW)).toBe(overdue);
  });

  it('give the known answers for each grid', () => {
    for (const [rows, expected] of [[g1, EXPECTED_G1], [g2, EXPECTED_G2]] as const) {
      const { overdue, ...figures } = expected;
      expect(kpiFigures(countKpis(rows, PERIOD.from, PERIOD.to, NOW))).toMatchObject(figures);
      expect(countOverdue(rows, NOW)).toBe(overdue);
    }
  });

  it('a report created at `from` is in, one at `to` is out, one a minute before `from` is out', () => {
    const at = (key: string) => FIXTURE.find((r) => r.key === key)!;
    expect(countKpis([at('K')], PERIOD.from, PERIOD.to, NOW).received).toBe(1);
    expect(countKpis([at('J')], PERIOD.from, PERIOD.to, NOW).received).toBe(0);
    expect(countKpis([at('I')], PERIOD.from, PERIOD.to, NOW).received).toBe(0);
  });

  it('rates are null, not 0 or NaN, when there is nothing to divide by', () => {
    const onlyRejected = FIXTURE.filter((r) => r.key === 'D');
    expect(kpiFigures(countKpis(onlyRejected, PERIOD.from, PERIOD.to, NOW))).toEqual({
      received: 1,
      closed: 0,
      rejected: 1,
      merged: 0,
      extended: 0,
      deferred: 0,
      completionRate: null,
      onTimeRate: null,
      satisfaction: { rated: 0, average: null, satisfiedRate: null },
      avgHandleHours: null,
    });
  });

  it('on time is judged by resolvedAt: a report closed after its due time but resolved before it is on time', () => {
    const c = FIXTURE.find((r) => r.key === 'C')!;
    expect(c.closedAt!.getTime()).toBeGreaterThan(c.dueAt!.getTime());
    expect(countKpis([c], PERIOD.from, PERIOD.to, NOW)).toMatchObject({ closed: 1, closedOnTime: 1 });
  });

  it('结案率 and 按期结案率 divide by 应结案 − 缓办: only a report still being handled under an extension that has not run out is deferred', () => {
    const october = FIXTURE.filter((r) => r.place !== 'street');
    expect(kpiFigures(countKpis(october, OCTOBER.from, OCTOBER.to, NOW))).toEqual(EXPECTED_OCTOBER);
    const at = (key: string) => FIXTURE.find((r) => r.key === key)!;
    // N is deferred until its extended due time, inclusive, and an ordinary open report after it.
    const n = at('N');
    expect(countKpis([n], OCTOBER.from, OCTOBER.to, n.dueAt!).deferred).toBe(1);
    expect(countKpis([n], OCTOBER.from, OCTOBER.to, new Date(n.dueAt!.getTime() + 1)).deferred).toBe(0);
    // Deferred, it leaves the base: alone in its cohort there is nothing to divide by.
    expect(kpiFigures(countKpis([n], OCTOBER.from, OCTOBER.to, NOW))).toMatchObject({ received: 1, extended: 1, deferred: 1, completionRate: null, onTimeRate: null });
    // Run out (Q), or resolved (S): extended, counted in the base like any other.
    for (const key of ['Q', 'S']) expect(countKpis([at(key)], OCTOBER.from, OCTOBER.to, NOW)).toMatchObject({ extended: 1, deferred: 0 });
    // On time by the due time an extension moved: P resolved after its first due time would have been, before the granted one.
    expect(countKpis([at('P')], OCTOBER.from, OCTOBER.to, NOW)).toMatchObject({ closed: 1, closedOnTime: 1, extended: 1, deferred: 0 });
    // A deferred report that later closes on time comes back into the base and the numerator together.
    const closedLater = { ...n, status: 'closed' as const, resolvedAt: cn('2026-12-09 08:00'), closedAt: cn('2026-12-09 20:00'), rating: 5 };
    expect(kpiFigures(countKpis([closedLater], OCTOBER.from, OCTOBER.to, NOW))).toMatchObject({ deferred: 0, completionRate: 1, onTimeRate: 1 });
  });
});
