import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Votes that hold up (Civil Code art. 278): a household's vote says how it came in (app, paper ballot,
 * proxy), who recorded it and when, with the photos of the signed paper; a vote recorded by staff has no
 * voting account. At close, the scope's area and each voting household's area are kept, so the
 * outcome can be read again from what it was computed from.
 */
export class HouseholdBallots1763900002600 implements MigrationInterface {
  name = 'HouseholdBallots1763900002600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumn('consultation_votes', 'userId', new TableColumn({ name: 'userId', type: 'int', isNullable: true }));
    await queryRunner.addColumns('consultation_votes', [
      new TableColumn({ name: 'method', type: 'varchar', length: '8', default: "'app'" }),
      new TableColumn({ name: 'recordedById', type: 'int', isNullable: true }),
      new TableColumn({ name: 'castAt', type: 'datetime', precision: 6, isNullable: true }),
      new TableColumn({ name: 'photos', type: 'text', isNullable: true }),
      new TableColumn({ name: 'note', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'areaM2AtClose', type: 'decimal', precision: 10, scale: 2, isNullable: true }),
    ]);
    await queryRunner.addColumn('consultations', new TableColumn({ name: 'eligibleAreaAtClose', type: 'decimal', precision: 14, scale: 2, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('consultations', 'eligibleAreaAtClose');
    for (const column of ['areaM2AtClose', 'note', 'photos', 'castAt', 'recordedById', 'method']) await queryRunner.dropColumn('consultation_votes', column);
    await queryRunner.changeColumn('consultation_votes', 'userId', new TableColumn({ name: 'userId', type: 'int' }));
  }
}
