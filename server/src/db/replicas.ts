import { AsyncLocalStorage } from 'node:async_hooks';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';
import type { ReplicaConfig } from '../config';
import type { Logger } from '../platform/logger';
import { connectionOptions } from './data-source';

/** true while a route's handler reads from a replica (see ReadReplicas.read). */
const onReplica = new AsyncLocalStorage<boolean>();

/**
 * Runs `work` with its reads on the primary even inside a route that reads from replicas: for what
 * fills a shared cache (the grid tree), which must not be filled from a copy that lags.
 */
export function onPrimary<T>(work: () => T): T {
  return onReplica.run(false, work);
}

export interface ReplicaState {
  /** host:port of the replica (never its credentials). */
  name: string;
  /** Read from now: it answers, replicates, and lags at most REPLICA_MAX_LAG_SECONDS. */
  healthy: boolean;
  /** Seconds_Behind_Master at the last look; null when it does not replicate or did not answer. */
  lagSeconds: number | null;
  /** Why it is not read from. */
  reason: string | null;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Read replicas (DATABASE_REPLICA_URLS) behind TypeORM's replication. Every query goes to the primary
 * except the SELECTs of a route that asks for replicas (`reads: 'replica'`: the dashboard, the export,
 * report lists, the grid tree with boundaries), and even those go to the primary:
 * - for a user who wrote in the last READ_YOUR_WRITES_SECONDS, on any instance: every instance records a
 *   user's successful write (POST/PUT/DELETE) in the primary's `recent_writers` before answering it, and
 *   asks that table before sending the user's read to a replica — so a resident sees their report in
 *   我的说事 at once, whichever instance answers;
 * - when no replica is healthy: each instance looks at every replica once a second, and one that does
 *   not answer, does not replicate, or lags more than REPLICA_MAX_LAG_SECONDS is left out until it
 *   catches up (the window above exceeds that lag plus a look, config.ts checks);
 * - when a replica fails between two looks: its connection request is handed to the primary, and a read
 *   that lost its replica half-way is run again on the primary.
 * Everyone else's reads of a healthy replica may be up to REPLICA_MAX_LAG_SECONDS old (staff see a
 * report another one just dispatched a second later): the price of taking the heavy reads off the primary.
 */
export class ReadReplicas {
  readonly states: ReplicaState[];
  private readonly monitors: (Connection | null)[];
  /** Which replicas are in mysql2's pool cluster: all of them at the start, as TypeORM adds them. */
  private readonly inRotation: boolean[];
  /** Users this instance saw write, and when: answers without asking the database. */
  private readonly recentWriters = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private looking: Promise<void> | null = null;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ReplicaConfig,
    private readonly logger?: Logger,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.states = config.urls.map((url) => ({ name: nameOf(url), healthy: false, lagSeconds: null, reason: 'not looked at yet' }));
    this.monitors = config.urls.map(() => null);
    this.inRotation = config.urls.map(() => true);
  }

  get enabled(): boolean {
    return this.config.urls.length > 0 && this.dataSource.options.type !== 'sqljs';
  }

  /**
   * Routes the data source's reads: a SELECT made inside `read()` asks TypeORM for a replica (`slave`),
   * any other query the primary; a replica that cannot give a connection hands the request to the primary.
   */
  install(): void {
    if (!this.enabled) return;
    this.dataSource.defaultReplicationModeForReads = () => (onReplica.getStore() ? 'slave' : 'master');
    const driver = this.dataSource.driver as MysqlDriver;
    const replicaConnection = driver.obtainSlaveConnection.bind(driver);
    driver.obtainSlaveConnection = async () => {
      try {
        return await replicaConnection();
      } catch (err) {
        this.logger?.warn({ err: errorCode(err) }, 'no replica connection: reading from the primary');
        return driver.obtainMasterConnection();
      }
    };
  }

  /** Looks at the replicas now and then every second, until stop(). */
  async start(): Promise<void> {
    if (!this.enabled || this.timer) return;
    await this.look();
    this.timer = setInterval(() => void this.look(), this.config.checkMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.looking;
    await Promise.all(this.monitors.map((m) => m?.end().catch(() => undefined)));
    this.monitors.fill(null);
  }

  /** Runs a read-only handler with its SELECTs on a replica when that is safe for this user (see the class). */
  async read<T>(userId: number | null, work: () => Promise<T>): Promise<T> {
    if (!this.enabled || !this.states.some((s) => s.healthy) || (userId !== null && (await this.wroteRecently(userId)))) {
      return onReplica.run(false, work);
    }
    try {
      return await onReplica.run(true, work);
    } catch (err) {
      if (!isConnectionLoss(err)) throw err;
      this.logger?.warn({ err: errorCode(err) }, 'replica lost during a read: read again from the primary');
      return onReplica.run(false, work);
    }
  }

  /** Koa middleware: a user's successful write is recorded (on the primary) before it is answered. */
  middleware() {
    return async (ctx: { method: string; status: number; state: { actor?: { userId: number } | null } }, next: () => Promise<void>) => {
      await next();
      const actor = ctx.state.actor;
      if (this.enabled && actor && WRITE_METHODS.has(ctx.method) && ctx.status < 400) await this.noteWrite(actor.userId);
    };
  }

  async noteWrite(userId: number): Promise<void> {
    this.recentWriters.set(userId, this.clock());
    try {
      await this.dataSource.query('INSERT INTO recent_writers (userId, writtenAt) VALUES (?, NOW(6)) ON DUPLICATE KEY UPDATE writtenAt = NOW(6)', [userId]);
    } catch (err) {
      // The write itself committed; failing its answer now would make the client retry it. Other
      // instances may send this user's next reads to a replica: logged.
      this.logger?.warn({ err: errorCode(err), userId }, 'could not record a recent write');
    }
  }

  /** Did this user write within the window, through any instance? Asked of the primary (by the clock of the database, the same for all instances). */
  async wroteRecently(userId: number): Promise<boolean> {
    const seen = this.recentWriters.get(userId);
    if (seen !== undefined && this.clock() - seen < this.config.readYourWritesMs) return true;
    const rows: unknown[] = await this.dataSource.query('SELECT 1 AS yes FROM recent_writers WHERE userId = ? AND writtenAt > NOW(6) - INTERVAL ? MICROSECOND', [
      userId,
      this.config.readYourWritesMs * 1000,
    ]);
    return rows.length > 0;
  }

  private look(): Promise<void> {
    this.looking ??= this.lookAtAll().finally(() => (this.looking = null));
    return this.looking;
  }

  private async lookAtAll(): Promise<void> {
    await Promise.all(this.config.urls.map((url, i) => this.lookAt(url, i)));
    this.forgetOldWriters();
    if (this.clock() - this.lastCleanup > 300_000) {
      this.lastCleanup = this.clock();
      await this.dataSource.query('DELETE FROM recent_writers WHERE writtenAt < NOW(6) - INTERVAL 1 HOUR').catch(() => undefined);
    }
  }

  private async lookAt(url: string, index: number): Promise<void> {
    const before = this.states[index];
    let next: ReplicaState;
    try {
      this.monitors[index] ??= await createConnection({ ...connectionOptions(new URL(url)), connectTimeout: 2000 });
      next = { name: before.name, ...(await replicationOf(this.monitors[index]!, this.config.maxLagSeconds)) };
    } catch (err) {
      await this.monitors[index]?.end().catch(() => undefined);
      this.monitors[index] = null;
      next = { name: before.name, healthy: false, lagSeconds: null, reason: `does not answer (${errorCode(err)})` };
    }
    this.states[index] = next;
    if (next.healthy !== this.inRotation[index]) this.setInRotation(index, next);
  }

  /** A replica out of rotation leaves mysql2's pool cluster (its pool closed), and comes back with a new pool. */
  private setInRotation(index: number, state: ReplicaState): void {
    const driver = this.dataSource.driver as MysqlDriver & { createConnectionOptions(options: unknown, credentials: unknown): unknown };
    const id = `SLAVE${index}`;
    this.inRotation[index] = state.healthy;
    if (state.healthy) {
      const replication = driver.options.replication!;
      driver.poolCluster.add(id, driver.createConnectionOptions(driver.options, replication.slaves[index]));
      this.logger?.info({ replica: state.name, lagSeconds: state.lagSeconds }, 'replica in rotation');
    } else {
      driver.poolCluster.remove(id);
      this.logger?.warn({ replica: state.name, reason: state.reason }, 'replica out of rotation: its reads go elsewhere');
    }
  }

  private forgetOldWriters(): void {
    const oldest = this.clock() - this.config.readYourWritesMs;
    for (const [userId, at] of this.recentWriters) if (at < oldest) this.recentWriters.delete(userId);
  }
}

/** One replica's state from SHOW REPLICA STATUS (MariaDB ≥ 10.5 and MySQL ≥ 8.0.22 both answer it, with their own column names). */
async function replicationOf(connection: Connection, maxLagSeconds: number): Promise<Omit<ReplicaState, 'name'>> {
  let rows: RowDataPacket[];
  try {
    [rows] = await connection.query<RowDataPacket[]>('SHOW REPLICA STATUS');
  } catch (err) {
    // Without the SLAVE MONITOR (MariaDB) or REPLICATION CLIENT (MySQL) privilege the lag cannot be seen.
    if ((err as { errno?: number }).errno === 1227) return { healthy: false, lagSeconds: null, reason: 'cannot see its replication (grant SLAVE MONITOR / REPLICATION CLIENT)' };
    throw err;
  }
  const status = rows[0];
  if (!status) return { healthy: false, lagSeconds: null, reason: 'not a replica' };
  const io = status.Slave_IO_Running ?? status.Replica_IO_Running;
  const sql = status.Slave_SQL_Running ?? status.Replica_SQL_Running;
  const lag = status.Seconds_Behind_Master ?? status.Seconds_Behind_Source;
  if (io !== 'Yes' || sql !== 'Yes' || lag === null || lag === undefined) {
    return { healthy: false, lagSeconds: null, reason: `not replicating (IO ${io}, SQL ${sql})` };
  }
  const lagSeconds = Number(lag);
  if (lagSeconds > maxLagSeconds) return { healthy: false, lagSeconds, reason: `${lagSeconds} s behind` };
  return { healthy: true, lagSeconds, reason: null };
}

function nameOf(url: string): string {
  const { host, port } = connectionOptions(new URL(url));
  return `${host}:${port}`;
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  return e?.code ?? e?.driverError?.code ?? String(e?.message ?? err).slice(0, 120);
}

/** A failure of the connection, not of the query: the same read on another server may well succeed. */
function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string; driverError?: { code?: string; errno?: number } };
  const code = e?.code ?? e?.driverError?.code;
  const errno = e?.errno ?? e?.driverError?.errno;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'POOL_NOEXIST', 'POOL_NONEONLINE', 'POOL_CLOSED'].includes(code ?? '') ||
    errno === 1053 || // server shutdown in progress
    /Pool is closed|connection is in closed state/i.test(e?.message ?? '')
  );
}
