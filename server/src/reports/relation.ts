import { In, type EntityManager } from 'typeorm';
import { REPORT_RULES, type ReportRelation } from '@linli/shared';
import { householdPlace } from '../consultations/household-scope';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { HouseholdMembership } from '../residents/membership.entity';
import { communityOf } from '../ledger/community';
import type { Report } from './report.entity';

/**
 * The household through which a person is someone's neighbour: their current household where their
 * membership is verified (an Actor's `householdId`, or `verifiedHouseholds` below). Every neighbour rule
 * below goes through here; a pending request makes nobody a neighbour.
 */
function neighbourHouseholdId(person: { householdId: number | null }): number | null {
  return person.householdId;
}

/** Each user with their current household if their membership there is verified (else null), as Actor.householdId says. */
async function verifiedHouseholds(manager: EntityManager, userIds: number[]): Promise<{ id: number; householdId: number | null }[]> {
  const users = await manager.getRepository(User).find({ select: { id: true, householdId: true }, where: { id: In(userIds) } });
  const verified = await manager.getRepository(HouseholdMembership).find({ select: { userId: true, householdId: true }, where: { userId: In(userIds), status: 'verified' } });
  const ok = new Set(verified.map((m) => `${m.userId}/${m.householdId}`));
  return users.map((u) => ({ id: u.id, householdId: u.householdId !== null && ok.has(`${u.id}/${u.householdId}`) ? u.householdId : null }));
}

/** The community (its grid path) a person is a neighbour in; null without a household, so no community. */
export async function followerCommunityPath(manager: EntityManager, directory: GridDirectory, person: { householdId: number | null }): Promise<string | null> {
  const place = await householdPlace(manager, directory, neighbourHouseholdId(person));
  return place ? (communityOf(directory, place.path)?.path ?? null) : null;
}

/** Of `userIds`, those who live in the report's community (three queries, however many). */
export async function neighboursAmong(manager: EntityManager, directory: GridDirectory, report: Pick<Report, 'gridPath'>, userIds: number[]): Promise<number[]> {
  const community = communityOf(directory, report.gridPath);
  if (!community || userIds.length === 0) return [];
  const users = await verifiedHouseholds(manager, userIds);
  const householdIds = [...new Set(users.map(neighbourHouseholdId).filter((id): id is number => id !== null))];
  if (householdIds.length === 0) return [];
  const households = await manager.getRepository(Household).findBy({ id: In(householdIds) });
  const buildings = await manager.getRepository(Building).findBy({ id: In([...new Set(households.map((h) => h.buildingId))]) });
  const microgridOf = new Map(buildings.map((b) => [b.id, b.microgridId]));
  const insideHouseholds = new Set(
    households.filter((h) => directory.node(microgridOf.get(h.buildingId) ?? 0)?.path.startsWith(community.path)).map((h) => h.id),
  );
  return users.filter((u) => insideHouseholds.has(neighbourHouseholdId(u) ?? 0)).map((u) => u.id);
}

/** What the caller knows of its standing that the report row does not say. */
export interface Standing {
  isFollower: boolean;
  /** From followerCommunityPath. */
  communityPath: string | null;
}

/** How the actor stands to a report: the input of the shared state machine. */
export function relationTo(actor: Actor, report: Report, standing: Standing): ReportRelation {
  return {
    isReporter: report.reporterId === actor.userId,
    isAssignee: report.assigneeId === actor.userId,
    inAssignedDepartment:
      report.departmentId !== null && actor.departmentId === report.departmentId && actor.scopes.some((s) => s.role === 'department'),
    gridWorkerInScope: holdsRoleOver(actor, ['grid_worker'], report.gridPath),
    secretaryInScope: holdsRoleOver(actor, ['secretary'], report.gridPath),
    isFollower: standing.isFollower,
    isNeighbour: standing.communityPath !== null && report.gridPath.startsWith(standing.communityPath),
  };
}

/**
 * How much of a report the caller sees: `full` (its reporter, the staff over or on it), `neighbour`
 * (a follower living in its community: what /reports/nearby shows, see ReportViews), or nothing (404).
 */
export type ReportSight = 'full' | 'neighbour';

export function sightOf(actor: Actor, report: Report, relation: ReportRelation): ReportSight | null {
  // Content under review (or removed) shows to its reporter and its reviewers only.
  if (report.moderation !== 'clear') return relation.isReporter || relation.secretaryInScope || holdsRoleOver(actor, ['admin'], report.gridPath) ? 'full' : null;
  if (
    relation.isReporter ||
    relation.isAssignee ||
    relation.inAssignedDepartment ||
    relation.gridWorkerInScope ||
    relation.secretaryInScope ||
    holdsRoleOver(actor, ['admin'], report.gridPath)
  ) {
    return 'full';
  }
  return relation.isFollower && relation.isNeighbour ? 'neighbour' : null;
}

/** What /reports/nearby lists, and so what a neighbour may +1: open, content clear, in their community. */
export function openToNeighbours(report: Report, relation: ReportRelation): boolean {
  return report.moderation === 'clear' && relation.isNeighbour && REPORT_RULES.follow.from.includes(report.status);
}

/** The reporter shows to themself only on an anonymous report, and never to a neighbour. */
export function reporterHiddenFrom(actor: Actor, report: Report, sight: ReportSight): boolean {
  return report.reporterId !== actor.userId && (report.anonymous || sight === 'neighbour');
}
