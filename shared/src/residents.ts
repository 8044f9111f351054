import { z } from 'zod';
import { pageQuery } from './pagination';
import type { Role } from './roles';

/* ───────────── vocabulary: who belongs to a household, and how we know ───────────── */

export const MEMBERSHIP_RELATIONS = ['owner', 'family', 'tenant'] as const;
export type MembershipRelation = (typeof MEMBERSHIP_RELATIONS)[number];
export const MEMBERSHIP_RELATION_LABELS: Record<MembershipRelation, string> = { owner: '业主', family: '家庭成员', tenant: '租户' };

export const MEMBERSHIP_STATUSES = ['pending', 'verified', 'rejected', 'removed'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
export const MEMBERSHIP_STATUS_LABELS: Record<MembershipStatus, string> = {
  pending: '待核验',
  verified: '已核验',
  rejected: '未通过',
  removed: '已移出',
};

/**
 * How a membership came to be verified (or, for `request`, that it was asked for in the app):
 * `staff` a grid worker or secretary checked it; `roster` the ledger lists the person's phone for that
 * room; `owner_invite` a verified owner's one-time code; `ledger` the ledger's import; `registered` staff
 * registered a person without WeChat.
 */
export const MEMBERSHIP_METHODS = ['request', 'staff', 'roster', 'owner_invite', 'ledger', 'registered'] as const;
export type MembershipMethod = (typeof MEMBERSHIP_METHODS)[number];
export const MEMBERSHIP_METHOD_LABELS: Record<MembershipMethod, string> = {
  request: '本人申请',
  staff: '工作人员核验',
  roster: '台账手机号核验',
  owner_invite: '业主邀请',
  ledger: '台账导入',
  registered: '工作人员登记',
};

/** Relations a verified owner may invite with a one-time code. */
export const INVITABLE_RELATIONS = ['family', 'tenant'] as const satisfies readonly MembershipRelation[];
/** How long an owner's invite code works. */
export const INVITE_TTL_HOURS = 72;

/** The membership rules in one place: the server enforces them, the app shows only what they allow. */
export const membershipRules = {
  /** Only verified members act for a household (co-sign, vote, be counted). */
  actsForHousehold: (m: { status: MembershipStatus }) => m.status === 'verified',
  /** Under a civil_code_* rule only a verified owner casts the household's vote (or a recorded proxy). */
  votesUnderCivilCode: (m: { status: MembershipStatus; relation: MembershipRelation }) => m.status === 'verified' && m.relation === 'owner',
  mayInvite: (m: { status: MembershipStatus; relation: MembershipRelation }) => m.status === 'verified' && m.relation === 'owner',
  /** Staff decide pending requests; a verified or pending one may be removed (by staff, or by the member leaving). */
  mayVerify: (m: { status: MembershipStatus }) => m.status === 'pending',
  mayReject: (m: { status: MembershipStatus }) => m.status === 'pending',
  mayRemove: (m: { status: MembershipStatus }) => m.status === 'verified' || m.status === 'pending',
};

/** Who decides membership requests and finds residents: the staff over the household's building. */
export const MEMBERSHIP_VERIFIER_ROLES = ['grid_worker', 'secretary', 'admin'] as const satisfies readonly Role[];
/** Holds a role that verifies memberships, registers people and searches residents (the app shows those pages only then). */
export const mayVerifyMemberships = (roles: readonly Role[]): boolean => roles.some((role) => (MEMBERSHIP_VERIFIER_ROLES as readonly Role[]).includes(role));

/** Reasons a verifier picks from when refusing a request (or writes their own): what the person reads. */
export const MEMBERSHIP_REJECT_REASONS = [
  '台账中没有您的信息，请到社区居委会登记',
  '房号与台账不符，请核对后重新申请',
  '身份关系与台账不符，请重新选择',
  '无法联系到您核实，请联系网格员',
] as const;

/* ───────────── the invite's code as a link: what its QR opens ───────────── */

/** The page that accepts an owner's invite (a sub-package page: the mini-program code opens it with `scene=c=<code>`). */
export const INVITE_ACCEPT_PAGE = 'packages/household/accept/index';
/** The H5 link a camera's QR opens. */
export const inviteLink = (code: string) => `/#/${INVITE_ACCEPT_PAGE}?code=${encodeURIComponent(code)}`;
/** The mini-program code's scene (≤ 32 characters). */
export const inviteScene = (code: string) => `c=${code}`;
/** The code a page was opened with: `?code=` (H5 link, or typed) or the mini-program code's `scene` `c=<code>` (URL-encoded by WeChat). */
export function inviteCodeFromParams(params: Record<string, string | undefined>): string | null {
  const direct = params.code?.trim();
  if (direct && /^[A-Za-z0-9]{6,16}$/.test(direct)) return direct.toUpperCase();
  if (!params.scene) return null;
  let scene = params.scene;
  try {
    scene = decodeURIComponent(scene);
  } catch {
    // keep it as given
  }
  const match = /(?:^|&)c=([A-Za-z0-9]{6,16})(?:&|$)/.exec(scene);
  return match ? match[1].toUpperCase() : null;
}

/* ───────────── request schemas ───────────── */

const relation = z.enum(MEMBERSHIP_RELATIONS);
const reason = z.string().trim().min(2, '请写明原因').max(500);
/** Mainland mobile numbers; spaces and dashes are dropped before the check. */
export const phoneNumber = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^1\d{10}$/, '请填写 11 位手机号'));

/** `PUT /me/household`: ask to join a household, or pick the current one among those already verified. */
export const joinHouseholdBody = z.object({ householdId: z.number().int().positive(), relation: relation.optional() });
export type JoinHouseholdBody = z.infer<typeof joinHouseholdBody>;

export const membershipsQuery = pageQuery.extend({
  status: z.enum(MEMBERSHIP_STATUSES).default('pending'),
  nodeId: z.coerce.number().int().positive().optional(),
});
export const verifyMembershipBody = z.object({ relation: relation.optional() });
export const reasonBody = z.object({ reason });
export const createInviteBody = z.object({ relation: z.enum(INVITABLE_RELATIONS) });
export const inviteCodeParam = z.object({ code: z.string().trim().min(6).max(16).regex(/^[A-Za-z0-9]+$/) });
/** `GET /invites/:code/image`: `qr` (a camera opens the H5 link) or `wxacode` (WeChat opens the mini-program). */
export const inviteImageQuery = z.object({ format: z.enum(['qr', 'wxacode']).default('qr') });

export const residentsQuery = pageQuery.extend({
  /** a name (or part of it), the last four digits of a phone, a room (301, 3号楼 301), or a whole phone number */
  q: z.string().trim().min(1).max(40),
  nodeId: z.coerce.number().int().positive().optional(),
});
export const registerResidentBody = z.object({
  name: z.string().trim().min(1).max(32),
  phone: phoneNumber.optional(),
  householdId: z.number().int().positive(),
  relation,
});
export type RegisterResidentBody = z.infer<typeof registerResidentBody>;

/** `POST /me/phone`: the code from the mini-program's getPhoneNumber button. */
export const phoneCodeBody = z.object({ code: z.string().trim().min(1).max(128) });

/** Square metres of the 专有部分; null while unknown. */
export const householdAreaBody = z.object({ areaM2: z.number().positive().max(100_000).multipleOf(0.01).nullable() });

/* ───────────── responses ───────────── */

export interface MembershipInfo {
  id: number;
  relation: MembershipRelation;
  status: MembershipStatus;
  method: MembershipMethod;
  /** Why it was rejected or removed: the person is told. */
  reason: string | null;
}

/** One of the caller's households, as `GET /me` lists them. */
export interface MyHousehold {
  id: number;
  /** 3号楼 2单元 301 */
  label: string;
  buildingId: number;
  microgridId: number;
  current: boolean;
  membership: MembershipInfo;
}

/** A person as staff find them: never the full phone. */
export interface ResidentView {
  id: number;
  name: string;
  phoneMasked: string | null;
  /** has logged in with WeChat (else registered by staff or from the ledger) */
  usesApp: boolean;
  households: { id: number; label: string; relation: MembershipRelation; status: MembershipStatus }[];
}

/** A request in the 待核验 queue, with the ledger's people of that room beside it. */
export interface PendingMembershipView {
  id: number;
  status: MembershipStatus;
  relation: MembershipRelation;
  method: MembershipMethod;
  reason: string | null;
  createdAt: string;
  person: { id: number; name: string; phoneMasked: string | null; phoneVerified: boolean };
  household: { id: number; label: string; areaM2: number | null };
  /** who the household's verified members are now (from the ledger or verified before) */
  members: { id: number; name: string; phoneMasked: string | null; relation: MembershipRelation; method: MembershipMethod }[];
}

/** `GET /me/household/members`: who acts for the caller's current household with them (never a phone). */
export interface HouseholdMemberView {
  id: number;
  name: string;
  relation: MembershipRelation;
  /** has logged in with WeChat (else registered by staff or from the ledger) */
  usesApp: boolean;
  /** the caller themself */
  me: boolean;
}

/** `GET /memberships`: a page, with how many requests wait in the caller's scope (the workbench badge). */
export interface MembershipQueuePage {
  items: PendingMembershipView[];
  nextCursor: string | null;
  counts: { pending: number };
}

export interface InviteView {
  code: string;
  relation: MembershipRelation;
  expiresAt: string;
}
