import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer } from '../../test/harness';
import { GridNode } from '../grids/grid-node.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';

describe('admin: grid nodes, staff assignments, categories and SLAs', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const as = (who: string) => tokens[who];

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-admin', 'demo-secretary-1', 'demo-gridworker-1', 'demo-resident-1', 'demo-resident-5']) tokens[who] = await server.login(who);
    const nodes = server.dataSource.getRepository(GridNode);
    for (const code of ['330199001', '330199001001', '330199001001-G01', '330199001001-G01-M01']) ids[code] = (await nodes.findOneByOrFail({ code })).id;
    // A street-level admin: below the top, so not allowed to change the deployment's categories.
    const streetAdmin = await server.dataSource.getRepository(User).save({ openid: 'street-admin', nickname: '街道管理员', householdId: null });
    await server.dataSource.getRepository(RoleAssignment).insert({ userId: streetAdmin.id, role: 'admin', nodeId: ids['330199001001'] });
    tokens['street-admin'] = (await server.app.tokens.issue(streetAdmin.id)).token;
    ids.streetAdmin = streetAdmin.id;
  });
  afterAll(() => server.close());

  describe('grid nodes', () => {
    it('an admin renames a node; the tree shows the new name at once', async () => {
      const renamed = await server.call('PUT', `/grids/${ids['330199001001-G01-M01']}`, { token: as('demo-admin'), body: { name: '桂香苑（东区）微网格' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: ids['330199001001-G01-M01'], name: '桂香苑（东区）微网格', level: 'microgrid' });
      const tree = await server.call('GET', `/grids/tree?rootId=${ids['330199001001-G01']}`, { token: as('demo-resident-1') });
      expect(tree.body.children[0].name).toBe('桂香苑（东区）微网格');
      await server.call('PUT', `/grids/${ids['330199001001-G01-M01']}`, { token: as('demo-admin'), body: { name: '桂香苑微网格' } });
    });

    it('deletes only an empty node: 409 CONFLICT naming what is still there', async () => {
      const busy = expectError(await server.call('DELETE', `/grids/${ids['330199001001-G01']}`, { token: as('demo-admin') }), 409, 'CONFLICT');
      expect(busy.message).toMatch(/下级网格/);
      const imported = await server.call('POST', '/grids/import', {
        token: as('demo-admin'),
        body: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { code: 'ADMIN-TEST-G', name: '临时网格', level: 'grid', parentCode: '330199001001' } }] },
      });
      expect(imported.status).toBe(200);
      const temp = await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: 'ADMIN-TEST-G' });
      expectError(await server.call('DELETE', `/grids/${temp.id}`, { token: as('demo-secretary-1') }), 403, 'FORBIDDEN');
      const deleted = await server.call('DELETE', `/grids/${temp.id}`, { token: as('demo-admin') });
      expect(deleted.status).toBe(204);
      expect(await server.dataSource.getRepository(GridNode).findOneBy({ id: temp.id })).toBeNull();
      expectError(await server.call('DELETE', `/grids/${temp.id}`, { token: as('demo-admin') }), 404, 'NOT_FOUND');
    });

    it('who may: a secretary or grid worker 403, a node above the admin’s scope 403, bad names 400', async () => {
      expectError(await server.call('PUT', `/grids/${ids['330199001001']}`, { token: as('demo-secretary-1'), body: { name: '桂花社区' } }), 403, 'FORBIDDEN');
      expectError(await server.call('PUT', `/grids/${ids['330199001001']}`, { token: as('demo-gridworker-1'), body: { name: '桂花社区' } }), 403, 'FORBIDDEN');
      expectError(await server.call('PUT', `/grids/${ids['330199001']}`, { token: as('street-admin'), body: { name: '锦华街道' } }), 403, 'FORBIDDEN');
      expectError(await server.call('PUT', `/grids/${ids['330199001001']}`, { token: as('demo-admin'), body: { name: '' } }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('PUT', '/grids/99999', { token: as('demo-admin'), body: { name: '无' } }), 404, 'NOT_FOUND');
    });
  });

  describe('staff assignments', () => {
    it('finds a user, gives them a role on a node, lists it, and takes it back; the role works at once', async () => {
      const found = await server.call('GET', `/admin/users?q=${encodeURIComponent('王')}`, { token: as('demo-admin') });
      expect(found.status).toBe(200);
      const resident5 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-5' });
      const byId = await server.call('GET', `/admin/users?q=${resident5.id}`, { token: as('demo-admin') });
      expect(byId.body.items[0]).toMatchObject({ id: resident5.id, nickname: resident5.nickname, phoneMasked: '138****0005', roles: [] });
      expect(JSON.stringify(found.body) + JSON.stringify(byId.body)).not.toMatch(/13857110005/);

      const given = await server.call('POST', '/admin/role-assignments', { token: as('demo-admin'), body: { userId: resident5.id, role: 'grid_worker', nodeId: ids['330199001001-G01'] } });
      expect(given.status).toBe(201);
      expect(given.body).toMatchObject({ userId: resident5.id, role: 'grid_worker', nodeName: '桂花社区第一网格', nodePath: ['青溪区', '锦华街道', '桂花社区', '桂花社区第一网格'] });
      expect((await server.call('GET', '/me', { token: as('demo-resident-5') })).body.roles).toContain('grid_worker');
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('demo-admin'), body: { userId: resident5.id, role: 'grid_worker', nodeId: ids['330199001001-G01'] } }), 409, 'CONFLICT');

      const listed = await server.call('GET', `/admin/role-assignments?nodeId=${ids['330199001001']}`, { token: as('demo-admin') });
      expect(listed.body.items.map((a: { id: number }) => a.id)).toContain(given.body.id);
      expect(listed.body.items.every((a: { nodePath: string[] }) => a.nodePath.includes('桂花社区'))).toBe(true);

      expect((await server.call('DELETE', `/admin/role-assignments/${given.body.id}`, { token: as('demo-admin') })).status).toBe(204);
      expect((await server.call('GET', '/me', { token: as('demo-resident-5') })).body.roles).not.toContain('grid_worker');
      expectError(await server.call('DELETE', `/admin/role-assignments/${given.body.id}`, { token: as('demo-admin') }), 404, 'NOT_FOUND');
    });

    it('who may: a secretary 403 on every assignment route; an admin out of scope 403 (node) or 404 (assignment); own admin role 409', async () => {
      const resident5 = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-5' });
      const body = { userId: resident5.id, role: 'secretary', nodeId: ids['330199001001'] };
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('demo-secretary-1'), body }), 403, 'FORBIDDEN');
      expectError(await server.call('GET', '/admin/role-assignments', { token: as('demo-secretary-1') }), 403, 'FORBIDDEN');
      expectError(await server.call('GET', '/admin/users?q=a', { token: as('demo-secretary-1') }), 403, 'FORBIDDEN');
      const top = await server.dataSource.getRepository(RoleAssignment).findOneByOrFail({ role: 'admin', nodeId: (await server.dataSource.getRepository(GridNode).findOneByOrFail({ code: '330199' })).id });
      expectError(await server.call('DELETE', `/admin/role-assignments/${top.id}`, { token: as('demo-secretary-1') }), 403, 'FORBIDDEN');
      // The street admin cannot reach the district's assignment nor give roles above their node.
      expectError(await server.call('DELETE', `/admin/role-assignments/${top.id}`, { token: as('street-admin') }), 404, 'NOT_FOUND');
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('street-admin'), body: { ...body, nodeId: ids['330199001'] } }), 403, 'FORBIDDEN');
      // Nobody removes their own admin role (a street left without an admin by a slip).
      const own = await server.dataSource.getRepository(RoleAssignment).findOneByOrFail({ userId: ids.streetAdmin, role: 'admin' });
      expectError(await server.call('DELETE', `/admin/role-assignments/${own.id}`, { token: as('street-admin') }), 409, 'CONFLICT');
      // Validation: unknown user, unknown role, unknown node.
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('demo-admin'), body: { ...body, userId: 99999 } }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('demo-admin'), body: { ...body, role: 'mayor' } }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('demo-admin'), body: { ...body, nodeId: 99999 } }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('POST', '/admin/role-assignments', { token: as('demo-admin'), body: { ...body, role: 'department' } }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('categories and SLAs', () => {
    it('the top admin adds a category and changes its SLA; new reports use it', async () => {
      const created = await server.call('POST', '/admin/report-categories', { token: as('demo-admin'), body: { code: 'elevator', name: '电梯故障', slaHours: 8, sortOrder: 3 } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ code: 'elevator', name: '电梯故障', slaHours: 8, departmentId: null, sortOrder: 3 });
      const updated = await server.call('PUT', '/admin/report-categories/elevator', { token: as('demo-admin'), body: { slaHours: 4 } });
      expect(updated.body).toEqual({ code: 'elevator', name: '电梯故障', slaHours: 4, departmentId: null, sortOrder: 3 });
      const list = await server.call('GET', '/admin/report-categories', { token: as('demo-admin') });
      expect(list.body.items.find((c: { code: string }) => c.code === 'sanitation')).toMatchObject({ slaHours: 48, departmentName: '锦华街道城管执法中队' });
      const publicList = await server.call('GET', '/report-categories', { token: as('demo-resident-1') });
      expect(publicList.body.items.map((c: { code: string }) => c.code)).toContain('elevator');
      expectError(await server.call('POST', '/admin/report-categories', { token: as('demo-admin'), body: { code: 'elevator', name: '电梯', slaHours: 8 } }), 409, 'CONFLICT');
    });

    it('who may: a secretary 403, an admin below the top 403; unknown code 404; bad SLA or department 400', async () => {
      const body = { code: 'graffiti', name: '乱涂乱画', slaHours: 48 };
      expectError(await server.call('POST', '/admin/report-categories', { token: as('demo-secretary-1'), body }), 403, 'FORBIDDEN');
      expectError(await server.call('GET', '/admin/report-categories', { token: as('demo-secretary-1') }), 403, 'FORBIDDEN');
      expectError(await server.call('POST', '/admin/report-categories', { token: as('street-admin'), body }), 403, 'FORBIDDEN');
      expectError(await server.call('PUT', '/admin/report-categories/water', { token: as('street-admin'), body: { slaHours: 1 } }), 403, 'FORBIDDEN');
      expectError(await server.call('PUT', '/admin/report-categories/nope', { token: as('demo-admin'), body: { slaHours: 1 } }), 404, 'NOT_FOUND');
      expectError(await server.call('PUT', '/admin/report-categories/water', { token: as('demo-admin'), body: { slaHours: 0 } }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('PUT', '/admin/report-categories/water', { token: as('demo-admin'), body: {} }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('POST', '/admin/report-categories', { token: as('demo-admin'), body: { ...body, departmentId: 99999 } }), 400, 'VALIDATION_FAILED');
      expectError(await server.call('POST', '/admin/report-categories', { token: as('demo-admin'), body: { ...body, code: 'Bad Code' } }), 400, 'VALIDATION_FAILED');
    });
  });
});
