import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/**
 * The dashboard's indexes: a node's reports of a period are one range of (gridPath, createdAt) —
 * the path prefix, then the dates inside it — and the daily "closed that day" line one range of
 * (gridPath, closedAt). And the Open311 API keys (stored hashed).
 */
export class StatsAndOpen3111763900001000 implements MigrationInterface {
  name = 'StatsAndOpen3111763900001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('reports', new TableIndex({ columnNames: ['gridPath', 'createdAt'] }));
    await queryRunner.createIndex('reports', new TableIndex({ columnNames: ['gridPath', 'closedAt'] }));
    await queryRunner.createTable(
      new Table({
        name: 'open311_keys',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '60' },
          { name: 'keyHash', type: 'varchar', length: '64' },
          { name: 'prefix', type: 'varchar', length: '12' },
          { name: 'nodeId', type: 'int' },
          { name: 'userId', type: 'int' },
          { name: 'createdById', type: 'int' },
          { name: 'revokedAt', type: 'datetime', precision: 6, isNullable: true },
          { name: 'lastUsedAt', type: 'datetime', precision: 6, isNullable: true },
          timestampColumns(queryRunner)[0],
        ],
        indices: [new TableIndex({ columnNames: ['keyHash'], isUnique: true }), new TableIndex({ columnNames: ['nodeId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('open311_keys');
    const table = await queryRunner.getTable('reports');
    for (const columns of [['gridPath', 'createdAt'], ['gridPath', 'closedAt']]) {
      const index = table?.indices.find((i) => i.columnNames.join() === columns.join());
      if (index) await queryRunner.dropIndex('reports', index);
    }
  }
}
