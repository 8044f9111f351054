import type { Middleware } from 'koa';
import { AppError, unauthenticated } from '../platform/errors';
import type { IdentityService } from './identity.service';
import type { TokenService } from './tokens';

/**
 * Reads `Authorization: Bearer …`. A bad token is not rejected here but remembered: public routes
 * (login) must still work for a phone holding a stale token; routes that need a user throw it.
 */
export function authenticate(tokens: TokenService, identity: IdentityService): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      try {
        if (!match) throw unauthenticated('Authorization 头格式应为 Bearer <token>');
        const userId = await tokens.verify(match[1]);
        ctx.state.actor = await identity.loadActor(userId);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        ctx.state.authError = err;
      }
    }
    await next();
  };
}
