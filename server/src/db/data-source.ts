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
  /**
   * Read replicas of `url` (DATABASE_REPLICA_URLS), given to TypeORM's replication. Every query still
   * goes to the primary unless a route asks for a replica (see replicas.ts).
   */
  replicaUrls?: readonly string[];
  /** Told which migrations this process ran (none when another process had run them) and how long it waited for the lock. */
  onMigrated?: (result: { ran: string[]; waitedMs: number }) => void;
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

/** TypeORM's credentials of one server, with its own pool size (`?poolSize=` on its URL). */
function credentials(url: URL) {
  const { host, port, user, password, database } = connectionOptions(url);
  return { host, port, username: user, password, database, poolSize: Number(url.searchParams.get('poolSize') || 10) };
}

/**
 * A data source on a MySQL/MariaDB server, in the dialect the server was found to speak; with replicas,
 * TypeORM's replication (mysql2's pool cluster: MASTER and SLAVE0…n) with reads on the primary by
 * default — a route sends its reads to a replica only when it asks (replicas.ts). A replica that fails
 * to connect is left out for 2 s (then tried again), and the next one is asked.
 */
function serverDataSource(url: URL, dialect: ServerDialect, replicaUrls: readonly string[]): DataSource {
  const primary = credentials(url);
  const where = replicaUrls.length
    ? {
        replication: {
          master: primary,
          slaves: replicaUrls.map((replica) => credentials(new URL(replica))),
          defaultMode: 'master' as const,
          canRetry: true,
          removeNodeErrorCount: 1,
          restoreNodeTimeout: 2000,
        },
      }
    : primary;
  return new DataSource({
    type: dialect,
    ...where,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities,
    migrations,
    // mysql2 otherwise captures a stack trace on every query (~5% of a read's CPU); a failed query
    // still carries TypeORM's own stack (QueryFailedError, with the caller's async frames).
    trace: false,
  });
}

function embeddedDataSource(file: string | null): DataSource {
  if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
  return new DataSource({ type: 'sqljs', location: file ?? undefined, autoSave: !!file, entities, migrations });
}

/**
 * Opens the database (on a server, in the dialect of the server that answers) and brings its schema up
 * to date. Several instances starting at once run the migrations once: the first to take the
 * database's migration lock runs them, the others wait for it and then find nothing left to run.
 */
export async function openDatabase({ url, embeddedFile, replicaUrls = [], onMigrated }: DatabaseOptions): Promise<DataSource> {
  const dataSource = url ? serverDataSource(new URL(url), await dialectOf(new URL(url)), replicaUrls) : embeddedDataSource(embeddedFile);
  await dataSource.initialize();
  const asked = performance.now();
  const ran = await withDatabaseLock(dataSource, 'migrations', async () => {
    const waitedMs = performance.now() - asked;
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return { ran: done.map((m) => m.name), waitedMs };
  });
  onMigrated?.(ran);
  return dataSource;
}

/** How long an instance waits for another one's migrations (a long index build on a big table) before giving up. */
const LOCK_WAIT_SECONDS = 1800;

/**
 * Runs `work` while this process holds the named lock of this database, on MySQL/MariaDB a
 * `GET_LOCK` held by one connection of the primary: another process asking for the same lock waits
 * until it is released, or until the connection holding it dies with its process (so a crash never
 * leaves it taken). The embedded database has one process: `work` just runs.
 */
export async function withDatabaseLock<T>(dataSource: DataSource, name: string, work: () => Promise<T>, waitSeconds = LOCK_WAIT_SECONDS): Promise<T> {
  if (dataSource.options.type === 'sqljs') return work();
  // Lock names are server-wide (64 characters at most): the database's name keeps two databases of one server apart.
  const lock = `linli:${name}:${dataSource.driver.database ?? ''}`.slice(0, 64);
  const holder = dataSource.createQueryRunner('master');
  await holder.connect();
  try {
    const [row] = await holder.query('SELECT GET_LOCK(?, ?) AS taken', [lock, waitSeconds]);
    if (Number(row?.taken) !== 1) throw new Error(`database lock ${lock} not taken within ${waitSeconds} s`);
    try {
      return await work();
    } finally {
      await holder.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    }
  } finally {
    await holder.release();
  }
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
export function transactRetrying<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 6): Promise<T> {
  return retryingTransient(() => transact(dataSource, work), attempts);
}

/**
 * One statement atomic on its own (a single guarded UPDATE), retried as `transactRetrying` is: on
 * MySQL/MariaDB sent as it is (a transaction around it would be two more round trips), on the embedded
 * database queued behind the open transaction like any other (`transact`).
 */
export function writeRetrying<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 6): Promise<T> {
  if (dataSource.options.type === 'sqljs') return transactRetrying(dataSource, work, attempts);
  return retryingTransient(() => work(dataSource.manager), attempts);
}

async function retryingTransient<T>(run: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
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
