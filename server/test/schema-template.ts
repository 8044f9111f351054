import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { connectionOptions, openDatabase } from '../src/db/data-source';

/**
 * The migrated schema, built once per test run and MySQL/MariaDB server, then copied into each test
 * file's fresh database (SHOW CREATE TABLE, rows of the tables the migrations filled). Running the
 * migrations for every file cost more than most files' tests, and their hundreds of
 * INFORMATION_SCHEMA queries at once (8 workers migrating side by side) crash MariaDB 10.11
 * (signal 11 in create_tmp_table_for_schema). The copy is the migrations' own output: the
 * migrations still run, once, and `server/src/db/schema.test.ts` still checks them.
 */
// Without vitest.config.mts's id (another config), a template for this process alone.
const RUN = process.env.LINLI_TEST_RUN ?? Date.now().toString(36);
const READY = '_template_ready';

interface Template {
  database: string;
  /** CREATE TABLE statements, in the template's order (foreign keys are checked off while they run). */
  creates: string[];
  /** Tables that hold rows after the migrations (the migrations table, categories…). */
  filled: string[];
}

const templates = new Map<string, Promise<Template>>();

/** Creates `database`'s tables as the migrations leave them, on the server of `serverUrl`. */
export async function copyMigratedSchema(serverUrl: string, database: string): Promise<void> {
  const key = new URL(serverUrl).host;
  let template = templates.get(key);
  if (!template) {
    template = loadTemplate(serverUrl);
    templates.set(key, template);
  }
  const { database: source, creates, filled } = await template;
  const connection = await connect(serverUrl, database);
  try {
    const copies = filled.map((table) => `INSERT INTO \`${table}\` SELECT * FROM \`${source}\`.\`${table}\``);
    await connection.query(['SET FOREIGN_KEY_CHECKS = 0', ...creates, ...copies, 'SET FOREIGN_KEY_CHECKS = 1'].join(';\n'));
  } finally {
    await connection.end();
  }
}

async function loadTemplate(serverUrl: string): Promise<Template> {
  const database = `linli_tpl_${RUN}`.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 64);
  const admin = await connect(serverUrl);
  try {
    // One worker builds it; the others wait on the lock, then find it ready.
    await admin.query('SELECT GET_LOCK(?, 600)', [database]);
    try {
      const [ready] = await admin.query<RowDataPacket[]>('SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [database, READY]);
      if (ready.length === 0) await buildTemplate(serverUrl, admin, database);
    } finally {
      await admin.query('SELECT RELEASE_LOCK(?)', [database]);
    }
    const [tables] = await admin.query<RowDataPacket[]>('SELECT table_name AS name, table_rows AS estimate FROM information_schema.tables WHERE table_schema = ? AND table_name <> ? ORDER BY table_name', [database, READY]);
    const creates: string[] = [];
    const filled: string[] = [];
    for (const { name } of tables as { name: string }[]) {
      const [[create]] = await admin.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${database}\`.\`${name}\``);
      creates.push(create['Create Table'] as string);
      const [[count]] = await admin.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${database}\`.\`${name}\``);
      if (Number(count.n) > 0) filled.push(name);
    }
    return { database, creates, filled };
  } finally {
    await admin.end();
  }
}

async function buildTemplate(serverUrl: string, admin: Connection, database: string): Promise<void> {
  await dropStaleTemplates(admin);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const dataSource = await openDatabase({ url: url.toString(), embeddedFile: null });
  await dataSource.destroy();
  await admin.query(`CREATE TABLE \`${database}\`.\`${READY}\` (id INT)`);
}

/** Templates of runs more than a day old (a run's id is its start time in base 36); a run in progress keeps its own. */
async function dropStaleTemplates(admin: Connection): Promise<void> {
  const [rows] = await admin.query<RowDataPacket[]>("SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'linli\\_tpl\\_%'");
  for (const { name } of rows as { name: string }[]) {
    const started = parseInt(name.slice('linli_tpl_'.length), 36);
    if (Number.isFinite(started) && started < Date.now() - 86_400_000) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  }
}

function connect(serverUrl: string, database?: string): Promise<Connection> {
  return createConnection({ ...connectionOptions(new URL(serverUrl)), database, multipleStatements: true });
}
