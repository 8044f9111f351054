import fs from 'node:fs';
import path from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DatabaseOptions {
  /** mysql://… or mariadb://… (either, for either server: see dialectOf); null → embedded sql.js. */
  url: string | null;
  /** Where the embedded database keeps its file; null → in memory only (tests). */
  embeddedFile: string | null;
}

/** MySQL or MariaDB: the two speak one protocol but differ in SQL (a shared lock, datetime defaults). */
export type ServerDialect = 'mysql' | 'mariadb';

/** Where a mysql:// or mariadb:// URL points: host, port, credentials and database, for mysql2. */
export function connectionOptions(url: URL) {
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || undefined,
  };
}

/**
 * Which of the two the URL reaches, asked of the server itself: MariaDB says so in `VERSION()`. The
 * scheme cannot decide: MariaDB is routinely reached through mysql:// (the README documents both), and
 * TypeORM's `mysql` dialect, seeing MariaDB 10.11 report a version ≥ 8, writes MySQL 8's `FOR SHARE`,
 * a syntax error on MariaDB (and reports phantom datetime changes in a schema diff).
 */
export async function dialectOf(url: URL): Promise<ServerDialect> {
  const connection = await createConnection({ ...connectionOptions(url), database: undefined });
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
    return /mariadb/i.test(String(rows[0]?.version)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/** A data source on a MySQL/MariaDB server, in the dialect the server was found to speak. */
function serverDataSource(url: URL, dialect: ServerDialect): DataSource {
  const { host, port, user, password, database } = connectionOptions(url);
  return new DataSource({
    type: dialect,
    host,
    port,
    username: user,
    password,
    database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities,
    migrations,
    poolSize: Number(url.searchParams.get('poolSize') || 10),
    // mysql2 otherwise captures a stack trace on every query (~5% of a read's CPU); a failed query
    // still carries TypeORM's own stack (QueryFailedError, with the caller's async frames).
    trace: false,
  });
}

function embeddedDataSource(file: string | null): DataSource {
  if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
  return new DataSource({ type: 'sqljs', location: file ?? undefined, autoSave: !!file, entities, migrations });
}

/** Opens the database (on a server, in the dialect of the server that answers) and brings its schema up to date. */
export async function openDatabase({ url, embeddedFile }: DatabaseOptions): Promise<DataSource> {
  const dataSource = url ? serverDataSource(new URL(url), await dialectOf(new URL(url))) : embeddedDataSource(embeddedFile);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * Runs `work` in one transaction. sql.js has a single connection, on which TypeORM cannot open two
 * transactions at once, so on the embedded database transactions queue one behind another.
 */
export function transact<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'sqljs') return dataSource.transaction(work);
  const queue = embeddedQueues.get(dataSource) ?? Promise.resolve();
  const run = queue.then(() => dataSource.transaction(work));
  embeddedQueues.set(
    dataSource,
    run.then(
      () => undefined,
      () => undefined,
    ),
  );
  return run;
}
const embeddedQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * `transact`, retried when MySQL/MariaDB picks this transaction as a deadlock victim or a lock wait
 * times out: everything was rolled back, so running the work again is safe.
 */
export async function transactRetrying<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transact(dataSource, work);
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

function isTransient(err: unknown): boolean {
  const e = err as { errno?: number; driverError?: { errno?: number } };
  const errno = e?.errno ?? e?.driverError?.errno;
  return errno === 1213 || errno === 1205;
}
