import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const COHORT_COLUMNS = ['gridPath', 'createdAt', 'status', 'gridNodeId', 'categoryCode', 'channel', 'handlingMethod', 'dueAt', 'resolvedAt', 'closedAt', 'rating', 'lat', 'lng'];
const COHORT_INDEX = 'IDX_reports_stats_cohort';

/**
 * A working day's columns on reports: the 督办时限 a supervision set, an extension (缓办) waiting for a
 * decision, and when one was granted. The dashboard counts granted ones apart (kpi.ts) from its
 * covering index, so `extendedAt` joins it at the end (rebuilt: ~10–20 s on a county of 1,000,000).
 */
export class Workday1763900002300 implements MigrationInterface {
  name = 'Workday1763900002300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('reports', [
      new TableColumn({ name: 'supervisionDueAt', type: 'datetime', precision: 6, isNullable: true }),
      new TableColumn({ name: 'extensionUntil', type: 'datetime', precision: 6, isNullable: true }),
      new TableColumn({ name: 'extendedAt', type: 'datetime', precision: 6, isNullable: true }),
    ]);
    await queryRunner.dropIndex('reports', COHORT_INDEX);
    await queryRunner.createIndex('reports', new TableIndex({ name: COHORT_INDEX, columnNames: [...COHORT_COLUMNS, 'extendedAt'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('reports', COHORT_INDEX);
    await queryRunner.createIndex('reports', new TableIndex({ name: COHORT_INDEX, columnNames: COHORT_COLUMNS }));
    await queryRunner.dropColumn('reports', 'extendedAt');
    await queryRunner.dropColumn('reports', 'extensionUntil');
    await queryRunner.dropColumn('reports', 'supervisionDueAt');
  }
}
