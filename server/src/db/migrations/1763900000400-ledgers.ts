import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/** The double-entry core shared by civility points and the time bank. */
export class Ledgers1763900000400 implements MigrationInterface {
  name = 'Ledgers1763900000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'ledger_accounts',
        columns: [
          idColumn(),
          { name: 'unit', type: 'varchar', length: '8' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'ownerId', type: 'int' },
          { name: 'balance', type: 'int', default: 0 },
          createdAt,
        ],
        indices: [new TableIndex({ columnNames: ['unit', 'kind', 'ownerId'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_entries',
        columns: [
          idColumn(),
          { name: 'unit', type: 'varchar', length: '8' },
          { name: 'fromAccountId', type: 'int' },
          { name: 'toAccountId', type: 'int' },
          { name: 'amount', type: 'int' },
          { name: 'reason', type: 'varchar', length: '16' },
          { name: 'memo', type: 'varchar', length: '200' },
          { name: 'sourceKey', type: 'varchar', length: '120', isNullable: true },
          createdAt,
        ],
        indices: [
          new TableIndex({ columnNames: ['unit', 'sourceKey'], isUnique: true }),
          new TableIndex({ columnNames: ['fromAccountId'] }),
          new TableIndex({ columnNames: ['toAccountId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ledger_entries');
    await queryRunner.dropTable('ledger_accounts');
  }
}
