import { describe, expect, it } from 'vitest';
import { keepPeriodInBounds, MAX_STATS_PERIOD_DAYS } from './stats';

describe('a custom period kept within bounds while it is picked', () => {
  it('a range within 366 days is left as picked', () => {
    expect(keepPeriodInBounds({ from: '2025-12-01', to: '2026-11-30' }, 'from')).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    expect(keepPeriodInBounds({ from: '2026-03-01', to: '2026-03-01' }, 'to')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  });

  it('a start moved a year back takes the end with it, to 366 days (a leap year counted)', () => {
    expect(keepPeriodInBounds({ from: '2025-11-02', to: '2026-12-01' }, 'from')).toEqual({ from: '2025-11-02', to: '2026-11-02' });
    expect(keepPeriodInBounds({ from: '2027-06-01', to: '2028-12-31' }, 'from')).toEqual({ from: '2027-06-01', to: '2028-05-31' });
  });

  it('an end moved a year on takes the start with it', () => {
    expect(keepPeriodInBounds({ from: '2025-11-02', to: '2027-11-02' }, 'to')).toEqual({ from: '2026-11-02', to: '2027-11-02' });
  });

  it('an end put before the start brings the start to it, and the other way round', () => {
    expect(keepPeriodInBounds({ from: '2026-11-10', to: '2026-11-02' }, 'to')).toEqual({ from: '2026-11-02', to: '2026-11-02' });
    expect(keepPeriodInBounds({ from: '2026-11-10', to: '2026-11-02' }, 'from')).toEqual({ from: '2026-11-10', to: '2026-11-10' });
  });

  it('whatever is picked, the range kept is 1 to 366 days and keeps the end that was moved', () => {
    for (let i = 0; i < 500; i++) {
      const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
      const from = day(Math.floor(Math.random() * 2000));
      const to = day(Math.floor(Math.random() * 2000));
      const moved = i % 2 ? 'from' : 'to';
      const kept = keepPeriodInBounds({ from, to }, moved);
      const days = (Date.parse(kept.to) - Date.parse(kept.from)) / 86_400_000 + 1;
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(MAX_STATS_PERIOD_DAYS);
      expect(kept[moved]).toBe(moved === 'from' ? from : to);
    }
  });
});
