import { toHours } from '@linli/shared';
import type { NotificationInput } from '../notifications/notification.service';
import type { Credit } from './attendance';
import type { TimebankClaimRow, TimebankTaskRow } from './timebank.entities';

/** The volunteer's page of a task (the app's TASK_DETAIL_PAGE). */
export function taskLink(taskId: number): string {
  return `/packages/timebank/task/index?id=${taskId}`;
}

/**
 * Tells the volunteer how a claim was settled: what was credited (and the confirmer's reason when it
 * differs from the attendance), the points it earned, or that nothing was.
 */
export function claimSettledMessage(
  task: TimebankTaskRow,
  claim: TimebankClaimRow,
  outcome: { credit: Credit | null; points: number; bySomeone: boolean },
): NotificationInput {
  const { credit, points, bySomeone } = outcome;
  const base = { userId: claim.userId, link: taskLink(task.id), dedupeKey: `timebank-claim:${claim.id}:settled` };
  if (!credit) {
    return {
      ...base,
      kind: 'timebank.no_show',
      title: `志愿服务未计入：${task.title}`,
      body: bySomeone ? '经确认您未到场，这次服务没有计入时长。如有疑问请联系发布人。' : '没有签退记录，任务结束 7 天后按未到场处理，没有计入时长。',
    };
  }
  const earned = `计入 ${toHours(credit.minutes)} 小时${points > 0 ? `，获得 ${points} 积分` : ''}`;
  const attended = credit.attendedMinutes === null ? '没有签退记录' : `签到记录 ${toHours(credit.attendedMinutes)} 小时`;
  const how = credit.reason ? `（${attended}）。核定说明：${credit.reason}` : bySomeone ? '。' : '（任务结束 7 天内无人确认，按签到签退记录计入）。';
  return { ...base, kind: 'timebank.confirmed', title: `志愿时长已确认：${task.title}`, body: `${earned}${how}` };
}

/** A resident asked the community to fund a request for help: the secretaries over its place are told. */
export function helpRequestMessages(task: TimebankTaskRow, posterName: string, secretaryIds: number[]): NotificationInput[] {
  return secretaryIds.map((userId) => ({
    userId,
    kind: 'timebank.help_requested',
    title: `求助待审核：${task.title}`,
    body: `${posterName} 请社区出时长（${toHours(task.minutes)} 小时 × ${task.capacity} 人），请资助或说明不资助的原因。`,
    link: taskLink(task.id),
    dedupeKey: `timebank-task:${task.id}:requested`,
  }));
}

/** The poster hears whether the community funds the request, and why not. */
export function helpRequestDecidedMessage(task: TimebankTaskRow, decision: 'fund' | 'decline', reason: string | null): NotificationInput {
  const base = { userId: task.posterId, link: taskLink(task.id), dedupeKey: `timebank-task:${task.id}:${decision}` };
  if (decision === 'fund') {
    return { ...base, kind: 'timebank.help_funded', title: `求助已获社区资助：${task.title}`, body: '社区已为您的求助出时长，志愿者现在可以报名了。' };
  }
  return { ...base, kind: 'timebank.help_declined', title: `求助未获社区资助：${task.title}`, body: `原因：${reason ?? '未说明'}。如有困难，可以联系网格员或社区。` };
}
