import { randomBytes } from 'node:crypto';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { connectionOptions } from '../../server/src/db/data-source';
import { migrations } from '../../server/src/db/migrations';
import { buildServerOnce, startServerProcess, type ServerProcess } from '../../server/test/server-process';

/**
 * Three production processes on one empty database (≈ 50 s: the build and three starts), so it runs with
 * `npm run test:cluster`, not `npm test`, on the MariaDB server at TEST_DATABASE_URL (skipped without).
 */
const serverUrl = process.env.TEST_DATABASE_URL;

async function onServer<T>(sql: string, database?: string): Promise<T[]> {
  const connection = await createConnection({ ...connectionOptions(new URL(serverUrl!)), database });
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

interface StartLog {
  migrationsRan?: number;
  waitedMs?: number;
  seeded?: { created: number };
}

describe.skipIf(!serverUrl)('instances starting together on MariaDB', () => {
  it('three production processes started at once on an empty database: one runs every migration and the seed, the others wait and find nothing to do; all three serve', async () => {
    await buildServerOnce();
    const name = `linli_test_${randomBytes(5).toString('hex')}`;
    await onServer(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    const logs: StartLog[][] = [[], [], []];
    const env = { DATABASE_URL: url.toString(), SEED_DEMO: 'on', LOG_LEVEL: 'info', JOB_INTERVAL_MS: '0', NODE_ENV: 'production', JWT_SECRET: 'migration-lock-test' };
    let servers: ServerProcess[] = [];
    try {
      const started = await Promise.allSettled(
        logs.map((log) =>
          startServerProcess(env, {
            compiled: true,
            onOutput: (line) => {
              if (line.startsWith('{')) log.push(JSON.parse(line) as StartLog);
              else console.error(line);
            },
          }),
        ),
      );
      servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      for (const server of servers) expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);

      const ran = logs.map((log) => log.find((l) => l.migrationsRan !== undefined)!);
      expect(ran.map((r) => r.migrationsRan).sort()).toEqual([0, 0, migrations.length]);
      // They did start together: at least one waited for the lock while the migrations ran.
      const waiters = ran.filter((r) => r.migrationsRan === 0);
      expect(Math.max(...waiters.map((w) => w.waitedMs!))).toBeGreaterThan(100);
      const executed = await onServer<{ name: string; n: number }>('SELECT name, COUNT(*) AS n FROM migrations GROUP BY name', name);
      expect(executed).toHaveLength(migrations.length);
      expect(executed.every((m) => Number(m.n) === 1)).toBe(true);

      const seeded = logs.map((log) => log.find((l) => l.seeded)!.seeded!.created).sort((a, b) => a - b);
      expect(seeded[0]).toBe(0);
      expect(seeded[1]).toBe(0);
      expect(seeded[2]).toBeGreaterThan(100);
      const [{ n }] = await onServer<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE openid = 'demo-resident-1'", name);
      expect(Number(n)).toBe(1);
      console.log(`migration lock: ${migrations.length} migrations ran once of 3 processes; the others waited ${waiters.map((w) => Math.round(w.waitedMs!)).join(' and ')} ms`);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await onServer(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  }, 180_000);
});
