import { createAnnouncementBody, idParam, listAnnouncementsQuery } from '@linli/shared';
import { route } from '../platform/route';
import type { AnnouncementsService } from './announcements.service';

/** 社区公告: residents read what concerns their households; staff post within their scope and see who read it. */
export function announcementRoutes(service: AnnouncementsService) {
  return [
    route({
      method: 'get',
      path: '/announcements',
      tag: 'announcements',
      summary: "Notices for the caller's households (scope=mine, pinned first, with the unread count) or those within a staff member's scope (scope=managed)",
      query: listAnnouncementsQuery,
      handler: ({ query, actor }) => service.list(actor, query),
    }),
    route({
      method: 'post',
      path: '/announcements',
      tag: 'announcements',
      summary: 'Posts a notice to a community, grid, micro-grid or building within the caller’s scope (grid workers, secretaries, admins); its residents are told',
      body: createAnnouncementBody,
      status: 201,
      handler: ({ body, actor }) => service.post(actor, body),
    }),
    route({
      method: 'get',
      path: '/announcements/:id',
      tag: 'announcements',
      summary: 'One notice: to the verified members of households in its place until its end date, and to the staff over it',
      params: idParam,
      handler: ({ params, actor }) => service.detail(actor, params.id),
    }),
    route({
      method: 'post',
      path: '/announcements/:id/read',
      tag: 'announcements',
      summary: 'The caller read the notice (once per person, counted for their household in its place)',
      params: idParam,
      handler: ({ params, actor }) => service.markRead(actor, params.id),
    }),
    route({
      method: 'get',
      path: '/announcements/:id/reads',
      tag: 'announcements',
      summary: 'Read by N of M households (staff over the notice’s place)',
      params: idParam,
      handler: ({ params, actor }) => service.reads(actor, params.id),
    }),
  ];
}
