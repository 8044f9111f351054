import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { AuditEntry } from '../audit/audit-entry.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Report } from './report.entity';

const GRID1_SPOT = { lat: 30.279, lng: 120.1495 };
/** Typed as staff hear it; stored and revealed as digits. */
const CALLER = { name: '钱阿婆', phone: '139 0571-8866' };
const CALLER_DIGITS = '13905718866';

describe('an unregistered caller on a report, over HTTP', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  const file = async (who: string, body: Record<string, unknown>) =>
    server.call<ReportDetail>('POST', '/reports', {
      token: await as(who),
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了三天没人清运', location: GRID1_SPOT, channel: 'hotline', ...body },
      headers: { 'idempotency-key': randomUUID() },
    });
  let report: ReportDetail;

  beforeAll(async () => {
    server = await startTestServer();
    const filed = await file('demo-gridworker-1', { caller: CALLER });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    report = filed.body;
  });
  afterAll(() => server.close());

  it('when a grid worker files a hotline report for a caller who is not registered, then the staff handling it see the name and the masked phone, and the database holds the phone encrypted', async () => {
    expect(report.caller).toEqual({ name: CALLER.name, phoneMasked: '139****8866' });
    for (const who of ['demo-secretary-1', 'demo-admin']) {
      const seen = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: await as(who) });
      expect(seen.body.caller).toEqual({ name: CALLER.name, phoneMasked: '139****8866' });
    }
    const raw = await server.dataSource.query('SELECT callerName, callerPhone FROM reports WHERE id = ?', [report.id]);
    expect(raw[0].callerName).toBe(CALLER.name);
    expect(raw[0].callerPhone).toMatch(/^enc:v1:/);
    expect(raw[0].callerPhone).not.toContain('8866');
    // Not read with the report by default: lists, Open311 and the filer's data export never carry it.
    const loaded = await server.dataSource.getRepository(Report).findOneByOrFail({ id: report.id });
    expect(loaded.callerPhone).toBeUndefined();
    expect(loaded.callerName).toBeUndefined();
    const exported = await server.call('GET', '/me/export', { token: await as('demo-gridworker-1') });
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain(CALLER.name);
  });

  it('when a resident follows that report, then neither its detail nor the nearby list nor Open311 shows the caller', async () => {
    const nearby = await server.call('GET', `/reports/nearby?lat=${GRID1_SPOT.lat}&lng=${GRID1_SPOT.lng}&categoryCode=sanitation`, { token: await as('demo-resident-2') });
    expect(nearby.body.items.map((r: { id: number }) => r.id)).toContain(report.id);
    expect(JSON.stringify(nearby.body)).not.toContain(CALLER.name);
    const followed = await server.call<ReportDetail>('POST', `/reports/${report.id}/follow`, { token: await as('demo-resident-2'), body: {} });
    expect(followed.status).toBe(200);
    expect(followed.body).not.toHaveProperty('caller');
    const detail = await server.call<ReportDetail>('GET', `/reports/${report.id}`, { token: await as('demo-resident-2') });
    expect(detail.status).toBe(200);
    expect(detail.body).not.toHaveProperty('caller');
    expect(JSON.stringify(detail.body)).not.toContain(CALLER.name);

    const community = await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199001001' });
    const key = (await server.call('POST', '/admin/open311-keys', { token: await as('demo-admin'), body: { name: '12345市民热线', nodeId: community.id } })).body.key;
    const open311 = await fetch(`${server.baseUrl}/open311/v2/requests.json?api_key=${encodeURIComponent(key)}`);
    const text = await open311.text();
    expect(open311.status).toBe(200);
    expect(text).toContain(report.number);
    expect(text).not.toContain(CALLER.name);
    expect(text).not.toContain('8866');
  });

  it('when staff outside the report or a resident ask for the caller’s phone, then they are refused; the staff over it get the whole number, and the reveal is audited', async () => {
    expectError(await server.call('POST', `/reports/${report.id}/caller/phone`, { token: await as('demo-gridworker-2'), body: {} }), 404, 'NOT_FOUND');
    // A neighbour following it sees it as nearby shows it: the caller is not there at all.
    expectError(await server.call('POST', `/reports/${report.id}/caller/phone`, { token: await as('demo-resident-2'), body: {} }), 404, 'NOT_FOUND');
    const revealed = await server.call('POST', `/reports/${report.id}/caller/phone`, { token: await as('demo-secretary-1'), body: {} });
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ phone: CALLER_DIGITS });
    const audited = await server.dataSource.getRepository(AuditEntry).findBy({ path: `/api/v1/reports/${report.id}/caller/phone`, status: 200 });
    expect(audited).toHaveLength(1);
    // A report without a caller has none to reveal.
    const plain = await file('demo-gridworker-1', {});
    expectError(await server.call('POST', `/reports/${plain.body.id}/caller/phone`, { token: await as('demo-secretary-1'), body: {} }), 404, 'NOT_FOUND');
    expect(plain.body.caller ?? null).toBeNull();
  });

  it('when the caller is sent by a resident, beside a chosen resident, on the mini-program channel or with a malformed phone, then it is refused and nothing is filed', async () => {
    const before = await server.dataSource.getRepository(Report).count();
    expectError(await file('demo-resident-1', { channel: 'miniprogram', caller: { name: '张三', phone: '13905710000' } }), 403, 'FORBIDDEN');
    const resident4 = (await server.call('GET', '/me', { token: await as('demo-resident-4') })).body;
    const both = expectError(await file('demo-gridworker-1', { caller: { name: '张三', phone: '13905710000' }, onBehalfOfUserId: resident4.id }), 400, 'VALIDATION_FAILED');
    expect(both.details[0].path).toBe('body.caller');
    expectError(await file('demo-gridworker-1', { channel: 'miniprogram', caller: { name: '张三', phone: '13905710000' } }), 400, 'VALIDATION_FAILED');
    const badPhone = expectError(await file('demo-gridworker-1', { caller: { name: '张三', phone: '0571-8888' } }), 400, 'VALIDATION_FAILED');
    expect(badPhone.details.map((d) => d.path).join()).toContain('caller');
    expectError(await file('demo-gridworker-1', { caller: { name: '', phone: '13905710000' } }), 400, 'VALIDATION_FAILED');
    expect(await server.dataSource.getRepository(Report).count()).toBe(before);
  });
});
