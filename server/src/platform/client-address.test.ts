import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { createLogger } from './logger';

/** Three logins a minute per address, so the fourth from one address is refused. */
const LIMITS = { RATE_LIMITS: 'on', RATE_LIMIT_LOGIN_IP: '3/60' };

/** A server whose request log lines are kept, to read the address each request was logged under. */
async function serverWithLog(env: Record<string, string>) {
  const lines: { path?: string; ip?: string; status?: number; msg?: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const server = await startTestServer({ seed: false, env: { ...LIMITS, ...env }, deps: { logger: createLogger('info', sink) } });
  const login = (forwardedFor?: string) =>
    server.call('POST', '/auth/dev', { body: { openid: 'proxy-test' }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  const loggedAddresses = () => lines.filter((l) => l.msg === 'request' && l.path === '/api/v1/auth/dev').map((l) => l.ip);
  return { server, login, loggedAddresses };
}

describe('the client address behind a proxy (TRUST_PROXY)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('when TRUST_PROXY is off (the default), then X-Forwarded-For is ignored: a forged header does not get past the per-address limit', async () => {
    const started = await serverWithLog({});
    server = started.server;
    for (let i = 0; i < 3; i++) expect((await started.login()).status).toBe(200);
    expectError(await started.login(), 429, 'RATE_LIMITED');
    expectError(await started.login('203.0.113.7'), 429, 'RATE_LIMITED');
    expectError(await started.login('203.0.113.8, 198.51.100.9'), 429, 'RATE_LIMITED');
    // The request log names the address the connection came from, not what the header claims.
    expect(new Set(started.loggedAddresses())).toEqual(new Set(['127.0.0.1']));
  });

  it('when TRUST_PROXY=1, then the entry the proxy appended (the rightmost) is the client, and a forged leftmost entry is not', async () => {
    const started = await serverWithLog({ TRUST_PROXY: '1' });
    server = started.server;
    // Behind the proxy, client 198.51.100.10 logs in three times: its proxy appended its address each time.
    for (let i = 0; i < 3; i++) expect((await started.login('198.51.100.10')).status).toBe(200);
    // The same client puts a made-up address in front; the proxy appends the real one after it.
    expectError(await started.login('203.0.113.7, 198.51.100.10'), 429, 'RATE_LIMITED');
    // Another client behind the same proxy has its own count.
    expect((await started.login('203.0.113.7, 198.51.100.11')).status).toBe(200);
    expect(started.loggedAddresses()).toEqual(['198.51.100.10', '198.51.100.10', '198.51.100.10', '198.51.100.10', '198.51.100.11']);
  });
});
