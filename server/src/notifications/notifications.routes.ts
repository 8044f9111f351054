import { z } from 'zod';
import { idParam, pageQuery } from '@linli/shared';
import { route } from '../platform/route';
import type { NotificationService } from './notification.service';

/** The caller's own inbox: nobody reads or marks another user's notifications. */
export function notificationRoutes(service: NotificationService) {
  return [
    route({
      method: 'get',
      path: '/notifications',
      tag: 'notifications',
      summary: "The caller's inbox, newest first, with the unread count",
      query: pageQuery,
      handler: ({ query, actor }) => service.list(actor.userId, query),
    }),
    route({
      method: 'post',
      path: '/notifications/read-all',
      tag: 'notifications',
      summary: "Marks all of the caller's notifications read",
      handler: ({ actor }) => service.markAllRead(actor.userId),
    }),
    route({
      method: 'post',
      path: '/notifications/:id/read',
      tag: 'notifications',
      summary: 'Marks one of the caller’s notifications read (404 if it is not theirs)',
      params: idParam,
      handler: ({ params, actor }) => service.markRead(actor.userId, params.id),
    }),
  ];
}
