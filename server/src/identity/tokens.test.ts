import { describe, expect, it } from 'vitest';
import { TokenService } from './tokens';

describe('TokenService', () => {
  it('a token it issued verifies to the same user id', async () => {
    const tokens = new TokenService('secret-a', 3600);
    const { token, expiresAt } = await tokens.issue(42);
    expect(await tokens.verify(token)).toBe(42);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
  });

  it('an expired token is rejected as UNAUTHENTICATED', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const tokens = new TokenService('secret-a', 60, () => now);
    const { token } = await tokens.issue(42);
    now += 61_000;
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/过期/) });
  });

  it('a token verified while valid (and kept as verified) is rejected once it has expired', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const tokens = new TokenService('secret-a', 60, () => now);
    const { token } = await tokens.issue(42);
    expect(await tokens.verify(token)).toBe(42);
    now += 59_000;
    expect(await tokens.verify(token)).toBe(42);
    now += 2_000;
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/过期/) });
  });

  it('a token signed with another secret is rejected', async () => {
    const { token } = await new TokenService('secret-b', 3600).issue(42);
    await expect(new TokenService('secret-a', 3600).verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('a token whose payload was edited is rejected', async () => {
    const tokens = new TokenService('secret-a', 3600);
    const { token } = await tokens.issue(42);
    const [header, payload, signature] = token.split('.');
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '1' })).toString('base64url');
    await expect(tokens.verify([header, edited, signature].join('.'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('an unsigned (alg none) token is rejected', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: '1', iss: 'linli', aud: 'linli-app', exp: 9999999999 })).toString('base64url');
    await expect(new TokenService('s', 60).verify(`${header}.${payload}.`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
