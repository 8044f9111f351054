import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsOverview } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Consultation, ConsultationEventRow, ConsultationVote } from '../consultations/consultation.entities';
import { GridNode } from '../grids/grid-node.entity';
import { User } from '../identity/user.entity';
import { LedgerAccount, LedgerEntry } from '../ledger/ledger.entities';
import { Report } from '../reports/report.entity';
import { TimebankClaimRow, TimebankTaskRow } from '../timebank/timebank.entities';
import { countKpis, kpiFigures } from './kpi';
import { cn, EXPECTED_COMMUNITY, EXPECTED_G1, EXPECTED_G2, EXPECTED_OCTOBER, FIXTURE, NOW, type Place } from './kpi-fixture';
import { EXPORT_COLUMNS } from './reports-export';

const CODES: Record<Place, string> = {
  M11: '330199001001-G01-M01',
  M12: '330199001001-G01-M02',
  M21: '330199001001-G02-M01',
  M22: '330199001001-G02-M02',
  street: '330199001',
};
const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

describe('GET /stats/overview and the .xlsx export on hand-built reports', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const node: Record<string, GridNode> = {};
  const reportIds: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => NOW.getTime() } });
    for (const who of ['demo-resident-1', 'demo-gridworker-1', 'demo-secretary-1', 'demo-admin', 'demo-department-1']) tokens[who] = await server.login(who);
    const nodes = server.dataSource.getRepository(GridNode);
    for (const code of ['330199001001', '330199001001-G01', '330199001001-G02', ...Object.values(CODES)]) node[code] = await nodes.findOneByOrFail({ code });
    const reporter = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' });
    const reports = server.dataSource.getRepository(Report);
    for (const [i, r] of FIXTURE.entries()) {
      const place = node[CODES[r.place]];
      const { identifiers } = await reports.insert({
        number: `SS20261100-${String(i + 1).padStart(4, '0')}`,
        status: r.status,
        categoryCode: r.categoryCode,
        description: `测试说事 ${r.key}：楼下垃圾桶满了`,
        photos: '[]',
        lat: r.lat,
        lng: r.lng,
        anonymous: r.anonymous,
        channel: r.channel,
        reporterId: reporter.id,
        createdById: reporter.id,
        gridNodeId: place.id,
        gridPath: place.path,
        handlingMethod: r.handlingMethod,
        dueAt: r.dueAt,
        resolvedAt: r.resolvedAt,
        closedAt: r.closedAt,
        rating: r.rating,
        reopenCount: r.reopenCount,
        extendedAt: r.extendedAt,
        createdAt: r.createdAt,
        updatedAt: r.createdAt,
      });
      reportIds[r.key] = identifiers[0].id;
    }
  });
  afterAll(() => server.close());

  const overview = async (who: string, query: string) => server.call<StatsOverview>('GET', `/stats/overview?${query}`, { token: tokens[who] });
  const community = () => node['330199001001'];

  it('the stored rows read back as the fixture (so the SQL below works on the same data as the pure test)', async () => {
    const rows = await server.dataSource.getRepository(Report).find();
    const back = FIXTURE.filter((r) => r.place !== 'street').map((r) => rows.find((row) => row.id === reportIds[r.key])!);
    expect(back.map((r) => r.createdAt.toISOString())).toEqual(FIXTURE.filter((r) => r.place !== 'street').map((r) => r.createdAt.toISOString()));
  });

  it('SQL gives the known answers for the community, the same as the pure definitions', async () => {
    const result = await overview('demo-secretary-1', `nodeId=${community().id}&${NOVEMBER}`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const body = result.body;
    expect(body.from).toBe('2026-10-31T16:00:00.000Z');
    expect(body.to).toBe('2026-11-30T16:00:00.000Z');
    const { received, closed, rejected, merged, extended, deferred, completionRate, onTimeRate, satisfaction, avgHandleHours, overdue } = body;
    expect({ received, closed, rejected, merged, extended, deferred, completionRate, onTimeRate, satisfaction, avgHandleHours, overdue }).toEqual(EXPECTED_COMMUNITY);
    const pure = kpiFigures(countKpis(FIXTURE.filter((r) => r.place !== 'street'), cn('2026-11-01 00:00'), cn('2026-12-01 00:00'), NOW));
    expect({ received, closed, rejected, merged, extended, deferred, completionRate, onTimeRate, satisfaction, avgHandleHours }).toEqual(pure);
  });

  it('SQL counts extended reports apart and takes the deferred out of the base, as the pure definitions do (October)', async () => {
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}&from=2026-10-01&to=2026-10-31`);
    const { received, closed, rejected, merged, extended, deferred, completionRate, onTimeRate, satisfaction, avgHandleHours } = body;
    expect({ received, closed, rejected, merged, extended, deferred, completionRate, onTimeRate, satisfaction, avgHandleHours }).toEqual(EXPECTED_OCTOBER);
    // Per grid: P R S I are G1's, N (M22) and Q (M21) G2's.
    expect(body.byChild.map((c) => [c.name, c.received, c.extended, c.deferred, c.completionRate])).toEqual([
      ['桂花社区第一网格', 4, 2, 0, 0.75],
      ['桂花社区第二网格', 2, 2, 1, 0],
    ]);
  });

  it('drills down to the two grids, whose figures add up to the community', async () => {
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}&${NOVEMBER}`);
    expect(body.byChild.map((c) => c.name)).toEqual(['桂花社区第一网格', '桂花社区第二网格']);
    expect(body.byChild[0]).toMatchObject(EXPECTED_G1);
    expect(body.byChild[1]).toMatchObject(EXPECTED_G2);
    // The same figures asked of a grid directly.
    const g1 = await overview('demo-secretary-1', `nodeId=${node['330199001001-G01'].id}&${NOVEMBER}`);
    expect(g1.body).toMatchObject(EXPECTED_G1);
    expect(g1.body.byChild.map((c) => [c.name, c.received])).toEqual([['桂香苑微网格', 3], ['桂馨苑微网格', 2]]);
  });

  it('splits by category, channel and handling method, each adding up to the whole', async () => {
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}&${NOVEMBER}`);
    const sum = (rows: { received: number }[]) => rows.reduce((s, r) => s + r.received, 0);
    expect(body.byCategory.map((c) => [c.key, c.label, c.received])).toEqual([['sanitation', '环境卫生', 6], ['water', '供水排水', 2], ['noise', '噪音扰民', 1]]);
    expect(body.byChannel.map((c) => [c.key, c.label, c.received])).toEqual([['miniprogram', '小程序', 7], ['grid_patrol', '网格巡查', 1], ['hotline', '热线', 1]].map(([k, , n]) => [k, expect.any(String), n]));
    expect(body.byHandlingMethod.map((c) => [c.key, c.received])).toEqual([['on_site', 6], ['department', 1], ['none', 2]]);
    for (const rows of [body.byCategory, body.byChannel, body.byHandlingMethod]) expect(sum(rows)).toBe(9);
    expect(body.byHandlingMethod.find((m) => m.key === 'department')).toMatchObject({ closed: 1, onTimeRate: 0, satisfaction: { average: 3 } });
  });

  it('daily: one row per China day; received by the day it came in, closed by the day it closed', async () => {
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}&${NOVEMBER}`);
    expect(body.daily).toHaveLength(30);
    expect(body.daily[0]).toEqual({ date: '2026-11-01', received: 1, closed: 0 }); // K at 00:00
    expect(body.daily.find((d) => d.date === '2026-11-02')).toEqual({ date: '2026-11-02', received: 0, closed: 1 }); // I, received in October
    expect(body.daily.reduce((s, d) => s + d.received, 0)).toBe(9);
    expect(body.daily.filter((d) => d.closed).map((d) => d.date)).toEqual(['2026-11-02', '2026-11-05', '2026-11-13', '2026-11-18']);
  });

  it('hot spots: the micro-grids with most reports, and ~100 m cells', async () => {
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}&${NOVEMBER}`);
    expect(body.hotSpots.nodes[0]).toMatchObject({ name: '桂香苑微网格', received: 3, open: 0, path: ['桂花社区', '桂花社区第一网格', '桂香苑微网格'] });
    expect(body.hotSpots.nodes.map((n) => n.received)).toEqual([3, 2, 2, 2]);
    expect(body.hotSpots.cells[0]).toEqual({ lat: 30.279, lng: 120.15, received: 8 });
  });

  it('without from/to: the current China month so far; a period longer than a year is 400', async () => {
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}`);
    expect(body.from).toBe(cn('2026-12-01 00:00').toISOString());
    expect(body.to).toBe(NOW.toISOString());
    expect(body.received).toBe(1); // J
    expectError(await overview('demo-secretary-1', `nodeId=${community().id}&from=2025-01-01&to=2026-11-30`), 400, 'VALIDATION_FAILED');
    expectError(await overview('demo-secretary-1', `nodeId=${community().id}&from=2026-11-30&to=2026-11-01`), 400, 'VALIDATION_FAILED');
    expectError(await overview('demo-secretary-1', `nodeId=${community().id}&from=yesterday`), 400, 'VALIDATION_FAILED');
  });

  it('who may: secretary and admin over the node, a grid worker for their grid; others 403, an unknown node 404', async () => {
    expect((await overview('demo-admin', `nodeId=${community().id}&${NOVEMBER}`)).body.received).toBe(9);
    expect((await overview('demo-gridworker-1', `nodeId=${node['330199001001-G01'].id}&${NOVEMBER}`)).body.received).toBe(5);
    expectError(await overview('demo-gridworker-1', `nodeId=${community().id}&${NOVEMBER}`), 403, 'FORBIDDEN');
    expectError(await overview('demo-gridworker-1', `nodeId=${node['330199001001-G02'].id}&${NOVEMBER}`), 403, 'FORBIDDEN');
    expectError(await overview('demo-secretary-1', `nodeId=${node['330199001'].id}&${NOVEMBER}`), 403, 'FORBIDDEN');
    expectError(await overview('demo-resident-1', `nodeId=${community().id}&${NOVEMBER}`), 403, 'FORBIDDEN');
    expectError(await overview('demo-department-1', `nodeId=${community().id}&${NOVEMBER}`), 403, 'FORBIDDEN');
    expectError(await overview('demo-secretary-1', `nodeId=999999&${NOVEMBER}`), 404, 'NOT_FOUND');
    expectError(await server.call('GET', `/stats/overview?nodeId=${community().id}`), 401, 'UNAUTHENTICATED');
    // Without nodeId: the caller's widest node.
    expect((await overview('demo-gridworker-1', NOVEMBER)).body.node.name).toBe('桂花社区第一网格');
  });

  it('beside the reports: consultation participation, volunteer hours and points issued in the period', async () => {
    const ds = server.dataSource;
    const m11 = node[CODES.M11];
    const consultations = ds.getRepository(Consultation);
    const decided = async (at: string, votes: number) => {
      const { identifiers } = await consultations.insert({
        title: '加装电梯',
        description: '测试',
        status: 'decided',
        scope: 'microgrid',
        scopeNodeId: m11.id,
        scopePath: m11.path,
        proposerId: 1,
        proposerHouseholdId: 1,
        supportThreshold: 3,
        outcome: 'passed',
        eligibleAtClose: 24,
      });
      const id = identifiers[0].id as number;
      await ds.getRepository(ConsultationEventRow).insert({ consultationId: id, action: 'close', fromStatus: 'discussing', toStatus: 'decided', createdAt: cn(at) });
      for (let h = 1; h <= votes; h++) await ds.getRepository(ConsultationVote).insert({ consultationId: id, householdId: h, optionId: 1, userId: 1 });
    };
    await decided('2025-03-10 20:00', 6);
    await decided('2025-02-28 20:00', 20); // the month before
    const task = await ds.getRepository(TimebankTaskRow).insert({
      communityId: community().id,
      scopeNodeId: community().id,
      scopePath: community().path,
      title: '陪伴老人',
      description: '测试',
      startAt: cn('2025-03-01 09:00'),
      endAt: cn('2025-03-01 11:00'),
      minutes: 90,
      capacity: 5,
      status: 'ended',
      fundedBy: 'community',
      posterId: 1,
      payerAccountId: 1,
      escrowAccountId: 1,
    });
    const taskId = task.identifiers[0].id as number;
    for (const [userId, settled] of [[101, '2025-03-05 10:00'], [102, '2025-03-31 23:00'], [103, '2025-04-01 00:00']] as const) {
      await ds.getRepository(TimebankClaimRow).insert({ taskId, userId, status: 'confirmed', settledAt: cn(settled) });
    }
    const issuing = await ds.getRepository(LedgerAccount).findOneByOrFail({ unit: 'points', kind: 'issuing', ownerId: community().id });
    for (const [amount, at] of [[5, '2025-03-02 10:00'], [10, '2025-03-20 10:00'], [7, '2025-04-02 10:00']] as const) {
      await ds.getRepository(LedgerEntry).insert({ unit: 'points', fromAccountId: issuing.id, toAccountId: issuing.id + 1000, amount, reason: 'award', memo: '测试', createdAt: cn(at) });
    }
    const { body } = await overview('demo-secretary-1', `nodeId=${community().id}&from=2025-03-01&to=2025-03-31`);
    expect(body.consultations).toEqual({ decided: 1, eligibleHouseholds: 24, votedHouseholds: 6, participationRate: 0.25 });
    expect(body.volunteerHours).toEqual({ confirmedClaims: 2, hours: 3 });
    expect(body.pointsIssued).toEqual({ points: 15, awards: 2, communityIds: [community().id] });
    expect(body.received).toBe(0);
    expect(body.completionRate).toBeNull();
    // A grid below the community: the consultation of its micro-grid counts; hours of a community task do not.
    const g1 = await overview('demo-secretary-1', `nodeId=${node['330199001001-G01'].id}&from=2025-03-01&to=2025-03-31`);
    expect(g1.body.consultations.decided).toBe(1);
    expect(g1.body.volunteerHours.hours).toBe(0);
  });

  describe('GET /stats/reports.xlsx', () => {
    const download = (who: string, query: string) => fetch(`${server.baseUrl}/api/v1/stats/reports.xlsx?${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });

    it('streams the period’s reports with Chinese headers and a Chinese file name; anonymous reporters are not named', async () => {
      const response = await download('demo-secretary-1', `nodeId=${community().id}&${NOVEMBER}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const disposition = response.headers.get('content-disposition')!;
      expect(disposition).toContain('filename="reports_2026-11-01_2026-11-30.xlsx"');
      expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe('桂花社区说事台账_2026-11-01至2026-11-30.xlsx');

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
      const sheet = workbook.getWorksheet('说事台账')!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(EXPORT_COLUMNS.map((c) => c.header));
      expect(header.slice(0, 5)).toEqual(['编号', '类别', '描述', '渠道', '状态']);
      expect(sheet.rowCount).toBe(1 + 9);
      const rows = Array.from({ length: 9 }, (_, i) => {
        const values = (sheet.getRow(i + 2).values as unknown[]).slice(1);
        return Object.fromEntries(EXPORT_COLUMNS.map((c, j) => [c.header, values[j] ?? '']));
      });
      const byKey = (key: string) => rows.find((r) => String(r['描述']).includes(` ${key}：`))!;
      expect(byKey('A')).toMatchObject({ 类别: '环境卫生', 状态: '已办结', 提交人: '张晓梅', 提交时间: '2026-11-03 10:00', 办结时限: '2026-11-05 10:00', 办结时间: '2026-11-05 12:00', 评价: 5, 是否超期: '否' });
      expect(byKey('B')).toMatchObject({ 渠道: '热线电话', 是否超期: '是' });
      expect(byKey('D')).toMatchObject({ 提交人: '匿名', 是否超期: '' });
      expect(byKey('F')).toMatchObject({ 是否超期: '是', 重办次数: 1, 办结时间: '' });
      expect(byKey('K')['网格']).toBe('桂花社区 / 桂花社区第一网格 / 桂馨苑微网格');
      const text = JSON.stringify(rows);
      expect(text).not.toMatch(/1385711/); // no phone numbers
      expect(rows.some((r) => String(r['描述']).includes(' I：') || String(r['描述']).includes(' J：') || String(r['描述']).includes(' L：'))).toBe(false);
    });

    it('is refused like the dashboard: 403 out of scope or without the role, 404 for an unknown node', async () => {
      expectError(await server.call('GET', `/stats/reports.xlsx?nodeId=${community().id}&${NOVEMBER}`, { token: tokens['demo-resident-1'] }), 403, 'FORBIDDEN');
      expectError(await server.call('GET', `/stats/reports.xlsx?nodeId=${community().id}&${NOVEMBER}`, { token: tokens['demo-gridworker-1'] }), 403, 'FORBIDDEN');
      expectError(await server.call('GET', `/stats/reports.xlsx?nodeId=999999&${NOVEMBER}`, { token: tokens['demo-admin'] }), 404, 'NOT_FOUND');
    });
  });
});
