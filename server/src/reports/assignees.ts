import type { EntityManager } from 'typeorm';
import type { ReportAssignee } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import { pathIds } from '../grids/grid-path';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { communityOf } from '../ledger/community';
import type { Report } from './report.entity';

/**
 * The people a report may be dispatched to (GET /reports/:id/assignees, and the check of every
 * dispatch): the grid workers on its node and above it, and those of every grid of its community, so a
 * grid may hand a report to the neighbouring grid. A report above community level: those of its subtree.
 * The caller has made the directory fresh (it runs inside dispatch's transaction).
 */
export async function eligibleAssignees(manager: EntityManager, directory: GridDirectory, report: Pick<Report, 'gridPath' | 'gridNodeId'>): Promise<ReportAssignee[]> {
  const below = communityOf(directory, report.gridPath)?.id ?? report.gridNodeId;
  const nodes = [...new Set([...pathIds(report.gridPath), ...directory.subtreeIds(below)])];
  const rows: { id: unknown; nickname: string; role: string }[] = await manager
    .getRepository(User)
    .createQueryBuilder('u')
    .innerJoin(RoleAssignment, 'a', 'a.userId = u.id')
    .select(['u.id AS id', 'u.nickname AS nickname', 'a.role AS role'])
    .where('a.role = :role', { role: 'grid_worker' })
    .andWhere('a.nodeId IN (:...nodes)', { nodes })
    .orderBy('u.id', 'ASC')
    .getRawMany();
  const unique = new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), nickname: r.nickname, role: r.role }]));
  return [...unique.values()];
}
