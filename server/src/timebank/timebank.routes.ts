import { z } from 'zod';
import {
  CLAIM_ACTION_PATHS,
  CLAIM_ACTIONS,
  claimActionBody,
  confirmClaimBody,
  createTaskBody,
  giftHoursBody,
  idParam,
  listTasksQuery,
  listVolunteerApplicationsQuery,
  taskActionBody,
  declineTaskBody,
  timebankMeQuery,
  volunteerApplyBody,
} from '@linli/shared';
import type { ClaimAction } from '@linli/shared';
import { auditNoteOf } from '../audit/audit-log';
import { route, type RouteSpec } from '../platform/route';
import type { TimebankService } from './timebank.service';

const userIdParam = z.object({ userId: z.coerce.number().int().positive() });

const CLAIM_ACTION_SUMMARIES: Record<Exclude<ClaimAction, 'confirm'>, string> = {
  cancel: 'Volunteer: give the place back before the start',
  check_in: 'Volunteer: check in, from TIMEBANK_CHECK_IN_OPENS_MINUTES before the start until the end (409 outside); may carry location',
  check_out: 'Volunteer: check out; may carry location',
  no_show: 'Poster or secretary: the volunteer did not come (nothing is credited)',
};

export function timebankRoutes(timebank: TimebankService): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/timebank/volunteers',
      tag: 'timebank',
      summary: 'A resident applies to volunteer in their community',
      body: volunteerApplyBody,
      status: 201,
      handler: ({ actor, body }) => timebank.apply(actor, body.note),
    }),
    route({
      method: 'get',
      path: '/timebank/volunteers',
      tag: 'timebank',
      summary: "Secretary: volunteer applications of their communities (default pending)",
      query: listVolunteerApplicationsQuery,
      handler: ({ actor, query }) => timebank.applications(actor, query.status),
    }),
    ...(['approve', 'reject'] as const).map((decision) =>
      route({
        method: 'post',
        path: `/timebank/volunteers/:userId/${decision}`,
        tag: 'timebank',
        summary: decision === 'approve' ? 'Secretary: approve an application (grants the role volunteer on the community)' : 'Secretary: turn an application down',
        params: userIdParam,
        handler: ({ actor, params }) => timebank.decide(actor, params.userId, decision),
      }),
    ),
    route({
      method: 'get',
      path: '/timebank/tasks',
      tag: 'timebank',
      summary: 'Tasks of my community (default open; nearest first with lat,lng), or those I posted (scope=mine) or claimed (scope=claimed)',
      query: listTasksQuery,
      handler: ({ actor, query }) => timebank.list(actor, query),
    }),
    route({
      method: 'post',
      path: '/timebank/tasks',
      tag: 'timebank',
      summary: "Post a task: a secretary's is paid by the community's hours, a resident's escrows hours × capacity from their own (409 if too few)",
      body: createTaskBody,
      status: 201,
      handler: ({ actor, body }) => timebank.post(actor, body),
    }),
    route({
      method: 'get',
      path: '/timebank/tasks/:id',
      tag: 'timebank',
      summary: 'A task with its claims (all of them for the poster and secretaries, else my own)',
      params: idParam,
      handler: ({ actor, params }) => timebank.detail(actor, params.id),
    }),
    route({
      method: 'post',
      path: '/timebank/tasks/:id/cancel',
      tag: 'timebank',
      summary: 'Poster or secretary: call a task off (waiting claims cancelled, unspent hours back to the payer)',
      params: idParam,
      body: taskActionBody,
      handler: ({ actor, params, body }) => timebank.cancelTask(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/timebank/tasks/:id/fund',
      tag: 'timebank',
      summary: 'Secretary: fund a resident’s help request from the community’s hours (requested → open)',
      params: idParam,
      body: taskActionBody,
      handler: ({ actor, params, body }) => timebank.decideHelpRequest(actor, params.id, 'fund', body),
    }),
    route({
      method: 'post',
      path: '/timebank/tasks/:id/decline',
      tag: 'timebank',
      summary: 'Secretary: decline a resident’s help request with a reason the poster reads (requested → declined)',
      params: idParam,
      body: declineTaskBody,
      handler: ({ actor, params, body }) => timebank.decideHelpRequest(actor, params.id, 'decline', body),
    }),
    route({
      method: 'post',
      path: '/timebank/tasks/:id/claim',
      tag: 'timebank',
      summary: 'Volunteer: claim a place (409 CONFLICT when the places are taken or already claimed)',
      params: idParam,
      status: 201,
      handler: ({ actor, params }) => timebank.claim(actor, params.id),
    }),
    ...CLAIM_ACTIONS.filter((action) => action !== 'confirm').map((action) =>
      route({
        method: 'post',
        path: `/timebank/claims/:id/${CLAIM_ACTION_PATHS[action]}`,
        tag: 'timebank',
        summary: CLAIM_ACTION_SUMMARIES[action],
        params: idParam,
        body: claimActionBody,
        handler: ({ actor, params, body }) => timebank.actOnClaim(actor, params.id, action, body),
      }),
    ),
    route({
      method: 'post',
      path: '/timebank/claims/:id/confirm',
      tag: 'timebank',
      summary:
        "Poster or secretary: confirm attendance. Credits the attended time (check-in → check-out within the task's window, to 0.1 h, at most the task's hours), " +
        'or `hours` with a `reason` when they differ (400 without one, or when there is no attended time and no `hours`); points only on a community-funded task confirmed by a secretary',
      params: idParam,
      body: confirmClaimBody,
      handler: ({ actor, params, body, ctx }) => timebank.actOnClaim(actor, params.id, 'confirm', body, auditNoteOf(ctx)),
    }),
    route({
      method: 'get',
      path: '/timebank/me',
      tag: 'timebank',
      summary: 'My banked hours, their history and my claims',
      query: timebankMeQuery,
      handler: ({ actor, query }) => timebank.me(actor, query),
    }),
    route({
      method: 'post',
      path: '/timebank/gifts',
      tag: 'timebank',
      summary: 'Give hours to a member of my household',
      body: giftHoursBody,
      status: 201,
      handler: ({ actor, body }) => timebank.gift(actor, body),
    }),
  ];
}
