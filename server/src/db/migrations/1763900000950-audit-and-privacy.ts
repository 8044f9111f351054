import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

export class AuditAndPrivacy1763900000950 implements MigrationInterface {
  name = 'AuditAndPrivacy1763900000950';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(),
          { name: 'actorId', type: 'int' },
          { name: 'roles', type: 'varchar', length: '100' },
          { name: 'method', type: 'varchar', length: '8' },
          { name: 'path', type: 'varchar', length: '255' },
          { name: 'status', type: 'int' },
          { name: 'requestId', type: 'varchar', length: '64' },
          timestampColumns(queryRunner)[0],
        ],
        indices: [new TableIndex({ columnNames: ['actorId'] }), new TableIndex({ columnNames: ['createdAt'] })],
      }),
    );
    // Encrypted phone numbers are longer than the plain ones.
    await queryRunner.changeColumn('users', 'phone', new TableColumn({ name: 'phone', type: 'varchar', length: '128', isNullable: true }));
    await queryRunner.addColumn('users', new TableColumn({ name: 'deletedAt', type: 'datetime', precision: 6, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'deletedAt');
    await queryRunner.changeColumn('users', 'phone', new TableColumn({ name: 'phone', type: 'varchar', length: '32', isNullable: true }));
    await queryRunner.dropTable('audit_log');
  }
}
