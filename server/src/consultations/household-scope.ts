import type { EntityManager } from 'typeorm';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { Consultation as ConsultationEntity, type Consultation } from './consultation.entities';

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

/** The denominator of every rule: the scope's households (whether or not anyone there uses the app) and their area. */
export interface ScopeFigures {
  households: number;
  /** 专有部分面积 in hundredths of m²; a household without one adds nothing */
  area: number;
  /** households without a recorded area: a civil_code_* rule cannot be held over them */
  withoutArea: number;
}

/** Counted in the database, in one query; areas summed as whole hundredths (exact on MariaDB and sql.js alike). */
export async function scopeFigures(manager: EntityManager, consultation: Pick<Consultation, 'scope' | 'buildingId' | 'scopePath'>): Promise<ScopeFigures> {
  const households = manager
    .getRepository(Household)
    .createQueryBuilder('h')
    .select('COUNT(*)', 'households')
    .addSelect('SUM(ROUND(h.areaM2 * 100))', 'area')
    .addSelect('SUM(CASE WHEN h.areaM2 IS NULL THEN 1 ELSE 0 END)', 'withoutArea');
  if (consultation.scope === 'building') households.where('h.buildingId = :b', { b: consultation.buildingId });
  else {
    households
      .innerJoin(Building, 'b', 'b.id = h.buildingId')
      .innerJoin(GridNode, 'g', 'g.id = b.microgridId')
      .where('g.path LIKE :prefix', { prefix: `${consultation.scopePath}%` });
  }
  const row: { households: unknown; area: unknown; withoutArea: unknown } | undefined = await households.getRawOne();
  const whole = (value: unknown) => Math.round(Number(value ?? 0));
  return { households: whole(row?.households), area: whole(row?.area), withoutArea: whole(row?.withoutArea) };
}

/**
 * A Civil Code vote open over this household: its floor area is one of the vote's two measures, so it
 * may not change while the vote runs (the ledger is fixed before a vote opens, as communities do).
 */
export async function openCivilCodeVoteOver(manager: EntityManager, place: HouseholdPlace): Promise<Consultation | null> {
  const open = await manager
    .getRepository(ConsultationEntity)
    .createQueryBuilder('c')
    .where('c.status = :discussing', { discussing: 'discussing' })
    .andWhere('c.rule IN (:...rules)', { rules: ['civil_code_general', 'civil_code_major'] })
    .getMany();
  return open.find((c) => householdInScope(c, place)) ?? null;
}
