import type {
  CreateCategoryBody,
  GridImportResult,
  Open311KeyView,
  ReportCategory,
  RoleAssignmentBody,
  StaffRole,
  UpdateCategoryBody,
} from '@linli/shared';
import { api } from './api';

/* ───────── grid nodes ───────── */

export function renameNode(id: number, name: string): Promise<unknown> {
  return api.put(`/grids/${id}`, { name });
}

/** 409 (with the reason) while the node still has children, buildings, reports or staff. */
export function deleteNode(id: number): Promise<unknown> {
  return api.del(`/grids/${id}`);
}

/** `body` is what the admin pasted: the server checks it against gridImportBody. */
export function importGrids(body: unknown): Promise<GridImportResult> {
  return api.post<GridImportResult>('/grids/import', body);
}

/* ───────── staff ───────── */

export interface RoleAssignmentView {
  id: number;
  userId: number;
  nickname: string;
  role: StaffRole;
  nodeId: number;
  nodeName: string;
  nodePath: string[];
}

export interface AdminUser {
  id: number;
  nickname: string;
  phoneMasked: string | null;
  hasHousehold: boolean;
  departmentId: number | null;
  roles: Array<{ id: number; role: StaffRole; nodeId: number; nodeName: string }>;
}

export function searchUsers(q: string): Promise<AdminUser[]> {
  return api.get<{ items: AdminUser[] }>('/admin/users', { query: { q } }).then((page) => page.items);
}

export function listAssignments(nodeId: number): Promise<RoleAssignmentView[]> {
  return api.get<{ items: RoleAssignmentView[] }>('/admin/role-assignments', { query: { nodeId } }).then((page) => page.items);
}

export function assignRole(body: RoleAssignmentBody): Promise<RoleAssignmentView> {
  return api.post<RoleAssignmentView>('/admin/role-assignments', body);
}

export function removeAssignment(id: number): Promise<unknown> {
  return api.del(`/admin/role-assignments/${id}`);
}

/* ───────── categories and SLAs ───────── */

export function listAdminCategories(): Promise<ReportCategory[]> {
  return api.get<{ items: ReportCategory[] }>('/admin/report-categories').then((page) => page.items);
}

export function createCategory(body: Omit<CreateCategoryBody, 'sortOrder'> & { sortOrder?: number }): Promise<ReportCategory> {
  return api.post<ReportCategory>('/admin/report-categories', body);
}

export function updateCategory(code: string, body: UpdateCategoryBody): Promise<ReportCategory> {
  return api.put<ReportCategory>(`/admin/report-categories/${encodeURIComponent(code)}`, body);
}

/* ───────── Open311 keys ───────── */

export function listOpen311Keys(): Promise<Open311KeyView[]> {
  return api.get<{ items: Open311KeyView[] }>('/admin/open311-keys').then((page) => page.items);
}

/** The answer carries the key itself: the only time it is shown. */
export function createOpen311Key(name: string, nodeId: number): Promise<Open311KeyView & { key: string }> {
  return api.post<Open311KeyView & { key: string }>('/admin/open311-keys', { name, nodeId });
}

export function revokeOpen311Key(id: number): Promise<Open311KeyView> {
  return api.del<Open311KeyView>(`/admin/open311-keys/${id}`);
}
