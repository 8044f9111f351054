import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { baselineCheckout, shortSha } from './baseline';

type Row = (what: string, figure: string, baseline?: string, ratio?: string) => void;
const run = promisify(execFile);

/**
 * `npm run seed:scale` of this checkout and of the baseline's worktree, each into an empty database of
 * its own on the bench's server, one after the other, with BENCH_SEED_REPORTS reports (default 200,000:
 * the whole county of 1,000,000 takes ≈ 3 minutes here and the baseline's ≈ 12). The seed's cost grows
 * with what is already loaded (the baseline kept every index up to date row by row), so the ratio at
 * 200,000 understates the one at a million.
 */
export async function benchSeed(row: Row, baselineRef: string): Promise<void> {
  const reports = Number(process.env.BENCH_SEED_REPORTS ?? 200_000);
  const server = new URL(process.env.DATABASE_URL!);
  const admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
  const seconds: Record<'current' | 'baseline', number> = { current: 0, baseline: 0 };
  try {
    for (const [which, checkout] of [
      ['current', path.resolve(__dirname, '..')],
      ['baseline', baselineCheckout(baselineRef, { h5: false })],
    ] as const) {
      const database = `linli_bench_seed_${which}_${process.pid}`;
      await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      try {
        const url = new URL(server);
        url.pathname = `/${database}`;
        const started = performance.now();
        await run('npx', ['tsx', 'bench/seed-scale.ts'], { cwd: checkout, env: { ...process.env, DATABASE_URL: url.toString(), SCALE_REPORTS: String(reports) }, maxBuffer: 16 * 1024 * 1024 });
        seconds[which] = (performance.now() - started) / 1000;
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      }
    }
  } finally {
    await admin.end();
  }
  row(
    `npm run seed:scale into an empty database, ${reports.toLocaleString('en-US')} reports (with the county's grids and 300,000 households)`,
    `${seconds.current.toFixed(0)} s`,
    `main at ${shortSha(baselineRef)} ${seconds.baseline.toFixed(0)} s`,
    `${(seconds.baseline / seconds.current).toFixed(2)}× faster`,
  );
}
