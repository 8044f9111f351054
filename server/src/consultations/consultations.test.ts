import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, ReportDetail } from '@linli/shared';
import { expectError, joinVerified, startTestServer, type TestServer } from '../../test/harness';
import { Notification } from '../notifications/notification.entity';
import { User } from '../identity/user.entity';
import { ConsultationVote } from './consultation.entities';

const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();

describe('building consultations over HTTP', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  let building1Households: { id: number; label: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const token = await as('demo-resident-1');
    const me = (await server.call('GET', '/me', { token })).body;
    building1Households = (await server.call('GET', `/buildings/${me.household.buildingId}/households`, { token })).body.items;
  });
  afterAll(() => server.close());

  /** A resident bound to the n-th household of building 1 (0–2 belong to demo residents 1–3). */
  async function neighbour(n: number, member = 'a'): Promise<string> {
    const token = await as(`b1-h${n}-${member}`);
    await joinVerified(server, token, building1Households[n].id, member === 'a' ? 'owner' : 'family');
    return token;
  }
  const post = async (who: string, path: string, body: Record<string, unknown> = {}) =>
    server.call<ConsultationDetail>('POST', path, { token: who.startsWith('ey') ? who : await as(who), body });

  async function proposeAndReview(): Promise<ConsultationDetail> {
    const proposed = await post('demo-resident-1', '/consultations', { title: '加装电动车充电桩', description: '楼下电动车乱停乱充，建议在东侧空地加装集中充电桩。' });
    expect(proposed.status).toBe(201);
    await post('demo-resident-2', `/consultations/${proposed.body.id}/cosign`);
    const reviewed = await post('demo-resident-3', `/consultations/${proposed.body.id}/cosign`);
    expect(reviewed.body.status).toBe('in_review');
    return reviewed.body;
  }

  it('提议题 → 审议题: the proposal goes to review once three households of the building support it', async () => {
    const proposed = await post('demo-resident-1', '/consultations', { title: '楼道加装声控灯', description: '楼道晚上太黑，老人上下楼不安全，建议加装声控灯。' });
    expect(proposed.body).toMatchObject({ status: 'proposed', scope: 'building', scopeName: '1号楼', supporters: 1, supportThreshold: 3 });
    expect(proposed.body.actions).toEqual(['withdraw']);
    // Building 2 is not in scope; the same household may not sign twice (a family member included).
    expectError(await post('demo-resident-4', `/consultations/${proposed.body.id}/cosign`), 404, 'NOT_FOUND');
    expectError(await post(await neighbour(0, 'family'), `/consultations/${proposed.body.id}/cosign`), 409, 'CONFLICT');
    expect((await post('demo-resident-2', `/consultations/${proposed.body.id}/cosign`)).body).toMatchObject({ supporters: 2, status: 'proposed' });
    const third = await post('demo-resident-3', `/consultations/${proposed.body.id}/cosign`);
    expect(third.body).toMatchObject({ supporters: 3, status: 'in_review' });
    const secretary = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' });
    const told = await server.dataSource.getRepository(Notification).findBy({ userId: secretary.id, kind: 'consultation.in_review' });
    expect(told.some((n) => n.link?.endsWith(`id=${proposed.body.id}`))).toBe(true);
    expectError(await post('demo-resident-1', `/consultations/${proposed.body.id}/cosign`), 409, 'INVALID_TRANSITION');
  });

  it('审议题: only the secretary approves or rejects; rejecting keeps the reason', async () => {
    const c = await proposeAndReview();
    expectError(await post('demo-resident-1', `/consultations/${c.id}/approve`, { votingEndsAt: inAWeek() }), 403, 'FORBIDDEN');
    expectError(await post('demo-gridworker-1', `/consultations/${c.id}/approve`, { votingEndsAt: inAWeek() }), 403, 'FORBIDDEN');
    expectError(await post('demo-secretary-1', `/consultations/${c.id}/approve`, { votingEndsAt: '2020-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED');
    const rejected = await post('demo-secretary-1', `/consultations/${c.id}/reject`, { reason: '属于物业合同约定事项，请先与物业协商' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '属于物业合同约定事项，请先与物业协商' });
    expectError(await post('demo-secretary-1', `/consultations/${c.id}/approve`, { votingEndsAt: inAWeek() }), 409, 'INVALID_TRANSITION');
  });

  it('the proposer may withdraw before voting; nobody else may', async () => {
    const c = await proposeAndReview();
    expectError(await post('demo-resident-2', `/consultations/${c.id}/withdraw`), 403, 'FORBIDDEN');
    expect((await post('demo-resident-1', `/consultations/${c.id}/withdraw`)).body.status).toBe('withdrawn');
  });

  it('议议题 → 落议题: discuss, vote (one per household, changeable), close, implement with progress, complete', async () => {
    const c = await proposeAndReview();
    const approved = await post('demo-secretary-1', `/consultations/${c.id}/approve`, { votingEndsAt: inAWeek(), rule: 'simple', options: ['同意', '不同意', '弃权'] });
    expect(approved.body).toMatchObject({ status: 'discussing', rule: 'simple' });
    expect(approved.body.options.map((o) => o.label)).toEqual(['同意', '不同意', '弃权']);
    const [yes, no] = approved.body.options;

    // Comments: length limit, hiding by the secretary.
    const comment = await post('demo-resident-2', `/consultations/${c.id}/comments`, { body: '支持，晚上充电太不方便了' });
    expect(comment.status).toBe(201);
    expectError(await post('demo-resident-2', `/consultations/${c.id}/comments`, { body: '长'.repeat(501) }), 400, 'VALIDATION_FAILED');
    await post('demo-resident-3', `/consultations/${c.id}/comments`, { body: '某某就是想占车位，别理他' });
    const withComments = await server.call<ConsultationDetail>('GET', `/consultations/${c.id}`, { token: await as('demo-resident-1') });
    const rude = withComments.body.comments.find((x) => x.body?.includes('占车位'))!;
    expectError(await post('demo-resident-1', `/consultations/${c.id}/comments/${rude.id}/hide`, { reason: '人身攻击' }), 403, 'FORBIDDEN');
    await post('demo-secretary-1', `/consultations/${c.id}/comments/${rude.id}/hide`, { reason: '含人身攻击' });
    const residentView = (await server.call<ConsultationDetail>('GET', `/consultations/${c.id}`, { token: await as('demo-resident-1') })).body;
    expect(residentView.comments.find((x) => x.id === rude.id)).toMatchObject({ hidden: true, body: null, author: null, hiddenReason: '含人身攻击' });
    const secretaryView = (await server.call<ConsultationDetail>('GET', `/consultations/${c.id}`, { token: await as('demo-secretary-1') })).body;
    expect(secretaryView.comments.find((x) => x.id === rude.id)).toMatchObject({ hidden: true, body: '某某就是想占车位，别理他' });

    // Votes: 12 of 24 households take part, 7 or 8 in favour (household 2's two members race).
    for (let n = 3; n < 12; n++) await post(await neighbour(n), `/consultations/${c.id}/votes`, { optionId: n < 8 ? yes.id : no.id });
    await post('demo-resident-1', `/consultations/${c.id}/votes`, { optionId: no.id });
    await post('demo-resident-1', `/consultations/${c.id}/votes`, { optionId: yes.id }); // changed mind: replaces
    await post('demo-resident-2', `/consultations/${c.id}/votes`, { optionId: yes.id });
    // Two members of household 2 vote at the same moment: one vote for the household.
    const family = [await neighbour(2, 'x'), await neighbour(2, 'y')];
    await Promise.all([post(family[0], `/consultations/${c.id}/votes`, { optionId: yes.id }), post(family[1], `/consultations/${c.id}/votes`, { optionId: no.id })]);
    expect(await server.dataSource.getRepository(ConsultationVote).countBy({ consultationId: c.id, householdId: building1Households[2].id })).toBe(1);
    expectError(await post('demo-resident-4', `/consultations/${c.id}/votes`, { optionId: yes.id }), 404, 'NOT_FOUND');
    expectError(await post('demo-resident-1', `/consultations/${c.id}/votes`, { optionId: 999999 }), 400, 'VALIDATION_FAILED');

    const live = (await server.call<ConsultationDetail>('GET', `/consultations/${c.id}`, { token: await as('demo-resident-2') })).body;
    expect(live.tally.eligibleHouseholds).toBe(24);
    expect(live.tally.votedHouseholds).toBe(12);
    const household2 = live.tally.byOption; // households 0..11 voted
    const inFavour = household2[0].votes;
    expect(inFavour).toBeGreaterThanOrEqual(7);
    expect(live.myVoteOptionId).toBe(yes.id);
    expect(live.outcome).toBeNull();

    expectError(await post('demo-resident-1', `/consultations/${c.id}/close`), 403, 'FORBIDDEN');
    const closed = await post('demo-secretary-1', `/consultations/${c.id}/close`);
    expect(closed.body).toMatchObject({ status: 'decided', outcome: 'passed' });
    expect(closed.body.tally.votedHouseholds).toBe(12);
    expectError(await post('demo-resident-1', `/consultations/${c.id}/votes`, { optionId: no.id }), 409, 'INVALID_TRANSITION');

    const implementing = await post('demo-secretary-1', `/consultations/${c.id}/implement`, { plan: '物业本月内完成选址，下月安装 10 个充电口' });
    expect(implementing.body).toMatchObject({ status: 'implementing', owner: { nickname: '吴慧敏' } });
    const progressed = await post('demo-secretary-1', `/consultations/${c.id}/progress`, { note: '已完成选址并公示', photos: [await server.upload(await as('demo-secretary-1'))] });
    expect(progressed.body.progress).toHaveLength(1);
    expect(progressed.body.progress[0].photos).toHaveLength(1);
    const completed = await post('demo-secretary-1', `/consultations/${c.id}/complete`, { summary: '充电桩已安装投用' });
    expect(completed.body).toMatchObject({ status: 'completed', summary: '充电桩已安装投用' });
    // Households in scope heard of the decision.
    const r2 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-2' });
    expect(await server.dataSource.getRepository(Notification).countBy({ userId: r2.id, kind: 'consultation.decided' })).toBeGreaterThan(0);
  });

  it('a failed vote cannot be implemented; too few voters is no quorum', async () => {
    const c = await proposeAndReview();
    const approved = await post('demo-secretary-1', `/consultations/${c.id}/approve`, { votingEndsAt: inAWeek(), rule: 'civil_code_general' });
    await post('demo-resident-1', `/consultations/${c.id}/votes`, { optionId: approved.body.options[0].id });
    const closed = await post('demo-secretary-1', `/consultations/${c.id}/close`);
    expect(closed.body).toMatchObject({ outcome: 'no_quorum', tally: { eligibleHouseholds: 24, votedHouseholds: 1 } });
    expectError(await post('demo-secretary-1', `/consultations/${c.id}/implement`, { plan: '照做' }), 403, 'FORBIDDEN');
  });

  it('voting closes by itself at the deadline; a vote after it is 409 CONFLICT', async () => {
    const c = await proposeAndReview();
    const approved = await post('demo-secretary-1', `/consultations/${c.id}/approve`, { votingEndsAt: new Date(Date.now() + 1200).toISOString() });
    await post('demo-resident-1', `/consultations/${c.id}/votes`, { optionId: approved.body.options[0].id });
    await new Promise((r) => setTimeout(r, 1300));
    expectError(await post('demo-resident-2', `/consultations/${c.id}/votes`, { optionId: approved.body.options[0].id }), 409, 'CONFLICT');
    const [a, b] = await Promise.all([server.app.consultations.closeDue(), server.app.consultations.closeDue()]);
    expect(a + b).toBe(1);
    const decided = (await server.call<ConsultationDetail>('GET', `/consultations/${c.id}`, { token: await as('demo-resident-1') })).body;
    expect(decided).toMatchObject({ status: 'decided', outcome: 'no_quorum' });
  });

  it('lists: eligible shows my building’s consultations, the queue the secretary’s', async () => {
    const mine = await server.call('GET', '/consultations?scope=eligible', { token: await as('demo-resident-2') });
    expect(mine.body.items.length).toBeGreaterThan(0);
    // Once voting has opened, a list row carries the participation; before, none.
    const voted = mine.body.items.find((c: { status: string }) => c.status === 'decided');
    expect(voted.tally).toMatchObject({ eligibleHouseholds: 24, votedHouseholds: expect.any(Number) });
    expect(mine.body.items.find((c: { status: string }) => c.status === 'proposed')?.tally).toBeUndefined();
    expect(mine.body.items.every((c: { scopeName: string }) => c.scopeName === '1号楼')).toBe(true);
    const other = await server.call('GET', '/consultations?scope=eligible', { token: await as('demo-resident-4') });
    expect(other.body.items).toEqual([]);
    const queue = await server.call('GET', '/consultations?scope=queue&status=in_review', { token: await as('demo-secretary-1') });
    expect(queue.body.items.every((c: { status: string }) => c.status === 'in_review')).toBe(true);
  });

  it('a report handled by consultation becomes a proposal in the reporter’s building, linked both ways', async () => {
    const filed = await server.call<ReportDetail>('POST', '/reports', {
      token: await as('demo-resident-2'),
      body: { categoryCode: 'property', description: '单元门禁坏了一个月，物业一直没修，大家商量一下换一家维修' },
    });
    const accepted = await server.call<ReportDetail>('POST', `/reports/${filed.body.id}/accept`, {
      token: await as('demo-gridworker-1'),
      body: { priority: 'normal', handlingMethod: 'consultation' },
    });
    expect(accepted.body.consultationId).toEqual(expect.any(Number));
    const consultation = (await server.call<ConsultationDetail>('GET', `/consultations/${accepted.body.consultationId}`, { token: await as('demo-resident-2') })).body;
    expect(consultation).toMatchObject({ reportId: filed.body.id, status: 'proposed', scopeName: '1号楼', proposer: { nickname: '李国强' } });
  });
});
