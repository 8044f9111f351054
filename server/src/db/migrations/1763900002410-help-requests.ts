import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A resident without enough hours asks the community to fund a request for help: the task waits as
 * `requested` until a secretary funds it (from the community's hours) or declines it with a reason.
 */
export class HelpRequests1763900002410 implements MigrationInterface {
  name = 'HelpRequests1763900002410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('timebank_tasks', [
      new TableColumn({ name: 'fundingDecidedById', type: 'int', isNullable: true }),
      new TableColumn({ name: 'fundingDecidedAt', type: 'datetime', precision: 6, isNullable: true }),
      new TableColumn({ name: 'declineReason', type: 'varchar', length: '200', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('timebank_tasks', ['fundingDecidedById', 'fundingDecidedAt', 'declineReason']);
  }
}
