import type { DataSource, EntityManager } from 'typeorm';
import { CAPABILITY_ROLES, idParam, maskPhone, type CreateReportBody, type ReportCaller, type ReportRelation } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { AppError, forbidden, notFound } from '../platform/errors';
import { route } from '../platform/route';
import { relationTo, sightOf } from './relation';
import { Report } from './report.entity';
import { ReportFollower } from './report-follower.entity';
import { User } from '../identity/user.entity';

/** Who may record a caller: the staff who file reports heard through other channels. */
const FILING_ROLES = CAPABILITY_ROLES.fileOnBehalf;

/**
 * An unregistered caller on a report (hotline, 说事点): staff record their name and phone when filing;
 * the staff handling the report see them masked and may reveal the phone to call back (audited as every
 * staff POST is). Residents (the followers), Open311 and the nearby list never see them.
 */
export function callerColumns(actor: Actor, body: CreateReportBody): { callerName: string | null; callerPhone: string | null } {
  if (!body.caller) return { callerName: null, callerPhone: null };
  if (!holdsRole(actor, FILING_ROLES)) throw forbidden('只有工作人员可以登记来电人');
  const invalid = (message: string) => new AppError('VALIDATION_FAILED', message, [{ path: 'body.caller', message }]);
  if (body.onBehalfOfUserId !== undefined) throw invalid('已选居民时不再填写来电人');
  if (body.channel === 'miniprogram') throw invalid('来电人只用于电话、说事点等其他渠道');
  return { callerName: body.caller.name, callerPhone: body.caller.phone };
}

/** The staff relations to a report: whoever handles or oversees it, and the one who filed it. */
export function seesCaller(actor: Actor, report: Pick<Report, 'gridPath' | 'createdById'>, relation: ReportRelation): boolean {
  return (
    relation.isAssignee ||
    relation.inAssignedDepartment ||
    relation.gridWorkerInScope ||
    relation.secretaryInScope ||
    holdsRoleOver(actor, ['admin'], report.gridPath) ||
    (report.createdById === actor.userId && holdsRole(actor, FILING_ROLES))
  );
}

/** The caller as the detail shows it: null when there is none or the caller may not see it (then it is not even read). */
export async function callerView(manager: EntityManager, actor: Actor, report: Report, relation: ReportRelation): Promise<ReportCaller | null> {
  if (!seesCaller(actor, report, relation)) return null;
  const caller = await readCaller(manager, report.id);
  return caller ? { name: caller.name, phoneMasked: maskPhone(caller.phone) } : null;
}

/**
 * The reporter's phone for the staff over or on the report (who call back, 回访): masked on the detail,
 * whole on `POST /reports/:id/reporter/phone`. Never on an anonymous report, never to residents.
 */
export function seesReporterPhone(actor: Actor, report: Report, relation: ReportRelation): boolean {
  return !report.anonymous && report.reporterId !== actor.userId && seesCaller(actor, report, relation);
}

/** The reporter's phone masked, for the detail: undefined when the caller may not see it (then it is not read). */
export async function reporterPhoneView(manager: EntityManager, actor: Actor, report: Report, relation: ReportRelation): Promise<string | null | undefined> {
  if (!seesReporterPhone(actor, report, relation)) return undefined;
  const reporter = await manager.getRepository(User).findOne({ select: { id: true, phone: true }, where: { id: report.reporterId } });
  return maskPhone(reporter?.phone ?? null);
}

/** The two columns no default read carries. */
async function readCaller(manager: EntityManager, reportId: number): Promise<{ name: string; phone: string | null } | null> {
  const row = await manager.getRepository(Report).createQueryBuilder('r').select(['r.id']).addSelect(['r.callerName', 'r.callerPhone']).where('r.id = :id', { id: reportId }).getOne();
  return row?.callerName ? { name: row.callerName, phone: row.callerPhone } : null;
}

/** The report and how the caller stands to it as staff (a neighbour's sight never reaches a phone); 404 if unseen. */
async function staffStanding(deps: { dataSource: DataSource; directory: GridDirectory }, actor: Actor, reportId: number) {
  const manager = deps.dataSource.manager;
  await deps.directory.ensureFresh();
  const report = await manager.getRepository(Report).findOneBy({ id: reportId });
  if (!report) throw notFound('说事');
  const isFollower = await manager.getRepository(ReportFollower).existsBy({ reportId: report.id, userId: actor.userId });
  const relation = relationTo(actor, report, { isFollower, communityPath: null });
  if (!sightOf(actor, report, relation)) throw notFound('说事');
  return { report, relation };
}

/** `POST /reports/:id/caller/phone` and `/reporter/phone`: the full number, to call back. */
export function reportCallerRoutes(deps: { dataSource: DataSource; directory: GridDirectory }) {
  return [
    route({
      method: 'post',
      path: '/reports/:id/reporter/phone',
      tag: 'reports',
      summary: "Reveal the reporter's full phone to call them back (the staff over or on the report, not on an anonymous one; audited)",
      params: idParam,
      async handler({ actor, params }) {
        const { report, relation } = await staffStanding(deps, actor, params.id);
        // Who filed anonymously is not there to be called.
        if (report.anonymous) throw notFound('反映人');
        if (!seesReporterPhone(actor, report, relation)) throw forbidden();
        const reporter = await deps.dataSource.getRepository(User).findOne({ select: { id: true, phone: true }, where: { id: report.reporterId } });
        return { phone: reporter?.phone ?? null };
      },
    }),
    route({
      method: 'post',
      path: '/reports/:id/caller/phone',
      tag: 'reports',
      summary: "Reveal the recorded caller's full phone to call them back (the staff handling the report; audited)",
      params: idParam,
      async handler({ actor, params }) {
        const { report, relation } = await staffStanding(deps, actor, params.id);
        if (!seesCaller(actor, report, relation)) throw forbidden();
        const caller = await readCaller(deps.dataSource.manager, report.id);
        if (!caller) throw notFound('来电人');
        return { phone: caller.phone };
      },
    }),
  ];
}
