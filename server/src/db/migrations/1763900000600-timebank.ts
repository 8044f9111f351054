import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/** Time bank: volunteer applications, tasks and their claims (the hours themselves are in the ledger). */
export class Timebank1763900000600 implements MigrationInterface {
  name = 'Timebank1763900000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });
    const datetime = (name: string, nullable = true) => ({ name, type: 'datetime', precision: 6, isNullable: nullable });
    const double = (name: string) => ({ name, type: 'double', isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'volunteer_applications',
        columns: [
          idColumn(),
          int('userId'),
          int('communityId'),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'note', type: 'varchar', length: '200', isNullable: true },
          int('decidedById', true),
          datetime('decidedAt'),
          createdAt,
        ],
        indices: [new TableIndex({ columnNames: ['userId', 'communityId'], isUnique: true }), new TableIndex({ columnNames: ['communityId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'timebank_tasks',
        columns: [
          idColumn(),
          int('communityId'),
          int('scopeNodeId'),
          { name: 'scopePath', type: 'varchar', length: '255' },
          { name: 'title', type: 'varchar', length: '60' },
          { name: 'description', type: 'text' },
          datetime('startAt', false),
          datetime('endAt', false),
          int('minutes'),
          int('capacity'),
          { name: 'claimed', type: 'int', default: 0 },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'int', default: 0 },
          { name: 'fundedBy', type: 'varchar', length: '16' },
          int('posterId'),
          int('payerAccountId'),
          int('escrowAccountId'),
          double('lat'),
          double('lng'),
          { name: 'address', type: 'varchar', length: '200', isNullable: true },
          datetime('closedAt'),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['status'] }),
          new TableIndex({ columnNames: ['communityId'] }),
          new TableIndex({ columnNames: ['endAt'] }),
          new TableIndex({ columnNames: ['posterId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'timebank_claims',
        columns: [
          idColumn(),
          int('taskId'),
          int('userId'),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'int', default: 0 },
          datetime('checkedInAt'),
          datetime('checkedOutAt'),
          double('checkInLat'),
          double('checkInLng'),
          double('checkOutLat'),
          double('checkOutLng'),
          datetime('settledAt'),
          int('settledById', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['taskId', 'userId'], isUnique: true }), new TableIndex({ columnNames: ['userId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['timebank_claims', 'timebank_tasks', 'volunteer_applications']) await queryRunner.dropTable(table);
  }
}
