import Taro from '@tarojs/taro';
import type {
  HouseholdMemberView,
  InviteView,
  Me,
  MembershipQueuePage,
  MembershipRelation,
  MembershipStatus,
  Page,
  PendingMembershipView,
  RegisterResidentBody,
  ResidentView,
} from '@linli/shared';
import { api, showError, type RequestOptions } from './api';
import { scanCodeImage } from './files';
import { saveUser } from './session';

/** The 待核验 queue (its path is the server's MEMBERSHIP_QUEUE_PAGE: notifications link to it). */
export const MEMBERSHIP_QUEUE_PAGE = '/packages/workbench/residents/index';

/* ───────── staff: the 待核验 queue ───────── */

export function listMemberships(query: { status: MembershipStatus; cursor?: string | null; limit?: number }, options?: RequestOptions): Promise<MembershipQueuePage> {
  return api.get<MembershipQueuePage>('/memberships', { ...options, query: { status: query.status, cursor: query.cursor ?? undefined, limit: query.limit } });
}

export function verifyMembership(m: Pick<PendingMembershipView, 'id'>, relation: MembershipRelation): Promise<PendingMembershipView> {
  return api.post<PendingMembershipView>(`/memberships/${m.id}/verify`, { relation }, { silent: true });
}

export function rejectMembership(m: Pick<PendingMembershipView, 'id'>, reason: string): Promise<PendingMembershipView> {
  return api.post<PendingMembershipView>(`/memberships/${m.id}/reject`, { reason }, { silent: true });
}

/* ───────── staff: finding and registering people ───────── */

export function searchResidents(q: string, limit = 20): Promise<Page<ResidentView>> {
  return api.get<Page<ResidentView>>('/residents', { query: { q, limit }, silent: true });
}

export function registerResident(body: RegisterResidentBody): Promise<ResidentView> {
  return api.post<ResidentView>('/residents', body);
}

/**
 * 拨打: the full number is asked for only now (the server audits the request), then dialled —
 * `makePhoneCall` on weapp, a `tel:` link on H5.
 */
export async function callNumber(reveal: () => Promise<{ phone: string | null }>): Promise<void> {
  let phone: string | null;
  try {
    phone = (await reveal()).phone;
  } catch (error) {
    showError(error);
    return;
  }
  if (!phone) {
    void Taro.showToast({ title: '没有登记电话', icon: 'none' });
    return;
  }
  if (process.env.TARO_ENV === 'h5') {
    window.location.href = `tel:${phone}`;
    return;
  }
  await Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined);
}

export const callResident = (userId: number) => callNumber(() => api.post<{ phone: string | null }>(`/residents/${userId}/phone`, {}, { silent: true }));
export const callReportCaller = (reportId: number) => callNumber(() => api.post<{ phone: string | null }>(`/reports/${reportId}/caller/phone`, {}, { silent: true }));

/* ───────── residents: their household, invites ───────── */

export function householdMembers(): Promise<HouseholdMemberView[]> {
  return api.get<{ items: HouseholdMemberView[] }>('/me/household/members').then((page) => page.items);
}

export function createInvite(householdId: number, relation: MembershipRelation): Promise<InviteView> {
  return api.post<InviteView>(`/households/${householdId}/invites`, { relation });
}

/** The invite as a code to scan: a QR of the H5 link, or the mini-program code on weapp. */
export function inviteImage(code: string): Promise<string> {
  return scanCodeImage(`/invites/${encodeURIComponent(code)}/image`);
}

export async function acceptInvite(code: string): Promise<Me> {
  const me = await api.post<Me>(`/invites/${encodeURIComponent(code)}/accept`, {});
  saveUser(me);
  return me;
}
