import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { User } from '../identity/user.entity';
import { decryptField, encryptField } from './field-cipher';

describe('privacy: phone numbers at rest, export, deleting an account', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('phone numbers are stored encrypted and read back whole by the server only', async () => {
    const [row] = await server.dataSource.query("SELECT phone FROM users WHERE openid = 'demo-gridworker-1'");
    expect(row.phone).toMatch(/^enc:v1:/);
    expect(row.phone).not.toContain('13857111234');
    const user = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-gridworker-1' });
    expect(user.phone).toBe('13857111234');
    expect(encryptField('138')).not.toBe(encryptField('138')); // a fresh IV each time
    expect(decryptField('13800000000')).toBe('13800000000'); // rows from before encryption still read
  });

  it('a resident downloads a copy of their data', async () => {
    const token = await server.login('demo-resident-5');
    const photo = await server.upload(token);
    await server.call('POST', '/reports', { token, body: { categoryCode: 'noise', description: '隔壁装修太吵了，周末一早就开工', photos: [photo] } });
    const exported = await server.call('GET', '/me/export', { token });
    expect(exported.body.uploads.map((u: { url: string }) => u.url)).toEqual([photo]);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    expect(exported.body.profile).toMatchObject({ nickname: '刘芳', phone: '13857110005' });
    expect(exported.body.reports.map((r: { description: string }) => r.description)).toContain('隔壁装修太吵了，周末一早就开工');
  });

  it('deleting an account: tokens stop working, the reports stay but no longer name the person', async () => {
    const token = await server.login('demo-resident-6');
    const filed = await server.call<ReportDetail>('POST', '/reports', { token, body: { categoryCode: 'parking', description: '消防通道长期被私家车占用' } });
    expect((await server.call('DELETE', '/me', { token })).status).toBe(204);
    expectError(await server.call('GET', '/me', { token }), 401, 'UNAUTHENTICATED');
    const worker = await server.login('demo-gridworker-1');
    const seen = await server.call<ReportDetail>('GET', `/reports/${filed.body.id}`, { token: worker });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ anonymous: true, reporter: null });
    const [{ reporterId }] = await server.dataSource.query(`SELECT reporterId FROM reports WHERE id = ${filed.body.id}`);
    const [row] = await server.dataSource.query(`SELECT openid, nickname, phone, householdId FROM users WHERE id = ${Number(reporterId)}`);
    expect(row).toMatchObject({ nickname: '已注销用户', phone: null, householdId: null });
    expect(row.openid).toMatch(/^deleted-/);
    // The same WeChat user logging in again starts afresh.
    const again = await server.call('POST', '/auth/dev', { body: { openid: 'demo-resident-6' } });
    expect(again.body.user.household).toBeNull();
  });

  it('logs never carry tokens or phone numbers', async () => {
    const { createLogger } = await import('../platform/logger');
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    logger.info({ token: 'eyJsecret', user: { phone: '13857110005' }, req: { headers: { authorization: 'Bearer eyJsecret' } } }, 'login');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/eyJsecret|13857110005/);
    expect(lines[0]).toContain('[redacted]');
  });
});
