/**
 * `npm run seed:scale`: a county on MySQL/MariaDB for the benchmarks — 7,000 micro-grids with
 * boundaries, 300,000 households with floor areas and verified members (seed-residents.ts),
 * 1,000,000 reports over three years in every state, consultations with votes, and point ledger
 * entries. Rows go in with multi-row INSERTs straight through mysql2 (the app's code paths are
 * exercised by the tests; here only volume matters), the big tables' secondary indexes dropped first and
 * built after the load, one ALTER per table (bulk-load.ts). Report numbers are per street, as the app
 * gives them (SSSCALE-S0-20261123-0001), with the streets' day counters set to match. Idempotent: a county already present (code
 * SCALE) is left alone, but for its households' members when a county seeded before them lacks them.
 *   DATABASE_URL=mariadb://linli:linli@127.0.0.1:3306/linli_scale npm run seed:scale
 */
import mysql from 'mysql2/promise';
import { openDatabase } from '../server/src/db/data-source';
import { seedDemo } from '../server/src/seed/demo';
import { reportCounterName, seriesCode } from '../server/src/reports/report-number';
import { loadWithoutIndexes } from './bulk-load';
import { seedCountyResidents } from './seed-residents';

const REPORTS = Number(process.env.SCALE_REPORTS ?? 1_000_000);
const STREETS = 10;
const COMMUNITIES_PER_STREET = 14;
const GRIDS_PER_COMMUNITY = 10;
const MICROGRIDS_PER_GRID = 5; // 10 × 14 × 10 × 5 = 7,000
const BUILDINGS_PER_MICROGRID = 6;
const HOUSEHOLDS_PER_MICROGRID = 43; // ≈ 301,000
const RESIDENTS = 60_000;
const CELL = 0.004; // a micro-grid ≈ 400 m across
const CATEGORIES = ['sanitation', 'facilities', 'water', 'noise', 'safety', 'property', 'parking', 'dispute', 'other'];
const CHANNELS = ['miniprogram', 'miniprogram', 'miniprogram', 'grid_patrol', 'hotline', 'wechat_group', 'talk_station', 'deputy_station', 'walk_in'];
const METHODS = ['on_site', 'department', 'mediation', 'consultation', 'legal', 'escalate'];
const PRIORITIES = ['urgent', 'high', 'normal', 'normal', 'low'];
const SLA: Record<string, number> = { sanitation: 48, facilities: 72, water: 24, noise: 24, safety: 12, property: 72, parking: 48, dispute: 72, other: 120 };

let seed = 20261123;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
const dt = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

async function insertMany(db: mysql.Connection, table: string, columns: string[], rows: unknown[][], batch = 2000) {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await db.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(',')}) VALUES ?`, [chunk]);
  }
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('seed:scale needs DATABASE_URL (MySQL/MariaDB)');
  const started = performance.now();
  const lap = (what: string) => console.log(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Migrations and the demo community first, through the app's own code.
  const dataSource = await openDatabase({ url, embeddedFile: null });
  await seedDemo(dataSource);
  await dataSource.destroy();
  const parsed = new URL(url);
  const db = await mysql.createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    timezone: 'Z',
  });
  const [[present]] = (await db.query("SELECT COUNT(*) AS n FROM grid_nodes WHERE code = 'SCALE'")) as any;
  if (present.n > 0) {
    console.log('the county is already seeded');
    await seedCountyResidents(db, lap);
    await db.end();
    return;
  }
  await db.query('SET unique_checks = 0, foreign_key_checks = 0');
  await loadWithoutIndexes(db, BULK_TABLES, () => seedCounty(db, lap), lap);
  await db.query('SET unique_checks = 1, foreign_key_checks = 1');
  await db.end();
  lap('done');
}

/** The tables the county fills by the hundred thousand: loaded without their secondary indexes. */
const BULK_TABLES = ['reports', 'report_events', 'users', 'households', 'household_memberships', 'buildings', 'role_assignments', 'consultations', 'consultation_options', 'consultation_votes', 'ledger_accounts', 'ledger_entries'];

async function seedCounty(db: mysql.Connection, lap: (what: string) => void) {
  const [[{ next }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS next FROM grid_nodes')) as any;

  // ── the grid tree ──
  let nodeId = Number(next);
  const nodes: unknown[][] = [];
  const microgrids: { id: number; path: string; west: number; south: number; gridId: number; communityId: number; series: string }[] = [];
  const grids: { id: number; path: string }[] = [];
  const communities: { id: number; path: string }[] = [];
  const box = (w: number, s: number, e: number, n: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
  const district = nodeId++;
  nodes.push([district, null, 'district', '示范县', 'SCALE', `/${district}/`, null]);
  let column = 0;
  for (let s = 0; s < STREETS; s++) {
    const street = nodeId++;
    const streetPath = `/${district}/${street}/`;
    nodes.push([street, district, 'street', `第${s + 1}街道`, `SCALE-S${s}`, streetPath, null]);
    const series = seriesCode({ id: street, code: `SCALE-S${s}` });
    for (let c = 0; c < COMMUNITIES_PER_STREET; c++) {
      const community = nodeId++;
      const communityPath = `${streetPath}${community}/`;
      nodes.push([community, street, 'community', `第${s + 1}街道第${c + 1}社区`, `SCALE-S${s}-C${c}`, communityPath, null]);
      communities.push({ id: community, path: communityPath });
      for (let g = 0; g < GRIDS_PER_COMMUNITY; g++) {
        const grid = nodeId++;
        const gridPath = `${communityPath}${grid}/`;
        nodes.push([grid, community, 'grid', `第${g + 1}网格`, `SCALE-S${s}-C${c}-G${g}`, gridPath, null]);
        grids.push({ id: grid, path: gridPath });
        for (let m = 0; m < MICROGRIDS_PER_GRID; m++) {
          const id = nodeId++;
          const path = `${gridPath}${id}/`;
          const west = 121 + (column % 100) * CELL;
          const south = 31 + Math.floor(column / 100) * CELL;
          column++;
          nodes.push([id, grid, 'microgrid', `第${m + 1}微网格`, `SCALE-S${s}-C${c}-G${g}-M${m}`, path, box(west, south, west + CELL, south + CELL)]);
          microgrids.push({ id, path, west, south, gridId: grid, communityId: community, series });
        }
      }
    }
  }
  await insertMany(db, 'grid_nodes', ['id', 'parentId', 'level', 'name', 'code', 'path', 'boundary'], nodes, 1000);
  await db.query("UPDATE system_counters SET value = value + 1 WHERE name = 'grid_boundaries'");
  lap(`grid tree: ${nodes.length} nodes, ${microgrids.length} micro-grids`);

  // ── buildings and households ──
  const [[{ nextBuilding }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextBuilding FROM buildings')) as any;
  const [[{ nextHousehold }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextHousehold FROM households')) as any;
  const buildings: unknown[][] = [];
  const households: unknown[][] = [];
  const householdMicrogrid: number[] = [];
  let buildingId = Number(nextBuilding);
  let householdId = Number(nextHousehold);
  for (const m of microgrids) {
    for (let b = 0; b < BUILDINGS_PER_MICROGRID; b++) {
      const id = buildingId++;
      buildings.push([id, m.id, `${b + 1}号楼`, `SCALE-B${id}`, JSON.stringify({ lat: m.south + CELL / 2, lng: m.west + (b + 0.5) * (CELL / BUILDINGS_PER_MICROGRID) }), b]);
      const rooms = Math.floor(HOUSEHOLDS_PER_MICROGRID / BUILDINGS_PER_MICROGRID) + (b < HOUSEHOLDS_PER_MICROGRID % BUILDINGS_PER_MICROGRID ? 1 : 0);
      for (let r = 0; r < rooms; r++) {
        households.push([householdId++, id, '1单元', `${Math.floor(r / 2) + 1}0${(r % 2) + 1}`]);
        householdMicrogrid.push(m.id);
      }
    }
  }
  await insertMany(db, 'buildings', ['id', 'microgridId', 'name', 'code', 'location', 'sortOrder'], buildings);
  await insertMany(db, 'households', ['id', 'buildingId', 'unit', 'room'], households, 5000);
  lap(`${buildings.length} buildings, ${households.length} households`);

  // ── people: residents, a grid worker per grid, a secretary per community ──
  const [[{ nextUser }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextUser FROM users')) as any;
  let userId = Number(nextUser);
  const users: unknown[][] = [];
  const residents: { id: number; householdIndex: number }[] = [];
  for (let i = 0; i < RESIDENTS; i++) {
    const householdIndex = Math.floor(random() * households.length);
    const id = userId++;
    users.push([id, `scale-resident-${i}`, `居民${i}`, households[householdIndex][0]]);
    residents.push({ id, householdIndex });
  }
  const roles: unknown[][] = [];
  const workerOfGrid = new Map<number, number>();
  for (const g of grids) {
    const id = userId++;
    users.push([id, `scale-gridworker-${g.id}`, `网格员${g.id}`, null]);
    roles.push([id, 'grid_worker', g.id]);
    workerOfGrid.set(g.id, id);
  }
  for (const c of communities) {
    const id = userId++;
    users.push([id, `scale-secretary-${c.id}`, `书记${c.id}`, null]);
    roles.push([id, 'secretary', c.id]);
  }
  await insertMany(db, 'users', ['id', 'openid', 'nickname', 'householdId'], users, 5000);
  await insertMany(db, 'role_assignments', ['userId', 'role', 'nodeId'], roles);
  lap(`${users.length} users, ${roles.length} staff roles`);
  await seedCountyResidents(db, lap);

  // ── 1,000,000 reports over three years, in every state ──
  const now = Date.now();
  const span = 3 * 365 * 24 * 3600_000;
  const [[{ nextReport }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextReport FROM reports')) as any;
  let reportId = Number(nextReport);
  const perStreetDay = new Map<string, number>(); // counter name → the last number given
  const reportColumns = ['id', 'number', 'status', 'version', 'categoryCode', 'description', 'photos', 'lat', 'lng', 'anonymous', 'channel', 'reporterId', 'createdById', 'gridNodeId', 'gridPath', 'priority', 'handlingMethod', 'dueAt', 'escalationLevel', 'assigneeId', 'reopenCount', 'rating', 'resolvedAt', 'closedAt', 'createdAt', 'updatedAt'];
  const eventColumns = ['reportId', 'action', 'actorId', 'fromStatus', 'toStatus', 'note', 'createdAt'];
  const BATCH = 20_000;
  // The next batch is made while the database inserts the one before: the seed's CPU and MariaDB's in parallel.
  let inserting: Promise<void> = Promise.resolve();
  for (let done = 0; done < REPORTS; done += BATCH) {
    const reports: unknown[][] = [];
    const events: unknown[][] = [];
    for (let i = 0; i < Math.min(BATCH, REPORTS - done); i++) {
      const id = reportId++;
      const createdAt = now - Math.pow(random(), 0.8) * span; // more recent than old
      const ageDays = (now - createdAt) / 86_400_000;
      const resident = pick(residents);
      const m = microgrids[Math.floor(random() * microgrids.length)];
      const category = pick(CATEGORIES);
      const priority = pick(PRIORITIES);
      const factor = { urgent: 0.25, high: 0.5, normal: 1, low: 1 }[priority]!;
      const dueAt = createdAt + SLA[category] * factor * 3600_000;
      const r = random();
      const status =
        ageDays > 14
          ? r < 0.86 ? 'closed' : r < 0.93 ? 'rejected' : r < 0.96 ? 'merged' : 'resolved'
          : r < 0.15 ? 'submitted' : r < 0.3 ? 'accepted' : r < 0.45 ? 'dispatched' : r < 0.65 ? 'in_progress' : r < 0.8 ? 'resolved' : r < 0.95 ? 'closed' : 'rejected';
      const accepted = !['submitted', 'rejected', 'merged'].includes(status);
      const handled = ['resolved', 'closed'].includes(status);
      const handleHours = SLA[category] * factor * (0.3 + random() * 1.1);
      const resolvedAt = handled ? createdAt + handleHours * 3600_000 : null;
      const closedAt = status === 'closed' ? resolvedAt! + random() * 5 * 86_400_000 : ['rejected', 'merged'].includes(status) ? createdAt + 3600_000 : null;
      const day = new Date(createdAt + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
      const counter = reportCounterName(m.series, day);
      const n = (perStreetDay.get(counter) ?? 0) + 1;
      perStreetDay.set(counter, n);
      const worker = workerOfGrid.get(m.gridId)!;
      reports.push([
        id, `SS${m.series}-${day}-${String(n).padStart(4, '0')}`, status, accepted ? 3 : 0, category, `${category} 问题描述 ${id}`, '[]',
        m.south + random() * CELL, m.west + random() * CELL, random() < 0.08 ? 1 : 0, pick(CHANNELS), resident.id, resident.id,
        m.id, m.path, accepted ? priority : null, accepted ? pick(METHODS) : null, accepted ? dt(dueAt) : null,
        accepted && !handled && dueAt < now ? 1 : 0, accepted ? worker : null, status === 'closed' && random() < 0.03 ? 1 : 0,
        status === 'closed' ? 1 + Math.floor(Math.pow(random(), 0.35) * 5) : null, resolvedAt ? dt(resolvedAt) : null,
        closedAt ? dt(closedAt) : null, dt(createdAt), dt(closedAt ?? resolvedAt ?? createdAt),
      ]);
      events.push([id, 'submit', resident.id, null, 'submitted', null, dt(createdAt)]);
      if (status !== 'submitted') events.push([id, status === 'closed' ? 'rate' : status === 'rejected' ? 'reject' : status === 'merged' ? 'merge' : status === 'resolved' ? 'resolve' : 'accept', worker, 'submitted', status, null, dt(closedAt ?? resolvedAt ?? createdAt + 3600_000)]);
    }
    await inserting;
    inserting = (async () => {
      await insertMany(db, 'reports', reportColumns, reports, 2000);
      await insertMany(db, 'report_events', eventColumns, events, 4000);
      if ((done / BATCH) % 10 === 9 || done + BATCH >= REPORTS) lap(`${Math.min(done + BATCH, REPORTS).toLocaleString()} reports`);
    })();
  }
  await inserting;
  const counters = [...perStreetDay];
  for (let i = 0; i < counters.length; i += 2000) {
    await db.query('INSERT INTO system_counters (name, value) VALUES ? ON DUPLICATE KEY UPDATE value = GREATEST(value, VALUES(value))', [counters.slice(i, i + 2000)]);
  }
  lap(`${counters.length} day counters of the streets`);

  // ── consultations with votes ──
  const [[{ nextConsultation }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextConsultation FROM consultations')) as any;
  let consultationId = Number(nextConsultation);
  const consultations: unknown[][] = [];
  const options: unknown[][] = [];
  const votes: unknown[][] = [];
  const [[{ nextOption }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextOption FROM consultation_options')) as any;
  let optionId = Number(nextOption);
  // Lookups by id, not by scanning the county's lists (the same rows, in the same order, as those scans).
  const buildingById = new Map(buildings.map((b) => [b[0] as number, b]));
  const microgridById = new Map(microgrids.map((m) => [m.id, m]));
  const householdsOfBuilding = new Map<number, unknown[][]>();
  for (const h of households) householdsOfBuilding.set(h[1] as number, [...(householdsOfBuilding.get(h[1] as number) ?? []), h]);
  for (let i = 0; i < 2000; i++) {
    const id = consultationId++;
    const proposer = pick(residents);
    const household = households[proposer.householdIndex];
    const buildingRow = buildingById.get(household[1] as number)!;
    const m = microgridById.get(buildingRow[1] as number)!;
    const createdAt = now - random() * span;
    const yes = optionId++;
    const no = optionId++;
    options.push([yes, id, '同意', 0], [no, id, '不同意', 1]);
    const voters = householdsOfBuilding.get(household[1] as number)!;
    const voted = voters.filter(() => random() < 0.7);
    let inFavour = 0;
    for (const h of voted) {
      const option = random() < 0.65 ? yes : no;
      if (option === yes) inFavour++;
      votes.push([id, h[0], option, proposer.id]);
    }
    const outcome = voted.length * 2 < voters.length ? 'no_quorum' : inFavour * 2 > voted.length ? 'passed' : 'failed';
    consultations.push([id, `议题 ${id}`, '楼栋公共事务协商', 'decided', 3, 'building', household[1], m.id, m.path, proposer.id, household[0], 3, 3, 'simple', dt(createdAt + 7 * 86_400_000), outcome, voters.length, dt(createdAt), dt(createdAt + 7 * 86_400_000)]);
  }
  await insertMany(db, 'consultations', ['id', 'title', 'description', 'status', 'version', 'scope', 'buildingId', 'scopeNodeId', 'scopePath', 'proposerId', 'proposerHouseholdId', 'supportThreshold', 'supporters', 'rule', 'votingEndsAt', 'outcome', 'eligibleAtClose', 'createdAt', 'updatedAt'], consultations);
  await insertMany(db, 'consultation_options', ['id', 'consultationId', 'label', 'position'], options);
  await insertMany(db, 'consultation_votes', ['consultationId', 'householdId', 'optionId', 'userId'], votes, 5000);
  lap(`${consultations.length} consultations, ${votes.length} votes`);

  // ── civility points: each community issues to its residents, double-entry ──
  const [[{ nextAccount }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextAccount FROM ledger_accounts')) as any;
  let accountId = Number(nextAccount);
  const issuing = new Map<number, number>();
  const accounts: unknown[][] = [];
  for (const c of communities) {
    issuing.set(c.id, accountId);
    accounts.push([accountId++, 'points', 'issuing', c.id, 0]);
  }
  const residentAccount = new Map<number, number>();
  for (const r of residents) {
    residentAccount.set(r.id, accountId);
    accounts.push([accountId++, 'points', 'user', r.id, 0]);
  }
  const balances = new Map<number, number>();
  const entries: unknown[][] = [];
  for (let i = 0; i < 200_000; i++) {
    const resident = pick(residents);
    const community = microgridById.get(householdMicrogrid[resident.householdIndex])!.communityId;
    const from = issuing.get(community)!;
    const to = residentAccount.get(resident.id)!;
    const amount = pick([1, 1, 1, 5, 5, 10]);
    balances.set(from, (balances.get(from) ?? 0) - amount);
    balances.set(to, (balances.get(to) ?? 0) + amount);
    entries.push(['points', from, to, amount, 'award', '文明积分', `scale:${i}`, dt(now - random() * span)]);
  }
  for (const a of accounts) a[4] = balances.get(a[0] as number) ?? 0;
  await insertMany(db, 'ledger_accounts', ['id', 'unit', 'kind', 'ownerId', 'balance'], accounts, 5000);
  await insertMany(db, 'ledger_entries', ['unit', 'fromAccountId', 'toAccountId', 'amount', 'reason', 'memo', 'sourceKey', 'createdAt'], entries, 5000);
  lap(`${accounts.length} ledger accounts, ${entries.length} entries (sum zero)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
