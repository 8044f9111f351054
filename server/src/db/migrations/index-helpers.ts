import type { QueryRunner } from 'typeorm';

/** Drops the index on exactly these columns, whatever name TypeORM gave it; nothing when there is none. */
export async function dropIndexOn(queryRunner: QueryRunner, tableName: string, columns: string[]): Promise<void> {
  const table = await queryRunner.getTable(tableName);
  const index = table?.indices.find((i) => i.columnNames.join() === columns.join());
  if (index) await queryRunner.dropIndex(tableName, index);
}
