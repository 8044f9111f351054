/**
 * Staff search (`GET /residents?q=`) over the county's 301,000 households: by the start of a name, a
 * phone's last four digits and a room, for a grid worker (one grid, ~215 flats) and a street admin
 * (~30,000 flats); each the median of 15 requests in a row over HTTP. The baseline, measured in the
 * same run: a plain indexed lookup of the same phone tail in SQL, and the unfiltered count of the
 * county's memberships.
 */
import type { openDatabase } from '../server/src/db/data-source';
import { STREET_ADMIN } from './seed-residents';

const RUNS = 15;
type DataSource = Awaited<ReturnType<typeof openDatabase>>;

export interface SearchFigure {
  what: string;
  medianMs: number;
  rangeMs: [number, number];
  found: number;
}

async function timed(run: () => Promise<number>): Promise<{ medianMs: number; rangeMs: [number, number]; found: number }> {
  await run(); // warm
  const ms: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    found = await run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(RUNS / 2)], rangeMs: [ms[0], ms[RUNS - 1]], found };
}

/** A person of the county under a grid node, whose name, phone tail and room the searches look for. */
async function someoneUnder(dataSource: DataSource, path: string): Promise<{ name: string; tail: string; building: string; room: string }> {
  const [row] = await dataSource.query(
    `SELECT u.realName AS name, u.phoneTail AS tail, b.name AS building, h.room AS room
       FROM grid_nodes g JOIN buildings b ON b.microgridId = g.id JOIN households h ON h.buildingId = b.id
       JOIN household_memberships m ON m.householdId = h.id JOIN users u ON u.id = m.userId
      WHERE g.path LIKE ? AND u.realName IS NOT NULL AND u.phoneTail IS NOT NULL ORDER BY h.id DESC LIMIT 1`,
    [`${path}%`],
  );
  return row;
}

export async function benchResidentsSearch(api: string, login: (openid: string) => Promise<string>, dataSource: DataSource): Promise<{ figures: SearchFigure[]; baselines: SearchFigure[] }> {
  const [grid] = await dataSource.query("SELECT id, path FROM grid_nodes WHERE code = 'SCALE-S0-C0-G1'");
  const [street] = await dataSource.query("SELECT id, path FROM grid_nodes WHERE code = 'SCALE-S0'");
  const figures: SearchFigure[] = [];
  for (const [who, openid, path] of [
    ['grid worker (one grid)', `scale-gridworker-${grid.id}`, grid.path],
    ['street admin (30,100 flats)', STREET_ADMIN, street.path],
  ] as const) {
    const token = await login(openid);
    // Someone deep in the scope (the last flat of it), so a scan from the front would show.
    const person = await someoneUnder(dataSource, path);
    for (const [kind, q] of [
      ['name start', person.name.slice(0, 2)],
      ['phone tail', person.tail],
      ['room', `${person.building} ${person.room}`],
    ] as const) {
      const url = `${api}/residents?q=${encodeURIComponent(q)}&limit=20`;
      const figure = await timed(async () => {
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (response.status !== 200) throw new Error(`search ${url}: ${response.status} ${await response.text()}`);
        return ((await response.json()) as { items: unknown[] }).items.length;
      });
      figures.push({ what: `${who}, ${kind} "${q}"`, ...figure });
    }
  }
  const tail = (await someoneUnder(dataSource, street.path)).tail;
  const baselines = [
    { what: 'plain indexed lookup (SQL): users by phone tail', ...(await timed(async () => (await dataSource.query('SELECT id FROM users WHERE phoneTail = ? LIMIT 21', [tail])).length)) },
    {
      what: 'unfiltered count (SQL): verified memberships',
      ...(await timed(async () => Number((await dataSource.query("SELECT COUNT(*) AS n FROM household_memberships WHERE status = 'verified'"))[0].n))),
    },
  ];
  return { figures, baselines };
}
