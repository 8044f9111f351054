import { z } from 'zod';
import type { MembershipMethod, MembershipRelation, MembershipStatus } from './residents';
import { CAPABILITY_ROLES } from './capabilities';

/** Who keeps a community's ledger (import, export, fixing a flat by hand): its secretary, and admins (the capability table). */
export const LEDGER_ROLES = CAPABILITY_ROLES.keepLedger;

/* ───────────── the ledger sheet (台账): what the import reads and the export writes ───────────── */

/**
 * One row per person, the flat's columns repeated on each; a flat with nobody known is one row with the
 * person columns empty. 微网格 is needed only where a building's name is not unique under the node, or
 * for a building the system does not know yet (it is created there).
 */
export const LEDGER_COLUMNS = [
  { key: 'microgrid', header: '微网格', width: 16, note: '新楼栋或重名楼栋才需要填写：微网格名称或编码' },
  { key: 'building', header: '楼栋', width: 10, note: '必填，如 3号楼（只写 3 也可以）' },
  { key: 'unit', header: '单元', width: 8, note: '如 2单元（只写 2 也可以）；没有单元的楼留空' },
  { key: 'room', header: '房号', width: 8, note: '必填，如 301' },
  { key: 'area', header: '建筑面积㎡', width: 12, note: '专有部分建筑面积，平方米，最多两位小数；不知道就留空' },
  { key: 'name', header: '姓名', width: 10, note: '这户的一个人；这户暂无登记人员时留空' },
  { key: 'phone', header: '手机号', width: 14, note: '11 位手机号；没有可留空' },
  { key: 'relation', header: '与户关系', width: 10, note: '业主 / 家庭成员 / 租户' },
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number]['key'];

/** What an upload may be: beyond either, the request is refused whole (413) before anything is read into the database. */
export const LEDGER_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 50_000 } as const;

export const LEDGER_CHANGE_KINDS = [
  'building_created',
  'household_created',
  'area_changed',
  'person_added',
  'relation_changed',
  'name_changed',
  'phone_changed',
] as const;
export type LedgerChangeKind = (typeof LEDGER_CHANGE_KINDS)[number];
export const LEDGER_CHANGE_LABELS: Record<LedgerChangeKind, string> = {
  building_created: '新增楼栋',
  household_created: '新增房屋',
  area_changed: '面积变更',
  person_added: '新增成员',
  relation_changed: '关系变更',
  name_changed: '姓名变更',
  phone_changed: '手机号变更',
};

/* ───────────── request schemas ───────────── */

export const ledgerImportQuery = z.object({
  nodeId: z.coerce.number().int().positive(),
  /** Without it, nothing is written: the dry run is the default. */
  dryRun: z.enum(['true', 'false']).default('true'),
});
export const ledgerExportQuery = z.object({ nodeId: z.coerce.number().int().positive() });

/* ───────────── responses ───────────── */

export interface LedgerChange {
  /** the sheet's row number, as Excel shows it */
  row: number;
  kind: LedgerChangeKind;
  /** 3号楼 2单元 301 */
  household: string;
  person: string | null;
  from: string | null;
  to: string | null;
}

/**
 * `POST /households/import`: each data row is counted once, as `created` (it adds a flat or a member),
 * `updated` (it changes what was there), `unchanged` or `skipped` (with its reason).
 */
export interface LedgerImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  skipped: { row: number; reason: string }[];
  /** the row-level changes, the first 500 (`changesOmitted` says how many more) */
  changes: LedgerChange[];
  changesOmitted: number;
}

/** `GET /households/:id/members`: one flat as staff fix it by hand: its area and who belongs to it. */
export interface HouseholdMembersView {
  household: { id: number; label: string; areaM2: number | null };
  members: {
    membershipId: number;
    version: number;
    relation: MembershipRelation;
    status: MembershipStatus;
    method: MembershipMethod;
    person: { id: number; name: string; phoneMasked: string | null; usesApp: boolean };
  }[];
}
