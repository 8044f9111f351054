import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationItem, NotificationPage } from '@linli/shared';
import { API_PREFIX } from '../app';
import { expectError, openTestDatabase, type CallResult } from '../../test/harness';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';
import { errorMiddleware } from '../platform/error-middleware';
import { mountRoutes } from '../platform/mount-routes';
import { buildOpenApi } from '../platform/openapi';
import { NotificationService } from './notification.service';
import { notificationRoutes } from './notifications.routes';

/**
 * The routes in a Koa app built as app.ts builds it (error middleware, JSON body parser, the router),
 * with a stand-in for authenticate(): `x-test-user` names the caller. Until app.ts mounts the module.
 */
describe('notification routes over HTTP', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let service: NotificationService;
  let server: http.Server;
  let baseUrl: string;
  let alice: number;
  let bob: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    service = new NotificationService(database.dataSource);
    [alice, bob] = (
      await database.dataSource.getRepository(User).save([
        { openid: 'o-route-alice', nickname: '张晓梅' },
        { openid: 'o-route-bob', nickname: '周海峰' },
      ])
    ).map((u) => u.id);
    const routes = notificationRoutes(service);
    const api = new Router({ prefix: API_PREFIX });
    mountRoutes(api, routes);
    const app = new Koa();
    app.use(errorMiddleware());
    app.use(bodyParser({ enableTypes: ['json'], encoding: 'utf-8' }));
    app.use(async (ctx, next) => {
      const userId = Number(ctx.get('x-test-user'));
      if (userId) ctx.state.actor = { userId, nickname: 'test', householdId: null, householdRelation: null, departmentId: null, scopes: [] } as Actor;
      await next();
    });
    app.use(api.routes());
    app.use(api.allowedMethods());
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_PREFIX}`;

    for (let i = 1; i <= 5; i++) {
      await service.send([{ userId: alice, kind: 'report.accepted', title: `通知 ${i}`, body: `第 ${i} 条`, link: `/packages/reports/detail/index?id=${i}`, dedupeKey: `route:${i}` }]);
    }
    await service.send([{ userId: bob, kind: 'report.dispatched', title: '新的派单', body: '请处理', dedupeKey: 'route:bob:1' }]);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.drop();
  });

  async function call<T = any>(method: string, path: string, userId: number | null, body?: unknown): Promise<CallResult<T>> {
    const headers: Record<string, string> = {};
    if (userId) headers['x-test-user'] = String(userId);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }

  it('when a user opens the inbox, then their own notifications come newest first, pages follow the cursor, unread is counted', async () => {
    const first = await call<NotificationPage>('GET', '/notifications?limit=2', alice);
    expect(first.status).toBe(200);
    expect(first.body.items.map((n) => n.title)).toEqual(['通知 5', '通知 4']);
    expect(first.body.unread).toBe(5);
    expect(first.body.items[0]).toEqual({
      id: expect.any(Number),
      kind: 'report.accepted',
      title: '通知 5',
      body: '第 5 条',
      link: '/packages/reports/detail/index?id=5',
      read: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const second = await call<NotificationPage>('GET', `/notifications?limit=2&cursor=${first.body.nextCursor}`, alice);
    const third = await call<NotificationPage>('GET', `/notifications?limit=2&cursor=${second.body.nextCursor}`, alice);
    expect(second.body.items.map((n) => n.title)).toEqual(['通知 3', '通知 2']);
    expect(third.body.items.map((n) => n.title)).toEqual(['通知 1']);
    expect(third.body.nextCursor).toBeNull();
    const bobs = await call<NotificationPage>('GET', '/notifications', bob);
    expect(bobs.body.items.map((n) => n.title)).toEqual(['新的派单']);
  });

  it('when a user reads one notification, then it comes back read and the unread count drops; reading it again changes nothing', async () => {
    const page = await call<NotificationPage>('GET', '/notifications', alice);
    const target = page.body.items[1];
    const read = await call<NotificationItem>('POST', `/notifications/${target.id}/read`, alice, {});
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ...target, read: true });
    expect((await call<NotificationItem>('POST', `/notifications/${target.id}/read`, alice)).body.read).toBe(true);
    expect((await call<NotificationPage>('GET', '/notifications', alice)).body.unread).toBe(page.body.unread - 1);
  });

  it('reading someone else’s notification is 404, and it stays unread for its owner', async () => {
    const bobs = await call<NotificationPage>('GET', '/notifications', bob);
    expectError(await call('POST', `/notifications/${bobs.body.items[0].id}/read`, alice, {}), 404, 'NOT_FOUND');
    expectError(await call('POST', '/notifications/999999/read', alice, {}), 404, 'NOT_FOUND');
    expect((await call<NotificationPage>('GET', '/notifications', bob)).body.unread).toBe(1);
  });

  it('read-all answers {unread: 0} and touches only the caller’s inbox', async () => {
    const all = await call('POST', '/notifications/read-all', alice, {});
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ unread: 0 });
    const page = await call<NotificationPage>('GET', '/notifications', alice);
    expect(page.body.unread).toBe(0);
    expect(page.body.items.every((n) => n.read)).toBe(true);
    expect((await call<NotificationPage>('GET', '/notifications', bob)).body.unread).toBe(1);
  });

  it('without a login every route is 401', async () => {
    expectError(await call('GET', '/notifications', null), 401, 'UNAUTHENTICATED');
    expectError(await call('POST', '/notifications/1/read', null, {}), 401, 'UNAUTHENTICATED');
    expectError(await call('POST', '/notifications/read-all', null, {}), 401, 'UNAUTHENTICATED');
  });

  it('a malformed cursor, limit or id is 400 naming the field', async () => {
    expect(expectError(await call('GET', '/notifications?cursor=abc', alice), 400, 'VALIDATION_FAILED').details[0].path).toBe('query.cursor');
    expect(expectError(await call('GET', '/notifications?limit=500', alice), 400, 'VALIDATION_FAILED').details[0].path).toBe('query.limit');
    expect(expectError(await call('POST', '/notifications/x/read', alice, {}), 400, 'VALIDATION_FAILED').details[0].path).toBe('params.id');
  });

  it('the routes describe themselves for /openapi.json', () => {
    const doc = buildOpenApi(notificationRoutes(service), { title: 't', version: '1' }, API_PREFIX);
    expect(Object.keys(doc.paths).sort()).toEqual([`${API_PREFIX}/notifications`, `${API_PREFIX}/notifications/read-all`, `${API_PREFIX}/notifications/{id}/read`]);
  });
});
