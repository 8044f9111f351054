import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, openTestDatabase, startTestServer, type TestServer } from '../../test/harness';

const LIMITS = { RATE_LIMITS: 'on', RATE_LIMIT_LOGIN_IP: '4/60', RATE_LIMIT_SUBMIT_USER: '2/60', RATE_LIMIT_VOTE_USER: '50/60' };

describe('rate limits on login, submit, comment and vote', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    database = await openTestDatabase();
    // Two instances on one database: behind a load balancer the limit is the same whichever answers.
    first = await startTestServer({ database, env: LIMITS });
    second = await startTestServer({ database, seed: false, env: LIMITS });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  it('logins per IP: past the limit, 429 RATE_LIMITED in the contract shape with Retry-After', async () => {
    const login = (server: TestServer) => server.call('POST', '/auth/dev', { body: { openid: 'demo-resident-1' } });
    const embedded = database.url === null;
    const results = [await login(first), await login(first), await login(embedded ? first : second), await login(embedded ? first : second)];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const refused = await login(embedded ? first : second);
    const error = expectError(refused, 429, 'RATE_LIMITED');
    expect(error.message).toMatch(/秒后再试/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('submissions per user: one resident is stopped, a neighbour is not', async () => {
    // Logins are limited per IP above; reuse tokens issued by the server's own token service.
    const token = (await first.app.tokens.issue((await first.dataSource.query("SELECT id FROM users WHERE openid = 'demo-resident-2'"))[0].id)).token;
    const neighbour = (await first.app.tokens.issue((await first.dataSource.query("SELECT id FROM users WHERE openid = 'demo-resident-3'"))[0].id)).token;
    const submit = (t: string) => first.call('POST', '/reports', { token: t, body: { categoryCode: 'other', description: '测试限流的说事内容' } });
    expect((await submit(token)).status).toBe(201);
    expect((await submit(token)).status).toBe(201);
    expectError(await submit(token), 429, 'RATE_LIMITED');
    expect((await submit(neighbour)).status).toBe(201);
  });
});

describe('security headers and CORS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: false, env: { CORS_ORIGINS: 'https://admin.example.org' } });
  });
  afterAll(() => server.close());

  it('sends helmet’s headers with a content security policy', async () => {
    const { headers } = await server.call('GET', '/healthz');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('strict-transport-security')).toContain('max-age=');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS only for configured origins', async () => {
    const allowed = await server.call('GET', '/healthz', { headers: { origin: 'https://admin.example.org' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.org');
    const other = await server.call('GET', '/healthz', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
