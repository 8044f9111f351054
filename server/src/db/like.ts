/**
 * LIKE patterns from what a person typed, the same on MySQL/MariaDB and SQLite: `!` escapes `%`, `_` and
 * itself (SQLite has no default escape character, MySQL's backslash would need doubling in SQL text).
 * Write `column LIKE :param ${LIKE_ESCAPE}`.
 */
export const LIKE_ESCAPE = "ESCAPE '!'";

export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
