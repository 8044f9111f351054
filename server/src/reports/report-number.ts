import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SystemCounter } from '../db/system-counter.entity';
import { pathIds } from '../grids/grid-path';

/** 2026-11-23 as 20261123 in China time: a report filed at 00:30 Beijing time belongs to that day. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** What a report's number needs of the node whose series it is numbered in. */
export interface NumberingNode {
  id: number;
  code: string;
}

/**
 * Whose series a report at `path` is numbered in: the street on its path (the street itself when filed at
 * street level), so that submissions in different streets never wait on one counter. Above every street
 * (a district's own report) or in a tree without streets, the path's top node: its own series.
 */
export function numberingNode<N extends NumberingNode & { level: string }>(path: string, node: (id: number) => N | undefined): N {
  const nodes = pathIds(path).map((id) => node(id)).filter((n): n is N => !!n);
  const numbering = nodes.find((n) => n.level === 'street') ?? nodes[0];
  if (!numbering) throw new Error(`no grid node on the path ${path}`);
  return numbering;
}

/**
 * The node's part of a number: its code (an administrative code, 330199001) when it is short and plain
 * enough to read out and to fit WeChat's 32-character message field; else `_<id>`, which no kept code
 * can be (they have no `_`), so numbers stay unique across the deployment.
 */
export function seriesCode(node: NumberingNode): string {
  return /^[0-9A-Za-z-]{1,16}$/.test(node.code) ? node.code : `_${node.id}`;
}

/**
 * The next readable number of the street's day, SS330199001-20261123-0001. A counter row per street and
 * day, incremented inside the caller's transaction: the row lock makes concurrent submissions in one
 * street take turns on every instance, and leaves the other streets' submissions alone.
 */
export function nextReportNumber(manager: EntityManager, at: Date, street: NumberingNode): Promise<string> {
  const code = seriesCode(street);
  return nextDailyNumber(manager, at, `${REPORT_SERIES}:${code}`, `SS${code}-`);
}

export const REPORT_SERIES = 'report_number';

/** A report number's parts (`series` is the street's code part), or null for anything else. Old per-county numbers (SS20261123-0001) have no series. */
export function parseReportNumber(number: string): { series: string | null; day: string; sequence: number } | null {
  const parsed = /^SS(?:([0-9A-Za-z_-]+)-)?(\d{8})-(\d{4,})$/.exec(number);
  return parsed ? { series: parsed[1] ?? null, day: parsed[2], sequence: Number(parsed[3]) } : null;
}

/** The counter row behind a number's series and day (`report_number:<code>:<day>`; `report_number:<day>` before numbering per street). */
export function reportCounterName(series: string | null, day: string): string {
  return series === null ? `${REPORT_SERIES}:${day}` : `${REPORT_SERIES}:${series}:${day}`;
}

/** `<prefix><day>-<n>` from the day's counter of `series` (a street's reports SS<code>-…, dispute cases TJ…). */
export async function nextDailyNumber(manager: EntityManager, at: Date, series: string, prefix: string): Promise<string> {
  const day = chinaDay(at);
  const name = `${series}:${day}`;
  const value = manager.connection.options.type === 'sqljs' ? await nextEmbeddedValue(manager, name) : await nextValue(manager, name);
  return `${prefix}${day}-${String(value).padStart(4, '0')}`;
}

/**
 * The counter's next value on MySQL/MariaDB in one statement: the row is created at 1 or incremented, and
 * LAST_INSERT_ID(expr) hands the value back in the statement's own answer (its insertId), so no SELECT
 * follows (a submission is a dozen statements; this was two of them).
 */
async function nextValue(manager: EntityManager, name: string): Promise<number> {
  const table = manager.connection.driver.escape(manager.connection.getMetadata(SystemCounter).tableName);
  const answer: { insertId?: number | string } = await manager.query(
    `INSERT INTO ${table} (\`name\`, \`value\`) VALUES (?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE \`value\` = LAST_INSERT_ID(\`value\` + 1)`,
    [name],
  );
  const value = Number(answer.insertId);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`counter ${name} answered ${String(answer.insertId)}`);
  return value;
}

/** The counter's next value on the embedded database: one connection, one transaction at a time, so nothing creates the day's row between the two. */
async function nextEmbeddedValue(manager: EntityManager, name: string): Promise<number> {
  const counters = manager.getRepository(SystemCounter);
  if (!(await counters.increment({ name }, 'value', 1)).affected) await counters.insert({ name, value: 1 });
  return (await counters.findOneByOrFail({ name })).value;
}

/**
 * A unique stand-in for the number while the submission's transaction writes everything else; the
 * real number replaces it before the commit, so no reader ever sees it. 20 characters, within any number's column.
 */
export function placeholderNumber(): string {
  return `~${randomBytes(10).toString('hex').slice(0, 19)}`;
}
