import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Leaderboards mask a person's name (张*梅) unless they chose to show it. */
export class LeaderboardNames1763900002420 implements MigrationInterface {
  name = 'LeaderboardNames1763900002420';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'showNameOnLeaderboard', type: 'boolean', default: false }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'showNameOnLeaderboard');
  }
}
