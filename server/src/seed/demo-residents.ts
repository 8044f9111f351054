import type { EntityManager } from 'typeorm';
import type { MembershipRelation } from '@linli/shared';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { phoneColumns } from '../privacy/phone-index';
import { HouseholdMembership } from '../residents/membership.entity';
import { DEMO_ROOMS, DEMO_UNITS } from './demo-community';

/**
 * The community's ledger (台账) as the demo knows it: each flat's floor area, and a verified owner for
 * every flat — the demo users for theirs, and people without WeChat elsewhere (as a ledger import makes
 * them), with a family member in every third flat. Deterministic, so the e2e tests can name them.
 */
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['建国', '淑芬', '秀兰', '国华', '丽华', '志强', '桂英', '明', '玉梅', '海燕', '德明', '红梅', '卫东', '春花', '永红', '金凤', '文杰', '雪梅'];

/** 专有部分建筑面积: the x01 flats are the smaller layout; a little more each building (they were built later). */
export function demoAreaM2(buildingNumber: number, room: string): number {
  const base = room.endsWith('1') ? 89.56 : 126.83;
  return Math.round((base + buildingNumber * 0.75) * 100) / 100;
}

export interface DemoLedgerPerson {
  name: string;
  phone: string;
  relation: MembershipRelation;
}

/** The ledger's people of one flat (empty where a demo user is its owner). */
export function demoLedgerPeople(buildingNumber: number, unit: string, room: string, ownedByDemoUser: boolean): DemoLedgerPerson[] {
  if (ownedByDemoUser) return [];
  const index = (buildingNumber - 1) * DEMO_UNITS.length * DEMO_ROOMS.length + DEMO_UNITS.indexOf(unit) * DEMO_ROOMS.length + DEMO_ROOMS.indexOf(room);
  const surname = SURNAMES[index % SURNAMES.length];
  const people: DemoLedgerPerson[] = [{ name: surname + GIVEN[index % GIVEN.length], phone: `1390571${String(index).padStart(4, '0')}`, relation: 'owner' }];
  if (index % 3 === 0) people.push({ name: SURNAMES[(index + 7) % SURNAMES.length] + GIVEN[(index + 5) % GIVEN.length], phone: `1370571${String(index).padStart(4, '0')}`, relation: 'family' });
  return people;
}

/** Areas where unknown, and the ledger's people of flats that have no member yet. Returns rows created. */
export async function ensureDemoLedger(manager: EntityManager, buildingNumber: number, buildingId: number, demoOwned: Set<string>): Promise<number> {
  const households = await manager.getRepository(Household).findBy({ buildingId });
  for (const h of households) {
    if (h.areaM2 === null) await manager.getRepository(Household).update({ id: h.id }, { areaM2: demoAreaM2(buildingNumber, h.room) });
  }
  // A flat whose ledger people exist already (people without WeChat) is left as it is.
  const withLedgerPeople = new Set(
    (
      await manager
        .getRepository(HouseholdMembership)
        .createQueryBuilder('m')
        .innerJoin(User, 'u', 'u.id = m.userId AND u.openid IS NULL')
        .where('m.householdId IN (:...ids)', { ids: households.map((h) => h.id) })
        .getMany()
    ).map((m) => m.householdId),
  );
  let created = 0;
  for (const h of households) {
    if (withLedgerPeople.has(h.id)) continue;
    for (const person of demoLedgerPeople(buildingNumber, h.unit, h.room, demoOwned.has(`${buildingNumber}/${h.unit}/${h.room}`))) {
      const user = await manager.getRepository(User).save(
        manager.getRepository(User).create({ openid: null, nickname: person.name, realName: person.name, householdId: h.id, ...phoneColumns(person.phone) }),
      );
      await manager.getRepository(HouseholdMembership).insert({ householdId: h.id, userId: user.id, relation: person.relation, status: 'verified', method: 'ledger', version: 0 });
      created += 2;
    }
  }
  return created;
}
