import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/**
 * Content moderation: a state on each kind of resident content (reports, consultations, comments;
 * existing rows are clear), the reviewers' cases, and the image checks WeChat answers asynchronously.
 */
export class Moderation1763900001100 implements MigrationInterface {
  name = 'Moderation1763900001100';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reports', 'consultations', 'consultation_comments']) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'moderation', type: 'varchar', length: '8', default: "'clear'" }));
    }
    await queryRunner.createTable(
      new Table({
        name: 'moderation_cases',
        columns: [
          idColumn(),
          { name: 'subjectType', type: 'varchar', length: '24' },
          { name: 'subjectId', type: 'int' },
          { name: 'parentId', type: 'int', isNullable: true },
          { name: 'authorId', type: 'int' },
          { name: 'nodePath', type: 'varchar', length: '255' },
          { name: 'text', type: 'text' },
          { name: 'photos', type: 'text' },
          { name: 'findings', type: 'text' },
          { name: 'status', type: 'varchar', length: '12' },
          { name: 'version', type: 'int', default: 0 },
          { name: 'decidedById', type: 'int', isNullable: true },
          { name: 'decidedAt', type: 'datetime', precision: 6, isNullable: true },
          { name: 'decisionNote', type: 'varchar', length: '200', isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['subjectType', 'subjectId'], isUnique: true }),
          new TableIndex({ columnNames: ['status', 'createdAt'] }),
          new TableIndex({ columnNames: ['nodePath'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'media_checks',
        columns: [
          idColumn(),
          { name: 'url', type: 'varchar', length: '500' },
          { name: 'traceId', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '8' },
          { name: 'label', type: 'int', isNullable: true },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'openid', type: 'varchar', length: '64' },
          { name: 'attempts', type: 'int', default: 0 },
          ...timestampColumns(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['url'], isUnique: true }), new TableIndex({ columnNames: ['traceId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('media_checks');
    await queryRunner.dropTable('moderation_cases');
    for (const table of ['reports', 'consultations', 'consultation_comments']) await queryRunner.dropColumn(table, 'moderation');
  }
}
