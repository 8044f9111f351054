import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '@linli/shared';
import { transact } from '../db/data-source';
import { startTestServer, type TestServer } from '../../test/harness';
import type { Actor } from './actor';
import { ActorCache } from './actor-cache';
import { RoleAssignment } from './role-assignment.entity';
import { User } from './user.entity';

const actor = (userId: number, nickname = 'n'): Actor => ({ userId, nickname, householdId: null, householdRelation: null, departmentId: null, scopes: [] });

describe('actor cache (unit)', () => {
  it('serves a user from memory until the entry expires, then reads again', async () => {
    let now = 1_000;
    const cache = new ActorCache(5_000, () => now);
    let reads = 0;
    const load = async () => actor(7, `read ${++reads}`);
    expect((await cache.get(7, load)).nickname).toBe('read 1');
    now += 4_999;
    expect((await cache.get(7, load)).nickname).toBe('read 1');
    now += 1;
    expect((await cache.get(7, load)).nickname).toBe('read 2');
  });

  it('does not keep what a load read before a clear (a write happened meanwhile)', async () => {
    const cache = new ActorCache(5_000);
    let release!: () => void;
    const slow = cache.get(7, () => new Promise<Actor>((resolve) => (release = () => resolve(actor(7, 'stale')))));
    cache.clear();
    release();
    expect((await slow).nickname).toBe('stale'); // that request gets what it read…
    expect((await cache.get(7, async () => actor(7, 'fresh'))).nickname).toBe('fresh'); // …nobody after it does
  });

  it('hands out a frozen actor: one object serves many requests', async () => {
    const cached = await new ActorCache(5_000).get(7, async () => ({ ...actor(7), scopes: [{ role: 'admin', nodeId: 1, nodePath: '/1/' }] }));
    expect(Object.isFrozen(cached) && Object.isFrozen(cached.scopes) && Object.isFrozen(cached.scopes[0])).toBe(true);
  });
});

describe('actor cache in the server: changes made by this instance show at once', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const rolesOf = async (token: string) => (await server.call<Me>('GET', '/me', { token })).body.roles;

  it('a role written through TypeORM (no API) is seen by the very next request', async () => {
    const token = await server.login('cache-newcomer-1');
    expect(await rolesOf(token)).toEqual([]); // now cached
    const user = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'cache-newcomer-1' });
    const [community] = await server.dataSource.query("SELECT id FROM grid_nodes WHERE level = 'community' ORDER BY id LIMIT 1");
    const saved = await server.dataSource.getRepository(RoleAssignment).save({ userId: user.id, role: 'secretary', nodeId: community.id });
    expect(await rolesOf(token)).toEqual(['secretary']);
    await server.dataSource.getRepository(RoleAssignment).delete({ id: saved.id });
    expect(await rolesOf(token)).toEqual([]);
  });

  it('a change inside a transaction is seen once it commits, not the state a request read just before', async () => {
    const token = await server.login('cache-newcomer-2');
    const user = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'cache-newcomer-2' });
    const [community] = await server.dataSource.query("SELECT id FROM grid_nodes WHERE level = 'community' ORDER BY id LIMIT 1");
    expect(await rolesOf(token)).toEqual([]);
    await transact(server.dataSource, async (manager) => {
      await manager.getRepository(RoleAssignment).insert({ userId: user.id, role: 'grid_worker', nodeId: community.id });
    });
    expect(await rolesOf(token)).toEqual(['grid_worker']);
  });

  it('a deleted account stops working at once on the instance that deleted it', async () => {
    const token = await server.login('cache-newcomer-3');
    expect((await server.call('GET', '/me', { token })).status).toBe(200);
    expect((await server.call('DELETE', '/me', { token })).status).toBeLessThan(300);
    expect((await server.call('GET', '/me', { token })).status).toBe(401);
  });
});
