import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Brackets } from 'typeorm';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import type { User } from '../identity/user.entity';

/** The materialized path of the household's micro-grid: what staff scope checks test. */
export async function householdPathOf(manager: EntityManager, directory: GridDirectory, householdId: number): Promise<string | null> {
  const household = await manager.getRepository(Household).findOneBy({ id: householdId });
  const building = household ? await manager.getRepository(Building).findOneBy({ id: household.buildingId }) : null;
  if (!building) return null;
  await directory.ensureFresh();
  return directory.node(building.microgridId)?.path ?? null;
}

/** `SELECT h.id` of the households under any of these grid paths: a subquery for `IN (…)`. */
export function householdsUnder(manager: EntityManager, paths: string[]): SelectQueryBuilder<Household> {
  return manager
    .getRepository(Household)
    .createQueryBuilder('sh')
    .select('sh.id')
    .innerJoin(Building, 'sb', 'sb.id = sh.buildingId')
    .innerJoin(GridNode, 'sg', 'sg.id = sb.microgridId')
    .where(new Brackets((any) => paths.forEach((p, i) => any.orWhere(`sg.path LIKE :scopePath${i}`, { [`scopePath${i}`]: `${p}%` }))));
}

/** What staff call a person: the name the ledger or staff recorded, else their WeChat nickname. */
export function personName(user: Pick<User, 'realName' | 'nickname'>): string {
  return user.realName ?? user.nickname;
}
