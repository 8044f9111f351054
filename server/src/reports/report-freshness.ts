import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { SUPERVISABLE_STATUSES, type ListReportsQuery } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';
import { sqlDialect } from '../stats/sql';
import { categoryCacheFor } from './category-cache';
import { Report } from './report.entity';
import { isOverdue } from './report-view';

/**
 * Freshness stamps (route.ts `freshness`) of the report pages: what the page shows, read with one small
 * query, so an unchanged page is answered 304 without building it. mount-routes.ts adds the caller
 * (identity, roles, department, household: all that decides what of a report they are shown).
 *
 * What a report's page shows and what stands for it here:
 * - the row, its events (steps, notes, photos, ratings), its followers, its moderation and that of a
 *   rating's words, the case or consultation it became: `version`, which every change of them bumps
 *   (the transitions; the content checks and the case link in report-moderation.ts, disputes.service.ts;
 *   a claimed ledger person and a deleted account in ledger-person.ts, privacy.service.ts);
 * - `overdue`, which changes with the clock alone: asked of the database with the time of the request;
 * - the reporter's and the assignee's names and the reporter's phone (masked, for staff): their `users`
 *   rows' updatedAt;
 * - category and department names: the reference data's hash; grid node names: the tree's revision.
 */
export class ReportFreshness {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date,
  ) {}

  /**
   * `GET /reports/:id` from the columns the page itself read (report-reads.ts), for a request that holds no
   * tag: the same stamp `ofReport` reads, so the tag it is sent under is the one a later `ofReport` checks.
   */
  async ofReportRow(row: ReportStampRow, report: Pick<Report, 'status' | 'dueAt'>): Promise<string> {
    const overdue = isOverdue(report, this.now()) ? 1 : 0;
    return this.stamp({ version: row.version, updatedAt: row.updatedAt, overdue, reporterAt: row.reporterAt, assigneeAt: row.assigneeAt });
  }

  /** `GET /reports/:id`: null when there is no such report (the handler answers 404). */
  async ofReport(id: number): Promise<string | null> {
    const row: Record<string, unknown> | undefined = await this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .select('r.version', 'version')
      .addSelect('r.updatedAt', 'updatedAt')
      .addSelect(OVERDUE, 'overdue')
      .addSelect('reporter.updatedAt', 'reporterAt')
      .addSelect('assignee.updatedAt', 'assigneeAt')
      .leftJoin(User, 'reporter', 'reporter.id = r.reporterId')
      .leftJoin(User, 'assignee', 'assignee.id = r.assigneeId')
      .where('r.id = :id', { id })
      .setParameters(this.clock())
      .getRawOne();
    return row ? this.stamp(row) : null;
  }

  /**
   * `GET /reports?scope=mine`: the caller's reports as a set (how many, which, their versions summed —
   * a version only grows) and how many are overdue now, over the reporter index; the query string names
   * the page. Null for a list without a stamp (`isStampedList`; docs/performance.md, notes of issue 20).
   */
  async ofList(actor: Actor, query: ListReportsQuery): Promise<string | null> {
    if (!isStampedList(query)) return null;
    const row: Record<string, unknown> | undefined = await this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .select(this.listStamp(), 'mine')
      .where('r.reporterId = :stampOf', { stampOf: actor.userId })
      .setParameters(this.clock())
      .getRawOne();
    return this.stamp({ mine: row?.mine ?? null, query });
  }

  /**
   * `ofList`'s aggregate added to my reports' page (a builder over `r`, the caller's reports): one scalar
   * subquery in the page's own statement, one pass over the caller's reports (joined as a derived table
   * instead, MariaDB sorted the page in a temporary table: dearer than the two statements; one subquery per
   * figure read the caller's rows once per figure). Read back by `ofListRow`.
   */
  addListStamp(page: SelectQueryBuilder<Report>, actor: Actor): SelectQueryBuilder<Report> {
    const table = this.dataSource.driver.escape(this.dataSource.getMetadata(Report).tableName);
    page.addSelect(`(SELECT ${this.listStamp()} FROM ${table} r WHERE r.reporterId = :stampOf)`, '_stamp_mine');
    return page.setParameters({ ...this.clock(), stampOf: actor.userId });
  }

  /** `GET /reports?scope=mine`'s stamp from a page row that `addListStamp` added to: `ofList`'s stamp. */
  async ofListRow(row: Record<string, unknown>, query: ListReportsQuery): Promise<string> {
    return this.stamp({ mine: row._stamp_mine ?? null, query });
  }

  /** My reports as a set, over `r`, as one text: how many, which, their versions summed (a version only grows), how many overdue now. */
  private listStamp(): string {
    return sqlDialect(this.dataSource).joined(['COUNT(*)', 'COALESCE(SUM(r.id), 0)', 'COALESCE(SUM(r.version), 0)', `COALESCE(SUM(${OVERDUE}), 0)`]);
  }

  private clock() {
    return { stampNow: this.now(), stampSupervisable: SUPERVISABLE_STATUSES };
  }

  /** The row with what every report view shows from memory: the grid tree, categories and departments. */
  private async stamp(row: Record<string, unknown>): Promise<string> {
    await this.directory.ensureFresh();
    const reference = await categoryCacheFor(this.dataSource).get();
    // Numbers come back as strings from one driver and numbers from another: one stamp for both.
    // By name: the query builder puts expressions after columns, whatever order they were asked in.
    const values = Object.entries(row)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => [key, value === null || typeof value === 'object' ? value : String(value)]);
    return JSON.stringify([values, this.directory.revision, reference.stamp]);
  }
}

/** Which lists have a stamp (`ofList`): my reports. A staff queue covers a grid's whole history, and no aggregate over it is cheaper than its page. */
export function isStampedList(query: Pick<ListReportsQuery, 'scope'>): boolean {
  return query.scope === 'mine';
}

/** What a report's stamp is made of besides `overdue`, as the database answers it (numbers, times as read). */
export interface ReportStampRow {
  version: unknown;
  updatedAt: unknown;
  reporterAt: unknown;
  assigneeAt: unknown;
}

/** isOverdue (report-view.ts) as SQL, against the time of the request (named apart from a list filter's `now`). */
const OVERDUE = 'CASE WHEN r.dueAt < :stampNow AND r.status IN (:...stampSupervisable) THEN 1 ELSE 0 END';
