import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  CAPABILITY_ROLES,
  capabilityNodeIds,
  hasDisputeQueue,
  holdsCapability,
  isStaff,
  mayApplyToVolunteer,
  mayClaimTasks,
  mayFileOnBehalf,
  mayGiftHours,
  mayPostTask,
  mayPropose,
  mayRedeem,
  type Capability,
} from './capabilities';
import type { Role } from './roles';

const holder = (...roles: Role[]) => ({ roles });

/** The demo users as GET /me describes them (shared/src/demo.ts, server/src/seed/demo-community.ts). */
const DEMO = {
  resident: holder('resident'),
  volunteer: holder('resident', 'volunteer'),
  gridWorker: holder('grid_worker'),
  secretary: holder('secretary'),
  department: holder('department'),
  admin: holder('admin'),
  mediator: holder('mediator'),
};

/** Each demo user's staff functions, written out by hand from the server's checks. */
const EXPECTED: Record<keyof typeof DEMO, Capability[]> = {
  resident: [],
  volunteer: [],
  gridWorker: ['handleReports', 'fileOnBehalf', 'readDashboard', 'readGridMap', 'postAnnouncements', 'registerDisputes'],
  secretary: ['handleReports', 'fileOnBehalf', 'reviewContent', 'readDashboard', 'readGridMap', 'makeBuildingCodes', 'keepLedger', 'reviewConsultations', 'awardPoints', 'manageRewards', 'runTimebank', 'postAnnouncements', 'registerDisputes', 'coordinateDisputes', 'manageCannedReplies'],
  department: ['handleReports'],
  admin: ['handleReports', 'fileOnBehalf', 'reviewContent', 'readDashboard', 'readGridMap', 'makeBuildingCodes', 'keepLedger', 'postAnnouncements', 'registerDisputes', 'coordinateDisputes', 'manageGrids', 'manageStaff', 'manageCategories', 'manageOpen311Keys', 'manageCannedReplies'],
  // A 人民调解员 is not on the report queue: their cases open from 我的 → 矛盾调解.
  mediator: ['registerDisputes', 'mediateDisputes'],
};

describe('the capability table', () => {
  it.each(Object.keys(DEMO) as (keyof typeof DEMO)[])('%s holds exactly their staff functions', (who) => {
    expect(CAPABILITIES.filter((c) => holdsCapability(DEMO[who], c))).toEqual(EXPECTED[who]);
  });

  it('a volunteer is a resident who gives time, not staff: no 工作台, no 代居民登记, but claims tasks', () => {
    expect(isStaff(DEMO.volunteer)).toBe(false);
    expect(mayFileOnBehalf(DEMO.volunteer)).toBe(false);
    expect(mayClaimTasks(DEMO.volunteer)).toBe(true);
    expect(mayClaimTasks(DEMO.resident)).toBe(false);
    expect(CAPABILITIES.filter((c) => (CAPABILITY_ROLES[c] as readonly string[]).includes('volunteer'))).toEqual([]);
  });

  it('every staff function is reached from the 工作台 (its holders all have one), but the mediator’s, reached from 我的', () => {
    for (const capability of CAPABILITIES) {
      for (const role of CAPABILITY_ROLES[capability]) {
        if (role === 'mediator') expect(hasDisputeQueue(holder(role)), `${capability} → ${role}`).toBe(true);
        else expect(isStaff(holder(role)), `${capability} → ${role}`).toBe(true);
      }
    }
    expect(isStaff(DEMO.mediator)).toBe(false);
  });

  it('department staff only handle their queue', () => {
    expect(CAPABILITIES.filter((c) => holdsCapability(DEMO.department, c))).toEqual(['handleReports']);
  });

  it('a household is what proposing, redeeming, gifting and applying to volunteer need', () => {
    for (const may of [mayPropose, mayRedeem, mayGiftHours]) {
      expect(may(DEMO.resident)).toBe(true);
      expect(may(DEMO.volunteer)).toBe(true);
      expect(may(DEMO.secretary)).toBe(false);
      expect(may(holder('secretary', 'resident'))).toBe(true);
      expect(may(holder())).toBe(false);
    }
    expect(mayApplyToVolunteer(DEMO.resident)).toBe(true);
    expect(mayApplyToVolunteer(DEMO.volunteer)).toBe(false);
    expect(mayApplyToVolunteer(DEMO.gridWorker)).toBe(false);
  });

  it('tasks are posted by a secretary (community hours) or by a household (its own hours), by no other staff', () => {
    expect(mayPostTask(DEMO.secretary)).toBe(true);
    expect(mayPostTask(DEMO.resident)).toBe(true);
    expect(mayPostTask(DEMO.volunteer)).toBe(true);
    expect(mayPostTask(DEMO.gridWorker)).toBe(false);
    expect(mayPostTask(DEMO.department)).toBe(false);
    expect(mayPostTask(DEMO.admin)).toBe(false);
  });

  it('nobody signed in holds nothing', () => {
    expect(CAPABILITIES.some((c) => holdsCapability(null, c))).toBe(false);
    expect(mayPropose(undefined)).toBe(false);
    expect(mayClaimTasks(null)).toBe(false);
  });

  it('capabilityNodeIds: the nodes of the roles that carry it, each once', () => {
    const me = {
      scopes: [
        { role: 'grid_worker' as const, nodeId: 9 },
        { role: 'secretary' as const, nodeId: 4 },
        { role: 'volunteer' as const, nodeId: 4 },
        { role: 'admin' as const, nodeId: 1 },
        { role: 'secretary' as const, nodeId: 4 },
      ],
    };
    expect(capabilityNodeIds(me, 'readDashboard')).toEqual([9, 4, 1]);
    expect(capabilityNodeIds(me, 'makeBuildingCodes')).toEqual([4, 1]);
    expect(capabilityNodeIds(me, 'manageGrids')).toEqual([1]);
    expect(capabilityNodeIds({ scopes: [{ role: 'volunteer', nodeId: 4 }] }, 'handleReports')).toEqual([]);
  });
});
