import { In, type EntityManager } from 'typeorm';
import { REPORT_STATUS_INFO, reportStepLabel, type ReportEventAction, type StaffRole } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import { pathIds } from '../grids/grid-path';
import { RoleAssignment } from '../identity/role-assignment.entity';
import type { NotificationInput, NotificationService } from '../notifications/notification.service';
import { User } from '../identity/user.entity';
import { ReportEventRow } from './report-event.entity';
import { ReportFollower } from './report-follower.entity';
import { neighboursAmong } from './relation';
import type { Report } from './report.entity';

/** Where report notifications go: the notifications module, writing in the caller's transaction. */
export type NotificationSink = Pick<NotificationService, 'enqueue' | 'kick'>;

export const reportLink = (reportId: number) => `/packages/reports/detail/index?id=${reportId}`;

/**
 * Everyone who hears about a step of the loop, minus the person who took it. A message says which
 * report (number, the start of its description) and where it stands: no more than a follower, who
 * sees it as a neighbour, may see; and followers hear of it only while they live in its community.
 */
export async function reportAudience(manager: EntityManager, directory: GridDirectory, report: Report, action: ReportEventAction, actorId: number | null): Promise<number[]> {
  // Content not yet public is news to its reporter only; a removed report's reporter hears from moderation.
  if (report.moderation === 'removed') return [];
  if (report.moderation !== 'clear') return actorId === report.reporterId ? [] : [report.reporterId];
  const ids = new Set<number>();
  const residentFacing: ReportEventAction[] = ['accept', 'reject', 'merge', 'dispatch', 'start', 'resolve', 'feedback', 'auto_close', 'submit'];
  if (residentFacing.includes(action)) {
    ids.add(report.reporterId);
    // A report being submitted has no followers: no one else can see it before its transaction commits.
    const followers = action === 'submit' ? [] : await manager.getRepository(ReportFollower).findBy({ reportId: report.id });
    for (const id of await neighboursAmong(manager, directory, report, followers.map((f) => f.userId))) ids.add(id);
  }
  const staffFacing: ReportEventAction[] = ['submit', 'release', 'dispatch', 'supervise', 'auto_supervise', 'rate', 'follow', 'grant_extension', 'deny_extension'];
  if (staffFacing.includes(action)) {
    if (report.assigneeId) ids.add(report.assigneeId);
    if (report.departmentId) {
      for (const u of await manager.getRepository(User).findBy({ departmentId: report.departmentId })) ids.add(u.id);
    }
    if (action === 'submit' || action === 'release' || action === 'rate' || action === 'supervise') {
      for (const id of await staffOnNodes(manager, pathIds(report.gridPath), ['grid_worker'])) ids.add(id);
    }
  }
  // Handed back: whoever dispatched it (or, failing that, the grid workers over it) must dispatch again.
  if (action === 'return') {
    const dispatcher = await lastActorOf(manager, report.id, 'dispatch');
    for (const id of dispatcher !== null ? [dispatcher] : await staffOnNodes(manager, pathIds(report.gridPath), ['grid_worker'])) ids.add(id);
  }
  // 缓办: the secretaries over it decide; the decision goes back to whoever asked (besides the assignee).
  if (action === 'extend') for (const id of await staffOnNodes(manager, pathIds(report.gridPath), ['secretary'])) ids.add(id);
  if (action === 'grant_extension' || action === 'deny_extension') {
    const asker = await lastActorOf(manager, report.id, 'extend');
    if (asker !== null) ids.add(asker);
  }
  if (actorId !== null) ids.delete(actorId);
  return [...ids];
}

/** Who took the report's latest step of this kind (null: nobody, or the automatic jobs). */
async function lastActorOf(manager: EntityManager, reportId: number, action: ReportEventAction): Promise<number | null> {
  const event = await manager.getRepository(ReportEventRow).findOne({ where: { reportId, action }, order: { id: 'DESC' } });
  return event?.actorId ?? null;
}


/** Users holding any of `roles` on exactly these nodes. */
export async function staffOnNodes(manager: EntityManager, nodeIds: number[], roles: StaffRole[]): Promise<number[]> {
  if (nodeIds.length === 0) return [];
  const rows = await manager.getRepository(RoleAssignment).findBy({ nodeId: In(nodeIds), role: In(roles) });
  return [...new Set(rows.map((r) => r.userId))];
}

/**
 * The notice of one event, in the words of its timeline line (reportStepLabel): a report resolved again
 * after a reopening says 再次办结, so the reporter never gets two identical lines for two events.
 * `report` is as the event left it.
 */
export function reportMessage(report: Report, action: ReportEventAction, userId: number, eventId: number): NotificationInput {
  const status = REPORT_STATUS_INFO[report.status].label;
  const step = reportStepLabel({ action, toStatus: report.status }, report.reopenCount > 0);
  return {
    userId,
    kind: `report.${action}`,
    title: `说事${step}：${report.number}`,
    body: `${report.description.slice(0, 40)}（状态：${status}）`,
    link: reportLink(report.id),
    dedupeKey: `report-event:${eventId}`,
    subscribe: {
      templateKey: 'REPORT_STATUS',
      // A second resolution reads 再次办结 in the WeChat message too (a phrase field: at most 5 characters).
      data: { character_string1: report.number, phrase2: action === 'resolve' && report.reopenCount > 0 ? step : status, thing3: report.description.slice(0, 20) },
    },
  };
}
