import type { DataSource, SelectQueryBuilder } from 'typeorm';
import {
  CAPABILITY_ROLES,
  chinaDay,
  chinaDayStart,
  HANDLING_METHOD_LABELS,
  INTAKE_CHANNEL_LABELS,
  MAX_STATS_PERIOD_DAYS,
  SUPERVISABLE_STATUSES,
  type HandlingMethod,
  type IntakeChannel,
  type StatsBreakdownRow,
  type StatsOverview,
  type StatsQuery,
} from '@linli/shared';
import { Consultation, ConsultationEventRow, ConsultationVote } from '../consultations/consultation.entities';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { LedgerAccount, LedgerEntry } from '../ledger/ledger.entities';
import { communityOf } from '../ledger/community';
import { AppError, forbidden, notFound } from '../platform/errors';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { Report } from '../reports/report.entity';
import { TimebankClaimRow, TimebankTaskRow } from '../timebank/timebank.entities';
import { addCounts, kpiFigures, ZERO_COUNTS, type KpiCounts } from './kpi';
import { num, sqlDialect, underPath } from './sql';

/**
 * Who reads the dashboard and exports: secretaries and admins for any node they hold, and grid
 * workers for their own grid (the figures name nobody, and the export shows only reports their queue
 * already shows them). A node out of the caller's scope is 403 (grid nodes are public); a node that
 * does not exist 404.
 */
export const STATS_ROLES = CAPABILITY_ROLES.readDashboard;

const DAY_MS = 24 * 3600_000;
const HOT_SPOTS = 10;
/** Below MariaDB's in_predicate_conversion_threshold (1,000), and far below SQLite's bound-variable limit. */
const MAX_PATHS_IN_LIST = 900;
/**
 * The covering indexes of migration 1763900001300, named for MySQL/MariaDB (ignored on the embedded
 * database): with a list of paths the optimizer otherwise probes every index on gridPath for every
 * path before it picks, which costs more than the read itself.
 */
export const COHORT_INDEX = 'IDX_reports_stats_cohort';
const CLOSED_INDEX = 'IDX_reports_stats_closed';

export interface Period {
  from: Date;
  to: Date;
}

export class StatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The node asked for (or the caller's widest one), once the caller may read it. */
  async nodeFor(actor: Actor, nodeId: number | undefined): Promise<GridNodeInfo> {
    await this.directory.ensureFresh();
    if (!holdsRole(actor, STATS_ROLES)) throw forbidden('只有网格员、社区书记和管理员可以查看统计');
    if (nodeId === undefined) {
      const widest = actor.scopes
        .filter((s) => (STATS_ROLES as readonly string[]).includes(s.role))
        .sort((a, b) => a.nodePath.length - b.nodePath.length)[0];
      return this.directory.node(widest.nodeId)!;
    }
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!holdsRoleOver(actor, STATS_ROLES, node.path)) throw forbidden('该网格不在您的管辖范围内');
    return node;
  }

  /** [from, to) from the query; days are China days, `to` as a day is inclusive. */
  period(query: Pick<StatsQuery, 'from' | 'to'>): Period {
    const now = this.now();
    const isDay = (v: string) => v.length === 10;
    const from = query.from ? (isDay(query.from) ? chinaDayStart(query.from) : new Date(query.from)) : chinaDayStart(`${chinaDay(now).slice(0, 8)}01`);
    const to = query.to ? (isDay(query.to) ? new Date(chinaDayStart(query.to).getTime() + DAY_MS) : new Date(query.to)) : now;
    if (to.getTime() <= from.getTime()) {
      throw new AppError('VALIDATION_FAILED', '结束时间须晚于开始时间', [{ path: 'query.to', message: '结束时间须晚于开始时间' }]);
    }
    if (to.getTime() - from.getTime() > MAX_STATS_PERIOD_DAYS * DAY_MS) {
      throw new AppError('VALIDATION_FAILED', `统计区间最长 ${MAX_STATS_PERIOD_DAYS} 天`, [{ path: 'query.from', message: `统计区间最长 ${MAX_STATS_PERIOD_DAYS} 天` }]);
    }
    return { from, to };
  }

  async overview(actor: Actor, query: StatsQuery): Promise<StatsOverview> {
    const node = await this.nodeFor(actor, query.nodeId);
    const period = this.period(query);
    return this.overviewOf(node, period);
  }

  /** Every figure of the dashboard for a node and a period: a handful of GROUP BY queries. */
  async overviewOf(node: GridNodeInfo, { from, to }: Period): Promise<StatsOverview> {
    const now = this.now();
    const [byNode, byFacet, overdueByNode, daily, cells, categories, consultations, volunteerHours, pointsIssued] = await Promise.all([
      this.countsBy(node, from, to, 'r.gridNodeId'),
      this.facetCounts(node, from, to),
      this.overdueByNode(node, now),
      this.daily(node, from, to),
      this.hotCells(node, from, to),
      this.dataSource.getRepository(ReportCategoryRow).find({ order: { sortOrder: 'ASC' } }),
      this.consultations(node, from, to),
      this.volunteerHours(node, from, to),
      this.pointsIssued(node, from, to),
    ]);

    // Fold the per-node counts into the node's children (drill-down) and the node itself.
    const childIds = this.directory.subtreeIds(node.id).filter((id) => this.directory.node(id)?.parentId === node.id).sort((a, b) => a - b);
    const childOf = (leafId: number): number | null => {
      const leaf = this.directory.node(leafId);
      const part = leaf?.path.slice(node.path.length).split('/')[0];
      return part ? Number(part) : null;
    };
    let total = ZERO_COUNTS;
    const childCounts = new Map<number, KpiCounts>(childIds.map((id) => [id, ZERO_COUNTS]));
    for (const row of byNode) {
      total = addCounts(total, row.counts);
      const child = childOf(Number(row.key));
      if (child !== null && childCounts.has(child)) childCounts.set(child, addCounts(childCounts.get(child)!, row.counts));
    }
    let overdue = 0;
    const childOverdue = new Map<number, number>();
    for (const [leafId, count] of overdueByNode) {
      overdue += count;
      const child = childOf(leafId);
      if (child !== null) childOverdue.set(child, (childOverdue.get(child) ?? 0) + count);
    }

    const facet = (pick: (row: FacetRow) => string, label: (key: string) => string, order: string[]): StatsBreakdownRow[] => {
      const sums = new Map<string, KpiCounts>();
      for (const row of byFacet) sums.set(pick(row), addCounts(sums.get(pick(row)) ?? ZERO_COUNTS, row.counts));
      return [...sums.entries()]
        .sort(([a], [b]) => rank(order, a) - rank(order, b))
        .map(([key, counts]) => ({ key, label: label(key), ...kpiFigures(counts) }));
    };
    const categoryNames = new Map(categories.map((c) => [c.code, c.name]));

    const openByNode = new Map(byNode.map((row) => [Number(row.key), row.open]));
    const hotNodes = [...byNode]
      .sort((a, b) => b.counts.received - a.counts.received || Number(a.key) - Number(b.key))
      .slice(0, HOT_SPOTS)
      .map((row) => {
        const id = Number(row.key);
        const path = this.directory.pathOf(id);
        return {
          nodeId: id,
          name: this.directory.node(id)?.name ?? String(id),
          path: path.slice(Math.max(0, path.findIndex((p) => p.id === node.id))).map((p) => p.name),
          received: row.counts.received,
          open: openByNode.get(id) ?? 0,
        };
      });

    return {
      node: { id: node.id, name: node.name, level: node.level },
      from: from.toISOString(),
      to: to.toISOString(),
      ...kpiFigures(total),
      overdue,
      byChild: childIds.map((id) => {
        const child = this.directory.node(id)!;
        return { nodeId: id, name: child.name, level: child.level, ...kpiFigures(childCounts.get(id)!), overdue: childOverdue.get(id) ?? 0 };
      }),
      byCategory: facet((r) => r.categoryCode, (code) => categoryNames.get(code) ?? code, categories.map((c) => c.code)),
      byChannel: facet((r) => r.channel, (c) => INTAKE_CHANNEL_LABELS[c as IntakeChannel] ?? c, Object.keys(INTAKE_CHANNEL_LABELS)),
      byHandlingMethod: facet(
        (r) => r.handlingMethod ?? 'none',
        (m) => (m === 'none' ? '未受理' : (HANDLING_METHOD_LABELS[m as HandlingMethod] ?? m)),
        [...Object.keys(HANDLING_METHOD_LABELS), 'none'],
      ),
      daily,
      hotSpots: { nodes: hotNodes, cells },
      consultations,
      volunteerHours,
      pointsIssued,
    };
  }

  /* ───────── the report queries ───────── */

  /** Reports of the node's subtree received in [from, to): ranges of the covering (gridPath, createdAt, …) index. */
  cohort(node: GridNodeInfo, from: Date, to: Date): SelectQueryBuilder<Report> {
    return this.underNode(this.dataSource.getRepository(Report).createQueryBuilder('r'), node)
      .andWhere('r.createdAt >= :from', { from })
      .andWhere('r.createdAt < :to', { to });
  }

  /**
   * The same cohort as parts that each read only the period's index entries: the node's subtree when it
   * is small enough to name its paths, else the node's own reports and each child's parts. A county's year
   * is then ~250,000 entries read, not the 1,000,000 of its prefix over all time.
   */
  cohortParts(node: GridNodeInfo, from: Date, to: Date): SelectQueryBuilder<Report>[] {
    if (this.directory.subtreeIds(node.id).length <= MAX_PATHS_IN_LIST) return [this.cohort(node, from, to)];
    const own = this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .where('r.gridPath = :path', { path: node.path })
      .andWhere('r.createdAt >= :from', { from })
      .andWhere('r.createdAt < :to', { to });
    return [own, ...this.directory.childrenOf(node.id).flatMap((child) => this.cohortParts(child, from, to))];
  }

  /**
   * Reports owned anywhere in the node's subtree. A `gridPath LIKE '/1/4/%'` prefix is one index range
   * over every report of the subtree, of all time, with the dates only filtered inside it; naming the
   * subtree's paths (`gridPath IN (…)`) makes one range per node bounded by the dates as well, so only the
   * period's rows are read. The same set: a report's gridPath is its node's path, and paths never change
   * (a node with reports cannot be deleted). Past MAX_PATHS_IN_LIST nodes (most of a county) the prefix
   * is used: there the period is most of what the prefix reads anyway.
   */
  private underNode(query: SelectQueryBuilder<Report>, node: GridNodeInfo): SelectQueryBuilder<Report> {
    const ids = this.directory.subtreeIds(node.id);
    if (ids.length > MAX_PATHS_IN_LIST) return query.where('r.gridPath LIKE :prefix', { prefix: underPath(node.path) });
    return query.where('r.gridPath IN (:...subtreePaths)', { subtreePaths: ids.map((id) => this.directory.node(id)!.path) });
  }

  /**
   * The KPI counts of kpi.ts as SQL, one row per group AND status: grouping by status (which the
   * covering index carries) leaves only a few cheap sums per row, where asking every figure's status
   * in a CASE cost a string comparison per figure per row. statusCounts() folds the rows by kpi.ts.
   * A comparison is 1, 0 or NULL in both databases, and SUM/COUNT skip NULLs: `COUNT(r.rating)` is the
   * rated ones, `SUM(hours)` is over those with a resolvedAt (hours are NULL without one).
   */
  private selectCounts(query: SelectQueryBuilder<Report>): SelectQueryBuilder<Report> {
    const hours = sqlDialect(this.dataSource).hoursBetween('r.createdAt', 'r.resolvedAt');
    return query
      .addSelect('r.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('COUNT(r.extendedAt)', 'extended')
      .addSelect('SUM(CASE WHEN r.extendedAt IS NOT NULL AND r.dueAt >= :kpiNow THEN 1 ELSE 0 END)', 'deferred')
      .setParameter('kpiNow', this.now())
      .addSelect('SUM(COALESCE(r.resolvedAt, r.closedAt) <= r.dueAt)', 'onTime')
      .addSelect('COUNT(r.rating)', 'rated')
      .addSelect('SUM(r.rating)', 'ratingSum')
      .addSelect('SUM(r.rating >= 4)', 'satisfied')
      .addSelect('COUNT(r.resolvedAt)', 'resolved')
      .addSelect(`SUM(${hours})`, 'hoursSum')
      .addGroupBy('r.status');
  }

  /** Counts per value of `groupBy` (or one row for the whole cohort when null), with the open ones among them. */
  async countsBy(node: GridNodeInfo, from: Date, to: Date, groupBy: string | null): Promise<{ key: string; counts: KpiCounts; open: number }[]> {
    const query = this.cohort(node, from, to).useIndex(COHORT_INDEX).select(groupBy ?? "'all'", 'groupKey');
    if (groupBy) query.groupBy(groupBy);
    const rows: Record<string, unknown>[] = await this.selectCounts(query).getRawMany();
    const groups = new Map<string, { key: string; counts: KpiCounts; open: number }>();
    for (const row of rows) {
      const key = String(row.groupKey);
      const group = groups.get(key) ?? { key, counts: ZERO_COUNTS, open: 0 };
      group.counts = addCounts(group.counts, statusCounts(row));
      if ((SUPERVISABLE_STATUSES as readonly string[]).includes(String(row.status))) group.open += num(row.n);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  /** One scan grouped by category × channel × handling method; the three breakdowns fold from it. */
  private async facetCounts(node: GridNodeInfo, from: Date, to: Date): Promise<FacetRow[]> {
    const query = this.cohort(node, from, to).useIndex(COHORT_INDEX).select('r.categoryCode', 'categoryCode').addSelect('r.channel', 'channel').addSelect('r.handlingMethod', 'handlingMethod');
    query.groupBy('r.categoryCode').addGroupBy('r.channel').addGroupBy('r.handlingMethod');
    const rows: Record<string, unknown>[] = await this.selectCounts(query).getRawMany();
    return rows.map((row) => ({
      categoryCode: String(row.categoryCode),
      channel: String(row.channel),
      handlingMethod: (row.handlingMethod as string | null) ?? null,
      counts: statusCounts(row),
    }));
  }

  /** Open supervisable reports past due now, per owning node: not bound to the period. */
  private async overdueByNode(node: GridNodeInfo, now: Date): Promise<Map<number, number>> {
    const rows: { nodeId: unknown; n: unknown }[] = await this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .select('r.gridNodeId', 'nodeId')
      .addSelect('COUNT(*)', 'n')
      .where('r.gridPath LIKE :prefix', { prefix: underPath(node.path) })
      .andWhere('r.status IN (:...open)', { open: SUPERVISABLE_STATUSES })
      .andWhere('r.dueAt < :now', { now })
      .groupBy('r.gridNodeId')
      .getRawMany();
    return new Map(rows.map((row) => [num(row.nodeId), num(row.n)]));
  }

  /** Received per China day (the cohort), and closed per China day (whenever received). */
  private async daily(node: GridNodeInfo, from: Date, to: Date): Promise<StatsOverview['daily']> {
    const dialect = sqlDialect(this.dataSource);
    const receivedDay = dialect.chinaDay('r.createdAt');
    const closedDay = dialect.chinaDay('r.closedAt');
    // Two independent reads: side by side.
    const [received, closed]: { day: unknown; n: unknown }[][] = await Promise.all([
      this.cohort(node, from, to).useIndex(COHORT_INDEX).select(receivedDay, 'day').addSelect('COUNT(*)', 'n').groupBy(receivedDay).getRawMany(),
      this.underNode(this.dataSource.getRepository(Report).createQueryBuilder('r').useIndex(CLOSED_INDEX), node)
        .select(closedDay, 'day')
        .addSelect('COUNT(*)', 'n')
        .andWhere('r.closedAt >= :from', { from })
        .andWhere('r.closedAt < :to', { to })
        .andWhere("r.status = 'closed'")
        .groupBy(closedDay)
        .getRawMany(),
    ]);
    const receivedBy = new Map(received.map((r) => [dayKey(r.day), num(r.n)]));
    const closedBy = new Map(closed.map((r) => [dayKey(r.day), num(r.n)]));
    const days: StatsOverview['daily'] = [];
    for (let day = chinaDay(from); chinaDayStart(day).getTime() < to.getTime(); day = chinaDay(new Date(chinaDayStart(day).getTime() + DAY_MS))) {
      days.push({ date: day, received: receivedBy.get(day) ?? 0, closed: closedBy.get(day) ?? 0 });
    }
    return days;
  }

  /** ~100 m cells with the most located reports of the period. */
  private async hotCells(node: GridNodeInfo, from: Date, to: Date): Promise<StatsOverview['hotSpots']['cells']> {
    const rows: { lat: unknown; lng: unknown; n: unknown }[] = await this.cohort(node, from, to)
      .useIndex(COHORT_INDEX)
      .select('ROUND(r.lat, 3)', 'lat')
      .addSelect('ROUND(r.lng, 3)', 'lng')
      .addSelect('COUNT(*)', 'n')
      .andWhere('r.lat IS NOT NULL')
      .andWhere('r.lng IS NOT NULL')
      .groupBy('ROUND(r.lat, 3)')
      .addGroupBy('ROUND(r.lng, 3)')
      .orderBy('n', 'DESC')
      .addOrderBy('lat', 'ASC') // ties in a fixed order
      .addOrderBy('lng', 'ASC')
      .limit(HOT_SPOTS)
      .getRawMany();
    return rows.map((row) => ({ lat: num(row.lat), lng: num(row.lng), received: num(row.n) }));
  }

  /* ───────── beside the reports ───────── */

  /** Consultations decided in the period under the node: voting households ÷ eligible ones. */
  private async consultations(node: GridNodeInfo, from: Date, to: Date): Promise<StatsOverview['consultations']> {
    const decided: { id: unknown; eligible: unknown }[] = await this.dataSource
      .getRepository(Consultation)
      .createQueryBuilder('c')
      .innerJoin(ConsultationEventRow, 'e', "e.consultationId = c.id AND e.toStatus = 'decided'")
      .select('c.id', 'id')
      .addSelect('c.eligibleAtClose', 'eligible')
      .distinct(true)
      .where('c.scopePath LIKE :prefix', { prefix: underPath(node.path) })
      .andWhere('e.createdAt >= :from', { from })
      .andWhere('e.createdAt < :to', { to })
      .getRawMany();
    const ids = decided.map((d) => num(d.id));
    const eligibleHouseholds = decided.reduce((sum, d) => sum + num(d.eligible), 0);
    const votedHouseholds = ids.length ? await this.dataSource.getRepository(ConsultationVote).createQueryBuilder('v').where('v.consultationId IN (:...ids)', { ids }).getCount() : 0;
    return {
      decided: ids.length,
      eligibleHouseholds,
      votedHouseholds,
      participationRate: eligibleHouseholds > 0 ? Math.round((votedHouseholds / eligibleHouseholds) * 10_000) / 10_000 : null,
    };
  }

  /** Claims confirmed in the period on tasks under the node, and the hours they paid. */
  private async volunteerHours(node: GridNodeInfo, from: Date, to: Date): Promise<StatsOverview['volunteerHours']> {
    const row: { claims: unknown; minutes: unknown } | undefined = await this.dataSource
      .getRepository(TimebankClaimRow)
      .createQueryBuilder('c')
      .innerJoin(TimebankTaskRow, 't', 't.id = c.taskId')
      .select('COUNT(*)', 'claims')
      .addSelect('SUM(t.minutes)', 'minutes')
      .where("c.status = 'confirmed'")
      .andWhere('c.settledAt >= :from', { from })
      .andWhere('c.settledAt < :to', { to })
      .andWhere('t.scopePath LIKE :prefix', { prefix: underPath(node.path) })
      .getRawOne();
    return { confirmedClaims: num(row?.claims), hours: num(row?.minutes) / 60 };
  }

  /** Points paid out of the issuing accounts of the node's communities in the period. */
  private async pointsIssued(node: GridNodeInfo, from: Date, to: Date): Promise<StatsOverview['pointsIssued']> {
    const own = communityOf(this.directory, node.path);
    const communityIds = own ? [own.id] : this.directory.subtreeIds(node.id).filter((id) => this.directory.node(id)?.level === 'community');
    if (communityIds.length === 0) return { points: 0, awards: 0, communityIds };
    const row: { points: unknown; awards: unknown } | undefined = await this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('e')
      .innerJoin(LedgerAccount, 'a', 'a.id = e.fromAccountId')
      .select('SUM(e.amount)', 'points')
      .addSelect('COUNT(*)', 'awards')
      .where("a.unit = 'points'")
      .andWhere("a.kind = 'issuing'")
      .andWhere('a.ownerId IN (:...communityIds)', { communityIds })
      .andWhere('e.createdAt >= :from', { from })
      .andWhere('e.createdAt < :to', { to })
      .getRawOne();
    return { points: num(row?.points), awards: num(row?.awards), communityIds };
  }
}

interface FacetRow {
  categoryCode: string;
  channel: string;
  handlingMethod: string | null;
  counts: KpiCounts;
}

/**
 * The counts of kpi.ts from one row of selectCounts(): the reports of one group in one status.
 * closed: their on-time/rating sums count; resolved or closed: those with a resolvedAt are handled;
 * still being handled: those under an extension not yet run out are deferred (缓办).
 */
function statusCounts(row: Record<string, unknown>): KpiCounts {
  const status = String(row.status);
  const n = num(row.n);
  const closed = status === 'closed';
  const handled = status === 'resolved' || closed;
  return {
    received: n,
    closed: closed ? n : 0,
    rejected: status === 'rejected' ? n : 0,
    merged: status === 'merged' ? n : 0,
    extended: num(row.extended),
    deferred: (SUPERVISABLE_STATUSES as readonly string[]).includes(status) ? num(row.deferred) : 0,
    closedOnTime: closed ? num(row.onTime) : 0,
    rated: closed ? num(row.rated) : 0,
    ratingSum: closed ? num(row.ratingSum) : 0,
    satisfied: closed ? num(row.satisfied) : 0,
    handled: handled ? num(row.resolved) : 0,
    handleHoursSum: handled ? num(row.hoursSum) : 0,
  };
}

/** A day from SQL: text `YYYY-MM-DD` (SQLite), or a DATE, which mysql2 reads as midnight UTC. */
function dayKey(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

function rank(order: string[], key: string): number {
  const index = order.indexOf(key);
  return index < 0 ? order.length : index;
}
