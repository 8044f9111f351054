import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

export class Reports1763900000200 implements MigrationInterface {
  name = 'Reports1763900000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'departments',
        columns: [
          idColumn(),
          { name: 'code', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'nodeId', type: 'int' },
        ],
        indices: [new TableIndex({ columnNames: ['code'], isUnique: true })],
      }),
    );
    // Department staff belong to one department.
    await queryRunner.addColumn('users', new TableColumn({ name: 'departmentId', type: 'int', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'report_categories',
        columns: [
          { name: 'code', type: 'varchar', length: '32', isPrimary: true },
          { name: 'name', type: 'varchar', length: '50' },
          { name: 'slaHours', type: 'int' },
          { name: 'departmentId', type: 'int', isNullable: true },
          { name: 'sortOrder', type: 'int', default: 0 },
        ],
      }),
    );
    const datetime = (name: string) => ({ name, type: 'datetime', precision: 6, isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'reports',
        columns: [
          idColumn(),
          { name: 'number', type: 'varchar', length: '20' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'int', default: 0 },
          { name: 'categoryCode', type: 'varchar', length: '32' },
          { name: 'description', type: 'text' },
          { name: 'photos', type: 'text' },
          { name: 'lat', type: 'double', isNullable: true },
          { name: 'lng', type: 'double', isNullable: true },
          { name: 'address', type: 'varchar', length: '200', isNullable: true },
          { name: 'anonymous', type: 'boolean', default: false },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'reporterId', type: 'int' },
          { name: 'createdById', type: 'int' },
          { name: 'gridNodeId', type: 'int' },
          { name: 'gridPath', type: 'varchar', length: '255' },
          { name: 'priority', type: 'varchar', length: '8', isNullable: true },
          { name: 'handlingMethod', type: 'varchar', length: '16', isNullable: true },
          datetime('dueAt'),
          { name: 'escalationLevel', type: 'int', default: 0 },
          datetime('lastEscalatedAt'),
          { name: 'assigneeId', type: 'int', isNullable: true },
          { name: 'departmentId', type: 'int', isNullable: true },
          { name: 'mergedIntoId', type: 'int', isNullable: true },
          { name: 'reopenCount', type: 'int', default: 0 },
          { name: 'rating', type: 'int', isNullable: true },
          { name: 'followers', type: 'int', default: 0 },
          datetime('resolvedAt'),
          datetime('closedAt'),
          { name: 'idempotencyKey', type: 'varchar', length: '64', isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['number'], isUnique: true }),
          new TableIndex({ columnNames: ['reporterId', 'idempotencyKey'], isUnique: true }),
          new TableIndex({ columnNames: ['status'] }),
          new TableIndex({ columnNames: ['lat'] }),
          new TableIndex({ columnNames: ['gridPath'] }),
          new TableIndex({ columnNames: ['dueAt'] }),
          new TableIndex({ columnNames: ['assigneeId'] }),
          new TableIndex({ columnNames: ['departmentId'] }),
          new TableIndex({ columnNames: ['resolvedAt'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_events',
        columns: [
          idColumn(),
          { name: 'reportId', type: 'int' },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'actorId', type: 'int', isNullable: true },
          { name: 'fromStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'toStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'photos', type: 'text', isNullable: true },
          timestampColumns(queryRunner)[0],
        ],
        indices: [new TableIndex({ columnNames: ['reportId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_followers',
        columns: [idColumn(), { name: 'reportId', type: 'int' }, { name: 'userId', type: 'int' }],
        indices: [
          new TableIndex({ columnNames: ['reportId', 'userId'], isUnique: true }),
          new TableIndex({ columnNames: ['userId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['report_followers', 'report_events', 'reports', 'report_categories']) await queryRunner.dropTable(table);
    await queryRunner.dropColumn('users', 'departmentId');
    await queryRunner.dropTable('departments');
  }
}
