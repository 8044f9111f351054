import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A caller staff record on a report who is not registered (hotline, 说事点): their name, and their
 * phone encrypted like users.phone (privacy/field-cipher.ts). Both null for every other report.
 */
export class ReportCallers1763900002200 implements MigrationInterface {
  name = 'ReportCallers1763900002200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('reports', [
      new TableColumn({ name: 'callerName', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'callerPhone', type: 'varchar', length: '128', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('reports', 'callerPhone');
    await queryRunner.dropColumn('reports', 'callerName');
  }
}
