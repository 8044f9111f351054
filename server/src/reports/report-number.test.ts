import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { openTestDatabase, startTestServer, type TestServer } from '../../test/harness';
import { transactRetrying } from '../db/data-source';
import { SystemCounter } from '../db/system-counter.entity';
import { boxPolygon } from '../seed/demo-community';
import { BOUNDARY_COUNTER } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { chinaDay, nextDailyNumber, nextReportNumber, numberingNode, parseReportNumber, seriesCode, type NumberingNode } from './report-number';

describe('whose series a report is numbered in', () => {
  const tree = new Map(
    [
      { id: 1, level: 'district', code: '330199' },
      { id: 2, level: 'street', code: '330199001' },
      { id: 3, level: 'community', code: '330199001001' },
      { id: 4, level: 'microgrid', code: '330199001001-G01-M01' },
      { id: 5, level: 'community', code: '330199900' }, // straight under the district: no street on its path
    ].map((n) => [n.id, n]),
  );
  const node = (id: number) => tree.get(id);

  it('the street on the path, the street itself at street level, the top node above or without a street', () => {
    expect(numberingNode('/1/2/3/4/', node).code).toBe('330199001');
    expect(numberingNode('/1/2/', node).code).toBe('330199001');
    expect(numberingNode('/1/', node).code).toBe('330199');
    expect(numberingNode('/1/5/', node).code).toBe('330199');
  });

  it('a code that cannot be read out or would not fit is replaced by the node’s id, in a form no code has', () => {
    expect(seriesCode({ id: 2, code: '330199001' })).toBe('330199001');
    expect(seriesCode({ id: 7, code: 'SCALE-S0' })).toBe('SCALE-S0');
    expect(seriesCode({ id: 8, code: '锦华街道' })).toBe('_8');
    expect(seriesCode({ id: 9, code: '33019900100000000' })).toBe('_9'); // 17 characters
    expect(seriesCode({ id: 10, code: 'A_B' })).toBe('_10');
  });

  it('numbers read back into series, day and count; the county-wide numbers of before have no series', () => {
    expect(parseReportNumber('SS330199001-20261123-0012')).toEqual({ series: '330199001', day: '20261123', sequence: 12 });
    expect(parseReportNumber('SSSCALE-S0-20261123-10000')).toEqual({ series: 'SCALE-S0', day: '20261123', sequence: 10000 });
    expect(parseReportNumber('SS20261123-0001')).toEqual({ series: null, day: '20261123', sequence: 1 });
    expect(parseReportNumber('~0123456789abcdef012')).toBeNull();
  });
});

describe('the day counter behind report numbers', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.drop());

  it('numbers a day one after another from 0001', async () => {
    const at = new Date('2026-03-01T02:00:00Z');
    const numbers = [];
    for (let i = 0; i < 3; i++) numbers.push(await transactRetrying(database.dataSource, (manager) => nextDailyNumber(manager, at, 'sequence', 'SQ')));
    expect(numbers).toEqual(['SQ20260301-0001', 'SQ20260301-0002', 'SQ20260301-0003']);
  });

  // The cluster test's POST /reports answered 404 '说事不存在' without filing: two submissions creating
  // the day's counter row deadlocked on the gap both UPDATEs locked, the victim's error was swallowed as
  // "someone inserted first", and the rest of its work ran outside the rolled-back transaction. The counter
  // is one INSERT … ON DUPLICATE KEY UPDATE now, which waits here instead of deadlocking; were it a victim,
  // transactRetrying would run it again (db/transact.test.ts).
  it('two transactions that create the day’s row at once: both numbered one after the other, nothing either wrote is lost (MySQL/MariaDB)', async (context) => {
    if (database.dataSource.options.type === 'sqljs') return context.skip(); // one connection: no deadlock possible
    const { dataSource } = database;
    const at = new Date('2026-03-02T02:00:00Z');
    const counter = `race:${chinaDay(at)}`;
    let lightStarted: () => void = () => undefined;
    const lightHasWritten = new Promise<void>((resolve) => (lightStarted = resolve));
    let heldGap: () => void = () => undefined;
    const gapHeld = new Promise<void>((resolve) => (heldGap = resolve));
    let waiterSeen: () => void = () => undefined;
    const waiterWaits = new Promise<void>((resolve) => (waiterSeen = resolve));
    let waiterThread = 0;
    let lightAttempts = 0;

    // The lighter one writes its report (a marker here), then wants the day's number: its INSERT of the
    // day's row waits for the gap the heavier one holds.
    const light = transactRetrying(dataSource, async (manager) => {
      lightAttempts++;
      waiterThread = Number((await manager.query('SELECT CONNECTION_ID() AS id'))[0].id);
      await manager.getRepository(SystemCounter).insert({ name: 'zz-light', value: 1 });
      lightStarted();
      await gapHeld;
      return nextDailyNumber(manager, at, 'race', 'RC');
    });
    // The heavier one (more rows written: never the deadlock victim) locks the gap where the day's row
    // goes, as the UPDATE of a submission that found no row does.
    const heavy = transactRetrying(dataSource, async (manager) => {
      await lightHasWritten;
      await manager.getRepository(SystemCounter).insert([1, 2, 3, 4, 5].map((i) => ({ name: `zz-heavy-${i}`, value: 1 })));
      await manager.getRepository(SystemCounter).createQueryBuilder('c').setLock('pessimistic_write').where('c.name = :counter', { counter }).getOne();
      heldGap();
      await waiterWaits;
      return nextDailyNumber(manager, at, 'race', 'RC');
    });
    // The heavy one takes its number only once the light one waits on the gap: then they deadlock.
    // InnoDB refreshes INNODB_TRX only when it was not read for 100 ms: polled faster, it never changes.
    await expect
      .poll(async () => (await dataSource.query("SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id = ?", [waiterThread])).length, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(1);
    waiterSeen();

    const numbers = await Promise.all([heavy, light]);
    expect([1, 2]).toContain(lightAttempts); // it waited, or was a victim and ran again: never went on outside its transaction
    expect(numbers.sort()).toEqual(['RC20260302-0001', 'RC20260302-0002']);
    const markers = await dataSource.getRepository(SystemCounter).createQueryBuilder('c').where('c.name LIKE :m', { m: 'zz-%' }).getMany();
    expect(markers.map((m) => m.name).sort()).toEqual(['zz-heavy-1', 'zz-heavy-2', 'zz-heavy-3', 'zz-heavy-4', 'zz-heavy-5', 'zz-light']);
    expect((await dataSource.getRepository(SystemCounter).findOneByOrFail({ name: counter })).value).toBe(2);
  });
});

/** Takes a street's number in a transaction that stays open (its counter row locked) until released. */
function holdNumber(dataSource: DataSource, street: NumberingNode) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken: (number: string) => void = () => undefined;
  const number = new Promise<string>((resolve) => (taken = resolve));
  const done = transactRetrying(dataSource, async (manager) => {
    taken(await nextReportNumber(manager, new Date(), street));
    await released;
  });
  return { number, release, done };
}

describe('report numbers per street, over HTTP', () => {
  let server: TestServer;
  let resident: string;
  let second: GridNode;
  const JINHUA_SPOT = { lat: 30.279, lng: 120.1495 }; // 桂香苑微网格, 锦华街道 330199001
  const SECOND_SPOT = { lat: 30.28, lng: 120.18 }; // the street added below, 330199002

  beforeAll(async () => {
    server = await startTestServer();
    resident = await server.login('demo-resident-1');
    // A second street of the district, down to a micro-grid with a boundary, as an import would add it.
    const nodes = server.dataSource.getRepository(GridNode);
    let parent = await nodes.findOneByOrFail({ code: '330199' });
    for (const [level, code] of [['street', '330199002'], ['community', '330199002001'], ['grid', '330199002001-G01'], ['microgrid', '330199002001-G01-M01']] as const) {
      const boundary = level === 'microgrid' ? JSON.stringify(boxPolygon([120.17, 30.27, 120.19, 30.29])) : null;
      const row = await nodes.save(nodes.create({ parentId: parent.id, level, name: `第二街道${level}`, code, path: '', boundary }));
      row.path = `${parent.path}${row.id}/`;
      parent = await nodes.save(row);
      if (level === 'street') second = row;
    }
    await server.dataSource.getRepository(SystemCounter).increment({ name: BOUNDARY_COUNTER }, 'value', 1);
  });
  afterAll(() => server.close());

  const file = (location: { lat: number; lng: number }) =>
    server.call<ReportDetail>('POST', '/reports', {
      token: resident,
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location },
      headers: { 'idempotency-key': randomUUID() },
    });

  it('twenty filed at once over two streets: each street numbers its own day, gap-free, with its code', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => file(i % 2 ? SECOND_SPOT : JINHUA_SPOT)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const byStreet = new Map<string, number[]>();
    for (const { body } of results) {
      const parts = parseReportNumber(body.number)!;
      expect(parts.series).toBe(body.gridPath[1] === '锦华街道' ? '330199001' : '330199002');
      const key = `${parts.series}:${parts.day}`; // a run across midnight spans two days
      byStreet.set(key, [...(byStreet.get(key) ?? []), parts.sequence]);
    }
    expect(new Set([...byStreet.keys()].map((k) => k.split(':')[0]))).toEqual(new Set(['330199001', '330199002']));
    for (const sequence of byStreet.values()) expect(Math.max(...sequence) - Math.min(...sequence)).toBe(sequence.length - 1);
  });

  // The old county-wide counter queued every submission of the county behind the one holding it.
  it('a street’s number held by an open transaction does not hold up the other street, only its own (MySQL/MariaDB)', async (context) => {
    const { dataSource } = server;
    if (dataSource.options.type === 'sqljs') return context.skip(); // one connection: every transaction waits its turn
    const held = holdNumber(dataSource, second);
    const heldNumber = await held.number;
    // 锦华街道's submission answers while the second street's counter row stays locked (else: the lock wait timeout).
    const elsewhere = await file(JINHUA_SPOT);
    expect(elsewhere.status).toBe(201);
    expect(parseReportNumber(elsewhere.body.number)!.series).toBe('330199001');
    // A submission in the held street waits for that row …
    const sameStreet = file(SECOND_SPOT);
    const counters = `\`${dataSource.options.database}\`.\`system_counters\``;
    await expect
      .poll(
        async () =>
          (
            await dataSource.query(
              "SELECT 1 FROM information_schema.INNODB_TRX t JOIN information_schema.INNODB_LOCKS l ON l.lock_id = t.trx_requested_lock_id WHERE t.trx_state = 'LOCK WAIT' AND l.lock_table = ?",
              [counters],
            )
          ).length,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(1);
    // … and takes the next number once it is released.
    held.release();
    await held.done;
    const after = await sameStreet;
    expect(after.status).toBe(201);
    const [h, a] = [parseReportNumber(heldNumber)!, parseReportNumber(after.body.number)!];
    expect(a.series).toBe('330199002');
    if (a.day === h.day) expect(a.sequence).toBe(h.sequence + 1);
  });
});
