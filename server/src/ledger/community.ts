import type { EntityManager } from 'typeorm';
import { householdPlace, type HouseholdPlace } from '../consultations/household-scope';
import type { GridDirectory } from '../grids/grid-directory';
import { pathIds } from '../grids/grid-path';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';

/** The community (社区) a node path lies in, or null above community level. */
export function communityOf(directory: GridDirectory, path: string): { id: number; path: string; name: string } | null {
  for (const id of pathIds(path)) {
    const node = directory.node(id);
    if (node?.level === 'community') return { id: node.id, path: node.path, name: node.name };
  }
  return null;
}

/** Where a user lives (household, building, micro-grid path) and their community; null without a household. */
export async function placeOfUser(
  manager: EntityManager,
  directory: GridDirectory,
  userOrHousehold: { householdId: number | null },
): Promise<(HouseholdPlace & { communityId: number | null }) | null> {
  const place = await householdPlace(manager, directory, userOrHousehold.householdId);
  if (!place) return null;
  return { ...place, communityId: communityOf(directory, place.path)?.id ?? null };
}

export async function placeOfUserId(manager: EntityManager, directory: GridDirectory, userId: number) {
  const user = await manager.getRepository(User).findOneBy({ id: userId });
  return user ? placeOfUser(manager, directory, user) : null;
}

/**
 * The communities where the actor holds one of `roles` over the whole community: the role is held on
 * the community itself or higher up (a street's secretary holds every community below). With
 * `touching`, a role held on a grid inside a community counts too (for what may be seen, not managed).
 */
export function communitiesWhereActorHolds(directory: GridDirectory, actor: Actor, roles: readonly string[], touching = false): number[] {
  const ids = new Set<number>();
  for (const scope of actor.scopes.filter((s) => roles.includes(s.role))) {
    const own = communityOf(directory, scope.nodePath);
    if (own && (touching || own.id === scope.nodeId)) ids.add(own.id);
    else if (!own) for (const id of directory.subtreeIds(scope.nodeId)) if (directory.node(id)?.level === 'community') ids.add(id);
  }
  return [...ids];
}

/** Whether the database said "duplicate key" (MySQL/MariaDB 1062, SQLite UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { errno?: number; code?: string; message?: string; driverError?: { errno?: number } };
  return e?.errno === 1062 || e?.driverError?.errno === 1062 || e?.code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}
