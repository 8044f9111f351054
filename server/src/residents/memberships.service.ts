import { In, Not, type DataSource, type EntityManager } from 'typeorm';
import {
  maskPhone,
  nextCursor,
  MEMBERSHIP_RELATION_LABELS,
  MEMBERSHIP_VERIFIER_ROLES,
  membershipRules,
  type HouseholdMemberView,
  type JoinHouseholdBody,
  type MembershipQueuePage,
  type MembershipRelation,
  type PendingMembershipView,
  type MembershipStatus,
} from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import { withLock } from '../db/versioned-rows';
import type { GridDirectory } from '../grids/grid-directory';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { conflict, forbidden, notFound } from '../platform/errors';
import type { NotificationSink } from '../reports/report-notifications';
import { staffOnNodes } from '../reports/report-notifications';
import { pathIds } from '../grids/grid-path';
import { householdLabels } from './membership-view';
import { HouseholdMembership } from './membership.entity';
import { claimLedgerPerson } from './ledger-person';
import { phoneColumns } from '../privacy/phone-index';
import { householdPathOf, householdsUnder, personName } from './household-place';

/** Who decides membership requests: the staff over the household's building. */
export const VERIFIER_ROLES = MEMBERSHIP_VERIFIER_ROLES;

export const MEMBERSHIPS_PAGE = '/pages/bind/index';

/**
 * Memberships: a person asks to join a household (pending), staff over the building verify or reject
 * it, the ledger's phone verifies it at once (roster), an owner's invite verifies it (invites.service.ts);
 * later a member may be removed. The person's current household (`users.householdId`) is the one they
 * act for; only a verified membership there makes them act for it (identity.service.ts readActor).
 */
export class MembershipsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly notifications: NotificationSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `PUT /me/household`: picks a household already verified, or asks to join one. */
  async join(actor: Actor, body: JoinHouseholdBody): Promise<void> {
    await transactRetrying(this.dataSource, async (manager) => {
      // One person's requests are decided one at a time: "a pending request per person" holds under races.
      const user = await lockUser(manager, actor.userId);
      const household = await manager.getRepository(Household).findOneBy({ id: body.householdId });
      if (!household) throw notFound('住户');
      const memberships = manager.getRepository(HouseholdMembership);
      const existing = await memberships.findOneBy({ householdId: household.id, userId: user.id });
      if (existing && (existing.status === 'verified' || existing.status === 'pending')) {
        await manager.getRepository(User).update({ id: user.id }, { householdId: household.id });
        return;
      }
      const otherPending = await memberships.findOneBy({ userId: user.id, status: 'pending', householdId: Not(household.id) });
      if (otherPending) {
        const label = (await householdLabels(manager, [otherPending.householdId])).get(otherPending.householdId)?.label ?? '';
        throw conflict(`您申请加入「${label}」的请求还在核验中，核验后才能再申请`);
      }
      const relation = body.relation ?? 'owner';
      const rosterMatch = await this.rosterMatch(manager, user, household.id);
      const status: MembershipStatus = rosterMatch ? 'verified' : 'pending';
      const fields = {
        relation: rosterMatch?.relation ?? relation,
        status,
        method: rosterMatch ? ('roster' as const) : ('request' as const),
        reason: null,
        decidedById: null,
        decidedAt: rosterMatch ? this.now() : null,
      };
      if (existing) await memberships.update({ id: existing.id }, { ...fields, version: existing.version + 1 });
      else await memberships.insert({ householdId: household.id, userId: user.id, version: 0, ...fields });
      if (rosterMatch && rosterMatch.userId !== user.id) await claimLedgerPerson(manager, rosterMatch.userId, user.id);
      // A request for a second flat does not take the person away from the one they act for now.
      const actsForCurrent = user.householdId !== null && (await memberships.existsBy({ userId: user.id, householdId: user.householdId, status: 'verified' }));
      if (rosterMatch || !actsForCurrent) await manager.getRepository(User).update({ id: user.id }, { householdId: household.id });
      if (!rosterMatch) await this.tellVerifiers(manager, household.id, user, relation);
    });
    this.notifications.kick();
  }

  /**
   * The ledger lists this person's phone for that room: a verified member of the household whose phone
   * hash equals the caller's WeChat-confirmed phone. Only a confirmed phone counts (anyone can type one).
   */
  private async rosterMatch(manager: EntityManager, user: User, householdId: number): Promise<{ userId: number; relation: MembershipRelation } | null> {
    if (!user.phoneVerifiedAt) return null;
    const own = await manager.getRepository(User).createQueryBuilder('u').addSelect('u.phoneHash').where('u.id = :id', { id: user.id }).getOne();
    if (!own?.phoneHash) return null;
    const row = await manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .innerJoin(User, 'u', 'u.id = m.userId')
      .where('m.householdId = :householdId', { householdId })
      .andWhere('m.status = :verified', { verified: 'verified' })
      .andWhere('u.phoneHash = :hash', { hash: own.phoneHash })
      .andWhere('(u.openid IS NULL OR u.id = :me)', { me: user.id })
      .orderBy('m.id', 'ASC')
      .getOne();
    return row ? { userId: row.userId, relation: row.relation } : null;
  }

  /**
   * WeChat confirmed the caller's phone (getPhoneNumber): it is stored (encrypted, hashed, tail) and a
   * pending request is verified at once where the ledger lists that phone for the room.
   */
  async confirmPhone(actor: Actor, phone: string): Promise<void> {
    await transactRetrying(this.dataSource, async (manager) => {
      const user = await lockUser(manager, actor.userId);
      await manager.getRepository(User).update({ id: user.id }, { ...phoneColumns(phone), phoneVerifiedAt: this.now() });
      const pending = await manager.getRepository(HouseholdMembership).findBy({ userId: user.id, status: 'pending' });
      const confirmed = await lockUser(manager, actor.userId);
      for (const m of pending) {
        const match = await this.rosterMatch(manager, confirmed, m.householdId);
        if (!match) continue;
        await manager.getRepository(HouseholdMembership).update(
          { id: m.id },
          { status: 'verified', method: 'roster', relation: match.relation, decidedAt: this.now(), decidedById: null, version: m.version + 1 },
        );
        if (match.userId !== user.id) await claimLedgerPerson(manager, match.userId, user.id);
      }
    });
  }

  private async tellVerifiers(manager: EntityManager, householdId: number, user: User, relation: MembershipRelation): Promise<void> {
    const path = await householdPathOf(manager, this.directory, householdId);
    if (!path) return;
    const label = (await householdLabels(manager, [householdId])).get(householdId)?.label ?? '';
    const staff = await staffOnNodes(manager, pathIds(path), ['grid_worker']);
    await this.notifications.enqueue(
      manager,
      staff.map((userId) => ({
        userId,
        kind: 'membership.requested',
        title: '新的住户核验申请',
        body: `${personName(user)} 申请以${MEMBERSHIP_RELATION_LABELS[relation]}身份加入 ${label}`,
        link: MEMBERSHIP_QUEUE_PAGE,
        dedupeKey: `membership-request:${householdId}:${user.id}:${this.now().getTime()}`,
      })),
    );
  }

  /* ───────── the staff's 待核验 queue ───────── */

  async queue(actor: Actor, query: { status: MembershipStatus; nodeId?: number; cursor?: number; limit: number }): Promise<MembershipQueuePage> {
    if (!holdsRole(actor, VERIFIER_ROLES)) throw forbidden();
    await this.directory.ensureFresh();
    const scopes = this.scopePaths(actor, query.nodeId);
    if (scopes.length === 0) return { items: [], nextCursor: null, counts: { pending: 0 } };
    const manager = this.dataSource.manager;
    const q = manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .where('m.status = :status', { status: query.status })
      .andWhere(`m.householdId IN (${householdsUnder(manager, scopes).getQuery()})`)
      .setParameters(householdsUnder(manager, scopes).getParameters())
      .orderBy('m.id', 'DESC')
      .take(query.limit + 1);
    if (query.cursor) q.andWhere('m.id < :cursor', { cursor: query.cursor });
    const rows = await q.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.pendingViews(manager, page),
      nextCursor: nextCursor(rows, query.limit),
      counts: { pending: await this.pendingCount(manager, scopes) },
    };
  }

  /** How many requests wait in these scopes: the workbench's badge. */
  private async pendingCount(manager: EntityManager, scopes: string[]): Promise<number> {
    const inScope = householdsUnder(manager, scopes);
    return manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .where('m.status = :pending', { pending: 'pending' })
      .andWhere(`m.householdId IN (${inScope.getQuery()})`)
      .setParameters(inScope.getParameters())
      .getCount();
  }

  /**
   * `GET /me/household/members`: the verified members of the caller's current household, by name and
   * relation only (a time-bank gift picks among them). Only a verified member asks.
   */
  async householdMembers(actor: Actor): Promise<{ items: HouseholdMemberView[] }> {
    if (!actor.householdId) throw forbidden('核验通过后才能查看本户成员');
    const manager = this.dataSource.manager;
    const members = await manager.getRepository(HouseholdMembership).find({ where: { householdId: actor.householdId, status: 'verified' }, order: { id: 'ASC' } });
    const users = members.length ? await manager.getRepository(User).find({ select: { id: true, nickname: true, realName: true, openid: true }, where: { id: In(members.map((m) => m.userId)) } }) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return {
      items: members.flatMap((m) => {
        const u = byId.get(m.userId);
        return u ? [{ id: u.id, name: personName(u), relation: m.relation, usesApp: u.openid !== null, me: u.id === actor.userId }] : [];
      }),
    };
  }

  /** The staff's scope paths, narrowed to `nodeId` when it lies inside one of them. */
  private scopePaths(actor: Actor, nodeId: number | undefined): string[] {
    const mine = actor.scopes.filter((s) => (VERIFIER_ROLES as readonly string[]).includes(s.role)).map((s) => s.nodePath);
    if (!nodeId) return mine;
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!mine.some((p) => node.path.startsWith(p))) throw forbidden();
    return [node.path];
  }

  private async pendingViews(manager: EntityManager, rows: HouseholdMembership[]): Promise<PendingMembershipView[]> {
    const householdIds = rows.map((r) => r.householdId);
    const [labels, members] = await Promise.all([
      householdLabels(manager, householdIds),
      householdIds.length
        ? manager.getRepository(HouseholdMembership).findBy({ householdId: In(householdIds), status: 'verified' })
        : Promise.resolve([] as HouseholdMembership[]),
    ]);
    const userIds = [...rows.map((r) => r.userId), ...members.map((m) => m.userId)];
    const users = new Map((userIds.length ? await manager.getRepository(User).findBy({ id: In(userIds) }) : []).map((u) => [u.id, u]));
    return rows.map((r) => {
      const person = users.get(r.userId)!;
      const place = labels.get(r.householdId);
      return {
        id: r.id,
        status: r.status,
        relation: r.relation,
        method: r.method,
        reason: r.reason,
        createdAt: new Date(r.createdAt).toISOString(),
        person: { id: person.id, name: personName(person), phoneMasked: maskPhone(person.phone), phoneVerified: person.phoneVerifiedAt !== null },
        household: { id: r.householdId, label: place?.label ?? '', areaM2: place?.areaM2 ?? null },
        members: members
          .filter((m) => m.householdId === r.householdId && m.userId !== r.userId)
          .map((m) => {
            const u = users.get(m.userId)!;
            return { id: u.id, name: personName(u), phoneMasked: maskPhone(u.phone), relation: m.relation, method: m.method };
          }),
      };
    });
  }

  /* ───────── decisions ───────── */

  async verify(actor: Actor, id: number, body: { relation?: MembershipRelation; version?: number }): Promise<PendingMembershipView> {
    return this.decide(actor, id, body.version, 'verify', async (manager, m) => {
      await manager.getRepository(HouseholdMembership).update(
        { id: m.id },
        { status: 'verified', method: 'staff', relation: body.relation ?? m.relation, reason: null, decidedById: actor.userId, decidedAt: this.now(), version: m.version + 1 },
      );
      await this.tell(manager, m.userId, m.householdId, 'membership.verified', '住户核验通过', (label) => `您已成为 ${label} 的${MEMBERSHIP_RELATION_LABELS[body.relation ?? m.relation]}，可以参与本楼议事和表决了`);
    });
  }

  async reject(actor: Actor, id: number, body: { reason: string; version?: number }): Promise<PendingMembershipView> {
    return this.decide(actor, id, body.version, 'reject', async (manager, m) => {
      await this.endMembership(manager, m, 'rejected', body.reason, actor.userId);
      await this.tell(manager, m.userId, m.householdId, 'membership.rejected', '住户核验未通过', (label) => `您加入 ${label} 的申请未通过：${body.reason}`);
    });
  }

  /** Staff over the building remove a member, or the member leaves (their own membership). */
  async remove(actor: Actor, id: number, body: { reason: string; version?: number }): Promise<PendingMembershipView> {
    return this.decide(actor, id, body.version, 'remove', async (manager, m) => {
      await this.endMembership(manager, m, 'removed', body.reason, actor.userId);
      if (m.userId !== actor.userId) {
        await this.tell(manager, m.userId, m.householdId, 'membership.removed', '您已被移出住户', (label) => `您已不再是 ${label} 的成员：${body.reason}。如有疑问请联系网格员。`);
      }
    });
  }

  private async decide(
    actor: Actor,
    id: number,
    version: number | undefined,
    action: 'verify' | 'reject' | 'remove',
    apply: (manager: EntityManager, m: HouseholdMembership) => Promise<void>,
  ): Promise<PendingMembershipView> {
    await transactRetrying(this.dataSource, async (manager) => {
      const m = await withLock(manager.getRepository(HouseholdMembership).createQueryBuilder('m').where('m.id = :id', { id }), manager).getOne();
      if (!m) throw notFound('住户成员');
      const path = await householdPathOf(manager, this.directory, m.householdId);
      const staff = !!path && holdsRoleOver(actor, VERIFIER_ROLES, path);
      const self = action === 'remove' && m.userId === actor.userId;
      if (!staff && !self) throw m.userId === actor.userId ? forbidden() : notFound('住户成员');
      if (version !== undefined && version !== m.version) throw conflict('这条申请刚被其他人处理过，请刷新后再操作');
      const allowed = action === 'verify' ? membershipRules.mayVerify(m) : action === 'reject' ? membershipRules.mayReject(m) : membershipRules.mayRemove(m);
      if (!allowed) throw conflict(action === 'remove' ? '该成员已不在这户' : '这条申请已经处理过了');
      await apply(manager, m);
    });
    this.notifications.kick();
    const row = await this.dataSource.getRepository(HouseholdMembership).findOneByOrFail({ id });
    return (await this.pendingViews(this.dataSource.manager, [row]))[0];
  }

  /** Rejected or removed: the person's current household moves to another verified one, or none. */
  private async endMembership(manager: EntityManager, m: HouseholdMembership, status: 'rejected' | 'removed', reason: string, decidedById: number): Promise<void> {
    await manager.getRepository(HouseholdMembership).update({ id: m.id }, { status, reason, decidedById, decidedAt: this.now(), version: m.version + 1 });
    const user = await lockUser(manager, m.userId);
    if (user.householdId !== m.householdId) return;
    const other = await manager.getRepository(HouseholdMembership).findOne({ where: { userId: m.userId, status: 'verified', householdId: Not(m.householdId) }, order: { id: 'ASC' } });
    await manager.getRepository(User).update({ id: m.userId }, { householdId: other?.householdId ?? null });
  }

  private async tell(manager: EntityManager, userId: number, householdId: number, kind: string, title: string, body: (label: string) => string): Promise<void> {
    const label = (await householdLabels(manager, [householdId])).get(householdId)?.label ?? '';
    await this.notifications.enqueue(manager, [{ userId, kind, title, body: body(label), link: MEMBERSHIPS_PAGE, dedupeKey: `${kind}:${householdId}:${userId}:${this.now().getTime()}` }]);
  }
}

export const MEMBERSHIP_QUEUE_PAGE = '/packages/workbench/residents/index';

export async function lockUser(manager: EntityManager, userId: number): Promise<User> {
  const user = await withLock(manager.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id: userId }), manager).getOne();
  if (!user) throw notFound('用户');
  return user;
}
