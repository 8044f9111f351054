import { z } from 'zod';
import {
  createReportBody,
  idParam,
  listReportsQuery,
  nearbyReportsQuery,
  REPORT_ACTION_PATHS,
  REPORT_ACTIONS,
  reportActionBodies,
  type ReportAction,
} from '@linli/shared';
import { AppError } from '../platform/errors';
import { route, type RouteSpec } from '../platform/route';
import type { ReportsService } from './reports.service';
import { isStampedList } from './report-freshness';

const ACTION_SUMMARIES: Record<ReportAction, string> = {
  accept: '受理 + 研判: accept with priority, handling method and due time',
  reject: 'Reject with a reason',
  merge: 'Merge into another report of the community',
  dispatch: '分流: dispatch to a person or a department (again = reassign)',
  start: '调处: start handling',
  resolve: 'Resolve with a result and photos',
  supervise: '督办: supervise (raises escalationLevel)',
  feedback: 'Record offline feedback (visit or call)',
  rate: '问效: the reporter rates 1–5 (≤ 2 reopens once)',
  follow: 'Follow (+1) instead of filing a duplicate',
  take: '我来处理: a grid worker over it accepts, takes it on and starts, in one step (the events of the three)',
  return: 'The assignee hands a wrongly dispatched report back (dispatched → accepted); the dispatcher is told',
  extend: '缓办: the assignee asks for a later due time, with a reason; a secretary decides',
  grant_extension: 'A secretary grants the extension asked for: dueAt moves, the report counts apart in the KPIs',
  deny_extension: 'A secretary refuses the extension asked for, with a reason',
};

const idempotencyKey = z.string().trim().min(8).max(64).regex(/^[\w-]+$/).optional();

export function reportRoutes(reports: ReportsService): RouteSpec[] {
  const actionRoutes = REPORT_ACTIONS.map((action) =>
    route({
      method: 'post',
      path: `/reports/:id/${REPORT_ACTION_PATHS[action]}`,
      tag: 'reports',
      summary: ACTION_SUMMARIES[action],
      params: idParam,
      body: reportActionBodies[action] as z.ZodType<Record<string, unknown>>,
      handler: ({ actor, params, body }) => reports.act(actor, params.id, action, body as never),
    }),
  );
  return [
    route({
      method: 'get',
      path: '/report-categories',
      tag: 'reports',
      summary: 'Report categories with SLA hours and the usual department',
      async handler() {
        return { items: await reports.categories() };
      },
    }),
    route({
      method: 'get',
      path: '/departments',
      tag: 'reports',
      summary: 'Departments reports can be dispatched to',
      async handler() {
        return { items: await reports.departments() };
      },
    }),
    route({
      method: 'post',
      path: '/reports',
      tag: 'reports',
      summary: 'File a report (send an Idempotency-Key: a retry returns the same report)',
      body: createReportBody,
      status: 201,
      rateLimit: 'submit',
      headers: [{ name: 'Idempotency-Key', description: 'one per draft; retries reuse it' }],
      async handler({ actor, body, ctx }) {
        const key = idempotencyKey.safeParse(ctx.get('idempotency-key') || undefined);
        if (!key.success) throw new AppError('VALIDATION_FAILED', '提交标识格式有误，请刷新后重试', [{ path: 'headers.idempotency-key', message: '应为 8–64 位字母、数字、下划线或短横线' }]);
        const { report, created } = await reports.submit(actor, body, key.data ?? null);
        if (!created) ctx.set('Idempotent-Replayed', 'true');
        return report;
      },
    }),
    route({
      method: 'get',
      path: '/reports',
      reads: 'replica',
      tag: 'reports',
      summary: "Reports: mine, following, or my staff queue (with counts)",
      query: listReportsQuery,
      freshness: ({ actor, query }) => reports.freshness.ofList(actor, query),
      stampedByHandler: ({ query }) => isStampedList(query),
      handler: ({ actor, query, onStamp }) => reports.list(actor, query, onStamp),
    }),
    route({
      method: 'get',
      path: '/reports/nearby',
      reads: 'replica',
      tag: 'reports',
      summary: 'Open reports of a category near a point (before filing a duplicate)',
      query: nearbyReportsQuery,
      handler: ({ actor, query }) => reports.nearby(actor, query.lat, query.lng, query.categoryCode, query.radius),
    }),
    route({
      method: 'get',
      path: '/reports/:id',
      tag: 'reports',
      summary: 'A report with its timeline and the actions the caller may take',
      params: idParam,
      freshness: ({ params }) => reports.freshness.ofReport(params.id),
      stampedByHandler: true,
      handler: ({ actor, params, onStamp }) => reports.detail(actor, params.id, null, onStamp),
    }),
    route({
      method: 'get',
      path: '/reports/:id/assignees',
      tag: 'reports',
      summary: 'People the report can be dispatched to',
      params: idParam,
      handler: ({ actor, params }) => reports.assignees(actor, params.id),
    }),
    ...actionRoutes,
  ];
}
