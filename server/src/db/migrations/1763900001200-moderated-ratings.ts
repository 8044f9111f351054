import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** A rating's comment is resident text too: its event line carries a content-check state (existing ones clear). */
export class ModeratedRatings1763900001200 implements MigrationInterface {
  name = 'ModeratedRatings1763900001200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('report_events', new TableColumn({ name: 'moderation', type: 'varchar', length: '8', default: "'clear'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('report_events', 'moderation');
  }
}
