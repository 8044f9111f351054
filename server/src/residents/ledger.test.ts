import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS, type LedgerImportResult } from '@linli/shared';
import { expectError, startTestServer, type CallResult, type TestServer } from '../../test/harness';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { phoneHash } from '../privacy/phone-index';
import { boxPolygon } from '../seed/demo-community';
import { readLedgerRows } from './ledger-read';
import { HouseholdMembership } from './membership.entity';

const HEADER = LEDGER_COLUMNS.map((c) => c.header);
type Cell = string | number | null;

/** An .xlsx with one sheet: the header row, then `rows`. */
async function xlsx(rows: Cell[][], header: Cell[] = HEADER): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('台账');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A one-entry zip, written by hand, that may lie about the entry's size. */
function zipOf(name: string, content: Buffer, declaredSize = content.length): Buffer {
  const data = zlib.deflateRawSync(content);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(zlib.crc32(content), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(zlib.crc32(content), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/** The rows of a downloaded .xlsx's first sheet, as text. */
async function sheetRows(bytes: Buffer, sheetName?: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const sheet = sheetName ? workbook.getWorksheet(sheetName)! : workbook.worksheets[0];
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push(HEADER.map((_, i) => String(row.getCell(i + 1).text ?? ''))));
  return rows;
}

describe('the ledger in and out (台账 .xlsx) over HTTP', () => {
  let server: TestServer;
  let communityId = 0;
  let otherCommunityId = 0;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };

  async function upload(who: string, nodeId: number, dryRun: boolean | null, body: FormData | string, contentType?: string): Promise<CallResult<LedgerImportResult>> {
    const query = `nodeId=${nodeId}${dryRun === null ? '' : `&dryRun=${dryRun}`}`;
    const headers: Record<string, string> = { authorization: `Bearer ${await as(who)}` };
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(`${server.baseUrl}/api/v1/households/import?${query}`, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }
  const form = (bytes: Buffer, name = '台账.xlsx') => {
    const data = new FormData();
    data.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), name);
    return data;
  };
  const importLedger = async (bytes: Buffer, dryRun: boolean, who = 'demo-secretary-1', nodeId = communityId) => {
    const result = await upload(who, nodeId, dryRun, form(bytes));
    // What was sent, should a valid file ever be refused (seen once in a CI rehearsal, not reproduced in 3,000 templates).
    const sent = `${bytes.length} B, ${bytes.subarray(0, 4).toString('hex')}…${bytes.subarray(-22, -18).toString('hex')}`;
    if (result.status !== 200) throw new Error(`import: ${result.status} ${JSON.stringify(result.body)} (sent ${sent})`);
    return result.body;
  };
  async function download(who: string, path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const response = await fetch(`${server.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${await as(who)}` } });
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
  }

  /** What an import could change, in one comparable value. */
  async function fingerprint(): Promise<string> {
    const { dataSource } = server;
    const households = await dataSource.getRepository(Household).find({ order: { id: 'ASC' } });
    const memberships = await dataSource.getRepository(HouseholdMembership).find({ order: { id: 'ASC' } });
    const users = await dataSource.getRepository(User).find({ order: { id: 'ASC' } });
    return JSON.stringify({
      buildings: await dataSource.getRepository(Building).count(),
      households: households.map((h) => [h.id, h.areaM2]),
      memberships: memberships.map((m) => [m.id, m.householdId, m.userId, m.relation, m.status, m.version]),
      users: users.map((u) => [u.id, u.realName, u.phone, u.householdId]),
    });
  }

  async function flat(building: string, unit: string, room: string): Promise<Household | null> {
    const b = await server.dataSource.getRepository(Building).findOneBy({ name: building });
    return b ? server.dataSource.getRepository(Household).findOneBy({ buildingId: b.id, unit, room }) : null;
  }

  beforeAll(async () => {
    server = await startTestServer();
    const nodes = server.dataSource.getRepository(GridNode);
    communityId = (await nodes.findOneByOrFail({ code: '330199001001' })).id;
    // A second community with its own secretary.
    const imported = await server.call('POST', '/grids/import', {
      token: await as('demo-admin'),
      body: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: boxPolygon([120.141, 30.284, 120.145, 30.288]), properties: { code: 'LEDGER-C2', name: '新河社区', level: 'community', parentCode: '330199001' } }],
      },
    });
    expect(imported.status).toBe(200);
    otherCommunityId = (await nodes.findOneByOrFail({ code: 'LEDGER-C2' })).id;
    const secretary = await server.dataSource.getRepository(User).save({ openid: 'ledger-secretary-out', nickname: '新河书记' });
    await server.dataSource.getRepository(RoleAssignment).insert({ userId: secretary.id, role: 'secretary', nodeId: otherCommunityId });
  });
  afterAll(() => server.close());

  it('when a secretary downloads the template, then it has the header the import reads and the instructions, and importing it unchanged changes nothing', async () => {
    const template = await download('demo-secretary-1', '/households/import-template');
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(template.headers.get('content-disposition') ?? '')).toContain('住户台账模板.xlsx');
    expect(await sheetRows(template.bytes, '台账')).toEqual([HEADER]);
    const help = (await sheetRows(template.bytes, '填写说明')).map((r) => r.join(' '));
    expect(help.some((line) => line.includes('业主、家庭成员、租户'))).toBe(true);
    expect(help.some((line) => line.includes('王建国') && line.includes('业主'))).toBe(true);

    const before = await fingerprint();
    expect(await importLedger(template.bytes, false)).toEqual({ dryRun: false, created: 0, updated: 0, unchanged: 0, skipped: [], changes: [], changesOmitted: 0 });
    expect(await fingerprint()).toBe(before);
    expectError(await server.call('GET', '/households/import-template', { token: await as('demo-gridworker-1') }), 403, 'FORBIDDEN');
  });

  /** The sheet the next tests import: good rows, a new building, bad rows of every kind. */
  const ledgerRows = (): Cell[][] => [
    /* 2 */ ['', '1号楼', '1单元', '101', 100.5, '张晓梅', '13857110001', '业主'], // demo-resident-1: area changes
    /* 3 */ ['桂香苑微网格', '9号楼', '1单元', '101', 95, '欧阳海燕', '13700009001', '业主'], // a new building, flat and person
    /* 4 */ ['桂香苑微网格', '9号楼', '1单元', '101', 95, '司马多多', '', '家庭成员'], // a second person, no phone
    /* 5 */ ['桂香苑微网格', '9号楼', '1', '102', '', '', '', ''], // a flat with nobody known (unit written as 1)
    /* 6 */ ['', '1号楼', '1单元', '102', '', '孙阿姨', '139 0000 9002', '租户'], // a new tenant beside demo-resident-2
    /* 7 */ ['', '1号楼', '2单元', '101', '', '周一', '1234', '业主'],
    /* 8 */ ['', '1号楼', '2单元', '102', '', '王五', '13900009003', '邻居'],
    /* 9 */ ['', '2号楼', '1单元', '101', '八十', '', '', ''],
    /* 10 */ ['', '1号楼', '1单元', '102', '', '孙阿姨', '13900009002', '租户'],
    /* 11 */ ['', '99号楼', '1单元', '101', 80, '', '', ''],
    /* 12 */ ['', '1号楼', '2单元', '201', '', '王秀英', '13857110003', '业主'], // demo-resident-3: family → owner
    /* 13 */ ['', '2号楼', '1单元', '101', '', '李国强', '13857110002', '租户'], // demo-resident-2 (in the app) in a second flat
    /* 14 */ ['', '2号楼', '1单元', '102', '', '假名', '13857110002', '租户'],
    /* 15 */ ['', '1号楼', '1单元', '101', 101, '', '', ''],
  ];

  it('when a secretary dry-runs a ledger, then it tells what would change and why rows are skipped, and the database is left as it was', async () => {
    const before = await fingerprint();
    const result = await importLedger(await xlsx(ledgerRows()), true);
    expect(await fingerprint()).toBe(before);
    expect(result).toMatchObject({ dryRun: true, created: 5, updated: 2, unchanged: 0, changesOmitted: 0 });
    expect(result.skipped).toEqual([
      { row: 7, reason: '手机号「1234」不是 11 位手机号' },
      { row: 8, reason: '与户关系「邻居」无法识别，请填写 业主 / 家庭成员 / 租户' },
      { row: 9, reason: '建筑面积「八十」不是数字' },
      { row: 10, reason: '与第 6 行重复（同一人）' },
      { row: 11, reason: '本辖区没有「99号楼」；新楼栋请在「微网格」列写明所属微网格' },
      { row: 14, reason: '手机号 138****0002 在第 13 行登记为「李国强」，同一手机号只能是一个人' },
      { row: 15, reason: '同一户的建筑面积与第 2 行（100.5）不一致' },
    ]);
    expect(result.changes.map((c) => [c.row, c.kind, c.household, c.person, c.from, c.to])).toEqual([
      [2, 'area_changed', '1号楼 1单元 101', null, '90.31', '100.5'],
      [3, 'building_created', '9号楼', null, null, '9号楼'],
      [3, 'household_created', '9号楼 1单元 101', null, null, '95'],
      [3, 'person_added', '9号楼 1单元 101', '欧阳海燕', null, '业主'],
      [4, 'person_added', '9号楼 1单元 101', '司马多多', null, '家庭成员'],
      [5, 'household_created', '9号楼 1单元 102', null, null, null],
      [6, 'person_added', '1号楼 1单元 102', '孙阿姨', null, '租户'],
      [12, 'relation_changed', '1号楼 2单元 201', '王秀英', '家庭成员', '业主'],
      [13, 'person_added', '2号楼 1单元 101', '李国强', null, '租户'],
    ]);
  });

  it('when the ledger is imported, then flats, areas, people and verified ledger memberships are made; importing the same file again changes nothing', async () => {
    const file = await xlsx(ledgerRows());
    const usersBefore = await server.dataSource.getRepository(User).count();
    const first = await importLedger(file, false);
    expect(first).toMatchObject({ dryRun: false, created: 5, updated: 2, unchanged: 0 });
    expect(first.skipped.map((s) => s.row)).toEqual([7, 8, 9, 10, 11, 14, 15]);

    const secretary = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' });
    const nine = await server.dataSource.getRepository(Building).findOneByOrFail({ name: '9号楼' });
    const grid = await server.dataSource.getRepository(GridNode).findOneByOrFail({ id: nine.microgridId });
    expect(grid.name).toBe('桂香苑微网格');
    expect(nine.code).toBe(`${grid.code}-B03`);
    expect((await flat('9号楼', '1单元', '101'))?.areaM2).toBe(95);
    expect((await flat('9号楼', '1单元', '102'))?.areaM2).toBeNull();
    expect((await flat('1号楼', '1单元', '101'))?.areaM2).toBe(100.5);
    // Two people without WeChat, verified members by the ledger.
    const users = server.dataSource.getRepository(User);
    expect(await users.count()).toBe(usersBefore + 3);
    const zhao = await users.findOneByOrFail({ realName: '欧阳海燕' });
    expect(zhao).toMatchObject({ openid: null, phone: '13700009001', phoneTail: '9001', householdId: (await flat('9号楼', '1单元', '101'))!.id });
    const memberships = server.dataSource.getRepository(HouseholdMembership);
    expect(await memberships.findOneByOrFail({ userId: zhao.id })).toMatchObject({ relation: 'owner', status: 'verified', method: 'ledger', decidedById: secretary.id });
    const qian = await users.findOneByOrFail({ realName: '司马多多' });
    expect(qian.phone).toBeNull();
    expect(await memberships.findOneByOrFail({ userId: qian.id })).toMatchObject({ relation: 'family', status: 'verified' });
    // demo-resident-3 is the owner now.
    const r3 = await users.findOneByOrFail({ openid: 'demo-resident-3' });
    expect((await memberships.findOneByOrFail({ userId: r3.id, householdId: (await flat('1号楼', '2单元', '201'))!.id })).relation).toBe('owner');

    const again = await importLedger(file, false);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 7, changes: [] });
    expect(again.skipped.map((s) => s.row)).toEqual([7, 8, 9, 10, 11, 14, 15]);
    expect(await users.count()).toBe(usersBefore + 3);
  });

  it('when the ledger lists the phone of a person already in the app, then that account becomes a verified member and no second person is made', async () => {
    const r2 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-2' });
    // A phone is one person: still one user with demo-resident-2's phone, now in two flats.
    expect(await server.dataSource.getRepository(User).countBy({ phoneHash: phoneHash('13857110002') })).toBe(1);
    const theirs = await server.dataSource.getRepository(HouseholdMembership).findBy({ userId: r2.id });
    expect(theirs.map((m) => [m.householdId, m.relation, m.status]).sort()).toEqual(
      [
        [(await flat('1号楼', '1单元', '102'))!.id, 'owner', 'verified'],
        [(await flat('2号楼', '1单元', '101'))!.id, 'tenant', 'verified'],
      ].sort(),
    );
    // Their current household is still their own.
    expect((await server.dataSource.getRepository(User).findOneByOrFail({ id: r2.id })).householdId).toBe((await flat('1号楼', '1单元', '102'))!.id);
    // A person without WeChat whom the ledger lists in a second flat is one person too.
    const second = await importLedger(await xlsx([['', '3号楼', '1单元', '101', '', '欧阳海燕', '13700009001', '租户']]), false);
    expect(second).toMatchObject({ created: 1, updated: 0, skipped: [] });
    expect(await server.dataSource.getRepository(User).countBy({ realName: '欧阳海燕' })).toBe(1);
  });

  it('when a secretary exports the ledger and imports it back, then nothing changes; the export holds verified members with whole phones, and is audited', async () => {
    // A pending request is not the ledger yet.
    const newcomer = await as('ledger-newcomer');
    await server.call('PUT', '/me/household', { token: newcomer, body: { householdId: (await flat('1号楼', '1单元', '201'))!.id, relation: 'tenant' } });
    const exported = await download('demo-secretary-1', `/households/export?nodeId=${communityId}`);
    expect(exported.status).toBe(200);
    expect(decodeURIComponent(exported.headers.get('content-disposition') ?? '')).toContain('桂花社区住户台账.xlsx');
    const rows = await sheetRows(exported.bytes);
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toContainEqual(['桂香苑微网格', '1号楼', '1单元', '101', '100.5', '张晓梅', '13857110001', '业主']);
    expect(rows).toContainEqual(['桂香苑微网格', '9号楼', '1单元', '102', '', '', '', '']);
    expect(rows.some((r) => r[5].startsWith('ledger-newcomer') || r[5] === '新用户')).toBe(false);
    // Every flat of the community is there: 192 of the demo and the two new ones.
    expect(new Set(rows.slice(1).map((r) => r.slice(1, 4).join('/'))).size).toBe(194);

    const before = await fingerprint();
    const back = await importLedger(exported.bytes, false);
    expect(back).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1, skipped: [], changes: [] });
    expect(await fingerprint()).toBe(before);

    const secretary = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' });
    const audited = await server.dataSource.getRepository(AuditEntry).findBy({ actorId: secretary.id, method: 'GET' });
    expect(audited.map((a) => [a.path, a.status])).toEqual([[`/api/v1/households/export?nodeId=${communityId}`, 200]]);
  });

  it('when a secretary of another community, a grid worker or a resident imports or exports, then 403; an admin may; an unknown node is 404 and a street 400', async () => {
    const file = await xlsx([['', '1号楼', '1单元', '101', 77, '', '', '']]);
    const before = await fingerprint();
    for (const who of ['ledger-secretary-out', 'demo-gridworker-1', 'demo-resident-1']) {
      expectError(await upload(who, communityId, false, form(file)), 403, 'FORBIDDEN');
      expectError(await server.call('GET', `/households/export?nodeId=${communityId}`, { token: await as(who) }), 403, 'FORBIDDEN');
    }
    expect(await fingerprint()).toBe(before);
    // The other community's secretary keeps their own (empty) ledger.
    expect((await download('ledger-secretary-out', `/households/export?nodeId=${otherCommunityId}`)).status).toBe(200);
    expect(await importLedger(file, true, 'demo-admin')).toMatchObject({ updated: 1 });
    expectError(await upload('demo-secretary-1', 999_999, true, form(file)), 404, 'NOT_FOUND');
    const street = (await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001' })).id;
    expectError(await upload('demo-admin', street, true, form(file)), 400, 'VALIDATION_FAILED');
  });

  it('when the upload is not an .xlsx, too big, missing, or has no header, then 415, 413 or 400 in the contract’s shape and nothing changes', async () => {
    const before = await fingerprint();
    expectError(await upload('demo-secretary-1', communityId, false, form(Buffer.from('楼栋,单元,房号\n1号楼,1单元,101\n'), '台账.csv')), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await upload('demo-secretary-1', communityId, false, JSON.stringify({ file: 'x' }), 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // A zip that is no workbook.
    const zipOnly = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex');
    expectError(await upload('demo-secretary-1', communityId, false, form(zipOnly)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const big = await upload('demo-secretary-1', communityId, false, form(Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(10 * 1024 * 1024 + 1)])));
    expect(expectError(big, 413, 'PAYLOAD_TOO_LARGE').message).toContain('10 MB');
    const empty = new FormData();
    empty.append('note', '没有文件');
    expect(expectError(await upload('demo-secretary-1', communityId, false, empty), 400, 'VALIDATION_FAILED').details).toEqual([{ path: 'body.file', message: '缺少文件字段 file' }]);
    const headless = await xlsx([['1号楼', '1单元', '101']], ['楼', '单', '房']);
    expect(expectError(await upload('demo-secretary-1', communityId, false, form(headless)), 400, 'VALIDATION_FAILED').message).toContain('表头');
    expect(await fingerprint()).toBe(before);
  });

  it('when the .xlsx is damaged or unpacks to a bomb, then 415 or 413 at once (the streaming reader never waits on a broken zip)', async () => {
    const good = await xlsx([['', '1号楼', '1单元', '101', '', '', '', '']]);
    expect(await readLedgerRows(good)).toHaveLength(1);
    // The sheet's compressed bytes overwritten: the inflate fails, or the checksum does not match.
    const sheetAt = good.indexOf('xl/worksheets/sheet1.xml');
    const damaged = Buffer.from(good);
    for (let i = sheetAt + 40; i < sheetAt + 80; i++) damaged[i] ^= 0x5a;
    expectError(await upload('demo-secretary-1', communityId, true, form(damaged)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expect(readLedgerRows(zipOf('xl/worksheets/sheet1.xml', Buffer.from('<worksheet/>'), 200 * 1024 * 1024))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(readLedgerRows(zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(4096), 100))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('when the stream reader cannot park a sheet (no temporary directory), then a small valid file is read whole, and a damaged one is still refused', async () => {
    const good = await xlsx([['', '1号楼', '1单元', '101', '', '', '', '']]);
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/linli-no-tmp';
    try {
      expect(await readLedgerRows(good)).toHaveLength(1);
      const damaged = Buffer.from(good);
      const sheetAt = good.indexOf('xl/worksheets/sheet1.xml');
      for (let i = sheetAt + 40; i < sheetAt + 80; i++) damaged[i] ^= 0x5a;
      await expect(readLedgerRows(damaged)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      // Small packed but large unpacked (a 9 MB cell): never held whole as a workbook model.
      const swollen = await xlsx([['', '1号楼', '1单元', '101', '', '', '', 'x'.repeat(9 * 1024 * 1024)]]);
      expect(swollen.length).toBeLessThan(2 * 1024 * 1024);
      await expect(readLedgerRows(swollen)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
  });

  it('when a sheet has more rows than the limit, then reading stops with 413 naming the limit', async () => {
    const rows = Array.from({ length: 6 }, (_, i): Cell[] => ['', '1号楼', '1单元', `${i + 1}01`, '', '', '', '']);
    await expect(readLedgerRows(await xlsx(rows), 5)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('最多 5 行') });
    expect(await readLedgerRows(await xlsx(rows.slice(0, 5)), 5)).toHaveLength(5);
  });

  it('when two staff import the same new ledger at once, then its flats and people are made once', async () => {
    const rows: Cell[][] = Array.from({ length: 20 }, (_, i) => ['桂馨苑微网格', '10号楼', '1单元', `${i + 1}01`, 88, `并发${i}`, `1360000${String(i).padStart(4, '0')}`, '业主']);
    const file = await xlsx(rows);
    const users = await server.dataSource.getRepository(User).count();
    const [a, b] = await Promise.all([importLedger(file, false), importLedger(file, false, 'demo-admin')]);
    expect([a.created, b.created].sort()).toEqual([0, 20]);
    expect([a.unchanged, b.unchanged].sort()).toEqual([0, 20]);
    expect(await server.dataSource.getRepository(User).count()).toBe(users + 20);
    const ten = await server.dataSource.getRepository(Building).findBy({ name: '10号楼' });
    expect(ten).toHaveLength(1);
    expect(await server.dataSource.getRepository(Household).countBy({ buildingId: ten[0].id })).toBe(20);
  });

  it('when a secretary fixes a flat by hand, then its members come with what removing them needs; staff of another grid get 404 and residents 403', async () => {
    const flat101 = (await flat('1号楼', '1单元', '102'))!;
    const token = await as('demo-secretary-1');
    const view = (await server.call('GET', `/households/${flat101.id}/members`, { token })).body;
    expect(view.household).toEqual({ id: flat101.id, label: '1号楼 1单元 102', areaM2: flat101.areaM2 });
    expect(view.members.map((m: { person: { name: string }; relation: string }) => [m.person.name, m.relation])).toEqual([
      ['李国强', 'owner'],
      ['孙阿姨', 'tenant'],
    ]);
    expect(view.members[1]).toMatchObject({ status: 'verified', method: 'ledger', person: { phoneMasked: '139****9002', usesApp: false } });
    const tenant = view.members[1];
    expect((await server.call('POST', `/memberships/${tenant.membershipId}/remove`, { token, body: { reason: '已退租', version: tenant.version } })).status).toBe(200);
    expect((await server.call('POST', '/residents', { token, body: { name: '孙小妹', householdId: flat101.id, relation: 'family' } })).status).toBe(201);
    const after = (await server.call('GET', `/households/${flat101.id}/members`, { token })).body;
    expect(after.members.map((m: { person: { name: string } }) => m.person.name)).toEqual(['李国强', '孙小妹']);
    expect((await server.call('GET', `/households/${flat101.id}/members`, { token: await as('demo-gridworker-1') })).status).toBe(200);
    expectError(await server.call('GET', `/households/${flat101.id}/members`, { token: await as('demo-gridworker-2') }), 404, 'NOT_FOUND');
    expectError(await server.call('GET', `/households/${flat101.id}/members`, { token: await as('demo-resident-2') }), 403, 'FORBIDDEN');
  });

  it('when dryRun is left out, then nothing is written (the dry run is the default)', async () => {
    const before = await fingerprint();
    const result = await upload('demo-secretary-1', communityId, null, form(await xlsx([['', '1号楼', '1单元', '101', 66.6, '', '', '']])));
    expect(result.body).toMatchObject({ dryRun: true, updated: 1 });
    expect(await fingerprint()).toBe(before);
  });
});
