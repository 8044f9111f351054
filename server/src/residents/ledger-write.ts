import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { In, type DataSource } from 'typeorm';
import { LEDGER_COLUMNS, LEDGER_LIMITS, MEMBERSHIP_RELATION_LABELS, MEMBERSHIP_RELATIONS } from '@linli/shared';
import { Building } from '../grids/building.entity';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import { naturalCompare } from '../grids/grids.service';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import type { Logger } from '../platform/logger';
import { personName } from './household-place';
import { HouseholdMembership } from './membership.entity';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const LEDGER_SHEET = '台账';
const BUILDINGS_A_BATCH = 50;

type SheetLike = Pick<ExcelJS.Worksheet, 'columns' | 'getRow' | 'getColumn'>;

/** The header row as the import reads it; phones as text so Excel never shows 1.39E+10. */
function ledgerColumns(sheet: SheetLike): void {
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const key of ['building', 'unit', 'room', 'phone', 'microgrid']) sheet.getColumn(key).numFmt = '@';
}

const INSTRUCTIONS = [
  '台账填写说明',
  '',
  '1. 在「台账」表里填写，每个人一行；同一户有几个人就写几行，每行都重复写这户的楼栋、单元、房号和面积。',
  '2. 暂时不知道住着谁的房屋也写一行，只填楼栋、单元、房号（和面积），姓名、手机号、与户关系留空。',
  '3. 楼栋、房号必填；单元没有就留空。楼栋写「3号楼」或「3」都可以，单元写「2单元」或「2」都可以。',
  '4. 建筑面积填专有部分建筑面积（平方米，最多两位小数），民法典表决按面积计票要用；不知道就留空，留空不会清除已有的面积。',
  '5. 与户关系只能填：业主、家庭成员、租户。',
  '6. 手机号填 11 位手机号；同一个手机号就是同一个人（一人可以是几户的成员）。没有手机号的，按姓名在这户里认人。',
  '7. 微网格：表里的楼栋系统里还没有（新楼栋），或本社区有两栋同名的楼时，填这栋楼所属微网格的名称或编码；其余留空。',
  '8. 先点「预览」看会新增、修改哪些内容和哪些行读不了，确认后再「导入」。同一个文件导入两次不会重复添加。',
  '9. 导入只新增和修改，不会删除：搬走的人请在住户管理里移出（要写明原因，本人能看到）。',
  `10. 一个文件最多 ${LEDGER_LIMITS.maxRows.toLocaleString('en-US')} 行、${LEDGER_LIMITS.maxBytes / 1024 / 1024} MB；更大的请按小区或楼栋分开导入。`,
  '',
  '示例（照这个样子填在「台账」表里）：',
];

const EXAMPLE_ROWS: Record<string, string | number>[] = [
  { building: '3号楼', unit: '2单元', room: '301', area: 89.56, name: '王建国', phone: '13900000000', relation: MEMBERSHIP_RELATION_LABELS.owner },
  { building: '3号楼', unit: '2单元', room: '301', area: 89.56, name: '李秀兰', phone: '', relation: MEMBERSHIP_RELATION_LABELS.family },
  { building: '3号楼', unit: '2单元', room: '302', area: 126.83, name: '', phone: '', relation: '' },
  { microgrid: '桂香苑微网格', building: '9号楼', unit: '1单元', room: '101', area: 95, name: '赵海燕', phone: '13700000000', relation: MEMBERSHIP_RELATION_LABELS.tenant },
];

/**
 * The template: a 台账 sheet with the header row only (so the template itself imports as no change),
 * and a 填写说明 sheet with the instructions and an example.
 */
export async function ledgerTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'linli 邻里';
  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ledgerColumns(sheet);
  LEDGER_COLUMNS.forEach((c, i) => (sheet.getRow(1).getCell(i + 1).note = c.note));
  // A drop-down for the relation on the rows people fill (one range: ExcelJS types leave it out).
  const relationColumn = sheet.getColumn('relation').letter;
  const relations = MEMBERSHIP_RELATIONS.map((r) => MEMBERSHIP_RELATION_LABELS[r]).join(',');
  (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations.add(`${relationColumn}2:${relationColumn}5000`, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${relations}"`],
  });

  const help = workbook.addWorksheet('填写说明');
  help.getColumn(1).width = 16;
  INSTRUCTIONS.forEach((line, i) => {
    const cell = help.getRow(i + 1).getCell(1);
    cell.value = line;
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  const top = INSTRUCTIONS.length + 1;
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = help.getRow(top).getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    help.getColumn(i + 1).width = Math.max(c.width, 16);
  });
  EXAMPLE_ROWS.forEach((example, r) => LEDGER_COLUMNS.forEach((c, i) => (help.getRow(top + 1 + r).getCell(i + 1).value = example[c.key] ?? '')));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The ledger under a node as .xlsx, streamed 50 buildings at a time: every flat, each verified member
 * on a row (owners first), a flat without one as a row of its own. Pending members are not the ledger
 * yet. Phones are written in full: it is the staff's own document, the import needs them to recognise
 * people again, and the export is audited (ledger.routes.ts).
 */
export function streamLedgerXlsx(dataSource: DataSource, directory: GridDirectory, node: GridNodeInfo, logger?: Logger): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'linli 邻里';
  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ledgerColumns(sheet);

  const write = async () => {
    const microgrids = directory
      .subtreeIds(node.id)
      .map((id) => directory.node(id)!)
      .filter((n) => n.level === 'microgrid')
      .sort((a, b) => a.id - b.id);
    // A micro-grid is written by name where the name is unique under the node, else by its code.
    const nameCount = new Map<string, number>();
    for (const m of microgrids) nameCount.set(m.name, (nameCount.get(m.name) ?? 0) + 1);
    const microgridLabel = new Map(microgrids.map((m) => [m.id, nameCount.get(m.name)! > 1 ? m.code : m.name]));
    const order = new Map(microgrids.map((m, i) => [m.id, i]));
    const buildings: Building[] = [];
    for (let i = 0; i < microgrids.length; i += 500) {
      buildings.push(...(await dataSource.getRepository(Building).findBy({ microgridId: In(microgrids.slice(i, i + 500).map((m) => m.id)) })));
    }
    buildings.sort((a, b) => order.get(a.microgridId)! - order.get(b.microgridId)! || naturalCompare(a.name, b.name));
    for (let i = 0; i < buildings.length; i += BUILDINGS_A_BATCH) {
      const batch = buildings.slice(i, i + BUILDINGS_A_BATCH);
      const households = await dataSource.getRepository(Household).findBy({ buildingId: In(batch.map((b) => b.id)) });
      const memberships = households.length
        ? await dataSource.getRepository(HouseholdMembership).findBy({ householdId: In(households.map((h) => h.id)), status: 'verified' })
        : [];
      const userIds = [...new Set(memberships.map((m) => m.userId))];
      const users = new Map(userIds.length ? (await dataSource.getRepository(User).findBy({ id: In(userIds) })).map((u) => [u.id, u]) : []);
      for (const building of batch) {
        const flats = households.filter((h) => h.buildingId === building.id).sort((a, b) => naturalCompare(a.unit, b.unit) || naturalCompare(a.room, b.room));
        for (const flat of flats) {
          const place = { microgrid: microgridLabel.get(building.microgridId), building: building.name, unit: flat.unit, room: flat.room, area: flat.areaM2 ?? '' };
          const members = memberships
            .filter((m) => m.householdId === flat.id && users.has(m.userId))
            .sort((a, b) => MEMBERSHIP_RELATIONS.indexOf(a.relation) - MEMBERSHIP_RELATIONS.indexOf(b.relation) || a.id - b.id);
          if (members.length === 0) sheet.addRow(place).commit();
          for (const m of members) {
            const user = users.get(m.userId)!;
            sheet.addRow({ ...place, name: personName(user), phone: user.phone ?? '', relation: MEMBERSHIP_RELATION_LABELS[m.relation] }).commit();
          }
        }
      }
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: unknown) => {
    logger?.error({ err }, 'ledger export failed');
    out.destroy(err as Error);
  });
  return out;
}
