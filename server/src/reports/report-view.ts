import { In, type EntityManager } from 'typeorm';
import { isOpenReport, SUPERVISABLE_STATUSES, type ReportDetail, type ReportEvent, type ReportPerson, type ReportSummary } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';
import { Department } from './department.entity';
import { categoryCacheFor } from './category-cache';
import { ReportCategoryRow } from './report-category.entity';
import type { ReportEventRow } from './report-event.entity';
import type { Report } from './report.entity';
import type { Nicknames } from './report-reads';
import { reporterHiddenFrom, type ReportSight } from './relation';
import { holdsRoleOver } from '../identity/authorize';

/**
 * Turns report rows into what the API returns, loading names in one query per kind for a whole page.
 * The reporter shows only to those who see the report in full (and on an anonymous one only to the
 * reporter). A neighbour (`sight: 'neighbour'`: a follower, or /reports/nearby) sees what a passer-by
 * could: the report itself, where it stands and who handles it; of its timeline the steps and their
 * times, not the notes or photos staff and reporter wrote to each other, and not the reporter's name.
 */
export class ReportViews {
  constructor(private readonly directory: GridDirectory) {}

  async summaries(manager: EntityManager, actor: Actor, reports: Report[], now = new Date(), sight: ReportSight = 'full', known?: Nicknames): Promise<ReportSummary[]> {
    const names = await this.lookups(manager, reports, [], known);
    return reports.map((report) => this.summary(actor, report, names, now, sight));
  }

  async detail(
    manager: EntityManager,
    actor: Actor,
    report: Report,
    events: ReportEventRow[],
    extra: Pick<ReportDetail, 'actions'> & { sight: ReportSight },
    now = new Date(),
    known?: Nicknames,
  ): Promise<ReportDetail> {
    const { sight } = extra;
    const names = await this.lookups(manager, [report], events.map((e) => e.actorId).filter((id): id is number => id !== null), known);
    const category = names.categories.get(report.categoryCode);
    const suggested = sight === 'full' && category?.departmentId ? names.departments.get(category.departmentId) : undefined;
    return {
      ...this.summary(actor, report, names, now, sight),
      events: events.map((event) => this.event(actor, report, event, names.users, sight)),
      mergedIntoId: report.mergedIntoId,
      consultationId: report.consultationId,
      disputeId: report.disputeId,
      reopenCount: report.reopenCount,
      actions: extra.actions,
      suggestedDepartment: suggested ? { id: suggested.id, name: suggested.name } : null,
    };
  }

  private summary(actor: Actor, report: Report, names: Lookups, now: Date, sight: ReportSight): ReportSummary {
    const department = report.departmentId ? names.departments.get(report.departmentId) : undefined;
    return {
      id: report.id,
      number: report.number,
      status: report.status,
      version: report.version,
      categoryCode: report.categoryCode,
      categoryName: names.categories.get(report.categoryCode)?.name ?? report.categoryCode,
      description: report.description,
      photos: JSON.parse(report.photos) as string[],
      address: report.address,
      location: report.lat !== null && report.lng !== null ? { lat: report.lat, lng: report.lng } : null,
      channel: report.channel,
      anonymous: report.anonymous,
      reporter: reporterHiddenFrom(actor, report, sight) ? null : person(names.users, report.reporterId),
      gridNodeId: report.gridNodeId,
      gridPath: this.directory.pathOf(report.gridNodeId).map((p) => p.name),
      priority: report.priority,
      handlingMethod: report.handlingMethod,
      dueAt: iso(report.dueAt),
      overdue: isOverdue(report, now),
      supervisionDueAt: iso(report.supervisionDueAt),
      extended: report.extendedAt !== null,
      // Staff business (who asked for more time): not a neighbour's.
      extensionRequest: report.extensionUntil && sight === 'full' ? { until: iso(report.extensionUntil)! } : null,
      escalationLevel: report.escalationLevel,
      assignee: report.assigneeId ? person(names.users, report.assigneeId) : null,
      department: department ? { id: department.id, name: department.name } : null,
      followers: report.followers,
      rating: report.rating,
      createdAt: new Date(report.createdAt).toISOString(),
      updatedAt: new Date(report.updatedAt).toISOString(),
      moderation: report.moderation,
    };
  }

  private event(actor: Actor, report: Report, event: ReportEventRow, users: Map<number, NamedUser>, sight: ReportSight): ReportEvent {
    // The reporter's own steps (submit, rate) would name them: mask them like the report.
    const hideActor = event.actorId === report.reporterId && reporterHiddenFrom(actor, report, sight);
    const neighbour = sight === 'neighbour';
    return {
      id: event.id,
      action: event.action,
      actor: event.actorId === null ? null : hideActor ? { id: 0, nickname: report.anonymous ? '匿名居民' : '居民' } : person(users, event.actorId),
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      // Notes (a result, a reason, a rating's words) and photos are between the reporter and the staff.
      note: neighbour ? null : event.moderation === 'clear' || !hideRatingComment(actor, report) ? event.note : maskedRating(event.note, event.moderation),
      photos: !neighbour && event.photos ? (JSON.parse(event.photos) as string[]) : [],
      createdAt: new Date(event.createdAt).toISOString(),
      moderation: event.moderation,
    };
  }

  /** `known`: names already read with the rows (report-reads.ts); only the others are looked up. */
  private async lookups(manager: EntityManager, reports: Report[], moreUserIds: number[], known: Nicknames = new Map()): Promise<Lookups> {
    const userIds = new Set<number>(moreUserIds);
    for (const r of reports) {
      userIds.add(r.reporterId);
      if (r.assigneeId) userIds.add(r.assigneeId);
    }
    for (const id of known.keys()) userIds.delete(id);
    // Categories and departments from the short-lived cache (category-cache.ts); the users per page.
    const [reference, users] = await Promise.all([
      categoryCacheFor(manager.connection).get(),
      // Names only: not the phone column, whose every read is an AES-GCM decryption.
      userIds.size ? manager.getRepository(User).find({ select: { id: true, nickname: true }, where: { id: In([...userIds]) } }) : [],
    ]);
    let { categories, departments } = reference;
    // One made by another instance within the cache's few seconds: read it rather than show a report without it.
    const missingCategories = [...new Set(reports.map((r) => r.categoryCode))].filter((code) => !categories.has(code));
    if (missingCategories.length) {
      categories = new Map(categories);
      for (const c of await manager.getRepository(ReportCategoryRow).findBy({ code: In(missingCategories) })) categories.set(c.code, c);
    }
    const wanted = [...reports.map((r) => r.departmentId), ...[...categories.values()].map((c) => c.departmentId)];
    const missingDepartments = [...new Set(wanted.filter((id): id is number => id !== null && !departments.has(id)))];
    if (missingDepartments.length) {
      departments = new Map(departments);
      for (const d of await manager.getRepository(Department).findBy({ id: In(missingDepartments) })) departments.set(d.id, d);
    }
    const named = new Map<number, NamedUser>([...known].map(([id, nickname]) => [id, { id, nickname }]));
    for (const user of users) named.set(user.id, user);
    return { users: named, departments, categories };
  }
}

interface Lookups {
  users: Map<number, NamedUser>;
  departments: Map<number, Department>;
  categories: Map<string, ReportCategoryRow>;
}

/** A rating's comment under review is for the reporter and the reviewers (secretaries, admins over the report). */
function hideRatingComment(actor: Actor, report: Report): boolean {
  return report.reporterId !== actor.userId && !holdsRoleOver(actor, ['secretary', 'admin'], report.gridPath);
}

/** '2 星（不满意，重新处理）：comment' → the stars and verdict, without the words. */
function maskedRating(note: string | null, state: string): string | null {
  if (!note) return note;
  const [stars] = note.split('：');
  return `${stars}（${state === 'removed' ? '评价内容未通过审核' : '评价内容审核中'}）`;
}

/** What a report shows of the people in it. */
type NamedUser = Pick<User, 'id' | 'nickname'>;

function person(users: Map<number, NamedUser>, id: number): ReportPerson {
  return { id, nickname: users.get(id)?.nickname ?? '未知用户' };
}

const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);

export function isOverdue(report: Pick<Report, 'status' | 'dueAt'>, now: Date): boolean {
  return !!report.dueAt && SUPERVISABLE_STATUSES.includes(report.status) && new Date(report.dueAt).getTime() < now.getTime() && isOpenReport(report.status);
}
