import { In, IsNull, type DataSource, type EntityManager, type ObjectLiteral, type EntityTarget } from 'typeorm';
import { LEDGER_ROLES, type LedgerImportResult } from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import { withLock } from '../db/versioned-rows';
import { Building } from '../grids/building.entity';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { fieldError, forbidden, notFound } from '../platform/errors';
import { phoneColumns, phoneHash } from '../privacy/phone-index';
import { personName } from './household-place';
import { planLedger, type LedgerPlan, type LedgerSnapshot, type SnapshotPerson } from './ledger-plan';
import type { ParsedRow } from './ledger-rows';
import { HouseholdMembership } from './membership.entity';

const LEDGER_LEVELS = ['community', 'grid', 'microgrid'];
/** IN (…) lists and multi-row INSERTs go in slices of this many. */
const SLICE = 1000;
const ACTIVE = ['verified', 'pending'];

/**
 * The ledger in: an .xlsx's rows (ledger-read.ts) planned against what is under the node
 * (ledger-plan.ts); the dry run returns the plan's outcome, the import writes it in one transaction.
 */
export class LedgerImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The node whose ledger the caller keeps: a community or below it, under the caller's secretary/admin role. */
  async ledgerNode(actor: Actor, nodeId: number): Promise<GridNodeInfo> {
    if (!holdsRole(actor, LEDGER_ROLES)) throw forbidden('只有社区书记和管理员可以导入导出台账');
    await this.directory.ensureFresh();
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!holdsRoleOver(actor, LEDGER_ROLES, node.path)) throw forbidden('只能导入导出本辖区的台账');
    if (!LEDGER_LEVELS.includes(node.level)) throw fieldError('query.nodeId', '请选择一个社区、网格或微网格的台账');
    return node;
  }

  async import(actor: Actor, nodeId: number, rows: ParsedRow[], dryRun: boolean): Promise<LedgerImportResult> {
    const node = await this.ledgerNode(actor, nodeId);
    if (dryRun) {
      const plan = planLedger(rows, await this.snapshot(this.dataSource.manager, node, rows));
      return { dryRun, ...plan.result };
    }
    const result = await transactRetrying(this.dataSource, async (manager) => {
      // One import of a community at a time: two at once would both create the same new flats and people.
      await withLock(manager.getRepository(GridNode).createQueryBuilder('n').where('n.id = :id', { id: this.communityOf(node) }), manager).getOne();
      const plan = planLedger(rows, await this.snapshot(manager, node, rows));
      await this.write(manager, plan, actor);
      return plan.result;
    });
    return { dryRun, ...result };
  }

  private communityOf(node: GridNodeInfo): number {
    const ids = node.path.split('/').filter(Boolean).map(Number);
    return ids.find((id) => this.directory.node(id)?.level === 'community') ?? node.id;
  }

  /** Everything under the node the plan compares with, in a handful of queries whatever the size. */
  async snapshot(manager: EntityManager, node: GridNodeInfo, rows: ParsedRow[]): Promise<LedgerSnapshot> {
    const microgrids = this.directory
      .subtreeIds(node.id)
      .map((id) => this.directory.node(id)!)
      .filter((n) => n.level === 'microgrid')
      .map(({ id, name, code }) => ({ id, name, code }));
    const buildings = await inSlices(microgrids.map((m) => m.id), (ids) => manager.getRepository(Building).findBy({ microgridId: In(ids) }));
    const households = await inSlices(buildings.map((b) => b.id), (ids) => manager.getRepository(Household).findBy({ buildingId: In(ids) }));
    const memberships = await inSlices(households.map((h) => h.id), (ids) => manager.getRepository(HouseholdMembership).findBy({ householdId: In(ids) }));
    const users = new Map<number, User>();
    const people = manager.getRepository(User).createQueryBuilder('u').addSelect('u.phoneHash').where('u.mergedIntoId IS NULL AND u.deletedAt IS NULL');
    const members = await inSlices([...new Set(memberships.map((m) => m.userId))], (ids) => people.clone().andWhere('u.id IN (:...ids)', { ids }).getMany());
    for (const member of members) users.set(member.id, member);
    // The sheet's phones that are not a member's already: people elsewhere (or nobody yet).
    const known = new Set(members.map((m) => m.phoneHash));
    const hashes = [...new Set(rows.flatMap((r) => (r.ok && r.value.person?.phone ? [phoneHash(r.value.person.phone)] : [])))].filter((h) => !known.has(h));
    for (const found of await inSlices(hashes, (list) => people.clone().andWhere('u.phoneHash IN (:...list)', { list }).getMany())) users.set(found.id, found);
    const here = new Set(households.map((h) => h.id));
    const elsewhere = new Set(
      (await inSlices([...users.keys()], (ids) => manager.getRepository(HouseholdMembership).findBy({ userId: In(ids), status: In(ACTIVE) })))
        .filter((m) => !here.has(m.householdId))
        .map((m) => m.userId),
    );
    return {
      importMicrogridId: node.level === 'microgrid' ? node.id : null,
      microgrids,
      buildings,
      households,
      memberships,
      people: [...users.values()].map(
        (u): SnapshotPerson => ({ id: u.id, name: personName(u), phone: u.phone, phoneHash: u.phoneHash, usesApp: u.openid !== null, belongsElsewhere: elsewhere.has(u.id) }),
      ),
      hashPhone: phoneHash,
    };
  }

  /** The plan into the database: inserts in slices, ids read back where the next insert needs them. */
  private async write(manager: EntityManager, plan: LedgerPlan, actor: Actor): Promise<void> {
    const now = this.now();
    const buildingIds = await insertReturningIds(
      manager,
      Building,
      await this.newBuildingRows(manager, plan),
    );
    const householdIds = await insertReturningIds(
      manager,
      Household,
      plan.newHouseholds.map((h) => ({ buildingId: 'id' in h.building ? h.building.id : buildingIds[h.building.newIndex], unit: h.unit, room: h.room, areaM2: h.areaM2 })),
    );
    const householdId = (ref: { id: number } | { newIndex: number }) => ('id' in ref ? ref.id : householdIds[ref.newIndex]);
    for (const update of plan.areaUpdates) await manager.getRepository(Household).update({ id: update.householdId }, { areaM2: update.areaM2 });
    const userIds = await insertReturningIds(
      manager,
      User,
      plan.newPeople.map((p) => ({ openid: null, nickname: p.name, realName: p.name, registeredById: actor.userId, householdId: householdId(p.household), ...phoneColumns(p.phone) })),
    );
    for (const update of plan.personUpdates) {
      await manager.getRepository(User).update({ id: update.userId }, { ...(update.realName ? { realName: update.realName } : {}), ...(update.phone ? phoneColumns(update.phone) : {}) });
    }
    const verified = { status: 'verified' as const, method: 'ledger' as const, reason: null, decidedById: actor.userId, decidedAt: now };
    await insertReturningIds(
      manager,
      HouseholdMembership,
      plan.newMemberships.map((m) => ({ householdId: householdId(m.household), userId: 'id' in m.person ? m.person.id : userIds[m.person.newIndex], relation: m.relation, version: 0, ...verified })),
    );
    for (const update of plan.membershipUpdates) {
      await manager.getRepository(HouseholdMembership).update({ id: update.id }, { relation: update.relation, version: update.version + 1, ...verified });
    }
    // People already in the app who had no current household act for the one the ledger gives them.
    const existing = [...new Set(plan.newMemberships.flatMap((m) => ('id' in m.person ? [{ userId: m.person.id, householdId: householdId(m.household) }] : [])))];
    for (const { userId, householdId: id } of existing) await manager.getRepository(User).update({ id: userId, householdId: IsNull() }, { householdId: id });
  }

  /** A new building's code: its micro-grid's code and the next free number there (3301…-M01-B03). */
  private async newBuildingRows(manager: EntityManager, plan: LedgerPlan) {
    if (plan.newBuildings.length === 0) return [];
    const microgridIds = [...new Set(plan.newBuildings.map((b) => b.microgridId))];
    const present = await manager.getRepository(Building).findBy({ microgridId: In(microgridIds) });
    const codes = new Set(present.map((b) => b.code));
    const order = new Map<number, number>();
    for (const b of present) order.set(b.microgridId, Math.max(order.get(b.microgridId) ?? 0, b.sortOrder + 1));
    return plan.newBuildings.map((b) => {
      const microgrid = this.directory.node(b.microgridId)!;
      let n = present.filter((p) => p.microgridId === b.microgridId).length + 1;
      while (codes.has(buildingCode(microgrid.code, n))) n++;
      const code = buildingCode(microgrid.code, n);
      codes.add(code);
      const sortOrder = order.get(b.microgridId) ?? 0;
      order.set(b.microgridId, sortOrder + 1);
      return { microgridId: b.microgridId, name: b.name, code, location: null, sortOrder };
    });
  }
}

const buildingCode = (microgridCode: string, n: number) => `${microgridCode}-B${String(n).padStart(2, '0')}`.slice(0, 64);

/** `find` over a long id list, a slice at a time. */
async function inSlices<K, T>(keys: K[], find: (slice: K[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += SLICE) out.push(...(await find(keys.slice(i, i + SLICE))));
  return out;
}

/**
 * Multi-row INSERTs, and each row's new id in order. MySQL/MariaDB hand out consecutive ids to one
 * multi-row INSERT (`insertId` is the first; TypeORM relies on the same), so nothing is read back;
 * sql.js reports only the last id of a multi-row INSERT, so there rows go one by one.
 */
async function insertReturningIds<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[]): Promise<number[]> {
  const ids: number[] = [];
  if (manager.connection.options.type === 'sqljs') {
    for (const row of rows) ids.push(Number((await manager.getRepository(entity).insert(row as never)).identifiers[0].id));
    return ids;
  }
  for (let i = 0; i < rows.length; i += SLICE) {
    const slice = rows.slice(i, i + SLICE);
    const result = await manager.createQueryBuilder().insert().into(entity).values(slice as never).updateEntity(false).execute();
    const first = Number((result.raw as { insertId: number }).insertId);
    ids.push(...slice.map((_, n) => first + n));
  }
  return ids;
}
