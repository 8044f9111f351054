import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../harness';
import { freePort, startServerProcess } from '../server-process';

const run = promisify(execFile);
const SERVER_ENV = { RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'fatal' };

async function login(baseUrl: string, openid: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) });
  return ((await response.json()) as { token: string }).token;
}

function submit(baseUrl: string, token: string, key: string) {
  return fetch(`${baseUrl}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ categoryCode: 'sanitation', description: `压力测试说事 ${key.slice(0, 8)}`, location: { lat: 30.279, lng: 120.1495 } }),
  });
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('faults on MariaDB', () => {
  it('SIGKILL in the middle of a stream of submissions: every acknowledged report is there after restart, none twice', async () => {
    const database = await openTestDatabase();
    const env = { ...SERVER_ENV, DATABASE_URL: database.url! };
    let server = await startServerProcess(env);
    const token = await login(server.baseUrl, 'demo-resident-1');
    const acknowledged = new Map<string, number>();
    const unanswered: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const key = randomUUID();
        try {
          const response = await submit(server.baseUrl, token, key);
          if (response.status === 201) acknowledged.set(key, ((await response.json()) as { id: number }).id);
          else unanswered.push(key);
        } catch {
          unanswered.push(key); // the connection died with the server: the phone would retry
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Kill it mid-stream: once a good number were acknowledged (a fixed delay is too short on a busy machine).
    for (let waited = 0; acknowledged.size < 20 && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.size).toBeGreaterThan(10);

    server = await startServerProcess(env);
    try {
      // Every acknowledged report survived the crash.
      for (const [, id] of acknowledged) {
        const response = await fetch(`${server.baseUrl}/api/v1/reports/${id}`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
      }
      // The phone retries what got no answer with the same key: at most one report per key.
      for (const key of unanswered) expect((await submit(server.baseUrl, token, key)).status).toBe(201);
      const { dataSource } = database;
      const perKey: { k: string; n: number }[] = await dataSource.query('SELECT idempotencyKey AS k, COUNT(*) AS n FROM reports WHERE idempotencyKey IS NOT NULL GROUP BY idempotencyKey HAVING COUNT(*) > 1');
      expect(perKey).toEqual([]);
      const [{ n }] = await dataSource.query('SELECT COUNT(*) AS n FROM reports');
      expect(Number(n)).toBe(acknowledged.size + unanswered.length);
      const numbers = await dataSource.query('SELECT number FROM reports');
      expect(new Set(numbers.map((r: { number: string }) => r.number)).size).toBe(Number(n));
      console.log(`fault: SIGKILL after ${acknowledged.size} acknowledged submissions (${unanswered.length} unanswered, retried); lost 0, duplicated 0`);
    } finally {
      await server.stop();
      await database.drop();
    }
  }, 120_000);

  it('MariaDB stops under load: /readyz answers 503 while it is down and the server recovers by itself', async () => {
    // A MariaDB of its own, so stopping it disturbs no other test.
    const port = await freePort();
    const mariadbEnv = { ...process.env, MARIADB_DIR: `/tmp/linli-mariadb-fault-${port}`, MARIADB_PORT: String(port) };
    const script = path.resolve(__dirname, '../../../.ci/mariadb.sh');
    const url = (await run('bash', [script, 'start'], { env: mariadbEnv })).stdout.trim().split('\n').pop()!;
    const server = await startServerProcess({ ...SERVER_ENV, DATABASE_URL: url });
    try {
      const token = await login(server.baseUrl, 'demo-resident-1');
      let stop = false;
      const statuses: number[] = [];
      const load = (async () => {
        while (!stop) {
          const response = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
          if (response) {
            statuses.push(response.status);
            const body = (await response.json()) as { error?: { code: string } };
            if (response.status >= 500) expect(body.error?.code).toBe('INTERNAL');
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await new Promise((r) => setTimeout(r, 500));
      await run('bash', [script, 'stop'], { env: mariadbEnv });
      await expect.poll(async () => (await fetch(`${server.baseUrl}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(503);
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      await run('bash', [script, 'start'], { env: mariadbEnv });
      await expect.poll(async () => (await fetch(`${server.baseUrl}/readyz`)).status, { timeout: 30_000, interval: 200 }).toBe(200);
      await expect.poll(async () => (await fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status, { timeout: 10_000 }).toBe(200);
      stop = true;
      await load;
      expect(statuses).toContain(200);
      console.log(`fault: MariaDB stopped under load: ${statuses.filter((s) => s >= 500).length} of ${statuses.length} requests failed while it was down, then recovered`);
    } finally {
      await server.stop();
      await run('bash', [script, 'stop'], { env: mariadbEnv });
    }
  }, 120_000);
});
