import type { DataSource } from 'typeorm';
import { clearOnWrites } from '../db/clear-on-write';
import type { Actor } from './actor';
import { RoleAssignment } from './role-assignment.entity';
import { User } from './user.entity';
import { HouseholdMembership } from '../residents/membership.entity';

/** How long an instance trusts a loaded actor (user + roles) before it reads them again. */
export const ACTOR_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 20_000;

/**
 * Every authenticated request needs its actor: the user (deleted? household, department) and the
 * staff roles on grid nodes — two queries each time. This keeps them per user for a few seconds.
 *
 * Staying right:
 * - Any write to `users`, `role_assignments` or `household_memberships` through TypeORM in THIS process (role given or taken,
 *   household bound, account deleted, volunteer approved, login) empties the cache at once, and again
 *   when the transaction that made it commits (a request reading in between could otherwise keep
 *   what the transaction is about to replace).
 * - A load that started before such a write is not kept (the generation moved on meanwhile).
 * - Writes made by OTHER instances are not seen here until the entry expires: with several instances
 *   behind a load balancer, a role taken away or an account deleted elsewhere still works on this
 *   one for at most ACTOR_CACHE_TTL_MS. That is the price; tokens are checked on every request.
 */
export class ActorCache {
  private readonly entries = new Map<number, { actor: Actor; expiresAt: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs = ACTOR_CACHE_TTL_MS,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async get(userId: number, load: () => Promise<Actor>): Promise<Actor> {
    const hit = this.entries.get(userId);
    if (hit && hit.expiresAt > this.clock()) return hit.actor;
    const generation = this.generation;
    const actor = freeze(await load());
    if (this.ttlMs > 0 && generation === this.generation) {
      this.entries.delete(userId); // re-inserted last: the oldest entries are evicted first
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(userId, { actor, expiresAt: this.clock() + this.ttlMs });
    }
    return actor;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Empties the cache whenever this process writes users or role assignments (see above). */
  watch(dataSource: DataSource): void {
    clearOnWrites(dataSource, [User, RoleAssignment, HouseholdMembership], () => this.clear());
  }
}

/** One actor object serves many requests at once: nobody may change it. */
function freeze(actor: Actor): Actor {
  for (const scope of actor.scopes) Object.freeze(scope);
  Object.freeze(actor.scopes);
  return Object.freeze(actor);
}
