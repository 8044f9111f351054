import type { DataSource, EntityManager } from 'typeorm';
import { DEMO_LOGINS, type CannedReplyKind } from '@linli/shared';
import { transact } from '../db/data-source';
import { SystemCounter } from '../db/system-counter.entity';
import { Building } from '../grids/building.entity';
import { BOUNDARY_COUNTER } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { Department } from '../reports/department.entity';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { CannedReplyRow } from '../reports/canned-reply.entity';
import { seedDemoDisputes } from './demo-disputes';
import { seedDemoLedgers } from './demo-ledgers';
import { ensureDemoLedger } from './demo-residents';
import { phoneColumns } from '../privacy/phone-index';
import { HouseholdMembership } from '../residents/membership.entity';
import type { FileStorage } from '../uploads/storage';
import {
  DEMO_BUILDINGS,
  DEMO_CANNED_REPLIES,
  DEMO_CATEGORIES,
  DEMO_DEPARTMENTS,
  DEMO_DEPARTMENT_MEMBERS,
  DEMO_NODES,
  DEMO_ROOMS,
  DEMO_UNITS,
  DEMO_USERS,
  boxPolygon,
} from './demo-community';

export interface SeedResult {
  created: number;
}

export interface SeedOptions {
  /** Where the demo rewards' pictures are stored (the server's uploads storage); without it they have none. */
  storage?: FileStorage;
}

/**
 * Seeds the demo community. Every row is found by its natural key (code, openid, unit + room)
 * before it is inserted, so a second run adds nothing and a half-present seed is completed.
 */
export async function seedDemo(dataSource: DataSource, options: SeedOptions = {}): Promise<SeedResult> {
  return transact(dataSource, async (manager) => {
    let created = 0;
    const nodeIds = new Map<string, number>();
    for (const node of DEMO_NODES) {
      const { id, isNew } = await ensureNode(manager, node, node.parentCode ? nodeIds.get(node.parentCode)! : null);
      nodeIds.set(node.code, id);
      created += Number(isNew);
    }
    if (created > 0) await manager.increment(SystemCounter, { name: BOUNDARY_COUNTER }, 'value', 1);

    const buildingIds = new Map<number, number>();
    for (const [index, building] of DEMO_BUILDINGS.entries()) {
      const { id, isNew } = await ensureBuilding(manager, building, nodeIds.get(building.microgridCode)!, index);
      buildingIds.set(index + 1, id);
      created += Number(isNew);
      created += await ensureHouseholds(manager, id);
    }
    // Demo users first: their flats' ledger rows are themselves; the ledger fills the other flats.
    const departmentIds = new Map<string, number>();
    for (const department of DEMO_DEPARTMENTS) {
      const { id, isNew } = await ensureDepartment(manager, department, nodeIds.get(department.nodeCode)!);
      departmentIds.set(department.code, id);
      created += Number(isNew);
    }
    created += await ensureCategories(manager, departmentIds);
    for (const user of DEMO_USERS) created += await ensureUser(manager, user, buildingIds, nodeIds, departmentIds);
    const demoOwned = new Set(DEMO_USERS.filter((u) => u.home && (u.relation ?? 'owner') === 'owner').map((u) => u.home!.join('/')));
    for (const [number, id] of buildingIds) created += await ensureDemoLedger(manager, number, id, demoOwned);
    created += await seedDemoLedgers(dataSource, manager, await ledgerPlaces(manager, nodeIds, buildingIds), options.storage);
    created += await ensureCannedReplies(manager, nodeIds.get('330199001001')!);
    created += await seedDemoDisputes(manager, DEMO_NODES.find((n) => n.level === 'community')!.code);
    return { created };
  });
}

async function ensureNode(manager: EntityManager, node: (typeof DEMO_NODES)[number], parentId: number | null) {
  const repo = manager.getRepository(GridNode);
  const existing = await repo.findOneBy({ code: node.code });
  if (existing) return { id: existing.id, isNew: false };
  const parentPath = parentId ? (await repo.findOneByOrFail({ id: parentId })).path : '/';
  const boundary = node.box ? JSON.stringify(boxPolygon(node.box)) : null;
  const saved = await repo.save(repo.create({ code: node.code, name: node.name, level: node.level, parentId, boundary, path: '' }));
  await repo.update({ id: saved.id }, { path: `${parentPath}${saved.id}/` });
  return { id: saved.id, isNew: true };
}

async function ensureBuilding(manager: EntityManager, building: (typeof DEMO_BUILDINGS)[number], microgridId: number, sortOrder: number) {
  const repo = manager.getRepository(Building);
  const existing = await repo.findOneBy({ code: building.code });
  if (existing) return { id: existing.id, isNew: false };
  const saved = await repo.save(
    repo.create({ code: building.code, name: building.name, microgridId, location: JSON.stringify(building.location), sortOrder }),
  );
  return { id: saved.id, isNew: true };
}

async function ensureHouseholds(manager: EntityManager, buildingId: number): Promise<number> {
  const repo = manager.getRepository(Household);
  const present = new Set((await repo.findBy({ buildingId })).map((h) => `${h.unit}/${h.room}`));
  const missing = DEMO_UNITS.flatMap((unit) => DEMO_ROOMS.map((room) => ({ buildingId, unit, room }))).filter(
    (h) => !present.has(`${h.unit}/${h.room}`),
  );
  if (missing.length) await repo.insert(missing);
  return missing.length;
}

async function ensureDepartment(manager: EntityManager, department: (typeof DEMO_DEPARTMENTS)[number], nodeId: number) {
  const repo = manager.getRepository(Department);
  const existing = await repo.findOneBy({ code: department.code });
  if (existing) return { id: existing.id, isNew: false };
  const saved = await repo.save(repo.create({ code: department.code, name: department.name, nodeId }));
  return { id: saved.id, isNew: true };
}

async function ensureCategories(manager: EntityManager, departmentIds: Map<string, number>): Promise<number> {
  const repo = manager.getRepository(ReportCategoryRow);
  const present = new Set((await repo.find()).map((c) => c.code));
  const missing = DEMO_CATEGORIES.filter((c) => !present.has(c.code)).map((c) => ({
    code: c.code,
    name: c.name,
    slaHours: c.slaHours,
    departmentId: c.departmentCode ? departmentIds.get(c.departmentCode)! : null,
    sortOrder: DEMO_CATEGORIES.indexOf(c),
  }));
  if (missing.length) await repo.insert(missing);
  return missing.length;
}

async function ensureCannedReplies(manager: EntityManager, communityId: number): Promise<number> {
  const repo = manager.getRepository(CannedReplyRow);
  const present = new Set((await repo.findBy({ communityId })).map((r) => `${r.kind}/${r.text}`));
  const missing = Object.entries(DEMO_CANNED_REPLIES).flatMap(([kind, texts]) =>
    texts.filter((text) => !present.has(`${kind}/${text}`)).map((text) => ({ communityId, kind: kind as CannedReplyKind, text, createdById: null })),
  );
  if (missing.length) await repo.insert(missing);
  return missing.length;
}

async function ensureUser(
  manager: EntityManager,
  demo: (typeof DEMO_USERS)[number],
  buildingIds: Map<number, number>,
  nodeIds: Map<string, number>,
  departmentIds: Map<string, number>,
): Promise<number> {
  let created = 0;
  const users = manager.getRepository(User);
  let user = await users.findOneBy({ openid: demo.openid });
  if (!user) {
    const nickname = DEMO_LOGINS.find((login) => login.openid === demo.openid)!.nickname;
    let householdId: number | null = null;
    if (demo.home) {
      const [buildingNumber, unit, room] = demo.home;
      householdId = (await manager.getRepository(Household).findOneByOrFail({ buildingId: buildingIds.get(buildingNumber)!, unit, room })).id;
    }
    const departmentCode = DEMO_DEPARTMENT_MEMBERS[demo.openid];
    const departmentId = departmentCode ? departmentIds.get(departmentCode)! : null;
    user = await users.save(users.create({ openid: demo.openid, nickname, realName: nickname, ...phoneColumns(demo.phone), householdId, departmentId }));
    created++;
    if (householdId) {
      await manager.getRepository(HouseholdMembership).insert({ householdId, userId: user.id, relation: demo.relation ?? 'owner', status: 'verified', method: 'ledger', version: 0 });
      created++;
    }
  }
  const assignments = manager.getRepository(RoleAssignment);
  for (const { role, nodeCode } of demo.roles) {
    const nodeId = nodeIds.get(nodeCode)!;
    if (await assignments.findOneBy({ userId: user.id, role, nodeId })) continue;
    await assignments.insert({ userId: user.id, role, nodeId });
    created++;
  }
  return created;
}

/** What the points and time-bank seed needs to know about the community just seeded. */
async function ledgerPlaces(manager: EntityManager, nodeIds: Map<string, number>, buildingIds: Map<number, number>) {
  const communityCode = DEMO_NODES.find((n) => n.level === 'community')!.code;
  const community = await manager.getRepository(GridNode).findOneByOrFail({ id: nodeIds.get(communityCode)! });
  const secretary = await manager.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' });
  const buildingPaths = new Map<number, { nodeId: number; path: string; location: { lat: number; lng: number } }>();
  for (const [number, id] of buildingIds) {
    const building = await manager.getRepository(Building).findOneByOrFail({ id });
    const microgrid = await manager.getRepository(GridNode).findOneByOrFail({ id: building.microgridId });
    buildingPaths.set(number, { nodeId: microgrid.id, path: microgrid.path, location: JSON.parse(building.location!) });
  }
  return { communityId: community.id, communityPath: community.path, secretaryId: secretary.id, buildingPaths };
}
