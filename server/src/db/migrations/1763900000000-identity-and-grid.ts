import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, longTextType, timestampColumns } from '../portable-columns';

export class IdentityAndGrid1763900000000 implements MigrationInterface {
  name = 'IdentityAndGrid1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'grid_nodes',
        columns: [
          idColumn(),
          { name: 'parentId', type: 'int', isNullable: true },
          { name: 'level', type: 'varchar', length: '16' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'code', type: 'varchar', length: '64' },
          { name: 'path', type: 'varchar', length: '255' },
          { name: 'boundary', type: longTextType(queryRunner), isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['code'], isUnique: true }),
          new TableIndex({ columnNames: ['path'] }),
          new TableIndex({ columnNames: ['parentId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'buildings',
        columns: [
          idColumn(),
          { name: 'microgridId', type: 'int' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'code', type: 'varchar', length: '64' },
          { name: 'location', type: 'varchar', length: '100', isNullable: true },
          { name: 'sortOrder', type: 'int', default: 0 },
        ],
        indices: [
          new TableIndex({ columnNames: ['code'], isUnique: true }),
          new TableIndex({ columnNames: ['microgridId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'households',
        columns: [
          idColumn(),
          { name: 'buildingId', type: 'int' },
          { name: 'unit', type: 'varchar', length: '32' },
          { name: 'room', type: 'varchar', length: '32' },
        ],
        indices: [new TableIndex({ columnNames: ['buildingId', 'unit', 'room'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(),
          { name: 'openid', type: 'varchar', length: '64' },
          { name: 'unionid', type: 'varchar', length: '64', isNullable: true },
          { name: 'nickname', type: 'varchar', length: '64' },
          { name: 'avatarUrl', type: 'varchar', length: '255', isNullable: true },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'sessionKey', type: 'varchar', length: '128', isNullable: true },
          { name: 'householdId', type: 'int', isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['openid'], isUnique: true }),
          new TableIndex({ columnNames: ['householdId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'role_assignments',
        columns: [
          idColumn(),
          { name: 'userId', type: 'int' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'nodeId', type: 'int' },
        ],
        indices: [
          new TableIndex({ columnNames: ['userId', 'role', 'nodeId'], isUnique: true }),
          new TableIndex({ columnNames: ['nodeId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'system_counters',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'int', default: 0 },
        ],
      }),
    );
    // Present from the start so that bumping it is a plain UPDATE, safe with several instances.
    await queryRunner.manager.insert('system_counters', { name: 'grid_boundaries', value: 0 });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['system_counters', 'role_assignments', 'users', 'households', 'buildings', 'grid_nodes']) {
      await queryRunner.dropTable(table);
    }
  }
}
