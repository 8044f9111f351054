import { chinaDay, chinaDayStart, type GridLevel } from '@linli/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { transactRetrying } from '../db/data-source';
import { onPrimary } from '../db/replicas';
import { withLock } from '../db/versioned-rows';
import type { GridDirectory } from '../grids/grid-directory';
import { Report } from '../reports/report.entity';
import { ZERO_COUNTS, type KpiCounts } from './kpi';
import { isOpen, selectKpiCounts, statusCounts } from './kpi-sql';
import { ReportRollup, RollupWatermark, type RollupFacet } from './report-rollup.entity';
import { num, sqlDialect } from './sql';

/*
 * The dashboard's daily rollup (report_rollups). Rows exist for the nodes of the ROLLED levels on a report's
 * path; the overview of a node of a FACETED level is read from them (stats.service.ts). Below a community a
 * node-day holds a report or two: rows there would be as many as the reports, and reading them would cost
 * what the raw read costs, so those nodes are read raw (a community's year is ~2,500 reports).
 *
 * Kept up to date by catchUp(), run by the job runner and at the start of every overview that reads it:
 * the reports whose updatedAt is at or after the watermark (less SLACK_MS for transactions still open when
 * the last catch-up read) name the China days they were received and closed on; those whole days are
 * recomputed from the raw reports for every node and only the rows that differ are written. Whole days,
 * not single cells: a report's handling method is set on acceptance, which moves it between cells, and
 * the report's row no longer says where it was; closedAt is set once (closing, rejecting and merging are
 * final), so the day a report was closed on is the one its row names. Every transition saves through Repository.update /
 * save (saveIfUnchanged, the sweeper's conditional updates), which set updatedAt. Catch-ups take the
 * watermark's row lock, so two instances run one after the other; the second finds little to do.
 */

export const ROLLED_LEVELS: readonly GridLevel[] = ['district', 'street', 'community'];
export const FACETED_LEVELS: readonly GridLevel[] = ['district', 'street'];
const WATERMARK = 'report_rollups';
const SLACK_MS = 5_000;
const DAY_MS = 24 * 3600_000;
const WRITE_CHUNK = 500;

/** The additive counts a rollup row keeps (kpi.ts's minus `deferred`), plus `open` and `closedOnDay`. */
export type RollupCounts = Omit<KpiCounts, 'deferred'> & { open: number; closedOnDay: number };
const COUNT_KEYS = [...(Object.keys(ZERO_COUNTS) as (keyof KpiCounts)[]).filter((k) => k !== 'deferred'), 'open', 'closedOnDay'] as (keyof RollupCounts)[];
export const ZERO_ROLLUP: RollupCounts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as RollupCounts;

export function rollupColumns(): readonly (keyof RollupCounts)[] {
  return COUNT_KEYS;
}

/** The China day after `day`. */
export function nextDay(day: string): string {
  return chinaDay(new Date(chinaDayStart(day).getTime() + DAY_MS));
}

export class ReportRollups {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
  ) {}

  /** Folds in what changed since the last catch-up (builds everything the first time). Returns the days recomputed. */
  catchUp(): Promise<{ days: number; rebuilt: boolean }> {
    return onPrimary(() =>
      transactRetrying(this.dataSource, async (manager) => {
        const mark = await this.lockWatermark(manager);
        const startedAt = await this.databaseNow(manager);
        if (!mark.upTo) {
          const days = await this.rebuildIn(manager);
          await manager.getRepository(RollupWatermark).update({ name: WATERMARK }, { upTo: startedAt });
          return { days, rebuilt: true };
        }
        const changed: { createdAt: Date; closedAt: Date | null }[] = await manager
          .getRepository(Report)
          .createQueryBuilder('r')
          .select(['r.createdAt', 'r.closedAt'])
          .where('r.updatedAt >= :since', { since: new Date(mark.upTo.getTime() - SLACK_MS) })
          // Not what is stamped after this catch-up began (the next one reads it): a row stamped ahead of the
          // clock (a bulk load in local time) would otherwise be recomputed by every catch-up until then.
          .andWhere('r.updatedAt < :startedAt', { startedAt })
          .getMany();
        const days = new Set<string>();
        for (const r of changed) {
          days.add(chinaDay(r.createdAt));
          if (r.closedAt) days.add(chinaDay(r.closedAt));
        }
        for (const day of days) await this.recompute(manager, day, nextDay(day));
        await manager.getRepository(RollupWatermark).update({ name: WATERMARK }, { upTo: startedAt });
        return { days: days.size, rebuilt: false };
      }),
    );
  }

  /** Rebuilds the whole table from the raw reports (`npm run rollups:rebuild`). */
  rebuild(): Promise<{ days: number }> {
    return onPrimary(() =>
      transactRetrying(this.dataSource, async (manager) => {
        await this.lockWatermark(manager);
        const startedAt = await this.databaseNow(manager);
        const days = await this.rebuildIn(manager);
        await manager.getRepository(RollupWatermark).update({ name: WATERMARK }, { upTo: startedAt });
        return { days };
      }),
    );
  }

  private async rebuildIn(manager: EntityManager): Promise<number> {
    await this.directory.ensureFresh();
    await manager.getRepository(ReportRollup).createQueryBuilder().delete().execute();
    const span: { first: Date | string | null; last: Date | string | null } | undefined = await manager
      .getRepository(Report)
      .createQueryBuilder('r')
      .select('MIN(r.createdAt)', 'first')
      .addSelect('MAX(COALESCE(r.closedAt, r.createdAt))', 'last')
      .getRawOne();
    if (!span?.first || !span.last) return 0;
    const first = chinaDay(asDate(span.first));
    const last = chinaDay(asDate(span.last));
    let days = 0;
    // A month at a time: ~30,000 reports in memory at county scale.
    for (let from = first; from <= last; ) {
      let to = from;
      for (let i = 0; i < 31 && to <= last; i++) to = nextDay(to);
      await this.recompute(manager, from, to, true);
      days += Math.round((chinaDayStart(to).getTime() - chinaDayStart(from).getTime()) / DAY_MS);
      from = to;
    }
    return days;
  }

  /** Recomputes the rows of the China days [fromDay, toDay) from the raw reports; writes only what differs. */
  private async recompute(manager: EntityManager, fromDay: string, toDay: string, emptyBefore = false): Promise<void> {
    const fresh = await this.computeDays(manager, fromDay, toDay);
    const rows = manager.getRepository(ReportRollup);
    const existing = emptyBefore
      ? []
      : await rows.createQueryBuilder('u').where('u.day >= :fromDay', { fromDay }).andWhere('u.day < :toDay', { toDay }).getMany();
    const stale: ReportRollup[] = [];
    for (const row of existing) {
      const now = fresh.get(keyOf(row));
      if (!now) stale.push(row);
      else if (sameCounts(row, now)) fresh.delete(keyOf(row));
    }
    for (const row of stale) await rows.delete({ nodeId: row.nodeId, facet: row.facet, day: row.day, facetKey: row.facetKey });
    const changed = [...fresh.values()];
    for (let i = 0; i < changed.length; i += WRITE_CHUNK) {
      const chunk = changed.slice(i, i + WRITE_CHUNK);
      if (emptyBefore) await rows.insert(chunk);
      else await rows.upsert(chunk, ['nodeId', 'facet', 'day', 'facetKey']);
    }
  }

  /** Every rollup row of the days [fromDay, toDay), from the raw reports received and closed on them. */
  private async computeDays(manager: EntityManager, fromDay: string, toDay: string): Promise<Map<string, ReportRollup>> {
    const from = chinaDayStart(fromDay);
    const to = chinaDayStart(toDay);
    const dialect = sqlDialect(this.dataSource);
    const receivedDay = dialect.chinaDay('r.createdAt');
    const closedDay = dialect.chinaDay('r.closedAt');
    const received: Record<string, unknown>[] = await selectKpiCounts(
      manager
        .getRepository(Report)
        .createQueryBuilder('r')
        .select(receivedDay, 'day')
        .addSelect('r.gridPath', 'gridPath')
        .addSelect('r.categoryCode', 'categoryCode')
        .addSelect('r.channel', 'channel')
        .addSelect('r.handlingMethod', 'handlingMethod')
        .where('r.createdAt >= :from', { from })
        .andWhere('r.createdAt < :to', { to })
        .groupBy(receivedDay)
        .addGroupBy('r.gridPath')
        .addGroupBy('r.categoryCode')
        .addGroupBy('r.channel')
        .addGroupBy('r.handlingMethod'),
      this.dataSource,
      from,
    ).getRawMany();
    const closed: { day: unknown; gridPath: string; n: unknown }[] = await manager
      .getRepository(Report)
      .createQueryBuilder('r')
      .select(closedDay, 'day')
      .addSelect('r.gridPath', 'gridPath')
      .addSelect('COUNT(*)', 'n')
      .where('r.closedAt >= :from', { from })
      .andWhere('r.closedAt < :to', { to })
      .andWhere("r.status = 'closed'")
      .groupBy(closedDay)
      .addGroupBy('r.gridPath')
      .getRawMany();

    const cells = new Map<string, ReportRollup>();
    const add = (nodeId: number, facet: RollupFacet, day: string, facetKey: string, counts: Partial<RollupCounts>) => {
      const key = `${nodeId}|${facet}|${day}|${facetKey}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = Object.assign(new ReportRollup(), { nodeId, facet, day, facetKey, ...ZERO_ROLLUP });
        cells.set(key, cell);
      }
      for (const k of COUNT_KEYS) cell[k] += counts[k] ?? 0;
    };
    for (const row of received) {
      const { deferred: _deferred, ...kpi } = statusCounts(row);
      const counts: Partial<RollupCounts> = { ...kpi, open: isOpen(String(row.status)) ? num(row.n) : 0 };
      const day = dayKey(row.day);
      for (const { id, faceted } of this.rolledNodes(String(row.gridPath))) {
        add(id, 'all', day, '', counts);
        if (!faceted) continue;
        add(id, 'category', day, String(row.categoryCode), counts);
        add(id, 'channel', day, String(row.channel), counts);
        add(id, 'method', day, (row.handlingMethod as string | null) ?? 'none', counts);
      }
    }
    for (const row of closed) {
      for (const { id } of this.rolledNodes(row.gridPath)) add(id, 'all', dayKey(row.day), '', { closedOnDay: num(row.n) });
    }
    return cells;
  }

  /** The nodes on a report's path that get rollup rows, and whether they get the breakdowns too. */
  private rolledNodes(gridPath: string): { id: number; faceted: boolean }[] {
    const nodes: { id: number; faceted: boolean }[] = [];
    for (const part of gridPath.split('/')) {
      if (!part) continue;
      const node = this.directory.node(Number(part));
      if (node && ROLLED_LEVELS.includes(node.level)) nodes.push({ id: node.id, faceted: FACETED_LEVELS.includes(node.level) });
    }
    return nodes;
  }

  private async lockWatermark(manager: EntityManager): Promise<RollupWatermark> {
    await manager.createQueryBuilder().insert().into(RollupWatermark).values({ name: WATERMARK, upTo: null }).orIgnore().execute();
    return withLock(manager.getRepository(RollupWatermark).createQueryBuilder('w').where('w.name = :name', { name: WATERMARK }), manager).getOneOrFail();
  }

  /** The database's clock: updatedAt is written by it (CURRENT_TIMESTAMP), so the watermark is read from it too. */
  private async databaseNow(manager: EntityManager): Promise<Date> {
    if (this.dataSource.options.type === 'sqljs') {
      const [{ now }] = await manager.query("SELECT datetime('now') AS now");
      return new Date(`${String(now).replace(' ', 'T')}Z`);
    }
    const [{ now }] = await manager.query('SELECT CURRENT_TIMESTAMP(6) AS now');
    return asDate(now);
  }
}

function keyOf(row: Pick<ReportRollup, 'nodeId' | 'facet' | 'day' | 'facetKey'>): string {
  return `${row.nodeId}|${row.facet}|${row.day}|${row.facetKey}`;
}

function sameCounts(a: ReportRollup, b: ReportRollup): boolean {
  return COUNT_KEYS.every((k) => Math.abs(Number(a[k]) - Number(b[k])) <= 1e-9 * Math.max(1, Math.abs(Number(b[k]))));
}

function asDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/** A day from SQL: text `YYYY-MM-DD` (SQLite), or a DATE, which mysql2 reads as midnight UTC. */
export function dayKey(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}
