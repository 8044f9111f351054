import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { openDatabase } from '../server/src/db/data-source';

type DataSource = Awaited<ReturnType<typeof openDatabase>>;

/** A resident who files in the bench, and a spot inside their own micro-grid (where the report goes). */
export interface Filer {
  openid: string;
  location: { lat: number; lng: number };
  /** the code of the street the spot is in, for the report */
  street: string;
}

export interface SubmitFigure {
  p50: number;
  p99: number;
  /** submissions answered per second, on average */
  reached: number;
  /** errors and answers other than 2xx */
  failed: number;
  filers: number;
  streets: number;
}

/**
 * POST /reports at a fixed rate (300 req/s by default) for `seconds`, each request from the next filer
 * in turn, at a spot of their micro-grid, with its own Idempotency-Key as the app sends. With several
 * API base URLs the rate is split between them, as a load balancer would. What is filed stays in the
 * database: remove it with cleanup.ts (`removeBenchReports(before, filers.map((f) => f.openid))`).
 */
export async function benchSubmit(options: {
  apis: string[];
  login: (openid: string) => Promise<string>;
  filers: Filer[];
  rate?: number;
  seconds?: number;
  connections?: number;
}): Promise<SubmitFigure> {
  const { apis, filers } = options;
  const rate = options.rate ?? 300;
  const tokens = new Map<string, string>();
  for (const filer of filers) tokens.set(filer.openid, await options.login(filer.openid));
  const parts = await Promise.all(
    apis.map((api, server) => {
      let next = server; // each server's requests go round the filers from a different one
      return autocannon({
        url: `${api}/reports`,
        method: 'POST',
        connections: Math.ceil((options.connections ?? 20) / apis.length),
        duration: options.seconds ?? 5,
        overallRate: rate / apis.length,
        requests: [
          {
            setupRequest: (request: autocannon.Request) => {
              const filer = filers[next++ % filers.length];
              return {
                ...request,
                headers: { authorization: `Bearer ${tokens.get(filer.openid)}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
                body: JSON.stringify({ categoryCode: 'sanitation', description: '压测：楼下垃圾桶满了没人清运', location: filer.location }),
              };
            },
          },
        ],
      });
    }),
  );
  return {
    p50: Math.max(...parts.map((p) => p.latency.p50)),
    p99: Math.max(...parts.map((p) => p.latency.p99)),
    reached: parts.reduce((sum, p) => sum + p.requests.average, 0),
    failed: parts.reduce((sum, p) => sum + p.errors + p.non2xx, 0),
    filers: filers.length,
    streets: new Set(filers.map((f) => f.street)).size,
  };
}

/**
 * Residents of the seeded county (`scale-resident-<i>`, who live all over it) with their building's spot:
 * `perStreet` of each street, or — `oneStreet` — all of them from the first street (the old worst case,
 * every submission on one counter). In a stable order: the same filers run after run.
 */
export async function countyFilers(dataSource: DataSource, options: { count?: number; oneStreet?: boolean } = {}): Promise<Filer[]> {
  const count = options.count ?? 50;
  const rows: { openid: string; location: string; street: string }[] = await dataSource.query(
    `SELECT u.openid, b.location, s.code AS street
       FROM users u JOIN households h ON h.id = u.householdId JOIN buildings b ON b.id = h.buildingId
       JOIN grid_nodes m ON m.id = b.microgridId JOIN grid_nodes s ON s.level = 'street' AND m.path LIKE CONCAT(s.path, '%')
      WHERE u.openid IN (${Array.from({ length: 4000 }, (_, i) => `'scale-resident-${i}'`).join(',')})
      ORDER BY u.id`,
  );
  const byStreet = new Map<string, Filer[]>();
  for (const row of rows) {
    const filer = { openid: row.openid, location: JSON.parse(row.location) as Filer['location'], street: row.street };
    byStreet.set(row.street, [...(byStreet.get(row.street) ?? []), filer]);
  }
  const streets = [...byStreet.keys()].sort();
  if (options.oneStreet) return byStreet.get(streets[0])!.slice(0, count);
  // Round the streets, one filer of each at a time, so that consecutive submissions are in different streets.
  const spread: Filer[] = [];
  for (let i = 0; spread.length < count && i < count; i++) for (const street of streets) if (spread.length < count && byStreet.get(street)![i]) spread.push(byStreet.get(street)![i]);
  return spread;
}

/** The demo community's residents (one street, 锦华街道), filing at a spot of 桂香苑微网格. */
export function demoFilers(): Filer[] {
  return [1, 2, 3, 4, 5, 6].map((i) => ({ openid: `demo-resident-${i}`, location: { lat: 30.279, lng: 120.1495 }, street: '330199001' }));
}

/**
 * `DATABASE_URL=… npx tsx bench/submit.ts`: one server process on the database, submit at 300 req/s
 * spread over the county's streets, then from one street; what was filed is removed afterwards.
 * BENCH_SECONDS (default 10), SUBMIT_RATE (default 300).
 */
async function main() {
  const { openDatabase: open } = await import('../server/src/db/data-source');
  const { startServerProcess } = await import('../server/test/server-process');
  const { markBeforeBench, removeBenchReports } = await import('./cleanup');
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('bench/submit.ts needs DATABASE_URL (the seeded county, or any MySQL/MariaDB with the demo)');
  const dataSource = await open({ url, embeddedFile: null });
  const county = (await dataSource.query("SELECT COUNT(*) AS n FROM grid_nodes WHERE code = 'SCALE'"))[0].n > 0;
  const runs: [string, Filer[]][] = county
    ? [
        ['spread over the streets', await countyFilers(dataSource)],
        ['one street', await countyFilers(dataSource, { oneStreet: true })],
      ]
    : [['the demo community (one street)', demoFilers()]];
  await dataSource.destroy();
  const server = await startServerProcess({ DATABASE_URL: url, SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' });
  const before = await markBeforeBench();
  const api = `${server.baseUrl}/api/v1`;
  const login = async (openid: string) =>
    ((await (await fetch(`${api}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })).json()) as { token: string }).token;
  try {
    for (const [label, filers] of runs) {
      const figure = await benchSubmit({ apis: [api], login, filers, rate: Number(process.env.SUBMIT_RATE ?? 300), seconds: Number(process.env.BENCH_SECONDS ?? 10) });
      console.log(`submit, ${label} (${figure.filers} residents, ${figure.streets} streets): p50 ${figure.p50} ms, p99 ${figure.p99} ms, ${figure.reached.toFixed(0)} req/s reached, ${figure.failed} failed`);
    }
  } finally {
    await server.stop();
    const removed = await removeBenchReports(before, [...new Set(runs.flatMap(([, filers]) => filers.map((f) => f.openid)))]);
    console.log(`removed the ${removed} reports filed`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
