import { describe, expect, it } from 'vitest';
import { countDisputeKpis, countOverdueDisputes, disputeFigures, type DisputeKpiRow } from './kpi';

/*
 * The dispute figures' definitions (kpi.ts) on hand-built cases with known answers. November 2026,
 * China time; every case below is registered in the month unless its key says otherwise.
 */
const FROM = new Date('2026-10-31T16:00:00Z');
const TO = new Date('2026-11-30T16:00:00Z');
const NOW = new Date('2026-12-05T04:00:00Z');
const at = (day: number, hour = 2) => new Date(Date.UTC(2026, 10, day, hour));

function row(partial: Partial<DisputeKpiRow> & Pick<DisputeKpiRow, 'status'>): DisputeKpiRow {
  return {
    createdAt: at(10),
    acceptedAt: null,
    declinedAt: null,
    agreedAt: null,
    failedAt: null,
    fulfilledAt: null,
    breachedAt: null,
    ruledAt: null,
    dueAt: null,
    confirmationStatus: null,
    ...partial,
  };
}

const accepted = { acceptedAt: at(11), dueAt: at(11 + 30) };
const CASES: Record<string, DisputeKpiRow> = {
  // agreed and still to be performed: agreed, resolved
  agreedPending: row({ status: 'agreed', ...accepted, agreedAt: at(21) }),
  // agreed → fulfilled → closed: agreed once, fulfilled, resolved ONCE
  agreedFulfilledClosed: row({ status: 'closed', ...accepted, agreedAt: at(13), fulfilledAt: at(20), confirmationStatus: 'confirmed' }),
  // agreed → breached: agreed (mediation succeeded) but not resolved
  agreedBreached: row({ status: 'breached', ...accepted, agreedAt: at(12), breachedAt: at(25), confirmationStatus: 'applied' }),
  // failed → fast-track ruling → closed: failed, ruled, resolved
  failedRuledClosed: row({ status: 'closed', ...accepted, failedAt: at(16), ruledAt: at(28) }),
  // failed → litigation: failed, not resolved
  failedLitigation: row({ status: 'failed', ...accepted, failedAt: at(19) }),
  // still mediating, past its due time now: in neither rate's numerator; overdue
  mediatingOverdue: row({ status: 'mediating', acceptedAt: at(2), dueAt: at(2 + 30) }),
  // declined → closed: received, declined, not resolved (stays in 化解率's base)
  declined: row({ status: 'closed', declinedAt: at(10, 5) }),
  // registered, not accepted yet
  registered: row({ status: 'registered', createdAt: at(29) }),
  // edges of the period: exactly at `from` is in; exactly at `to` and a minute before `from` are out
  atFrom: row({ status: 'registered', createdAt: FROM }),
  atTo: row({ status: 'agreed', createdAt: TO, ...accepted, agreedAt: at(12) }),
  beforeFrom: row({ status: 'closed', createdAt: new Date(FROM.getTime() - 60_000), ...accepted, agreedAt: at(3), fulfilledAt: at(4) }),
};

describe('dispute figures (pure): 调解成功率 and 化解率 at their edges', () => {
  it('the month: each case counted by its milestones, a fulfilled agreement once', () => {
    const counts = countDisputeKpis(Object.values(CASES), FROM, TO);
    expect(counts).toMatchObject({ received: 9, accepted: 6, declined: 1, agreed: 3, failed: 2, fulfilled: 1, breached: 1, ruled: 1, resolved: 3 });
    const figures = disputeFigures(counts);
    // 调解成功率 = agreed ÷ (agreed + failed) = 3 ÷ 5; 化解率 = (agreed pending + fulfilled + ruled) ÷ received = 3 ÷ 9.
    expect(figures.successRate).toBe(0.6);
    expect(figures.resolutionRate).toBe(0.3333);
    // Days from acceptance to the end of mediation: 10, 2, 1, 5, 8 → 5.2
    expect(figures.avgDays).toBe(5.2);
    expect(counts).toMatchObject({ confirmationApplied: 1, confirmationConfirmed: 1, confirmationRejected: 0 });
  });

  it('agreed → fulfilled counts once in 化解率, and the same case archived counts the same', () => {
    const fulfilled = CASES.agreedFulfilledClosed;
    const one = countDisputeKpis([fulfilled], FROM, TO);
    expect(one).toMatchObject({ received: 1, agreed: 1, fulfilled: 1, resolved: 1 });
    expect(disputeFigures(one)).toMatchObject({ successRate: 1, resolutionRate: 1 });
    expect(countDisputeKpis([{ ...fulfilled, status: 'fulfilled' }], FROM, TO)).toEqual(one);
  });

  it('a breach takes a case out of 化解率 but not out of 调解成功率', () => {
    const breached = disputeFigures(countDisputeKpis([CASES.agreedBreached], FROM, TO));
    expect(breached).toMatchObject({ agreed: 1, breached: 1, resolved: 0, successRate: 1, resolutionRate: 0 });
  });

  it('a fast-track ruling settles a failed case: in 化解率, and a failure in 调解成功率', () => {
    expect(disputeFigures(countDisputeKpis([CASES.failedRuledClosed], FROM, TO))).toMatchObject({ failed: 1, ruled: 1, resolved: 1, successRate: 0, resolutionRate: 1 });
    expect(disputeFigures(countDisputeKpis([CASES.failedLitigation], FROM, TO))).toMatchObject({ failed: 1, resolved: 0, successRate: 0, resolutionRate: 0 });
  });

  it('the edges of the period: at `from` in, at `to` out, a minute before `from` out', () => {
    expect(countDisputeKpis([CASES.atFrom], FROM, TO).received).toBe(1);
    expect(countDisputeKpis([CASES.atTo], FROM, TO).received).toBe(0);
    expect(countDisputeKpis([CASES.beforeFrom], FROM, TO).received).toBe(0);
  });

  it('rates are null, not 0 or NaN, with nothing to divide by', () => {
    expect(disputeFigures(countDisputeKpis([], FROM, TO))).toMatchObject({ received: 0, successRate: null, resolutionRate: null, avgDays: null });
    // Registered and declined only: received, but no mediation has ended.
    expect(disputeFigures(countDisputeKpis([CASES.registered, CASES.declined], FROM, TO))).toMatchObject({ received: 2, successRate: null, resolutionRate: 0, avgDays: null });
  });

  it('overdue is about now, whenever the case was registered: under mediation and past its due time', () => {
    expect(countOverdueDisputes(Object.values(CASES), NOW)).toBe(1);
    expect(countOverdueDisputes([CASES.mediatingOverdue], at(20))).toBe(0);
  });
});
