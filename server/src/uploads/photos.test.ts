import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { Consultation, ConsultationProgressRow } from '../consultations/consultation.entities';
import { GridNode } from '../grids/grid-node.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { Report } from '../reports/report.entity';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
/** Shaped like one of ours, but never issued. */
const FORGED = '/api/v1/uploads/files/2026/11/23/0123456789abcdef.jpg';

describe('photos: only images this server issued to the same user', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-resident-4', 'demo-gridworker-1', 'demo-secretary-1']) {
      tokens[who] = await server.login(who);
      ids[who] = (await server.call('GET', '/me', { token: tokens[who] })).body.id;
    }
  });
  afterAll(() => server.close());

  const submit = (who: string, body: Record<string, unknown>) =>
    server.call<ReportDetail>('POST', '/reports', {
      token: tokens[who],
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT, ...body },
      headers: { 'idempotency-key': randomUUID() },
    });
  const paths = (error: { details: { path: string }[] }) => error.details.map((d) => d.path);

  it('when a report names photos this server never issued, then 400 naming each one, and nothing is stored', async () => {
    const before = await server.dataSource.getRepository(Report).count();
    const error = expectError(await submit('demo-resident-1', { photos: ['https://evil.example/track.png', 'javascript:alert(1)', FORGED] }), 400, 'VALIDATION_FAILED');
    expect(paths(error)).toEqual(['body.photos.0', 'body.photos.1', 'body.photos.2']);
    expect(await server.dataSource.getRepository(Report).count()).toBe(before);
  });

  it('when a resident names another user’s upload, then 400 on that photo; their own uploads are accepted', async () => {
    const own = await server.upload(tokens['demo-resident-1']);
    const theirs = await server.upload(tokens['demo-resident-2']);
    const error = expectError(await submit('demo-resident-1', { photos: [own, theirs] }), 400, 'VALIDATION_FAILED');
    expect(paths(error)).toEqual(['body.photos.1']);
    // A case-changed copy of one's own URL is not the URL issued.
    expect(paths(expectError(await submit('demo-resident-1', { photos: [own.toUpperCase()] }), 400, 'VALIDATION_FAILED'))).toEqual(['body.photos.0']);
    const filed = await submit('demo-resident-1', { photos: [own] });
    expect(filed.status).toBe(201);
    expect(filed.body.photos).toEqual([own]);
  });

  it('when staff file on a resident’s behalf, then the photos must be the filer’s own uploads', async () => {
    const residents = await server.upload(tokens['demo-resident-4']);
    const workers = await server.upload(tokens['demo-gridworker-1']);
    const onBehalf = { channel: 'hotline', onBehalfOfUserId: ids['demo-resident-4'] };
    expect(paths(expectError(await submit('demo-gridworker-1', { ...onBehalf, photos: [residents] }), 400, 'VALIDATION_FAILED'))).toEqual(['body.photos.0']);
    const filed = await submit('demo-gridworker-1', { ...onBehalf, photos: [workers] });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.reporter?.id).toBe(ids['demo-resident-4']);
  });

  it('when a resolve carries a photo the handler did not upload, then 400 on body.photos.0 and the report stays in progress', async () => {
    const worker = tokens['demo-gridworker-1'];
    const filed = await submit('demo-resident-1', {});
    for (const [action, body] of [['accept', { priority: 'normal', handlingMethod: 'on_site' }], ['dispatch', { assigneeId: ids['demo-gridworker-1'] }], ['start', {}]] as const) {
      expect((await server.call('POST', `/reports/${filed.body.id}/${action}`, { token: worker, body })).status).toBe(200);
    }
    const residents = await server.upload(tokens['demo-resident-1']);
    for (const photos of [['https://evil.example/after.png'], [residents]]) {
      const error = expectError(await server.call('POST', `/reports/${filed.body.id}/resolve`, { token: worker, body: { result: '已清运', photos } }), 400, 'VALIDATION_FAILED');
      expect(paths(error)).toEqual(['body.photos.0']);
    }
    expect((await server.call<ReportDetail>('GET', `/reports/${filed.body.id}`, { token: worker })).body.status).toBe('in_progress');
    const own = await server.upload(worker);
    const resolved = await server.call<ReportDetail>('POST', `/reports/${filed.body.id}/resolve`, { token: worker, body: { result: '已清运', photos: [own] } });
    expect(resolved.body.events.at(-1)?.photos).toEqual([own]);
  });

  it('when a consultation’s progress carries a foreign URL, then 400 on that photo and no progress is written', async () => {
    const post = (who: string, path: string, body: Record<string, unknown> = {}) => server.call<ConsultationDetail>('POST', path, { token: tokens[who], body });
    const proposed = await post('demo-resident-1', '/consultations', { title: '加装电动车充电桩', description: '楼下电动车乱停乱充，建议在东侧空地加装集中充电桩。' });
    await post('demo-resident-2', `/consultations/${proposed.body.id}/cosign`);
    await post('demo-resident-3', `/consultations/${proposed.body.id}/cosign`);
    const approved = await post('demo-secretary-1', `/consultations/${proposed.body.id}/approve`, { votingEndsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(), rule: 'simple' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    // The vote itself is not what this test is about: decided as passed.
    await server.dataSource.getRepository(Consultation).update({ id: approved.body.id }, { status: 'decided', outcome: 'passed', eligibleAtClose: 24, version: approved.body.version + 1 });
    expect((await post('demo-secretary-1', `/consultations/${approved.body.id}/implement`, { plan: '物业本月内安装' })).status).toBe(200);
    const own = await server.upload(tokens['demo-secretary-1']);
    const error = expectError(await post('demo-secretary-1', `/consultations/${approved.body.id}/progress`, { note: '已完成选址', photos: [own, 'https://evil.example/track.png'] }), 400, 'VALIDATION_FAILED');
    expect(paths(error)).toEqual(['body.photos.1']);
    expect(await server.dataSource.getRepository(ConsultationProgressRow).countBy({ consultationId: approved.body.id })).toBe(0);
    const progressed = await post('demo-secretary-1', `/consultations/${approved.body.id}/progress`, { note: '已完成选址', photos: [own] });
    expect(progressed.body.progress[0].photos).toEqual([own]);
  });

  it('when a secretary sets a reward image they did not upload, then 400 on body.imageUrl; their own, or the image the reward already has, is accepted', async () => {
    const secretary = tokens['demo-secretary-1'];
    const body = { name: '社区电影票', cost: 25, stock: 3 };
    const forged = await server.call('POST', '/rewards', { token: secretary, body: { ...body, imageUrl: 'https://evil.example/track.png' } });
    expect(paths(expectError(forged, 400, 'VALIDATION_FAILED'))).toEqual(['body.imageUrl']);
    const own = await server.upload(secretary);
    const created = await server.call('POST', '/rewards', { token: secretary, body: { ...body, imageUrl: own } });
    expect(created.status).toBe(201);
    const residents = await server.upload(tokens['demo-resident-1']);
    expect(paths(expectError(await server.call('PUT', `/rewards/${created.body.id}`, { token: secretary, body: { imageUrl: residents } }), 400, 'VALIDATION_FAILED'))).toEqual(['body.imageUrl']);
    // Another secretary of the community edits the reward and sends its image back unchanged.
    const users = server.dataSource.getRepository(User);
    const colleague = await users.save(users.create({ openid: `secretary-${randomUUID()}`, nickname: '副书记', householdId: null }));
    const community = await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001' });
    await server.dataSource.getRepository(RoleAssignment).insert({ userId: colleague.id, role: 'secretary', nodeId: community.id });
    const colleagueToken = (await server.app.tokens.issue(colleague.id)).token;
    const kept = await server.call('PUT', `/rewards/${created.body.id}`, { token: colleagueToken, body: { name: '社区电影票（两张）', imageUrl: own } });
    expect(kept.status).toBe(200);
    expect(kept.body.imageUrl).toBe(own);
  });
});
