import type { JoinHouseholdBody, UpdateSettingsBody, GridLevel, Me, MeHousehold, MembershipRelation, MembershipStatus, MyHousehold } from '@linli/shared';
import { api } from './api';
import { saveUser } from './session';

export async function getMe(): Promise<Me> {
  const me = await api.get<Me>('/me');
  saveUser(me);
  return me;
}

/** `PUT /me/household`: asks to join (with the relation claimed), or picks one of the caller's households as the current one. */
export async function joinHousehold(householdId: number, relation?: MembershipRelation): Promise<Me> {
  const body: JoinHouseholdBody = relation ? { householdId, relation } : { householdId };
  const me = await api.put<Me>('/me/household', body);
  saveUser(me);
  return me;
}

/** `POST /me/phone` with the code of WeChat's getPhoneNumber button: verifies a request the ledger backs. */
export async function confirmPhone(code: string): Promise<Me> {
  const me = await api.post<Me>('/me/phone', { code });
  saveUser(me);
  return me;
}

export const BIND_PAGE = '/pages/bind/index';
/** The owners' invite page and the page that accepts a code (the household sub-package). */
export const INVITE_PAGE = '/packages/household/invite/index';
export const ACCEPT_INVITE_PAGE = '/packages/household/accept/index';

export const WORKBENCH_PAGE = '/packages/workbench/index';

/** The name of the household's grid node at `level`, e.g. its community. */
export function pathName(household: MeHousehold, level: GridLevel): string | null {
  return household.path.find((entry) => entry.level === level)?.name ?? null;
}

/** The mark's colour for a membership status (its words come from MEMBERSHIP_STATUS_LABELS). */
export function membershipTone(status: MembershipStatus): string {
  if (status === 'pending') return 'mark--warning';
  if (status === 'verified') return 'mark--success';
  return 'mark--danger';
}

const STATUS_ORDER: Record<MembershipStatus, number> = { pending: 1, verified: 2, rejected: 3, removed: 4 };

/** The current household first, then those waiting, the verified, and the ended ones. */
export function sortedHouseholds(households: MyHousehold[]): MyHousehold[] {
  return [...households].sort((a, b) => Number(b.current) - Number(a.current) || STATUS_ORDER[a.membership.status] - STATUS_ORDER[b.membership.status]);
}

/** `PUT /me/settings`: whether leaderboards show the caller's name in full (masked by default). */
export async function updateSettings(body: UpdateSettingsBody): Promise<Me> {
  const me = await api.put<Me>('/me/settings', body);
  saveUser(me);
  return me;
}
