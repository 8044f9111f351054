import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/**
 * 实有人口与房屋: who lives where, verified.
 * - households get their floor area (专有部分建筑面积), the second dimension of Civil Code votes;
 * - a person belongs to a household through a membership (owner / family / tenant; pending → verified …);
 * - people registered by staff or imported from the ledger have no WeChat: `openid` becomes optional;
 * - phones stay encrypted, with a keyed hash (exact match: ledger import, roster check) and the last four
 *   digits (search) beside them;
 * - a verified owner's one-time invite codes, kept only as hashes.
 */
export class Residents1763900002000 implements MigrationInterface {
  name = 'Residents1763900002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('households', new TableColumn({ name: 'areaM2', type: 'decimal', precision: 10, scale: 2, isNullable: true }));
    await queryRunner.changeColumn('users', 'openid', new TableColumn({ name: 'openid', type: 'varchar', length: '64', isNullable: true }));
    // MySQL's changeColumn drops the column's unique index (it reads it as the column's own uniqueness): put it back.
    await restoreUniqueOpenid(queryRunner);
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'realName', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'phoneHash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'phoneTail', type: 'varchar', length: '4', isNullable: true }),
      new TableColumn({ name: 'phoneVerifiedAt', type: 'datetime', precision: 6, isNullable: true }),
      new TableColumn({ name: 'registeredById', type: 'int', isNullable: true }),
      new TableColumn({ name: 'mergedIntoId', type: 'int', isNullable: true }),
    ]);
    await queryRunner.createIndices('users', [
      new TableIndex({ name: 'IDX_users_phoneHash', columnNames: ['phoneHash'] }),
      new TableIndex({ name: 'IDX_users_phoneTail', columnNames: ['phoneTail'] }),
      new TableIndex({ name: 'IDX_users_realName', columnNames: ['realName'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'household_memberships',
        columns: [
          idColumn(),
          { name: 'householdId', type: 'int' },
          { name: 'userId', type: 'int' },
          { name: 'relation', type: 'varchar', length: '8' },
          { name: 'status', type: 'varchar', length: '8' },
          { name: 'method', type: 'varchar', length: '16' },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'decidedById', type: 'int', isNullable: true },
          { name: 'decidedAt', type: 'datetime', precision: 6, isNullable: true },
          { name: 'version', type: 'int', default: 0 },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_memberships_household_user', columnNames: ['householdId', 'userId'], isUnique: true }),
          new TableIndex({ name: 'IDX_memberships_user_status', columnNames: ['userId', 'status'] }),
          new TableIndex({ name: 'IDX_memberships_status_household', columnNames: ['status', 'householdId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'household_invites',
        columns: [
          idColumn(),
          { name: 'householdId', type: 'int' },
          { name: 'createdById', type: 'int' },
          { name: 'relation', type: 'varchar', length: '8' },
          { name: 'codeHash', type: 'varchar', length: '64' },
          { name: 'expiresAt', type: 'datetime', precision: 6 },
          { name: 'usedById', type: 'int', isNullable: true },
          { name: 'usedAt', type: 'datetime', precision: 6, isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_invites_codeHash', columnNames: ['codeHash'], isUnique: true }),
          new TableIndex({ name: 'IDX_invites_household', columnNames: ['householdId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('household_invites');
    await queryRunner.dropTable('household_memberships');
    for (const name of ['IDX_users_realName', 'IDX_users_phoneTail', 'IDX_users_phoneHash']) await queryRunner.dropIndex('users', name);
    for (const column of ['mergedIntoId', 'registeredById', 'phoneVerifiedAt', 'phoneTail', 'phoneHash', 'realName']) await queryRunner.dropColumn('users', column);
    await queryRunner.changeColumn('users', 'openid', new TableColumn({ name: 'openid', type: 'varchar', length: '64' }));
    await restoreUniqueOpenid(queryRunner);
    await queryRunner.dropColumn('households', 'areaM2');
  }
}

async function restoreUniqueOpenid(queryRunner: QueryRunner): Promise<void> {
  const users = await queryRunner.getTable('users');
  const present = users?.indices.some((i) => i.isUnique && i.columnNames.length === 1 && i.columnNames[0] === 'openid');
  if (!present) await queryRunner.createIndex('users', new TableIndex({ columnNames: ['openid'], isUnique: true }));
}
