import type { EntityManager } from 'typeorm';
import type { ModerationSubjectHandler } from '../moderation/moderation.service';
import { ReportEventRow } from './report-event.entity';
import { reportLink } from './report-notifications';
import type { Report } from './report.entity';
import { Report as ReportRow } from './report.entity';

interface ReportWriter {
  lockReport(manager: EntityManager, id: number): Promise<Report>;
  saveIfUnchanged(manager: EntityManager, report: Report, loadedVersion: number): Promise<void>;
  recordEvent(manager: EntityManager, report: Report, action: 'release' | 'reject', actorId: number | null, from: Report['status'] | null, to: Report['status'] | null, note: string | null, photos: string[]): Promise<unknown>;
}

/**
 * What a moderation decision does to a report: released, it enters the grid workers' queue (they
 * hear of it then, not at submission); removed, it is rejected with the reviewer's reason, through
 * the same event line as any rejection.
 */
export function reportModerationHandler(reports: ReportWriter): ModerationSubjectHandler {
  return {
    async setState(manager, id, state) {
      // A new version: who sees the report, and its actions, change with its state (report-freshness.ts).
      await manager.getRepository(ReportRow).update({ id }, { moderation: state, version: () => 'version + 1' });
    },
    link: (id) => reportLink(id),
    async released(manager, id, reviewerId) {
      const report = await reports.lockReport(manager, id);
      await reports.recordEvent(manager, report, 'release', reviewerId, null, null, reviewerId ? null : '图片检测通过', []);
    },
    async removed(manager, id, reviewerId, reason) {
      const report = await reports.lockReport(manager, id);
      if (report.status !== 'submitted') return; // held reports cannot move; kept for safety
      const loadedVersion = report.version;
      report.status = 'rejected';
      report.closedAt = new Date();
      report.version = loadedVersion + 1;
      await reports.saveIfUnchanged(manager, report, loadedVersion);
      await reports.recordEvent(manager, report, 'reject', reviewerId, 'submitted', 'rejected', `内容未通过审核：${reason}`, []);
    },
  };
}

/** A rating's comment: the rating counts at once (it moves the loop); only its words wait for review. */
export const ratingModerationHandler: ModerationSubjectHandler = {
  async setState(manager, eventId, state) {
    await manager.getRepository(ReportEventRow).update({ id: eventId }, { moderation: state });
    // The comment shows, or shows masked, on the report's page: the report takes a new version (report-freshness.ts).
    const event = await manager.getRepository(ReportEventRow).findOne({ select: { id: true, reportId: true }, where: { id: eventId } });
    if (event) await manager.getRepository(ReportRow).update({ id: event.reportId }, { version: () => 'version + 1' });
  },
  link: (_eventId, reportId) => reportLink(reportId!),
};
