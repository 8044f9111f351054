import { LEDGER_COLUMNS, MEMBERSHIP_RELATION_LABELS, type LedgerColumn, type MembershipRelation } from '@linli/shared';
import { normalisePhone } from '../privacy/phone-index';

/** One readable row of the ledger: a flat, and the person on that row (none for a flat with nobody known). */
export interface LedgerRow {
  row: number;
  microgrid: string | null;
  building: string;
  unit: string;
  room: string;
  /** null: the sheet does not say (the flat's area is left as it is) */
  areaM2: number | null;
  person: { name: string; phone: string | null; relation: MembershipRelation } | null;
}

export type ParsedRow = { row: number; ok: true; value: LedgerRow } | { row: number; ok: false; reason: string };

/** Headers as people type them: 楼号 for 楼栋, 面积 for 建筑面积㎡ … (compared without spaces and brackets). */
const HEADER_ALIASES: Record<LedgerColumn, string[]> = {
  microgrid: ['微网格', '微网格名称', '微网格编码', '所属微网格'],
  building: ['楼栋', '楼号', '楼栋号', '幢', '栋'],
  unit: ['单元', '单元号'],
  room: ['房号', '房间号', '室', '门牌号', '户号'],
  area: ['建筑面积㎡', '建筑面积', '面积', '面积㎡', '建筑面积m2', '专有部分建筑面积', '专有部分面积'],
  name: ['姓名', '名字', '居民姓名'],
  phone: ['手机号', '手机', '手机号码', '电话', '联系电话'],
  relation: ['与户关系', '关系', '与户主关系', '身份'],
};
export const REQUIRED_COLUMNS: LedgerColumn[] = ['building', 'room'];

const RELATIONS: Record<string, MembershipRelation> = {
  ...Object.fromEntries(Object.entries(MEMBERSHIP_RELATION_LABELS).map(([code, label]) => [label, code as MembershipRelation])),
  owner: 'owner',
  family: 'family',
  tenant: 'tenant',
  户主: 'owner',
  产权人: 'owner',
  家属: 'family',
  家人: 'family',
  承租人: 'tenant',
};

const squash = (text: string) => text.replace(/[\s()（）[\]【】]/g, '').toLowerCase();

/** Which column of the sheet holds which field; null when the row is no header (a required one is missing). */
export function headerColumns(cells: string[]): Map<number, LedgerColumn> | null {
  const found = new Map<number, LedgerColumn>();
  const taken = new Set<LedgerColumn>();
  cells.forEach((cell, index) => {
    const key = (Object.keys(HEADER_ALIASES) as LedgerColumn[]).find((k) => !taken.has(k) && HEADER_ALIASES[k].some((alias) => squash(alias) === squash(cell)));
    if (key) {
      found.set(index, key);
      taken.add(key);
    }
  });
  return REQUIRED_COLUMNS.every((k) => taken.has(k)) ? found : null;
}

export const HEADER_LIST = LEDGER_COLUMNS.map((c) => c.header).join('、');

/** A cell's value as text: numbers as Excel shows them, rich text joined, a formula's result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
  }
  return '';
}

/** "3" → 3号楼, as the demo and most ledgers name them; anything else as written. */
function buildingName(text: string): string {
  return /^\d+$/.test(text) ? `${text}号楼` : text;
}
function unitName(text: string): string {
  return /^\d+$/.test(text) ? `${text}单元` : text;
}

/** The row's cells (by field) → a ledger row, or the reason it cannot be read. */
export function parseLedgerRow(row: number, cells: Partial<Record<LedgerColumn, string>>): ParsedRow {
  const get = (k: LedgerColumn) => (cells[k] ?? '').replace(/\s+/g, ' ').trim();
  const fail = (reason: string): ParsedRow => ({ row, ok: false, reason });
  const building = buildingName(get('building'));
  const room = get('room');
  if (!building) return fail('楼栋未填写');
  if (!room) return fail('房号未填写');
  const unit = unitName(get('unit'));
  if (building.length > 100 || unit.length > 32 || room.length > 32) return fail('楼栋、单元或房号太长');

  let areaM2: number | null = null;
  const areaText = get('area').replace(/\s|㎡|m2|m²|平方米|平米/gi, '');
  if (areaText) {
    const area = Number(areaText);
    if (!/^\d+(\.\d+)?$/.test(areaText) || !Number.isFinite(area)) return fail(`建筑面积「${get('area')}」不是数字`);
    if (area <= 0 || area > 100_000) return fail(`建筑面积 ${areaText} 超出范围（0–100000 平方米）`);
    // Excel keeps 89.56 as 89.56000000000001: the hundredth is what the ledger means.
    areaM2 = Math.round(area * 100) / 100;
  }

  const name = get('name');
  const phoneText = get('phone');
  const relationText = get('relation');
  let person: LedgerRow['person'] = null;
  if (name || phoneText || relationText) {
    if (!name) return fail('有手机号或与户关系但没有姓名');
    if (name.length > 32) return fail('姓名太长（最多 32 个字）');
    let phone: string | null = null;
    if (phoneText) {
      const digits = normalisePhone(phoneText).replace(/^86(?=1\d{10}$)/, '');
      if (!/^1\d{10}$/.test(digits)) return fail(`手机号「${phoneText}」不是 11 位手机号`);
      phone = digits;
    }
    if (!relationText) return fail('与户关系未填写（业主 / 家庭成员 / 租户）');
    const relation = RELATIONS[squash(relationText)];
    if (!relation) return fail(`与户关系「${relationText}」无法识别，请填写 业主 / 家庭成员 / 租户`);
    person = { name, phone, relation };
  }
  const microgrid = get('microgrid') || null;
  return { row, ok: true, value: { row, microgrid, building, unit, room, areaM2, person } };
}
