import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/**
 * Every upload by its URL and its uploader: a photo field accepts only the caller's own. Images stored
 * before this have no row; URLs already saved in reports and progress stay as they are.
 */
export class Uploads1763900001500 implements MigrationInterface {
  name = 'Uploads1763900001500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'uploads',
        columns: [idColumn(), { name: 'url', type: 'varchar', length: '500' }, { name: 'uploaderId', type: 'int' }, createdAt],
        indices: [new TableIndex({ columnNames: ['url'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('uploads');
  }
}
