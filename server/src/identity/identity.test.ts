import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import type { Me } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { TokenService } from './tokens';
import { User } from './user.entity';

describe('identity over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('when a demo resident logs in, then /me shows the household, its grid path and the masked grid worker', async () => {
    const login = await server.call('POST', '/auth/dev', { body: { openid: 'demo-resident-1' } });
    expect(login.status).toBe(200);
    expect(login.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await server.call<Me>('GET', '/me', { token: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body.nickname).toBe('张晓梅');
    expect(me.body.roles).toEqual(['resident']);
    expect(me.body.household?.label).toBe('1号楼 1单元 101');
    expect(me.body.household?.path.map((p) => p.level)).toEqual(['district', 'street', 'community', 'grid', 'microgrid']);
    expect(me.body.household?.path.map((p) => p.name)).toContain('桂花社区第一网格');
    expect(me.body.household?.gridWorkers).toEqual([{ id: expect.any(Number), nickname: '周海峰', phoneMasked: '138****1234' }]);
    expect(JSON.stringify(me.body)).not.toContain('13857111234');
  });

  it('when a staff member logs in, then /me lists the roles and the nodes they are held on', async () => {
    const token = await server.login('demo-secretary-1');
    const me = await server.call<Me>('GET', '/me', { token });
    expect(me.body.roles).toEqual(['secretary']);
    expect(me.body.scopes).toEqual([{ role: 'secretary', nodeId: expect.any(Number) }]);
    expect(me.body.household).toBeNull();
  });

  it('when an unseen openid logs in, then a resident without a household is created, once', async () => {
    const first = await server.call('POST', '/auth/dev', { body: { openid: 'newcomer-7f3a' } });
    const second = await server.call('POST', '/auth/dev', { body: { openid: 'newcomer-7f3a' } });
    expect(first.body.user.id).toBe(second.body.user.id);
    expect(first.body.user.household).toBeNull();
    expect(first.body.user.roles).toEqual([]);
  });

  it('when the same new openid logs in ten times at once, then one user exists', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => server.call('POST', '/auth/dev', { body: { openid: 'burst-login-1' } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
    expect(await server.dataSource.getRepository(User).countBy({ openid: 'burst-login-1' })).toBe(1);
  });

  it('when a newcomer asks to join a household (building → unit → room), then /me shows the place, pending, and no resident role yet', async () => {
    const token = await server.login('binder-1');
    const tree = await server.call('GET', '/grids/tree', { token });
    const community = tree.body.children[0].children[0];
    expect(community.level).toBe('community');
    const buildings = await server.call('GET', `/grids/${community.id}/buildings`, { token });
    const building = buildings.body.items.find((b: { name: string }) => b.name === '5号楼');
    expect(building.units).toEqual(['1单元', '2单元']);
    const households = await server.call('GET', `/buildings/${building.id}/households?unit=2单元`, { token });
    expect(households.body.items).toHaveLength(12);
    const room = households.body.items.find((h: { room: string }) => h.room === '602');
    const bound = await server.call<Me>('PUT', '/me/household', { token, body: { householdId: room.id } });
    expect(bound.status).toBe(200);
    expect(bound.body.household?.label).toBe('5号楼 2单元 602');
    expect(bound.body.household?.path.at(-1)?.name).toBe('丹桂苑微网格');
    // The second grid's worker, not the first grid's.
    expect(bound.body.household?.gridWorkers.map((w) => w.nickname)).toEqual(['林婉清']);
    expect(bound.body.household?.membership).toMatchObject({ relation: 'owner', status: 'pending', method: 'request' });
    expect(bound.body.roles).toEqual([]);
  });

  it('binding a household that does not exist is 404; a malformed id is 400 naming the field', async () => {
    const token = await server.login('binder-2');
    expectError(await server.call('PUT', '/me/household', { token, body: { householdId: 999999 } }), 404, 'NOT_FOUND');
    const bad = expectError(await server.call('PUT', '/me/household', { token, body: { householdId: 'x' } }), 400, 'VALIDATION_FAILED');
    expect(bad.details[0].path).toBe('body.householdId');
  });

  it('without a token, with a tampered one, an expired one or one for a missing user: 401 in the contract shape', async () => {
    const token = await server.login('demo-resident-2');
    expectError(await server.call('GET', '/me'), 401, 'UNAUTHENTICATED');
    expectError(await server.call('GET', '/me', { token: token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA') }), 401, 'UNAUTHENTICATED');
    expectError(await server.call('GET', '/me', { headers: { authorization: 'Token abc' } }), 401, 'UNAUTHENTICATED');
    const past = new TokenService(server.config.jwtSecret, 60, () => Date.now() - 3600_000);
    const expired = expectError(await server.call('GET', '/me', { token: (await past.issue(1)).token }), 401, 'UNAUTHENTICATED');
    expect(expired.message).toMatch(/过期/);
    const ghost = await new TokenService(server.config.jwtSecret, 60).issue(987654);
    expectError(await server.call('GET', '/me', { token: ghost.token }), 401, 'UNAUTHENTICATED');
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('1').setIssuer('linli').setAudience('linli-app')
      .setExpirationTime('1h').sign(new TextEncoder().encode('some-other-secret'));
    expectError(await server.call('GET', '/me', { token: foreign }), 401, 'UNAUTHENTICATED');
  });

  it('when a token signed with the right key has no exp (or no iss, or no aud), then 401 UNAUTHENTICATED', async () => {
    const key = new TextEncoder().encode(server.config.jwtSecret);
    const resident = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-2' });
    const signed = (claims: { exp?: boolean; iss?: boolean; aud?: boolean }) => {
      const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(resident.id)).setIssuedAt();
      if (claims.exp !== false) jwt.setExpirationTime('1h');
      if (claims.iss !== false) jwt.setIssuer('linli');
      if (claims.aud !== false) jwt.setAudience('linli-app');
      return jwt.sign(key);
    };
    // The same token with every claim is good: only the missing claim is refused.
    expect((await server.call('GET', '/me', { token: await signed({}) })).status).toBe(200);
    const forever = expectError(await server.call('GET', '/me', { token: await signed({ exp: false }) }), 401, 'UNAUTHENTICATED');
    expect(forever.message).toMatch(/重新登录/);
    expectError(await server.call('GET', '/me', { token: await signed({ iss: false }) }), 401, 'UNAUTHENTICATED');
    expectError(await server.call('GET', '/me', { token: await signed({ aud: false }) }), 401, 'UNAUTHENTICATED');
  });

  it('a stale token does not stop a phone from logging in again', async () => {
    const login = await server.call('POST', '/auth/dev', { body: { openid: 'demo-resident-3' }, token: 'stale.token.value' });
    expect(login.status).toBe(200);
  });
});

describe('dev login switched off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { DEV_LOGIN: 'off' } });
  });
  afterAll(() => server.close());

  it('POST /auth/dev is refused and /auth/options says so', async () => {
    expectError(await server.call('POST', '/auth/dev', { body: { openid: 'demo-resident-1' } }), 403, 'FORBIDDEN');
    expect((await server.call('GET', '/auth/options')).body).toEqual({ devLogin: false, wechatLogin: true });
  });
});
