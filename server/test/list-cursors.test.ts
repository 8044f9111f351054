import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer } from './harness';
import { GARBAGE_CURSORS } from './garbage-cursors';

interface ListRoute {
  path: string;
  /** Required query parameters besides the cursor (a search's `q`), with a value that finds something. */
  required: Record<string, string>;
  /** A `scope` query parameter's values: each scope is its own query of the database. */
  scopes: string[];
  cursorSchema: unknown;
}

/*
 * Every list of /openapi.json (every GET with a `cursor` query parameter), so a list added later is
 * covered without touching this file: a cursor it never issued is 400 VALIDATION_FAILED naming
 * query.cursor, in every scope, and the one it issued pages on.
 */
/** Values for a list's required query parameters: a people search by a surname many have. */
const REQUIRED_EXAMPLES: Record<string, string> = { q: '王' };

describe('list cursors (every list of /openapi.json)', () => {
  let server: TestServer;
  let lists: ListRoute[];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-gridworker-1', 'demo-secretary-1', 'demo-admin']) tokens[who] = await server.login(who);
    // Two of each, so those lists have a second page: reports (the reporter's and the grid worker's
    // queue), the grid worker's inbox, the resident's points.
    const resident = (await server.call('GET', '/me', { token: tokens['demo-resident-1'] })).body.id;
    for (const n of [1, 2]) {
      const filed = await server.call('POST', '/reports', { token: tokens['demo-resident-1'], body: { categoryCode: 'other', description: `楼道灯坏了第${n}处，请尽快修理` } });
      expect(filed.status).toBe(201);
      const awarded = await server.call('POST', '/points/awards', { token: tokens['demo-secretary-1'], body: { userId: resident, points: 5, note: `帮助邻居第${n}次` } });
      expect(awarded.status).toBe(201);
    }
    const doc = (await server.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: any[] }>> };
    lists = Object.entries(doc.paths).flatMap(([path, ops]) => {
      const query = (ops.get?.parameters ?? []).filter((p) => p.in === 'query');
      const cursor = query.find((p) => p.name === 'cursor');
      if (!cursor) return [];
      const scope = query.find((p) => p.name === 'scope');
      const required = Object.fromEntries(query.filter((p) => p.required && p.name !== 'cursor').map((p) => [p.name, REQUIRED_EXAMPLES[p.name] ?? 'x']));
      return [{ path, required, scopes: scope?.schema?.enum ?? [''], cursorSchema: cursor.schema }];
    });
  });
  afterAll(() => server.close());

  const url = (list: ListRoute, scope: string, cursor: string | null, limit = 1) => {
    const path = list.path;
    const query = new URLSearchParams({ limit: String(limit), ...list.required });
    if (scope) query.set('scope', scope);
    if (cursor !== null) query.set('cursor', cursor);
    return `${path.replace(/\{\w+\}/g, '1')}?${query}`;
  };

  it('when a list is in /openapi.json, then its cursor is the one shared schema', () => {
    const paths = lists.map((l) => l.path.replace('/api/v1', ''));
    for (const known of ['/reports', '/points/me', '/timebank/me', '/consultations', '/redemptions', '/moderation/cases', '/notifications', '/grids/{id}/buildings', '/buildings/{id}/households']) {
      expect(paths).toContain(known);
    }
    // Two shared schemas: the id cursor of every list, and the composite (keyset) one of the report lists, which sort.
    const sorted = lists.find((l) => l.path === '/api/v1/reports')!.cursorSchema;
    for (const list of lists) expect(list.cursorSchema, list.path).toEqual(list.path === '/api/v1/reports' ? sorted : lists.find((l) => l.path !== '/api/v1/reports')!.cursorSchema);
    expect(sorted).not.toEqual(lists.find((l) => l.path !== '/api/v1/reports')!.cursorSchema);
  });

  it('when a list is asked to go on from a cursor it never issued (1e400, -1, abc, 1.5, 300 nines, __proto__, …), then 400 VALIDATION_FAILED on query.cursor', async () => {
    const answers: string[] = [];
    for (const list of lists) {
      for (const scope of list.scopes) {
        for (const cursor of GARBAGE_CURSORS) {
          const target = url(list, scope, cursor);
          const result = await server.call('GET', target, { token: tokens['demo-admin'] });
          answers.push(`${target} → ${result.status}`);
          if (result.status !== 400) continue;
          const error = expectError(result, 400, 'VALIDATION_FAILED');
          expect(error.details.map((d) => d.path), target).toEqual(['query.cursor']);
        }
      }
    }
    expect(answers.filter((a) => !a.endsWith('→ 400'))).toEqual([]);
  });

  it('when a list is given back the nextCursor it issued, then it answers the next page, after the first', async () => {
    const pagedOn: string[] = [];
    for (const list of lists) {
      for (const scope of list.scopes) {
        for (const token of Object.values(tokens)) {
          const first = await server.call('GET', url(list, scope, null), { token });
          const next = first.body?.nextCursor;
          if (first.status !== 200 || !next) continue;
          const second = await server.call('GET', url(list, scope, next), { token });
          expect(second.status, `${list.path} ${scope} from ${next}`).toBe(200);
          const ids = (body: any) => (body.items ?? body.entries).map((item: { id: number }) => item.id);
          expect(ids(second.body)).not.toContain(ids(first.body)[0]);
          pagedOn.push(`${list.path}?scope=${scope}`);
          break;
        }
      }
    }
    // The round trip was really made: buildings, households, reports (mine, queue), inbox, points.
    expect(pagedOn.length).toBeGreaterThanOrEqual(6);
  });
});
