import { In, type DataSource } from 'typeorm';
import { maskPhone, type CreateCategoryBody, type RoleAssignmentBody, type StaffRole, type UpdateCategoryBody } from '@linli/shared';
import { Consultation } from '../consultations/consultation.entities';
import { transact } from '../db/data-source';
import { SystemCounter } from '../db/system-counter.entity';
import { Building } from '../grids/building.entity';
import { BOUNDARY_COUNTER, type GridDirectory } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { isUniqueViolation } from '../ledger/community';
import { Open311Key } from '../open311/open311-key.entity';
import { conflict, forbidden, notFound, fieldError } from '../platform/errors';
import { Department } from '../reports/department.entity';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { Report } from '../reports/report.entity';
import { TimebankTaskRow } from '../timebank/timebank.entities';

/**
 * The admin's tools (DESIGN: "manages the grid tree, users, categories, SLAs"). Everything is held on
 * a node: an admin acts on nodes, assignments and keys within their scope. Categories and SLAs are
 * shared by the whole deployment, so only an admin of a top-level node changes them.
 *
 * Refusals: no admin role at all → 403; a node out of scope → 403 (grid nodes are public); an
 * assignment out of scope → 404 (it is not theirs to see); a node or assignment that does not exist → 404.
 */
export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
  ) {}

  private assertAdmin(actor: Actor): void {
    if (!holdsRole(actor, ['admin'])) throw forbidden('只有管理员可以执行此操作');
  }

  private async adminOverNode(actor: Actor, nodeId: number, missing: 'notFound' | 'invalid' = 'notFound') {
    this.assertAdmin(actor);
    await this.directory.ensureFresh();
    const node = this.directory.node(nodeId);
    if (!node) throw missing === 'notFound' ? notFound('网格') : fieldError('body.nodeId', '网格不存在');
    if (!holdsRoleOver(actor, ['admin'], node.path)) throw forbidden('该网格不在您的管辖范围内');
    return node;
  }

  /* ───────── grid nodes ───────── */

  async renameNode(actor: Actor, id: number, name: string) {
    const node = await this.adminOverNode(actor, id);
    await transact(this.dataSource, async (manager) => {
      await manager.getRepository(GridNode).update({ id }, { name });
      await manager.increment(SystemCounter, { name: BOUNDARY_COUNTER }, 'value', 1);
    });
    this.directory.invalidate();
    return { id, level: node.level, name, code: node.code, parentId: node.parentId };
  }

  /** Only an empty node goes: no child nodes, buildings, reports, staff, keys, consultations or tasks. */
  async deleteNode(actor: Actor, id: number): Promise<void> {
    await this.adminOverNode(actor, id);
    await transact(this.dataSource, async (manager) => {
      const uses: [string, Promise<number>][] = [
        ['下级网格', manager.getRepository(GridNode).countBy({ parentId: id })],
        ['楼栋', manager.getRepository(Building).countBy({ microgridId: id })],
        ['说事', manager.getRepository(Report).countBy({ gridNodeId: id })],
        ['人员角色', manager.getRepository(RoleAssignment).countBy({ nodeId: id })],
        ['接口密钥', manager.getRepository(Open311Key).countBy({ nodeId: id })],
        ['议事', manager.getRepository(Consultation).countBy({ scopeNodeId: id })],
        ['时间银行任务', manager.getRepository(TimebankTaskRow).countBy({ scopeNodeId: id })],
        ['职能部门', manager.getRepository(Department).countBy({ nodeId: id })],
      ];
      const inUse: string[] = [];
      for (const [what, count] of uses) if ((await count) > 0) inUse.push(what);
      if (inUse.length) throw conflict(`该网格下还有${inUse.join('、')}，不能删除`);
      await manager.getRepository(GridNode).delete({ id });
      await manager.increment(SystemCounter, { name: BOUNDARY_COUNTER }, 'value', 1);
    });
    this.directory.invalidate();
  }

  /* ───────── staff assignments ───────── */

  async assignments(actor: Actor, query: { nodeId?: number; role?: StaffRole; userId?: number }) {
    this.assertAdmin(actor);
    await this.directory.ensureFresh();
    const under = query.nodeId ? (await this.adminOverNode(actor, query.nodeId)).path : null;
    const where = { ...(query.role ? { role: query.role } : {}), ...(query.userId ? { userId: query.userId } : {}) };
    const rows = (await this.dataSource.getRepository(RoleAssignment).find({ where, order: { id: 'ASC' } })).filter((a) => {
      const path = this.directory.node(a.nodeId)?.path;
      return !!path && holdsRoleOver(actor, ['admin'], path) && (!under || path.startsWith(under));
    });
    return { items: await this.assignmentViews(rows) };
  }

  async assign(actor: Actor, body: RoleAssignmentBody) {
    await this.adminOverNode(actor, body.nodeId, 'invalid');
    const user = await this.dataSource.getRepository(User).findOneBy({ id: body.userId });
    if (!user || user.deletedAt || !user.openid || user.openid.startsWith('open311:')) throw fieldError('body.userId', '用户不存在');
    if (body.role === 'department' && !user.departmentId) throw fieldError('body.role', '该用户不属于任何职能部门');
    try {
      const saved = await this.dataSource.getRepository(RoleAssignment).save(this.dataSource.getRepository(RoleAssignment).create(body));
      return (await this.assignmentViews([saved]))[0];
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('该用户在这个网格已有此角色');
      throw err;
    }
  }

  async unassign(actor: Actor, id: number): Promise<void> {
    this.assertAdmin(actor);
    await this.directory.ensureFresh();
    const row = await this.dataSource.getRepository(RoleAssignment).findOneBy({ id });
    const path = row && this.directory.node(row.nodeId)?.path;
    if (!row || !path || !holdsRoleOver(actor, ['admin'], path)) throw notFound('角色分配');
    if (row.userId === actor.userId && row.role === 'admin') throw conflict('不能移除自己的管理员角色，请由其他管理员操作');
    await this.dataSource.getRepository(RoleAssignment).delete({ id });
  }

  private async assignmentViews(rows: RoleAssignment[]) {
    const ids = [...new Set(rows.map((r) => r.userId))];
    const users = new Map(ids.length ? (await this.dataSource.getRepository(User).findBy({ id: In(ids) })).map((u) => [u.id, u]) : []);
    return rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      nickname: users.get(r.userId)?.nickname ?? '',
      role: r.role,
      nodeId: r.nodeId,
      nodeName: this.directory.node(r.nodeId)?.name ?? '',
      nodePath: this.directory.pathOf(r.nodeId).map((p) => p.name),
    }));
  }

  /** People to give a role to, by nickname (or id): masked phones only. */
  async searchUsers(actor: Actor, q: string) {
    this.assertAdmin(actor);
    await this.directory.ensureFresh();
    const text = q.replace(/[%_\\]/g, '').toLowerCase();
    const query = this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.deletedAt IS NULL')
      .andWhere("u.openid NOT LIKE 'open311:%'")
      .andWhere(/^\d+$/.test(q) ? '(u.id = :id OR LOWER(u.nickname) LIKE :text)' : 'LOWER(u.nickname) LIKE :text', { id: Number(q), text: `%${text}%` })
      .orderBy('u.id', 'ASC')
      .take(20);
    const users = await query.getMany();
    const roles = users.length ? await this.dataSource.getRepository(RoleAssignment).findBy({ userId: In(users.map((u) => u.id)) }) : [];
    return {
      items: users.map((u) => ({
        id: u.id,
        nickname: u.nickname,
        phoneMasked: u.phone ? maskPhone(u.phone) : null,
        hasHousehold: u.householdId !== null,
        departmentId: u.departmentId,
        roles: roles.filter((r) => r.userId === u.id).map((r) => ({ id: r.id, role: r.role, nodeId: r.nodeId, nodeName: this.directory.node(r.nodeId)?.name ?? '' })),
      })),
    };
  }

  /* ───────── categories and SLAs ───────── */

  async categories(actor: Actor) {
    this.assertAdmin(actor);
    const [rows, departments] = await Promise.all([
      this.dataSource.getRepository(ReportCategoryRow).find({ order: { sortOrder: 'ASC', code: 'ASC' } }),
      this.dataSource.getRepository(Department).find(),
    ]);
    const names = new Map(departments.map((d) => [d.id, d.name]));
    return { items: rows.map((c) => ({ ...c, departmentName: c.departmentId ? (names.get(c.departmentId) ?? null) : null })) };
  }

  private async assertTopAdmin(actor: Actor): Promise<void> {
    this.assertAdmin(actor);
    await this.directory.ensureFresh();
    if (!this.directory.roots().some((root) => actor.scopes.some((s) => s.role === 'admin' && s.nodeId === root.id))) {
      throw forbidden('类别和办结时限全平台共用，只有最高层级的管理员可以修改');
    }
  }

  private async assertDepartment(departmentId: number | null | undefined): Promise<void> {
    if (departmentId && !(await this.dataSource.getRepository(Department).existsBy({ id: departmentId }))) throw fieldError('body.departmentId', '部门不存在');
  }

  async createCategory(actor: Actor, body: CreateCategoryBody) {
    await this.assertTopAdmin(actor);
    await this.assertDepartment(body.departmentId);
    if (await this.dataSource.getRepository(ReportCategoryRow).existsBy({ code: body.code })) throw conflict('这个类别编码已经有了，请换一个');
    try {
      await this.dataSource.getRepository(ReportCategoryRow).insert(body);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('这个类别编码已经有了，请换一个');
      throw err;
    }
    return this.dataSource.getRepository(ReportCategoryRow).findOneByOrFail({ code: body.code });
  }

  /** A new SLA applies to reports accepted from now on; due times already set stay as they are. */
  async updateCategory(actor: Actor, code: string, body: UpdateCategoryBody) {
    await this.assertTopAdmin(actor);
    const repo = this.dataSource.getRepository(ReportCategoryRow);
    if (!(await repo.existsBy({ code }))) throw notFound('类别');
    await this.assertDepartment(body.departmentId);
    const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length) await repo.update({ code }, changes);
    return repo.findOneByOrFail({ code });
  }
}
