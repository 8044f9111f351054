import { webcrypto } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { unauthenticated } from '../platform/errors';

const ISSUER = 'linli';
/** Tokens whose signature was checked, kept until they expire: a resident's app sends the same one all day. */
const VERIFIED_KEPT = 10_000;
const AUDIENCE = 'linli-app';

/** Signed (HS256) bearer tokens carrying the user id, with an expiry. */
export class TokenService {
  /**
   * Imported once: given the raw bytes, jose imports a WebCrypto key again on every sign and verify,
   * which was ~6% of a read request's CPU.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  /**
   * Token → its user and expiry, once verified: a token's signature does not change, so only its expiry
   * is checked again (on every instance alike). HMAC verification through WebCrypto was ~4% of a report
   * page's CPU on the county. Oldest dropped first beyond VERIFIED_KEPT.
   */
  private readonly verified = new Map<string, { userId: number; expiresAtMs: number }>();

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
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAtMs > this.now()) return known.userId;
      this.verified.delete(token);
    }
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
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { userId, expiresAtMs: payload.exp! * 1000 });
      return userId;
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthenticated('登录已过期，请重新登录');
      throw unauthenticated('登录凭证无效，请重新登录');
    }
  }
}
