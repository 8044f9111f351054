import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { AppError, unauthenticated } from './errors';
import type { ReadReplicas } from '../db/replicas';
import type { RouteSpec } from './route';
import type { RateLimits } from './rate-limit';
import { parseInput } from './validate';

/** Registers each spec on the router: auth, content type, validation, then the handler. */
export function mountRoutes(router: Router, routes: RouteSpec[], rateLimits?: RateLimits, replicas?: ReadReplicas): void {
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
      const handle = () => Promise.resolve(spec.handler({ params, query, body, actor, ctx }));
      const result = spec.reads === 'replica' && replicas ? await replicas.read(actor?.userId ?? null, handle) : await handle();
      if (ctx.state.answered) return; // the handler answered itself (a redirect)
      ctx.status = spec.status ?? 200;
      ctx.body = result ?? null;
      if (spec.revalidate) answerUnlessFresh(ctx);
    });
  }
}

/**
 * ETag of the body; 304 without it when the client already holds the same (route.ts `revalidate`).
 * If-None-Match is compared here rather than by `ctx.fresh`, which answers in full whenever the request
 * says `Cache-Control: no-cache` — and fetch() adds that to every request given an If-None-Match by hand.
 */
function answerUnlessFresh(ctx: Context): void {
  const json = JSON.stringify(ctx.body);
  const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.set('ETag', etag);
  const held = ctx.get('If-None-Match').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (held.includes(etag.slice(2))) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.type = 'application/json';
  ctx.body = json;
}
