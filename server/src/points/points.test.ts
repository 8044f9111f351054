import { IsNull, Not } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, Leaderboard, PointsMe, Redemption, ReportDetail, Reward } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Building } from '../grids/building.entity';
import { Household } from '../grids/household.entity';
import { User } from '../identity/user.entity';
import { COMMUNITY, GRID2, ledgerProblems, makeUsers, nodeId } from '../ledger/test-support';
import { PointAward } from './points.entities';

describe('civility points over HTTP', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  const call = async <T = any>(method: string, path: string, who: string, body?: unknown, headers?: Record<string, string>) =>
    server.call<T>(method, path, { token: who.startsWith('ey') ? who : await as(who), body, headers });
  const userId = async (openid: string) => (await server.dataSource.getRepository(User).findOneByOrFail({ openid })).id;
  const balance = async (who: string) => (await call<PointsMe>('GET', '/points/me', who)).body.balance;
  /** A secretary of grid 2 only: no scope over the residents of grid 1. */
  let grid2Secretary: string;

  beforeAll(async () => {
    server = await startTestServer();
    [{ token: grid2Secretary }] = await makeUsers(server, 'g2-secretary', 1, { role: { role: 'secretary', nodeId: await nodeId(server.dataSource, GRID2) } });
  });
  afterAll(async () => {
    expect(await ledgerProblems(server.dataSource)).toEqual([]);
    await server.close();
  });

  it('我的积分: the balance and its history, newest first, each with its reason; paginated', async () => {
    const me = await call<PointsMe>('GET', '/points/me', 'demo-resident-1');
    expect(me.status).toBe(200);
    expect(me.body.balance).toBe(30);
    expect(me.body.entries[0]).toMatchObject({ amount: 30, reason: 'award', text: '好人好事：帮助独居老人搬运生活物资' });
    expect(Date.parse(me.body.entries[0].createdAt)).toBeGreaterThan(0);
    const nobody = await call<PointsMe>('GET', '/points/me', 'demo-resident-6');
    expect(nobody.body).toEqual({ balance: 0, entries: [], nextCursor: null });
    const page1 = await call<PointsMe>('GET', '/points/me?limit=1', 'demo-volunteer-1');
    expect(page1.body.entries).toHaveLength(1);
    expect(page1.body.nextCursor).toBeNull();
  });

  it('a secretary awards a good deed in their scope; a retry with the same Idempotency-Key pays once', async () => {
    const resident2 = await userId('demo-resident-2');
    const before = await balance('demo-resident-2');
    const key = randomUUID();
    const first = await call('POST', '/points/awards', 'demo-secretary-1', { userId: resident2, points: 8, note: '雨天帮邻居收衣服' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ userId: resident2, points: 8, note: '雨天帮邻居收衣服', balance: before + 8 });
    const again = await call('POST', '/points/awards', 'demo-secretary-1', { userId: resident2, points: 8, note: '雨天帮邻居收衣服' }, { 'idempotency-key': key });
    expect(again.body.id).toBe(first.body.id);
    expect(await balance('demo-resident-2')).toBe(before + 8);
    expect((await call<PointsMe>('GET', '/points/me', 'demo-resident-2')).body.entries[0].text).toBe('好人好事：雨天帮邻居收衣服');
  });

  it('awards: only a secretary over the resident; errors in the contract shape', async () => {
    const resident2 = await userId('demo-resident-2');
    // A secretary whose scope does not reach the resident does not see them; a non-secretary may not award at all.
    expectError(await call('POST', '/points/awards', grid2Secretary, { userId: resident2, points: 5, note: '好人好事' }), 404, 'NOT_FOUND');
    expectError(await call('POST', '/points/awards', 'demo-gridworker-1', { userId: resident2, points: 5, note: '好人好事' }), 403, 'FORBIDDEN');
    expectError(await call('POST', '/points/awards', 'demo-resident-1', { userId: resident2, points: 5, note: '好人好事' }), 403, 'FORBIDDEN');
    const invalid = expectError(await call('POST', '/points/awards', 'demo-secretary-1', { userId: resident2, points: 0, note: '好' }), 400, 'VALIDATION_FAILED');
    expect(invalid.details.map((d) => d.path)).toEqual(expect.arrayContaining(['body.points', 'body.note']));
    expectError(await call('POST', '/points/awards', 'demo-secretary-1', { userId: 999999, points: 5, note: '好人好事' }), 404, 'NOT_FOUND');
    expectError(await server.call('GET', '/points/me'), 401, 'UNAUTHENTICATED');
  });

  it('the mall: residents see their community’s rewards; only its secretary stocks and edits them', async () => {
    const list = await call<{ items: Reward[] }>('GET', '/rewards', 'demo-resident-1');
    expect(list.body.items.map((r) => r.name)).toEqual(['环保购物袋', '抽纸（一提）', '洗衣液', '理发券', '家电清洗服务', '体检套餐']);
    const imageUrl = await server.upload(await as('demo-secretary-1'));
    const created = await call<Reward>('POST', '/rewards', 'demo-secretary-1', { name: '社区电影票', cost: 25, stock: 3, description: '周六晚社区广场', imageUrl });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '社区电影票', cost: 25, stock: 3, active: true, imageUrl });
    expectError(await call('POST', '/rewards', 'demo-resident-1', { name: '私货', cost: 1, stock: 1 }), 403, 'FORBIDDEN');
    expectError(await call('POST', '/rewards', grid2Secretary, { name: '越权', cost: 1, stock: 1, communityId: await nodeId(server.dataSource, COMMUNITY) }), 403, 'FORBIDDEN');
    expectError(await call('PUT', `/rewards/${created.body.id}`, grid2Secretary, { stock: 100 }), 404, 'NOT_FOUND');
    expectError(await call('PUT', `/rewards/${created.body.id}`, 'demo-resident-1', { stock: 100 }), 403, 'FORBIDDEN');
    const edited = await call<Reward>('PUT', `/rewards/${created.body.id}`, 'demo-secretary-1', { stock: 4, cost: 30 });
    expect(edited.body).toMatchObject({ stock: 4, cost: 30 });
    await call('PUT', `/rewards/${created.body.id}`, 'demo-secretary-1', { active: false });
    expect((await call<{ items: Reward[] }>('GET', '/rewards', 'demo-resident-1')).body.items.some((r) => r.id === created.body.id)).toBe(false);
    expect((await call<{ items: Reward[] }>('GET', '/rewards?all=true', 'demo-secretary-1')).body.items.some((r) => r.id === created.body.id)).toBe(true);
    expectError(await call('POST', `/rewards/${created.body.id}/redeem`, 'demo-resident-1'), 404, 'NOT_FOUND');
  });

  it('redeem → fulfil once; redeem → cancel refunds and restocks, once; 409 when the balance is too low or the stock is gone', async () => {
    const rewards = (await call<{ items: Reward[] }>('GET', '/rewards', 'demo-resident-1')).body.items;
    const bag = rewards.find((r) => r.name === '环保购物袋')!;
    await call('POST', '/points/awards', 'demo-secretary-1', { userId: await userId('demo-resident-1'), points: 50, note: '社区义诊志愿者' });
    const before = await balance('demo-resident-1');
    const redeemed = await call<Redemption>('POST', `/rewards/${bag.id}/redeem`, 'demo-resident-1');
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({ status: 'pending', cost: 20, reward: { name: '环保购物袋' }, actions: ['cancel'] });
    expect(await balance('demo-resident-1')).toBe(before - 20);
    expect((await call<PointsMe>('GET', '/points/me', 'demo-resident-1')).body.entries[0]).toMatchObject({ amount: -20, reason: 'redeem', text: '兑换 环保购物袋' });

    const queue = await call<{ items: Redemption[] }>('GET', '/redemptions?scope=queue&status=pending', 'demo-secretary-1');
    expect(queue.body.items.find((r) => r.id === redeemed.body.id)?.actions).toEqual(['fulfil', 'cancel']);
    expectError(await call('GET', '/redemptions?scope=queue', 'demo-resident-1'), 403, 'FORBIDDEN');
    expectError(await call('POST', `/redemptions/${redeemed.body.id}/fulfil`, 'demo-resident-1', {}), 403, 'FORBIDDEN');
    expectError(await call('POST', `/redemptions/${redeemed.body.id}/fulfil`, grid2Secretary, {}), 404, 'NOT_FOUND');
    const fulfilled = await call<Redemption>('POST', `/redemptions/${redeemed.body.id}/fulfil`, 'demo-secretary-1', {});
    expect(fulfilled.body).toMatchObject({ status: 'fulfilled', version: 1, actions: [] });
    expectError(await call('POST', `/redemptions/${redeemed.body.id}/fulfil`, 'demo-secretary-1', {}), 409, 'INVALID_TRANSITION');
    expectError(await call('POST', `/redemptions/${redeemed.body.id}/cancel`, 'demo-secretary-1', {}), 409, 'INVALID_TRANSITION');

    const second = await call<Redemption>('POST', `/rewards/${bag.id}/redeem`, 'demo-resident-1');
    const stockBefore = (await call<{ items: Reward[] }>('GET', '/rewards', 'demo-resident-1')).body.items.find((r) => r.id === bag.id)!.stock;
    const cancelled = await call<Redemption>('POST', `/redemptions/${second.body.id}/cancel`, 'demo-secretary-1', { note: '本周缺货' });
    expect(cancelled.body.status).toBe('cancelled');
    expect(await balance('demo-resident-1')).toBe(before - 20);
    expect((await call<{ items: Reward[] }>('GET', '/rewards', 'demo-resident-1')).body.items.find((r) => r.id === bag.id)!.stock).toBe(stockBefore + 1);
    expectError(await call('POST', `/redemptions/${second.body.id}/cancel`, 'demo-resident-1', {}), 409, 'INVALID_TRANSITION');
    const mine = await call<{ items: Redemption[] }>('GET', '/redemptions', 'demo-resident-1');
    expect(mine.body.items.map((r) => r.status)).toEqual(['cancelled', 'fulfilled']);

    const checkup = rewards.find((r) => r.name === '体检套餐')!;
    const poor = expectError(await call('POST', `/rewards/${checkup.id}/redeem`, 'demo-resident-3'), 409, 'CONFLICT');
    expect(poor.message).toContain('积分不足');
    const soldOut = await call<Reward>('POST', '/rewards', 'demo-secretary-1', { name: '限量纪念品', cost: 1, stock: 0 });
    expect(expectError(await call('POST', `/rewards/${soldOut.body.id}/redeem`, 'demo-resident-1'), 409, 'CONFLICT').message).toContain('已兑完');
    expect(await balance('demo-resident-1')).toBe(before - 20);
  });

  it('文明积分榜 by community, grid and building, this month and all time; nicknames, never phone numbers', async () => {
    const community = await nodeId(server.dataSource, COMMUNITY);
    const board = await call<Leaderboard>('GET', `/points/leaderboard?nodeId=${community}&period=all`, 'demo-resident-2');
    expect(board.status).toBe(200);
    expect(board.body.scope).toMatchObject({ kind: 'node', name: '桂花社区' });
    // Neighbours' names are masked unless they chose to show them (leaderboard.test.ts).
    expect(board.body.items[0]).toMatchObject({ rank: 1, nickname: '张*梅', masked: true, points: 80 });
    const ranks = board.body.items.map((i) => i.points);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(board.body.me?.nickname).toBe('李国强');
    expect(JSON.stringify(board.body)).not.toMatch(/1385711/);
    // Redeeming does not lower a rank: it counts what was earned.
    expect(board.body.items.find((i) => i.nickname === '张*梅')!.points).toBe(30 + 50);

    const month = await call<Leaderboard>('GET', '/points/leaderboard?period=month', 'demo-resident-1');
    expect(month.body.scope.name).toBe('桂花社区');
    expect(month.body.since).not.toBeNull();

    const building2 = await server.dataSource.getRepository(Building).findOneByOrFail({ name: '2号楼' });
    const byBuilding = await call<Leaderboard>('GET', `/points/leaderboard?buildingId=${building2.id}&period=all`, 'demo-resident-1');
    expect(byBuilding.body.items.map((i) => i.nickname)).toEqual(['陈*明']);
    const grid2 = await call<Leaderboard>('GET', `/points/leaderboard?nodeId=${await nodeId(server.dataSource, GRID2)}`, 'demo-resident-1');
    expect(grid2.body.items).toEqual([]);

    // Someone with no household and no staff role sees no community's board.
    const [stranger] = await makeUsers(server, 'stranger', 1);
    expectError(await call('GET', `/points/leaderboard?nodeId=${community}`, stranger.token), 403, 'FORBIDDEN');
    expectError(await call('GET', '/points/leaderboard?period=year', 'demo-resident-1'), 400, 'VALIDATION_FAILED');
  });

  it('hooks: a report closed with 5 stars pays its reporter +5 once', async () => {
    const before = await balance('demo-resident-4');
    const filed = await call<ReportDetail>('POST', '/reports', 'demo-resident-4', { categoryCode: 'sanitation', description: '单元门口的垃圾堆了好几天' }, { 'idempotency-key': randomUUID() });
    const id = filed.body.id;
    const workerId = await userId('demo-gridworker-1');
    await call('POST', `/reports/${id}/accept`, 'demo-gridworker-1', { priority: 'normal', handlingMethod: 'on_site' });
    await call('POST', `/reports/${id}/dispatch`, 'demo-gridworker-1', { assigneeId: workerId });
    await call('POST', `/reports/${id}/start`, 'demo-gridworker-1', {});
    await call('POST', `/reports/${id}/resolve`, 'demo-gridworker-1', { result: '已清理干净' });
    const rated = await call<ReportDetail>('POST', `/reports/${id}/rate`, 'demo-resident-4', { score: 5 });
    expect(rated.body.status).toBe('closed');
    expect(await balance('demo-resident-4')).toBe(before + 5);
    expect((await call<PointsMe>('GET', '/points/me', 'demo-resident-4')).body.entries[0]).toMatchObject({ amount: 5, text: '说事办结' });
    // The same award asked again (a retry of the hook) pays nothing.
    const again = await server.dataSource.transaction((m) =>
      server.app.points.award(m, { userId: rated.body.reporter!.id, rule: 'report_closed', sourceKey: id }),
    );
    expect(again).toEqual({ awarded: false, reason: 'duplicate' });
    expect(await balance('demo-resident-4')).toBe(before + 5);
  });

  it('hooks: approving a proposal pays the proposer +10; a vote +1 once however often it changes; comments +1, at most 3 a day', async () => {
    const before = { proposer: await balance('demo-resident-5'), voter: await balance('demo-resident-6') };
    const proposed = await call<ConsultationDetail>('POST', '/consultations', 'demo-resident-5', { title: '增设快递柜', description: '快递经常被放在楼道里，建议在楼下增设智能快递柜。' });
    // Co-signers: two more households of building 2.
    const building2 = await server.dataSource.getRepository(Building).findOneByOrFail({ name: '2号楼' });
    const households = await server.dataSource.getRepository(Household).find({ where: { buildingId: building2.id }, order: { id: 'ASC' } });
    // Flats where no app user lives yet (the ledger's people have no WeChat).
    const taken = new Set((await server.dataSource.getRepository(User).find({ where: { openid: Not(IsNull()) } })).map((u) => u.householdId));
    const free = households.filter((h) => !taken.has(h.id)).slice(0, 2).map((h) => h.id);
    const cosigners = await makeUsers(server, 'b2-cosigner', 2, { householdIds: free });
    for (const c of cosigners) await call('POST', `/consultations/${proposed.body.id}/cosign`, c.token, {});
    const approved = await call<ConsultationDetail>('POST', `/consultations/${proposed.body.id}/approve`, 'demo-secretary-1', {
      votingEndsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    });
    expect(approved.body.status).toBe('discussing');
    expect(await balance('demo-resident-5')).toBe(before.proposer + 10);

    const [yes, no] = approved.body.options;
    await call('POST', `/consultations/${proposed.body.id}/votes`, 'demo-resident-6', { optionId: yes.id });
    await call('POST', `/consultations/${proposed.body.id}/votes`, 'demo-resident-6', { optionId: no.id });
    expect(await balance('demo-resident-6')).toBe(before.voter + 1);

    for (let i = 0; i < 5; i++) {
      expect((await call('POST', `/consultations/${proposed.body.id}/comments`, 'demo-resident-6', { body: `第 ${i + 1} 条意见` })).status).toBe(201);
    }
    expect(await balance('demo-resident-6')).toBe(before.voter + 1 + 3);
    const resident6 = await userId('demo-resident-6');
    expect(await server.dataSource.getRepository(PointAward).countBy({ userId: resident6, rule: 'comment' })).toBe(3);
  });

  it('every mounted points route is in /openapi.json', async () => {
    const spec = (await server.call('GET', '/openapi.json')).body;
    for (const path of ['/points/me', '/points/leaderboard', '/points/awards', '/rewards', '/rewards/{id}', '/rewards/{id}/redeem', '/redemptions', '/redemptions/{id}/fulfil', '/redemptions/{id}/cancel']) {
      expect(spec.paths[`/api/v1${path}`] ?? spec.paths[path], path).toBeDefined();
    }
  });
});
