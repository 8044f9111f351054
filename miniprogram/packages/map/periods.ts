import { addDays, chinaDay } from '@linli/shared';

export type PeriodChoice = 'last_7' | 'last_30' | 'this_month' | 'last_365' | 'custom';

export const PERIODS: { key: PeriodChoice; label: string }[] = [
  { key: 'last_7', label: '近7天' },
  { key: 'last_30', label: '近30天' },
  { key: 'this_month', label: '本月' },
  { key: 'last_365', label: '近一年' },
  { key: 'custom', label: '自定义' },
];

/** China days, `to` inclusive (as the API reads a day). */
export function periodRange(choice: Exclude<PeriodChoice, 'custom'>, now = new Date()): { from: string; to: string } {
  const today = chinaDay(now);
  if (choice === 'this_month') return { from: `${today.slice(0, 8)}01`, to: today };
  const days = { last_7: 7, last_30: 30, last_365: 365 }[choice];
  return { from: addDays(today, 1 - days), to: today };
}
