import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ZodType } from 'zod';
import { AppError } from '../platform/errors';
import { xmlDocument, xmlList, type GeoError, type GeoServiceRequest } from './georeport';
import type { Open311KeysService } from './open311-keys.service';
import type { Open311Key } from './open311-key.entity';
import { createRequestInput, requestsFilter, type Open311Service } from './open311.service';

export const OPEN311_PREFIX = '/open311/v2';
const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];
const FORM_LIMIT = 64 * 1024;

/**
 * Open311 GeoReport v2 at /open311/v2/: its own router (outside /api/v1 and its token auth), its own
 * error shape (`[{code, description}]`, in the format asked for), form-encoded POST as the spec says
 * (JSON accepted too). services is public; requests need an api_key (managed by admins under
 * /api/v1/admin/open311-keys): reports carry residents' words and spots, so only a system given a
 * key reads them, and only those under the key's node.
 */
export function open311Router(service: Open311Service, keys: Open311KeysService): Router {
  const router = new Router({ prefix: OPEN311_PREFIX });
  for (const format of FORMATS) {
    router.get(`/services.${format}`, handle(format, async () => xmlOrJson(format, await service.services(), 'services', 'service')));
    router.get(`/services/:code.${format}`, handle(format, async (ctx) => {
      const definition = await service.serviceDefinition(ctx.params.code);
      return format === 'json' ? definition : xmlDocument('service_definition', definition);
    }));
    router.get(`/requests.${format}`, handle(format, async (ctx) => {
      const key = await requireKey(keys, ctx.query.api_key);
      const filter = parse(requestsFilter, ctx.query);
      return xmlOrJson(format, absoluteMedia(ctx, await service.requests(key, filter)), 'service_requests', 'request');
    }));
    router.post(`/requests.${format}`, handle(format, async (ctx) => {
      const form = await readForm(ctx);
      const key = await requireKey(keys, form.api_key ?? ctx.query.api_key);
      const created = await service.create(key, parse(createRequestInput, form));
      ctx.status = 201;
      return xmlOrJson(format, created, 'service_requests', 'request');
    }));
    router.get(`/requests/:id.${format}`, handle(format, async (ctx) => {
      const key = await requireKey(keys, ctx.query.api_key);
      return xmlOrJson(format, absoluteMedia(ctx, await service.request(key, ctx.params.id)), 'service_requests', 'request');
    }));
  }
  return router;
}

/** Runs a handler and writes its document, or the spec's error list, with the format's content type. */
function handle(format: Format, run: (ctx: Context) => Promise<unknown>): Middleware {
  return async (ctx) => {
    let body: unknown;
    try {
      body = await run(ctx);
      if (ctx.status === 404) ctx.status = 200;
    } catch (err) {
      const { status, description } = toGeoError(err);
      if (status >= 500) ctx.state.log?.error({ err }, 'open311 error');
      ctx.status = status;
      const errors: GeoError[] = [{ code: status, description }];
      body = format === 'json' ? errors : xmlList('errors', 'error', errors);
    }
    ctx.type = format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8';
    ctx.body = format === 'json' ? JSON.stringify(body) : body;
  };
}

/**
 * The spec's statuses: 404 for what does not exist, 403 for a wrong or missing api_key, 400 for any
 * other request that cannot be met.
 */
function toGeoError(err: unknown): { status: number; description: string } {
  if (err instanceof AppError) {
    if (err.code === 'NOT_FOUND') return { status: 404, description: err.message };
    if (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED') return { status: 403, description: err.message };
    if (err.code === 'INTERNAL' || err.code === 'UPSTREAM_UNAVAILABLE') return { status: 500, description: 'service error' };
    const detail = err.details.map((d) => `${d.path.replace(/^(body|query)\./, '')}: ${d.message}`).join('; ');
    return { status: 400, description: detail ? `${err.message} (${detail})` : err.message };
  }
  return { status: 500, description: 'service error' };
}

async function requireKey(keys: Open311KeysService, apiKey: unknown): Promise<Open311Key> {
  const key = await keys.verify(typeof apiKey === 'string' ? apiKey : undefined);
  if (!key) throw new AppError('FORBIDDEN', apiKey ? 'Invalid api_key received -- can\'t proceed.' : 'api_key is required');
  return key;
}

function parse<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.') || 'request', message: issue.message }));
  throw new AppError('VALIDATION_FAILED', 'invalid request', details);
}

/** The POST body: form-encoded as the spec says, or JSON (already parsed by the app's body parser). */
async function readForm(ctx: Context): Promise<Record<string, string>> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed && typeof parsed === 'object' && Object.keys(parsed).length) {
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  if (!ctx.is('application/x-www-form-urlencoded')) return {};
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) throw new AppError('VALIDATION_FAILED', 'request too large');
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function xmlOrJson(format: Format, items: object[], root: string, item: string): unknown {
  return format === 'json' ? items : xmlList(root, item, items);
}

/** Our photo URLs are paths on this server; outside systems need them whole. */
function absoluteMedia(ctx: Context, requests: GeoServiceRequest[]): GeoServiceRequest[] {
  return requests.map((r) => (r.media_url?.startsWith('/') ? { ...r, media_url: `${ctx.protocol}://${ctx.host}${r.media_url}` } : r));
}
