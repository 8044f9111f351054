import { In, IsNull, LessThan, Or, type DataSource } from 'typeorm';
import { AUTO_CLOSE_DAYS, SUPERVISABLE_STATUSES } from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import type { GridDirectory } from '../grids/grid-directory';
import { pathIds } from '../grids/grid-path';
import { reportLink, staffOnNodes, type NotificationSink } from './report-notifications';
import { Report } from './report.entity';
import type { ReportsService } from './reports.service';
import type { PointsAwarder } from '../points/points.service';

export interface SweepResult {
  escalated: number;
  autoClosed: number;
}

/**
 * The automatic side of the loop:
 * - a report past its due time is supervised (督办) once per period, one grid level further up each time;
 *   an approved extension (缓办) moved its due time, so it waits until then; a secretary's 督办时限
 *   (supervisionDueAt) replaces the due time for this clock: it waits until that, and runs past it;
 * - a resolved report nobody rated for 7 days closes by itself.
 * Safe with several server instances sweeping at once: each report is changed with a version-checked
 * UPDATE, so of two instances picking the same report exactly one wins and the other moves on.
 */
export class ReportSweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly reports: ReportsService,
    private readonly notifications: NotificationSink,
    private readonly options: { escalationPeriodMs: number; batchSize?: number } = { escalationPeriodMs: 24 * 3600_000 },
    /** Civility points: a report closed by itself counts as closed valid for its reporter. */
    private readonly points?: PointsAwarder,
  ) {}

  async sweep(now = new Date()): Promise<SweepResult> {
    const result = { escalated: await this.escalateOverdue(now), autoClosed: await this.autoClose(now) };
    if (result.escalated || result.autoClosed) this.notifications.kick();
    return result;
  }

  async escalateOverdue(now: Date): Promise<number> {
    await this.directory.ensureFresh();
    const periodAgo = new Date(now.getTime() - this.options.escalationPeriodMs);
    let escalated = 0;
    for (;;) {
      const notLately = { status: In(SUPERVISABLE_STATUSES), lastEscalatedAt: Or(IsNull(), LessThan(periodAgo)) };
      const due = await this.dataSource.getRepository(Report).find({
        where: [
          { ...notLately, dueAt: LessThan(now), supervisionDueAt: IsNull() },
          { ...notLately, supervisionDueAt: LessThan(now) },
        ],
        order: { dueAt: 'ASC' },
        take: this.options.batchSize ?? 500,
      });
      if (due.length === 0) return escalated;
      let won = 0;
      for (const report of due) won += Number(await this.escalate(report, now));
      escalated += won;
      // Every candidate of this batch was taken by another instance: the rest will be too, or next sweep.
      if (won === 0) return escalated;
    }
  }

  private async escalate(report: Report, now: Date): Promise<boolean> {
    return transactRetrying(this.dataSource, async (manager) => {
      const loadedVersion = report.version;
      const level = report.escalationLevel + 1;
      const result = await manager
        .getRepository(Report)
        .update({ id: report.id, version: loadedVersion }, { escalationLevel: level, lastEscalatedAt: now, version: loadedVersion + 1 });
      if (!result.affected) return false;
      const updated = { ...report, escalationLevel: level, lastEscalatedAt: now, version: loadedVersion + 1 } as Report;
      const target = this.levelUp(report.gridPath, level);
      await this.reports.recordEvent(manager, updated, 'auto_supervise', null, null, null, `超过办结时限，第 ${level} 次督办，已报 ${target.name}`, []);
      const staff = await staffOnNodes(manager, [target.id], ['grid_worker', 'secretary', 'admin']);
      await this.notifications.enqueue(
        manager,
        staff.map((userId) => ({
          userId,
          kind: 'report.escalated',
          title: `超期督办：${report.number}`,
          body: `${report.description.slice(0, 40)}（第 ${level} 次督办）`,
          link: reportLink(report.id),
          dedupeKey: `report-escalation:${report.id}:${level}`,
        })),
      );
      return true;
    });
  }

  /** The node `level` steps above the report's own, stopping at the top of the tree. */
  private levelUp(gridPath: string, level: number) {
    const ids = pathIds(gridPath);
    const id = ids[Math.max(0, ids.length - 1 - level)];
    return this.directory.node(id) ?? { id, name: '上级' };
  }

  async autoClose(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - AUTO_CLOSE_DAYS * 24 * 3600_000);
    const stale = await this.dataSource.getRepository(Report).find({ where: { status: 'resolved', resolvedAt: LessThan(cutoff) }, take: 500 });
    let closed = 0;
    for (const report of stale) {
      closed += Number(
        await transactRetrying(this.dataSource, async (manager) => {
          const loadedVersion = report.version;
          const result = await manager
            .getRepository(Report)
            .update({ id: report.id, version: loadedVersion, status: 'resolved' }, { status: 'closed', closedAt: now, version: loadedVersion + 1 });
          if (!result.affected) return false;
          const updated = { ...report, status: 'closed', closedAt: now, version: loadedVersion + 1 } as Report;
          await this.reports.recordEvent(manager, updated, 'auto_close', null, 'resolved', 'closed', `${AUTO_CLOSE_DAYS} 天未评价，自动办结`, []);
          await this.points?.award(manager, { userId: report.reporterId, rule: 'report_closed', sourceKey: report.id, path: report.gridPath });
          return true;
        }),
      );
    }
    return closed;
  }
}
