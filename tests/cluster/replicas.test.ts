import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail, ReportSummary } from '@linli/shared';
import { connectionOptions, openDatabase } from '../../server/src/db/data-source';
import { seedDemo } from '../../server/src/seed/demo';
import { startTestServer, type TestServer } from '../../server/test/harness';
import { freePort } from '../../server/test/server-process';
import { missingEngines } from './engines';

const run = promisify(execFile);
const script = path.resolve(__dirname, '../../deploy/mariadb-pair.sh');
const SPOT = { lat: 30.279, lng: 120.1495 };

/**
 * A MariaDB primary and a real GTID replica of it (deploy/mariadb-pair.sh), the replica applying
 * events 2 s late (MASTER_DELAY) so that its lag can be seen on loopback. Two app instances share them,
 * as two processes behind a load balancer would.
 */
describe.skipIf(missingEngines('replica test', ['/usr/sbin/mariadbd']))('read replicas (MariaDB primary + GTID replica)', () => {
  let pairEnv: NodeJS.ProcessEnv;
  let replicaRoot: Connection;
  let a: TestServer;
  let b: TestServer;
  const tokens: Record<string, string> = {};

  const pair = (command: string) => run('bash', [script, command], { env: pairEnv });
  /** SELECTs the replica has answered so far: how a read is seen to have gone there. */
  const replicaSelects = async () => Number((await replicaRoot.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Com_select'"))[0][0].Value);
  const onReplica = async (sql: string, params: unknown[] = []) => (await replicaRoot.query<RowDataPacket[]>(sql, params))[0];
  const queue = (server: TestServer) => server.call<{ items: ReportSummary[] }>('GET', '/reports?scope=queue&limit=50', { token: tokens.worker });
  const mine = (server: TestServer) => server.call<{ items: ReportSummary[] }>('GET', '/reports?scope=mine&limit=50', { token: tokens.resident });
  const file = (server: TestServer, description: string) =>
    server.call<ReportDetail>('POST', '/reports', { token: tokens.resident, body: { categoryCode: 'sanitation', description, location: SPOT }, headers: { 'idempotency-key': randomUUID() } });

  beforeAll(async () => {
    const primaryPort = await freePort();
    const replicaPort = await freePort();
    pairEnv = { ...process.env, PAIR_DIR: `/tmp/linli-pair-test-${primaryPort}`, PRIMARY_PORT: String(primaryPort), REPLICA_PORT: String(replicaPort), REPLICA_DELAY: '2' };
    const [primaryUrl, replicaUrl] = (await pair('start')).stdout.trim().split('\n');
    replicaRoot = await createConnection({ ...connectionOptions(new URL(replicaUrl)), user: 'linli_read', password: 'linli_read' });
    const env = { DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: replicaUrl, REPLICA_MAX_LAG_SECONDS: '4', READ_YOUR_WRITES_SECONDS: '10' };
    const instance = async () => {
      const dataSource = await openDatabase({ url: primaryUrl, embeddedFile: null, replicaUrls: [replicaUrl] });
      const server = await startTestServer({ env, seed: false, database: { dataSource, url: primaryUrl, drop: () => dataSource.destroy() } });
      await server.app.replicas.start();
      return server;
    };
    a = await instance();
    await seedDemo(a.dataSource);
    b = await instance();
    tokens.resident = await a.login('demo-resident-1');
    tokens.worker = await a.login('demo-gridworker-1');
    // The logins wrote (users): let their window pass for the worker, whose reads should reach the replica.
    await a.dataSource.query('DELETE FROM recent_writers');
    for (let waited = 0; (await onReplica("SELECT COUNT(*) AS n FROM users WHERE openid = 'demo-gridworker-1'"))[0].n !== 1; waited += 100) {
      if (waited > 10_000) throw new Error('the replica did not receive the seed');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    await a?.app.replicas.stop();
    await b?.app.replicas.stop();
    await a?.close();
    await b?.close();
    await a?.dataSource.destroy();
    await b?.dataSource.destroy();
    await replicaRoot?.end();
    if (pairEnv) await pair('purge');
  });

  it('a staff queue is read from the replica; a report detail, not marked as a heavy read, from the primary', async () => {
    expect(a.app.replicas.states).toEqual([expect.objectContaining({ healthy: true })]);
    const filed = await file(a, '路灯不亮，晚上很黑');
    await a.dataSource.query('DELETE FROM recent_writers'); // the resident's write is not what this test is about
    const before = await replicaSelects();
    expect((await queue(b)).status).toBe(200);
    const afterQueue = await replicaSelects();
    expect(afterQueue).toBeGreaterThan(before);
    expect((await b.call('GET', `/reports/${filed.body.id}`, { token: tokens.worker })).status).toBe(200);
    expect(await replicaSelects()).toBe(afterQueue);
  });

  it('a resident sees their new report in 我的说事 at once through the OTHER instance, while the replica does not have it yet; the worker sees it once the replica does', async () => {
    const filed = await file(a, `读写一致测试 ${randomUUID().slice(0, 8)}`);
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    const selectsBefore = await replicaSelects();
    const seenByResident = await mine(b);
    expect(seenByResident.body.items.map((r) => r.id)).toContain(id);
    // The replica (2 s behind) did not have it: that read came from the primary, as routed, and asked the replica nothing.
    expect((await onReplica('SELECT COUNT(*) AS n FROM reports WHERE id = ?', [id]))[0].n).toBe(0);
    expect(await replicaSelects()).toBe(selectsBefore + 1); // only the check just above

    // The worker wrote nothing: their queue comes from the replica and shows the report once it arrived there.
    const started = Date.now();
    expect((await queue(b)).body.items.map((r) => r.id)).not.toContain(id);
    await expect.poll(async () => (await queue(b)).body.items.map((r) => r.id), { timeout: 10_000, interval: 50 }).toContain(id);
    console.log(`replica lag seen by a reader who did not write: ${Date.now() - started} ms (MASTER_DELAY 2 s)`);
  });

  it('the replica killed in the middle of a stream of reads: every read answers (from the primary), and the replica is read again once back', async () => {
    const statuses: number[] = [];
    let stop = false;
    const reader = async (server: TestServer) => {
      while (!stop) {
        const response = await queue(server).catch(() => ({ status: 0 }));
        statuses.push(response.status);
      }
    };
    const readers = [reader(a), reader(b), reader(a), reader(b)];
    await new Promise((r) => setTimeout(r, 800));
    await pair('kill-replica');
    await expect.poll(() => a.app.replicas.states[0].healthy, { timeout: 5000, interval: 100 }).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(readers);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    console.log(`replica killed during ${statuses.length} reads: ${statuses.filter((s) => s !== 200).length} failed`);

    await pair('start-replica');
    await replicaRoot.end();
    replicaRoot = await createConnection({ ...connectionOptions(new URL(`mysql://x@127.0.0.1:${pairEnv.REPLICA_PORT}/linli`)), user: 'linli_read', password: 'linli_read' });
    await expect.poll(() => a.app.replicas.states[0].healthy && b.app.replicas.states[0].healthy, { timeout: 15_000, interval: 200 }).toBe(true);
    const before = await replicaSelects();
    expect((await queue(a)).status).toBe(200);
    expect(await replicaSelects()).toBeGreaterThan(before);
  }, 60_000);

  it('a replica that stops replicating leaves the rotation (its copy would only grow older) and comes back when it replicates again', async () => {
    await onReplicaAsRoot('STOP SLAVE');
    try {
      await expect.poll(() => b.app.replicas.states[0], { timeout: 5000, interval: 100 }).toMatchObject({ healthy: false, reason: expect.stringMatching(/not replicating/) });
      const before = await replicaSelects();
      expect((await queue(b)).status).toBe(200);
      expect(await replicaSelects()).toBe(before);
    } finally {
      await onReplicaAsRoot('START SLAVE');
    }
    await expect.poll(() => b.app.replicas.states[0].healthy, { timeout: 10_000, interval: 100 }).toBe(true);
  });

  async function onReplicaAsRoot(sql: string) {
    await run('mariadb', [`--socket=${pairEnv.PAIR_DIR}/replica/mysqld.sock`, '-uroot', '-e', sql]);
  }
});
