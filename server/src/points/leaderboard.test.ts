import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName, type Leaderboard, type Me } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { transact } from '../db/data-source';
import { Building } from '../grids/building.entity';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { makeUsers } from '../ledger/test-support';

/*
 * 文明积分榜, humanely (issue 16): the top 20 and the caller's own rank, equal points sharing a rank,
 * and neighbours' names masked (张*梅) unless they chose to show them.
 */
describe('the leaderboard: top 20, one’s own rank, ties shared, names masked unless shown', () => {
  let server: TestServer;
  let buildingId = 0;
  let people: { id: number; token: string }[] = [];
  let last: { id: number; token: string };

  const board = async (token: string) => (await server.call<Leaderboard>('GET', `/points/leaderboard?buildingId=${buildingId}&period=all`, { token })).body;

  beforeAll(async () => {
    server = await startTestServer();
    const building = await server.dataSource.getRepository(Building).findOneByOrFail({ name: '4号楼' });
    buildingId = building.id;
    const households = (await server.dataSource.getRepository(Household).find({ where: { buildingId }, order: { id: 'ASC' } })).map((h) => h.id);
    people = await makeUsers(server, 'board', 24, { householdIds: households });
    last = people[23];
    // Names as people have them; points far above the demo ledger's, so these 23 lead the board.
    const points = [900, 900, 800, ...Array.from({ length: 20 }, (_, i) => 700 - i * 10), 1];
    await transact(server.dataSource, async (manager) => {
      for (const [i, person] of people.entries()) {
        await manager.getRepository(User).update({ id: person.id }, { nickname: `居民${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}号` });
        await server.app.points.award(manager, { userId: person.id, rule: 'good_deed', sourceKey: `board-${i}`, points: points[i], note: '测试' });
      }
    });
  });
  afterAll(() => server.close());

  it('masks names: first and last character kept', () => {
    expect(maskName('张晓梅')).toBe('张*梅');
    expect(maskName('刘芳')).toBe('刘*');
    expect(maskName('欧阳晓梅')).toBe('欧**梅');
    expect(maskName('王')).toBe('*');
  });

  it('shows the top 20 with ties sharing a rank, and the caller’s own line beyond them', async () => {
    const seen = await board(last.token);
    expect(seen.items).toHaveLength(20);
    expect(seen.items.slice(0, 3).map((i) => [i.rank, i.tied, i.points])).toEqual([
      [1, 2, 900],
      [1, 2, 900],
      [3, 1, 800],
    ]);
    expect(seen.items.map((i) => i.userId)).not.toContain(last.id);
    expect(seen.me).toMatchObject({ userId: last.id, points: 1, isMe: true, masked: false, nickname: '居民丁23号' });
    expect(seen.me!.rank).toBeGreaterThan(20);
    // Neighbours' names are masked, and no avatar gives them away.
    const other = seen.items.find((i) => i.userId === people[0].id)!;
    expect(other).toMatchObject({ nickname: maskName('居民甲0号'), masked: true, isMe: false, avatarUrl: null });
    expect(JSON.stringify(seen)).not.toContain('居民甲0号');
    // Twenty is all anyone gets at once.
    expectError(await server.call('GET', `/points/leaderboard?buildingId=${buildingId}&limit=21`, { token: last.token }), 400, 'VALIDATION_FAILED');
  });

  it('a person who opts in is shown by name to everyone; opting out masks them again', async () => {
    const shown = await server.call<Me>('PUT', '/me/settings', { token: people[0].token, body: { showNameOnLeaderboard: true } });
    expect(shown.status).toBe(200);
    expect(shown.body.settings).toEqual({ showNameOnLeaderboard: true });
    expect((await board(last.token)).items.find((i) => i.userId === people[0].id)).toMatchObject({ nickname: '居民甲0号', masked: false });
    await server.call('PUT', '/me/settings', { token: people[0].token, body: { showNameOnLeaderboard: false } });
    expect((await board(last.token)).items.find((i) => i.userId === people[0].id)).toMatchObject({ nickname: maskName('居民甲0号'), masked: true });
    expectError(await server.call('PUT', '/me/settings', { token: people[0].token, body: { showNameOnLeaderboard: 'yes' } }), 400, 'VALIDATION_FAILED');
  });
});
