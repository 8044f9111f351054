import type mysql from 'mysql2/promise';

/** One secondary index as information_schema.STATISTICS describes it, enough to create it again. */
interface SecondaryIndex {
  name: string;
  unique: boolean;
  /** BTREE, FULLTEXT, SPATIAL */
  type: string;
  /** `column`(prefix) DESC, in the index's order */
  parts: string[];
}

/**
 * Loads big tables the way a dump is restored: their secondary indexes dropped, the rows inserted in
 * primary-key order, then every index of a table built in ONE `ALTER TABLE … ADD INDEX …, ADD INDEX …`
 * (one scan of the table, each index sorted, instead of a B-tree insert per row and index that slows
 * down as the indexes outgrow the buffer pool). The definitions are read from information_schema, so
 * the indexes come back exactly as the migrations made them (order, prefixes, UNIQUE/FULLTEXT).
 * The load must not rely on the dropped indexes for its own reads.
 */
export async function loadWithoutIndexes<T>(db: mysql.Connection, tables: string[], load: () => Promise<T>, lap: (what: string) => void = () => undefined): Promise<T> {
  const indexes = await secondaryIndexes(db, tables);
  for (const [table, list] of indexes) await alter(db, table, list.map((i) => `DROP INDEX \`${i.name}\``));
  lap(`secondary indexes of ${tables.length} tables dropped`);
  const result = await load();
  for (const [table, list] of indexes) {
    await alter(db, table, list.map(addIndex));
    lap(`${table}: ${list.length} indexes built`);
  }
  return result;
}

async function alter(db: mysql.Connection, table: string, clauses: string[]): Promise<void> {
  if (clauses.length) await db.query(`ALTER TABLE \`${table}\` ${clauses.join(', ')}`);
}

async function secondaryIndexes(db: mysql.Connection, tables: string[]): Promise<Map<string, SecondaryIndex[]>> {
  const [rows] = (await db.query(
    `SELECT TABLE_NAME AS tableName, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, INDEX_TYPE AS type, COLUMN_NAME AS columnName, SUB_PART AS subPart, COLLATION AS collation
       FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?) AND INDEX_NAME <> 'PRIMARY'
      ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [tables],
  )) as [{ tableName: string; name: string; nonUnique: number | string; type: string; columnName: string; subPart: number | null; collation: string | null }[], unknown];
  const byTable = new Map<string, SecondaryIndex[]>(tables.map((t) => [t, []]));
  for (const row of rows) {
    const list = byTable.get(row.tableName)!;
    let index = list.find((i) => i.name === row.name);
    if (!index) list.push((index = { name: row.name, unique: Number(row.nonUnique) === 0, type: row.type, parts: [] }));
    index.parts.push(`\`${row.columnName}\`${row.subPart ? `(${row.subPart})` : ''}${row.collation === 'D' ? ' DESC' : ''}`);
  }
  return byTable;
}

function addIndex(index: SecondaryIndex): string {
  const kind = index.type === 'FULLTEXT' ? 'FULLTEXT ' : index.type === 'SPATIAL' ? 'SPATIAL ' : index.unique ? 'UNIQUE ' : '';
  return `ADD ${kind}INDEX \`${index.name}\` (${index.parts.join(', ')})`;
}
