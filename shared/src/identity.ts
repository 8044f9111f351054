import { z } from 'zod';
import type { Role, StaffRole } from './roles';
import type { GridPathEntry } from './grids';
import type { MembershipInfo, MyHousehold } from './residents';

/** WeChat's openid: 28 characters in practice; dev logins use readable ones such as `demo-resident-1`. */
const openid = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

export const devLoginBody = z.object({ openid });
export const wechatLoginBody = z.object({ code: z.string().trim().min(1).max(128) });
/** `PUT /me/household` (see residents.ts: asks to join, or picks the current one among the verified). */
export { joinHouseholdBody as bindHouseholdBody } from './residents';

export type DevLoginBody = z.infer<typeof devLoginBody>;
export type WechatLoginBody = z.infer<typeof wechatLoginBody>;

export interface Scope {
  role: StaffRole;
  nodeId: number;
}

export interface StaffContact {
  id: number;
  nickname: string;
  /** e.g. 138****1234: the full number never leaves the server. */
  phoneMasked: string | null;
}

export interface MeHousehold {
  id: number;
  buildingId: number;
  buildingName: string;
  unit: string;
  room: string;
  /** 3号楼 2单元 301 */
  label: string;
  microgridId: number;
  /** district → … → micro-grid */
  path: GridPathEntry[];
  /** The grid workers whose scope covers this household. */
  gridWorkers: StaffContact[];
  /** How the caller belongs to it: only a verified member acts for the household. */
  membership: MembershipInfo;
}

/** What a person chose for themselves (PUT /me/settings). */
export interface MySettings {
  /** Leaderboards show one's name in full; otherwise masked (张*梅). Off by default. */
  showNameOnLeaderboard: boolean;
}
export const updateSettingsBody = z.object({ showNameOnLeaderboard: z.boolean() });
export type UpdateSettingsBody = z.infer<typeof updateSettingsBody>;

export interface Me {
  id: number;
  nickname: string;
  avatarUrl: string | null;
  roles: Role[];
  scopes: Scope[];
  /** The current household (pending or verified); null when none is picked. */
  householdId: number | null;
  household: MeHousehold | null;
  /** Every household the caller belongs to or asked to join, with where each request stands. */
  households: MyHousehold[];
  /** A phone WeChat confirmed (getPhoneNumber), shown masked. */
  phoneMasked: string | null;
  phoneVerified: boolean;
  settings: MySettings;
}

export interface LoginResult {
  token: string;
  /** When the token stops working (ISO-8601). */
  expiresAt: string;
  user: Me;
}
