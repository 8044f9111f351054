import Taro from '@tarojs/taro';
import {
  CLAIM_ACTION_PATHS,
  type ClaimAction,
  type ConfirmClaimBody,
  type CreateTaskBody,
  type GiftHoursBody,
  type LedgerEntryView,
  type Page,
  type TaskStatus,
  type TimebankClaim,
  type TimebankMe,
  type TimebankTask,
  type TimebankTaskDetail,
  type VolunteerApplication,
} from '@linli/shared';
import { api, request, type RequestOptions } from './api';
import { isWeapp } from './auth';

export const TIMEBANK_PAGE = '/packages/timebank/index';
export const TASKS_PAGE = '/packages/timebank/tasks/index';
export const TASK_DETAIL_PAGE = '/packages/timebank/task/index';
export const NEW_TASK_PAGE = '/packages/timebank/new/index';
export const GIFT_PAGE = '/packages/timebank/gift/index';
export const TIMEBANK_ADMIN_PAGE = '/packages/workbench/timebank/index';

export const taskDetailUrl = (id: number) => `${TASK_DETAIL_PAGE}?id=${id}`;

export type TimebankPage = TimebankMe & Page<LedgerEntryView>;

export function getMyTimebank(cursor?: string | null, options: { silent?: boolean } = {}): Promise<TimebankPage> {
  return api
    .get<TimebankMe>('/timebank/me', { query: { cursor: cursor ?? undefined, limit: 20 }, silent: options.silent })
    .then((page) => ({ ...page, items: page.entries }));
}

export interface TasksQuery {
  scope?: 'community' | 'mine' | 'claimed';
  status?: TaskStatus;
  location?: { lat: number; lng: number } | null;
}

export function listTasks(query: TasksQuery = {}): Promise<Page<TimebankTask>> {
  return api.get<Page<TimebankTask>>('/timebank/tasks', {
    query: { scope: query.scope, status: query.status, lat: query.location?.lat, lng: query.location?.lng },
  });
}

export function getTask(id: number, options: RequestOptions = {}): Promise<TimebankTaskDetail> {
  return api.get<TimebankTaskDetail>(`/timebank/tasks/${id}`, options);
}

export function postTask(body: CreateTaskBody): Promise<TimebankTaskDetail> {
  return api.post<TimebankTaskDetail>('/timebank/tasks', body);
}

export function cancelTask(task: Pick<TimebankTask, 'id' | 'version'>): Promise<TimebankTaskDetail> {
  return api.post<TimebankTaskDetail>(`/timebank/tasks/${task.id}/cancel`, { version: task.version });
}

export function claimTask(id: number): Promise<TimebankClaim> {
  return api.post<TimebankClaim>(`/timebank/tasks/${id}/claim`, {});
}

/** Check-in and check-out carry where the phone is, when it says (weapp only; H5 goes without). */
export async function actOnClaim(claim: Pick<TimebankClaim, 'id' | 'version'>, action: ClaimAction): Promise<TimebankClaim> {
  const body: { version: number; location?: { lat: number; lng: number } } = { version: claim.version };
  if (action === 'check_in' || action === 'check_out') {
    const here = await quietLocation();
    if (here) body.location = here;
  }
  return request<TimebankClaim>('POST', `/timebank/claims/${claim.id}/${CLAIM_ACTION_PATHS[action]}`, { body });
}

/** Confirm a claim: the attended time, or `hours` with a reason when they differ (shared confirmClaimBody). */
export function confirmClaim(claim: Pick<TimebankClaim, 'id' | 'version'>, body: Omit<ConfirmClaimBody, 'version'>): Promise<TimebankClaim> {
  return api.post<TimebankClaim>(`/timebank/claims/${claim.id}/confirm`, { ...body, version: claim.version });
}

export function giftHours(body: GiftHoursBody): Promise<{ balanceHours: number; entry: LedgerEntryView }> {
  return api.post<{ balanceHours: number; entry: LedgerEntryView }>('/timebank/gifts', body);
}

export function applyVolunteer(note?: string): Promise<VolunteerApplication> {
  return api.post<VolunteerApplication>('/timebank/volunteers', note ? { note } : {});
}

export function listApplications(status: VolunteerApplication['status'] = 'pending'): Promise<Page<VolunteerApplication>> {
  return api.get<Page<VolunteerApplication>>('/timebank/volunteers', { query: { status } });
}

export function decideApplication(userId: number, decision: 'approve' | 'reject'): Promise<VolunteerApplication> {
  return api.post<VolunteerApplication>(`/timebank/volunteers/${userId}/${decision}`, {});
}

/** The phone's position (GCJ-02) on weapp, without prompting toasts; null on H5 or when refused. */
export async function quietLocation(): Promise<{ lat: number; lng: number } | null> {
  if (!isWeapp) return null;
  try {
    const here = await Taro.getLocation({ type: 'gcj02' });
    return { lat: here.latitude, lng: here.longitude };
  } catch {
    return null;
  }
}

/** 1.5 小时 */
export function hoursText(hours: number): string {
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} 小时`;
}

/** 850 米 / 1.2 公里 */
export function distanceText(meters: number | null): string {
  if (meters === null) return '';
  return meters < 1000 ? `${Math.round(meters)} 米` : `${(meters / 1000).toFixed(1)} 公里`;
}

/** A secretary funds a resident's help request from the community's hours (requested → open). */
export function fundHelpRequest(task: Pick<TimebankTask, 'id' | 'version'>): Promise<TimebankTaskDetail> {
  return api.post<TimebankTaskDetail>(`/timebank/tasks/${task.id}/fund`, { version: task.version });
}

/** …or declines it with a reason the poster reads. */
export function declineHelpRequest(task: Pick<TimebankTask, 'id' | 'version'>, reason: string): Promise<TimebankTaskDetail> {
  return api.post<TimebankTaskDetail>(`/timebank/tasks/${task.id}/decline`, { reason, version: task.version });
}
