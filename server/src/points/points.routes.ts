import { z } from 'zod';
import {
  awardPointsBody,
  createRewardBody,
  idParam,
  leaderboardQuery,
  listRedemptionsQuery,
  listRewardsQuery,
  pointsMeQuery,
  REDEMPTION_ACTIONS,
  redemptionActionBody,
  updateRewardBody,
} from '@linli/shared';
import { auditNoteOf } from '../audit/audit-log';
import { route, type RouteSpec } from '../platform/route';
import type { PointsService } from './points.service';
import type { RewardsService } from './rewards.service';

export function pointsRoutes(points: PointsService, rewards: RewardsService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/points/me',
      tag: 'points',
      summary: 'My civility points: balance and history (newest first, each with its reason)',
      query: pointsMeQuery,
      handler: ({ actor, query }) => points.me(actor, query),
    }),
    route({
      method: 'get',
      path: '/points/leaderboard',
      tag: 'points',
      summary: '文明积分榜: points earned by residents of a building (buildingId) or grid node (nodeId; default my community), this month or all time',
      query: leaderboardQuery,
      handler: ({ actor, query }) => points.leaderboard(actor, query),
    }),
    route({
      method: 'post',
      path: '/points/awards',
      tag: 'points',
      summary: 'Secretary: award points for a good deed to a resident of their scope, not themselves or their household (403); at most POINTS_AWARD_MAX (400) and POINTS_AWARD_MONTHLY_MAX a month (409). Idempotency-Key: a retry pays once',
      body: awardPointsBody,
      status: 201,
      headers: [{ name: 'Idempotency-Key', description: 'the same key again returns the first award instead of paying twice' }],
      handler: ({ actor, body, ctx }) => points.awardGoodDeed(actor, body, headerKey(ctx.get('Idempotency-Key')), auditNoteOf(ctx)),
    }),
    route({
      method: 'get',
      path: '/points/awards/budget',
      tag: 'points',
      summary: 'Secretary: the most one award may pay (POINTS_AWARD_MAX) and what they may still award this month (POINTS_AWARD_MONTHLY_MAX)',
      handler: ({ actor }) => points.budget(actor),
    }),
    route({
      method: 'get',
      path: '/rewards',
      tag: 'points',
      summary: "The points mall of my community (a secretary's: also theirs; all=true includes rewards off the shelf)",
      query: listRewardsQuery,
      handler: ({ actor, query }) => rewards.list(actor, query.all === 'true'),
    }),
    route({
      method: 'post',
      path: '/rewards',
      tag: 'points',
      summary: "Secretary: put a reward on their community's shelf",
      body: createRewardBody,
      status: 201,
      handler: ({ actor, body }) => rewards.create(actor, body),
    }),
    route({
      method: 'put',
      path: '/rewards/:id',
      tag: 'points',
      summary: 'Secretary: edit a reward, set its stock, or take it off the shelf (active: false)',
      params: idParam,
      body: updateRewardBody,
      handler: ({ actor, params, body }) => rewards.update(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/rewards/:id/redeem',
      tag: 'points',
      summary: 'Resident: redeem a reward (409 CONFLICT when stock is gone or the balance too low)',
      params: idParam,
      status: 201,
      handler: ({ actor, params }) => rewards.redeem(actor, params.id),
    }),
    route({
      method: 'get',
      path: '/redemptions',
      tag: 'points',
      summary: "Redemptions: mine, or the secretary's queue of their communities",
      query: listRedemptionsQuery,
      handler: ({ actor, query }) => rewards.listRedemptions(actor, query),
    }),
    ...REDEMPTION_ACTIONS.map((action) =>
      route({
        method: 'post',
        path: `/redemptions/:id/${action}`,
        tag: 'points',
        summary: action === 'fulfil' ? 'Secretary: the reward was handed over' : 'Cancel a pending redemption: refunds the points and restores the stock',
        params: idParam,
        body: redemptionActionBody as z.ZodType<{ version?: number; note?: string }>,
        handler: ({ actor, params, body }) => rewards.act(actor, params.id, action, body),
      }),
    ),
  ];
}

function headerKey(value: string): string | null {
  const key = value.trim();
  return key && key.length <= 64 ? key : null;
}
