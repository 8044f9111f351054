/**
 * `npx tsx bench/revalidate.ts` (or benchRevalidation() from bench/run.ts): issue 20's revalidation.
 * A resident opens their report, their reports and a consultation, then opens each again unchanged:
 * the bytes on the wire the first time (200) and the second (304, If-None-Match), and what that is on
 * issue 16's slow phone (150 ms round trip, 1.6 Mbps down); then the server's max req/s answering each
 * page in full against answering 304 (the stamp read and nothing else), same server, same run.
 * On the embedded database by default; DATABASE_URL (MariaDB) to run it there.
 */
import http from 'node:http';
import { startServerProcess } from '../server/test/server-process';
import { load, type HttpFigure } from './http';

const RESIDENT = 'demo-resident-1';
// Inside 桂香苑微网格, where the resident lives.
const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const SLOW_PHONE = { roundTripMs: 150, bitsPerSecond: 1.6 * 1024 * 1024 };

export interface RevalidatedPage {
  page: string;
  firstBytes: number;
  againBytes: number;
  /** Transfer time on the slow phone, first time and again (one round trip plus the bytes). */
  firstMs: number;
  againMs: number;
  full: HttpFigure;
  notModified: HttpFigure;
}

/** One GET as a phone makes it: the bytes of status line, headers and body as they came, and the ETag. */
function wireGet(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; etag: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } }, (res) => {
        let bytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2) bytes += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`.length;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, etag: String(res.headers.etag ?? '') }));
      })
      .on('error', reject);
  });
}

const onSlowPhone = (bytes: number) => SLOW_PHONE.roundTripMs + (bytes * 8 * 1000) / SLOW_PHONE.bitsPerSecond;

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function benchRevalidation(options: { databaseUrl?: string; seconds?: number } = {}): Promise<RevalidatedPage[]> {
  const seconds = options.seconds ?? 5;
  const server = await startServerProcess({ ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}), SEED_DEMO: 'on', RATE_LIMITS: 'off', JOB_INTERVAL_MS: '0', LOG_LEVEL: 'error' });
  try {
    const api = `${server.baseUrl}/api/v1`;
    const { token } = await json<{ token: string }>(`${api}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: RESIDENT }) });
    const auth = { authorization: `Bearer ${token}` };
    const post = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
      json<T>(`${api}${path}`, { method: 'POST', headers: { ...auth, ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // What the resident opens: a few reports of theirs and a consultation of their building.
    for (let i = 0; i < 5; i++) {
      await post('/reports', { categoryCode: 'sanitation', description: `楼下垃圾桶满了没人清运（${i + 1}）`, location: GRID1_SPOT }, { 'idempotency-key': `bench-revalidate-${Date.now()}-${i}` });
    }
    const report = (await json<{ items: { id: number }[] }>(`${api}/reports?scope=mine`, { headers: auth })).items[0];
    const consultation = await post<{ id: number }>('/consultations', { title: '楼道加装声控灯', description: '楼道晚上太黑，老人上下楼不安全，提议每层加装声控灯。' });
    const pages = [
      { page: 'report detail', url: `${api}/reports/${report.id}` },
      { page: 'my reports', url: `${api}/reports?scope=mine` },
      { page: 'consultation', url: `${api}/consultations/${consultation.id}` },
    ];
    const figures: RevalidatedPage[] = [];
    for (const { page, url } of pages) {
      const first = await wireGet(url, auth);
      const again = await wireGet(url, { ...auth, 'if-none-match': first.etag });
      if (first.status !== 200 || again.status !== 304) throw new Error(`${page}: ${first.status} then ${again.status} (expected 200 then 304)`);
      const full = await load(`${page} 200`, url, { headers: auth, seconds });
      const notModified = await load(`${page} 304`, url, { headers: { ...auth, 'if-none-match': first.etag }, seconds });
      figures.push({ page, firstBytes: first.bytes, againBytes: again.bytes, firstMs: onSlowPhone(first.bytes), againMs: onSlowPhone(again.bytes), full, notModified });
    }
    return figures;
  } finally {
    await server.stop();
  }
}

export function printRevalidation(figures: RevalidatedPage[]): void {
  console.log('revalidation (issue 20): a resident reopens a page unchanged — bytes on the wire, slow phone (150 ms RTT, 1.6 Mbps), server max req/s');
  for (const f of figures) {
    console.log(
      `  ${f.page.padEnd(14)} first ${String(f.firstBytes).padStart(6)} B (${f.firstMs.toFixed(0)} ms)  again ${String(f.againBytes).padStart(4)} B (${f.againMs.toFixed(0)} ms)  saved ${(100 * (1 - f.againBytes / f.firstBytes)).toFixed(0)}%` +
        `  |  200: ${f.full.requestsPerSecond.toFixed(0)} req/s p99 ${f.full.p99} ms  304: ${f.notModified.requestsPerSecond.toFixed(0)} req/s p99 ${f.notModified.p99} ms (×${(f.notModified.requestsPerSecond / f.full.requestsPerSecond).toFixed(1)})`,
    );
  }
}

if (require.main === module) {
  benchRevalidation({ databaseUrl: process.env.DATABASE_URL || undefined, seconds: Number(process.env.BENCH_SECONDS ?? 5) })
    .then(printRevalidation)
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
