import type { Context } from 'koa';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { AppError } from './errors';

/** The actions that are limited; routes name them in their spec. */
export const RATE_LIMITED_ACTIONS = ['login', 'submit', 'comment', 'vote'] as const;
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];

export interface RateLimitRule {
  /** requests allowed per window */
  points: number;
  windowSeconds: number;
}

/** Per caller (user when logged in, else IP) and per IP, for each action. Overridable by env. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitedAction, { user: RateLimitRule; ip: RateLimitRule }> = {
  login: { user: { points: 20, windowSeconds: 60 }, ip: { points: 60, windowSeconds: 60 } },
  submit: { user: { points: 20, windowSeconds: 3600 }, ip: { points: 200, windowSeconds: 3600 } },
  comment: { user: { points: 30, windowSeconds: 600 }, ip: { points: 300, windowSeconds: 600 } },
  vote: { user: { points: 30, windowSeconds: 60 }, ip: { points: 300, windowSeconds: 60 } },
};

/**
 * RATE_LIMIT_<ACTION>_<USER|IP>=points/seconds, e.g. RATE_LIMIT_SUBMIT_USER=5/60; RATE_LIMITS=off disables.
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv): typeof DEFAULT_RATE_LIMITS | null {
  if (env.RATE_LIMITS === 'off') return null;
  const limits = structuredClone(DEFAULT_RATE_LIMITS);
  for (const action of RATE_LIMITED_ACTIONS) {
    for (const who of ['user', 'ip'] as const) {
      const value = env[`RATE_LIMIT_${action.toUpperCase()}_${who.toUpperCase()}`];
      const match = value && /^(\d+)\/(\d+)$/.exec(value);
      if (match) limits[action][who] = { points: Number(match[1]), windowSeconds: Number(match[2]) };
    }
  }
  return limits;
}

/**
 * Counters shared by every server instance when the database is MySQL/MariaDB (a table of the same
 * database), in memory on the embedded database (one process by nature).
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    dataSource: DataSource,
    private readonly rules: typeof DEFAULT_RATE_LIMITS | null,
  ) {
    if (!rules) return;
    const pool = dataSource.options.type === 'sqljs' ? null : (dataSource.driver as unknown as { pool: unknown }).pool;
    for (const action of RATE_LIMITED_ACTIONS) {
      for (const who of ['user', 'ip'] as const) {
        const { points, windowSeconds } = rules[action][who];
        const options = { keyPrefix: `${action}_${who}`, points, duration: windowSeconds };
        this.limiters.set(
          `${action}:${who}`,
          pool
            ? new RateLimiterMySQL({
                ...options,
                storeClient: pool,
                dbName: dataSource.options.database as string,
                tableName: 'rate_limits',
                tableCreated: true,
                clearExpiredByTimeout: false,
              })
            : new RateLimiterMemory(options),
        );
      }
    }
  }

  /** Counts one request of `action`; throws 429 RATE_LIMITED (with Retry-After) past the limit. */
  async consume(ctx: Context, action: RateLimitedAction): Promise<void> {
    if (!this.rules) return;
    const userId = ctx.state.actor?.userId as number | undefined;
    const keys: [string, string][] = [[`${action}:ip`, ctx.ip]];
    if (userId) keys.push([`${action}:user`, String(userId)]);
    for (const [limiter, key] of keys) {
      try {
        await this.limiters.get(limiter)!.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        ctx.set('Retry-After', String(seconds));
        throw new AppError('RATE_LIMITED', `操作太频繁，请 ${seconds} 秒后再试`);
      }
    }
  }
}
