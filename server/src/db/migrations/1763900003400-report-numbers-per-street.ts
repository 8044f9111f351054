import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isEmbedded } from '../portable-columns';

/**
 * Report numbers per street (issue 20): SS330199001-20261123-0001 carries the street's code, so the column
 * grows from 20 characters (SS20261123-0001) to 40 (a code of up to 16, a count of the day of up to 8 digits).
 * Numbers already given stay as they are.
 *
 * Not `changeColumn` on MySQL/MariaDB: TypeORM's MySQL runner drops and re-adds a column whose length
 * changes — every report's number would be lost (and the unique index with it). A MODIFY keeps the rows
 * and the index, and InnoDB widens a VARCHAR in place. The embedded database's changeColumn rebuilds the
 * table with its rows, as it does for every change there.
 */
export class ReportNumbersPerStreet1763900003400 implements MigrationInterface {
  name = 'ReportNumbersPerStreet1763900003400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await widen(queryRunner, 40);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await widen(queryRunner, 20);
  }
}

async function widen(queryRunner: QueryRunner, length: number): Promise<void> {
  if (isEmbedded(queryRunner)) return queryRunner.changeColumn('reports', 'number', new TableColumn({ name: 'number', type: 'varchar', length: String(length) }));
  await queryRunner.query(`ALTER TABLE \`reports\` MODIFY \`number\` varchar(${length}) NOT NULL`);
}
