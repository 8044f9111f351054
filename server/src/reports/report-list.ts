import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { PRIORITIES, type ListSort, type SortedCursor } from '@linli/shared';
import { escapeLike, LIKE_ESCAPE } from '../db/like';
import type { Report } from './report.entity';

/**
 * How report lists are sorted and searched (GET /reports `sort`, `q`): the order of each sort as SQL
 * (a queue is read one way in at a time and the union sorted again, reports.service.ts `queueRows`),
 * the keyset condition that goes on after a cursor, and what `q` matches.
 */

interface SortTerm {
  /** SQL over the alias `r`. */
  expr: string;
  dir: 'ASC' | 'DESC';
  /** null sorts after every value (a report not yet accepted has no due time). */
  nullsLast?: boolean;
  /** A datetime: read back as the database's own text, so the cursor compares exactly (microseconds). */
  time?: boolean;
}

/** 紧急 0 … 不急 3, none (not yet accepted) 4. */
const PRIORITY_RANK = `CASE r.priority ${PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} ELSE ${PRIORITIES.length} END`;

/** Each sort: its keys in order, then the id in `idDir` as the tie breaker (every report has one place). */
const ORDERS: Record<ListSort, { terms: SortTerm[]; idDir: 'ASC' | 'DESC' }> = {
  // Newest first: the default of every list.
  id: { terms: [], idDir: 'DESC' },
  // The earliest due first; among equal ones, and among those without a due time (last), the oldest first.
  due: { terms: [{ expr: 'r.dueAt', dir: 'ASC', nullsLast: true, time: true }], idDir: 'ASC' },
  // 紧急 first; within a priority, by due time as above.
  priority: {
    terms: [
      { expr: PRIORITY_RANK, dir: 'ASC' },
      { expr: 'r.dueAt', dir: 'ASC', nullsLast: true, time: true },
    ],
    idDir: 'ASC',
  },
  // The latest change first.
  updated: { terms: [{ expr: 'r.updatedAt', dir: 'DESC', time: true }], idDir: 'DESC' },
};

/** A report's place in a sort: its id and its keys (what a cursor carries). */
export interface KeyedRow {
  id: number;
  keys: SortedCursor['keys'];
}

/**
 * `query` narrowed to what comes after `cursor`, ordered by `sort`, selecting only the id and the keys
 * (raw rows: read them with `keyedRows`). The caller sets the limit.
 */
export function orderedIds(query: SelectQueryBuilder<Report>, sort: ListSort, cursor: SortedCursor | undefined): SelectQueryBuilder<Report> {
  const { terms, idDir } = ORDERS[sort];
  query.select('r.id', 'id');
  terms.forEach((term, i) => {
    query.addSelect(term.time ? `CAST(${term.expr} AS CHAR)` : term.expr, `k${i}`);
    if (term.nullsLast) query.addSelect(`CASE WHEN ${term.expr} IS NULL THEN 1 ELSE 0 END`, `n${i}`);
  });
  if (cursor) {
    const after = keysetAfter(terms, idDir, cursor);
    query.andWhere(after.sql, after.parameters);
  }
  query.orderBy();
  terms.forEach((term, i) => {
    if (term.nullsLast) query.addOrderBy(`n${i}`, 'ASC');
    // A column sorts by itself (its index may serve); an expression by its alias.
    query.addOrderBy(/^r\.\w+$/.test(term.expr) ? term.expr : `k${i}`, term.dir);
  });
  return query.addOrderBy('r.id', idDir);
}

/**
 * `orderedIds`'s order over its selected columns (id, k0, n0, …) of the derived table `alias`: to sort
 * the union of several ways in (each its own `orderedIds`) in the database.
 */
export function orderOfSelected(sort: ListSort, alias: string, quote: (name: string) => string): string {
  const { terms, idDir } = ORDERS[sort];
  const column = (name: string) => `${alias}.${quote(name)}`;
  const keys = terms.flatMap((term, i) => [...(term.nullsLast ? [`${column(`n${i}`)} ASC`] : []), `${column(`k${i}`)} ${term.dir}`]);
  return [...keys, `${column('id')} ${idDir}`].join(', ');
}

/** The raw rows of `orderedIds` as ids with keys (databases answer numbers as numbers or text). */
export function keyedRows(sort: ListSort, raw: Record<string, unknown>[]): KeyedRow[] {
  const { terms } = ORDERS[sort];
  return raw.map((row) => ({
    id: Number(row.id),
    keys: terms.map((term, i) => {
      const value = row[`k${i}`];
      if (value === null || value === undefined) return null;
      return term.time ? String(value) : Number(value);
    }),
  }));
}

/**
 * Rows after the cursor's place, as one condition: for keys (a, b) and id i, "after" is
 * a > ka, or a = ka and (b > kb, or b = kb and id > i) — with "greater" meaning later in the sort's
 * direction, and a null key (sorted last) coming after every value.
 */
function keysetAfter(terms: SortTerm[], idDir: 'ASC' | 'DESC', cursor: SortedCursor): { sql: string; parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = { cursorId: cursor.id };
  const from = (i: number): string => {
    if (i === terms.length) return `r.id ${idDir === 'ASC' ? '>' : '<'} :cursorId`;
    const term = terms[i];
    const key = cursor.keys[i];
    const later = term.dir === 'ASC' ? '>' : '<';
    if (key === null) return `(${term.expr} IS NULL AND ${from(i + 1)})`;
    parameters[`cursorKey${i}`] = key;
    const beyond = `${term.expr} ${later} :cursorKey${i}${term.nullsLast ? ` OR ${term.expr} IS NULL` : ''}`;
    return `(${beyond} OR (${term.expr} = :cursorKey${i} AND ${from(i + 1)}))`;
  };
  return { sql: from(0), parameters };
}

/**
 * A report number as read out on the phone, with or without the letters: SS330199001-20261123-0001 (a
 * street's), SS20261123-0001 (filed before numbering per street).
 */
const NUMBER = /^(?:SS)?(?:[0-9A-Za-z_-]{1,16}-)?\d{8}-\d{4,8}$/i;

/** The numbers `q` can be: as typed and with the letters put back (a street's code may itself start with SS). */
function numberCandidates(q: string): string[] | null {
  const typed = q.replace(/\s+/g, '');
  if (!NUMBER.test(typed)) return null;
  return /^SS/i.test(typed) ? [`SS${typed.slice(2)}`, `SS${typed}`] : [`SS${typed}`];
}

/**
 * What `q` finds. A report's number finds that report. Anything else finds words of the description or
 * the address and — only where `byPerson` (a staff queue: staff over or on the report, who see who raised
 * it) — the start of the reporter's name (real name or nickname), a phone's last four, or the recorded
 * caller's name, never on an anonymous report. A follower's or a reporter's own list never matches people.
 */
export function reportSearch(raw: string, byPerson: boolean): Brackets {
  const q = raw.trim();
  return new Brackets((where) => {
    const numbers = numberCandidates(q);
    if (numbers) return void where.where('r.number IN (:...qNumbers)', { qNumbers: numbers });
    const containing = `%${escapeLike(q)}%`;
    where.where(`r.description LIKE :qText ${LIKE_ESCAPE}`, { qText: containing }).orWhere(`r.address LIKE :qText ${LIKE_ESCAPE}`, { qText: containing });
    if (!byPerson) return;
    const starting = `${escapeLike(q)}%`;
    const people = [`su.realName LIKE :qName ${LIKE_ESCAPE}`, `su.nickname LIKE :qName ${LIKE_ESCAPE}`];
    if (/^\d{4}$/.test(q)) people.push('su.phoneTail = :qTail');
    where.orWhere(
      new Brackets((person) =>
        person
          .where('r.anonymous = 0')
          .andWhere(
            new Brackets((who) =>
              who.where(`r.reporterId IN (SELECT su.id FROM users su WHERE ${people.join(' OR ')})`, { qName: starting, qTail: q }).orWhere(`r.callerName LIKE :qName ${LIKE_ESCAPE}`),
            ),
          ),
      ),
    );
  });
}
