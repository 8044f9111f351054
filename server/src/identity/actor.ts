import type { StaffRole } from '@linli/shared';

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
  householdId: number | null;
  /** For department staff: their department. */
  departmentId: number | null;
  scopes: ActorScope[];
}
