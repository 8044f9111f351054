import type { MembershipRelation, StaffRole } from '@linli/shared';

/** A staff role the actor holds, with the materialized path of the node it is held on. */
export interface ActorScope {
  role: StaffRole;
  nodeId: number;
  nodePath: string;
}

/** Who is calling: loaded once per request from the token's user. */
export interface Actor {
  userId: number;
  nickname: string;
  /**
   * The household the caller acts for: their current one, and only once their membership there is
   * verified (a pending member may file reports, but neither co-signs, votes nor is counted).
   */
  householdId: number | null;
  /** How they belong to it (under a Civil Code vote only an owner casts the household's vote). */
  householdRelation: MembershipRelation | null;
  /** For department staff: their department. */
  departmentId: number | null;
  scopes: ActorScope[];
}
