import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn } from '../portable-columns';

/**
 * A secretary's good-deed awards are capped per China month (POINTS_AWARD_MONTHLY_MAX): one counter row
 * per awarder and month, raised with a conditional UPDATE. The audit log says what a change was
 * (`detail`, JSON), written in the change's own transaction.
 */
export class AwardLimits1763900001600 implements MigrationInterface {
  name = 'AwardLimits1763900001600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'point_awarder_months',
        columns: [
          idColumn(),
          { name: 'awarderId', type: 'int' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'points', type: 'int', default: 0 },
        ],
        indices: [new TableIndex({ columnNames: ['awarderId', 'month'], isUnique: true })],
      }),
    );
    await queryRunner.addColumn('audit_log', new TableColumn({ name: 'detail', type: 'varchar', length: '1000', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('audit_log', 'detail');
    await queryRunner.dropTable('point_awarder_months');
  }
}
