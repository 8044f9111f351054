import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, type StaffRole } from '@linli/shared';
import type { Actor } from './actor';
import { assertRoleOver, holdsRole, holdsRoleOver } from './authorize';

// A district /1/ with two streets; street /1/2/ has community /1/2/3/ with grids /1/2/3/4/ and /1/2/3/5/.
const GRID_4_MICROGRID = '/1/2/3/4/6/';
const OTHER_COMMUNITY_MICROGRID = '/1/2/10/11/12/';
const OTHER_STREET_MICROGRID = '/1/20/21/22/23/';

function actorWith(role: StaffRole, nodePath: string): Actor {
  const nodeId = Number(nodePath.split('/').filter(Boolean).pop());
  return { userId: 1, nickname: 't', householdId: null, householdRelation: null, departmentId: null, scopes: [{ role, nodeId, nodePath }] };
}

/** Where each role is typically held in the demo. */
const HELD_ON: Record<StaffRole, string> = {
  volunteer: '/1/2/3/',
  grid_worker: '/1/2/3/4/',
  secretary: '/1/2/3/',
  department: '/1/2/',
  mediator: '/1/2/3/',
  admin: '/1/',
};

describe('holdsRoleOver: a role reaches its node and the whole subtree, nothing else', () => {
  for (const role of STAFF_ROLES) {
    const actor = actorWith(role, HELD_ON[role]);

    it(`${role}: in scope on a micro-grid below the node it holds`, () => {
      expect(holdsRoleOver(actor, [role], GRID_4_MICROGRID)).toBe(true);
    });

    it(`${role}: in scope on the very node it holds`, () => {
      expect(holdsRoleOver(actor, [role], HELD_ON[role])).toBe(true);
    });

    it(`${role}: out of scope on the parent of the node it holds`, () => {
      const parent = HELD_ON[role].replace(/\d+\/$/, '');
      expect(holdsRoleOver(actor, [role], parent)).toBe(false);
    });

    it(`${role}: out of scope elsewhere in the tree (unless held at the district)`, () => {
      const expected = role === 'admin';
      expect(holdsRoleOver(actor, [role], OTHER_STREET_MICROGRID)).toBe(expected);
      expect(() => assertRoleOver(actor, [role], OTHER_STREET_MICROGRID)).toSatisfy((fn: () => void) => {
        try {
          fn();
          return expected;
        } catch (err) {
          return !expected && (err as { code?: string }).code === 'FORBIDDEN';
        }
      });
    });

    it(`${role}: another role does not stand in for it`, () => {
      const others = STAFF_ROLES.filter((r) => r !== role);
      expect(holdsRoleOver(actor, others, GRID_4_MICROGRID)).toBe(false);
    });
  }

  it('a grid worker of grid 4 does not reach grid 5 of the same community', () => {
    const actor = actorWith('grid_worker', '/1/2/3/4/');
    expect(holdsRoleOver(actor, ['grid_worker'], '/1/2/3/5/7/')).toBe(false);
  });

  it('node 1 does not reach node 12 by a string prefix accident (/1/ vs /12/)', () => {
    const actor = actorWith('secretary', '/1/2/3/');
    expect(holdsRoleOver(actor, ['secretary'], '/1/2/30/31/')).toBe(false);
  });

  it('a secretary of community C sees nothing of community D', () => {
    const actor = actorWith('secretary', '/1/2/3/');
    expect(holdsRoleOver(actor, ['secretary'], OTHER_COMMUNITY_MICROGRID)).toBe(false);
  });

  it('a resident with no staff scope holds no role anywhere', () => {
    const resident: Actor = { userId: 2, nickname: 'r', householdId: 5, householdRelation: 'owner', departmentId: null, scopes: [] };
    expect(holdsRole(resident, STAFF_ROLES)).toBe(false);
    expect(() => assertRoleOver(resident, STAFF_ROLES, GRID_4_MICROGRID)).toThrow(/权限/);
  });

  it('several scopes: any one that covers the target is enough', () => {
    const actor: Actor = {
      userId: 3,
      nickname: 'm',
      householdId: null,
      householdRelation: null,
      departmentId: null,
      scopes: [
        { role: 'grid_worker', nodeId: 5, nodePath: '/1/2/3/5/' },
        { role: 'grid_worker', nodeId: 22, nodePath: '/1/20/21/22/' },
      ],
    };
    expect(holdsRoleOver(actor, ['grid_worker'], OTHER_STREET_MICROGRID)).toBe(true);
    expect(holdsRoleOver(actor, ['grid_worker'], GRID_4_MICROGRID)).toBe(false);
  });
});
