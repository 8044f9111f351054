import { idParam, listModerationCasesQuery, releaseModerationCaseBody, removeModerationCaseBody } from '@linli/shared';
import { route, type RouteSpec } from '../platform/route';
import type { ModerationService } from './moderation.service';

export function moderationRoutes(moderation: ModerationService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/moderation/cases',
      tag: 'moderation',
      summary: '内容审核: held and pending content in my scope (secretary, admin), newest first, with counts',
      query: listModerationCasesQuery,
      handler: ({ actor, query }) => moderation.list(actor, query),
    }),
    route({
      method: 'post',
      path: '/moderation/cases/:id/release',
      tag: 'moderation',
      summary: 'Release held content: everyone who may see its subject sees it now; the author is told',
      params: idParam,
      body: releaseModerationCaseBody,
      handler: ({ actor, params, body }) => moderation.release(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/moderation/cases/:id/remove',
      tag: 'moderation',
      summary: 'Remove held content with a reason the author reads (a report is rejected, a comment hidden)',
      params: idParam,
      body: removeModerationCaseBody,
      handler: ({ actor, params, body }) => moderation.remove(actor, params.id, body),
    }),
  ];
}
