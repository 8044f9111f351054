import type { EntityManager } from 'typeorm';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import type { Consultation } from './consultation.entities';

/** Where a household sits: its building and the path of its micro-grid. */
export interface HouseholdPlace {
  householdId: number;
  buildingId: number;
  microgridId: number;
  path: string;
}

export async function householdPlace(manager: EntityManager, directory: GridDirectory, householdId: number | null): Promise<HouseholdPlace | null> {
  if (!householdId) return null;
  const household = await manager.getRepository(Household).findOneBy({ id: householdId });
  const building = household ? await manager.getRepository(Building).findOneBy({ id: household.buildingId }) : null;
  const node = building ? directory.node(building.microgridId) : undefined;
  if (!household || !building || !node) return null;
  return { householdId, buildingId: building.id, microgridId: building.microgridId, path: node.path };
}

/** Only households in scope co-sign and vote. */
export function householdInScope(consultation: Pick<Consultation, 'scope' | 'buildingId' | 'scopePath'>, place: HouseholdPlace | null): boolean {
  if (!place) return false;
  return consultation.scope === 'building' ? place.buildingId === consultation.buildingId : place.path.startsWith(consultation.scopePath);
}

/** How many households may vote: the denominator of every rule. */
export async function eligibleHouseholds(manager: EntityManager, consultation: Pick<Consultation, 'scope' | 'buildingId' | 'scopePath'>): Promise<number> {
  const households = manager.getRepository(Household).createQueryBuilder('h');
  if (consultation.scope === 'building') return households.where('h.buildingId = :b', { b: consultation.buildingId }).getCount();
  return households
    .innerJoin(Building, 'b', 'b.id = h.buildingId')
    .innerJoin(GridNode, 'g', 'g.id = b.microgridId')
    .where('g.path LIKE :prefix', { prefix: `${consultation.scopePath}%` })
    .getCount();
}
