import { webcrypto } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { unauthenticated } from '../platform/errors';

const ISSUER = 'linli';
const AUDIENCE = 'linli-app';

/** Signed (HS256) bearer tokens carrying the user id, with an expiry. */
export class TokenService {
  /**
   * Imported once: given the raw bytes, jose imports a WebCrypto key again on every sign and verify,
   * which was ~6% of a read request's CPU.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    this.key.catch(() => undefined); // a key that cannot be made fails each sign/verify, not the process
  }

  async issue(userId: number): Promise<{ token: string; expiresAt: string }> {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAtSeconds = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAtSeconds)
      .sign(await this.key);
    return { token, expiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
  }

  /**
   * The user id in a valid token; UNAUTHENTICATED for a tampered, foreign or expired one, and for one
   * without an expiry: jose checks `exp` only when present, and a token that never expires is one a
   * leak makes good forever.
   */
  async verify(token: string): Promise<number> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(this.now()),
      });
      const userId = Number(payload.sub);
      if (!Number.isInteger(userId) || userId <= 0) throw unauthenticated('登录凭证无效');
      return userId;
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthenticated('登录已过期，请重新登录');
      throw unauthenticated('登录凭证无效，请重新登录');
    }
  }
}
