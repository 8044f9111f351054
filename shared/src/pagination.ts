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
