import { describe, expect, it } from 'vitest';
import { planLedger, type LedgerSnapshot, type SnapshotPerson } from './ledger-plan';
import { parseLedgerRow, type ParsedRow } from './ledger-rows';

/** Rows as the sheet has them: 微网格, 楼栋, 单元, 房号, 面积, 姓名, 手机号, 与户关系 (row numbers from 2). */
const rows = (...cells: string[][]): ParsedRow[] =>
  cells.map(([microgrid, building, unit, room, area, name, phone, relation], i) => parseLedgerRow(i + 2, { microgrid, building, unit, room, area, name, phone, relation }));

const hashPhone = (phone: string) => `hash:${phone}`;
const person = (id: number, name: string, phone: string | null, more: Partial<SnapshotPerson> = {}): SnapshotPerson => ({
  id,
  name,
  phone,
  phoneHash: phone ? hashPhone(phone) : null,
  usesApp: false,
  belongsElsewhere: false,
  ...more,
});

/** Two micro-grids (A, B), each with a 1号楼; flat 1号楼 1单元 101 in A with one ledger owner. */
function snapshot(people: SnapshotPerson[] = [person(50, '王建国', '13900000001')], importMicrogridId: number | null = null): LedgerSnapshot {
  return {
    importMicrogridId,
    microgrids: [
      { id: 1, name: '甲微网格', code: 'M-A' },
      { id: 2, name: '乙微网格', code: 'M-B' },
    ],
    buildings: [
      { id: 10, microgridId: 1, name: '1号楼' },
      { id: 20, microgridId: 2, name: '1号楼' },
      { id: 11, microgridId: 1, name: '2号楼' },
    ],
    households: [{ id: 100, buildingId: 10, unit: '1单元', room: '101', areaM2: 90 }],
    memberships: people.some((p) => p.id === 50) ? [{ id: 500, householdId: 100, userId: 50, relation: 'owner', status: 'verified', version: 0 }] : [],
    people,
    hashPhone,
  };
}

describe('planLedger: the ledger against what is there', () => {
  it('when two micro-grids have a 1号楼, then a row without 微网格 is skipped and one naming it (by name or code) is matched', () => {
    const plan = planLedger(rows(['', '1号楼', '1单元', '101', '', '', '', ''], ['甲微网格', '1号楼', '1单元', '101', '', '', '', ''], ['M-B', '1号楼', '1单元', '101', '', '', '', '']), snapshot());
    expect(plan.result.skipped).toEqual([{ row: 2, reason: '本辖区有 2 栋「1号楼」，请在「微网格」列写明是哪个微网格的' }]);
    expect(plan.result).toMatchObject({ unchanged: 1, created: 1 });
    expect(plan.newHouseholds).toEqual([{ building: { id: 20 }, unit: '1单元', room: '101', areaM2: null }]);
  });

  it('when the import is over a micro-grid, then a new building goes there without a 微网格 column; over a community it needs one', () => {
    const sheet = rows(['', '3号楼', '1单元', '101', '88.8', '李四', '13900000002', '业主'], ['', '3号楼', '1单元', '102', '', '', '', '']);
    const inMicrogrid = planLedger(sheet, snapshot(undefined, 2));
    expect(inMicrogrid.newBuildings).toEqual([{ microgridId: 2, name: '3号楼' }]);
    expect(inMicrogrid.newHouseholds.map((h) => [h.building, h.room, h.areaM2])).toEqual([
      [{ newIndex: 0 }, '101', 88.8],
      [{ newIndex: 0 }, '102', null],
    ]);
    expect(inMicrogrid.result).toMatchObject({ created: 2, skipped: [] });
    expect(planLedger(sheet, snapshot()).result.skipped.map((s) => s.row)).toEqual([2, 3]);
  });

  it('when a row is skipped for its person, then it leaves no new building or flat behind', () => {
    const plan = planLedger(rows(['甲微网格', '9号楼', '1单元', '101', '', '张三', '13900000003', '业主'], ['甲微网格', '9号楼', '1单元', '101', '', '张三', '13900000003', '业主']), snapshot());
    expect(plan.newBuildings).toHaveLength(1);
    expect(plan.newHouseholds).toHaveLength(1);
    expect(plan.newPeople).toHaveLength(1);
    expect(plan.result.skipped).toEqual([{ row: 3, reason: '与第 2 行重复（同一人）' }]);
  });

  it('when a person found by phone has another name, then the name changes unless they belong to a flat outside the node', () => {
    const sheet = rows(['', '2号楼', '1单元', '201', '', '王建华', '13900000001', '业主']);
    const here = planLedger(sheet, snapshot());
    expect(here.personUpdates).toEqual([{ userId: 50, realName: '王建华' }]);
    expect(here.result.changes.map((c) => c.kind)).toEqual(['household_created', 'name_changed', 'person_added']);
    const elsewhere = planLedger(sheet, snapshot([person(50, '王建国', '13900000001', { belongsElsewhere: true })]));
    expect(elsewhere.personUpdates).toEqual([]);
    expect(elsewhere.newMemberships).toEqual([{ household: { newIndex: 0 }, person: { id: 50 }, relation: 'owner' }]);
  });

  it('when the flat’s member found by name has no phone, then the ledger gives one; an app user’s different phone is a skipped row', () => {
    const withoutPhone = planLedger(rows(['甲微网格', '1号楼', '1单元', '101', '', '王建国', '13900000009', '业主']), snapshot([person(50, '王建国', null)]));
    expect(withoutPhone.personUpdates).toEqual([{ userId: 50, phone: '13900000009' }]);
    expect(withoutPhone.result).toMatchObject({ updated: 1, created: 0 });
    const appUser = planLedger(rows(['甲微网格', '1号楼', '1单元', '101', '', '王建国', '13900000009', '业主']), snapshot([person(50, '王建国', '13900000001', { usesApp: true })]));
    expect(appUser.result.skipped).toEqual([{ row: 2, reason: '这户的「王建国」已登记手机号 139****0001，与表中不同；请在住户管理中核对' }]);
    expect(appUser.personUpdates).toEqual([]);
  });

  it('when one phone is on rows of two flats, then it is one new person with two memberships', () => {
    const plan = planLedger(rows(['甲微网格', '1号楼', '1单元', '101', '', '赵六', '13900000006', '租户'], ['', '2号楼', '1单元', '101', '', '赵六', '13900000006', '业主']), snapshot());
    expect(plan.newPeople).toHaveLength(1);
    expect(plan.newMemberships.map((m) => [m.household, m.person, m.relation])).toEqual([
      [{ id: 100 }, { newIndex: 0 }, 'tenant'],
      [{ newIndex: 0 }, { newIndex: 0 }, 'owner'],
    ]);
  });
});
