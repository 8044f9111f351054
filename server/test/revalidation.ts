import { expect } from 'vitest';
import type { TestServer } from './harness';

/**
 * A page asked for with a held ETag (If-None-Match), and the two checks every revalidation test makes:
 * unchanged, it is 304 under the same tag; after a change, the held tag gets it in full under a new one.
 * `server` is read when asked (test files start theirs in beforeAll); `tokens` names the callers; a caller
 * may also be given as its token.
 */
export function revalidationOf<T>(server: () => TestServer, tokens: Record<string, string>) {
  async function get(who: string | { token: string }, path: string, held?: string) {
    const token = typeof who === 'string' ? tokens[who] : who.token;
    const result = await server().call<T>('GET', path, { token, headers: held ? { 'if-none-match': held } : {} });
    return { status: result.status, etag: result.headers.get('etag') ?? '', body: result.body };
  }
  /** The page's tag now, checked to be answered 304 when held. */
  async function unchanged(who: string, path: string): Promise<string> {
    const first = await get(who, path);
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^W\/"/);
    const again = await get(who, path, first.etag);
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(again.etag).toBe(first.etag);
    return first.etag;
  }
  /** After a change: the held tag gets the page in full, under a new tag. */
  async function changed(who: string, path: string, held: string) {
    const after = await get(who, path, held);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(held);
    return after;
  }
  return { get, unchanged, changed };
}
