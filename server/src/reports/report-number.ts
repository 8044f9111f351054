import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SystemCounter } from '../db/system-counter.entity';
import { isUniqueViolation } from '../ledger/community';

/** 2026-11-23 as 20261123 in China time: a report filed at 00:30 Beijing time belongs to that day. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The next readable number of the day, SS20261123-0001. A per-day counter row, incremented inside the
 * caller's transaction: the row lock makes concurrent submissions on several instances take turns.
 */
export function nextReportNumber(manager: EntityManager, at: Date): Promise<string> {
  return nextDailyNumber(manager, at, 'report_number', 'SS');
}

/** `<prefix><day>-<n>` from the day's counter of `series` (reports SS…, dispute cases TJ…). */
export async function nextDailyNumber(manager: EntityManager, at: Date, series: string, prefix: string): Promise<string> {
  const day = chinaDay(at);
  const name = `${series}:${day}`;
  const counters = manager.getRepository(SystemCounter);
  let result = await counters.increment({ name }, 'value', 1);
  if (!result.affected) {
    try {
      await counters.insert({ name, value: 1 });
    } catch (err) {
      // Only "another submission created the day's row first" is ours to handle: take the next number
      // after it. Anything else propagates — above all a deadlock (two submissions' UPDATEs locked the
      // same gap): the database rolled the whole transaction back, and going on here would run the rest
      // outside it and answer for a report that was never filed. transactRetrying runs it again.
      if (!isUniqueViolation(err)) throw err;
      result = await counters.increment({ name }, 'value', 1);
    }
  }
  const { value } = await counters.findOneByOrFail({ name });
  return `${prefix}${day}-${String(value).padStart(4, '0')}`;
}

/**
 * A unique stand-in for the number while the submission's transaction writes everything else; the
 * real number replaces it before the commit, so no reader ever sees it. 20 characters, like a number.
 */
export function placeholderNumber(): string {
  return `~${randomBytes(10).toString('hex').slice(0, 19)}`;
}
