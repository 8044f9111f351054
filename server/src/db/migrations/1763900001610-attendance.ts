import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/**
 * Time-bank attendance: what a confirmation credited (minutes, the confirmer's reason when it differs
 * from the attended time, the points it earned), and each claim's immutable events.
 */
export class Attendance1763900001610 implements MigrationInterface {
  name = 'Attendance1763900001610';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('timebank_claims', [
      new TableColumn({ name: 'creditedMinutes', type: 'int', isNullable: true }),
      new TableColumn({ name: 'adjustReason', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'points', type: 'int', isNullable: true }),
    ]);
    const [createdAt] = timestampColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'timebank_claim_events',
        columns: [
          idColumn(),
          { name: 'claimId', type: 'int' },
          { name: 'actorId', type: 'int', isNullable: true },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'fromStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'toStatus', type: 'varchar', length: '16' },
          { name: 'minutes', type: 'int', isNullable: true },
          { name: 'attendedMinutes', type: 'int', isNullable: true },
          { name: 'note', type: 'varchar', length: '200', isNullable: true },
          createdAt,
        ],
        indices: [new TableIndex({ columnNames: ['claimId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('timebank_claim_events');
    await queryRunner.dropColumns('timebank_claims', ['creditedMinutes', 'adjustReason', 'points']);
  }
}
