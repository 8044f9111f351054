import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES, type ReportDetail, type ReportListPage, type ReportSummary } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const GRID2_SPOT = { lat: 30.279, lng: 120.1525 };
const DAY = 24 * 3600_000;
const PEOPLE = ['demo-resident-1', 'demo-resident-2', 'demo-resident-4', 'demo-volunteer-1', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-department-1'] as const;
type Who = (typeof PEOPLE)[number];

/*
 * The queue a grid worker works from: found by number, words, place or person (within what they may
 * see), sorted by due time, priority or last change, paged with a cursor that keeps each report in one
 * place, and counted the way the list beneath is filtered.
 */
describe('the staff queue: q, sort, paging and counts', () => {
  let server: TestServer;
  const token = {} as Record<Who, string>;
  const id = {} as Record<Who, number>;
  const mark = `${Date.now().toString(36)}`;
  let deptCg = 0;
  const filed: Record<string, ReportDetail> = {};

  const act = (who: Who, reportId: number, path: string, body: Record<string, unknown> = {}) => server.call<ReportDetail>('POST', `/reports/${reportId}/${path}`, { token: token[who], body });
  const list = (who: Who, query: Record<string, string | number>) =>
    server.call<ReportListPage>('GET', `/reports?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`, { token: token[who] });
  async function file(key: string, who: Who, description: string, extra: Record<string, unknown> = {}): Promise<ReportDetail> {
    const result = await server.call<ReportDetail>('POST', '/reports', {
      token: token[who],
      body: { categoryCode: 'sanitation', description, location: GRID1_SPOT, ...extra },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    filed[key] = result.body;
    return result.body;
  }
  /** Every page of a list, `limit` at a time, following nextCursor. */
  async function allPages(who: Who, query: Record<string, string | number>, limit: number): Promise<ReportSummary[]> {
    const items: ReportSummary[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await list(who, { ...query, limit, ...(cursor ? { cursor } : {}) });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error('paging never ended');
  }

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of PEOPLE) {
      token[who] = await server.login(who);
      id[who] = (await server.call('GET', '/me', { token: token[who] })).body.id;
    }
    deptCg = (await server.call('GET', '/departments', { token: token['demo-gridworker-1'] })).body.items.find((d: { code: string }) => d.code === 'DEPT-CG').id;

    // People: 张晓梅 (resident-1, phone …0001), 李国强 (resident-2, anonymous once), 陈志明 (resident-4, phone …0004).
    await file('zhang', 'demo-resident-1', `${mark} 楼道灯坏了好几天`, { address: '1号楼2单元' });
    await file('li-anonymous', 'demo-resident-2', `${mark} 路口井盖松动有响声`, { anonymous: true });
    await file('li', 'demo-resident-2', `${mark} 小区门口垃圾没人收`);
    await file('chen', 'demo-resident-4', `${mark} 电动车在楼道充电`);
    await file('zhang-grid2', 'demo-resident-1', `${mark} 二网格的绿化带被踩坏`, { location: GRID2_SPOT });
    // A caller without WeChat, recorded by the grid worker.
    await file('caller', 'demo-gridworker-1', `${mark} 来电反映楼下噪音`, { channel: 'hotline', caller: { name: '钱大爷', phone: '13905710101' } });
    // Grid 2's report handed to grid 1's worker: in their queue a second way.
    await act('demo-gridworker-2', filed['zhang-grid2'].id, 'accept', { priority: 'urgent', handlingMethod: 'on_site' });
    expect((await act('demo-gridworker-2', filed['zhang-grid2'].id, 'dispatch', { assigneeId: id['demo-gridworker-1'] })).status).toBe(200);
    // The volunteer (a neighbour in 桂花社区) follows 张晓梅's.
    expect((await act('demo-volunteer-1', filed.zhang.id, 'follow')).status).toBe(200);
  });
  afterAll(() => server.close());

  const ids = (items: ReportSummary[]) => items.map((r) => r.id);

  describe('q', () => {
    it('finds a report by its number, with or without the letters, and only within the caller’s queue', async () => {
      const number = filed.zhang.number;
      for (const q of [number, number.slice(2), number.toLowerCase()]) {
        expect(ids((await list('demo-gridworker-1', { scope: 'queue', q })).body.items), q).toEqual([filed.zhang.id]);
      }
      // The second grid's worker finds nothing of grid 1: not by number, not by the resident's name.
      expect((await list('demo-gridworker-2', { scope: 'queue', q: number })).body.items).toEqual([]);
      const byName = await list('demo-gridworker-2', { scope: 'queue', q: '张晓梅' });
      expect(ids(byName.body.items)).toEqual([filed['zhang-grid2'].id]);
    });

    it('finds by words of the description or the address, and takes % and _ literally', async () => {
      expect(ids((await list('demo-gridworker-1', { scope: 'queue', q: '电动车' })).body.items)).toEqual([filed.chen.id]);
      expect(ids((await list('demo-gridworker-1', { scope: 'queue', q: '2单元' })).body.items)).toEqual([filed.zhang.id]);
      expect((await list('demo-gridworker-1', { scope: 'queue', q: '%' })).body.items).toEqual([]);
      expect((await list('demo-gridworker-1', { scope: 'queue', q: '_' })).body.items).toEqual([]);
    });

    it('finds by the start of the reporter’s name or a phone’s last four, never an anonymous report by its reporter', async () => {
      const byName = ids((await list('demo-gridworker-1', { scope: 'queue', q: '李国' })).body.items);
      expect(byName).toEqual([filed.li.id]);
      expect(byName).not.toContain(filed['li-anonymous'].id);
      // Its words still find it.
      expect(ids((await list('demo-gridworker-1', { scope: 'queue', q: '井盖' })).body.items)).toEqual([filed['li-anonymous'].id]);
      expect(ids((await list('demo-gridworker-1', { scope: 'queue', q: '0004' })).body.items)).toEqual([filed.chen.id]);
      // The queue fed another way (grid 2's, assigned to this worker) is searched too.
      expect(ids((await list('demo-gridworker-1', { scope: 'queue', q: '张晓梅' })).body.items).sort()).toEqual([filed.zhang.id, filed['zhang-grid2'].id].sort());
      // A caller recorded without an account: by name.
      expect(ids((await list('demo-gridworker-1', { scope: 'queue', q: '钱大' })).body.items)).toEqual([filed.caller.id]);
    });

    it('in a follower’s list or one’s own, people never match: only the number and the words', async () => {
      expect((await list('demo-volunteer-1', { scope: 'following', q: '张晓梅' })).body.items).toEqual([]);
      expect((await list('demo-volunteer-1', { scope: 'following', q: '0001' })).body.items).toEqual([]);
      expect(ids((await list('demo-volunteer-1', { scope: 'following', q: filed.zhang.number })).body.items)).toEqual([filed.zhang.id]);
      expect(ids((await list('demo-volunteer-1', { scope: 'following', q: '楼道灯' })).body.items)).toEqual([filed.zhang.id]);
      expect((await list('demo-resident-2', { scope: 'mine', q: '李国强' })).body.items).toEqual([]);
      expect(ids((await list('demo-resident-2', { scope: 'mine', q: '井盖' })).body.items)).toEqual([filed['li-anonymous'].id]);
    });

    it('counts above the list are of the same search and category, and sum to the open list', async () => {
      const page = (await list('demo-gridworker-1', { scope: 'queue', q: mark, status: 'open' })).body;
      const open = Object.entries(page.counts!).filter(([key]) => !['overdue', 'dueSoon'].includes(key)).reduce((sum, [, n]) => sum + n, 0);
      expect(open).toBe(page.items.length);
      const narrowed = (await list('demo-gridworker-1', { scope: 'queue', q: '电动车' })).body.counts!;
      expect(narrowed).toMatchObject({ submitted: 1, accepted: 0, dispatched: 0 });
      const other = (await list('demo-gridworker-1', { scope: 'queue', q: mark, categoryCode: 'water' })).body;
      expect(other.items).toEqual([]);
      expect(other.counts!.submitted).toBe(0);
    });
  });

  describe('status groups, due soon', () => {
    it('open lists the open ones only, done the finished ones; 即将超期 lists and counts what is due within a day', async () => {
      const rejected = await file('rejected', 'demo-resident-1', `${mark} 重复反映的事情`);
      await act('demo-gridworker-1', rejected.id, 'reject', { reason: '重复反映' });
      const soon = await file('soon', 'demo-resident-4', `${mark} 明天就要处理的事`);
      await act('demo-gridworker-1', soon.id, 'accept', { priority: 'normal', handlingMethod: 'on_site', dueAt: new Date(Date.now() + 6 * 3600_000).toISOString() });
      const open = (await allPages('demo-gridworker-1', { scope: 'queue', q: mark, status: 'open' }, 50)).map((r) => r.status);
      expect(open.length).toBeGreaterThan(0);
      expect(open.every((s) => ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved'].includes(s))).toBe(true);
      const done = await allPages('demo-gridworker-1', { scope: 'queue', q: mark, status: 'done' }, 50);
      expect(ids(done)).toEqual([rejected.id]);
      const dueSoon = await list('demo-gridworker-1', { scope: 'queue', q: mark, dueSoon: 'true' });
      // This one, and grid 2's urgent one (12 hours: 48 × ¼) handed to this worker.
      expect(ids(dueSoon.body.items).sort()).toEqual([soon.id, filed['zhang-grid2'].id].sort());
      for (const r of dueSoon.body.items) expect(Date.parse(r.dueAt!) - Date.now()).toBeLessThan(DAY);
      expect(dueSoon.body.counts!.dueSoon).toBe(2);
    });
  });

  describe('sort and paging', () => {
    const SORT_MARK = `${mark}排序`;
    let all: ReportSummary[] = [];

    beforeAll(async () => {
      // Sixteen reports of grid 1 in every shape a sort meets: no due time, equal due times, every
      // priority, and some handled (so their last change differs), plus one of grid 2 assigned here.
      const shared = new Date(Date.now() + 3 * DAY).toISOString();
      for (let i = 0; i < 16; i++) {
        const report = await file(`sort-${i}`, i % 2 ? 'demo-resident-1' : 'demo-resident-4', `${SORT_MARK} 第${i}件`);
        if (i % 4 === 3) continue; // stays submitted: no priority, no due time
        const dueAt = i % 3 === 0 ? shared : new Date(Date.now() + (2 + (i % 5)) * DAY).toISOString();
        await act('demo-gridworker-1', report.id, 'accept', { priority: PRIORITIES[i % 4], handlingMethod: 'on_site', dueAt });
        if (i % 5 === 0) await act('demo-gridworker-1', report.id, 'dispatch', { departmentId: deptCg });
      }
      const elsewhere = await file('sort-grid2', 'demo-resident-1', `${SORT_MARK} 二网格转来的`, { location: GRID2_SPOT });
      await act('demo-gridworker-2', elsewhere.id, 'accept', { priority: 'urgent', handlingMethod: 'on_site', dueAt: shared });
      await act('demo-gridworker-2', elsewhere.id, 'dispatch', { assigneeId: id['demo-gridworker-1'] });
      all = (await list('demo-gridworker-1', { scope: 'queue', q: SORT_MARK, limit: 100 })).body.items;
      expect(all).toHaveLength(17);
    });

    const rank = (r: ReportSummary) => (r.priority ? PRIORITIES.indexOf(r.priority) : PRIORITIES.length);
    const due = (r: ReportSummary) => (r.dueAt ? Date.parse(r.dueAt) : Infinity);
    const EXPECTED: Record<string, (a: ReportSummary, b: ReportSummary) => number> = {
      none: (a, b) => b.id - a.id,
      due: (a, b) => due(a) - due(b) || a.id - b.id,
      priority: (a, b) => rank(a) - rank(b) || due(a) - due(b) || a.id - b.id,
    };

    for (const sort of ['none', 'due', 'priority', 'updated'] as const) {
      it(`sort=${sort}: every report once, none missing, in the sort's order, across pages of 3`, async () => {
        const query = { scope: 'queue', q: SORT_MARK, ...(sort === 'none' ? {} : { sort }) };
        const paged = await allPages('demo-gridworker-1', query, 3);
        expect(new Set(ids(paged)).size).toBe(paged.length);
        expect(ids(paged).sort()).toEqual(ids(all).sort());
        if (sort === 'updated') {
          // The latest change first (the API shows milliseconds; the database keeps more).
          for (let i = 1; i < paged.length; i++) expect(Date.parse(paged[i - 1].updatedAt)).toBeGreaterThanOrEqual(Date.parse(paged[i].updatedAt));
        } else {
          expect(ids(paged)).toEqual(ids([...all].sort(EXPECTED[sort])));
        }
        // One page of everything gives the same order as the pages together.
        expect(ids((await list('demo-gridworker-1', { ...query, limit: 100 })).body.items)).toEqual(ids(paged));
      });
    }

    it('a sorted page goes on from its own cursor; the cursor of one sort is refused by another, and a cursor no page issued by any', async () => {
      const first = await list('demo-gridworker-1', { scope: 'queue', q: SORT_MARK, sort: 'due', limit: 3 });
      const cursor = first.body.nextCursor!;
      expect(cursor).toMatch(/^due\.\d{14,20}\.\d+$/);
      const wrong = expectError(await list('demo-gridworker-1', { scope: 'queue', q: SORT_MARK, sort: 'priority', cursor }), 400, 'VALIDATION_FAILED');
      expect(wrong.details.map((d) => d.path)).toEqual(['query.cursor']);
      expectError(await list('demo-gridworker-1', { scope: 'queue', q: SORT_MARK, cursor }), 400, 'VALIDATION_FAILED');
      for (const garbage of ['due.2026.1', 'due.20261340120000.1', 'priority.9.-.0', 'updated.-.5', 'due.20261123100000.1;DROP']) {
        expectError(await list('demo-gridworker-1', { scope: 'queue', sort: garbage.split('.')[0], cursor: garbage }), 400, 'VALIDATION_FAILED');
      }
      const second = await list('demo-gridworker-1', { scope: 'queue', q: SORT_MARK, sort: 'due', limit: 3, cursor });
      expect(second.status).toBe(200);
      expect(ids(second.body.items).some((x) => ids(first.body.items).includes(x))).toBe(false);
    });
  });
});
