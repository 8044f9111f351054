import type { DataSource, SelectQueryBuilder } from 'typeorm';
import {
  MAP_STAFF_ROLES,
  SUPERVISABLE_STATUSES,
  type GridMap,
  type ReportCluster,
  type ReportPoints,
  type ReportPointsQuery,
} from '@linli/shared';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import type { GridDrawings } from '../grids/grid-drawings';
import type { BBox } from '../grids/geometry';
import type { Actor } from '../identity/actor';
import { holdsRoleOver } from '../identity/authorize';
import { placeOfUserId } from '../ledger/community';
import { forbidden, notFound } from '../platform/errors';
import { mapLimit } from '../platform/map-limit';
import { isOverdue } from '../reports/report-view';
import { Report } from '../reports/report.entity';
import { num, underPath } from '../stats/sql';
import { COHORT_INDEX, PARTS_AT_ONCE, type StatsService } from '../stats/stats.service';

/** Staff who also see reports under review (relation.ts: content not yet clear is theirs to judge). */
const REVIEWER_ROLES = ['secretary', 'admin'] as const;
/**
 * Up to this many located reports are sent as points (≈ 60 KB of JSON); beyond, they are counted in
 * cells instead (a community's year, a street's month): a phone draws a thousand points smoothly, and
 * one drills down (or narrows the dates) to see each report.
 */
export const POINTS_LIMIT = 1000;
/** Cells across the node's drawing when reports are clustered. */
const CLUSTER_CELLS = 40;
/** Clusters are kept this long per node, period and status (per instance, a few hundred at most). */
const CLUSTER_CACHE_MS = 60_000;
const CLUSTER_CACHE_SIZE = 200;

/** How much of a child's reports the caller may count: all (reviewers), content-clear only (grid workers), none. */
type CountRule = 'all' | 'clear' | null;

interface OpenCounts {
  open: number;
  overdue: number;
}

/**
 * 一图: the grid map and the reports on it.
 * - The map of a node (its children drawn, GET /grids/map) is for staff over or under the node (a grid
 *   worker may look up to the street around their grid), for a resident within their own community, and
 *   for someone without a household from the top of the tree down (to point at the place of a report).
 *   Boundaries are no secret (GET /grids/tree gives them to anyone signed in).
 * - Counts of open and overdue reports are given per child only to staff holding a role over that whole
 *   child: reviewers (secretary, admin) count everything, grid workers what their queue shows (content
 *   clear). Elsewhere they are null.
 * - Report points (GET /reports/points) are for staff over the node only.
 */
export class MapService {
  private readonly clusterCache = new Map<string, { at: number; answer: { clusters: ReportCluster[]; total: number; unlocated: number } }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly drawings: GridDrawings,
    private readonly stats: StatsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async gridMap(actor: Actor, nodeId: number | undefined): Promise<GridMap> {
    await this.directory.ensureFresh();
    const node = await this.mapNode(actor, nodeId);
    const drawing = this.drawings.of(node.id);
    const children = this.directory.childrenOf(node.id);
    const counts = await this.openCounts(actor, node, children);
    return {
      type: 'FeatureCollection',
      features: drawing.children.map((drawn) => {
        const child = this.directory.node(drawn.id)!;
        const seen = counts.byChild.get(child.id);
        return {
          type: 'Feature',
          geometry: drawn.geometry,
          properties: {
            id: child.id,
            name: child.name,
            level: child.level,
            open: seen?.open ?? null,
            overdue: seen?.overdue ?? null,
            hasChildren: this.directory.childrenOf(child.id).length > 0,
            derived: drawn.derived,
          },
        };
      }),
      node: { id: node.id, name: node.name, level: node.level, parentId: node.parentId },
      path: this.directory.pathOf(node.id),
      outline: drawing.outline,
      bbox: drawing.bbox,
      totals: counts.totals,
      tolerance: drawing.tolerance,
    };
  }

  /** Whose map the caller may open (see the class comment); without nodeId, where they start. */
  private async mapNode(actor: Actor, nodeId: number | undefined): Promise<GridNodeInfo> {
    const lookup = (id: number) => this.directory.node(id) ?? raise(notFound('网格'));
    const staff = actor.scopes.filter((s) => (MAP_STAFF_ROLES as readonly string[]).includes(s.role));
    if (staff.length > 0) {
      const node = lookup(nodeId ?? widest(staff).nodeId);
      // Their scope, what lies below it, and the nodes above it (to see their grid among its neighbours).
      if (!staff.some((s) => node.path.startsWith(s.nodePath) || s.nodePath.startsWith(node.path))) throw forbidden('该网格不在您的管辖范围内');
      return node;
    }
    const place = await placeOfUserId(this.dataSource.manager, this.directory, actor.userId);
    const community = place?.communityId ? this.directory.node(place.communityId) : undefined;
    if (community) {
      const node = lookup(nodeId ?? community.id);
      if (!node.path.startsWith(community.path)) throw forbidden('只能查看您所在社区的地图');
      return node;
    }
    // No household yet: from the top down, to find the street, community and grid of the place.
    const root = this.directory.roots()[0];
    return nodeId === undefined ? (root ?? raise(notFound('网格'))) : lookup(nodeId);
  }

  /** Open and overdue reports now, per child the caller may count, and over the node when they may count it all. */
  private async openCounts(actor: Actor, node: GridNodeInfo, children: GridNodeInfo[]): Promise<{ byChild: Map<number, OpenCounts>; totals: OpenCounts | null }> {
    const rules = new Map(children.map((child) => [child.id, countRule(actor, child.path)]));
    const nodeRule = countRule(actor, node.path);
    const byChild = new Map<number, OpenCounts>();
    for (const [id, rule] of rules) if (rule) byChild.set(id, { open: 0, overdue: 0 });
    if (byChild.size === 0 && !nodeRule) return { byChild, totals: null };
    const totals = { open: 0, overdue: 0 };
    // One pass over the open reports of the subtree, by place: (status, gridPath, dueAt, …) is an index
    // that answers it alone. Only a grid worker's counts need the rows' moderation (a column beside it).
    const byModeration = [nodeRule, ...rules.values()].includes('clear');
    const query = this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .select('r.gridPath', 'path')
      .addSelect(byModeration ? 'r.moderation' : "'clear'", 'moderation')
      .addSelect('COUNT(*)', 'open')
      .addSelect('SUM(CASE WHEN r.dueAt < :now THEN 1 ELSE 0 END)', 'overdue')
      .where('r.status IN (:...open)', { open: SUPERVISABLE_STATUSES })
      .andWhere('r.gridPath LIKE :prefix', { prefix: underPath(node.path) })
      .setParameter('now', this.now())
      .groupBy('r.gridPath');
    if (byModeration) query.addGroupBy('r.moderation');
    const rows: { path: string; moderation: string; open: unknown; overdue: unknown }[] = await query.getRawMany();
    // With every rule 'all' the moderation is not read: 'clear' stands for "counted".
    const counted = (rule: CountRule, moderation: string) => rule === 'all' || (rule === 'clear' && moderation === 'clear');
    for (const row of rows) {
      const add = (into: OpenCounts) => {
        into.open += num(row.open);
        into.overdue += num(row.overdue);
      };
      if (counted(nodeRule, row.moderation)) add(totals);
      const childId = Number(row.path.slice(node.path.length).split('/')[0]);
      const into = byChild.get(childId);
      if (into && counted(rules.get(childId) ?? null, row.moderation)) add(into);
    }
    return { byChild, totals: nodeRule ? totals : null };
  }

  /* ───────── points ───────── */

  async points(actor: Actor, query: ReportPointsQuery): Promise<ReportPoints> {
    await this.directory.ensureFresh();
    const node = this.pointsNode(actor, query.nodeId);
    const period = this.stats.period(query);
    const now = this.now();
    const cohort = () => withStatus(this.stats.cohort(node, period.from, period.to).useIndex(COHORT_INDEX), query.status, now);
    const answer = { limit: POINTS_LIMIT, from: period.from.toISOString(), to: period.to.toISOString() };
    // At most one more than the limit, in no order (the database stops there): all of them, or too many.
    const listed = cohort().select(['r.id', 'r.lat', 'r.lng', 'r.status', 'r.dueAt']).andWhere('r.lat IS NOT NULL').andWhere('r.lng IS NOT NULL');
    // Content under review shows to its reviewers only (relation.ts), as in the queue.
    if (!holdsRoleOver(actor, REVIEWER_ROLES, node.path)) listed.andWhere('r.moderation = :clear', { clear: 'clear' });
    const rows = await listed.limit(POINTS_LIMIT + 1).getMany();
    if (rows.length > POINTS_LIMIT) return { items: [], ...(await this.clustered(node, query, period, now)), ...answer };
    const [unlocated] = await cohort().select('COUNT(*)', 'n').andWhere('r.lat IS NULL').getRawMany();
    const items = rows.map((r) => ({ id: r.id, lat: r.lat!, lng: r.lng!, status: r.status, overdue: isOverdue(r, now) }));
    return { items, clusters: [], total: items.length, unlocated: num(unlocated?.n), ...answer };
  }

  /** Clusters of a node and period, kept a minute (a county's year is one pass over 250,000 index entries). */
  private async clustered(node: GridNodeInfo, query: ReportPointsQuery, period: { from: Date; to: Date }, now: Date) {
    const key = [node.id, period.from.getTime(), period.to.getTime(), query.status ?? '', this.directory.revision].join('|');
    const kept = this.clusterCache.get(key);
    if (kept && now.getTime() - kept.at < CLUSTER_CACHE_MS) return kept.answer;
    const parts = this.stats.cohortParts(node, period.from, period.to).map((part) => withStatus(part.useIndex(COHORT_INDEX), query.status, now));
    const answer = await this.clusters(parts, node, now);
    if (this.clusterCache.size >= CLUSTER_CACHE_SIZE) this.clusterCache.delete(this.clusterCache.keys().next().value!);
    this.clusterCache.set(key, { at: now.getTime(), answer });
    return answer;
  }

  private pointsNode(actor: Actor, nodeId: number | undefined): GridNodeInfo {
    const staff = actor.scopes.filter((s) => (MAP_STAFF_ROLES as readonly string[]).includes(s.role));
    if (staff.length === 0) throw forbidden('只有网格员、社区书记和管理员可以查看说事分布');
    const node = this.directory.node(nodeId ?? widest(staff).nodeId);
    if (!node) throw notFound('网格');
    if (!holdsRoleOver(actor, MAP_STAFF_ROLES, node.path)) throw forbidden('该网格不在您的管辖范围内');
    return node;
  }

  /**
   * The reports counted per cell (1/40 of the node's drawing across), each at its reports' mean position,
   * in one pass; those without a place fall in the cell of NULL. Counts name no report, so they cover
   * all of them, under review or not.
   */
  private async clusters(parts: SelectQueryBuilder<Report>[], node: GridNodeInfo, now: Date): Promise<{ clusters: ReportCluster[]; total: number; unlocated: number }> {
    const box = this.drawings.bboxOf(node.id);
    const [west, south] = box ?? (await this.locatedExtent(parts));
    const cell = cellSize(box) ?? 0.001;
    // Numbers written into the SQL (not user input): the same text in SELECT and GROUP BY on every database.
    const column = (expr: string, origin: number) => `ROUND((${expr} - ${origin.toFixed(7)}) / ${cell.toPrecision(6)})`;
    const cells = new Map<string, { n: number; latSum: number; lngSum: number; open: number; overdue: number }>();
    let unlocated = 0;
    // One pass per part (their cells line up: one origin and size for all), added up here; two parts at
    // a time (a county's year is 11 parts of ~150 ms of the database's time each).
    const countCells = (part: SelectQueryBuilder<Report>): Promise<Record<string, unknown>[]> =>
      part
        .select(column('r.lng', west), 'cx')
        .addSelect(column('r.lat', south), 'cy')
        .addSelect('COUNT(*)', 'n')
        .addSelect('SUM(r.lat)', 'latSum')
        .addSelect('SUM(r.lng)', 'lngSum')
        .addSelect('SUM(CASE WHEN r.status IN (:...supervisable) THEN 1 ELSE 0 END)', 'open')
        .addSelect('SUM(CASE WHEN r.status IN (:...supervisable) AND r.dueAt < :now THEN 1 ELSE 0 END)', 'overdue')
        .setParameters({ supervisable: SUPERVISABLE_STATUSES, now })
        .groupBy('cx')
        .addGroupBy('cy')
        .getRawMany();
    for (const rows of await mapLimit(parts, PARTS_AT_ONCE, countCells)) {
      for (const row of rows) {
        if (row.cx === null || row.cy === null) {
          unlocated += num(row.n);
          continue;
        }
        const key = `${num(row.cx)}:${num(row.cy)}`;
        const cellSums = cells.get(key) ?? { n: 0, latSum: 0, lngSum: 0, open: 0, overdue: 0 };
        cellSums.n += num(row.n);
        cellSums.latSum += num(row.latSum);
        cellSums.lngSum += num(row.lngSum);
        cellSums.open += num(row.open);
        cellSums.overdue += num(row.overdue);
        cells.set(key, cellSums);
      }
    }
    const clusters = [...cells.values()].map((c) => ({ lat: round6(c.latSum / c.n), lng: round6(c.lngSum / c.n), count: c.n, open: c.open, overdue: c.overdue }));
    return { clusters, total: clusters.reduce((sum, c) => sum + c.count, 0), unlocated };
  }

  /** Where the reports lie, for a node drawn without any boundary. */
  private async locatedExtent(parts: SelectQueryBuilder<Report>[]): Promise<[number, number]> {
    let west = Infinity;
    let south = Infinity;
    for (const part of parts) {
      const [row] = await part.clone().select('MIN(r.lng)', 'west').addSelect('MIN(r.lat)', 'south').getRawMany();
      if (row?.west !== null && row?.west !== undefined) west = Math.min(west, num(row.west));
      if (row?.south !== null && row?.south !== undefined) south = Math.min(south, num(row.south));
    }
    return [Number.isFinite(west) ? west : 0, Number.isFinite(south) ? south : 0];
  }
}

function countRule(actor: Actor, path: string): CountRule {
  if (holdsRoleOver(actor, REVIEWER_ROLES, path)) return 'all';
  return holdsRoleOver(actor, ['grid_worker'], path) ? 'clear' : null;
}

function withStatus(builder: SelectQueryBuilder<Report>, status: ReportPointsQuery['status'], now: Date): SelectQueryBuilder<Report> {
  if (!status) return builder;
  if (status === 'open' || status === 'overdue') builder.andWhere('r.status IN (:...supervisable)', { supervisable: SUPERVISABLE_STATUSES });
  else builder.andWhere('r.status = :status', { status });
  if (status === 'overdue') builder.andWhere('r.dueAt < :now', { now });
  return builder;
}

function widest<T extends { nodePath: string }>(scopes: T[]): T {
  return [...scopes].sort((a, b) => a.nodePath.length - b.nodePath.length)[0];
}

function cellSize(box: BBox | null): number | null {
  if (!box) return null;
  const extent = Math.max(box[2] - box[0], box[3] - box[1]);
  return extent > 0 ? extent / CLUSTER_CELLS : null;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function raise(error: Error): never {
  throw error;
}
