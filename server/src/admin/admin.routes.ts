import { z } from 'zod';
import {
  createCategoryBody,
  idParam,
  listRoleAssignmentsQuery,
  roleAssignmentBody,
  updateCategoryBody,
  updateGridNodeBody,
  userSearchQuery,
} from '@linli/shared';
import { route } from '../platform/route';
import type { AdminService } from './admin.service';

const codeParam = z.object({ code: z.string().trim().min(1).max(32) });

/** Admin: grid nodes (beside POST /grids/import), staff assignments, categories and SLAs. */
export function adminRoutes(admin: AdminService) {
  return [
    route({
      method: 'put',
      path: '/grids/:id',
      tag: 'admin',
      summary: 'Admin: rename a grid node (boundaries and new nodes go through POST /grids/import)',
      params: idParam,
      body: updateGridNodeBody,
      handler: ({ actor, params, body }) => admin.renameNode(actor, params.id, body.name),
    }),
    route({
      method: 'delete',
      path: '/grids/:id',
      tag: 'admin',
      summary: 'Admin: delete an empty grid node (409 while it has children, buildings, reports, staff…)',
      params: idParam,
      status: 204,
      async handler({ actor, params }) {
        await admin.deleteNode(actor, params.id);
      },
    }),
    route({
      method: 'get',
      path: '/admin/role-assignments',
      tag: 'admin',
      summary: 'Admin: staff roles held on nodes within the caller’s scope',
      query: listRoleAssignmentsQuery,
      handler: ({ actor, query }) => admin.assignments(actor, query),
    }),
    route({
      method: 'post',
      path: '/admin/role-assignments',
      tag: 'admin',
      summary: 'Admin: give a user a staff role on a node',
      body: roleAssignmentBody,
      status: 201,
      handler: ({ actor, body }) => admin.assign(actor, body),
    }),
    route({
      method: 'delete',
      path: '/admin/role-assignments/:id',
      tag: 'admin',
      summary: 'Admin: take a staff role back',
      params: idParam,
      status: 204,
      async handler({ actor, params }) {
        await admin.unassign(actor, params.id);
      },
    }),
    route({
      method: 'get',
      path: '/admin/users',
      tag: 'admin',
      summary: 'Admin: find users by nickname or id (masked phones), to assign roles',
      query: userSearchQuery,
      handler: ({ actor, query }) => admin.searchUsers(actor, query.q),
    }),
    route({
      method: 'get',
      path: '/admin/report-categories',
      tag: 'admin',
      summary: 'Admin: report categories with SLA hours and the usual department',
      handler: ({ actor }) => admin.categories(actor),
    }),
    route({
      method: 'post',
      path: '/admin/report-categories',
      tag: 'admin',
      summary: 'Admin (top level): add a report category with its SLA',
      body: createCategoryBody,
      status: 201,
      handler: ({ actor, body }) => admin.createCategory(actor, body),
    }),
    route({
      method: 'put',
      path: '/admin/report-categories/:code',
      tag: 'admin',
      summary: 'Admin (top level): change a category’s name, SLA hours, department or order',
      params: codeParam,
      body: updateCategoryBody,
      handler: ({ actor, params, body }) => admin.updateCategory(actor, params.code, body),
    }),
  ];
}
