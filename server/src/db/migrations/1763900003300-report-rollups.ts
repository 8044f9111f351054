import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const COUNT_COLUMNS = ['received', 'closed', 'rejected', 'merged', 'extended', 'closedOnTime', 'rated', 'ratingSum', 'satisfied', 'handled', 'open', 'closedOnDay'];
/** The catch-up finds what changed, and recomputes whole China days of received / closed reports. */
const REPORT_INDEXES = [
  { name: 'IDX_reports_rollup_updated', columnNames: ['updatedAt'] },
  { name: 'IDX_reports_rollup_created', columnNames: ['createdAt'] },
  { name: 'IDX_reports_rollup_closed', columnNames: ['closedAt'] },
];

/** The dashboard's daily rollup per grid node (stats/rollups.ts) and its watermark. */
export class ReportRollups1763900003300 implements MigrationInterface {
  name = 'ReportRollups1763900003300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'report_rollups',
        columns: [
          { name: 'nodeId', type: 'int', isPrimary: true },
          { name: 'facet', type: 'varchar', length: '8', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'facetKey', type: 'varchar', length: '32', isPrimary: true },
          ...COUNT_COLUMNS.map((name) => ({ name, type: 'int', default: 0 })),
          { name: 'handleHoursSum', type: 'double', default: 0 },
        ],
        indices: [{ name: 'IDX_report_rollups_day', columnNames: ['day'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rollup_watermarks',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'upTo', type: 'datetime', precision: 6, isNullable: true },
        ],
      }),
    );
    for (const index of REPORT_INDEXES) await queryRunner.createIndex('reports', new TableIndex(index));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of REPORT_INDEXES) await queryRunner.dropIndex('reports', index.name);
    await queryRunner.dropTable('rollup_watermarks');
    await queryRunner.dropTable('report_rollups');
  }
}
