import { In, type EntityManager } from 'typeorm';
import {
  availableClaimActions,
  availableTaskActions,
  claimFlags,
  POINTS_PER_VOLUNTEER_HOUR,
  toHours,
  type ClaimRelation,
  type TimebankClaim,
  type TimebankTask,
  type VolunteerApplication,
} from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { HouseholdMembership } from '../residents/membership.entity';
import { roundedAttendance } from './attendance';
import { TimebankClaimRow, TimebankTaskRow, type VolunteerApplicationRow } from './timebank.entities';

/** How the caller stands to a claim, at `now`: drives both the checks and the actions shown. */
export function claimRelation(actor: Actor, task: TimebankTaskRow, claim: TimebankClaimRow, now: Date, checkInOpensMs: number): ClaimRelation {
  const isVolunteer = claim.userId === actor.userId;
  const start = new Date(task.startAt).getTime();
  const end = new Date(task.endAt).getTime();
  return {
    isVolunteer,
    isManager: !isVolunteer && isTaskManager(actor, task),
    beforeStart: now.getTime() < start,
    checkInOpen: now.getTime() >= start - checkInOpensMs && now.getTime() <= end,
  };
}

/** Those of `others` who are verified members of a household `userId` is a verified member of. */
export async function familyOf(manager: EntityManager, userId: number, others: number[]): Promise<Set<number>> {
  if (!others.length) return new Set();
  const memberships = manager.getRepository(HouseholdMembership);
  const homes = (await memberships.findBy({ userId, status: 'verified' })).map((m) => m.householdId);
  if (!homes.length) return new Set();
  const relatives = await memberships.findBy({ userId: In([...new Set(others)]), householdId: In(homes), status: 'verified' });
  return new Set(relatives.map((m) => m.userId));
}

/** The poster, or a secretary over the task's place. */
export function isTaskManager(actor: Actor, task: TimebankTaskRow): boolean {
  return task.posterId === actor.userId || holdsRoleOver(actor, ['secretary'], task.scopePath);
}

export class TimebankViews {
  constructor(
    private readonly directory: GridDirectory,
    /** TIMEBANK_CHECK_IN_OPENS_MINUTES, in ms. */
    readonly checkInOpensMs: number,
  ) {}

  async tasks(manager: EntityManager, actor: Actor, rows: TimebankTaskRow[], now: Date, origin?: { lat: number; lng: number }): Promise<TimebankTask[]> {
    if (!rows.length) return [];
    const nicknames = await this.nicknames(manager, rows.map((t) => t.posterId));
    const mine = await manager.getRepository(TimebankClaimRow).findBy({ taskId: In(rows.map((t) => t.id)), userId: actor.userId });
    const myClaim = new Map(mine.map((c) => [c.taskId, c]));
    const toConfirm = await this.waitingForConfirmation(manager, rows.filter((t) => isTaskManager(actor, t)).map((t) => t.id));
    const family = await familyOf(manager, actor.userId, rows.filter((t) => t.fundedBy === 'community').map((t) => t.posterId));
    return rows.map((t) => {
      const claim = myClaim.get(t.id);
      const hasClaim = !!claim && claim.status !== 'cancelled';
      return {
        id: t.id,
        title: t.title,
        description: t.description,
        status: t.status,
        version: t.version,
        communityId: t.communityId,
        scopeNodeId: t.scopeNodeId,
        scopeName: this.directory.node(t.scopeNodeId)?.name ?? '',
        startAt: iso(t.startAt)!,
        endAt: iso(t.endAt)!,
        hours: toHours(t.minutes),
        capacity: t.capacity,
        claimed: t.claimed,
        fundedBy: t.fundedBy,
        declineReason: t.declineReason ?? null,
        poster: { id: t.posterId, nickname: nicknames.get(t.posterId) ?? '' },
        location: t.lat !== null && t.lng !== null ? { lat: t.lat, lng: t.lng, address: t.address } : null,
        distanceMeters: origin && t.lat !== null && t.lng !== null ? Math.round(distanceMeters(origin, { lat: t.lat, lng: t.lng })) : null,
        myClaim: claim ? { id: claim.id, status: claim.status } : null,
        actions: availableTaskActions(t.status, {
          volunteerInScope: holdsRoleOver(actor, ['volunteer'], t.scopePath),
          isPoster: t.posterId === actor.userId,
          posterFamilyOnCommunityHours: t.fundedBy === 'community' && family.has(t.posterId),
          secretaryInScope: holdsRoleOver(actor, ['secretary'], t.scopePath),
          hasClaim,
          full: t.claimed >= t.capacity,
          beforeStart: now.getTime() < new Date(t.startAt).getTime(),
        }),
        checkInOpensAt: new Date(new Date(t.startAt).getTime() - this.checkInOpensMs).toISOString(),
        toConfirm: isTaskManager(actor, t) ? (toConfirm.get(t.id) ?? 0) : null,
        createdAt: iso(t.createdAt)!,
      };
    });
  }

  async claims(manager: EntityManager, actor: Actor, rows: TimebankClaimRow[], now: Date, tasks?: TimebankTaskRow[]): Promise<TimebankClaim[]> {
    if (!rows.length) return [];
    const taskRows = tasks ?? (await manager.getRepository(TimebankTaskRow).findBy({ id: In([...new Set(rows.map((c) => c.taskId))]) }));
    const taskById = new Map(taskRows.map((t) => [t.id, t]));
    const nicknames = await this.nicknames(manager, rows.map((c) => c.userId));
    return rows.map((c) => {
      const task = taskById.get(c.taskId)!;
      const place = task.lat !== null && task.lng !== null ? { lat: task.lat, lng: task.lng } : null;
      const away = (lat: number | null, lng: number | null) => (place && lat !== null && lng !== null ? Math.round(distanceMeters(place, { lat, lng })) : null);
      const checkInDistanceMeters = c.checkedInAt ? away(c.checkInLat, c.checkInLng) : null;
      const checkOutDistanceMeters = c.checkedOutAt ? away(c.checkOutLat, c.checkOutLng) : null;
      const attended = roundedAttendance(task, c);
      // Claims confirmed before attendance was measured were credited the task's hours and their points.
      const confirmed = c.status === 'confirmed';
      const credited = c.creditedMinutes ?? (confirmed ? task.minutes : null);
      return {
        id: c.id,
        taskId: c.taskId,
        task: { id: task.id, title: task.title, startAt: iso(task.startAt)!, endAt: iso(task.endAt)!, status: task.status },
        volunteer: { id: c.userId, nickname: nicknames.get(c.userId) ?? '' },
        status: c.status,
        version: c.version,
        hours: toHours(task.minutes),
        attendedHours: attended === null ? null : toHours(attended),
        creditedHours: credited === null ? null : toHours(credited),
        adjustReason: c.adjustReason,
        points: c.points ?? (confirmed ? Math.floor((task.minutes * POINTS_PER_VOLUNTEER_HOUR) / 60) : null),
        flags: claimFlags({
          taskMinutes: task.minutes,
          hasPlace: place !== null,
          checkedIn: c.checkedInAt !== null,
          checkedOut: c.checkedOutAt !== null,
          attendedMinutes: attended,
          checkInDistanceMeters,
          checkOutDistanceMeters,
        }),
        checkInDistanceMeters,
        checkOutDistanceMeters,
        checkedInAt: iso(c.checkedInAt),
        checkedOutAt: iso(c.checkedOutAt),
        checkInLocation: c.checkInLat !== null && c.checkInLng !== null ? { lat: c.checkInLat, lng: c.checkInLng } : null,
        checkOutLocation: c.checkOutLat !== null && c.checkOutLng !== null ? { lat: c.checkOutLat, lng: c.checkOutLng } : null,
        settledAt: iso(c.settledAt),
        createdAt: iso(c.createdAt)!,
        actions: availableClaimActions(c.status, claimRelation(actor, task, c, now, this.checkInOpensMs)),
      };
    });
  }

  async applications(manager: EntityManager, rows: VolunteerApplicationRow[]): Promise<VolunteerApplication[]> {
    const nicknames = await this.nicknames(manager, rows.map((a) => a.userId));
    return rows.map((a) => ({
      userId: a.userId,
      nickname: nicknames.get(a.userId) ?? '',
      communityId: a.communityId,
      status: a.status,
      note: a.note,
      createdAt: iso(a.createdAt)!,
      decidedAt: iso(a.decidedAt),
    }));
  }

  /** Claims checked in or out per task, for the tasks the caller manages. */
  private async waitingForConfirmation(manager: EntityManager, taskIds: number[]): Promise<Map<number, number>> {
    if (!taskIds.length) return new Map();
    const rows: { taskId: number; waiting: number }[] = await manager
      .getRepository(TimebankClaimRow)
      .createQueryBuilder('c')
      .select('c.taskId', 'taskId')
      .addSelect('COUNT(*)', 'waiting')
      .where('c.taskId IN (:...taskIds) AND c.status IN (:...statuses)', { taskIds, statuses: ['checked_in', 'checked_out'] })
      .groupBy('c.taskId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.taskId), Number(r.waiting)]));
  }

  private async nicknames(manager: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const users = await manager.getRepository(User).findBy({ id: In(unique) });
    return new Map(users.map((u) => [u.id, u.nickname]));
  }
}

/** Great-circle distance; GCJ-02 offsets are the same for both points nearby, so they cancel out. */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function iso(d: Date | null): string | null {
  return d ? new Date(d).toISOString() : null;
}
