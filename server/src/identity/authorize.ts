import type { StaffRole } from '@linli/shared';
import { forbidden } from '../platform/errors';
import type { Actor } from './actor';

/**
 * The one authorisation rule for staff: a role held on a grid node reaches that node and its whole
 * subtree. `targetPath` is the materialized path (`/1/4/9/`) of the node the action concerns
 * (for a building or household: its micro-grid's path).
 */
export function holdsRoleOver(actor: Actor, roles: readonly StaffRole[], targetPath: string): boolean {
  return actor.scopes.some((scope) => roles.includes(scope.role) && targetPath.startsWith(scope.nodePath));
}

/** Throws FORBIDDEN unless the actor holds one of `roles` over `targetPath`. */
export function assertRoleOver(actor: Actor, roles: readonly StaffRole[], targetPath: string): void {
  if (!holdsRoleOver(actor, roles, targetPath)) throw forbidden();
}

/** Whether the actor holds one of `roles` anywhere (for role-only screens such as "my queue"). */
export function holdsRole(actor: Actor, roles: readonly StaffRole[]): boolean {
  return actor.scopes.some((scope) => roles.includes(scope.role));
}
