import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

export class Consultations1763900000300 implements MigrationInterface {
  name = 'Consultations1763900000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });
    await queryRunner.createTable(
      new Table({
        name: 'consultations',
        columns: [
          idColumn(),
          { name: 'title', type: 'varchar', length: '60' },
          { name: 'description', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'int', default: 0 },
          { name: 'scope', type: 'varchar', length: '16' },
          int('buildingId', true),
          int('scopeNodeId'),
          { name: 'scopePath', type: 'varchar', length: '255' },
          int('proposerId'),
          int('proposerHouseholdId'),
          int('supportThreshold'),
          { name: 'supporters', type: 'int', default: 0 },
          { name: 'rule', type: 'varchar', length: '24', isNullable: true },
          { name: 'votingEndsAt', type: 'datetime', precision: 6, isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16', isNullable: true },
          int('eligibleAtClose', true),
          { name: 'rejectReason', type: 'text', isNullable: true },
          { name: 'plan', type: 'text', isNullable: true },
          int('ownerId', true),
          { name: 'summary', type: 'text', isNullable: true },
          int('reportId', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['status'] }),
          new TableIndex({ columnNames: ['scopePath'] }),
          new TableIndex({ columnNames: ['votingEndsAt'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consultation_options',
        columns: [idColumn(), int('consultationId'), { name: 'label', type: 'varchar', length: '30' }, int('position')],
        indices: [new TableIndex({ columnNames: ['consultationId'] })],
      }),
    );
    for (const name of ['consultation_supports', 'consultation_votes']) {
      const columns = [idColumn(), int('consultationId'), int('householdId'), ...(name === 'consultation_votes' ? [int('optionId')] : []), int('userId')];
      await queryRunner.createTable(
        new Table({ name, columns, indices: [new TableIndex({ columnNames: ['consultationId', 'householdId'], isUnique: true })] }),
      );
    }
    await queryRunner.createTable(
      new Table({
        name: 'consultation_comments',
        columns: [
          idColumn(),
          int('consultationId'),
          int('userId'),
          { name: 'body', type: 'text' },
          { name: 'hiddenAt', type: 'datetime', precision: 6, isNullable: true },
          { name: 'hiddenReason', type: 'varchar', length: '200', isNullable: true },
          int('hiddenById', true),
          createdAt,
        ],
        indices: [new TableIndex({ columnNames: ['consultationId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consultation_progress',
        columns: [idColumn(), int('consultationId'), int('userId'), { name: 'note', type: 'text' }, { name: 'photos', type: 'text' }, createdAt],
        indices: [new TableIndex({ columnNames: ['consultationId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consultation_events',
        columns: [
          idColumn(),
          int('consultationId'),
          { name: 'action', type: 'varchar', length: '16' },
          int('actorId', true),
          { name: 'fromStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'toStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'note', type: 'text', isNullable: true },
          createdAt,
        ],
        indices: [new TableIndex({ columnNames: ['consultationId'] })],
      }),
    );
    // A report handled by consultation points at the proposal it became.
    await queryRunner.addColumn('reports', new TableColumn({ name: 'consultationId', type: 'int', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('reports', 'consultationId');
    for (const table of ['consultation_events', 'consultation_progress', 'consultation_comments', 'consultation_votes', 'consultation_supports', 'consultation_options', 'consultations']) {
      await queryRunner.dropTable(table);
    }
  }
}
