import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/**
 * An entity read from plain SQL, for the few hottest reads (a report's page, the lists): the column
 * list is written once, and a row becomes the entity through the driver's own conversion and the
 * columns' transformers — what TypeORM's find does, without building and parsing its query each time.
 * On the county, TypeORM's query builder was a fifth of a report detail's CPU (docs/performance.md).
 * Columns marked `select: false` are left out, as find leaves them out.
 */
export class LeanEntity<T extends ObjectLiteral> {
  private readonly selectable: ColumnMetadata[];
  private readonly lists = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    this.selectable = dataSource.getMetadata(target).columns.filter((column) => column.isSelect);
  }

  /** The table's name, quoted for this database. */
  get table(): string {
    const metadata = this.selectable[0].entityMetadata;
    return this.dataSource.driver.escape(metadata.tableName);
  }

  /** `alias.column AS prefix_column, …` for a SELECT: prefixes keep joined entities apart. */
  columns(alias: string, prefix = ''): string {
    const key = `${alias}\u0000${prefix}`;
    let list = this.lists.get(key);
    if (!list) {
      const escape = (name: string) => this.dataSource.driver.escape(name);
      list = this.selectable.map((column) => `${escape(alias)}.${escape(column.databaseName)} AS ${escape(prefix + column.databaseName)}`).join(', ');
      this.lists.set(key, list);
    }
    return list;
  }

  /** The entity of a row selected with `columns(alias, prefix)`. */
  hydrate(row: Record<string, unknown>, prefix = ''): T {
    const entity = this.selectable[0].entityMetadata.create() as T;
    for (const column of this.selectable) {
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[prefix + column.databaseName], column));
    }
    return entity;
  }
}

/**
 * A read-only statement where TypeORM would send the query builder's SELECTs: to a replica inside a
 * route that reads from replicas (db/replicas.ts), else to the primary. (`DataSource.query` always
 * takes the primary.)
 */
export async function readRows<R = Record<string, unknown>>(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<R[]> {
  const runner = dataSource.createQueryRunner(dataSource.defaultReplicationModeForReads());
  try {
    return (await runner.query(sql, parameters)) as R[];
  } finally {
    await runner.release();
  }
}
