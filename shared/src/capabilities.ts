import type { Me, Scope } from './identity';
import type { StaffRole } from './roles';

/**
 * Who may use which staff function: the one table the app reads to show an entry, a page or a button,
 * and the server reads in its checks (adding there the scope: a role held on a grid node reaches its
 * subtree). A volunteer holds a role on a node too, but is a resident who gives time, not staff: no
 * staff function is theirs.
 */
export const CAPABILITY_ROLES = {
  /** 工作台 and its 说事 queue: reports in the grids one triages, assigned to one, or sent to one's department. */
  handleReports: ['grid_worker', 'secretary', 'department', 'admin'],
  /** 代居民登记: file a report heard through another channel, or for a resident of one's scope; list whom a report may go to. */
  fileOnBehalf: ['grid_worker', 'secretary', 'admin'],
  /** 内容审核: release or remove held content. */
  reviewContent: ['secretary', 'admin'],
  /** 数据看板 and its export, over the nodes one holds. */
  readDashboard: ['grid_worker', 'secretary', 'admin'],
  /** 网格地图 (一图): report counts on the grids and report points, over the nodes one holds. */
  readGridMap: ['grid_worker', 'secretary', 'admin'],
  /** 一楼一码. */
  makeBuildingCodes: ['secretary', 'admin'],
  /** 住户台账: import, export, and fix a flat by hand. */
  keepLedger: ['secretary', 'admin'],
  /** 议事审核: review, closing votes, recording paper ballots and proxies, implementation, hiding comments. */
  reviewConsultations: ['secretary'],
  /** 文明积分: good-deed awards and the redemption queue. */
  awardPoints: ['secretary'],
  /** 商城奖品. */
  manageRewards: ['secretary'],
  /** 时间银行: tasks paid by the community, attendance, volunteers' applications. */
  runTimebank: ['secretary'],
  /** 社区公告: post a notice to a community, grid or building within one's scope, and see who read it. */
  postAnnouncements: ['grid_worker', 'secretary', 'admin'],
  /** 矛盾纠纷调处: register a walk-in, a referral or one's own finding for the parties, and follow it. */
  registerDisputes: ['grid_worker', 'secretary', 'mediator', 'admin'],
  /** Accept a case and assign (or reassign) a mediator, every case under one's node, the pools and the figures. */
  coordinateDisputes: ['secretary', 'admin'],
  /** Mediate the cases assigned to one (人民调解员). */
  mediateDisputes: ['mediator'],
  /** 网格管理 (the tree, renames, GeoJSON import). */
  manageGrids: ['admin'],
  /** 人员配置 (roles on grid nodes). */
  manageStaff: ['admin'],
  /** 类别与时限. */
  manageCategories: ['admin'],
  /** 开放接口密钥 (Open311). */
  manageOpen311Keys: ['admin'],
  /** 常用语: a community's canned replies for results, rejections and feedback notes (everyone handling reports picks from them). */
  manageCannedReplies: ['secretary', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Capability = keyof typeof CAPABILITY_ROLES;
export const CAPABILITIES = Object.keys(CAPABILITY_ROLES) as Capability[];

/** Whoever is signed in (or nobody yet). */
type Holder = Pick<Me, 'roles'> | null | undefined;

/** Holds one of the capability's roles somewhere (the server checks the place too). */
export function holdsCapability(me: Holder, capability: Capability): boolean {
  const roles: readonly StaffRole[] = CAPABILITY_ROLES[capability];
  return !!me && me.roles.some((role) => (roles as readonly string[]).includes(role));
}

/** The nodes on which the user holds the capability (no duplicates, in the order of `scopes`). */
export function capabilityNodeIds(me: Pick<Me, 'scopes'>, capability: Capability): number[] {
  const roles: readonly StaffRole[] = CAPABILITY_ROLES[capability];
  return [...new Set(me.scopes.filter((scope: Scope) => roles.includes(scope.role)).map((scope) => scope.nodeId))];
}

/** Works for the community (grid worker, secretary, department, admin): has a 工作台. */
export const isStaff = (me: Holder) => holdsCapability(me, 'handleReports');
export const mayFileOnBehalf = (me: Holder) => holdsCapability(me, 'fileOnBehalf');
export const mayReviewContent = (me: Holder) => holdsCapability(me, 'reviewContent');
export const mayReadDashboard = (me: Holder) => holdsCapability(me, 'readDashboard');
export const mayReadGridMap = (me: Holder) => holdsCapability(me, 'readGridMap');
export const mayKeepLedger = (me: Holder) => holdsCapability(me, 'keepLedger');
export const mayMakeBuildingCodes = (me: Holder) => holdsCapability(me, 'makeBuildingCodes');
export const mayReviewConsultations = (me: Holder) => holdsCapability(me, 'reviewConsultations');
export const mayAwardPoints = (me: Holder) => holdsCapability(me, 'awardPoints');
export const mayManageRewards = (me: Holder) => holdsCapability(me, 'manageRewards');
export const mayRunTimebank = (me: Holder) => holdsCapability(me, 'runTimebank');
export const mayPostAnnouncements = (me: Holder) => holdsCapability(me, 'postAnnouncements');
export const mayRegisterDisputes = (me: Holder) => holdsCapability(me, 'registerDisputes');
export const mayCoordinateDisputes = (me: Holder) => holdsCapability(me, 'coordinateDisputes');
export const mayMediateDisputes = (me: Holder) => holdsCapability(me, 'mediateDisputes');
/** The 调解 queue: a mediator's own cases, or every case under a coordinator's node. */
export const hasDisputeQueue = (me: Holder) => mayCoordinateDisputes(me) || mayMediateDisputes(me);
export const mayManageGrids = (me: Holder) => holdsCapability(me, 'manageGrids');
export const mayManageStaff = (me: Holder) => holdsCapability(me, 'manageStaff');
export const mayManageCategories = (me: Holder) => holdsCapability(me, 'manageCategories');
export const mayManageOpen311Keys = (me: Holder) => holdsCapability(me, 'manageOpen311Keys');
export const mayManageCannedReplies = (me: Holder) => holdsCapability(me, 'manageCannedReplies');

/**
 * What a bound household allows (`resident` is held by virtue of one): proposing, co-signing and
 * voting, redeeming rewards, gifting hours to family, applying to volunteer.
 */
export const mayActForHousehold = (me: Holder) => !!me && me.roles.includes('resident');
export const mayPropose = mayActForHousehold;
export const mayRedeem = mayActForHousehold;
export const mayGiftHours = mayActForHousehold;
/** A secretary posts tasks paid by the community; a resident asks for help with their own hours. */
export const mayPostTask = (me: Holder) => mayRunTimebank(me) || mayActForHousehold(me);
/** Claiming tasks, checking in and out: a volunteer's. */
export const mayClaimTasks = (me: Holder) => !!me && me.roles.includes('volunteer');
export const mayApplyToVolunteer = (me: Holder) => mayActForHousehold(me) && !mayClaimTasks(me);
