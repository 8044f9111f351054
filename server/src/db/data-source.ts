import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DatabaseOptions {
  /** mysql://… or mariadb://…; null → embedded sql.js. */
  url: string | null;
  /** Where the embedded database keeps its file; null → in memory only (tests). */
  embeddedFile: string | null;
}

export function createDataSource({ url, embeddedFile }: DatabaseOptions): DataSource {
  if (url) {
    const parsed = new URL(url);
    // TypeORM's `mysql` type reports phantom datetime changes against MariaDB; `mariadb` does not.
    const type = parsed.protocol === 'mariadb:' ? 'mariadb' : 'mysql';
    return new DataSource({
      type,
      host: parsed.hostname,
      port: Number(parsed.port || 3306),
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: parsed.pathname.replace(/^\//, ''),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      entities,
      migrations,
      poolSize: Number(parsed.searchParams.get('poolSize') || 10),
      // mysql2 otherwise captures a stack trace on every query (~5% of a read's CPU); a failed query
      // still carries TypeORM's own stack (QueryFailedError, with the caller's async frames).
      trace: false,
    });
  }
  if (embeddedFile) fs.mkdirSync(path.dirname(embeddedFile), { recursive: true });
  return new DataSource({
    type: 'sqljs',
    location: embeddedFile ?? undefined,
    autoSave: !!embeddedFile,
    entities,
    migrations,
  });
}

export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
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
