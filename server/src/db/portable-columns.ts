import type { QueryRunner, TableColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Column definitions that mean the same on MySQL/MariaDB and on the embedded sql.js database, so
 * one migration runs unchanged on both.
 */
export function isEmbedded(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.driver.options.type === 'sqljs';
}

export function idColumn(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}

export function timestampColumns(queryRunner: QueryRunner): TableColumnOptions[] {
  const now = isEmbedded(queryRunner) ? "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')" : 'CURRENT_TIMESTAMP(6)';
  return [
    { name: 'createdAt', type: 'datetime', precision: 6, default: now },
    { name: 'updatedAt', type: 'datetime', precision: 6, default: now, ...(isEmbedded(queryRunner) ? {} : { onUpdate: 'CURRENT_TIMESTAMP(6)' }) },
  ];
}

/** Text that may be large (GeoJSON boundaries): MEDIUMTEXT on MySQL, where TEXT stops at 64 KB. */
export function longTextType(queryRunner: QueryRunner): string {
  return isEmbedded(queryRunner) ? 'text' : 'mediumtext';
}

/** DECIMAL columns: mysql2 returns them as strings; the domain wants numbers (or null). */
export const decimalNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
