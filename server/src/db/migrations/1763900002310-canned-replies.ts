import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/** 常用语: canned replies per community and kind (reports/canned-replies.ts). */
export class CannedReplies1763900002310 implements MigrationInterface {
  name = 'CannedReplies1763900002310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'canned_replies',
        columns: [
          idColumn(),
          { name: 'communityId', type: 'int' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'text', type: 'varchar', length: '200' },
          { name: 'createdById', type: 'int', isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [new TableIndex({ name: 'IDX_canned_replies_community_kind', columnNames: ['communityId', 'kind'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('canned_replies');
  }
}
