import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isEmbedded } from '../portable-columns';

/**
 * The table rate-limiter-flexible keeps its shared counters in, in the shape it expects, created
 * here so the app's database user needs no CREATE DATABASE. The embedded database counts in memory.
 */
export class RateLimits1763900000900 implements MigrationInterface {
  name = 'RateLimits1763900000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (isEmbedded(queryRunner)) return;
    await queryRunner.query(
      'CREATE TABLE IF NOT EXISTS `rate_limits` (`key` VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL, `points` INT NOT NULL DEFAULT 0, `expire` BIGINT UNSIGNED, PRIMARY KEY (`key`)) ENGINE=InnoDB',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isEmbedded(queryRunner)) await queryRunner.query('DROP TABLE IF EXISTS `rate_limits`');
  }
}
