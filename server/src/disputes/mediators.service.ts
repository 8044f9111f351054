import { In, type DataSource, type EntityManager } from 'typeorm';
import { MEDIATING_STATUSES, type CreateMediatorBody, type DisputeType, type Mediator, type MediatorSummary } from '@linli/shared';
import { transact } from '../db/data-source';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import { ancestorPaths } from '../grids/grid-path';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { isUniqueViolation } from '../ledger/community';
import { conflict, fieldError, forbidden, notFound } from '../platform/errors';
import { Dispute, MediatorRow } from './dispute.entities';
import { COORDINATOR_ROLES } from './relation';

/** A pool belongs to a community or a street (a 调解工作室 of the community, the street's 调委会). */
const POOL_LEVELS = ['community', 'street'] as const;

/**
 * The mediators' pools. A mediator is a user who holds the `mediator` role on the pool's node; adding
 * one to a pool grants that role in the same transaction, so the two never disagree.
 */
export class MediatorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
  ) {}

  /** The coordinator's node (or their widest one), as the dashboard picks it. */
  async coordinatorNode(actor: Actor, nodeId: number | undefined, what = '调解员库'): Promise<GridNodeInfo> {
    await this.directory.ensureFresh();
    if (!holdsRole(actor, COORDINATOR_ROLES)) throw forbidden(`只有社区书记和管理员可以查看${what}`);
    if (nodeId === undefined) {
      const widest = actor.scopes.filter((s) => (COORDINATOR_ROLES as readonly string[]).includes(s.role)).sort((a, b) => a.nodePath.length - b.nodePath.length)[0];
      return this.directory.node(widest.nodeId)!;
    }
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!holdsRoleOver(actor, COORDINATOR_ROLES, node.path)) throw forbidden('该网格不在您的管辖范围内');
    return node;
  }

  /**
   * The mediators a case at `nodeId` can go to: the pools on its way up (its community's, its street's)
   * and those below it (a street coordinator sees the communities' pools too).
   */
  async list(actor: Actor, nodeId: number | undefined): Promise<{ items: Mediator[] }> {
    const node = await this.coordinatorNode(actor, nodeId);
    const rows = await this.dataSource
      .getRepository(MediatorRow)
      .createQueryBuilder('m')
      .innerJoin(RoleAssignment, 'a', 'a.userId = m.userId AND a.nodeId = m.nodeId AND a.role = :role', { role: 'mediator' })
      .where('m.active = :active', { active: true })
      .andWhere('(m.nodePath LIKE :below OR m.nodePath IN (:...above))', { below: `${node.path}%`, above: ancestorPaths(node.path) })
      .orderBy('m.id', 'ASC')
      .getMany();
    return { items: await this.views(rows) };
  }

  async create(actor: Actor, body: CreateMediatorBody): Promise<Mediator> {
    const node = await this.coordinatorNode(actor, body.nodeId);
    if (!(POOL_LEVELS as readonly string[]).includes(node.level)) throw fieldError('body.nodeId', '调解员库设在社区或街道');
    const user = await this.dataSource.getRepository(User).findOneBy({ id: body.userId });
    if (!user || user.deletedAt) throw fieldError('body.userId', '用户不存在');
    try {
      const row = await transact(this.dataSource, async (manager) => {
        const saved = await manager.getRepository(MediatorRow).save(
          manager.getRepository(MediatorRow).create({
            userId: user.id,
            nodeId: node.id,
            nodePath: node.path,
            name: body.name,
            phone: body.phone ?? null,
            specialties: JSON.stringify(body.specialties),
            studio: body.studio ?? null,
            active: true,
          }),
        );
        if (!(await manager.getRepository(RoleAssignment).existsBy({ userId: user.id, role: 'mediator', nodeId: node.id }))) {
          await manager.getRepository(RoleAssignment).save(manager.getRepository(RoleAssignment).create({ userId: user.id, role: 'mediator', nodeId: node.id }));
        }
        return saved;
      });
      return (await this.views([row]))[0];
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('此人已在该调解员库中');
      throw err;
    }
  }

  /** The pool's mediator a case at `casePath` may be given to (a pool on the case's way up), or 400. */
  async forCase(manager: EntityManager, mediatorId: number, casePath: string): Promise<MediatorRow> {
    const mediator = await manager.getRepository(MediatorRow).findOneBy({ id: mediatorId, active: true });
    // A pool row whose person no longer holds the role there (an admin took it away) assigns nobody.
    const holdsRole = mediator && (await manager.getRepository(RoleAssignment).existsBy({ userId: mediator.userId, role: 'mediator', nodeId: mediator.nodeId }));
    if (!mediator || !holdsRole || !casePath.startsWith(mediator.nodePath)) throw fieldError('body.mediatorId', '该调解员不在本案所属社区或街道的调解员库中');
    return mediator;
  }

  private async views(rows: MediatorRow[]): Promise<Mediator[]> {
    if (rows.length === 0) return [];
    await this.directory.ensureFresh();
    const active: { mediatorId: unknown; n: unknown }[] = await this.dataSource
      .getRepository(Dispute)
      .createQueryBuilder('d')
      .select('d.mediatorId', 'mediatorId')
      .addSelect('COUNT(*)', 'n')
      .where('d.mediatorId IN (:...ids)', { ids: rows.map((r) => r.id) })
      .andWhere('d.status IN (:...mediating)', { mediating: MEDIATING_STATUSES })
      .groupBy('d.mediatorId')
      .getRawMany();
    const counts = new Map(active.map((row) => [Number(row.mediatorId), Number(row.n)]));
    return rows.map((row) => ({
      ...mediatorSummary(row),
      phone: row.phone,
      nodeId: row.nodeId,
      nodeName: this.directory.node(row.nodeId)?.name ?? '',
      activeCases: counts.get(row.id) ?? 0,
    }));
  }

  /** Summaries by id, for a page of cases. */
  static async summaries(manager: EntityManager, ids: number[]): Promise<Map<number, MediatorSummary>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await manager.getRepository(MediatorRow).find({ select: { id: true, userId: true, name: true, studio: true, specialties: true }, where: { id: In(unique) } });
    return new Map(rows.map((row) => [row.id, mediatorSummary(row)]));
  }
}

export function mediatorSummary(row: Pick<MediatorRow, 'id' | 'userId' | 'name' | 'studio' | 'specialties'>): MediatorSummary {
  return { id: row.id, userId: row.userId, name: row.name, studio: row.studio, specialties: JSON.parse(row.specialties) as DisputeType[] };
}
