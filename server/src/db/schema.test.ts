import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness';

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.drop());

  it('create the tables and indexes the entities describe (nothing left for a schema sync to do)', async () => {
    const pending = await database.dataSource.driver.createSchemaBuilder().log();
    const statements = pending.upQueries.map((q) => q.query);
    if (database.dataSource.options.type !== 'sqljs') {
      // Boundaries are MEDIUMTEXT on purpose (TEXT stops at 64 KB); the entity says text so that the
      // same entity also maps onto the embedded database.
      const intended = ['ALTER TABLE `grid_nodes` DROP COLUMN `boundary`', 'ALTER TABLE `grid_nodes` ADD `boundary` text NULL'];
      expect(statements.filter((q) => !intended.includes(q))).toEqual([]);
      return;
    }
    // TypeORM's SQLite schema diff rebuilds every table (it cannot read defaults back), so on the
    // embedded database compare what matters: each entity's columns exist with the same nullability.
    const queryRunner = database.dataSource.createQueryRunner();
    try {
      for (const entity of database.dataSource.entityMetadatas) {
        const table = await queryRunner.getTable(entity.tableName);
        expect(table, entity.tableName).toBeDefined();
        const actual = Object.fromEntries(table!.columns.map((c) => [c.name, c.isNullable]));
        const expected = Object.fromEntries(entity.columns.map((c) => [c.databaseName, c.isNullable]));
        expect(actual, entity.tableName).toEqual(expected);
      }
    } finally {
      await queryRunner.release();
    }
  });

  it('are recorded, so a second start runs none', async () => {
    expect(await database.dataSource.showMigrations()).toBe(false);
  });
});
