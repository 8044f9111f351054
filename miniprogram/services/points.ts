import type {
  AwardBudget,
  AwardPointsBody,
  CreateRewardBody,
  Leaderboard,
  LeaderboardPeriod,
  LedgerEntryView,
  Page,
  PointsMe,
  Redemption,
  RedemptionAction,
  RedemptionStatus,
  Reward,
  UpdateRewardBody,
} from '@linli/shared';
import { LEADERBOARD_SIZE } from '@linli/shared';
import { api, ApiError, request } from './api';

export const POINTS_PAGE = '/packages/points/index';
export const MALL_PAGE = '/packages/points/mall/index';
export const LEADERBOARD_PAGE = '/packages/points/rank/index';
export const POINTS_ADMIN_PAGE = '/packages/workbench/points/index';
export const REWARDS_ADMIN_PAGE = '/packages/workbench/rewards/index';

export type PointsPage = PointsMe & Page<LedgerEntryView>;

export function getMyPoints(cursor?: string | null, options: { silent?: boolean } = {}): Promise<PointsPage> {
  return api.get<PointsMe>('/points/me', { query: { cursor: cursor ?? undefined, limit: 20 }, silent: options.silent }).then((page) => ({
    ...page,
    items: page.entries,
  }));
}

export interface LeaderboardScope {
  nodeId?: number;
  buildingId?: number;
}

/** The top of the board (at most LEADERBOARD_SIZE lines) and the caller's own line. */
export function getLeaderboard(scope: LeaderboardScope, period: LeaderboardPeriod, limit = LEADERBOARD_SIZE): Promise<Leaderboard> {
  return api.get<Leaderboard>('/points/leaderboard', { query: { nodeId: scope.nodeId, buildingId: scope.buildingId, period, limit } });
}

/** A good deed. The key makes a double tap or a retry pay once. */
export function awardPoints(body: AwardPointsBody, idempotencyKey: string): Promise<unknown> {
  return api.post<unknown>('/points/awards', body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

/** What the signed-in secretary may award: the most at once, and what is left this month. */
export function getAwardBudget(): Promise<AwardBudget> {
  return api.get<AwardBudget>('/points/awards/budget');
}

export function listRewards(all = false): Promise<Reward[]> {
  return api.get<Page<Reward> | { items: Reward[] }>('/rewards', { query: { all: all ? 'true' : undefined } }).then((page) => page.items);
}

export function createReward(body: CreateRewardBody): Promise<Reward> {
  return api.post<Reward>('/rewards', body);
}

export function updateReward(id: number, body: UpdateRewardBody): Promise<Reward> {
  return api.put<Reward>(`/rewards/${id}`, body);
}

export function redeemReward(id: number): Promise<Redemption> {
  return api.post<Redemption>(`/rewards/${id}/redeem`, {});
}

export interface RedemptionsQuery {
  scope: 'mine' | 'queue';
  status?: RedemptionStatus;
  cursor?: string | null;
}

export function listRedemptions(query: RedemptionsQuery): Promise<Page<Redemption>> {
  return api.get<Page<Redemption>>('/redemptions', { query: { scope: query.scope, status: query.status, cursor: query.cursor ?? undefined, limit: 20 } });
}

export function actOnRedemption(redemption: Pick<Redemption, 'id' | 'version'>, action: RedemptionAction): Promise<Redemption> {
  return request<Redemption>('POST', `/redemptions/${redemption.id}/${action}`, { body: { version: redemption.version } });
}

/** 409: stock gone, balance too low, someone acted first. The client already toasted the server's message. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'INVALID_TRANSITION');
}

/** +5 / −20 */
export function signed(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount);
}

export function newIdempotencyKey(): string {
  return `award-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
