import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, PointsMe } from '@linli/shared';
import { openTestDatabase, startTestServer, type TestServer } from '../../test/harness';
import { User } from '../identity/user.entity';

/**
 * Every URL form the README documents for DATABASE_URL (`mysql://` and `mariadb://`), against the one
 * server of TEST_DATABASE_URL, whichever form that is written in; the embedded database once. The
 * paths that take a shared lock (a comment's capped daily point, an award's retry) must work through
 * each: under TypeORM's `mysql` dialect MariaDB 10.11 (which reports a version ≥ 8) got MySQL 8's
 * `FOR SHARE`, a syntax error there.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const forms = serverUrl ? ['mysql:', 'mariadb:'].map((scheme) => serverUrl.replace(/^[a-z]+:/, scheme)) : [undefined];

describe.each(forms)('the database reached through %s', (url) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let server: TestServer;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  const post = async <T = any>(who: string, path: string, body: unknown, headers?: Record<string, string>) =>
    server.call<T>('POST', path, { token: await as(who), body, headers });
  const balance = async (who: string) => (await server.call<PointsMe>('GET', '/points/me', { token: await as(who) })).body.balance;

  beforeAll(async () => {
    database = await openTestDatabase(url);
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it('when connected, then the dialect is the one of the server that answered, not of the URL scheme', async () => {
    if (!url) return expect(database.dataSource.options.type).toBe('sqljs');
    const [{ version }] = await database.dataSource.query('SELECT VERSION() AS version');
    expect(database.dataSource.options.type).toBe(/mariadb/i.test(version) ? 'mariadb' : 'mysql');
  });

  it("when a resident comments a second time in a day, then the comment is kept and earns that day's second point", async () => {
    const proposed = await post<ConsultationDetail>('demo-resident-1', '/consultations', { title: '楼下增设长椅', description: '老人散步没有地方休息，建议在楼下花坛边增设两张长椅。' });
    await post('demo-resident-2', `/consultations/${proposed.body.id}/cosign`, {});
    await post('demo-resident-3', `/consultations/${proposed.body.id}/cosign`, {});
    const approved = await post<ConsultationDetail>('demo-secretary-1', `/consultations/${proposed.body.id}/approve`, {
      votingEndsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    });
    expect(approved.body.status).toBe('discussing');
    const before = await balance('demo-resident-2');
    const first = await post('demo-resident-2', `/consultations/${proposed.body.id}/comments`, { body: '赞成，长椅最好带靠背。' });
    const second = await post('demo-resident-2', `/consultations/${proposed.body.id}/comments`, { body: '另外建议旁边加一盏路灯。' });
    expect([first.status, second.status], JSON.stringify(second.body)).toEqual([201, 201]);
    const detail = await server.call<ConsultationDetail>('GET', `/consultations/${proposed.body.id}`, { token: await as('demo-resident-2') });
    expect(detail.body.comments.map((c) => c.body)).toEqual(expect.arrayContaining(['赞成，长椅最好带靠背。', '另外建议旁边加一盏路灯。']));
    expect(await balance('demo-resident-2')).toBe(before + 2);
  });

  it('when a secretary’s award is sent four times at once with one Idempotency-Key, then all four answer the one award, paid once', async () => {
    const resident = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-3' });
    const before = await balance('demo-resident-3');
    const key = randomUUID();
    const award = () => post('demo-secretary-1', '/points/awards', { userId: resident.id, points: 6, note: '帮邻居照看孩子' }, { 'idempotency-key': key });
    const answers = await Promise.all([award(), award(), award(), award()]);
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await balance('demo-resident-3')).toBe(before + 6);
  });
});
