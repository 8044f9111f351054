import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPUTE_ACTIONS, DISPUTE_RULES, DISPUTE_STATUSES, type DisputeDetail, type DisputeStatus, type ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Notification } from '../notifications/notification.entity';
import { Dispute, DisputeEventRow } from './dispute.entities';
import { AGREEMENT, DisputeFixture, SESSION, VALID_BODIES } from './test-support';

const R1 = 'demo-resident-1';
const R2 = 'demo-resident-2';
const M1 = 'demo-mediator-1';
const M2 = 'demo-mediator-2';
const S = 'demo-secretary-1';

describe('disputes (矛盾纠纷调处) over HTTP', () => {
  let server: TestServer;
  let fx: DisputeFixture;

  beforeAll(async () => {
    server = await startTestServer();
    fx = new DisputeFixture(server);
    await fx.login(R1, R2, 'demo-resident-4', M1, M2, S, 'demo-admin', 'demo-gridworker-1', 'demo-gridworker-2');
  });
  afterAll(() => server.close());

  it('a resident applies: numbered, in their micro-grid, the secretary hears of it, strangers see nothing', async () => {
    const d = await fx.apply();
    expect(d).toMatchObject({ status: 'registered', source: 'application', type: 'neighbour', riskLevel: 'normal', mediator: null, actions: [] });
    expect(d.number).toMatch(/^TJ\d{8}-\d{4}$/);
    expect(d.nodePath).toEqual(['青溪区', '锦华街道', '桂花社区', '桂花社区第一网格', '桂香苑微网格']);
    expect(d.parties.find((p) => p.isMe)).toMatchObject({ role: 'applicant', name: '张晓梅' });
    expect(d.events.map((e) => e.action)).toEqual(['register']);
    const told = await server.dataSource.getRepository(Notification).findBy({ userId: fx.userIds[S], kind: 'dispute.register' });
    expect(told.some((n) => n.link?.endsWith(`id=${d.id}`))).toBe(true);
    for (const who of [R2, M1, M2, 'demo-gridworker-1']) expectError(await fx.call(who, 'GET', `/disputes/${d.id}`), 404, 'NOT_FOUND');
    const asSecretary = (await fx.call(S, 'GET', `/disputes/${d.id}`)).body as DisputeDetail;
    expect(asSecretary.actions).toEqual(['accept', 'decline']);
  });

  it('the whole way: accept → session → agree → 协议书 → fulfil → visit → close, one event per step', async () => {
    const d = await fx.apply();
    const mediator = await fx.mediator(M1);
    const accepted = await fx.must(S, d.id, 'accept', { mediatorId: mediator.id, version: d.version });
    expect(accepted).toMatchObject({ status: 'accepted', mediator: { id: mediator.id, name: '沈国华', studio: '「老娘舅」调解工作室' } });
    // Due in 30 days from acceptance.
    expect(Date.parse(accepted.dueAt!) - Date.parse(accepted.acceptedAt!)).toBe(30 * 24 * 3600_000);
    // The mediator's own queue has it; the other mediator's does not.
    expect((await fx.call(M1, 'GET', '/disputes?scope=queue')).body.items.map((x: { id: number }) => x.id)).toContain(d.id);
    expect((await fx.call(M2, 'GET', '/disputes?scope=queue')).body.items.map((x: { id: number }) => x.id)).not.toContain(d.id);
    expect((await fx.call(M1, 'GET', `/disputes/${d.id}`)).body.actions).toEqual(['session', 'extend']);

    // Only one's own uploads go on a record: the mediator uploads the photo of the signed record.
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'record.png');
    const upload = await fetch(`${server.baseUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${fx.tokens[M1]}` }, body: form });
    const photo = ((await upload.json()) as { url: string }).url;
    const mediating = await fx.must(M1, d.id, 'session', { ...SESSION, photos: [photo] });
    expect(mediating.status).toBe('mediating');
    expect(mediating.sessions[0]).toMatchObject({ place: '桂花社区调解室', participants: ['张晓梅', '孙女士', '沈国华'], notes: SESSION.notes, photos: [photo] });
    const second = await fx.must(M1, d.id, 'session', { ...SESSION, place: '孙女士家中' });
    expect(second.sessions).toHaveLength(2);
    expect(second.events.at(-1)?.note).toBe('第 2 次调解 · 孙女士家中');

    const agreed = await fx.must(M1, d.id, 'agree', { ...AGREEMENT, form: 'written', facts: '孙女士在楼道堆放纸箱和旧家具，影响通行。' });
    expect(agreed).toMatchObject({ status: 'agreed', agreementDocument: true, agreement: { form: 'written', deadline: AGREEMENT.deadline } });
    expect(agreed.confirmationDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The 协议书: a real .docx whose text carries the case.
    for (const who of [M1, S, R1]) {
      const response = await fetch(`${server.baseUrl}/api/v1/disputes/${d.id}/agreement`, { headers: { authorization: `Bearer ${fx.tokens[who]}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('wordprocessingml');
      expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('人民调解协议书'));
      const text = await docxText(Buffer.from(await response.arrayBuffer()));
      for (const expected of ['人民调解协议书', agreed.number, '申请人：张晓梅', '被申请人：孙女士', '孙女士在楼道堆放纸箱和旧家具', '一、孙女士于七日内清理楼道内全部杂物', '孙女士自行清理', '桂花社区人民调解委员会', '人民调解员：', '沈国华', '三十日内共同向人民法院申请司法确认']) {
        expect(text, expected).toContain(expected);
      }
      // Every party takes a copy home: no phone numbers in it.
      expect(text).not.toContain('13900000001');
      expect(text).not.toContain('13857110001');
    }

    const fulfilled = await fx.must(M1, d.id, 'fulfil', {});
    expect(fulfilled.status).toBe('fulfilled');
    // A photo someone else uploaded is refused.
    expectError(await fx.act(S, d.id, 'visit', { method: 'visit', note: '上门回访', photos: [photo] }), 400, 'VALIDATION_FAILED');
    const visited = await fx.must(S, d.id, 'visit', { method: 'visit', note: '上门回访，楼道已清理干净，双方满意' });
    expect(visited.visits).toEqual([expect.objectContaining({ method: 'visit', note: '上门回访，楼道已清理干净，双方满意', recordedBy: { id: fx.userIds[S], nickname: '吴慧敏' } })]);
    const closed = await fx.must(M1, d.id, 'close', {});
    expect(closed.status).toBe('closed');
    expect(closed.actions).toEqual([]);
    expect(closed.events.map((e) => e.action)).toEqual(['register', 'accept', 'session', 'session', 'agree', 'fulfil', 'visit', 'close']);
    expect(closed.events.map((e) => e.toStatus)).toEqual(['registered', 'accepted', 'mediating', 'mediating', 'agreed', 'fulfilled', null, 'closed']);
    // The applicant followed it: told of each step they take part in.
    const inbox = await server.dataSource.getRepository(Notification).findBy({ userId: fx.userIds[R1] });
    expect(inbox.filter((n) => n.link?.endsWith(`id=${d.id}`)).map((n) => n.kind)).toEqual(
      expect.arrayContaining(['dispute.accept', 'dispute.session', 'dispute.agree', 'dispute.fulfil', 'dispute.visit', 'dispute.close']),
    );
  });

  it('failure to the fast-track court is ruled and closed; failure to litigation cannot be ruled', async () => {
    const ruled = await fx.caseIn('ruled');
    expect(ruled).toMatchObject({ status: 'ruled', failure: { advice: 'speedy_trial' }, ruling: { court: '青溪区人民法院速裁法庭' } });
    expect((await fx.must(S, ruled.id, 'close', {})).status).toBe('closed');
    const litigation = await fx.caseIn('failed', { advice: 'litigation' });
    expect(litigation.actions).not.toContain('ruling');
    expectError(await fx.act(S, litigation.id, 'ruling', { note: '判决' }), 409, 'INVALID_TRANSITION');
    expect((await fx.must(M1, litigation.id, 'close', {})).status).toBe('closed');
  });

  it('decline, breach, extension once, reassignment', async () => {
    expect((await fx.caseIn('declined')).status).toBe('declined');
    const breached = await fx.caseIn('breached');
    expect(breached.status).toBe('breached');
    expect((await fx.must(S, breached.id, 'visit', { method: 'call', note: '电话回访，对方仍未清理' })).visits).toHaveLength(1);

    const mediating = await fx.caseIn('mediating');
    const extended = await fx.must(M1, mediating.id, 'extend', { reason: '双方同意延长调解期限' });
    expect(Date.parse(extended.dueAt!) - Date.parse(mediating.dueAt!)).toBe(30 * 24 * 3600_000);
    expect(extended.extended).toBe(true);
    expect(extended.actions).not.toContain('extend');
    expectError(await fx.act(M1, mediating.id, 'extend', { reason: '再延一次' }), 409, 'CONFLICT');

    const other = await fx.mediator(M2);
    expectError(await fx.act(M1, mediating.id, 'assign', { mediatorId: other.id }), 403, 'FORBIDDEN');
    const reassigned = await fx.must(S, mediating.id, 'assign', { mediatorId: other.id, note: '涉及租赁合同，改由街道调委会调解' });
    expect(reassigned.mediator?.name).toBe('何雅琴');
    // The first mediator no longer sees it; the second one carries on.
    expectError(await fx.call(M1, 'GET', `/disputes/${mediating.id}`), 404, 'NOT_FOUND');
    expect((await fx.must(M2, mediating.id, 'agree', { ...AGREEMENT, form: 'oral' })).status).toBe('agreed');
  });

  it('every illegal transition is 409 INVALID_TRANSITION and changes nothing', async () => {
    const mediatorId = (await fx.mediator(M1)).id;
    const bodies = VALID_BODIES(mediatorId);
    const cases = new Map<DisputeStatus, DisputeDetail>();
    for (const state of DISPUTE_STATUSES) cases.set(state, await fx.caseIn(state, state === 'failed' ? { advice: 'arbitration' } : {}));
    let checked = 0;
    for (const action of DISPUTE_ACTIONS) {
      for (const state of DISPUTE_STATUSES) {
        if (DISPUTE_RULES[action].from.includes(state)) continue;
        const d = cases.get(state)!;
        const before = await server.dataSource.getRepository(DisputeEventRow).countBy({ disputeId: d.id });
        // The one the rule names when there is one on the case (a case not accepted has no mediator yet).
        const who = d.mediator && !['accept', 'decline', 'assign'].includes(action) ? M1 : S;
        const result = await fx.act(who, d.id, action, bodies[action]);
        expect(`${action} from ${state}: ${result.status} ${(result.body as { error?: { code: string } }).error?.code}`).toBe(`${action} from ${state}: 409 INVALID_TRANSITION`);
        expect(await server.dataSource.getRepository(DisputeEventRow).countBy({ disputeId: d.id })).toBe(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
    // A ruling needs a failure sent to the fast-track court.
    expectError(await fx.act(S, cases.get('failed')!.id, 'ruling', bodies.ruling), 409, 'INVALID_TRANSITION');
  });

  it('each role does only its part (403); a stale version is 409 CONFLICT', async () => {
    const d = await fx.apply();
    const mediatorId = (await fx.mediator(M1)).id;
    expectError(await fx.act(R1, d.id, 'accept', { mediatorId }), 403, 'FORBIDDEN');
    expectError(await fx.act(M1, d.id, 'accept', { mediatorId }), 404, 'NOT_FOUND');
    expectError(await fx.act(S, d.id, 'accept', { mediatorId: 999_999 }), 400, 'VALIDATION_FAILED');
    const accepted = await fx.must(S, d.id, 'accept', { mediatorId, version: d.version });
    expectError(await fx.act(S, d.id, 'session', SESSION), 403, 'FORBIDDEN');
    expectError(await fx.act(R1, d.id, 'session', SESSION), 403, 'FORBIDDEN');
    expectError(await fx.act(M1, d.id, 'session', { ...SESSION, version: d.version }), 409, 'CONFLICT');
    expect((await fx.must(M1, d.id, 'session', { ...SESSION, version: accepted.version })).status).toBe('mediating');
    // The events are unchanged by the refused calls.
    expect(await server.dataSource.getRepository(DisputeEventRow).countBy({ disputeId: d.id })).toBe(3);
  });

  it('two at once on one case (two coordinators accepting, the mediator agreeing and failing): exactly one wins', async () => {
    const [m1, m2] = [await fx.mediator(M1), await fx.mediator(M2)];
    for (let round = 0; round < 3; round++) {
      const d = await fx.apply();
      const both = await Promise.all([fx.act(S, d.id, 'accept', { mediatorId: m1.id, version: d.version }), fx.act('demo-admin', d.id, 'accept', { mediatorId: m2.id, version: d.version })]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      const row = await server.dataSource.getRepository(Dispute).findOneByOrFail({ id: d.id });
      expect(row.mediatorId).toBe(both[0].status === 200 ? m1.id : m2.id);
      expect(await server.dataSource.getRepository(DisputeEventRow).countBy({ disputeId: d.id, action: 'accept' })).toBe(1);
    }
    const d = await fx.caseIn('mediating');
    const mediator = d.mediator!.userId === fx.userIds[M1] ? M1 : M2;
    const race = await Promise.all([
      fx.act(mediator, d.id, 'agree', { ...AGREEMENT, form: 'written', version: d.version }),
      fx.act(mediator, d.id, 'fail', { advice: 'litigation', reason: '一方反悔', version: d.version }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const events = await server.dataSource.getRepository(DisputeEventRow).findBy({ disputeId: d.id });
    expect(events.filter((e) => e.action === 'agree' || e.action === 'fail')).toHaveLength(1);
  });

  it('who sees what: a party sees their own phone and never the other side’s, nor the session notes; handlers see all', async () => {
    const d = await fx.caseIn('mediating');
    const asParty = (await fx.call(R1, 'GET', `/disputes/${d.id}`)).body as DisputeDetail;
    expect(asParty.parties.find((p) => p.role === 'applicant')).toMatchObject({ isMe: true, phone: '13857110001' });
    expect(asParty.parties.find((p) => p.role === 'respondent')).toMatchObject({ isMe: false, phone: null });
    expect(JSON.stringify(asParty)).not.toContain('13900000001');
    expect(asParty.sessions[0]).toMatchObject({ place: SESSION.place, notes: null, photos: [] });
    expect(asParty.actions).toEqual([]);
    for (const who of [M1, S, 'demo-admin']) {
      const handler = (await fx.call(who, 'GET', `/disputes/${d.id}`)).body as DisputeDetail;
      expect(handler.parties.find((p) => p.role === 'respondent')?.phone).toBe('13900000001');
      expect(handler.sessions[0].notes).toBe(SESSION.notes);
    }
    // A respondent who uses the app, linked by staff: sees their own phone, not the applicant's.
    const walkIn = await fx.call('demo-gridworker-1', 'POST', '/disputes', {
      title: '宠物狗咬伤纠纷',
      description: '遛狗未拴绳，狗咬伤邻居小腿，双方就医药费赔偿发生争执。',
      type: 'damages',
      source: 'walk_in',
      parties: [
        { role: 'applicant', name: '陈志明', phone: '13857110004' },
        { role: 'respondent', name: '李国强', phone: '13857110002', userId: fx.userIds[R2] },
      ],
    });
    expect(walkIn.status).toBe(201);
    const respondentView = (await fx.call(R2, 'GET', `/disputes/${walkIn.body.id}`)).body as DisputeDetail;
    expect(respondentView.parties.map((p) => [p.role, p.phone, p.isMe])).toEqual([
      ['applicant', null, false],
      ['respondent', '13857110002', true],
    ]);
    // The grid worker who registered it follows it, without phones; the other grid's worker sees nothing.
    const registrar = (await fx.call('demo-gridworker-1', 'GET', `/disputes/${walkIn.body.id}`)).body as DisputeDetail;
    expect(registrar.parties.every((p) => p.phone === null)).toBe(true);
    expectError(await fx.call('demo-gridworker-2', 'GET', `/disputes/${walkIn.body.id}`), 404, 'NOT_FOUND');
    // Lists: mine (a party) and queue (coordinator).
    expect((await fx.call(R2, 'GET', '/disputes?scope=mine')).body.items.map((x: { id: number }) => x.id)).toContain(walkIn.body.id);
    expect((await fx.call(R2, 'GET', '/disputes?scope=queue')).body.items).toEqual([]);
    const queue = (await fx.call(S, 'GET', '/disputes?scope=queue&status=registered')).body;
    expect(queue.items.map((x: { id: number }) => x.id)).toContain(walkIn.body.id);
    expect(queue.counts.registered).toBeGreaterThanOrEqual(1);
    // The 协议书 is the parties' and the handlers', not a registrar's.
    const agreedCase = await fx.caseIn('agreed');
    expectError(await fx.call(R2, 'GET', `/disputes/${agreedCase.id}/agreement`), 404, 'NOT_FOUND');
  });

  it('registration rules: residents apply for themselves only; staff register walk-ins and referrals in their scope', async () => {
    const base = { title: '噪音纠纷', description: '楼上深夜经常拖动家具，影响休息。', type: 'neighbour', parties: [{ role: 'applicant', name: '王某' }, { role: 'respondent', name: '李某' }] };
    expectError(await fx.call(R1, 'POST', '/disputes', { ...base, source: 'police' }), 403, 'FORBIDDEN');
    expectError(await fx.call(R1, 'POST', '/disputes', { ...base, source: 'application', parties: [{ role: 'applicant', name: '王某', userId: fx.userIds[R2] }, { role: 'respondent', name: '李某' }] }), 400, 'VALIDATION_FAILED');
    expectError(await fx.call(R1, 'POST', '/disputes', { ...base, source: 'application', parties: [{ role: 'applicant', name: '王某' }] }), 400, 'VALIDATION_FAILED');
    const referred = await fx.call(S, 'POST', '/disputes', { ...base, source: 'police', riskLevel: 'orange', amount: 1200.5, peopleInvolved: 3 });
    expect(referred.status).toBe(201);
    expect(referred.body).toMatchObject({ source: 'police', riskLevel: 'orange', amount: 1200.5, peopleInvolved: 3, nodePath: ['青溪区', '锦华街道', '桂花社区'] });
    const grid2 = (await fx.call('demo-gridworker-2', 'GET', '/me')).body.scopes[0].nodeId;
    expectError(await fx.call('demo-gridworker-1', 'POST', '/disputes', { ...base, source: 'grid_finding', nodeId: grid2 }), 403, 'FORBIDDEN');
  });

  it('a report accepted with handling method mediation becomes a case, linked both ways; the other side joins at a session', async () => {
    const filed = await server.call<ReportDetail>('POST', '/reports', {
      token: fx.tokens['demo-resident-4'],
      body: { categoryCode: 'noise', description: '楼上邻居每晚十一点后还在拖动家具，沟通无果', location: { lat: 30.279, lng: 120.1495 } },
      headers: { 'idempotency-key': randomUUID() },
    });
    const accepted = await server.call<ReportDetail>('POST', `/reports/${filed.body.id}/accept`, { token: fx.tokens['demo-gridworker-1'], body: { priority: 'high', handlingMethod: 'mediation' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.disputeId).toEqual(expect.any(Number));
    expect(accepted.body.events.at(-1)?.note).toContain(`案件 #${accepted.body.disputeId}`);
    const d = (await fx.call('demo-resident-4', 'GET', `/disputes/${accepted.body.disputeId}`)).body as DisputeDetail;
    expect(d).toMatchObject({ reportId: filed.body.id, source: 'report', type: 'neighbour', riskLevel: 'yellow', status: 'registered' });
    expect(d.parties).toEqual([expect.objectContaining({ role: 'applicant', name: '陈志明', isMe: true, phone: '13857110004' })]);
    expect(d.events[0].note).toBe(`由说事 ${filed.body.number} 转入`);
    // A second case for the same report is refused.
    expectError(await fx.call(S, 'POST', '/disputes', { title: '再次转入', description: '同一条说事再登记一次试试看', type: 'neighbour', source: 'report', reportId: filed.body.id, parties: [{ role: 'applicant', name: '陈志明' }, { role: 'respondent', name: '楼上' }] }), 409, 'CONFLICT');
    // No agreement without the other side; the mediator adds them at a session.
    await fx.must(S, d.id, 'accept', { mediatorId: (await fx.mediator(M1)).id });
    await fx.must(M1, d.id, 'session', SESSION);
    expectError(await fx.act(M1, d.id, 'agree', { ...AGREEMENT, form: 'written' }), 409, 'CONFLICT');
    const withRespondent = await fx.must(M1, d.id, 'session', { ...SESSION, parties: [{ role: 'respondent', name: '赵先生', phone: '13900000009' }] });
    expect(withRespondent.parties.map((p) => p.role)).toEqual(['applicant', 'respondent']);
    expect((await fx.must(M1, d.id, 'agree', { ...AGREEMENT, form: 'written' })).status).toBe('agreed');
    // An anonymous report cannot go to mediation.
    const anonymous = await server.call<ReportDetail>('POST', '/reports', {
      token: fx.tokens['demo-resident-4'],
      body: { categoryCode: 'noise', description: '楼上邻居每晚都很吵，匿名反映一下', anonymous: true, location: { lat: 30.279, lng: 120.1495 } },
      headers: { 'idempotency-key': randomUUID() },
    });
    expectError(await server.call('POST', `/reports/${anonymous.body.id}/accept`, { token: fx.tokens['demo-gridworker-1'], body: { priority: 'normal', handlingMethod: 'mediation' } }), 400, 'VALIDATION_FAILED');
  });

  it('judicial confirmation: applied within 30 days of a written agreement, then the result; not for oral ones, not late, not twice', async () => {
    const d = await fx.caseIn('agreed');
    const applied = await fx.must(M1, d.id, 'confirmation', { status: 'applied', court: '青溪区人民法院' });
    expect(applied.confirmation).toMatchObject({ status: 'applied', court: '青溪区人民法院', decidedAt: null });
    expect(applied.confirmationDeadline).toBeNull();
    expectError(await fx.act(M1, d.id, 'confirmation', { status: 'applied', court: '青溪区人民法院' }), 409, 'CONFLICT');
    const confirmed = await fx.must(S, d.id, 'confirmation', { status: 'confirmed', court: '青溪区人民法院' });
    expect(confirmed.confirmation).toMatchObject({ status: 'confirmed', decidedAt: expect.any(String) });
    expect(confirmed.actions).not.toContain('confirmation');
    expectError(await fx.act(S, d.id, 'confirmation', { status: 'rejected', court: '青溪区人民法院' }), 409, 'CONFLICT');

    const oral = await fx.caseIn('agreed', { form: 'oral' });
    expect(oral.agreementDocument).toBe(false);
    expectError(await fx.act(M1, oral.id, 'confirmation', { status: 'applied', court: '青溪区人民法院' }), 409, 'CONFLICT');
    expectError(await fx.call(R1, 'GET', `/disputes/${oral.id}/agreement`), 409, 'CONFLICT');

    const late = await fx.caseIn('agreed');
    await server.dataSource.getRepository(Dispute).update({ id: late.id }, { agreedAt: new Date(Date.now() - 31 * 24 * 3600_000) });
    expectError(await fx.act(M1, late.id, 'confirmation', { status: 'applied', court: '青溪区人民法院' }), 409, 'CONFLICT');
  });

  it('the pools: coordinators list and add mediators; a case goes only to a pool above it', async () => {
    const pool = (await fx.call(S, 'GET', '/mediators')).body.items as { name: string; studio: string; phone: string; nodeName: string }[];
    expect(pool.map((m) => [m.name, m.nodeName])).toEqual(expect.arrayContaining([['沈国华', '桂花社区'], ['何雅琴', '锦华街道']]));
    expect(pool.find((m) => m.name === '沈国华')?.phone).toBe('13857115678');
    expectError(await fx.call(M1, 'GET', '/mediators'), 403, 'FORBIDDEN');
    const community = (await fx.call(S, 'GET', '/me')).body.scopes[0].nodeId;
    const added = await fx.call(S, 'POST', '/mediators', { userId: fx.userIds['demo-resident-4'], nodeId: community, name: '陈志明', phone: '13857110004', specialties: ['neighbour'], studio: '「老娘舅」调解工作室' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: '陈志明', nodeName: '桂花社区', specialties: ['neighbour'], activeCases: 0 });
    expectError(await fx.call(S, 'POST', '/mediators', { userId: fx.userIds['demo-resident-4'], nodeId: community, name: '陈志明' }), 409, 'CONFLICT');
    // The role came with it.
    expect((await server.call('GET', '/me', { token: await server.login('demo-resident-4') })).body.roles).toContain('mediator');
    const grid1 = (await fx.call('demo-gridworker-1', 'GET', '/me')).body.scopes[0].nodeId;
    expectError(await fx.call(S, 'POST', '/mediators', { userId: fx.userIds[R2], nodeId: grid1, name: '李国强' }), 400, 'VALIDATION_FAILED');
    // The admin takes the role away: the pool no longer offers them, and no case can be given to them.
    const assignments = (await fx.call('demo-admin', 'GET', `/admin/role-assignments?nodeId=${community}`)).body.items as { id: number; userId: number; role: string }[];
    const role = assignments.find((a) => a.userId === fx.userIds['demo-resident-4'] && a.role === 'mediator')!;
    expect((await fx.call('demo-admin', 'DELETE', `/admin/role-assignments/${role.id}`)).status).toBe(204);
    expect(((await fx.call(S, 'GET', '/mediators')).body.items as { id: number }[]).map((m) => m.id)).not.toContain(added.body.id);
    const d = await fx.apply();
    expectError(await fx.act(S, d.id, 'accept', { mediatorId: added.body.id }), 400, 'VALIDATION_FAILED');
  });
});

/** A smallest valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The text of a .docx: its document.xml with the tags dropped, runs joined. */
export async function docxText(buffer: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
