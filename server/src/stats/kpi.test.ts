import { describe, expect, it } from 'vitest';
import { countKpis, countOverdue, kpiFigures } from './kpi';
import { EXPECTED_COMMUNITY, EXPECTED_G1, EXPECTED_G2, FIXTURE, NOW, PERIOD } from './kpi-fixture';

const community = FIXTURE.filter((r) => r.place !== 'street');
const g1 = community.filter((r) => r.place === 'M11' || r.place === 'M12');
const g2 = community.filter((r) => r.place === 'M21' || r.place === 'M22');

describe('KPI definitions on hand-built reports (pure)', () => {
  it('give the known answers for the community: rejected and merged out of the base, a reopened one once, the edges of the period', () => {
    const figures = kpiFigures(countKpis(community, PERIOD.from, PERIOD.to));
    const { overdue, ...expected } = EXPECTED_COMMUNITY;
    expect(figures).toEqual(expected);
    expect(countOverdue(community, NOW)).toBe(overdue);
  });

  it('give the known answers for each grid', () => {
    for (const [rows, expected] of [[g1, EXPECTED_G1], [g2, EXPECTED_G2]] as const) {
      const { overdue, ...figures } = expected;
      expect(kpiFigures(countKpis(rows, PERIOD.from, PERIOD.to))).toMatchObject(figures);
      expect(countOverdue(rows, NOW)).toBe(overdue);
    }
  });

  it('a report created at `from` is in, one at `to` is out, one a minute before `from` is out', () => {
    const at = (key: string) => FIXTURE.find((r) => r.key === key)!;
    expect(countKpis([at('K')], PERIOD.from, PERIOD.to).received).toBe(1);
    expect(countKpis([at('J')], PERIOD.from, PERIOD.to).received).toBe(0);
    expect(countKpis([at('I')], PERIOD.from, PERIOD.to).received).toBe(0);
  });

  it('rates are null, not 0 or NaN, when there is nothing to divide by', () => {
    const onlyRejected = FIXTURE.filter((r) => r.key === 'D');
    expect(kpiFigures(countKpis(onlyRejected, PERIOD.from, PERIOD.to))).toEqual({
      received: 1,
      closed: 0,
      rejected: 1,
      merged: 0,
      completionRate: null,
      onTimeRate: null,
      satisfaction: { rated: 0, average: null, satisfiedRate: null },
      avgHandleHours: null,
    });
  });

  it('on time is judged by resolvedAt: a report closed after its due time but resolved before it is on time', () => {
    const c = FIXTURE.find((r) => r.key === 'C')!;
    expect(c.closedAt!.getTime()).toBeGreaterThan(c.dueAt!.getTime());
    expect(countKpis([c], PERIOD.from, PERIOD.to)).toMatchObject({ closedWithDue: 1, closedOnTime: 1 });
  });
});
