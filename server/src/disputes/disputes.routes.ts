import type { z } from 'zod';
import {
  createDisputeBody,
  createMediatorBody,
  DISPUTE_ACTIONS,
  disputeActionBodies,
  idParam,
  listDisputesQuery,
  mediatorsQuery,
  statsQuery,
  type DisputeAction,
} from '@linli/shared';
import { route, type RouteSpec } from '../platform/route';
import { attachmentDisposition } from '../stats/reports-export';
import { agreementDocx, DOCX_TYPE } from './agreement-document';
import type { DisputeStatsService } from './dispute-stats';
import type { DisputesService } from './disputes.service';
import type { MediatorsService } from './mediators.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ACTION_SUMMARIES: Record<DisputeAction, string> = {
  accept: '受理: accept and assign a mediator from the pool (due in 30 days)',
  decline: '不予受理: decline with a reason',
  assign: 'Reassign the case to another mediator of the pool',
  session: '调解记录: record a session (time, place, who took part, notes, photos); the first starts mediation',
  agree: '调解协议: record the agreement (written or oral) with its terms, performance and deadline',
  fail: '调解终结: mediation failed, with advice (litigation, arbitration, fast-track court)',
  fulfil: 'The agreement was performed',
  breach: 'The agreement was not performed',
  ruling: '速裁: record the fast-track court ruling of a failed case sent there',
  visit: '回访: a return visit after the agreement',
  extend: 'Extend the 30 days once, by the parties’ consent',
  confirmation: '司法确认: record the application (within 30 days of the agreement), then the court’s result',
  close: '结案归档: close the case',
};

export interface DisputeRouteDeps {
  disputes: DisputesService;
  mediators: MediatorsService;
  stats: DisputeStatsService;
}

export function disputeRoutes({ disputes, mediators, stats }: DisputeRouteDeps): RouteSpec[] {
  const actionRoutes = DISPUTE_ACTIONS.map((action) =>
    route({
      method: 'post',
      path: `/disputes/:id/${action}`,
      tag: 'disputes',
      summary: ACTION_SUMMARIES[action],
      params: idParam,
      body: disputeActionBodies[action] as z.ZodType<Record<string, unknown>>,
      handler: ({ actor, params, body }) => disputes.act(actor, params.id, action, body as never),
    }),
  );
  return [
    route({
      method: 'post',
      path: '/disputes',
      tag: 'disputes',
      summary: 'Register a dispute: a resident applies (申请调解); staff register a walk-in, a referral, a finding or a report’s case',
      body: createDisputeBody,
      status: 201,
      rateLimit: 'submit',
      handler: ({ actor, body }) => disputes.register(actor, body),
    }),
    route({
      method: 'get',
      path: '/disputes',
      tag: 'disputes',
      summary: 'Cases: mine (a party or the registrar), or my queue (assigned to me, or under a node I coordinate; with counts)',
      query: listDisputesQuery,
      handler: ({ actor, query }) => disputes.list(actor, query),
    }),
    route({
      method: 'get',
      path: '/disputes/:id',
      tag: 'disputes',
      summary: 'A case with parties, sessions, visits, events and the actions the caller may take',
      params: idParam,
      handler: ({ actor, params }) => disputes.detail(actor, params.id),
    }),
    route({
      method: 'get',
      path: '/disputes/:id/agreement',
      tag: 'disputes',
      summary: 'The printable 人民调解协议书 of a written agreement (.docx)',
      params: idParam,
      async handler({ actor, params, ctx }) {
        const source = await disputes.agreementSource(actor, params.id);
        const document = await agreementDocx(source);
        ctx.type = DOCX_TYPE;
        ctx.set('Content-Disposition', attachmentDisposition(`人民调解协议书_${source.dispute.number}.docx`, `agreement_${source.dispute.number}.docx`));
        ctx.set('Cache-Control', 'no-store');
        return document;
      },
    }),
    ...actionRoutes,
    route({
      method: 'get',
      path: '/mediators',
      tag: 'disputes',
      summary: 'The mediators a case at the node can be given to (the pools above it and below it)',
      query: mediatorsQuery,
      handler: ({ actor, query }) => mediators.list(actor, query.nodeId),
    }),
    route({
      method: 'post',
      path: '/mediators',
      tag: 'disputes',
      summary: 'Add a user to the pool of a community or street (grants the mediator role there)',
      body: createMediatorBody,
      status: 201,
      handler: ({ actor, body }) => mediators.create(actor, body),
    }),
    route({
      method: 'get',
      path: '/stats/disputes',
      tag: 'stats',
      summary: '矛盾纠纷调处 figures of a node and period: received, accepted, 调解成功率, 化解率, by type, mediator, source; average days; confirmations',
      query: statsQuery,
      handler: ({ actor, query }) => stats.figures(actor, query),
    }),
    route({
      method: 'get',
      path: '/stats/disputes.xlsx',
      tag: 'stats',
      summary: 'The dispute figures and the period’s case ledger as an .xlsx with Chinese headers',
      query: statsQuery,
      async handler({ actor, query, ctx }) {
        const { node, period } = await stats.node(actor, query);
        const body = await stats.xlsx(node, period);
        ctx.type = XLSX;
        ctx.set('Content-Disposition', attachmentDisposition(`${node.name}矛盾纠纷调处_${query.from ?? ''}${query.to ? `至${query.to}` : ''}.xlsx`, 'disputes.xlsx'));
        ctx.set('Cache-Control', 'no-store');
        return body;
      },
    }),
  ];
}
