import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dropIndexOn } from './index-helpers';

const GRID_MODERATION_INDEX = { name: 'IDX_reports_grid_moderation', columnNames: ['gridPath', 'moderation'] };
const ASSIGNEE_MODERATION_INDEX = { name: 'IDX_reports_assignee_moderation', columnNames: ['assigneeId', 'moderation', 'status'] };

/**
 * A staff queue page is read one way in at a time (reports.service.ts `queuePage`): ids under a grid,
 * or assigned to me, that are public. With `moderation` in the index those ids come from the index
 * alone; before, every report of the grid's history was read whole to check it. (assigneeId,
 * moderation, status) also bounds the queue's counts to the open and resolved. They replace the
 * single-column (gridPath) and (assigneeId) indexes, of which they are extensions.
 */
export class QueueIndexes1763900001400 implements MigrationInterface {
  name = 'QueueIndexes1763900001400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropIndexOn(queryRunner, 'reports', ['gridPath']);
    await dropIndexOn(queryRunner, 'reports', ['assigneeId']);
    await queryRunner.createIndex('reports', new TableIndex(GRID_MODERATION_INDEX));
    await queryRunner.createIndex('reports', new TableIndex(ASSIGNEE_MODERATION_INDEX));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('reports', ASSIGNEE_MODERATION_INDEX.name);
    await queryRunner.dropIndex('reports', GRID_MODERATION_INDEX.name);
    await queryRunner.createIndex('reports', new TableIndex({ columnNames: ['gridPath'] }));
    await queryRunner.createIndex('reports', new TableIndex({ columnNames: ['assigneeId'] }));
  }
}
