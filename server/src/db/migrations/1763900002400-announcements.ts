import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/** Community notices (社区公告) and who read them, with the household each reader counted for. */
export class Announcements1763900002400 implements MigrationInterface {
  name = 'Announcements1763900002400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'announcements',
        columns: [
          idColumn(),
          { name: 'communityId', type: 'int' },
          { name: 'nodeId', type: 'int' },
          { name: 'nodePath', type: 'varchar', length: '255' },
          { name: 'buildingId', type: 'int', isNullable: true },
          { name: 'title', type: 'varchar', length: '40' },
          { name: 'body', type: 'text' },
          { name: 'photos', type: 'text', isNullable: true },
          { name: 'pinned', type: 'boolean', default: false },
          { name: 'endsAt', type: 'datetime', precision: 6, isNullable: true },
          { name: 'authorId', type: 'int' },
          createdAt,
        ],
        indices: [new TableIndex({ columnNames: ['communityId', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'announcement_reads',
        columns: [
          idColumn(),
          { name: 'announcementId', type: 'int' },
          { name: 'userId', type: 'int' },
          { name: 'householdId', type: 'int', isNullable: true },
          { ...createdAt },
        ],
        indices: [
          new TableIndex({ columnNames: ['announcementId', 'userId'], isUnique: true }),
          new TableIndex({ columnNames: ['announcementId', 'householdId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('announcement_reads');
    await queryRunner.dropTable('announcements');
  }
}
