import { z } from 'zod';

/**
 * Every list pages by id (keyset): the cursor is the id of the last item of the page before, as the
 * decimal digits the server wrote in `nextCursor`. Newest-first lists go on below it, the grid's
 * building and household lists (oldest first) above it. Whatever else arrives is 400 VALIDATION_FAILED:
 * `Number()` alone would let `1e400`, `-1`, `0x10` or `1.5` through to the database. At most 15 digits,
 * so the decoded id is always a safe integer.
 */
export const pageCursor = z.codec(
  z.string().regex(/^[1-9]\d{0,14}$/, '翻页位置无效，请从第一页重新加载'),
  z.number().int().positive(),
  { decode: (digits) => Number(digits), encode: (id) => String(id) },
);

/** The `nextCursor` of a page of `limit` taken from `rows`, fetched with `limit + 1` (one more shows there is more). */
export function nextCursor(rows: readonly { id: number }[], limit: number): string | null {
  return rows.length > limit ? z.encode(pageCursor, rows[limit - 1].id) : null;
}

/** The query of a list: where to go on from, and how many. Lists extend it with their filters. */
export const pageQuery = z.object({
  cursor: pageCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof pageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/* ───────────── sorted lists: a composite (keyset) cursor ───────────── */

/**
 * What a sorted list's page ends on: the sort, the sort keys of its last item, and its id (the tie
 * breaker, so every item has one place in the order). Each sort names the kinds of its keys:
 * `time` a database datetime as the database writes it (`2026-11-23 10:00:00.123456`, fraction optional),
 * `time?` the same or null (sorted last), `rank` one digit.
 */
const SORT_KEYS = {
  id: [],
  due: ['time?'],
  priority: ['rank', 'time?'],
  updated: ['time'],
} as const satisfies Record<string, readonly KeyKind[]>;
type KeyKind = 'time' | 'time?' | 'rank';
export type ListSort = keyof typeof SORT_KEYS;
/** The sorts a queue offers beside the default newest-first (by id). */
export type QueueSort = Exclude<ListSort, 'id'>;
export interface SortedCursor {
  sort: ListSort;
  /** One per key of the sort, in order: a datetime text, a rank, or null. */
  keys: (string | number | null)[];
  id: number;
}

const TIME = String.raw`\d{14}(?:\d{1,6})?`;
const KEY_PATTERNS: Record<KeyKind, string> = { time: TIME, 'time?': `(?:-|${TIME})`, rank: '[0-9]' };
const ID = '[1-9]\\d{0,14}';
const CURSOR_TEXT = new RegExp(
  `^(?:${ID}|${(Object.keys(SORT_KEYS) as ListSort[])
    .filter((sort) => sort !== 'id')
    .map((sort) => [sort, ...SORT_KEYS[sort].map((kind) => KEY_PATTERNS[kind]), ID].join('\\.'))
    .join('|')})$`,
);

/** `20261123100000123456` ↔ `2026-11-23 10:00:00.123456`, only for a real instant (no 13th month, no 25th hour). */
function timeFromDigits(digits: string): string | null {
  const [y, mo, d, h, mi, s] = [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8), digits.slice(8, 10), digits.slice(10, 12), digits.slice(12, 14)];
  const at = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  if (at.getUTCFullYear() !== +y || at.getUTCMonth() !== +mo - 1 || at.getUTCDate() !== +d || at.getUTCHours() !== +h || at.getUTCMinutes() !== +mi) return null;
  if (+s > 59) return null;
  const fraction = digits.slice(14);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}${fraction ? `.${fraction}` : ''}`;
}

function decodeSorted(text: string): SortedCursor | null {
  if (!CURSOR_TEXT.test(text)) return null;
  if (/^\d+$/.test(text)) return { sort: 'id', keys: [], id: Number(text) };
  const [sort, ...rest] = text.split('.') as [ListSort, ...string[]];
  const id = Number(rest.pop());
  const keys = SORT_KEYS[sort].map((kind, i): string | number | null | undefined => {
    const part = rest[i];
    if (kind === 'rank') return Number(part);
    if (part === '-') return null;
    return timeFromDigits(part) ?? undefined;
  });
  return keys.includes(undefined) ? null : { sort, keys: keys as SortedCursor['keys'], id };
}

function encodeSorted(cursor: SortedCursor): string {
  if (cursor.sort === 'id') return String(cursor.id);
  const keys = cursor.keys.map((key) => (key === null ? '-' : typeof key === 'number' ? String(key) : key.replace(/\D/g, '')));
  return [cursor.sort, ...keys, cursor.id].join('.');
}

/**
 * The cursor of a list that may be sorted (the report queue): the plain id of `pageCursor` when sorted by
 * id (newest first), else `<sort>.<keys>.<id>` (`due.20261123100000123456.4711`, `priority.1.-.4711`).
 * Anything else — an unknown sort, a key of the wrong kind, an impossible date — is 400 on query.cursor.
 */
export const sortedPageCursor = z.codec(
  z
    .string()
    // abort: a text that is not a cursor at all is one error, not one per check.
    .regex(CURSOR_TEXT, { message: '翻页位置无效，请从第一页重新加载', abort: true })
    .refine((text) => decodeSorted(text) !== null, '翻页位置无效，请从第一页重新加载'),
  z.custom<SortedCursor>((value) => typeof value === 'object' && value !== null && 'sort' in value),
  { decode: (text) => decodeSorted(text)!, encode: encodeSorted },
);

/** The `nextCursor` of a sorted page of `limit` taken from `rows` (fetched with `limit + 1`): the last item's keys. */
export function nextSortedCursor<T extends { id: number }>(rows: readonly T[], limit: number, sort: ListSort, keysOf: (row: T) => SortedCursor['keys']): string | null {
  if (rows.length <= limit) return null;
  const last = rows[limit - 1];
  return z.encode(sortedPageCursor, { sort, keys: keysOf(last), id: last.id });
}
