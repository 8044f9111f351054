import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** A consultation's revision: bumped by every change its page shows, votes and comments too (consultation-freshness.ts). */
export class ConsultationRevision1763900003200 implements MigrationInterface {
  name = 'ConsultationRevision1763900003200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('consultations', new TableColumn({ name: 'revision', type: 'int', default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('consultations', 'revision');
  }
}
