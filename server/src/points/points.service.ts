import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  chinaDay,
  maskName,
  chinaMonth,
  chinaMonthStart,
  POINT_RULES,
  STAFF_ROLES,
  type AwardBudget,
  type AwardPointsBody,
  type Leaderboard,
  type LeaderboardEntry,
  type LeaderboardQuery,
  type PointRule,
  type PointsMe,
  type PointsMeQuery,
} from '@linli/shared';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { communityOf, isUniqueViolation, placeOfUser } from '../ledger/community';
import { accountId, balanceOf, findAccount, historyOf, transfer } from '../ledger/ledger';
import { NO_AUDIT, type AuditNote } from '../audit/audit-log';
import type { AwardLimits } from '../config';
import { transactRetrying } from '../db/data-source';
import { withLock } from '../db/versioned-rows';
import { AppError, conflict, fieldError, forbidden, notFound } from '../platform/errors';
import { AwarderMonth, PointAward } from './points.entities';

/** The defaults of POINTS_AWARD_MAX and POINTS_AWARD_MONTHLY_MAX (config.ts). */
export const DEFAULT_AWARD_LIMITS: AwardLimits = { maxPerAward: 50, monthlyMax: 500 };

export interface AwardInput {
  userId: number;
  rule: PointRule;
  /** What the award is for (report id, consultation id, comment id, claim id…): one award per (user, rule, source). */
  sourceKey: string | number;
  /** Required for rules without a fixed amount (good deed, volunteer hours). */
  points?: number;
  /** Shown in the user's history; default the rule's label. */
  note?: string;
  /** The place the deed concerns, to pick the paying community; default the user's household. */
  path?: string;
  /** The paying community when the caller knows it (the seed). */
  communityId?: number;
  /** The staff member who awards it: the award counts against their monthly maximum (409 CONFLICT beyond). */
  awardedById?: number;
}

export type AwardOutcome = { awarded: true; award: PointAward } | { awarded: false; reason: 'duplicate' | 'capped' | 'nothing' };

/** What other modules need: award inside their own transaction. */
export interface PointsAwarder {
  award(manager: EntityManager, input: AwardInput): Promise<AwardOutcome>;
}

/**
 * Civility points (文明积分): awards by rule, the resident's balance and history, leaderboards.
 * Points come out of the community's issuing account (the only one that goes below zero) into the
 * user's; the mall (rewards.service.ts) sends them on to the community's sink.
 */
export class PointsService implements PointsAwarder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date = () => new Date(),
    private readonly limits: AwardLimits = DEFAULT_AWARD_LIMITS,
  ) {}

  /**
   * Pays an award inside the caller's transaction, at most once per (user, rule, source): the unique
   * key decides between two attempts at once. A capped rule takes the first free numbered slot of the
   * day, also under a unique key, so the cap holds when awards race. Nothing is thrown for a repeat or
   * a capped award: the caller's action goes on, unpaid.
   */
  async award(manager: EntityManager, input: AwardInput): Promise<AwardOutcome> {
    const rule = POINT_RULES[input.rule];
    const points = input.points ?? rule.points;
    if (!points || points <= 0 || !Number.isInteger(points)) return { awarded: false, reason: 'nothing' };
    const sourceKey = String(input.sourceKey).slice(0, 64);
    const awards = manager.getRepository(PointAward);
    const key = { userId: input.userId, rule: input.rule, sourceKey };
    if (await awards.existsBy(key)) return { awarded: false, reason: 'duplicate' };

    const communityId = await this.payingCommunity(manager, input);
    const day = chinaDay(this.now());
    const slots: (number | null)[] = rule.dailyCap ? Array.from({ length: rule.dailyCap }, (_, i) => i + 1) : [null];
    let awardId: number | null = null;
    for (const slot of slots) {
      try {
        const inserted = await awards.insert({
          ...key,
          day,
          slot,
          points,
          communityId,
          note: input.note?.slice(0, 200) ?? null,
          awardedById: input.awardedById ?? null,
          entryId: 0,
        });
        awardId = Number(inserted.identifiers[0].id);
        break;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Either this very award landed first (a retry), or the slot is taken: try the next one.
        const repeat = await withLock(awards.createQueryBuilder('a'), manager, 'pessimistic_read')
          .where('a.userId = :userId AND a.rule = :rule AND a.sourceKey = :sourceKey', key)
          .getExists();
        if (repeat) return { awarded: false, reason: 'duplicate' };
      }
    }
    if (awardId === null) return { awarded: false, reason: 'capped' };
    if (input.awardedById) await this.chargeAwarder(manager, input.awardedById, points);
    const entry = await transfer(manager, {
      unit: 'points',
      fromAccountId: await accountId(manager, 'points', 'issuing', communityId),
      toAccountId: await accountId(manager, 'points', 'user', input.userId),
      amount: points,
      reason: 'award',
      memo: input.note ? `${rule.label}：${input.note}` : rule.label,
      sourceKey: `award:${awardId}`,
    });
    await awards.update({ id: awardId }, { entryId: entry.id });
    return { awarded: true, award: await awards.findOneByOrFail({ id: awardId }) };
  }

  /**
   * Counts an award against its awarder's China month: one conditional UPDATE of their counter row, so
   * awards racing each other are decided one after the other on the latest total (a row lock on
   * MySQL/MariaDB; the embedded database runs transactions one at a time). Beyond the maximum: 409, and
   * the caller's transaction rolls back the award.
   */
  private async chargeAwarder(manager: EntityManager, awarderId: number, points: number): Promise<void> {
    const month = chinaMonth(this.now());
    const months = manager.getRepository(AwarderMonth);
    if (!(await months.existsBy({ awarderId, month }))) {
      try {
        await months.insert({ awarderId, month, points: 0 });
      } catch (err) {
        // Another award of the same awarder created it first: the UPDATE below waits for it.
        if (!isUniqueViolation(err)) throw err;
      }
    }
    const max = this.limits.monthlyMax;
    const charged = await manager
      .createQueryBuilder()
      .update(AwarderMonth)
      .set({ points: () => 'points + :points' })
      .where('awarderId = :awarderId AND month = :month AND points + :points <= :max')
      .setParameters({ awarderId, month, points, max })
      .execute();
    if (charged.affected) return;
    const used = (await months.findOneBy({ awarderId, month }))?.points ?? 0;
    throw conflict(`本月您已奖励 ${used} 分，每月最多 ${max} 分，还可奖励 ${Math.max(0, max - used)} 分`);
  }

  /** What a secretary may still award this month. */
  async budget(actor: Actor): Promise<AwardBudget> {
    if (!holdsRole(actor, ['secretary'])) throw forbidden('只有社区书记可以奖励积分');
    const month = chinaMonth(this.now());
    const used = (await this.dataSource.getRepository(AwarderMonth).findOneBy({ awarderId: actor.userId, month }))?.points ?? 0;
    const { maxPerAward, monthlyMax } = this.limits;
    return { maxPerAward, monthlyMax, month, awardedThisMonth: used, remainingThisMonth: Math.max(0, monthlyMax - used) };
  }

  private async payingCommunity(manager: EntityManager, input: AwardInput): Promise<number> {
    if (input.communityId) return input.communityId;
    if (input.path) {
      const community = communityOf(this.directory, input.path);
      if (community) return community.id;
    }
    const user = await manager.getRepository(User).findOneBy({ id: input.userId });
    const place = user ? await placeOfUser(manager, this.directory, user) : null;
    return place?.communityId ?? 0;
  }

  /**
   * A secretary's award for a good deed, for a resident of their scope, never themselves or their own
   * household, at most POINTS_AWARD_MAX at once and POINTS_AWARD_MONTHLY_MAX a month (chargeAwarder).
   * Retried with the same Idempotency-Key, it pays (and counts) once. The award is written to the audit
   * log in its own transaction.
   */
  async awardGoodDeed(actor: Actor, body: AwardPointsBody, idempotencyKey: string | null, audit: AuditNote = NO_AUDIT) {
    if (body.points > this.limits.maxPerAward) throw fieldError('body.points', `单次最多奖励 ${this.limits.maxPerAward} 分`);
    await this.directory.ensureFresh();
    const user = await this.dataSource.getRepository(User).findOneBy({ id: body.userId });
    if (!user) throw notFound('居民');
    const place = await placeOfUser(this.dataSource.manager, this.directory, user);
    if (!place) throw new AppError('VALIDATION_FAILED', '该居民尚未绑定住户', [{ path: 'body.userId', message: '该居民尚未绑定住户' }]);
    // A secretary whose scope does not reach the resident cannot see them (404); anyone else may not award at all (403).
    if (!holdsRoleOver(actor, ['secretary'], place.path)) throw holdsRole(actor, ['secretary']) ? notFound('居民') : forbidden('只有社区书记可以奖励积分');
    if (user.id === actor.userId || (actor.householdId !== null && user.householdId === actor.householdId)) {
      throw forbidden('不能给自己或同一户的家人奖励积分，请由其他工作人员评定');
    }
    const sourceKey = `${actor.userId}:${idempotencyKey ?? randomUUID()}`;
    const outcome = await transactRetrying(this.dataSource, async (manager) => {
      const done = await this.award(manager, { userId: user.id, rule: 'good_deed', sourceKey, points: body.points, note: body.note, path: place.path, awardedById: actor.userId });
      if (done.awarded) await audit.record(manager, { awardId: done.award.id, userId: user.id, points: done.award.points, note: done.award.note });
      return done;
    });
    const award = outcome.awarded
      ? outcome.award
      : await this.dataSource.getRepository(PointAward).findOneByOrFail({ userId: user.id, rule: 'good_deed', sourceKey: sourceKey.slice(0, 64) });
    return {
      id: award.id,
      userId: user.id,
      nickname: user.nickname,
      rule: award.rule,
      points: award.points,
      note: award.note,
      balance: await balanceOf(this.dataSource.manager, 'points', 'user', user.id),
      createdAt: new Date(award.createdAt).toISOString(),
    };
  }

  async me(actor: Actor, query: PointsMeQuery): Promise<PointsMe> {
    const manager = this.dataSource.manager;
    const account = await findAccount(manager, 'points', 'user', actor.userId);
    const history = await historyOf(manager, account?.id ?? null, query);
    return { balance: account?.balance ?? 0, entries: history.items, nextCursor: history.nextCursor };
  }

  /**
   * 文明积分榜: points earned (awards, not what is left after redemptions) by residents whose household
   * lies in a building, or under a grid node, this month (China time) or all time. Nicknames only.
   */
  async leaderboard(actor: Actor, query: LeaderboardQuery): Promise<Leaderboard> {
    await this.directory.ensureFresh();
    const manager = this.dataSource.manager;
    const mine = await placeOfUser(manager, this.directory, actor);
    let scope: Leaderboard['scope'];
    let path: string;
    if (query.buildingId) {
      const building = await manager.getRepository(Building).findOneBy({ id: query.buildingId });
      const node = building && this.directory.node(building.microgridId);
      if (!building || !node) throw notFound('楼栋');
      scope = { kind: 'building', id: building.id, name: building.name };
      path = node.path;
    } else {
      const nodeId = query.nodeId ?? mine?.communityId ?? actor.scopes[0]?.nodeId;
      if (!nodeId) throw new AppError('VALIDATION_FAILED', '请选择社区、网格或楼栋', [{ path: 'query.nodeId', message: '必填' }]);
      const node = this.directory.node(nodeId);
      if (!node) throw notFound('网格');
      scope = { kind: 'node', id: node.id, name: node.name };
      path = node.path;
    }
    const community = communityOf(this.directory, path);
    const neighbour = !!mine && !!community && mine.communityId === community.id;
    if (!neighbour && !holdsRoleOver(actor, STAFF_ROLES, path)) throw forbidden('只能查看本社区的积分榜');

    const since = query.period === 'month' ? chinaMonthStart(this.now()) : null;
    const q = manager
      .getRepository(PointAward)
      .createQueryBuilder('pa')
      .select('pa.userId', 'userId')
      .addSelect('SUM(pa.points)', 'points')
      .innerJoin('users', 'u', 'u.id = pa.userId')
      // Where one lives is one's current household, counted once verified.
      .innerJoin('household_memberships', 'm', "m.userId = u.id AND m.householdId = u.householdId AND m.status = 'verified'")
      .innerJoin('households', 'h', 'h.id = u.householdId')
      .innerJoin('buildings', 'b', 'b.id = h.buildingId')
      .innerJoin('grid_nodes', 'g', 'g.id = b.microgridId');
    if (scope.kind === 'building') q.where('b.id = :buildingId', { buildingId: scope.id });
    else q.where('g.path LIKE :prefix', { prefix: `${path}%` });
    if (since) q.andWhere('pa.createdAt >= :since', { since });
    const totals: { userId: number; points: number }[] = (await q.groupBy('pa.userId').getRawMany()).map((r) => ({ userId: Number(r.userId), points: Number(r.points) }));
    totals.sort((a, b) => b.points - a.points || a.userId - b.userId);
    // Competition ranking: equal points share a rank (1, 2, 2, 4).
    const ranked = totals.map((t) => ({ ...t, rank: 1 + totals.findIndex((x) => x.points === t.points) }));
    const shown = ranked.slice(0, query.limit);
    const meRow = ranked.find((r) => r.userId === actor.userId) ?? null;
    const ids = [...new Set([...shown.map((r) => r.userId), ...(meRow ? [meRow.userId] : [])])];
    const users = ids.length ? await manager.getRepository(User).createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany() : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    const tied = new Map<number, number>();
    for (const r of ranked) tied.set(r.rank, (tied.get(r.rank) ?? 0) + 1);
    const line = (r: { userId: number; points: number; rank: number }): LeaderboardEntry => {
      const user = byId.get(r.userId);
      const isMe = r.userId === actor.userId;
      // A neighbour's name is theirs to show: masked for everyone else unless they opted in.
      const shown = isMe || !!user?.showNameOnLeaderboard;
      const name = user?.nickname ?? '居民';
      return { rank: r.rank, tied: tied.get(r.rank) ?? 1, userId: r.userId, nickname: shown ? name : maskName(name), masked: !shown, isMe, avatarUrl: shown ? (user?.avatarUrl ?? null) : null, points: r.points };
    };
    return { scope, period: query.period, since: since?.toISOString() ?? null, items: shown.map(line), me: meRow ? line(meRow) : null };
  }
}
