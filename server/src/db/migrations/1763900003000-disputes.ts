import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

const datetime = (name: string, nullable = true) => ({ name, type: 'datetime', precision: 6, isNullable: nullable });
const createdAt = (queryRunner: QueryRunner) => timestampColumns(queryRunner).filter((c) => c.name === 'createdAt');

/**
 * 矛盾纠纷调处: dispute cases with their parties (phones encrypted), sessions, return visits and
 * immutable events; the mediators' pools; and the report a case came from (reports.disputeId).
 */
export class Disputes1763900003000 implements MigrationInterface {
  name = 'Disputes1763900003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'disputes',
        columns: [
          idColumn(),
          { name: 'number', type: 'varchar', length: '20' },
          { name: 'title', type: 'varchar', length: '60' },
          { name: 'description', type: 'text' },
          { name: 'type', type: 'varchar', length: '24' },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'riskLevel', type: 'varchar', length: '8' },
          { name: 'amount', type: 'decimal', precision: 14, scale: 2, isNullable: true },
          { name: 'peopleInvolved', type: 'int', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'int', default: 0 },
          { name: 'nodeId', type: 'int' },
          { name: 'nodePath', type: 'varchar', length: '255' },
          { name: 'reportId', type: 'int', isNullable: true },
          { name: 'createdById', type: 'int' },
          { name: 'mediatorId', type: 'int', isNullable: true },
          { name: 'mediatorUserId', type: 'int', isNullable: true },
          datetime('acceptedAt'),
          datetime('dueAt'),
          { name: 'extended', type: 'boolean', default: false },
          datetime('remindedAt'),
          { name: 'escalationLevel', type: 'int', default: 0 },
          datetime('lastEscalatedAt'),
          datetime('agreedAt'),
          { name: 'agreementForm', type: 'varchar', length: '8', isNullable: true },
          { name: 'agreementFacts', type: 'text', isNullable: true },
          { name: 'agreementTerms', type: 'text', isNullable: true },
          { name: 'agreementPerformance', type: 'text', isNullable: true },
          { name: 'performanceDeadline', type: 'varchar', length: '10', isNullable: true },
          datetime('fulfilledAt'),
          datetime('breachedAt'),
          datetime('failedAt'),
          { name: 'failureAdvice', type: 'varchar', length: '16', isNullable: true },
          { name: 'failureReason', type: 'text', isNullable: true },
          datetime('ruledAt'),
          { name: 'rulingNote', type: 'text', isNullable: true },
          { name: 'rulingCourt', type: 'varchar', length: '60', isNullable: true },
          { name: 'confirmationStatus', type: 'varchar', length: '12', isNullable: true },
          { name: 'confirmationCourt', type: 'varchar', length: '60', isNullable: true },
          datetime('confirmationAppliedAt'),
          datetime('confirmationDecidedAt'),
          datetime('confirmationRemindedAt'),
          datetime('declinedAt'),
          datetime('closedAt'),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['number'], isUnique: true }),
          new TableIndex({ columnNames: ['reportId'] }),
          // The figures and the coordinators' queue: a node's cases by time.
          new TableIndex({ name: 'IDX_disputes_node_created', columnNames: ['nodePath', 'createdAt'] }),
          // A mediator's own queue.
          new TableIndex({ name: 'IDX_disputes_mediator_status', columnNames: ['mediatorUserId', 'status'] }),
          // The sweeper: cases under mediation by due time.
          new TableIndex({ name: 'IDX_disputes_status_due', columnNames: ['status', 'dueAt'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dispute_parties',
        columns: [
          idColumn(),
          { name: 'disputeId', type: 'int' },
          { name: 'role', type: 'varchar', length: '12' },
          { name: 'name', type: 'varchar', length: '32' },
          { name: 'phone', type: 'varchar', length: '128', isNullable: true },
          { name: 'userId', type: 'int', isNullable: true },
          ...createdAt(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['disputeId'] }), new TableIndex({ columnNames: ['userId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dispute_sessions',
        columns: [
          idColumn(),
          { name: 'disputeId', type: 'int' },
          datetime('heldAt', false),
          { name: 'place', type: 'varchar', length: '100' },
          { name: 'participants', type: 'text' },
          { name: 'notes', type: 'text' },
          { name: 'photos', type: 'text' },
          { name: 'recordedById', type: 'int' },
          ...createdAt(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['disputeId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dispute_visits',
        columns: [
          idColumn(),
          { name: 'disputeId', type: 'int' },
          { name: 'method', type: 'varchar', length: '8' },
          { name: 'note', type: 'text' },
          { name: 'photos', type: 'text' },
          { name: 'recordedById', type: 'int' },
          ...createdAt(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['disputeId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dispute_events',
        columns: [
          idColumn(),
          { name: 'disputeId', type: 'int' },
          { name: 'action', type: 'varchar', length: '20' },
          { name: 'actorId', type: 'int', isNullable: true },
          { name: 'fromStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'toStatus', type: 'varchar', length: '16', isNullable: true },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'photos', type: 'text', isNullable: true },
          ...createdAt(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['disputeId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mediators',
        columns: [
          idColumn(),
          { name: 'userId', type: 'int' },
          { name: 'nodeId', type: 'int' },
          { name: 'nodePath', type: 'varchar', length: '255' },
          { name: 'name', type: 'varchar', length: '32' },
          { name: 'phone', type: 'varchar', length: '128', isNullable: true },
          { name: 'specialties', type: 'text' },
          { name: 'studio', type: 'varchar', length: '60', isNullable: true },
          { name: 'active', type: 'boolean', default: true },
          ...createdAt(queryRunner),
        ],
        indices: [new TableIndex({ columnNames: ['userId', 'nodeId'], isUnique: true }), new TableIndex({ columnNames: ['nodeId'] })],
      }),
    );
    await queryRunner.addColumn('reports', new TableColumn({ name: 'disputeId', type: 'int', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('reports', 'disputeId');
    for (const table of ['mediators', 'dispute_events', 'dispute_visits', 'dispute_sessions', 'dispute_parties', 'disputes']) await queryRunner.dropTable(table);
  }
}
