import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { AuditEntry } from './audit-entry.entity';

describe('the audit log of staff actions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('records each change a staff member makes, with its outcome, and nothing residents do', async () => {
    const resident = await server.login('demo-resident-1');
    const worker = await server.login('demo-gridworker-1');
    const filed = await server.call<ReportDetail>('POST', '/reports', { token: resident, body: { categoryCode: 'other', description: '小区门口的井盖松动了' } });
    await server.call('POST', `/reports/${filed.body.id}/accept`, { token: worker, body: { priority: 'high', handlingMethod: 'on_site' } });
    await server.call('POST', `/reports/${filed.body.id}/accept`, { token: worker, body: { priority: 'high', handlingMethod: 'on_site' } });
    const entries = await server.dataSource.getRepository(AuditEntry).find({ order: { id: 'ASC' } });
    expect(entries.map((e) => [e.method, e.path, e.status, e.roles])).toEqual([
      ['POST', `/api/v1/reports/${filed.body.id}/accept`, 200, 'grid_worker'],
      ['POST', `/api/v1/reports/${filed.body.id}/accept`, 409, 'grid_worker'],
    ]);
    expect(entries[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('no route edits or deletes it', async () => {
    const doc = (await server.call('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths).filter((p) => p.includes('audit'))).toEqual([]);
  });
});
