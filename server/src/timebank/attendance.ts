import { attendedMinutes, creditableMinutes, CREDIT_STEP_MINUTES, toHours, toMinutes, type ConfirmClaimBody } from '@linli/shared';
import { fieldError } from '../platform/errors';
import type { TimebankClaimRow, TimebankTaskRow } from './timebank.entities';

/** What confirming a claim credits, and what the confirmer saw. */
export interface Credit {
  minutes: number;
  /** Attended within the task's window, rounded to the credit step; null without a check-out. */
  attendedMinutes: number | null;
  /** The confirmer's reason, kept only when the credit differs from what attendance earns. */
  reason: string | null;
}

/** Minutes attended within the task's window, to the credit step (not capped at the task's hours); null without a check-out. */
export function roundedAttendance(task: TimebankTaskRow, claim: TimebankClaimRow): number | null {
  const attended = attendedMinutes(task, claim.checkedInAt, claim.checkedOutAt);
  return attended === null ? null : Math.round(attended / CREDIT_STEP_MINUTES) * CREDIT_STEP_MINUTES;
}

/**
 * The confirmer's credit. Without `hours`: what attendance earns (the attended time, at most the task's
 * hours); with no attended time to credit (no check-out, or none of it within the task's window) the
 * confirmer must say how many hours, and why. With `hours`: at most the task's hours, and a reason unless
 * they equal what attendance earns.
 */
export function creditFor(task: TimebankTaskRow, claim: TimebankClaimRow, body: ConfirmClaimBody): Credit {
  const attended = roundedAttendance(task, claim);
  const earned = attended === null ? 0 : creditableMinutes(attended, task.minutes);
  if (body.hours === undefined) {
    if (earned === 0) {
      const why = attended === null ? '没有签退记录' : '签到签退不在任务时间内';
      throw fieldError('body.hours', `${why}，没有可计入的服务时长：请核实后填写计入的小时数和理由，或标记未到场`);
    }
    return { minutes: earned, attendedMinutes: attended, reason: null };
  }
  const minutes = toMinutes(body.hours);
  if (minutes > task.minutes) throw fieldError('body.hours', `最多计入任务时长 ${toHours(task.minutes)} 小时`);
  if (minutes === earned) return { minutes, attendedMinutes: attended, reason: null };
  if (!body.reason) throw fieldError('body.reason', `计入时长与签到记录（${toHours(earned)} 小时）不同，请写明理由`);
  return { minutes, attendedMinutes: attended, reason: body.reason };
}

/**
 * What a claim nobody confirmed settles with, a week after its task ended: the time attendance earns,
 * or nothing (a no-show) when there is none to measure.
 */
export function settledCredit(task: TimebankTaskRow, claim: TimebankClaimRow): Credit | null {
  const attended = roundedAttendance(task, claim);
  const minutes = attended === null ? 0 : creditableMinutes(attended, task.minutes);
  return minutes > 0 ? { minutes, attendedMinutes: attended, reason: null } : null;
}
