import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { ListSort } from '@linli/shared';
import { orderOfSelected } from './report-list';
import { User } from '../identity/user.entity';
import { LeanEntity, readRows } from '../db/lean-entity';
import { ReportEventRow } from './report-event.entity';
import type { ReportStampRow } from './report-freshness';
import { Report } from './report.entity';

/** The prefix of a report's columns in a page's rows, apart from its ids and sort keys. */
const ROW = 'row_';

/** Nicknames by user id, of the people a page names (reporter, assignee, the timeline's actors). */
export type Nicknames = Map<number, string>;

/**
 * The report page and the lists in as few statements as the database allows: each statement costs
 * this server a socket write and read and the database a parse, and on the county those, not the
 * rows, were most of a report detail's time (docs/performance.md). The names the page shows come
 * joined in; what is not found (a user removed) is left to the view's '未知用户'.
 */
export class ReportReads {
  private readonly reports: LeanEntity<Report>;
  private readonly events: LeanEntity<ReportEventRow>;
  private readonly detailSql: string;
  private readonly timelineSql: string;
  private readonly rowsSql: string;
  private readonly names: string;
  private readonly people: string;

  constructor(private readonly dataSource: DataSource) {
    this.reports = new LeanEntity(dataSource, Report);
    this.events = new LeanEntity(dataSource, ReportEventRow);
    const q = (name: string) => dataSource.driver.escape(name);
    // The reporter's and the assignee's names, joined to a report `r`: what every read here shows of people.
    const names = `reporter.${q('nickname')} AS ${q('_reporterName')}, assignee.${q('nickname')} AS ${q('_assigneeName')}`;
    const people = `LEFT JOIN ${q('users')} reporter ON reporter.${q('id')} = r.${q('reporterId')} LEFT JOIN ${q('users')} assignee ON assignee.${q('id')} = r.${q('assigneeId')}`;
    this.names = names;
    this.people = people;
    this.detailSql =
      `SELECT ${this.reports.columns('r')}, ` +
      `(SELECT COUNT(*) FROM ${q('report_followers')} f WHERE f.${q('reportId')} = r.${q('id')} AND f.${q('userId')} = ?) AS ${q('_following')}, ` +
      `${names}, ` +
      `reporter.${q('updatedAt')} AS ${q('_reporterAt')}, assignee.${q('updatedAt')} AS ${q('_assigneeAt')} ` +
      `FROM ${this.reports.table} r ` +
      `${people} ` +
      `WHERE r.${q('id')} = ?`;
    this.rowsSql =
      `SELECT ${this.reports.columns('r')}, ` +
      `${names} ` +
      `FROM ${this.reports.table} r ` +
      `${people} ` +
      `WHERE r.${q('id')} IN (:ids)`;
    this.timelineSql =
      `SELECT ${this.events.columns('e')}, actor.${q('nickname')} AS ${q('_actorName')} ` +
      `FROM ${this.events.table} e LEFT JOIN ${q('users')} actor ON actor.${q('id')} = e.${q('actorId')} ` +
      `WHERE e.${q('reportId')} = ? ORDER BY e.${q('id')} ASC`;
  }

  /**
   * The report, whether `viewerId` follows it, its reporter's and assignee's names, and what its freshness
   * stamp is read from (report-freshness.ts `ReportStampRow`, as the database gave it): one statement.
   */
  async report(id: number, viewerId: number): Promise<{ report: Report; isFollower: boolean; names: Nicknames; stampRow: ReportStampRow } | null> {
    const [row] = await readRows(this.dataSource, this.detailSql, [viewerId, id]);
    if (!row) return null;
    const report = this.reports.hydrate(row);
    const names: Nicknames = new Map();
    this.nameThem(names, report, row);
    const stampRow = { version: row.version, updatedAt: row.updatedAt, reporterAt: row._reporterAt, assigneeAt: row._assigneeAt };
    return { report, isFollower: Number(row._following) > 0, names, stampRow };
  }

  /** The reports of these ids in this order (a list's page), with their people's names: one statement. */
  async rows(ids: number[]): Promise<{ reports: Report[]; names: Nicknames }> {
    const names: Nicknames = new Map();
    if (ids.length === 0) return { reports: [], names };
    const rows = await readRows(this.dataSource, this.rowsSql.replace(':ids', ids.map(() => '?').join(', ')), ids);
    const byId = new Map<number, Report>();
    for (const row of rows) {
      const report = this.reports.hydrate(row);
      byId.set(report.id, report);
      this.nameThem(names, report, row);
    }
    return { reports: ids.map((id) => byId.get(id)).filter((report): report is Report => report !== undefined), names };
  }

  private nameThem(names: Nicknames, report: Report, row: Record<string, unknown>) {
    if (row._reporterName != null) names.set(report.reporterId, String(row._reporterName));
    if (report.assigneeId !== null && row._assigneeName != null) names.set(report.assigneeId, String(row._assigneeName));
  }

  /**
   * A list's page (`page` selects ids and sort keys over the alias `r`) with its reports' columns and
   * names added: one statement instead of the ids, then the rows, then the names. For a list whose rows
   * are few and indexed by its condition (mine, following); a staff queue reads ids from its indexes
   * alone, way in by way in, then `rows`.
   */
  async page(page: SelectQueryBuilder<Report>): Promise<{ raw: Record<string, unknown>[]; reports: Map<number, Report>; names: Nicknames }> {
    const raw = await page
      .addSelect(this.reports.columns('r', ROW))
      .leftJoin(User, 'reporter', 'reporter.id = r.reporterId')
      .leftJoin(User, 'assignee', 'assignee.id = r.assigneeId')
      .addSelect('reporter.nickname', '_reporterName')
      .addSelect('assignee.nickname', '_assigneeName')
      .getRawMany<Record<string, unknown>>();
    return this.collect(raw);
  }

  /**
   * A staff queue's page: the first `size` of the union of its ways in (each `orderedIds` with its own
   * limit, read from its own index range), sorted as one, with the rows and names: one statement where
   * the ways in, the rows and the names were each their own.
   */
  async union(waysIn: SelectQueryBuilder<Report>[], sort: ListSort, size: number): Promise<{ raw: Record<string, unknown>[]; reports: Map<number, Report>; names: Nicknames }> {
    const q = (name: string) => this.dataSource.driver.escape(name);
    const parameters: unknown[] = [];
    const parts = waysIn.map((wayIn, i) => {
      const [sql, values] = wayIn.getQueryAndParameters();
      parameters.push(...values);
      return `SELECT * FROM (${sql}) ${q(`way${i}`)}`;
    });
    const sql =
      `SELECT page.*, ${this.reports.columns('r', ROW)}, ` +
      `${this.names} ` +
      `FROM (${parts.join(' UNION ')}) page ` +
      `INNER JOIN ${this.reports.table} r ON r.${q('id')} = page.${q('id')} ` +
      `${this.people} ` +
      `ORDER BY ${orderOfSelected(sort, 'page', q)} LIMIT ${Number(size)}`;
    return this.collect(await readRows(this.dataSource, sql, parameters));
  }

  private collect(raw: Record<string, unknown>[]) {
    const reports = new Map<number, Report>();
    const names: Nicknames = new Map();
    for (const row of raw) {
      const report = this.reports.hydrate(row, ROW);
      reports.set(report.id, report);
      this.nameThem(names, report, row);
    }
    return { raw, reports, names };
  }

  /** Its timeline, oldest first, with the actors' names: one statement. */
  async timeline(reportId: number): Promise<{ events: ReportEventRow[]; names: Nicknames }> {
    const rows = await readRows(this.dataSource, this.timelineSql, [reportId]);
    const names: Nicknames = new Map();
    const events = rows.map((row) => {
      const event = this.events.hydrate(row);
      if (event.actorId !== null && row._actorName != null) names.set(event.actorId, String(row._actorName));
      return event;
    });
    return { events, names };
  }
}
