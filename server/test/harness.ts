import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { buildApp, API_PREFIX, type AppDeps } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { connectionOptions, openDatabase } from '../src/db/data-source';
import { createLogger } from '../src/platform/logger';
import { seedDemo } from '../src/seed/demo';
import { HouseholdMembership } from '../src/residents/membership.entity';
import { copyMigratedSchema } from './schema-template';
import type { MembershipRelation } from '@linli/shared';

/**
 * A database for one test file: a fresh database on the MySQL/MariaDB server of
 * TEST_DATABASE_URL, or of `serverUrl` when given (dropped at the end), or an in-memory embedded one.
 */
export async function openTestDatabase(
  serverUrl: string | undefined = process.env.TEST_DATABASE_URL,
): Promise<{ dataSource: DataSource; url: string | null; drop: () => Promise<void> }> {
  if (!serverUrl) {
    const dataSource = await openDatabase({ url: null, embeddedFile: null });
    return { dataSource, url: null, drop: () => dataSource.destroy() };
  }
  const name = `linli_test_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await copyMigratedSchema(serverUrl, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = await openDatabase({ url: url.toString(), embeddedFile: null });
  return {
    dataSource,
    url: url.toString(),
    drop: async () => {
      await dataSource.destroy();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

/** A statement outside any test database (create, drop), on a plain connection to the server. */
async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const connection = await createConnection({ ...connectionOptions(new URL(serverUrl)), database: undefined });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  baseUrl: string;
  dataSource: DataSource;
  config: Config;
  app: ReturnType<typeof buildApp>;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  /** Dev login; returns the bearer token. */
  login(openid: string): Promise<string>;
  /** Uploads a small PNG as the token's user (POST /uploads, as the app does); returns its URL. */
  upload(token: string): Promise<string>;
  close(): Promise<void>;
}

/** The real server in-process on an ephemeral port, called over HTTP as a phone would. */
export async function startTestServer(
  options: { seed?: boolean; env?: Record<string, string>; deps?: Partial<AppDeps>; database?: Awaited<ReturnType<typeof openTestDatabase>> } = {},
): Promise<TestServer> {
  const database = options.database ?? (await openTestDatabase());
  if (options.seed !== false) await seedDemo(database.dataSource);
  const config = loadConfig({ NODE_ENV: 'test', H5_DIR: '/nonexistent', ...options.env });
  const app = buildApp({ config, dataSource: database.dataSource, logger: createLogger('silent'), gridRefreshMs: 0, ...options.deps });
  const server = http.createServer(app.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const url = path.startsWith('/api') || path.startsWith('/healthz') || path.startsWith('/readyz') || path.startsWith('/openapi')
      ? path
      : API_PREFIX + path;
    const response = await fetch(baseUrl + url, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }

  return {
    baseUrl,
    dataSource: database.dataSource,
    config,
    app,
    call,
    async login(openid) {
      const result = await call<{ token: string }>('POST', '/auth/dev', { body: { openid } });
      if (result.status !== 200) throw new Error(`login ${openid}: ${result.status} ${JSON.stringify(result.body)}`);
      return result.body.token;
    },
    async upload(token) {
      const form = new FormData();
      form.append('file', new Blob([TINY_PNG], { type: 'image/png' }), 'photo.png');
      const response = await fetch(`${baseUrl}${API_PREFIX}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { url: string }).url;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (!options.database) await database.drop();
    },
  };
}

/** A smallest valid PNG (1×1). */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Asserts the contract's error shape and returns the error. */
export function expectError(result: CallResult, status: number, code: string) {
  if (result.status !== status || result.body?.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${result.status} ${JSON.stringify(result.body)}`);
  }
  const { error } = result.body;
  if (typeof error.message !== 'string' || !Array.isArray(error.details)) {
    throw new Error(`error body not in the contract's shape: ${JSON.stringify(result.body)}`);
  }
  return error as { code: string; message: string; details: { path: string; message: string }[] };
}

/** A verified membership written straight into the database (for fixtures made without logins). */
export async function makeMember(dataSource: DataSource, userId: number, householdId: number, relation: MembershipRelation = 'owner'): Promise<void> {
  await dataSource.getRepository(HouseholdMembership).insert({ householdId, userId, relation, status: 'verified', method: 'staff', version: 0 });
}

/**
 * The whole way into a household as a newcomer takes it: ask to join (PUT /me/household), the admin
 * verifies the request over HTTP, and the person picks it as their current household (moves in).
 * Returns the membership id.
 */
export async function joinVerified(server: TestServer, token: string, householdId: number, relation: MembershipRelation = 'owner'): Promise<number> {
  const asked = await server.call('PUT', '/me/household', { token, body: { householdId, relation } });
  if (asked.status !== 200) throw new Error(`join ${householdId}: ${asked.status} ${JSON.stringify(asked.body)}`);
  const membership = asked.body.households.find((h: { id: number }) => h.id === householdId)?.membership;
  if (membership?.status === 'verified') return membership.id;
  const verified = await server.call('POST', `/memberships/${membership.id}/verify`, { token: await server.login('demo-admin'), body: {} });
  if (verified.status !== 200) throw new Error(`verify ${membership.id}: ${verified.status} ${JSON.stringify(verified.body)}`);
  const current = await server.call('PUT', '/me/household', { token, body: { householdId } });
  if (current.status !== 200) throw new Error(`pick ${householdId}: ${current.status} ${JSON.stringify(current.body)}`);
  return membership.id;
}
