import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CANNED_REPLIES, type CannedReply } from '@linli/shared';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { GridNode } from '../grids/grid-node.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { CannedReplyRow } from './canned-reply.entity';

const PEOPLE = ['demo-resident-1', 'demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-department-1', 'demo-admin'] as const;
type Who = (typeof PEOPLE)[number] | 'secretary-elsewhere';

/*
 * 常用语: a community's canned replies. Everyone who handles its reports reads them (a grid worker of
 * one of its grids, a department over it); its secretary and admins keep them; nobody else sees them.
 */
describe('canned replies (常用语) per community', () => {
  let server: TestServer;
  const token = {} as Record<Who, string>;
  const node: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of PEOPLE) token[who] = await server.login(who);
    const nodes = server.dataSource.getRepository(GridNode);
    for (const code of ['330199001', '330199001001', '330199001001-G01', '330199001001-G02-M01']) node[code] = (await nodes.findOneByOrFail({ code })).id;
    // A second community of the street, with a secretary of its own.
    const imported = await server.call('POST', '/grids/import', {
      token: token['demo-admin'],
      body: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { code: 'CANNED-C2', name: '新河社区', level: 'community', parentCode: '330199001' } }] },
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const other = await nodes.findOneByOrFail({ code: 'CANNED-C2' });
    node.other = other.id;
    const secretary = await server.dataSource.getRepository(User).save({ openid: 'canned-secretary-elsewhere', nickname: '新河书记' });
    await server.dataSource.getRepository(RoleAssignment).insert({ userId: secretary.id, role: 'secretary', nodeId: other.id });
    token['secretary-elsewhere'] = await server.login('canned-secretary-elsewhere');
  });
  afterAll(() => server.close());

  const list = (who: Who, nodeId: number, kind?: string) => server.call<{ items: CannedReply[] }>('GET', `/canned-replies?nodeId=${nodeId}${kind ? `&kind=${kind}` : ''}`, { token: token[who] });
  const add = (who: Who, body: Record<string, unknown>) => server.call<CannedReply>('POST', '/canned-replies', { token: token[who], body });

  it('when staff handling the community’s reports ask from any node in it, then they get its replies of that kind (the demo seeds some)', async () => {
    for (const who of ['demo-gridworker-1', 'demo-gridworker-2', 'demo-secretary-1', 'demo-department-1', 'demo-admin'] as const) {
      const result = await list(who, node['330199001001-G02-M01'], 'resolve');
      expect(result.status, who).toBe(200);
      expect(result.body.items.length).toBeGreaterThan(0);
      expect(result.body.items.every((r) => r.kind === 'resolve' && r.communityId === node['330199001001'])).toBe(true);
    }
    expect((await list('demo-gridworker-1', node['330199001001'])).body.items.map((r) => r.kind)).toEqual(expect.arrayContaining(['resolve', 'reject', 'feedback']));
  });

  it('when a resident, or staff of another community, asks, then 403; above community level 400; an unknown node 404', async () => {
    expectError(await list('demo-resident-1', node['330199001001']), 403, 'FORBIDDEN');
    expectError(await list('secretary-elsewhere', node['330199001001']), 403, 'FORBIDDEN');
    expect((await list('secretary-elsewhere', node.other)).body.items).toEqual([]);
    expect(expectError(await list('demo-secretary-1', node['330199001']), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['query.nodeId']);
    expectError(await list('demo-secretary-1', 999_999), 404, 'NOT_FOUND');
  });

  it('when the secretary adds, changes and removes one, then the grid worker sees each change; the grid worker and the other community’s secretary may not touch it', async () => {
    const added = await add('demo-secretary-1', { nodeId: node['330199001001-G01'], kind: 'reject', text: '已转交物业公司处理，请直接联系物业。' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ communityId: node['330199001001'], kind: 'reject', text: '已转交物业公司处理，请直接联系物业。' });
    expect((await list('demo-gridworker-1', node['330199001001'], 'reject')).body.items.map((r) => r.text)).toContain('已转交物业公司处理，请直接联系物业。');

    expectError(await add('demo-gridworker-1', { nodeId: node['330199001001'], kind: 'reject', text: '网格员自己加的' }), 403, 'FORBIDDEN');
    expectError(await add('secretary-elsewhere', { nodeId: node['330199001001'], kind: 'reject', text: '别的社区加的' }), 403, 'FORBIDDEN');
    const put = (who: Who, text: string) => server.call('PUT', `/canned-replies/${added.body.id}`, { token: token[who], body: { text } });
    expectError(await put('demo-gridworker-1', '网格员改的'), 403, 'FORBIDDEN');
    expectError(await put('secretary-elsewhere', '别的社区改的'), 404, 'NOT_FOUND');
    // What the app's form shows under the text: the field's reason, after trimming.
    expect(expectError(await put('demo-secretary-1', ' 好 '), 400, 'VALIDATION_FAILED').details).toEqual([{ path: 'body.text', message: '至少 2 个字' }]);
    const changed = await put('demo-secretary-1', '已转交物业公司处理。');
    expect(changed.status).toBe(200);
    expect(changed.body.text).toBe('已转交物业公司处理。');
    expectError(await server.call('DELETE', `/canned-replies/${added.body.id}`, { token: token['secretary-elsewhere'] }), 404, 'NOT_FOUND');
    expect((await server.call('DELETE', `/canned-replies/${added.body.id}`, { token: token['demo-admin'] })).status).toBe(204);
    expect((await list('demo-gridworker-1', node['330199001001'], 'reject')).body.items.map((r) => r.id)).not.toContain(added.body.id);
    expectError(await put('demo-secretary-1', '已删除的'), 404, 'NOT_FOUND');
  });

  it('when a kind is full, then another is 409 CONFLICT; text is 2–200 characters', async () => {
    const rows = server.dataSource.getRepository(CannedReplyRow);
    const present = await rows.countBy({ communityId: node['330199001001'], kind: 'feedback' });
    for (let i = present; i < MAX_CANNED_REPLIES; i++) await rows.insert({ communityId: node['330199001001'], kind: 'feedback', text: `回访记录 ${i}`, createdById: null });
    expectError(await add('demo-secretary-1', { nodeId: node['330199001001'], kind: 'feedback', text: '第三十一条' }), 409, 'CONFLICT');
    expect(expectError(await add('demo-secretary-1', { nodeId: node['330199001001'], kind: 'resolve', text: '好' }), 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['body.text']);
    expectError(await add('demo-secretary-1', { nodeId: node['330199001001'], kind: 'praise', text: '表扬一下' }), 400, 'VALIDATION_FAILED');
  });
});
