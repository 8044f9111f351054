import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness';
import { transactRetrying } from '../db/data-source';
import { SystemCounter } from '../db/system-counter.entity';
import { chinaDay, nextDailyNumber } from './report-number';

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
  // "someone inserted first", and the rest of its work ran outside the rolled-back transaction.
  it('two transactions that create the day’s row at once: the deadlock victim runs again, nothing it wrote is lost (MySQL/MariaDB)', async (context) => {
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
    expect(lightAttempts).toBe(2); // it was the victim, and ran again
    expect(numbers.sort()).toEqual(['RC20260302-0001', 'RC20260302-0002']);
    const markers = await dataSource.getRepository(SystemCounter).createQueryBuilder('c').where('c.name LIKE :m', { m: 'zz-%' }).getMany();
    expect(markers.map((m) => m.name).sort()).toEqual(['zz-heavy-1', 'zz-heavy-2', 'zz-heavy-3', 'zz-heavy-4', 'zz-heavy-5', 'zz-light']);
    expect((await dataSource.getRepository(SystemCounter).findOneByOrFail({ name: counter })).value).toBe(2);
  });
});
