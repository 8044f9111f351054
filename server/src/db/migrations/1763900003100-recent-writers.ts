import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Who wrote recently, so that their next reads go to the primary and not to a replica that lags (db/replicas.ts). */
export class RecentWriters1763900003100 implements MigrationInterface {
  name = 'RecentWriters1763900003100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'recent_writers',
        columns: [
          { name: 'userId', type: 'int', isPrimary: true },
          { name: 'writtenAt', type: 'datetime', precision: 6 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('recent_writers');
  }
}
