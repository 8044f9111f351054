import { z } from 'zod';
import {
  CONSULTATION_ACTION_PATHS,
  CONSULTATION_ACTIONS,
  consultationActionBodies,
  createConsultationBody,
  hideCommentBody,
  idParam,
  listConsultationsQuery,
} from '@linli/shared';
import { route, type RouteSpec } from '../platform/route';
import type { ConsultationsService } from './consultations.service';

export function consultationRoutes(consultations: ConsultationsService): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/consultations',
      tag: 'consultations',
      summary: '提议题: propose a matter for the building (default), micro-grid or community',
      body: createConsultationBody,
      status: 201,
      rateLimit: 'submit',
      handler: ({ actor, body }) => consultations.propose(actor, body),
    }),
    route({
      method: 'get',
      path: '/consultations',
      tag: 'consultations',
      summary: 'Consultations: eligible (of my building, micro-grid, community), mine, or the secretary queue',
      query: listConsultationsQuery,
      handler: ({ actor, query }) => consultations.list(actor, query),
    }),
    route({
      method: 'get',
      path: '/consultations/:id',
      tag: 'consultations',
      summary: 'A consultation with options, tally, comments and progress',
      params: idParam,
      freshness: ({ params }) => consultations.freshness.ofConsultation(params.id),
      handler: ({ actor, params }) => consultations.detail(actor, params.id),
    }),
    ...CONSULTATION_ACTIONS.map((action) =>
      route({
        method: 'post',
        path: `/consultations/:id/${CONSULTATION_ACTION_PATHS[action]}`,
        tag: 'consultations',
        summary: action === 'ballot' ? 'Staff over the scope record a household’s paper ballot (书面表决) or proxy (委托投票, with the signed authorisation)' : `${action} a consultation`,
        params: idParam,
        body: consultationActionBodies[action] as z.ZodType<Record<string, unknown>>,
        status: action === 'comment' ? 201 : 200,
        rateLimit: action === 'comment' ? 'comment' : action === 'vote' ? 'vote' : undefined,
        handler: ({ actor, params, body }) => consultations.act(actor, params.id, action, body as never),
      }),
    ),
    route({
      method: 'post',
      path: '/consultations/:id/comments/:commentId/hide',
      tag: 'consultations',
      summary: 'Secretary: hide a comment with a reason (residents see it as hidden)',
      params: z.object({ id: z.coerce.number().int().positive(), commentId: z.coerce.number().int().positive() }),
      body: hideCommentBody,
      handler: ({ actor, params, body }) => consultations.hideComment(actor, params.id, params.commentId, body.reason),
    }),
  ];
}
