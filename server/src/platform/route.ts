import type { Context } from 'koa';
import type { ZodType } from 'zod';
import type { Actor } from '../identity/actor';
import type { RateLimitedAction } from './rate-limit';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

interface RouteInput<P, Q, B, A> {
  params: P;
  query: Q;
  body: B;
  actor: A;
  ctx: Context;
  /**
   * Given (by mount-routes.ts) only when the route is `stampedByHandler` for this request and no stamp was
   * read before the handler: the handler passes it the freshness stamp it read with its answer.
   */
  onStamp?: (stamp: string) => void;
}

/** What a route's freshness and stampedByHandler are asked with: the request as parsed, before any body. */
type StampInput<P, Q, B, A> = Omit<RouteInput<P, Q, B, A>, 'body' | 'onStamp'>;

/**
 * One route of the API: its schemas drive both request validation and `/openapi.json`, so the two
 * cannot drift apart. Handlers stay thin: parse is done, they call a use-case and return its result.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown, Auth extends boolean = boolean> {
  method: HttpMethod;
  /** Koa-style path below /api/v1, e.g. `/grids/:id/buildings`. */
  path: string;
  summary: string;
  tag: string;
  /** true (default): a valid token is required and `actor` is set. */
  auth?: Auth;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** For a body that is not JSON (multipart uploads): its OpenAPI requestBody content, keyed by media type. */
  rawBody?: Record<string, { schema: Record<string, unknown> }>;
  /** Counted against the per-user and per-IP limits of this action (429 beyond). */
  rateLimit?: RateLimitedAction;
  /** Success status (default 200). */
  status?: number;
  /**
   * `replica`: a heavy read (dashboard, export, lists, map) whose SELECTs may go to a read replica when
   * DATABASE_REPLICA_URLS is set, unless the caller wrote in the last seconds (db/replicas.ts). Only for
   * handlers that write nothing.
   */
  reads?: 'replica';
  /**
   * The client may keep the answer: it is sent with an ETag of its body and `Cache-Control: private,
   * no-cache` (ask again every time, per user), and a request whose If-None-Match matches gets 304.
   */
  revalidate?: boolean;
  /**
   * Revalidation that costs no more than reading a version: a stamp of what the answer shows, read
   * BEFORE the handler (one cheap SELECT). The ETag is a hash of it with the caller's identity, roles and
   * household (so it is per viewer); a request whose If-None-Match matches gets 304 and the handler does
   * not run. The stamp must change whenever anything in this caller's answer can (see mount-routes.ts);
   * null: no stamp for this request, the handler answers as usual. A stamped request reads on the primary.
   */
  freshness?(input: StampInput<P, Q, B, Auth extends false ? Actor | null : Actor>): Promise<string | null>;
  /**
   * The handler reads the same stamp with the answer itself (in the statements it makes anyway) and hands
   * it to `onStamp`: a request that holds no tag then makes no separate read for it. One that holds a tag
   * still reads the stamp first, to answer 304 without the handler (and gets no `onStamp`). A function: for
   * the requests it says (a route whose stamp only some of its answers can carry).
   */
  stampedByHandler?: boolean | ((input: StampInput<P, Q, B, Auth extends false ? Actor | null : Actor>) => boolean);
  /** Headers the route reads, for the OpenAPI description. */
  headers?: { name: string; description: string; required?: boolean }[];
  handler(input: RouteInput<P, Q, B, Auth extends false ? Actor | null : Actor>): Promise<unknown> | unknown;
}

export function route<P = undefined, Q = undefined, B = undefined, Auth extends boolean = true>(
  spec: RouteSpec<P, Q, B, Auth>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}
