import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../app';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { errorMiddleware } from './error-middleware';

describe('the HTTP platform: errors, limits, OpenAPI, health', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT: '2kb' } });
  });
  afterAll(() => server.close());

  it('a validation failure answers 400 VALIDATION_FAILED with a detail per bad field', async () => {
    const result = await server.call('POST', '/auth/dev', { body: { openid: 'has spaces!', extra: 1 } });
    const error = expectError(result, 400, 'VALIDATION_FAILED');
    expect(error.details).toEqual([{ path: 'body.openid', message: expect.any(String) }]);
    // The message is for a person (plain Chinese, no field codes); the details name the field for the app.
    expect(error.message).toBe('提交的内容有误');
  });

  it('a missing body field is named too', async () => {
    const error = expectError(await server.call('POST', '/auth/dev', { body: {} }), 400, 'VALIDATION_FAILED');
    expect(error.details[0].path).toBe('body.openid');
  });

  it('a body that is not JSON is 400 with the same shape', async () => {
    expectError(await server.call('POST', '/auth/dev', { rawBody: '{"openid": ', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ openid: 'x'.repeat(5000) });
    expectError(await server.call('POST', '/auth/dev', { rawBody: big, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a body of another media type is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    expectError(await server.call('POST', '/auth/dev', { rawBody: 'openid=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an unknown API route is 404 NOT_FOUND in the contract shape', async () => {
    expectError(await server.call('GET', '/no/such/route'), 404, 'NOT_FOUND');
  });

  it('each response carries a request id, and a sane incoming one is kept', async () => {
    const result = await server.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-12345678' } });
    expect(result.headers.get('x-request-id')).toBe('trace-12345678');
    expect((await server.call('GET', '/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/healthz and /readyz answer while the database is up', async () => {
    expect((await server.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await server.call('GET', '/readyz')).status).toBe(200);
  });

  it('/openapi.json describes every mounted route with its parameters and body schema', async () => {
    const doc = (await server.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    const mounted = server.app.routes.map((r) => `${r.method.toUpperCase()} ${API_PREFIX}${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(described.sort()).toEqual(mounted.sort());
    expect(mounted.length).toBeGreaterThanOrEqual(10);
    const locate = doc.paths[`${API_PREFIX}/grids/locate`].get;
    expect(locate.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['lat', 'lng']);
    const dev = doc.paths[`${API_PREFIX}/auth/dev`].post;
    expect(dev.requestBody.content['application/json'].schema.required).toEqual(['openid']);
    expect(dev.security).toEqual([]);
    expect((await server.call('GET', `${API_PREFIX}/openapi.json`)).body).toEqual(doc);
  });
});

describe('an unexpected error', () => {
  it('answers 500 INTERNAL without a stack trace or the original message', async () => {
    // The error middleware as the app mounts it, in front of a handler with a bug.
    const app = new Koa();
    app.use(errorMiddleware());
    app.use(() => {
      throw new Error('secret detail at /srv/app/db.ts:42');
    });
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/anything`);
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String), details: [] } });
      expect(text).not.toMatch(/secret detail|db\.ts|at /);
    } finally {
      server.close();
    }
  });
});

describe('/readyz when the database is gone', () => {
  it('answers 503 while /healthz still answers 200', async () => {
    const server = await startTestServer({ seed: false });
    await server.dataSource.destroy();
    try {
      expect((await server.call('GET', '/readyz')).status).toBe(503);
      expect((await server.call('GET', '/healthz')).status).toBe(200);
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});
