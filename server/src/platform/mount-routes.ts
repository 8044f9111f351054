import { createHash, createHmac } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { AppError, unauthenticated } from './errors';
import type { Actor } from '../identity/actor';
import type { ReadReplicas } from '../db/replicas';
import type { RouteSpec } from './route';
import type { RateLimits } from './rate-limit';
import { parseInput } from './validate';

/**
 * Registers each spec on the router: auth, content type, validation, then the handler. `tagKey` keys the
 * ETags of freshness stamps (viewerTag), the same on every instance.
 */
export function mountRoutes(router: Router, routes: RouteSpec[], rateLimits?: RateLimits, replicas?: ReadReplicas, tagKey = ''): void {
  for (const spec of routes) {
    // Every query of a request that writes runs on the primary: only a GET may read from replicas.
    if (spec.reads === 'replica' && spec.method !== 'get') throw new Error(`${spec.method.toUpperCase()} ${spec.path}: only a GET route may read from replicas`);
    router[spec.method](spec.path, async (ctx: Context) => {
      const actor = ctx.state.actor ?? null;
      if (spec.auth !== false && !actor) throw ctx.state.authError ?? unauthenticated();
      if (spec.rateLimit && rateLimits) await rateLimits.consume(ctx, spec.rateLimit);
      // is() is null when there is no body at all (an action like start {} may send none), false when it is not JSON.
      if (spec.body && ctx.is('application/json') === false) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', '提交的内容格式不对，请更新小程序后重试');
      }
      const params = spec.params ? parseInput(spec.params, ctx.params, 'params') : undefined;
      const query = spec.query ? parseInput(spec.query, ctx.query, 'query') : undefined;
      const body = spec.body ? parseInput(spec.body, ctx.request.body ?? {}, 'body') : undefined;
      // Known before the handler runs: a service that records its change in the audit log (AuditNote) writes it with this status.
      ctx.state.successStatus = spec.status ?? 200;
      // A stamped answer is read on the primary, as its stamp was: from a replica lagging more, the body
      // could be older than the tag sent with it, and the phone would keep it until the next change.
      // A handler that reads the stamp with its answer (stampedByHandler) spares the read when no tag is held.
      const handlerStamps = typeof spec.stampedByHandler === 'function' ? spec.stampedByHandler({ params, query, actor, ctx }) : spec.stampedByHandler === true;
      const stampFirst = spec.freshness && !(handlerStamps && !ctx.get('If-None-Match'));
      let etag = stampFirst ? viewerTag(tagKey, actor, await spec.freshness!({ params, query, actor, ctx })) : null;
      if (etag && holds(ctx, etag)) return answerNotModified(ctx, etag);
      let stampOfHandler: string | null = null;
      const onStamp = spec.freshness && handlerStamps && !stampFirst ? (stamp: string) => (stampOfHandler = stamp) : undefined;
      const handle = () => Promise.resolve(spec.handler({ params, query, body, actor, ctx, onStamp }));
      const onPrimary = etag !== null || (spec.freshness && handlerStamps);
      const result = spec.reads === 'replica' && replicas && !onPrimary ? await replicas.read(actor?.userId ?? null, handle) : await handle();
      if (ctx.state.answered) return; // the handler answered itself (a redirect)
      ctx.status = spec.status ?? 200;
      ctx.body = result ?? null;
      if (stampOfHandler !== null) etag = viewerTag(tagKey, actor, stampOfHandler);
      if (etag) keepable(ctx, etag);
      else if (spec.revalidate) answerUnlessFresh(ctx);
    });
  }
}

/**
 * The ETag of a route's freshness stamp (route.ts) for this caller: the stamp says what the answer shows,
 * the caller's identity, roles, department and household say what of it they are shown — two people, or
 * one before and after a role or a move, never share a tag. Keyed by the server's secret: nobody can work
 * out the tag of a stamp they guessed (a report's version they may not see) and ask whether it is right.
 * Null when the route gave no stamp.
 */
function viewerTag(key: string, actor: Actor | null, stamp: string | null): string | null {
  if (stamp === null) return null;
  return `W/"${createHmac('sha256', key).update(JSON.stringify([actor, stamp])).digest('base64url').slice(0, 27)}"`;
}

/** Whether the request's If-None-Match names this tag (weak comparison: W/ is ignored). */
function holds(ctx: Context, etag: string): boolean {
  const held = ctx.get('If-None-Match').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return held.includes(etag.replace(/^W\//, ''));
}

function keepable(ctx: Context, etag: string): void {
  ctx.set('Cache-Control', 'private, no-cache');
  // The tag is the caller's: a shared cache must not hand one caller's answer to another.
  ctx.set('Vary', 'Authorization');
  ctx.set('ETag', etag);
}

function answerNotModified(ctx: Context, etag: string): void {
  keepable(ctx, etag);
  ctx.status = 304;
  ctx.body = null;
}

/**
 * ETag of the body; 304 without it when the client already holds the same (route.ts `revalidate`).
 * If-None-Match is compared here rather than by `ctx.fresh`, which answers in full whenever the request
 * says `Cache-Control: no-cache` — and fetch() adds that to every request given an If-None-Match by hand.
 */
function answerUnlessFresh(ctx: Context): void {
  const json = JSON.stringify(ctx.body);
  const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
  if (holds(ctx, etag)) return answerNotModified(ctx, etag);
  keepable(ctx, etag);
  ctx.type = 'application/json';
  ctx.body = json;
}
