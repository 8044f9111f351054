import type { ReportRelation } from '@linli/shared';
import type { Actor } from '../identity/actor';
import { holdsRoleOver } from '../identity/authorize';
import type { Report } from './report.entity';

/** How the actor stands to a report: the input of the shared state machine. */
export function relationTo(actor: Actor, report: Report, isFollower: boolean): ReportRelation {
  return {
    isReporter: report.reporterId === actor.userId,
    isAssignee: report.assigneeId === actor.userId,
    inAssignedDepartment:
      report.departmentId !== null && actor.departmentId === report.departmentId && actor.scopes.some((s) => s.role === 'department'),
    gridWorkerInScope: holdsRoleOver(actor, ['grid_worker'], report.gridPath),
    secretaryInScope: holdsRoleOver(actor, ['secretary'], report.gridPath),
    isFollower,
  };
}

/** Who may read a report at all; anyone else gets 404, as if it did not exist. */
export function canSeeReport(actor: Actor, report: Report, relation: ReportRelation): boolean {
  // Content under review (or removed) shows to its reporter and its reviewers only.
  if (report.moderation !== 'clear') return relation.isReporter || relation.secretaryInScope || holdsRoleOver(actor, ['admin'], report.gridPath);
  return (
    relation.isReporter ||
    relation.isAssignee ||
    relation.inAssignedDepartment ||
    relation.gridWorkerInScope ||
    relation.secretaryInScope ||
    relation.isFollower ||
    holdsRoleOver(actor, ['admin'], report.gridPath)
  );
}

/** Anonymous reports hide the reporter from everyone but the reporter. */
export function reporterHiddenFrom(actor: Actor, report: Report): boolean {
  return report.anonymous && report.reporterId !== actor.userId;
}
