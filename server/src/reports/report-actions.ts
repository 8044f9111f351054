import type { EntityManager } from 'typeorm';
import {
  chinaDateTime,
  dueAtFor,
  MAX_EXTENSION_DAYS,
  statusAfterRating,
  REPORT_RULES,
  type ReportAction,
  type ReportActionBody,
  type ReportAssignee,
  type ReportEventAction,
  type ReportStatus,
} from '@linli/shared';
import { conflict, forbidden, notFound, fieldError } from '../platform/errors';
import { isUniqueViolation } from '../ledger/community';
import { assertOwnPhotos } from '../uploads/upload-registry';
import { Department } from './department.entity';
import { ReportCategoryRow } from './report-category.entity';
import { ReportFollower } from './report-follower.entity';
import { Report } from './report.entity';

/** One step of the loop an action took, for its event line. */
export interface ActionStep {
  action: ReportEventAction;
  fromStatus: ReportStatus;
  toStatus: ReportStatus;
  note: string | null;
}

/** What an action changed, for the event line. */
export interface ActionEffect {
  toStatus: ReportStatus | null;
  note: string | null;
  photos?: string[];
  /** false for follow: a +1 is not a step of the loop and writes no event. */
  recordEvent?: boolean;
  /** An action that is several steps at once (我来处理): one event per step, as if each was taken alone. */
  steps?: ActionStep[];
}

interface ActionContext {
  manager: EntityManager;
  report: Report;
  actorId: number;
  now: Date;
  /** Who the report may be dispatched to (assignees.ts). */
  assignees: () => Promise<ReportAssignee[]>;
  /** Turns the report into a building consultation (handling method `consultation`); returns its id. */
  toConsultation?: (manager: EntityManager, report: Report, categoryName: string) => Promise<number>;
  /** Turns the report into a dispute case (handling method `mediation`); returns its id. */
  toDispute?: (manager: EntityManager, report: Report, categoryName: string) => Promise<number>;
}

type ActionHandler<A extends ReportAction> = (ctx: ActionContext, body: ReportActionBody<A>) => Promise<ActionEffect>;

/**
 * The effect of each action on a report, once the state machine has allowed it (Decidim-style: one
 * small function per verb). They change `ctx.report` in memory; the caller saves it with the version check.
 */
export const REPORT_ACTION_HANDLERS: { [A in ReportAction]: ActionHandler<A> } = {
  async accept({ manager, report, now, toConsultation, toDispute }, body) {
    const category = await manager.getRepository(ReportCategoryRow).findOneByOrFail({ code: report.categoryCode });
    report.priority = body.priority;
    report.handlingMethod = body.handlingMethod;
    report.dueAt = body.dueAt ? new Date(body.dueAt) : dueAtFor(new Date(report.createdAt), category.slaHours, body.priority);
    if (report.dueAt.getTime() <= now.getTime() && body.dueAt) throw fieldError('body.dueAt', '办结时限须晚于当前时间');
    if (body.handlingMethod === 'consultation' && toConsultation) {
      report.consultationId = await toConsultation(manager, report, category.name);
      return { toStatus: 'accepted', note: [body.note, `已转为议事协商（议题 #${report.consultationId}）`].filter(Boolean).join('；') };
    }
    if (body.handlingMethod === 'mediation' && toDispute) {
      report.disputeId = await toDispute(manager, report, category.name);
      return { toStatus: 'accepted', note: [body.note, `已转为矛盾纠纷调解（案件 #${report.disputeId}）`].filter(Boolean).join('；') };
    }
    return { toStatus: 'accepted', note: body.note ?? null };
  },
  async reject({ report }, body) {
    report.closedAt = new Date();
    return { toStatus: 'rejected', note: body.reason };
  },
  async merge({ manager, report }, body) {
    if (body.intoId === report.id) throw fieldError('body.intoId', '不能合并到自身');
    const target = await manager.getRepository(Report).findOneBy({ id: body.intoId });
    if (!target) throw notFound('目标说事');
    if (target.gridPath.split('/')[3] !== report.gridPath.split('/')[3] || ['rejected', 'merged'].includes(target.status)) {
      throw fieldError('body.intoId', '只能合并到同一社区内未关闭的说事');
    }
    report.mergedIntoId = target.id;
    report.closedAt = new Date();
    await manager.getRepository(Report).increment({ id: target.id }, 'followers', 1);
    return { toStatus: 'merged', note: `合并至 ${target.number}` };
  },
  async dispatch({ manager, report, assignees }, body) {
    // A new handler asks for time anew.
    report.extensionUntil = null;
    if (body.assigneeId) {
      // Only someone who may handle it: the list the dispatch form offers, never any user id.
      const assignee = (await assignees()).find((a) => a.id === body.assigneeId);
      if (!assignee) throw fieldError('body.assigneeId', '只能分派给可以办理这条说事的网格员');
      report.assigneeId = assignee.id;
      report.departmentId = null;
      return { toStatus: 'dispatched', note: body.note ?? `分派给 ${assignee.nickname}` };
    }
    const department = await manager.getRepository(Department).findOneBy({ id: body.departmentId! });
    if (!department) throw fieldError('body.departmentId', '部门不存在');
    report.departmentId = department.id;
    report.assigneeId = null;
    return { toStatus: 'dispatched', note: body.note ?? `转交 ${department.name}` };
  },
  async start(_ctx, body) {
    return { toStatus: 'in_progress', note: body.note ?? null };
  },
  async resolve({ manager, report, actorId, now }, body) {
    await assertOwnPhotos(manager, actorId, body.photos);
    report.resolvedAt = now;
    report.extensionUntil = null;
    return { toStatus: 'resolved', note: body.result, photos: body.photos };
  },
  async supervise({ report, now }, body) {
    report.escalationLevel += 1;
    if (!body.dueAt) return { toStatus: null, note: body.note };
    const by = new Date(body.dueAt);
    if (by.getTime() <= now.getTime()) throw fieldError('body.dueAt', '督办时限须晚于当前时间');
    report.supervisionDueAt = by;
    return { toStatus: null, note: `${body.note}（限 ${chinaDateTime(by)} 前办结）` };
  },
  async feedback(_ctx, body) {
    return { toStatus: null, note: `${body.method === 'visit' ? '上门回访' : '电话回访'}：${body.note}` };
  },
  async rate({ report, now }, body) {
    const next = statusAfterRating(body.score, report.reopenCount);
    report.rating = body.score;
    if (next.reopened) {
      report.reopenCount += 1;
      report.resolvedAt = null;
    } else report.closedAt = now;
    const verdict = next.reopened ? '（不满意，重新处理）' : body.score <= 2 ? '（不满意，办结）' : '';
    return { toStatus: next.status, note: `${body.score} 星${verdict}${body.comment ? `：${body.comment}` : ''}` };
  },
  async follow({ manager, report, actorId }) {
    try {
      await manager.getRepository(ReportFollower).insert({ reportId: report.id, userId: actorId });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('您已关注过这条说事');
      throw err; // a deadlock: transactRetrying runs the action again
    }
    report.followers += 1;
    return { toStatus: null, note: null, recordEvent: false };
  },
  async take(ctx, body) {
    const { report, actorId, assignees } = ctx;
    const steps: ActionStep[] = [];
    if (report.status === 'submitted') {
      const accepted = await REPORT_ACTION_HANDLERS.accept(ctx, { priority: body.priority, handlingMethod: 'on_site', dueAt: body.dueAt, note: body.note });
      steps.push({ action: 'accept', fromStatus: 'submitted', toStatus: 'accepted', note: accepted.note });
    }
    // To oneself, as a dispatch would: only someone who may handle it.
    if (!(await assignees()).some((a) => a.id === actorId)) throw forbidden('只有可以办理这条说事的网格员才能自己处理');
    report.assigneeId = actorId;
    report.departmentId = null;
    steps.push({ action: 'dispatch', fromStatus: 'accepted', toStatus: 'dispatched', note: '本人处理' });
    steps.push({ action: 'start', fromStatus: 'dispatched', toStatus: 'in_progress', note: report.status === 'submitted' ? null : (body.note ?? null) });
    return { toStatus: 'in_progress', note: null, steps };
  },
  async return({ report }, body) {
    report.assigneeId = null;
    report.departmentId = null;
    report.extensionUntil = null;
    return { toStatus: 'accepted', note: body.reason };
  },
  async extend({ report, now }, body) {
    const until = new Date(body.until);
    if (until.getTime() <= now.getTime() || (report.dueAt && until.getTime() <= new Date(report.dueAt).getTime())) {
      throw fieldError('body.until', '延期后的时限须晚于原时限和当前时间');
    }
    if (until.getTime() > now.getTime() + MAX_EXTENSION_DAYS * 24 * 3600_000) throw fieldError('body.until', `最多申请延期到 ${MAX_EXTENSION_DAYS} 天后`);
    report.extensionUntil = until;
    return { toStatus: null, note: `申请延期至 ${chinaDateTime(until)}：${body.reason}` };
  },
  async grant_extension({ report, now }, body) {
    const until = new Date(report.extensionUntil!);
    if (until.getTime() <= now.getTime()) throw conflict('申请延期的时限已经过了，请不同意后让承办人重新申请');
    const before = report.dueAt ? `（原时限 ${chinaDateTime(new Date(report.dueAt))}）` : '';
    report.dueAt = until;
    report.extendedAt = now;
    report.extensionUntil = null;
    // The granted time is the deadline now; a supervision's earlier one would contradict it.
    report.supervisionDueAt = null;
    return { toStatus: null, note: `同意延期至 ${chinaDateTime(until)}${before}${body.note ? `：${body.note}` : ''}` };
  },
  async deny_extension({ report }, body) {
    report.extensionUntil = null;
    return { toStatus: null, note: `不同意延期：${body.reason}` };
  },
};

export function fromStatusesOf(action: ReportAction): readonly ReportStatus[] {
  return REPORT_RULES[action].from;
}
