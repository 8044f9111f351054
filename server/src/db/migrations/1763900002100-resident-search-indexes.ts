import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff search (`GET /residents?q=`) over a county: each way of matching is its own query, led by its
 * own index instead of walking every household of the scope. A name matches the recorded name
 * (indexed before) or the WeChat nickname; four digits match a phone tail (indexed before) or a room.
 * Measured in `npm run bench` (docs/performance.md).
 */
export class ResidentSearchIndexes1763900002100 implements MigrationInterface {
  name = 'ResidentSearchIndexes1763900002100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('users', new TableIndex({ name: 'IDX_users_nickname', columnNames: ['nickname'] }));
    await queryRunner.createIndex('households', new TableIndex({ name: 'IDX_households_room', columnNames: ['room'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('households', 'IDX_households_room');
    await queryRunner.dropIndex('users', 'IDX_users_nickname');
  }
}
