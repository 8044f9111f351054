import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, ModerationCaseView, ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import type { FakeWeChat } from '../notifications/fake-wechat';
import { startServerCheckedByWeChat } from './test-support';
import { Notification } from '../notifications/notification.entity';
import { PointAward } from '../points/points.entities';
import { Consultation } from '../consultations/consultation.entities';
import { MediaCheckRow, ModerationCaseRow } from './moderation.entities';
import { pushSignature } from './wechat-push';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

type Who = 'demo-resident-1' | 'demo-resident-2' | 'demo-resident-3' | 'demo-gridworker-1' | 'demo-secretary-1' | 'demo-admin';
const PEOPLE: Who[] = ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-gridworker-1', 'demo-secretary-1', 'demo-admin'];

function helpers(server: () => TestServer, tokens: Record<string, string>) {
  const file = async (who: Who, description: string, extra: Record<string, unknown> = {}) => {
    const result = await server().call<ReportDetail>('POST', '/reports', {
      token: tokens[who],
      body: { categoryCode: 'sanitation', description, location: GRID1_SPOT, ...extra },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body;
  };
  const caseOf = async (subjectType: string, subjectId: number) =>
    server().dataSource.getRepository(ModerationCaseRow).findOneBy({ subjectType: subjectType as never, subjectId });
  const inbox = async (who: Who) => (await server().call('GET', '/notifications', { token: tokens[who] })).body.items as { kind: string; link: string; title: string; body: string }[];
  const queue = async (who: Who) => (await server().call('GET', '/reports?scope=queue&limit=100', { token: tokens[who] })).body.items as { id: number }[];
  return { file, caseOf, inbox, queue };
}

describe('content moderation with the local word list (development)', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const h = helpers(() => server, tokens);

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of PEOPLE) tokens[who] = await server.login(who);
  });
  afterAll(() => server.close());

  it('clean text is public at once and opens no case', async () => {
    const report = await h.file('demo-resident-1', '小区东门路灯不亮已经三天了');
    expect(report.moderation).toBe('clear');
    expect(await h.caseOf('report', report.id)).toBeNull();
    expect((await h.queue('demo-gridworker-1')).some((r) => r.id === report.id)).toBe(true);
  });

  it('a flagged report is held: its reporter and the secretary see it, the grid worker and neighbours do not, until it is released', async () => {
    const report = await h.file('demo-resident-1', '三楼那个傻逼又把垃圾扔在楼道里');
    expect(report.moderation).toBe('held');
    expect(report.actions).toEqual([]);
    // The grid worker: not in the queue, 404 on the detail, and no notice of it.
    expect((await h.queue('demo-gridworker-1')).some((r) => r.id === report.id)).toBe(false);
    expectError(await server.call('GET', `/reports/${report.id}`, { token: tokens['demo-gridworker-1'] }), 404, 'NOT_FOUND');
    expect((await h.inbox('demo-gridworker-1')).some((n) => n.link.endsWith(`id=${report.id}`))).toBe(false);
    // A neighbour cannot follow it (it does not exist for them), nor find it nearby.
    expectError(await server.call('POST', `/reports/${report.id}/follow`, { token: tokens['demo-resident-2'], body: {} }), 404, 'NOT_FOUND');
    const nearby = await server.call('GET', `/reports/nearby?lat=${GRID1_SPOT.lat}&lng=${GRID1_SPOT.lng}&categoryCode=sanitation`, { token: tokens['demo-resident-2'] });
    expect(nearby.body.items.some((r: { id: number }) => r.id === report.id)).toBe(false);
    // The secretary is told, sees it in the review queue with what matched, and cannot handle it before deciding.
    expect((await h.inbox('demo-secretary-1')).some((n) => n.kind === 'moderation.held')).toBe(true);
    const cases = await server.call('GET', '/moderation/cases?status=held', { token: tokens['demo-secretary-1'] });
    const held = (cases.body.items as ModerationCaseView[]).find((c) => c.subjectType === 'report' && c.subjectId === report.id)!;
    expect(held.findings).toEqual([{ target: 'text', suggest: 'risky', label: '辱骂', source: 'wordlist', words: ['傻逼'] }]);
    expect(held.place).toContain('桂香苑微网格');
    expect(cases.body.counts.held).toBeGreaterThanOrEqual(1);
    expectError(await server.call('POST', `/reports/${report.id}/accept`, { token: tokens['demo-secretary-1'], body: { priority: 'normal', handlingMethod: 'on_site' } }), 409, 'CONFLICT');

    const released = await server.call<ModerationCaseView>('POST', `/moderation/cases/${held.id}/release`, { token: tokens['demo-secretary-1'], body: { note: '反映问题属实，措辞不当', version: held.version } });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', decidedBy: { nickname: expect.any(String) }, decisionNote: '反映问题属实，措辞不当' });
    // Now it is an ordinary report: in the grid worker's queue, announced, with 审核通过 on its timeline.
    expect((await h.queue('demo-gridworker-1')).some((r) => r.id === report.id)).toBe(true);
    expect((await h.inbox('demo-gridworker-1')).some((n) => n.link.endsWith(`id=${report.id}`))).toBe(true);
    const seen = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-gridworker-1'] });
    expect(seen.body.moderation).toBe('clear');
    expect(seen.body.events.map((e) => e.action)).toEqual(['submit', 'release']);
    expect(seen.body.actions).toContain('accept');
    expect((await h.inbox('demo-resident-1')).some((n) => n.kind === 'moderation.released')).toBe(true);
    // Decided once: a second decision is a wrong-state answer.
    expectError(await server.call('POST', `/moderation/cases/${held.id}/remove`, { token: tokens['demo-secretary-1'], body: { reason: '再次处理' } }), 409, 'INVALID_TRANSITION');
  });

  it('a removed report is rejected with the reason the reporter reads, and stays out of every queue', async () => {
    const report = await h.file('demo-resident-1', '有意者加微信，低价代购进口奶粉');
    expect(report.moderation).toBe('held');
    const row = (await h.caseOf('report', report.id))!;
    expect(JSON.parse(row.findings)[0]).toMatchObject({ suggest: 'review', label: '广告' });
    const removed = await server.call('POST', `/moderation/cases/${row.id}/remove`, { token: tokens['demo-admin'], body: { reason: '广告信息' } });
    expect(removed.status).toBe(200);
    const mine = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-resident-1'] });
    expect(mine.body).toMatchObject({ status: 'rejected', moderation: 'removed' });
    expect(mine.body.events.at(-1)).toMatchObject({ action: 'reject', note: '内容未通过审核：广告信息' });
    const told = (await h.inbox('demo-resident-1')).find((n) => n.kind === 'moderation.removed')!;
    expect(told.body).toBe('广告信息');
    expect((await h.queue('demo-gridworker-1')).some((r) => r.id === report.id)).toBe(false);
    expectError(await server.call('GET', `/reports/${report.id}`, { token: tokens['demo-gridworker-1'] }), 404, 'NOT_FOUND');
  });

  it('two reviewers deciding one case at once: one decision lands, the other is told it was taken', async () => {
    const report = await h.file('demo-resident-1', '物业经理就是个王八蛋，电梯坏了也不修');
    const row = (await h.caseOf('report', report.id))!;
    const [a, b] = await Promise.all([
      server.call('POST', `/moderation/cases/${row.id}/release`, { token: tokens['demo-secretary-1'], body: {} }),
      server.call('POST', `/moderation/cases/${row.id}/remove`, { token: tokens['demo-admin'], body: { reason: '辱骂' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await server.dataSource.getRepository(ModerationCaseRow).findOneByOrFail({ id: row.id });
    const report2 = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-resident-1'] });
    // The report's state follows the decision that landed, and only that one.
    if (after.status === 'released') expect(report2.body).toMatchObject({ moderation: 'clear', status: 'submitted' });
    else expect(report2.body).toMatchObject({ moderation: 'removed', status: 'rejected' });
    expect(report2.body.events.filter((e) => e.action === 'release' || e.action === 'reject')).toHaveLength(1);
  });

  it('a flagged proposal is seen by its proposer and the secretary only; released, the building sees it', async () => {
    const created = await server.call<ConsultationDetail>('POST', '/consultations', {
      token: tokens['demo-resident-1'],
      body: { title: '赶走楼上的王八蛋租户', description: '楼上租户天天半夜吵闹，建议全楼联名要求房东处理。' },
    });
    expect(created.status).toBe(201);
    expect(created.body.moderation).toBe('held');
    const eligible = await server.call('GET', '/consultations?scope=eligible', { token: tokens['demo-resident-2'] });
    expect(eligible.body.items.some((c: { id: number }) => c.id === created.body.id)).toBe(false);
    expectError(await server.call('POST', `/consultations/${created.body.id}/cosign`, { token: tokens['demo-resident-2'], body: {} }), 404, 'NOT_FOUND');
    expect((await server.call('GET', '/consultations?scope=mine', { token: tokens['demo-resident-1'] })).body.items[0]).toMatchObject({ id: created.body.id, moderation: 'held' });
    const row = (await h.caseOf('consultation', created.body.id))!;
    expect(row.text.startsWith('赶走楼上的王八蛋租户\n')).toBe(true);
    await server.call('POST', `/moderation/cases/${row.id}/release`, { token: tokens['demo-secretary-1'], body: {} });
    const cosigned = await server.call<ConsultationDetail>('POST', `/consultations/${created.body.id}/cosign`, { token: tokens['demo-resident-2'], body: {} });
    expect(cosigned.status).toBe(200);
    expect(cosigned.body.supporters).toBe(2);
  });

  it('a flagged comment shows to its author and the secretary only, earns no point until released; removed, it is hidden with the reason', async () => {
    const c = await openConsultation(server, tokens);
    const post = (who: Who, body: string) => server.call<ConsultationDetail>('POST', `/consultations/${c}/comments`, { token: tokens[who], body: { body } });
    const mine = await post('demo-resident-1', '同意，但是楼下那个傻逼停车的问题也要管');
    expect(mine.status).toBe(201);
    const comment = mine.body.comments.at(-1)!;
    expect(comment).toMatchObject({ moderation: 'held', body: '同意，但是楼下那个傻逼停车的问题也要管' });
    const neighbour = await server.call<ConsultationDetail>('GET', `/consultations/${c}`, { token: tokens['demo-resident-2'] });
    expect(neighbour.body.comments.some((x) => x.id === comment.id)).toBe(false);
    const secretary = await server.call<ConsultationDetail>('GET', `/consultations/${c}`, { token: tokens['demo-secretary-1'] });
    expect(secretary.body.comments.find((x) => x.id === comment.id)).toMatchObject({ moderation: 'held' });
    const awards = () => server.dataSource.getRepository(PointAward).countBy({ rule: 'comment', sourceKey: String(comment.id) });
    expect(await awards()).toBe(0);
    const row = (await h.caseOf('consultation_comment', comment.id))!;
    expect(row.parentId).toBe(c);
    await server.call('POST', `/moderation/cases/${row.id}/release`, { token: tokens['demo-secretary-1'], body: {} });
    expect(await awards()).toBe(1);
    const after = await server.call<ConsultationDetail>('GET', `/consultations/${c}`, { token: tokens['demo-resident-2'] });
    expect(after.body.comments.find((x) => x.id === comment.id)).toMatchObject({ moderation: 'clear', hidden: false });

    const rude = await post('demo-resident-3', '你们都是草泥马');
    const rudeId = rude.body.comments.at(-1)!.id;
    const rudeCase = (await h.caseOf('consultation_comment', rudeId))!;
    await server.call('POST', `/moderation/cases/${rudeCase.id}/remove`, { token: tokens['demo-secretary-1'], body: { reason: '人身攻击' } });
    const shown = (await server.call<ConsultationDetail>('GET', `/consultations/${c}`, { token: tokens['demo-resident-2'] })).body.comments.find((x) => x.id === rudeId)!;
    expect(shown).toMatchObject({ hidden: true, body: null, author: null, hiddenReason: '内容未通过审核：人身攻击', moderation: 'removed' });
  });

  it("a rating's comment that is flagged still moves the loop, but its words wait: the grid worker reads only the stars", async () => {
    const report = await h.file('demo-resident-1', '单元楼下水道堵了，污水漫到路面');
    const gridWorker = await server.call('GET', '/me', { token: tokens['demo-gridworker-1'] });
    const step = async (who: Who, action: string, body: Record<string, unknown>) => {
      const result = await server.call<ReportDetail>('POST', `/reports/${report.id}/${action}`, { token: tokens[who], body });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return result.body;
    };
    await step('demo-gridworker-1', 'accept', { priority: 'normal', handlingMethod: 'on_site' });
    await step('demo-gridworker-1', 'dispatch', { assigneeId: gridWorker.body.id });
    await step('demo-gridworker-1', 'start', {});
    await step('demo-gridworker-1', 'resolve', { result: '已疏通' });
    const rated = await step('demo-resident-1', 'rate', { score: 2, comment: '根本没修好，网格员就是个王八蛋' });
    expect(rated.status).toBe('in_progress'); // reopened: the score counts at once
    expect(rated.events.at(-1)).toMatchObject({ action: 'rate', note: '2 星（不满意，重新处理）：根本没修好，网格员就是个王八蛋', moderation: 'held' });
    const seenByWorker = async () => (await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-gridworker-1'] })).body.events.at(-1)!;
    expect((await seenByWorker()).note).toBe('2 星（不满意，重新处理）（评价内容审核中）');
    const row = (await h.caseOf('report_rating', rated.events.at(-1)!.id))!;
    expect(row).toMatchObject({ parentId: report.id, status: 'held', text: '根本没修好，网格员就是个王八蛋' });
    await server.call('POST', `/moderation/cases/${row.id}/remove`, { token: tokens['demo-secretary-1'], body: { reason: '人身攻击' } });
    expect((await seenByWorker()).note).toBe('2 星（不满意，重新处理）（评价内容未通过审核）');
    // The reporter still reads what they wrote, and the report goes on.
    const mine = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-resident-1'] });
    expect(mine.body.events.at(-1)!.note).toContain('王八蛋');
    expect(mine.body.status).toBe('in_progress');
    // The reviewer's word reaches the rater with a link to the report rated.
    const told = (await h.inbox('demo-resident-1')).find((n) => n.kind === 'moderation.removed' && n.title.includes('说事评价'));
    expect(told?.link).toBe(`/packages/reports/detail/index?id=${report.id}`);
  });

  it('the review queue belongs to secretaries and admins: a resident or grid worker gets 403', async () => {
    expectError(await server.call('GET', '/moderation/cases', { token: tokens['demo-resident-1'] }), 403, 'FORBIDDEN');
    expectError(await server.call('GET', '/moderation/cases', { token: tokens['demo-gridworker-1'] }), 403, 'FORBIDDEN');
    expectError(await server.call('POST', '/moderation/cases/1/remove', { token: tokens['demo-secretary-1'], body: { reason: 'x' } }), 400, 'VALIDATION_FAILED');
  });
});

/** A discussing consultation of 1号楼 (the demo's first building), for comments. */
async function openConsultation(server: TestServer, tokens: Record<string, string>): Promise<number> {
  const c = await server.call<ConsultationDetail>('POST', '/consultations', {
    token: tokens['demo-resident-1'],
    body: { title: `楼道加装声控灯 ${randomUUID().slice(0, 6)}`, description: '楼道晚上太黑，老人上下楼不安全，建议加装声控灯。' },
  });
  await server.dataSource.getRepository(Consultation).update({ id: c.body.id }, { status: 'in_review' });
  const approved = await server.call('POST', `/consultations/${c.body.id}/approve`, {
    token: tokens['demo-secretary-1'],
    body: { votingEndsAt: new Date(Date.now() + 7 * 86400_000).toISOString(), rule: 'simple' },
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return c.body.id;
}

describe("content moderation with WeChat's checks (against a local fake WeChat)", () => {
  let fake: FakeWeChat;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const h = helpers(() => server, tokens);
  const PUSH_TOKEN = 'push-token-for-tests';
  let pushUrl: string;

  beforeAll(async () => {
    ({ server, fake, pushUrl } = await startServerCheckedByWeChat(PUSH_TOKEN));
    for (const who of PEOPLE) tokens[who] = await server.login(who);
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  async function upload(who: Who): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const response = await fetch(`${server.baseUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}` }, body: form });
    expect(response.status).toBe(201);
    return ((await response.json()) as { url: string }).url;
  }
  const traceOf = async (url: string) => (await server.dataSource.getRepository(MediaCheckRow).findOneByOrFail({ url })).traceId!;

  it("WeChat's text verdict holds what the word list would pass; the reporter's openid and the forum scene are sent", async () => {
    const report = await h.file('demo-resident-2', '违禁测试：这段文字本地词表不会拦');
    expect(report.moderation).toBe('held');
    const row = (await h.caseOf('report', report.id))!;
    expect(JSON.parse(row.findings)).toEqual([{ target: 'text', suggest: 'risky', label: '时政', source: 'wechat' }]);
    expect(fake.state.textChecks.at(-1)).toMatchObject({ openid: 'demo-resident-2', scene: 3, version: 2 });
  });

  it('when WeChat cannot be asked, the local list decides: clean text passes, listed words are still held', async () => {
    fake.state.textCheckDown = true;
    try {
      expect((await h.file('demo-resident-2', '单元门禁坏了进不去')).moderation).toBe('clear');
      expect((await h.file('demo-resident-2', '单元门禁坏了，物业都是王八蛋')).moderation).toBe('held');
    } finally {
      fake.state.textCheckDown = false;
    }
  });

  it('a photo is handed to WeChat at upload; the report waits (pending, unseen by the grid worker) until the push says pass', async () => {
    const url = await upload('demo-resident-1');
    expect(fake.state.mediaChecks.at(-1)).toMatchObject({ mediaUrl: `https://linli.example.cn${url}`, openid: 'demo-resident-1' });
    const report = await h.file('demo-resident-1', '垃圾桶旁边堆满了装修垃圾', { photos: [url] });
    expect(report.moderation).toBe('pending');
    expect((await h.caseOf('report', report.id))!.status).toBe('pending');
    expect((await h.queue('demo-gridworker-1')).some((r) => r.id === report.id)).toBe(false);
    // A pending case is not yet a reviewer's task: no notice to the secretary.
    expect((await h.inbox('demo-secretary-1')).some((n) => n.kind === 'moderation.held' && n.body.startsWith('垃圾桶旁边堆满了装修垃圾'))).toBe(false);

    const pushed = await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(url), 'pass');
    expect(pushed).toEqual({ status: 200, body: 'success' });
    expect((await h.caseOf('report', report.id))!).toMatchObject({ status: 'released', decidedById: null, decisionNote: '图片检测通过' });
    expect((await h.queue('demo-gridworker-1')).some((r) => r.id === report.id)).toBe(true);
    // WeChat pushes again (it retries when unsure we got it): nothing changes twice.
    expect((await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(url), 'risky')).status).toBe(200);
    expect((await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-gridworker-1'] })).body.events.map((e) => e.action)).toEqual(['submit', 'release']);
  });

  it('a photo WeChat finds risky holds the report for the secretary, with the image named in the findings', async () => {
    const url = await upload('demo-resident-1');
    const report = await h.file('demo-resident-1', '楼道里有人贴小广告', { photos: [url] });
    await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(url), 'risky', 20002);
    const row = (await h.caseOf('report', report.id))!;
    expect(row.status).toBe('held');
    expect(JSON.parse(row.findings)).toEqual([{ target: url, suggest: 'risky', label: '色情', source: 'wechat' }]);
    expect((await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: tokens['demo-resident-1'] })).body.moderation).toBe('held');
    expect((await h.inbox('demo-secretary-1')).some((n) => n.kind === 'moderation.held' && n.body.startsWith('楼道里有人贴小广告'))).toBe(true);
  });

  it('an image WeChat never answers goes to a person after the timeout; one that could not be handed over is retried', async () => {
    const url = await upload('demo-resident-3');
    const report = await h.file('demo-resident-3', '路边井盖松动，踩上去会响', { photos: [url] });
    const cases = server.dataSource.getRepository(ModerationCaseRow);
    const row = (await h.caseOf('report', report.id))!;
    await cases.update({ id: row.id }, { createdAt: new Date(Date.now() - 31 * 60_000) });
    const swept = await server.app.moderation.sweep();
    expect(swept.escalated).toBeGreaterThanOrEqual(1);
    expect((await cases.findOneByOrFail({ id: row.id })).status).toBe('held');
    expect((await server.app.moderation.sweep()).escalated).toBe(0);

    fake.state.mediaCheckDown = true;
    const failed = await upload('demo-resident-3');
    fake.state.mediaCheckDown = false;
    const checks = server.dataSource.getRepository(MediaCheckRow);
    expect(await checks.findOneByOrFail({ url: failed })).toMatchObject({ status: 'error', traceId: null, attempts: 1 });
    const [first, second] = await Promise.all([server.app.moderation.sweep(), server.app.moderation.sweep()]);
    expect(first.retried + second.retried).toBe(1);
    expect(await checks.findOneByOrFail({ url: failed })).toMatchObject({ status: 'pending', attempts: 2, traceId: expect.stringMatching(/^media-/) });
  });

  it('the push URL answers only calls signed with the push token, recently', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const ok = await fetch(`${pushUrl}?signature=${pushSignature(PUSH_TOKEN, ts, 'n1')}&timestamp=${ts}&nonce=n1&echostr=hello`);
    expect(await ok.text()).toBe('hello');
    const forged = await server.call('GET', `/wechat/events?signature=${pushSignature('wrong', ts, 'n1')}&timestamp=${ts}&nonce=n1&echostr=hello`);
    expectError(forged, 401, 'UNAUTHENTICATED');
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expectError(await server.call('GET', `/wechat/events?signature=${pushSignature(PUSH_TOKEN, old, 'n1')}&timestamp=${old}&nonce=n1&echostr=hello`), 401, 'UNAUTHENTICATED');
    const event = { Event: 'wxa_media_check', trace_id: 'media-1', result: { suggest: 'risky', label: 20002 } };
    expectError(await server.call('POST', `/wechat/events?signature=${'0'.repeat(40)}&timestamp=${ts}&nonce=n1`, { body: event }), 401, 'UNAUTHENTICATED');
    // Nothing changed by the forged call: media-1 was settled as pass earlier and stays so.
    expect((await server.dataSource.getRepository(MediaCheckRow).findOneByOrFail({ traceId: 'media-1' })).status).not.toBe('risky');
  });

  it('notices of held content go to the secretary over the place, not to staff elsewhere', async () => {
    const before = await server.dataSource.getRepository(Notification).countBy({ kind: 'moderation.held' });
    await h.file('demo-resident-1', '违禁测试 第二次');
    const notices = await server.dataSource.getRepository(Notification).findBy({ kind: 'moderation.held' });
    expect(notices.length).toBe(before + 1);
    const secretary = await server.call('GET', '/me', { token: tokens['demo-secretary-1'] });
    expect(notices.at(-1)!.userId).toBe(secretary.body.id);
  });
});
