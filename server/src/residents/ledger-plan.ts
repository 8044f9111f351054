import { maskPhone, MEMBERSHIP_RELATION_LABELS, type LedgerChange, type LedgerImportResult, type MembershipRelation, type MembershipStatus } from '@linli/shared';
import { householdLabel } from '../grids/household.entity';
import type { LedgerRow, ParsedRow } from './ledger-rows';

/* ───────────── what is there now, under the import's node ───────────── */

export interface SnapshotMicrogrid {
  id: number;
  name: string;
  code: string;
}
export interface SnapshotBuilding {
  id: number;
  microgridId: number;
  name: string;
}
export interface SnapshotHousehold {
  id: number;
  buildingId: number;
  unit: string;
  room: string;
  areaM2: number | null;
}
export interface SnapshotMembership {
  id: number;
  householdId: number;
  userId: number;
  relation: MembershipRelation;
  status: MembershipStatus;
  version: number;
}
export interface SnapshotPerson {
  id: number;
  /** what staff call them (personName) */
  name: string;
  phone: string | null;
  phoneHash: string | null;
  usesApp: boolean;
  /** an active membership outside the import's node: their name and phone are not this import's to change */
  belongsElsewhere: boolean;
}

export interface LedgerSnapshot {
  /** the node itself when it is a micro-grid: a new building goes there without a 微网格 column */
  importMicrogridId: number | null;
  microgrids: SnapshotMicrogrid[];
  buildings: SnapshotBuilding[];
  households: SnapshotHousehold[];
  /** every membership (any status) of those households */
  memberships: SnapshotMembership[];
  /** the members of those households and everyone whose phone the sheet lists */
  people: SnapshotPerson[];
  /** `phoneHash` of a normalised phone */
  hashPhone: (phone: string) => string;
}

/* ───────────── what the import will do ───────────── */

export type BuildingRef = { id: number } | { newIndex: number };
export type HouseholdRef = { id: number } | { newIndex: number };
export type PersonRef = { id: number } | { newIndex: number };

export interface LedgerPlan {
  result: Omit<LedgerImportResult, 'dryRun'>;
  newBuildings: { microgridId: number; name: string }[];
  newHouseholds: { building: BuildingRef; unit: string; room: string; areaM2: number | null }[];
  areaUpdates: { householdId: number; areaM2: number }[];
  newPeople: { name: string; phone: string | null; household: HouseholdRef }[];
  personUpdates: { userId: number; realName?: string; phone?: string }[];
  newMemberships: { household: HouseholdRef; person: PersonRef; relation: MembershipRelation }[];
  /** re-verified (pending, rejected or removed before) or a changed relation */
  membershipUpdates: { id: number; relation: MembershipRelation; version: number }[];
}

const MAX_CHANGES = 500;
const ACTIVE: MembershipStatus[] = ['verified', 'pending'];

interface FlatState {
  key: string;
  building: BuildingRef;
  ref: HouseholdRef;
  label: string;
  existing: SnapshotHousehold | null;
  /** the area the sheet gives, and on which row */
  area: { value: number; row: number } | null;
  emptyRow: number | null;
  /** person key (user id, new index, name) → the row that listed them */
  people: Map<string, number>;
}

/**
 * The ledger's rows against what is there: which buildings, flats, people and memberships to create or
 * change, each row's outcome, and the reasons rows are skipped. Pure: the dry run and the import run
 * the same plan; the import writes it (ledger-import.service.ts).
 *
 * A person is matched by phone first (anywhere: one phone is one person), else by name among the
 * flat's members. The ledger adds and updates; it never removes (removal is a staff act, with a reason
 * the person reads), and it never empties an area a row leaves blank.
 */
export function planLedger(parsed: ParsedRow[], snapshot: LedgerSnapshot): LedgerPlan {
  const plan: LedgerPlan = {
    result: { created: 0, updated: 0, unchanged: 0, skipped: [], changes: [], changesOmitted: 0 },
    newBuildings: [],
    newHouseholds: [],
    areaUpdates: [],
    newPeople: [],
    personUpdates: [],
    newMemberships: [],
    membershipUpdates: [],
  };
  const ctx = new PlanContext(snapshot, plan);
  for (const entry of parsed) {
    if (!entry.ok) plan.result.skipped.push({ row: entry.row, reason: entry.reason });
    else ctx.apply(entry.value);
  }
  plan.result.skipped.sort((a, b) => a.row - b.row);
  return plan;
}

class PlanContext {
  private readonly microgridsByCode = new Map<string, SnapshotMicrogrid>();
  private readonly microgridsByName = new Map<string, SnapshotMicrogrid[]>();
  private readonly buildingsByName = new Map<string, SnapshotBuilding[]>();
  private readonly newBuildingIndex = new Map<string, number>();
  private readonly householdsByPlace = new Map<string, SnapshotHousehold>();
  private readonly flats = new Map<string, FlatState>();
  private readonly membershipsByFlat = new Map<number, SnapshotMembership[]>();
  private readonly people = new Map<number, SnapshotPerson>();
  private readonly peopleByHash = new Map<string, SnapshotPerson[]>();
  /** a phone of the sheet → the first row naming it, and the new person it made (if new) */
  private readonly phoneRows = new Map<string, { name: string; row: number; newIndex?: number }>();
  /** people whose name or phone this import changes already */
  private readonly renamed = new Set<number>();
  private readonly rephoned = new Set<number>();

  constructor(
    private readonly snapshot: LedgerSnapshot,
    private readonly plan: LedgerPlan,
  ) {
    for (const m of snapshot.microgrids) {
      this.microgridsByCode.set(m.code, m);
      push(this.microgridsByName, m.name, m);
    }
    for (const b of snapshot.buildings) push(this.buildingsByName, b.name, b);
    const buildingIds = new Set(snapshot.buildings.map((b) => b.id));
    for (const h of snapshot.households) if (buildingIds.has(h.buildingId)) this.householdsByPlace.set(placeKey(h.buildingId, h.unit, h.room), h);
    for (const m of snapshot.memberships) push(this.membershipsByFlat, m.householdId, m);
    for (const p of snapshot.people) {
      this.people.set(p.id, p);
      if (p.phoneHash) push(this.peopleByHash, p.phoneHash, p);
    }
  }

  apply(row: LedgerRow): void {
    const changes: LedgerChange[] = [];
    const building = this.building(row, changes);
    if (typeof building === 'string') return this.skip(row.row, building);
    const flat = this.flat(row, building.ref, changes);
    if (row.areaM2 !== null && flat.area && flat.area.value !== row.areaM2) {
      return this.skip(row.row, `同一户的建筑面积与第 ${flat.area.row} 行（${flat.area.value}）不一致`);
    }
    const personOutcome = row.person ? this.person(row, flat, changes) : this.emptyRow(row, flat);
    if (typeof personOutcome === 'string') return this.skip(row.row, personOutcome);
    // The row is good: what it touched is now part of the plan.
    if (building.create) {
      this.newBuildingIndex.set(building.create.key, this.plan.newBuildings.length);
      this.plan.newBuildings.push({ microgridId: building.create.microgridId, name: row.building });
    }
    this.commitFlat(row, flat, changes);
    personOutcome?.();
    this.count(changes);
  }

  private skip(row: number, reason: string): void {
    this.plan.result.skipped.push({ row, reason });
  }

  private count(changes: LedgerChange[]): void {
    const { result } = this.plan;
    if (changes.some((c) => c.kind === 'building_created' || c.kind === 'household_created' || c.kind === 'person_added')) result.created++;
    else if (changes.length) result.updated++;
    else result.unchanged++;
    for (const change of changes) {
      if (result.changes.length < MAX_CHANGES) result.changes.push(change);
      else result.changesOmitted++;
    }
  }

  /* ── building ── */

  private building(row: LedgerRow, changes: LedgerChange[]): { ref: BuildingRef; create?: { key: string; microgridId: number } } | string {
    let microgrid: SnapshotMicrogrid | null = null;
    if (row.microgrid) {
      const byCode = this.microgridsByCode.get(row.microgrid);
      const named = byCode ? [byCode] : (this.microgridsByName.get(row.microgrid) ?? []);
      if (named.length === 0) return `本辖区没有微网格「${row.microgrid}」`;
      if (named.length > 1) return `本辖区有 ${named.length} 个名为「${row.microgrid}」的微网格，请填写微网格编码`;
      microgrid = named[0];
    }
    const candidates = (this.buildingsByName.get(row.building) ?? []).filter((b) => !microgrid || b.microgridId === microgrid.id);
    if (candidates.length === 1) return { ref: { id: candidates[0].id } };
    if (candidates.length > 1) return `本辖区有 ${candidates.length} 栋「${row.building}」，请在「微网格」列写明是哪个微网格的`;
    const microgridId = microgrid?.id ?? this.snapshot.importMicrogridId;
    if (microgridId === null) return `本辖区没有「${row.building}」；新楼栋请在「微网格」列写明所属微网格`;
    const key = `${microgridId}\u0000${row.building}`;
    const index = this.newBuildingIndex.get(key);
    if (index !== undefined) return { ref: { newIndex: index } };
    changes.push({ row: row.row, kind: 'building_created', household: row.building, person: null, from: null, to: row.building });
    return { ref: { newIndex: this.plan.newBuildings.length }, create: { key, microgridId } };
  }

  /* ── flat ── */

  private flat(row: LedgerRow, building: BuildingRef, changes: LedgerChange[]): FlatState {
    const key = 'id' in building ? placeKey(building.id, row.unit, row.room) : `new${building.newIndex}\u0000${row.unit}\u0000${row.room}`;
    const known = this.flats.get(key);
    if (known) return known;
    const existing = 'id' in building ? (this.householdsByPlace.get(key) ?? null) : null;
    const label = householdLabel(row.building, row.unit, row.room).replace(/ {2,}/g, ' ');
    if (!existing) changes.push({ row: row.row, kind: 'household_created', household: label, person: null, from: null, to: row.areaM2 === null ? null : String(row.areaM2) });
    return {
      key,
      building,
      ref: existing ? { id: existing.id } : { newIndex: this.plan.newHouseholds.length },
      label,
      existing,
      area: null,
      emptyRow: null,
      people: new Map(),
    };
  }

  /** The row is good: its building and flat join the plan (a skipped row leaves nothing behind). */
  private commitFlat(row: LedgerRow, flat: FlatState, changes: LedgerChange[]): void {
    const { key, building } = flat;
    if (!this.flats.has(key)) {
      // First row of this flat in the sheet.
      this.flats.set(key, flat);
      if (!flat.existing) this.plan.newHouseholds.push({ building, unit: row.unit, room: row.room, areaM2: row.areaM2 });
    }
    if (row.areaM2 !== null && !flat.area) {
      flat.area = { value: row.areaM2, row: row.row };
      const { existing, ref } = flat;
      if ('newIndex' in ref) this.plan.newHouseholds[ref.newIndex].areaM2 = row.areaM2;
      else if (existing && existing.areaM2 !== row.areaM2) {
        this.plan.areaUpdates.push({ householdId: existing.id, areaM2: row.areaM2 });
        changes.push({ row: row.row, kind: 'area_changed', household: flat.label, person: null, from: existing.areaM2 === null ? null : String(existing.areaM2), to: String(row.areaM2) });
      }
    }
  }

  /* ── people ── */

  private emptyRow(row: LedgerRow, flat: FlatState): string | (() => void) {
    if (flat.emptyRow !== null) return `与第 ${flat.emptyRow} 行重复`;
    return () => void (flat.emptyRow = row.row);
  }

  /** Who the row's person is, and what changes; a string is the reason the row is skipped. */
  private person(row: LedgerRow, flat: FlatState, changes: LedgerChange[]): string | (() => void) {
    const person = row.person!;
    if (person.phone) {
      const seen = this.phoneRows.get(person.phone);
      if (seen && seen.name !== person.name) return `手机号 ${maskPhone(person.phone)} 在第 ${seen.row} 行登记为「${seen.name}」，同一手机号只能是一个人`;
    }
    const members = flat.existing ? (this.membershipsByFlat.get(flat.existing.id) ?? []) : [];
    const active = members.filter((m) => ACTIVE.includes(m.status));
    const byPhone = person.phone ? this.byPhone(person.phone, members) : null;
    const byName = byPhone ? null : active.map((m) => this.people.get(m.userId)!).find((p) => p && p.name === person.name) ?? null;
    const found = byPhone ?? byName;

    const updates: { realName?: string; phone?: string } = {};
    if (found && byPhone && found.name !== person.name && !found.belongsElsewhere && !this.renamed.has(found.id)) {
      updates.realName = person.name;
      changes.push({ row: row.row, kind: 'name_changed', household: flat.label, person: person.name, from: found.name, to: person.name });
    }
    if (found && byName && person.phone && !this.rephoned.has(found.id)) {
      if (found.usesApp || found.belongsElsewhere) {
        if (found.phone) return `这户的「${found.name}」已登记手机号 ${maskPhone(found.phone)}，与表中不同；请在住户管理中核对`;
      } else {
        updates.phone = person.phone;
        changes.push({ row: row.row, kind: 'phone_changed', household: flat.label, person: person.name, from: maskPhone(found.phone), to: maskPhone(person.phone) });
      }
    }

    const newPhoneIndex = person.phone ? this.phoneRows.get(person.phone)?.newIndex : undefined;
    const personKey = found ? `u${found.id}` : newPhoneIndex !== undefined ? `n${newPhoneIndex}` : null;
    // One person once a flat; two rows of one name in one flat are one person listed twice.
    const again = (personKey ? flat.people.get(personKey) : undefined) ?? flat.people.get(`name:${person.name}`);
    if (again !== undefined) return `与第 ${again} 行重复（同一人）`;

    const membership = found ? members.find((m) => m.userId === found.id) : undefined;
    if (!membership || membership.status !== 'verified') {
      changes.push({ row: row.row, kind: 'person_added', household: flat.label, person: person.name, from: null, to: MEMBERSHIP_RELATION_LABELS[person.relation] });
    } else if (membership.relation !== person.relation) {
      changes.push({ row: row.row, kind: 'relation_changed', household: flat.label, person: person.name, from: MEMBERSHIP_RELATION_LABELS[membership.relation], to: MEMBERSHIP_RELATION_LABELS[person.relation] });
    }

    return () => {
      if (personKey) flat.people.set(personKey, row.row);
      flat.people.set(`name:${person.name}`, row.row);
      let ref: PersonRef;
      if (found) {
        ref = { id: found.id };
        if (updates.realName !== undefined || updates.phone !== undefined) this.plan.personUpdates.push({ userId: found.id, ...updates });
        if (updates.realName !== undefined) this.renamed.add(found.id);
        if (updates.phone !== undefined) this.rephoned.add(found.id);
      } else if (newPhoneIndex !== undefined) {
        ref = { newIndex: newPhoneIndex };
      } else {
        ref = { newIndex: this.plan.newPeople.length };
        this.plan.newPeople.push({ name: person.name, phone: person.phone, household: flat.ref });
      }
      if (person.phone && !this.phoneRows.has(person.phone)) this.phoneRows.set(person.phone, { name: person.name, row: row.row, newIndex: 'newIndex' in ref ? ref.newIndex : undefined });
      if (!membership) this.plan.newMemberships.push({ household: flat.ref, person: ref, relation: person.relation });
      else if (membership.status !== 'verified' || membership.relation !== person.relation) this.plan.membershipUpdates.push({ id: membership.id, relation: person.relation, version: membership.version });
    };
  }

  /**
   * One phone is one person: among those with it (a WeChat account and a ledger row not yet claimed may
   * share one), the one already in this flat, else the one who uses the app, else the oldest.
   */
  private byPhone(phone: string, members: SnapshotMembership[]): SnapshotPerson | null {
    const candidates = this.peopleByHash.get(this.snapshot.hashPhone(phone)) ?? [];
    if (candidates.length === 0) return null;
    const inFlat = new Set(members.filter((m) => ACTIVE.includes(m.status)).map((m) => m.userId));
    return candidates.find((p) => inFlat.has(p.id)) ?? candidates.find((p) => p.usesApp) ?? [...candidates].sort((a, b) => a.id - b.id)[0];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function placeKey(buildingId: number, unit: string, room: string): string {
  return `${buildingId}\u0000${unit}\u0000${room}`;
}
