import { createOpen311KeyBody, idParam } from '@linli/shared';
import { route } from '../platform/route';
import type { Open311KeysService } from './open311-keys.service';

/** Admin: the API keys outside systems use for Open311 (/open311/v2/). */
export function open311KeyRoutes(keys: Open311KeysService) {
  return [
    route({
      method: 'post',
      path: '/admin/open311-keys',
      tag: 'admin',
      summary: 'Admin: create an Open311 API key for a node (the key is in this answer only)',
      body: createOpen311KeyBody,
      status: 201,
      handler: ({ actor, body }) => keys.create(actor, body),
    }),
    route({
      method: 'get',
      path: '/admin/open311-keys',
      tag: 'admin',
      summary: 'Admin: Open311 API keys of the nodes the caller administers',
      handler: ({ actor }) => keys.list(actor),
    }),
    route({
      method: 'delete',
      path: '/admin/open311-keys/:id',
      tag: 'admin',
      summary: 'Admin: revoke an Open311 API key',
      params: idParam,
      handler: ({ actor, params }) => keys.revoke(actor, params.id),
    }),
  ];
}
