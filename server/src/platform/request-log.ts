import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from './logger';

/**
 * Gives each request an id (the caller's `X-Request-Id` if it is sane) and a child logger, and logs
 * one line when it ends, with the client's address (see TRUST_PROXY). Only the path is logged: query
 * strings may carry coordinates.
 */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', requestId);
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms, ip: ctx.ip, userId: ctx.state.actor?.userId }, 'request');
    }
  };
}
