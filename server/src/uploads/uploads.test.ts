import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_MAX_BYTES } from '@linli/shared';
import { expectError, type CallResult } from '../../test/harness';
import { errorMiddleware } from '../platform/error-middleware';
import { mountRoutes } from '../platform/mount-routes';
import { buildOpenApi } from '../platform/openapi';
import { LocalDiskStorage } from './storage';
import { uploadRoutes } from './uploads.routes';
import { UploadsService } from './uploads.service';

const API = '/api/v1';
const TOKEN = 'test-token';
const MAX_BYTES = 4096;

// ---- images made here, byte by byte ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
/** A real RGB PNG of the given size, a red-to-blue gradient. */
function makePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) rows.set([Math.round((255 * x) / width), 64, Math.round((255 * y) / height)], y * (1 + width * 3) + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A real baseline JPEG, 1×1 grey (JFIF). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
/** Something image-like in its first bytes, padded to exactly `size`. */
const pngOfSize = (size: number) => Buffer.concat([makePng(1, 1), Buffer.alloc(size)]).subarray(0, size);

// ---- a tiny app with app.ts's middleware order ----

interface Raw {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

describe('uploads over HTTP', () => {
  let base: string;
  let root: string;
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'linli-uploads-'));
    root = path.join(base, 'uploads'); // like `${config.dataDir}/uploads`, with a secret beside it
    await fs.mkdir(root);
    const service = new UploadsService(new LocalDiskStorage({ root }), { maxBytes: MAX_BYTES });
    const router = new Router({ prefix: API });
    mountRoutes(router, uploadRoutes(service));
    const app = new Koa({ proxy: true });
    app.use(errorMiddleware());
    app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb', encoding: 'utf-8' }));
    app.use(async (ctx, next) => {
      if (ctx.get('authorization') === `Bearer ${TOKEN}`) ctx.state.actor = { userId: 1, nickname: 't', householdId: null, scopes: [] };
      await next();
    });
    app.use(router.routes());
    app.use(router.allowedMethods());
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fs.rm(base, { recursive: true, force: true });
  });

  async function storedFiles(): Promise<string[]> {
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  }

  function form(file: { bytes: Buffer; name?: string; type?: string; field?: string } | null, extra: Record<string, string> = {}) {
    const data = new FormData();
    for (const [k, v] of Object.entries(extra)) data.append(k, v);
    if (file) data.append(file.field ?? 'file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name ?? 'upload');
    return data;
  }

  async function upload(body: FormData | string | undefined, headers: Record<string, string> = {}, token: string | null = TOKEN): Promise<CallResult> {
    const response = await fetch(`${baseUrl}${API}/uploads`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async function fetchRaw(url: string): Promise<Raw> {
    const response = await fetch(baseUrl + url);
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** A raw request whose path is sent exactly as written (fetch would normalise `..`). */
  function rawGet(rawPath: string): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${baseUrl}/`, { method: 'GET', path: rawPath }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('when a resident uploads a real PNG, then it is stored and served back byte for byte as image/png', async () => {
    const png = makePng(40, 30);
    const created = await upload(form({ bytes: png, name: '我的照片.png', type: 'image/png' }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ url: expect.stringMatching(/^\/api\/v1\/uploads\/files\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{16}\.png$/) });
    expect(created.body.url).not.toContain('我的照片');

    const served = await fetchRaw(created.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-length')).toBe(String(png.length));
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.bytes.equals(png)).toBe(true);
  });

  it('when a JPEG arrives declared as octet-stream with a .bin name, then its content decides: image/jpeg', async () => {
    const created = await upload(form({ bytes: JPEG, name: 'blob.bin', type: 'application/octet-stream' }));
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(/\.jpg$/);
    const served = await fetchRaw(created.body.url);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.bytes.equals(JPEG)).toBe(true);
  });

  it('when the same bytes are uploaded twice, then each gets its own key', async () => {
    const png = makePng(2, 2);
    const [a, b] = await Promise.all([upload(form({ bytes: png })), upload(form({ bytes: png }))]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.url).not.toBe(b.body.url);
    expect((await fetchRaw(a.body.url)).bytes.equals(png)).toBe(true);
    expect((await fetchRaw(b.body.url)).bytes.equals(png)).toBe(true);
  });

  it('when a text file is named photo.jpg and declared image/jpeg, then 415 and nothing is stored', async () => {
    const before = await storedFiles();
    const result = await upload(form({ bytes: Buffer.from('<script>alert(1)</script> not a photo'), name: 'photo.jpg', type: 'image/jpeg' }));
    const error = expectError(result, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/JPEG/);
    expect(await storedFiles()).toEqual(before);
  });

  it('when the file is exactly at the limit it is taken; one byte more is 413 and nothing is stored', async () => {
    expect((await upload(form({ bytes: pngOfSize(MAX_BYTES) }))).status).toBe(201);
    const before = await storedFiles();
    expectError(await upload(form({ bytes: pngOfSize(MAX_BYTES + 1) })), 413, 'PAYLOAD_TOO_LARGE');
    expect(await storedFiles()).toEqual(before);
  });

  it('when the declared length is far over the limit, then 413 before reading, and the connection is closed', async () => {
    const before = await storedFiles();
    const result = await upload(form({ bytes: pngOfSize(MAX_BYTES + 200_000) }));
    expectError(result, 413, 'PAYLOAD_TOO_LARGE');
    expect(result.headers.get('connection')).toBe('close');
    expect(await storedFiles()).toEqual(before);
  });

  it('when an oversized file is streamed without a length (chunked), then reading stops at the limit with 413', async () => {
    const before = await storedFiles();
    const boundary = 'linliboundary7f3a';
    const result = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = http.request(`${baseUrl}${API}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
      req.write(pngOfSize(MAX_BYTES * 3));
      // The body is never finished: the server must answer without waiting for the rest.
    });
    expect(result.status).toBe(413);
    expect(result.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storedFiles()).toEqual(before);
  });

  it('the real limit defaults to 10 MB', () => {
    expect(new UploadsService(new LocalDiskStorage({ root })).maxBytes).toBe(UPLOAD_MAX_BYTES);
    expect(UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
  });

  it('when the form has no file (only other fields, an empty file, or the wrong field), then 400 naming body.file', async () => {
    for (const body of [
      form(null, { note: '楼道灯坏了' }),
      form({ bytes: Buffer.alloc(0), name: 'empty.png', type: 'image/png' }),
      form({ bytes: makePng(1, 1), field: 'photo' }),
    ]) {
      const error = expectError(await upload(body), 400, 'VALIDATION_FAILED');
      expect(error.details).toEqual([{ path: 'body.file', message: expect.any(String) }]);
    }
  });

  it('when the body is not multipart (JSON, raw bytes, none), then 415', async () => {
    expectError(await upload(JSON.stringify({ file: 'x' }), { 'content-type': 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await upload(makePng(1, 1).toString('latin1'), { 'content-type': 'image/png' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await upload(undefined), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the multipart body is malformed (no boundary), then 400', async () => {
    expectError(await upload('garbage', { 'content-type': 'multipart/form-data' }), 400, 'VALIDATION_FAILED');
  });

  it('when nobody is logged in, then 401 and nothing is stored', async () => {
    const before = await storedFiles();
    expectError(await upload(form({ bytes: makePng(1, 1) }), {}, null), 401, 'UNAUTHENTICATED');
    expect(await storedFiles()).toEqual(before);
  });

  it('when a well-formed key has no file, then 404 in the contract shape', async () => {
    const missing = await fetch(`${baseUrl}${API}/uploads/files/2026/11/23/ffffffffffffffff.png`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('when a path tries to climb out of the upload folder, then 404 or 400, never a file', async () => {
    // Beside the upload folder, where `..` would lead.
    await fs.writeFile(path.join(base, 'secret.png'), 'top secret');
    const attempts = [
      `${API}/uploads/files/../../../../etc/passwd`,
      `${API}/uploads/files/2026/11/23/../../../secret.png`,
      `${API}/uploads/files/2026/11/23/..%2F..%2F..%2Fsecret.png`,
      `${API}/uploads/files/2026/11/%2e%2e/secret.png`,
      `${API}/uploads/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd`,
      `${API}/uploads/files/2026/11/23/0123456789abcdef.png%00.txt`,
      `${API}/uploads/files/2026/11/23/0123456789ABCDEF.svg`,
      `${API}/uploads/files/secret.png`,
    ];
    for (const attempt of attempts) {
      const result = await rawGet(attempt);
      expect([400, 404], attempt).toContain(result.status);
      expect(result.body.error.code, attempt).toMatch(/^(NOT_FOUND|VALIDATION_FAILED)$/);
      expect(JSON.stringify(result.body)).not.toContain('top secret');
    }
  });

  it('both routes appear in the OpenAPI document, the upload needing a token and answering 201', () => {
    const doc = buildOpenApi(uploadRoutes(new UploadsService(new LocalDiskStorage({ root }))), { title: 't', version: '1' }, API);
    const post = doc.paths[`${API}/uploads`].post as { security: unknown[]; responses: Record<string, unknown> };
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(post.responses['201']).toBeDefined();
    const get = doc.paths[`${API}/uploads/files/{year}/{month}/{day}/{name}`].get as { security: unknown[]; parameters: { name: string }[] };
    expect(get.security).toEqual([]);
    expect(get.parameters.map((p) => p.name)).toEqual(['year', 'month', 'day', 'name']);
  });
});
