import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dropIndexOn } from './index-helpers';

/** Where the dashboard reads, columns in the order the indexes take them (see docs/performance.md). */
const STATS_COHORT_INDEX = {
  name: 'IDX_reports_stats_cohort',
  columnNames: ['gridPath', 'createdAt', 'status', 'gridNodeId', 'categoryCode', 'channel', 'handlingMethod', 'dueAt', 'resolvedAt', 'closedAt', 'rating', 'lat', 'lng'],
};
const STATS_CLOSED_INDEX = { name: 'IDX_reports_stats_closed', columnNames: ['gridPath', 'closedAt', 'status'] };
const OPEN_DUE_INDEX = { name: 'IDX_reports_open_due', columnNames: ['status', 'gridPath', 'dueAt', 'gridNodeId'] };
const LEDGER_FROM_CREATED_INDEX = { name: 'IDX_ledger_entries_from_created', columnNames: ['fromAccountId', 'createdAt', 'amount'] };

/**
 * The dashboard over a county: every figure it reads comes out of an index alone, never the rows.
 * - the cohort (a subtree's reports received in a period): (gridPath, createdAt, …every column a
 *   figure reads) replaces (gridPath, createdAt), of which it is an extension;
 * - "closed that day": (gridPath, closedAt, status) replaces (gridPath, closedAt);
 * - overdue now: (status, gridPath, dueAt, gridNodeId), the few open reports of a subtree;
 * - points issued in a period: (fromAccountId, createdAt, amount) on the ledger.
 */
export class StatsCoveringIndexes1763900001300 implements MigrationInterface {
  name = 'StatsCoveringIndexes1763900001300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropIndexOn(queryRunner, 'reports', ['gridPath', 'createdAt']);
    await dropIndexOn(queryRunner, 'reports', ['gridPath', 'closedAt']);
    await queryRunner.createIndex('reports', new TableIndex(STATS_COHORT_INDEX));
    await queryRunner.createIndex('reports', new TableIndex(STATS_CLOSED_INDEX));
    await queryRunner.createIndex('reports', new TableIndex(OPEN_DUE_INDEX));
    await queryRunner.createIndex('ledger_entries', new TableIndex(LEDGER_FROM_CREATED_INDEX));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('ledger_entries', LEDGER_FROM_CREATED_INDEX.name);
    await queryRunner.dropIndex('reports', OPEN_DUE_INDEX.name);
    await queryRunner.dropIndex('reports', STATS_CLOSED_INDEX.name);
    await queryRunner.dropIndex('reports', STATS_COHORT_INDEX.name);
    await queryRunner.createIndex('reports', new TableIndex({ columnNames: ['gridPath', 'createdAt'] }));
    await queryRunner.createIndex('reports', new TableIndex({ columnNames: ['gridPath', 'closedAt'] }));
  }
}
