import { describe, expect, it } from 'vitest';
import {
  availableReportActions,
  canApplyReportAction,
  dueAtFor,
  REPORT_ACTIONS,
  REPORT_STATUSES,
  reportActionBodies,
  statusAfterRating,
  type ReportRelation,
} from './reports';

const nobody: ReportRelation = {
  isReporter: false,
  isAssignee: false,
  inAssignedDepartment: false,
  gridWorkerInScope: false,
  secretaryInScope: false,
  isFollower: false,
  isNeighbour: false,
};
const as = (patch: Partial<ReportRelation>): ReportRelation => ({ ...nobody, ...patch });

describe('the report state machine', () => {
  it('a stranger may do nothing; a neighbour may only follow an open report, once', () => {
    for (const status of REPORT_STATUSES) {
      const open = ['submitted', 'accepted', 'dispatched', 'in_progress'].includes(status);
      expect(availableReportActions(status, nobody)).toEqual([]);
      expect(availableReportActions(status, as({ isNeighbour: true }))).toEqual(open ? ['follow'] : []);
      expect(availableReportActions(status, as({ isNeighbour: true, isFollower: true }))).toEqual([]);
    }
  });

  it('the legal path for each role, state by state', () => {
    // Staff without a household in the community: no +1.
    const gridWorker = as({ gridWorkerInScope: true });
    const secretary = as({ secretaryInScope: true });
    expect(availableReportActions('submitted', gridWorker)).toEqual(['accept', 'reject', 'merge', 'take']);
    expect(availableReportActions('submitted', secretary)).toEqual(['accept', 'reject', 'merge', 'supervise']);
    expect(availableReportActions('accepted', gridWorker)).toEqual(['dispatch', 'take']);
    expect(availableReportActions('dispatched', gridWorker)).toEqual(['dispatch', 'start']);
    expect(availableReportActions('dispatched', as({ inAssignedDepartment: true }))).toEqual(['start', 'return', 'extend']);
    expect(availableReportActions('in_progress', as({ isAssignee: true }))).toEqual(['resolve', 'extend']);
    expect(availableReportActions('in_progress', as({ isAssignee: true, isNeighbour: true }))).toEqual(['resolve', 'follow', 'extend']);
    expect(availableReportActions('resolved', as({ isReporter: true }))).toEqual(['rate']);
    expect(availableReportActions('resolved', gridWorker)).toEqual(['feedback']);
    expect(availableReportActions('closed', secretary)).toEqual(['feedback']);
    expect(availableReportActions('rejected', secretary)).toEqual([]);
  });

  it('no action is legal from a state outside its rule, whoever asks', () => {
    const everyone = as({ isAssignee: true, inAssignedDepartment: true, gridWorkerInScope: true, secretaryInScope: true });
    for (const action of ['accept', 'reject', 'merge'] as const) {
      for (const status of REPORT_STATUSES.filter((s) => s !== 'submitted')) expect(canApplyReportAction(action, status, everyone)).toBe(false);
    }
    for (const status of ['merged', 'rejected', 'closed'] as const) {
      expect(REPORT_ACTIONS.filter((a) => a !== 'feedback' || status !== 'closed').some((a) => canApplyReportAction(a, status, everyone))).toBe(false);
    }
  });

  it('an extension: asked by the one it was dispatched to, once at a time; decided by a secretary only while it waits', () => {
    const pending = { extensionPending: true };
    const clerk = as({ inAssignedDepartment: true });
    const secretary = as({ secretaryInScope: true });
    expect(availableReportActions('in_progress', clerk, pending)).toEqual(['resolve']);
    expect(availableReportActions('in_progress', secretary)).toEqual(['supervise']);
    expect(availableReportActions('in_progress', secretary, pending)).toEqual(['supervise', 'grant_extension', 'deny_extension']);
    // A grid worker over it who did not take it on neither asks nor decides.
    expect(availableReportActions('in_progress', as({ gridWorkerInScope: true }), pending)).toEqual(['resolve']);
    for (const status of REPORT_STATUSES.filter((s) => s !== 'dispatched' && s !== 'in_progress')) {
      expect(canApplyReportAction('extend', status, clerk)).toBe(false);
      expect(canApplyReportAction('grant_extension', status, secretary, pending)).toBe(false);
    }
  });

  it('我来处理 is a grid worker\'s over the report, before it is dispatched; a return is the assignee\'s, from dispatched only', () => {
    expect(canApplyReportAction('take', 'submitted', as({ secretaryInScope: true }))).toBe(false);
    expect(canApplyReportAction('take', 'dispatched', as({ gridWorkerInScope: true }))).toBe(false);
    expect(canApplyReportAction('return', 'dispatched', as({ gridWorkerInScope: true }))).toBe(false);
    expect(canApplyReportAction('return', 'in_progress', as({ isAssignee: true }))).toBe(false);
    expect(canApplyReportAction('return', 'dispatched', as({ isAssignee: true }))).toBe(true);
  });

  it('the reporter rates but never follows their own report', () => {
    expect(canApplyReportAction('follow', 'submitted', as({ isReporter: true, isNeighbour: true }))).toBe(false);
    expect(canApplyReportAction('rate', 'resolved', as({ gridWorkerInScope: true }))).toBe(false);
  });

  it('rating: ≥ 3 closes; ≤ 2 reopens the first time and closes the second', () => {
    expect(statusAfterRating(3, 0)).toEqual({ status: 'closed', reopened: false });
    expect(statusAfterRating(2, 0)).toEqual({ status: 'in_progress', reopened: true });
    expect(statusAfterRating(1, 1)).toEqual({ status: 'closed', reopened: false });
  });

  it('due time: the category SLA shortened by priority', () => {
    const from = new Date('2026-11-23T00:00:00Z');
    expect(dueAtFor(from, 48, 'normal').toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(dueAtFor(from, 48, 'high').toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(dueAtFor(from, 48, 'urgent').toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(dueAtFor(from, 48, 'low').toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  it('dispatch names exactly one of a person or a department', () => {
    expect(reportActionBodies.dispatch.safeParse({ assigneeId: 3 }).success).toBe(true);
    expect(reportActionBodies.dispatch.safeParse({ departmentId: 3 }).success).toBe(true);
    expect(reportActionBodies.dispatch.safeParse({}).success).toBe(false);
    expect(reportActionBodies.dispatch.safeParse({ assigneeId: 3, departmentId: 4 }).success).toBe(false);
  });
});
