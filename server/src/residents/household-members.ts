import { In, type DataSource } from 'typeorm';
import { maskPhone, MEMBERSHIP_RELATIONS, type HouseholdMembersView } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { forbidden, notFound } from '../platform/errors';
import { householdPathOf, personName } from './household-place';
import { householdLabels } from './membership-view';
import { HouseholdMembership } from './membership.entity';
import { VERIFIER_ROLES } from './memberships.service';

/**
 * One flat as staff over it fix it by hand after an import: its area and its current members (verified
 * and pending; owners first), each with what removing them needs (membership id and version).
 */
export async function householdMembers(dataSource: DataSource, directory: GridDirectory, actor: Actor, householdId: number): Promise<HouseholdMembersView> {
  if (!holdsRole(actor, VERIFIER_ROLES)) throw forbidden();
  const path = await householdPathOf(dataSource.manager, directory, householdId);
  // Staff of another place learn nothing about the flat, not even that it exists.
  if (!path || !holdsRoleOver(actor, VERIFIER_ROLES, path)) throw notFound('住户');
  const place = (await householdLabels(dataSource.manager, [householdId])).get(householdId)!;
  const memberships = (await dataSource.getRepository(HouseholdMembership).findBy({ householdId, status: In(['verified', 'pending']) })).sort(
    (a, b) => MEMBERSHIP_RELATIONS.indexOf(a.relation) - MEMBERSHIP_RELATIONS.indexOf(b.relation) || a.id - b.id,
  );
  const users = new Map(memberships.length ? (await dataSource.getRepository(User).findBy({ id: In(memberships.map((m) => m.userId)) })).map((u) => [u.id, u]) : []);
  return {
    household: { id: householdId, label: place.label, areaM2: place.areaM2 },
    members: memberships.flatMap((m) => {
      const user = users.get(m.userId);
      if (!user) return [];
      return [
        {
          membershipId: m.id,
          version: m.version,
          relation: m.relation,
          status: m.status,
          method: m.method,
          person: { id: user.id, name: personName(user), phoneMasked: maskPhone(user.phone), usesApp: user.openid !== null },
        },
      ];
    }),
  };
}
