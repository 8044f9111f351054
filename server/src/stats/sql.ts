import type { DataSource } from 'typeorm';

/**
 * The few SQL expressions that differ between MySQL/MariaDB and the embedded SQLite (sql.js). Column
 * references are passed in already written (`r.createdAt`), TypeORM escapes them in the builder.
 */
export interface SqlDialect {
  /** Hours from `from` to `to` (two datetime columns), as a floating number. */
  hoursBetween(from: string, to: string): string;
  /** The China day (UTC+8) of a datetime column: text `YYYY-MM-DD` (SQLite) or a DATE (MySQL/MariaDB). */
  chinaDay(column: string): string;
  /** The values as one text, apart by ':' (none may be NULL: SQLite's `||` would make the whole NULL). */
  joined(values: string[]): string;
}

export function sqlDialect(dataSource: DataSource): SqlDialect {
  if (dataSource.options.type === 'sqljs') {
    return {
      hoursBetween: (from, to) => `((julianday(${to}) - julianday(${from})) * 24.0)`,
      chinaDay: (column) => `strftime('%Y-%m-%d', ${column}, '+8 hours')`,
      joined: (values) => `(${values.join(" || ':' || ")})`,
    };
  }
  return {
    hoursBetween: (from, to) => `(TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) / 3600000000.0)`,
    // A DATE (read back as midnight UTC, see dayKey in stats.service.ts): cheaper than formatting text.
    chinaDay: (column) => `DATE(DATE_ADD(${column}, INTERVAL 8 HOUR))`,
    joined: (values) => `CONCAT_WS(':', ${values.join(', ')})`,
  };
}

/** `LIKE` pattern for a materialized-path prefix (paths are digits and slashes: nothing to escape). */
export function underPath(path: string): string {
  return `${path}%`;
}

/** Raw aggregates come back as numbers, strings (MySQL DECIMAL/BIGINT) or null. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(value);
}
