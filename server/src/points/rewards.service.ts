import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  availableRedemptionActions,
  canApplyRedemptionAction,
  REDEMPTION_RULES,
  REDEMPTION_STATUS_LABELS,
  type CreateRewardBody,
  type ListRedemptionsQuery,
  type Page,
  type Redemption,
  type RedemptionAction,
  type Reward as RewardView,
  type UpdateRewardBody,
  IMAGE_REVIEW_LABELS,
  nextCursor,
} from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { communitiesWhereActorHolds, placeOfUser } from '../ledger/community';
import { accountId, transfer } from '../ledger/ledger';
import { transactRetrying } from '../db/data-source';
import { withLock } from '../db/versioned-rows';
import { AppError, conflict, forbidden, notFound } from '../platform/errors';
import { RedemptionRow, Reward } from './points.entities';
import { assertOwnImage } from '../uploads/upload-registry';
import { UploadRow } from '../uploads/upload.entity';
import { imageReviews } from '../moderation/image-review';
import type { NotificationSink } from '../reports/report-notifications';

export const REWARDS_ADMIN_LINK = '/packages/workbench/rewards/index';

/**
 * The points mall: a community's rewards, redeemed by its residents. Stock is taken with a
 * conditional UPDATE (`stock > 0`) and points with the ledger's conditional debit, both in one
 * transaction, so the last item goes to exactly one of many at once and nobody pays for nothing.
 */
export class RewardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date = () => new Date(),
    private readonly notifications?: Pick<NotificationSink, 'enqueue'>,
  ) {}

  /* ───────── the shelf ───────── */

  async list(actor: Actor, includeInactive: boolean): Promise<Page<RewardView>> {
    await this.directory.ensureFresh();
    const managed = communitiesWhereActorHolds(this.directory, actor, ['secretary']);
    const seen = communitiesWhereActorHolds(this.directory, actor, ['secretary', 'grid_worker', 'admin'], true);
    const place = await placeOfUser(this.dataSource.manager, this.directory, actor);
    const communities = [...new Set([...seen, ...(place?.communityId ? [place.communityId] : [])])];
    if (!communities.length) return { items: [], nextCursor: null };
    const rows = await this.dataSource.getRepository(Reward).find({ where: { communityId: In(communities) }, order: { cost: 'ASC', id: 'ASC' } });
    const shown = rows.filter((r) => r.active || (includeInactive && managed.includes(r.communityId)));
    return { items: await this.rewardViews(shown, (r) => managed.includes(r.communityId)), nextCursor: null };
  }

  async create(actor: Actor, body: CreateRewardBody): Promise<RewardView> {
    await this.directory.ensureFresh();
    const communityId = body.communityId ?? communitiesWhereActorHolds(this.directory, actor, ['secretary'])[0];
    const community = communityId ? this.directory.node(communityId) : undefined;
    if (!community) throw forbidden('只有社区书记可以上架奖品');
    if (community.level !== 'community') throw new AppError('VALIDATION_FAILED', '奖品须属于一个社区', [{ path: 'body.communityId', message: '奖品须属于一个社区' }]);
    if (!holdsRoleOver(actor, ['secretary'], community.path)) throw forbidden('只能为本社区上架奖品');
    await assertOwnImage(this.dataSource.manager, actor.userId, body.imageUrl, 'body.imageUrl');
    const repo = this.dataSource.getRepository(Reward);
    const saved = await repo.save(
      repo.create({
        communityId: community.id,
        name: body.name,
        cost: body.cost,
        stock: body.stock,
        description: body.description || null,
        imageUrl: body.imageUrl ?? null,
        active: true,
        createdById: actor.userId,
      }),
    );
    return (await this.rewardViews([saved], () => true))[0];
  }

  /** Edit, restock (stock is set as counted on the shelf) or take off the shelf. */
  async update(actor: Actor, id: number, body: UpdateRewardBody): Promise<RewardView> {
    const reward = await this.managedReward(actor, id);
    // Another secretary editing the reward may send its picture back as it was.
    await assertOwnImage(this.dataSource.manager, actor.userId, body.imageUrl, 'body.imageUrl', [reward.imageUrl]);
    const fields: Partial<Reward> = {};
    if (body.name !== undefined) fields.name = body.name;
    if (body.cost !== undefined) fields.cost = body.cost;
    if (body.stock !== undefined) fields.stock = body.stock;
    if (body.description !== undefined) fields.description = body.description || null;
    if (body.imageUrl !== undefined) fields.imageUrl = body.imageUrl;
    if (body.active !== undefined) fields.active = body.active;
    if (Object.keys(fields).length) await this.dataSource.getRepository(Reward).update({ id: reward.id }, fields);
    return (await this.rewardViews([await this.dataSource.getRepository(Reward).findOneByOrFail({ id })], () => true))[0];
  }

  /**
   * A picture is shown to residents only once its content check passed, like any resident's photo;
   * the secretaries who manage the reward see it with where its check stands.
   */
  private async rewardViews(rows: Reward[], manages: (r: Reward) => boolean): Promise<RewardView[]> {
    const reviews = await imageReviews(this.dataSource.manager, rows.map((r) => r.imageUrl));
    return rows.map((r) => {
      const review = r.imageUrl ? reviews.get(r.imageUrl)! : null;
      if (manages(r)) return { ...rewardView(r), imageReview: review };
      return { ...rewardView(r), imageUrl: review === 'passed' ? r.imageUrl : null };
    });
  }

  /** An image's check came back flagged: whoever set it as a reward's picture is told to change it. */
  async imageRefused(manager: EntityManager, url: string): Promise<void> {
    const rewards = (await manager.getRepository(Reward).findBy({ imageUrl: url })).filter((r) => r.imageUrl === url);
    const upload = await manager.getRepository(UploadRow).findOneBy({ url });
    if (!rewards.length || !upload || upload.url !== url || !this.notifications) return;
    await this.notifications.enqueue(
      manager,
      rewards.map((r) => ({
        userId: upload.uploaderId,
        kind: 'reward.image_refused',
        title: `奖品图片未通过检测：${r.name}`,
        body: IMAGE_REVIEW_LABELS.refused,
        link: REWARDS_ADMIN_LINK,
        dedupeKey: `reward-image-refused:${r.id}:${upload.id}`,
      })),
    );
  }

  private async managedReward(actor: Actor, id: number): Promise<Reward> {
    await this.directory.ensureFresh();
    const reward = await this.dataSource.getRepository(Reward).findOneBy({ id });
    const community = reward && this.directory.node(reward.communityId);
    if (!reward || !community) throw notFound('奖品');
    if (!holdsRoleOver(actor, ['secretary'], community.path)) throw holdsRole(actor, ['secretary']) ? notFound('奖品') : forbidden('只有社区书记可以管理奖品');
    return reward;
  }

  /* ───────── redeeming ───────── */

  async redeem(actor: Actor, rewardId: number): Promise<Redemption> {
    await this.directory.ensureFresh();
    const reward = await this.dataSource.getRepository(Reward).findOneBy({ id: rewardId });
    if (!reward || !reward.active) throw notFound('奖品');
    const place = await placeOfUser(this.dataSource.manager, this.directory, actor);
    if (!place) throw forbidden('请先绑定住户再兑换奖品');
    // Another community's shelf is not shown to this resident.
    if (place.communityId !== reward.communityId) throw notFound('奖品');
    const id = await transactRetrying(this.dataSource, async (manager) => {
      const taken = await manager
        .createQueryBuilder()
        .update(Reward)
        .set({ stock: () => 'stock - 1' })
        .where('id = :id AND stock > 0 AND active = :active', { id: reward.id, active: true })
        .execute();
      if (!taken.affected) throw conflict(`「${reward.name}」已兑完，请选择其他奖品`);
      const redemption = await manager.getRepository(RedemptionRow).save(
        manager.getRepository(RedemptionRow).create({ rewardId: reward.id, userId: actor.userId, communityId: reward.communityId, cost: reward.cost, status: 'pending', version: 0 }),
      );
      await transfer(manager, {
        unit: 'points',
        fromAccountId: await accountId(manager, 'points', 'user', actor.userId),
        toAccountId: await accountId(manager, 'points', 'sink', reward.communityId),
        amount: reward.cost,
        reason: 'redeem',
        memo: `兑换 ${reward.name}`,
        sourceKey: `redemption:${redemption.id}`,
        insufficient: `积分不足：兑换「${reward.name}」需要 ${reward.cost} 分`,
      });
      return redemption.id;
    });
    return this.view(actor, id);
  }

  /** fulfil (handed over) or cancel (refunds the points and puts the item back), each once. */
  async act(actor: Actor, id: number, action: RedemptionAction, body: { version?: number; note?: string }): Promise<Redemption> {
    await this.directory.ensureFresh();
    await transactRetrying(this.dataSource, async (manager) => {
      const redemption = await withLock(manager.getRepository(RedemptionRow).createQueryBuilder('r'), manager).where('r.id = :id', { id }).getOne();
      if (!redemption) throw notFound('兑换记录');
      const relation = this.relation(actor, redemption);
      if (!relation.isOwner && !relation.secretaryInScope) throw notFound('兑换记录');
      if (body.version !== undefined && body.version !== redemption.version) throw conflict('兑换记录刚被更新过，请刷新后再操作');
      if (!REDEMPTION_RULES[action].from.includes(redemption.status)) {
        throw new AppError('INVALID_TRANSITION', `兑换记录当前为「${REDEMPTION_STATUS_LABELS[redemption.status]}」，不能再${action === 'fulfil' ? '核销' : '取消'}`);
      }
      if (!canApplyRedemptionAction(action, redemption.status, relation)) throw forbidden();
      const at = this.now();
      const changes: Partial<RedemptionRow> =
        action === 'fulfil'
          ? { status: 'fulfilled', fulfilledAt: at, handledById: actor.userId, note: body.note ?? null, version: redemption.version + 1 }
          : { status: 'cancelled', cancelledAt: at, handledById: actor.userId, note: body.note ?? null, version: redemption.version + 1 };
      const updated = await manager.getRepository(RedemptionRow).update({ id, version: redemption.version, status: redemption.status }, changes);
      if (!updated.affected) throw conflict('兑换记录刚被更新过，请刷新后再操作');
      if (action === 'cancel') await this.refund(manager, redemption);
    });
    return this.view(actor, id);
  }

  private async refund(manager: EntityManager, redemption: RedemptionRow) {
    await manager
      .createQueryBuilder()
      .update(Reward)
      .set({ stock: () => 'stock + 1' })
      .where('id = :id', { id: redemption.rewardId })
      .execute();
    const reward = await manager.getRepository(Reward).findOneBy({ id: redemption.rewardId });
    await transfer(manager, {
      unit: 'points',
      fromAccountId: await accountId(manager, 'points', 'sink', redemption.communityId),
      toAccountId: await accountId(manager, 'points', 'user', redemption.userId),
      amount: redemption.cost,
      reason: 'redeem_refund',
      memo: `取消兑换 ${reward?.name ?? ''}，积分退回`,
      sourceKey: `redemption:${redemption.id}:refund`,
    });
  }

  /* ───────── reading ───────── */

  async listRedemptions(actor: Actor, query: ListRedemptionsQuery): Promise<Page<Redemption>> {
    await this.directory.ensureFresh();
    const q = this.dataSource.getRepository(RedemptionRow).createQueryBuilder('r');
    if (query.scope === 'mine') q.where('r.userId = :me', { me: actor.userId });
    else {
      const communities = communitiesWhereActorHolds(this.directory, actor, ['secretary']);
      if (!communities.length) throw forbidden('只有社区书记可以查看兑换核销队列');
      q.where('r.communityId IN (:...communities)', { communities });
    }
    if (query.status) q.andWhere('r.status = :status', { status: query.status });
    if (query.cursor) q.andWhere('r.id < :cursor', { cursor: query.cursor });
    const rows = await q.orderBy('r.id', 'DESC').take(query.limit + 1).getMany();
    const page = rows.slice(0, query.limit);
    return { items: await this.views(actor, page), nextCursor: nextCursor(rows, query.limit) };
  }

  private relation(actor: Actor, r: RedemptionRow) {
    const community = this.directory.node(r.communityId);
    return { isOwner: r.userId === actor.userId, secretaryInScope: !!community && holdsRoleOver(actor, ['secretary'], community.path) };
  }

  private async view(actor: Actor, id: number): Promise<Redemption> {
    const row = await this.dataSource.getRepository(RedemptionRow).findOneByOrFail({ id });
    return (await this.views(actor, [row]))[0];
  }

  private async views(actor: Actor, rows: RedemptionRow[]): Promise<Redemption[]> {
    if (!rows.length) return [];
    const rewards = await this.dataSource.getRepository(Reward).findBy({ id: In([...new Set(rows.map((r) => r.rewardId))]) });
    const users = await this.dataSource.getRepository(User).findBy({ id: In([...new Set(rows.map((r) => r.userId))]) });
    const rewardById = new Map(rewards.map((r) => [r.id, r]));
    const userById = new Map(users.map((u) => [u.id, u]));
    const reviews = await imageReviews(this.dataSource.manager, rewards.map((r) => r.imageUrl));
    return rows.map((r) => {
      const reward = rewardById.get(r.rewardId);
      const imageUrl = reward?.imageUrl && reviews.get(reward.imageUrl) === 'passed' ? reward.imageUrl : null;
      return {
        id: r.id,
        status: r.status,
        version: r.version,
        reward: { id: r.rewardId, name: reward?.name ?? '', imageUrl },
        user: { id: r.userId, nickname: userById.get(r.userId)?.nickname ?? '' },
        cost: r.cost,
        createdAt: iso(r.createdAt)!,
        fulfilledAt: iso(r.fulfilledAt),
        cancelledAt: iso(r.cancelledAt),
        actions: availableRedemptionActions(r.status, this.relation(actor, r)),
      };
    });
  }
}

function rewardView(r: Reward): RewardView {
  return {
    id: r.id,
    communityId: r.communityId,
    name: r.name,
    cost: r.cost,
    stock: r.stock,
    description: r.description,
    imageUrl: r.imageUrl,
    active: !!r.active,
  };
}

function iso(d: Date | null): string | null {
  return d ? new Date(d).toISOString() : null;
}

