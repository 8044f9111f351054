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
import { mapLimit } from '../platform/map-limit';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { Report } from '../reports/report.entity';
import { TimebankClaimRow, TimebankTaskRow } from '../timebank/timebank.entities';
import { addCounts, kpiFigures, ZERO_COUNTS, type KpiCounts } from './kpi';
import { selectKpiCounts, statusCounts } from './kpi-sql';
import { ReportRollup, ROLLUP_FACETS, type RollupFacet } from './report-rollup.entity';
import { dayKey, FACETED_LEVELS, nextDay, ReportRollups, ROLLED_LEVELS, rollupColumns } from './rollups';
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
/** Parts of a cohort read at once (each holds a pooled connection for its pass): the map's too. */
export const PARTS_AT_ONCE = 2;
/**
 * The covering indexes of migration 1763900001300, named for MySQL/MariaDB (ignored on the embedded
 * database): with a list of paths the optimizer otherwise probes every index on gridPath for every
 * path before it picks, which costs more than the read itself.
 */
export const COHORT_INDEX = 'IDX_reports_stats_cohort';
const CLOSED_INDEX = 'IDX_reports_stats_closed';
const OPEN_DUE_INDEX = 'IDX_reports_open_due';
/**
 * The rollup's indexes on the reports' times (migration 1763900003300). A day of every report is a few
 * thousand rows, while a subtree too big to name its paths is one prefix over all its history: a day or
 * less of such a subtree (a county's period's partial first or last day) reads by time.
 */
const CREATED_INDEX = 'IDX_reports_rollup_created';
const CLOSED_AT_INDEX = 'IDX_reports_rollup_closed';

export interface Period {
  from: Date;
  to: Date;
}

export class StatsService {
  /** The dashboard's daily rollup: caught up before each read from it, and by the job runner. */
  readonly rollups: ReportRollups;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date = () => new Date(),
    /** Past this many nodes a subtree is read by its path prefix, or in parts (a test makes every subtree one). */
    private readonly maxPathsInList = MAX_PATHS_IN_LIST,
  ) {
    this.rollups = new ReportRollups(dataSource, directory);
  }

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

  /**
   * Every figure of the dashboard for a node and a period. A district or street whose period holds whole
   * China days reads them from the daily rollup (rollups.ts) once it has caught up, and only the period's
   * partial first and last days, the hot spots and what depends on `now` (overdue, 缓办) from the reports;
   * anything smaller is a handful of GROUP BY queries over its reports (overviewRaw).
   */
  async overviewOf(node: GridNodeInfo, period: Period): Promise<StatsOverview> {
    const days = wholeDays(period);
    if (!days || !FACETED_LEVELS.includes(node.level) || !this.directory.childrenOf(node.id).every((c) => ROLLED_LEVELS.includes(c.level))) {
      return this.overviewRaw(node, period);
    }
    await this.rollups.catchUp();
    return this.overviewFromRollups(node, period, days);
  }

  /** The dashboard from the reports alone: what the rollup path must equal (rollups.test.ts). */
  async overviewRaw(node: GridNodeInfo, { from, to }: Period): Promise<StatsOverview> {
    const now = this.now();
    const [byNode, byFacet, overdueByNode, daily, cells, beside] = await Promise.all([
      this.countsBy(node, from, to, 'r.gridNodeId'),
      this.facetCounts(node, from, to),
      this.overdueByNode(node, now),
      this.daily(node, from, to),
      this.hotCells(node, from, to),
      this.besideReports(node, from, to),
    ]);
    const tally = emptyTally();
    for (const row of byNode) this.addToTally(tally, node, Number(row.key), row.counts);
    for (const row of byFacet) addToFacets(tally, row);
    const owners = byNode.map((row) => ({ id: Number(row.key), received: row.counts.received, open: row.open }));
    return this.compose(node, { from, to }, tally, owners, overdueByNode, daily, cells, beside);
  }

  /** The whole days [fromDay, toDay) of the period from the rollup, its partial edges from the reports. */
  private async overviewFromRollups(node: GridNodeInfo, { from, to }: Period, { fromDay, toDay }: { fromDay: string; toDay: string }): Promise<StatsOverview> {
    const now = this.now();
    const [dayFrom, dayTo] = [chinaDayStart(fromDay), chinaDayStart(toDay)];
    const edges = ([[from, dayFrom], [dayTo, to]] as const).filter(([a, b]) => a.getTime() < b.getTime());
    const childIds = this.directory.childrenOf(node.id).map((c) => c.id);
    const [own, children, rolledDaily, deferred, edgeParts, owners, overdueByNode, cells, beside] = await Promise.all([
      this.rollupSums(fromDay, toDay, [node.id], true),
      childIds.length ? this.rollupSums(fromDay, toDay, childIds, false) : [],
      this.rollupDaily(node.id, fromDay, toDay),
      this.deferredNow(node, dayFrom, dayTo, now),
      Promise.all(edges.map(([a, b]) => Promise.all([this.countsBy(node, a, b, 'r.gridNodeId'), this.facetCounts(node, a, b), this.daily(node, a, b)]))),
      this.ownerCounts(node, from, to),
      this.overdueByNode(node, now),
      this.hotCells(node, from, to),
      this.besideReports(node, from, to),
    ]);
    const tally = emptyTally();
    for (const row of own) {
      if (row.facet === 'all') tally.total = addCounts(tally.total, row.counts);
      else tally.facets[row.facet as Exclude<RollupFacet, 'all'>].set(row.facetKey, addCounts(tally.facets[row.facet as Exclude<RollupFacet, 'all'>].get(row.facetKey) ?? ZERO_COUNTS, row.counts));
    }
    for (const row of children) tally.children.set(row.nodeId, addCounts(tally.children.get(row.nodeId) ?? ZERO_COUNTS, row.counts));
    for (const row of deferred) {
      this.addToTally(tally, node, row.nodeId, row.counts);
      addToFacets(tally, row);
    }
    const dailyBy = new Map<string, { received: number; closed: number }>(rolledDaily.map((d) => [d.date, { received: d.received, closed: d.closed }]));
    for (const [byNode, byFacet, edgeDaily] of edgeParts) {
      for (const row of byNode) this.addToTally(tally, node, Number(row.key), row.counts);
      for (const row of byFacet) addToFacets(tally, row);
      for (const d of edgeDaily) {
        const sum = dailyBy.get(d.date) ?? { received: 0, closed: 0 };
        dailyBy.set(d.date, { received: sum.received + d.received, closed: sum.closed + d.closed });
      }
    }
    const daily = periodDays(from, to).map((date) => ({ date, received: dailyBy.get(date)?.received ?? 0, closed: dailyBy.get(date)?.closed ?? 0 }));
    return this.compose(node, { from, to }, tally, owners, overdueByNode, daily, cells, beside);
  }

  /** Counts owned by `ownerId` (a node of the subtree) into the total and the child it lies under. */
  private addToTally(tally: Tally, node: GridNodeInfo, ownerId: number, counts: KpiCounts): void {
    tally.total = addCounts(tally.total, counts);
    const child = this.childOf(node, ownerId);
    if (child !== null) tally.children.set(child, addCounts(tally.children.get(child) ?? ZERO_COUNTS, counts));
  }

  /** The child of `node` whose subtree holds `ownerId`; null for the node itself. */
  private childOf(node: GridNodeInfo, ownerId: number): number | null {
    const owner = this.directory.node(ownerId);
    const part = owner?.path.slice(node.path.length).split('/')[0];
    return part ? Number(part) : null;
  }

  /** The response, from the counts however they were read. */
  private compose(
    node: GridNodeInfo,
    { from, to }: Period,
    tally: Tally,
    owners: { id: number; received: number; open: number }[],
    overdueByNode: Map<number, number>,
    daily: StatsOverview['daily'],
    cells: StatsOverview['hotSpots']['cells'],
    { categories, consultations, volunteerHours, pointsIssued }: Awaited<ReturnType<StatsService['besideReports']>>,
  ): StatsOverview {
    const childIds = this.directory.childrenOf(node.id).map((c) => c.id).sort((a, b) => a - b);
    let overdue = 0;
    const childOverdue = new Map<number, number>();
    for (const [leafId, count] of overdueByNode) {
      overdue += count;
      const child = this.childOf(node, leafId);
      if (child !== null) childOverdue.set(child, (childOverdue.get(child) ?? 0) + count);
    }
    const facet = (sums: Map<string, KpiCounts>, label: (key: string) => string, order: string[]): StatsBreakdownRow[] =>
      [...sums.entries()].sort(([a], [b]) => rank(order, a) - rank(order, b)).map(([key, counts]) => ({ key, label: label(key), ...kpiFigures(counts) }));
    const categoryNames = new Map(categories.map((c) => [c.code, c.name]));
    const hotNodes = [...owners]
      .sort((a, b) => b.received - a.received || a.id - b.id)
      .slice(0, HOT_SPOTS)
      .map(({ id, received, open }) => {
        const path = this.directory.pathOf(id);
        return {
          nodeId: id,
          name: this.directory.node(id)?.name ?? String(id),
          path: path.slice(Math.max(0, path.findIndex((p) => p.id === node.id))).map((p) => p.name),
          received,
          open,
        };
      });

    return {
      node: { id: node.id, name: node.name, level: node.level },
      from: from.toISOString(),
      to: to.toISOString(),
      ...kpiFigures(tally.total),
      overdue,
      byChild: childIds.map((id) => {
        const child = this.directory.node(id)!;
        return { nodeId: id, name: child.name, level: child.level, ...kpiFigures(tally.children.get(id) ?? ZERO_COUNTS), overdue: childOverdue.get(id) ?? 0 };
      }),
      byCategory: facet(tally.facets.category, (code) => categoryNames.get(code) ?? code, categories.map((c) => c.code)),
      byChannel: facet(tally.facets.channel, (c) => INTAKE_CHANNEL_LABELS[c as IntakeChannel] ?? c, Object.keys(INTAKE_CHANNEL_LABELS)),
      byHandlingMethod: facet(
        tally.facets.method,
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

  /** What the dashboard shows beside the reports: categories' names, 议事, hours, points. */
  private async besideReports(node: GridNodeInfo, from: Date, to: Date) {
    const [categories, consultations, volunteerHours, pointsIssued] = await Promise.all([
      this.dataSource.getRepository(ReportCategoryRow).find({ order: { sortOrder: 'ASC' } }),
      this.consultations(node, from, to),
      this.volunteerHours(node, from, to),
      this.pointsIssued(node, from, to),
    ]);
    return { categories, consultations, volunteerHours, pointsIssued };
  }

  /* ───────── the rollup queries ───────── */

  /** Sums of rollup rows of the days [fromDay, toDay): per node (facet `all`), or per facet and key of one node. */
  private async rollupSums(fromDay: string, toDay: string, nodeIds: number[], byFacet: boolean): Promise<{ nodeId: number; facet: string; facetKey: string; counts: KpiCounts }[]> {
    const query = this.dataSource
      .getRepository(ReportRollup)
      .createQueryBuilder('u')
      .select(byFacet ? 'u.facet' : "'all'", 'facet')
      .addSelect(byFacet ? 'u.facetKey' : "''", 'facetKey')
      .addSelect(byFacet ? String(nodeIds[0]) : 'u.nodeId', 'nodeId')
      .where(nodeIds.length === 1 ? 'u.nodeId = :nodeId' : 'u.nodeId IN (:...nodeIds)', { nodeId: nodeIds[0], nodeIds })
      .andWhere('u.day >= :fromDay', { fromDay })
      .andWhere('u.day < :toDay', { toDay });
    for (const column of rollupColumns()) query.addSelect(`SUM(u.${column})`, column);
    // Naming the facets makes (node, facet, day) ranges of the primary key: only the period's rows are read.
    if (byFacet) query.andWhere('u.facet IN (:...facets)', { facets: ROLLUP_FACETS }).groupBy('u.facet').addGroupBy('u.facetKey');
    else query.andWhere("u.facet = 'all'").groupBy('u.nodeId');
    const rows: Record<string, unknown>[] = await query.getRawMany();
    return rows.map((row) => ({ nodeId: num(row.nodeId), facet: String(row.facet), facetKey: String(row.facetKey), counts: rollupCounts(row) }));
  }

  /** Received and closed per day of [fromDay, toDay), from the node's rows. */
  private async rollupDaily(nodeId: number, fromDay: string, toDay: string): Promise<StatsOverview['daily']> {
    const rows: { day: string; received: unknown; closedOnDay: unknown }[] = await this.dataSource
      .getRepository(ReportRollup)
      .createQueryBuilder('u')
      .select('u.day', 'day')
      .addSelect('u.received', 'received')
      .addSelect('u.closedOnDay', 'closedOnDay')
      .where('u.nodeId = :nodeId', { nodeId })
      .andWhere("u.facet = 'all'")
      .andWhere('u.day >= :fromDay', { fromDay })
      .andWhere('u.day < :toDay', { toDay })
      .getRawMany();
    return rows.map((row) => ({ date: row.day, received: num(row.received), closed: num(row.closedOnDay) }));
  }

  /** 缓办 now among the reports received in [from, to): a few open rows (the open-due index). */
  private async deferredNow(node: GridNodeInfo, from: Date, to: Date, now: Date): Promise<(FacetRow & { nodeId: number })[]> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .useIndex(OPEN_DUE_INDEX)
      .select('r.gridNodeId', 'nodeId')
      .addSelect('r.categoryCode', 'categoryCode')
      .addSelect('r.channel', 'channel')
      .addSelect('r.handlingMethod', 'handlingMethod')
      .addSelect('COUNT(*)', 'n')
      .where('r.status IN (:...open)', { open: SUPERVISABLE_STATUSES })
      .andWhere('r.gridPath LIKE :prefix', { prefix: underPath(node.path) })
      .andWhere('r.dueAt >= :now', { now })
      .andWhere('r.extendedAt IS NOT NULL')
      .andWhere('r.createdAt >= :from', { from })
      .andWhere('r.createdAt < :to', { to })
      .groupBy('r.gridNodeId')
      .addGroupBy('r.categoryCode')
      .addGroupBy('r.channel')
      .addGroupBy('r.handlingMethod')
      .getRawMany();
    return rows.map((row) => ({
      nodeId: num(row.nodeId),
      categoryCode: String(row.categoryCode),
      channel: String(row.channel),
      handlingMethod: (row.handlingMethod as string | null) ?? null,
      counts: { ...ZERO_COUNTS, deferred: num(row.n) },
    }));
  }

  /** Received and open per owning node over the period: the hot nodes (not in the rollup: one row per owner per day is a row per report). */
  private async ownerCounts(node: GridNodeInfo, from: Date, to: Date): Promise<{ id: number; received: number; open: number }[]> {
    const open = `SUM(CASE WHEN r.status IN (${SUPERVISABLE_STATUSES.map((s) => `'${s}'`).join(', ')}) THEN 1 ELSE 0 END)`;
    // The parts own disjoint paths, so disjoint nodes: their rows side by side are the whole answer.
    const rows: { id: unknown; n: unknown; open: unknown }[] = await this.overParts(node, from, to, (part) =>
      part.useIndex(COHORT_INDEX).select('r.gridNodeId', 'id').addSelect('COUNT(*)', 'n').addSelect(open, 'open').groupBy('r.gridNodeId').getRawMany(),
    );
    return rows.map((row) => ({ id: num(row.id), received: num(row.n), open: num(row.open) }));
  }

  /** Rows read from each of the cohort's parts (cohortParts), two parts at a time; `whole` when one part is all of it. */
  private async overParts<T>(node: GridNodeInfo, from: Date, to: Date, read: (part: SelectQueryBuilder<Report>, whole: boolean) => Promise<T[]>): Promise<T[]> {
    const parts = this.cohortParts(node, from, to);
    return (await mapLimit(parts, PARTS_AT_ONCE, (part) => read(part, parts.length === 1))).flat();
  }

  /* ───────── the report queries ───────── */

  /** Reports of the node's subtree received in [from, to): ranges of the covering (gridPath, createdAt, …) index. */
  cohort(node: GridNodeInfo, from: Date, to: Date): SelectQueryBuilder<Report> {
    return this.underNode(this.dataSource.getRepository(Report).createQueryBuilder('r'), node)
      .andWhere('r.createdAt >= :from', { from })
      .andWhere('r.createdAt < :to', { to });
  }

  /**
   * The indexes a cohort of the period reads: by time for a day or less of a subtree read by prefix, else
   * by path (a street's named paths are bounded by the dates whatever the size of the database).
   */
  private indexesFor(node: GridNodeInfo, from: Date, to: Date): { received: string; closed: string } {
    const byTime = to.getTime() - from.getTime() <= DAY_MS && this.directory.subtreeIds(node.id).length > this.maxPathsInList;
    return byTime ? { received: CREATED_INDEX, closed: CLOSED_AT_INDEX } : { received: COHORT_INDEX, closed: CLOSED_INDEX };
  }

  /**
   * The same cohort as parts that each read only the period's index entries: the node's subtree when it
   * is small enough to name its paths, else the node's own reports and each child's parts. A county's year
   * is then ~250,000 entries read, not the 1,000,000 of its prefix over all time.
   */
  cohortParts(node: GridNodeInfo, from: Date, to: Date): SelectQueryBuilder<Report>[] {
    if (this.directory.subtreeIds(node.id).length <= this.maxPathsInList) return [this.cohort(node, from, to)];
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
    if (ids.length > this.maxPathsInList) return query.where('r.gridPath LIKE :prefix', { prefix: underPath(node.path) });
    return query.where('r.gridPath IN (:...subtreePaths)', { subtreePaths: ids.map((id) => this.directory.node(id)!.path) });
  }

  /** Counts per value of `groupBy` (or one row for the whole cohort when null), with the open ones among them. */
  async countsBy(node: GridNodeInfo, from: Date, to: Date, groupBy: string | null): Promise<{ key: string; counts: KpiCounts; open: number }[]> {
    const query = this.cohort(node, from, to).useIndex(this.indexesFor(node, from, to).received).select(groupBy ?? "'all'", 'groupKey');
    if (groupBy) query.groupBy(groupBy);
    const rows: Record<string, unknown>[] = await selectKpiCounts(query, this.dataSource, this.now()).getRawMany();
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
    const query = this.cohort(node, from, to).useIndex(this.indexesFor(node, from, to).received).select('r.categoryCode', 'categoryCode').addSelect('r.channel', 'channel').addSelect('r.handlingMethod', 'handlingMethod');
    query.groupBy('r.categoryCode').addGroupBy('r.channel').addGroupBy('r.handlingMethod');
    const rows: Record<string, unknown>[] = await selectKpiCounts(query, this.dataSource, this.now()).getRawMany();
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
    const indexes = this.indexesFor(node, from, to);
    // Two independent reads: side by side.
    const [received, closed]: { day: unknown; n: unknown }[][] = await Promise.all([
      this.cohort(node, from, to).useIndex(indexes.received).select(receivedDay, 'day').addSelect('COUNT(*)', 'n').groupBy(receivedDay).getRawMany(),
      this.underNode(this.dataSource.getRepository(Report).createQueryBuilder('r').useIndex(indexes.closed), node)
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
    return periodDays(from, to).map((day) => ({ date: day, received: receivedBy.get(day) ?? 0, closed: closedBy.get(day) ?? 0 }));
  }

  /** ~100 m cells with the most located reports of the period (a cell on a boundary may lie in two parts: summed). */
  private async hotCells(node: GridNodeInfo, from: Date, to: Date): Promise<StatsOverview['hotSpots']['cells']> {
    const rows: { lat: unknown; lng: unknown; n: unknown }[] = await this.overParts(node, from, to, (part, whole) => {
      const grouped = part
        .useIndex(COHORT_INDEX)
        .select('ROUND(r.lat, 3)', 'lat')
        .addSelect('ROUND(r.lng, 3)', 'lng')
        .addSelect('COUNT(*)', 'n')
        .andWhere('r.lat IS NOT NULL')
        .andWhere('r.lng IS NOT NULL')
        .groupBy('ROUND(r.lat, 3)')
        .addGroupBy('ROUND(r.lng, 3)');
      // One part (a street): the database keeps the top ten, in the order below; parts: every cell, to be summed.
      return (whole ? grouped.orderBy('n', 'DESC').addOrderBy('lat', 'ASC').addOrderBy('lng', 'ASC').limit(HOT_SPOTS) : grouped).getRawMany();
    });
    const cells = new Map<string, { lat: number; lng: number; received: number }>();
    for (const row of rows) {
      const [lat, lng] = [num(row.lat), num(row.lng)];
      const key = `${lat},${lng}`;
      const cell = cells.get(key) ?? { lat, lng, received: 0 };
      cell.received += num(row.n);
      cells.set(key, cell);
    }
    // Ties in a fixed order.
    return [...cells.values()].sort((a, b) => b.received - a.received || a.lat - b.lat || a.lng - b.lng).slice(0, HOT_SPOTS);
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

interface Tally {
  total: KpiCounts;
  children: Map<number, KpiCounts>;
  facets: Record<'category' | 'channel' | 'method', Map<string, KpiCounts>>;
}

function emptyTally(): Tally {
  return { total: ZERO_COUNTS, children: new Map(), facets: { category: new Map(), channel: new Map(), method: new Map() } };
}

function addToFacets(tally: Tally, row: FacetRow): void {
  const put = (sums: Map<string, KpiCounts>, key: string) => sums.set(key, addCounts(sums.get(key) ?? ZERO_COUNTS, row.counts));
  put(tally.facets.category, row.categoryCode);
  put(tally.facets.channel, row.channel);
  put(tally.facets.method, row.handlingMethod ?? 'none');
}

/** A rollup sum as the counts of kpi.ts (`deferred` is not in the rollup: it is read apart, at `now`). */
function rollupCounts(row: Record<string, unknown>): KpiCounts {
  const counts = { ...ZERO_COUNTS };
  for (const key of Object.keys(counts) as (keyof KpiCounts)[]) if (key !== 'deferred') counts[key] = num(row[key]);
  return counts;
}

/** The China days the period touches, in order. */
function periodDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let day = chinaDay(from); chinaDayStart(day).getTime() < to.getTime(); day = nextDay(day)) days.push(day);
  return days;
}

/** The whole China days inside the period, [fromDay, toDay); null when there is none. */
function wholeDays({ from, to }: Period): { fromDay: string; toDay: string } | null {
  const first = chinaDay(from);
  const fromDay = chinaDayStart(first).getTime() === from.getTime() ? first : nextDay(first);
  const toDay = chinaDay(to);
  return fromDay < toDay ? { fromDay, toDay } : null;
}

function rank(order: string[], key: string): number {
  const index = order.indexOf(key);
  return index < 0 ? order.length : index;
}
