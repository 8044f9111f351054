import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nextSortedCursor, sortedPageCursor } from './pagination';
import { listReportsQuery } from './reports';

const decode = (text: string) => sortedPageCursor.safeParse(text);

describe('the sorted-list cursor (one codec for every sort of the report queue)', () => {
  it('round-trips each sort: keys as the database writes them, null sorted last, the id as tie breaker', () => {
    const cursors = [
      { sort: 'id', keys: [], id: 42 },
      { sort: 'due', keys: ['2026-11-23 10:00:00.123456'], id: 7 },
      { sort: 'due', keys: [null], id: 7 },
      { sort: 'priority', keys: [0, '2026-11-23 10:00:00'], id: 9 },
      { sort: 'priority', keys: [4, null], id: 9 },
      { sort: 'updated', keys: ['2026-02-28 23:59:59.5'], id: 123456789012345 },
    ] as const;
    for (const cursor of cursors) {
      const text = z.encode(sortedPageCursor, cursor as never);
      expect(decode(text).data).toEqual(cursor);
    }
    expect(z.encode(sortedPageCursor, { sort: 'due', keys: ['2026-11-23 10:00:00.123456'], id: 7 })).toBe('due.20261123100000123456.7');
    expect(z.encode(sortedPageCursor, { sort: 'id', keys: [], id: 42 })).toBe('42');
  });

  it('refuses what no page issued: other sorts, keys of the wrong kind, impossible dates, ids out of range', () => {
    for (const garbage of [
      'due.-',
      'due..7',
      'due.2026112310000.7',
      'due.20261323100000.7',
      'due.20260230100000.7',
      'due.20261123250000.7',
      'due.20261123100060.7',
      'priority.-.-.7',
      'priority.10.-.7',
      'updated.-.7',
      'created.20261123100000.7',
      'due.20261123100000.0',
      'due.20261123100000.1e3',
      'due.20261123100000.7.8',
      'due.20261123100000123456789.7',
      '-1',
      '',
    ]) {
      expect(decode(garbage).success, garbage).toBe(false);
    }
  });

  it('a cursor made for one sort is refused by a page of another (400 on query.cursor)', () => {
    const parsed = listReportsQuery.safeParse({ scope: 'queue', sort: 'updated', cursor: 'due.20261123100000.7' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['cursor']);
    expect(listReportsQuery.safeParse({ scope: 'queue', cursor: 'due.20261123100000.7' }).success).toBe(false);
    expect(listReportsQuery.safeParse({ scope: 'queue', sort: 'due', cursor: 'due.20261123100000.7' }).success).toBe(true);
  });

  it('nextSortedCursor names the last item of a full page, and none after the last page', () => {
    const rows = [1, 2, 3].map((id) => ({ id, dueAt: `2026-11-2${id} 08:00:00` }));
    expect(nextSortedCursor(rows, 2, 'due', (r) => [r.dueAt])).toBe('due.20261122080000.2');
    expect(nextSortedCursor(rows, 3, 'due', (r) => [r.dueAt])).toBeNull();
  });
});
