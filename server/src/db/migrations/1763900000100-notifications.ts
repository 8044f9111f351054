import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumns } from '../portable-columns';

/** The inbox (notifications) and the outbox of WeChat subscription messages (notification_deliveries). */
export class Notifications1763900000100 implements MigrationInterface {
  name = 'Notifications1763900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [createdAt] = timestampColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          idColumn(),
          { name: 'userId', type: 'int' },
          { name: 'kind', type: 'varchar', length: '64' },
          { name: 'title', type: 'varchar', length: '100' },
          { name: 'body', type: 'varchar', length: '500' },
          { name: 'link', type: 'varchar', length: '255', isNullable: true },
          { name: 'dedupeKey', type: 'varchar', length: '128' },
          { name: 'readAt', type: 'datetime', precision: 6, isNullable: true },
          createdAt,
        ],
        indices: [
          new TableIndex({ columnNames: ['userId', 'id'] }),
          new TableIndex({ columnNames: ['userId', 'dedupeKey'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_deliveries',
        columns: [
          idColumn(),
          { name: 'notificationId', type: 'int' },
          { name: 'userId', type: 'int' },
          { name: 'channel', type: 'varchar', length: '32' },
          { name: 'templateKey', type: 'varchar', length: '64' },
          { name: 'payload', type: 'text' },
          { name: 'idempotencyKey', type: 'varchar', length: '128' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'nextAttemptAt', type: 'datetime', precision: 6 },
          { name: 'lastError', type: 'varchar', length: '500', isNullable: true },
          { name: 'claimedBy', type: 'varchar', length: '64', isNullable: true },
          { name: 'claimedUntil', type: 'datetime', precision: 6, isNullable: true },
          { name: 'sentAt', type: 'datetime', precision: 6, isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ columnNames: ['idempotencyKey'], isUnique: true }),
          new TableIndex({ columnNames: ['notificationId'] }),
          new TableIndex({ columnNames: ['status', 'nextAttemptAt'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_deliveries');
    await queryRunner.dropTable('notifications');
  }
}
