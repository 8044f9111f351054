import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cors from '@koa/cors';
import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/**
 * Helmet's headers with a Content-Security-Policy that lets the H5 build run: its own scripts, plus
 * the one inline script Taro writes into index.html (allowed by hash, read from the build itself).
 */
export function securityHeaders(h5Dir: string): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        scriptSrc: ["'self'", ...inlineScriptHashes(path.join(h5Dir, 'index.html'))],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // Taro.uploadFile on H5 reads the chosen photo back from its blob: URL before posting it.
        connectSrc: ["'self'", 'blob:'],
      },
    },
    // The H5 app is opened inside WeChat's in-app browser, which embeds it; keep it same-origin only.
    crossOriginEmbedderPolicy: false,
  }) as unknown as Middleware;
}

export function inlineScriptHashes(indexHtml: string): string[] {
  if (!fs.existsSync(indexHtml)) return [];
  const html = fs.readFileSync(indexHtml, 'utf8');
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`,
  );
}

/** CORS only for the origins an operator lists (the mini-program and the same-origin H5 need none). */
export function corsFor(origins: string[]): Middleware {
  const allowed = new Set(origins);
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
}
