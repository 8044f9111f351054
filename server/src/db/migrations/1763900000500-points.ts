import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/** Civility points: the why of each award, the rewards mall and its redemptions. */
export class Points1763900000500 implements MigrationInterface {
  name = 'Points1763900000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });
    const datetime = (name: string) => ({ name, type: 'datetime', precision: 6, isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'point_awards',
        columns: [
          idColumn(),
          int('userId'),
          { name: 'rule', type: 'varchar', length: '24' },
          { name: 'sourceKey', type: 'varchar', length: '64' },
          { name: 'day', type: 'varchar', length: '10' },
          int('slot', true),
          int('points'),
          int('communityId'),
          { name: 'note', type: 'varchar', length: '200', isNullable: true },
          int('awardedById', true),
          int('entryId'),
          createdAt,
        ],
        indices: [
          new TableIndex({ columnNames: ['userId', 'rule', 'sourceKey'], isUnique: true }),
          new TableIndex({ columnNames: ['userId', 'rule', 'day', 'slot'], isUnique: true }),
          new TableIndex({ columnNames: ['createdAt'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rewards',
        columns: [
          idColumn(),
          int('communityId'),
          { name: 'name', type: 'varchar', length: '40' },
          int('cost'),
          int('stock'),
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'imageUrl', type: 'varchar', length: '500', isNullable: true },
          { name: 'active', type: 'boolean', default: true },
          int('createdById', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['communityId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'redemptions',
        columns: [
          idColumn(),
          int('rewardId'),
          int('userId'),
          int('communityId'),
          int('cost'),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'int', default: 0 },
          datetime('fulfilledAt'),
          datetime('cancelledAt'),
          int('handledById', true),
          { name: 'note', type: 'varchar', length: '200', isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['userId'] }), new TableIndex({ columnNames: ['communityId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['redemptions', 'rewards', 'point_awards']) await queryRunner.dropTable(table);
  }
}
