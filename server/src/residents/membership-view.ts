import { In, type EntityManager } from 'typeorm';
import type { MembershipInfo } from '@linli/shared';
import { Building } from '../grids/building.entity';
import { Household, householdLabel } from '../grids/household.entity';
import type { HouseholdMembership } from './membership.entity';

export function membershipInfo(m: HouseholdMembership): MembershipInfo {
  return { id: m.id, relation: m.relation, status: m.status, method: m.method, reason: m.reason };
}

export interface HouseholdPlaceLabel {
  id: number;
  label: string;
  buildingId: number;
  microgridId: number;
  areaM2: number | null;
}

/** 3号楼 2单元 301 for each household, in two queries whatever their number. */
export async function householdLabels(manager: EntityManager, householdIds: number[]): Promise<Map<number, HouseholdPlaceLabel>> {
  const ids = [...new Set(householdIds)];
  if (ids.length === 0) return new Map();
  const households = await manager.getRepository(Household).findBy({ id: In(ids) });
  const buildings = await manager.getRepository(Building).findBy({ id: In([...new Set(households.map((h) => h.buildingId))]) });
  const byId = new Map(buildings.map((b) => [b.id, b]));
  return new Map(
    households.flatMap((h) => {
      const b = byId.get(h.buildingId);
      return b ? [[h.id, { id: h.id, label: householdLabel(b.name, h.unit, h.room), buildingId: b.id, microgridId: b.microgridId, areaM2: h.areaM2 }] as const] : [];
    }),
  );
}
