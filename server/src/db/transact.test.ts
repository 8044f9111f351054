import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness';
import { transactRetrying } from './data-source';
import { SystemCounter } from './system-counter.entity';

describe('transactRetrying', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.drop());

  it('runs the work again when it was chosen as a deadlock victim, and not for other errors', async () => {
    let calls = 0;
    const result = await transactRetrying(database.dataSource, async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(calls).toBe(3);

    let duplicateCalls = 0;
    await expect(
      transactRetrying(database.dataSource, async () => {
        duplicateCalls++;
        throw Object.assign(new Error('Duplicate entry'), { errno: 1062 });
      }),
    ).rejects.toThrow('Duplicate entry');
    expect(duplicateCalls).toBe(1);
  });

  it('two transactions locking two rows in opposite order both commit (MySQL/MariaDB: a real deadlock)', async (context) => {
    if (database.dataSource.options.type === 'sqljs') return context.skip(); // one connection: no deadlock possible
    const counters = database.dataSource.getRepository(SystemCounter);
    await counters.insert([
      { name: 'deadlock:a', value: 0 },
      { name: 'deadlock:b', value: 0 },
    ]);
    // Each takes its first row, waits until the other has taken its own, then asks for the other's.
    let firstLocks = 0;
    let bothLocked: () => void = () => undefined;
    const bothHaveOne = new Promise<void>((resolve) => (bothLocked = resolve));
    let attempts = 0;
    const crossing = (first: string, second: string) =>
      transactRetrying(database.dataSource, async (manager) => {
        attempts++;
        await manager.increment(SystemCounter, { name: first }, 'value', 1);
        if (++firstLocks === 2) bothLocked();
        await bothHaveOne;
        await manager.increment(SystemCounter, { name: second }, 'value', 1);
      });
    await Promise.all([crossing('deadlock:a', 'deadlock:b'), crossing('deadlock:b', 'deadlock:a')]);
    expect(attempts).toBeGreaterThan(2); // the victim ran again
    expect((await counters.findOneByOrFail({ name: 'deadlock:a' })).value).toBe(2);
    expect((await counters.findOneByOrFail({ name: 'deadlock:b' })).value).toBe(2);
  });
});
