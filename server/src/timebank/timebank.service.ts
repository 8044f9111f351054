import { In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import {
  CHECK_IN_EARLY_MS,
  CLAIM_AUTO_SETTLE_DAYS,
  CLAIM_RULES,
  CLAIM_STATUS_LABELS,
  HELP_REQUEST_STATUSES,
  TASK_RULES,
  canApplyClaimAction,
  PENDING_CLAIM_STATUSES,
  TASK_STATUS_LABELS,
  toHours,
  toMinutes,
  volunteerPoints,
  type ClaimAction,
  type ClaimActionBody,
  type ClaimStatus,
  type ConfirmClaimBody,
  type CreateTaskBody,
  type DeclineTaskBody,
  type GiftHoursBody,
  type ListTasksQuery,
  type Page,
  type TimebankClaim,
  type TimebankMe,
  type TimebankTask,
  type TimebankTaskDetail,
  type VolunteerApplication,
  type PageQuery,
} from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { HouseholdMembership } from '../residents/membership.entity';
import { communitiesWhereActorHolds, communityOf, isUniqueViolation, placeOfUser } from '../ledger/community';
import { LedgerAccount } from '../ledger/ledger.entities';
import { accountId, findAccount, historyOf, transfer } from '../ledger/ledger';
import { transactRetrying } from '../db/data-source';
import { pathIds } from '../grids/grid-path';
import { withLock } from '../db/versioned-rows';
import { AppError, conflict, forbidden, notFound, fieldError } from '../platform/errors';
import { NO_AUDIT, type AuditNote } from '../audit/audit-log';
import type { NotificationService } from '../notifications/notification.service';
import type { PointsAwarder } from '../points/points.service';
import { creditFor, settledCredit, type Credit } from './attendance';
import { claimSettledMessage, helpRequestDecidedMessage, helpRequestMessages } from './timebank-notifications';
import { TimebankClaimEventRow, TimebankClaimRow, TimebankTaskRow, VolunteerApplicationRow } from './timebank.entities';
import { claimRelation, familyOf, isTaskManager, TimebankViews } from './timebank-views';

/** Who acts on a claim: a person (and whether they are staff over the task's place), or the settling job (null). */
type ClaimActor = { userId: number; staff: boolean } | null;

/**
 * Time bank (时间银行). Hours live in the shared ledger, counted in minutes. Posting a task moves
 * minutes × capacity from the payer (the community's issuing account, or the posting resident's own)
 * into the task's escrow; a confirmed claim is paid from there (and earns points); what no claim can
 * still earn goes back to the payer once the task has ended or was cancelled.
 *
 * Everything that touches a task's places or escrow first locks the task row, so the escrow arithmetic
 * is never raced; places are taken with `claimed = claimed + 1 WHERE claimed < capacity` besides.
 */
export class TimebankService {
  private readonly views: TimebankViews;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly points: PointsAwarder,
    private readonly notifications: NotificationService,
    private readonly now: () => Date = () => new Date(),
    /** TIMEBANK_CHECK_IN_OPENS_MINUTES, in ms: check-in opens this long before the start. */
    checkInOpensMs = CHECK_IN_EARLY_MS,
  ) {
    this.views = new TimebankViews(directory, checkInOpensMs);
  }

  /* ───────── volunteers ───────── */

  async apply(actor: Actor, note: string | undefined): Promise<VolunteerApplication> {
    await this.directory.ensureFresh();
    const place = await placeOfUser(this.dataSource.manager, this.directory, actor);
    if (!place?.communityId) throw forbidden('请先绑定住户再申请成为志愿者');
    const community = this.directory.node(place.communityId)!;
    if (holdsRoleOver(actor, ['volunteer'], community.path)) throw conflict('您已经是本社区的志愿者');
    const repo = this.dataSource.getRepository(VolunteerApplicationRow);
    const existing = await repo.findOneBy({ userId: actor.userId, communityId: community.id });
    if (existing?.status === 'pending') throw conflict('申请已提交，请等待社区审核');
    if (existing) {
      await repo.update({ id: existing.id }, { status: 'pending', note: note || null, decidedAt: null, decidedById: null });
    } else {
      try {
        await repo.insert({ userId: actor.userId, communityId: community.id, status: 'pending', note: note || null });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('申请已提交，请等待社区审核');
        throw err;
      }
    }
    const row = await repo.findOneByOrFail({ userId: actor.userId, communityId: community.id });
    return (await this.views.applications(this.dataSource.manager, [row]))[0];
  }

  async applications(actor: Actor, status: 'pending' | 'approved' | 'rejected'): Promise<Page<VolunteerApplication>> {
    await this.directory.ensureFresh();
    const communities = communitiesWhereActorHolds(this.directory, actor, ['secretary']);
    if (!communities.length) throw forbidden('只有社区书记可以审核志愿者');
    const rows = await this.dataSource.getRepository(VolunteerApplicationRow).find({ where: { communityId: In(communities), status }, order: { id: 'DESC' }, take: 200 });
    return { items: await this.views.applications(this.dataSource.manager, rows), nextCursor: null };
  }

  /** approve grants the role `volunteer` on the community node; each decision once. */
  async decide(actor: Actor, userId: number, decision: 'approve' | 'reject'): Promise<VolunteerApplication> {
    await this.directory.ensureFresh();
    if (!holdsRole(actor, ['secretary'])) throw forbidden('只有社区书记可以审核志愿者');
    const communities = communitiesWhereActorHolds(this.directory, actor, ['secretary']);
    const rows = await this.dataSource.getRepository(VolunteerApplicationRow).findBy({ userId });
    // An application to another community is not this secretary's to see.
    const row = rows.find((r) => communities.includes(r.communityId));
    if (!row) throw notFound('志愿者申请');
    await transactRetrying(this.dataSource, async (manager) => {
      const decided = await manager
        .getRepository(VolunteerApplicationRow)
        .update({ id: row.id, status: 'pending' }, { status: decision === 'approve' ? 'approved' : 'rejected', decidedAt: this.now(), decidedById: actor.userId });
      if (!decided.affected) throw new AppError('INVALID_TRANSITION', '这份申请已审核过');
      if (decision !== 'approve') return;
      const roles = manager.getRepository(RoleAssignment);
      if (await roles.existsBy({ userId, role: 'volunteer', nodeId: row.communityId })) return;
      try {
        await roles.insert({ userId, role: 'volunteer', nodeId: row.communityId });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    });
    const updated = await this.dataSource.getRepository(VolunteerApplicationRow).findOneByOrFail({ id: row.id });
    return (await this.views.applications(this.dataSource.manager, [updated]))[0];
  }

  /* ───────── tasks ───────── */

  async post(actor: Actor, body: CreateTaskBody): Promise<TimebankTaskDetail> {
    await this.directory.ensureFresh();
    const now = this.now();
    if (new Date(body.endAt).getTime() <= now.getTime()) throw invalid('endAt', '结束时间须晚于现在');
    const place = await placeOfUser(this.dataSource.manager, this.directory, actor);
    const secretaryOf = communitiesWhereActorHolds(this.directory, actor, ['secretary']);
    const defaultNode = body.fundedBy !== 'resident' && secretaryOf.length ? secretaryOf[0] : place?.communityId;
    const node = this.directory.node(body.scopeNodeId ?? defaultNode ?? 0);
    if (!node) {
      if (body.scopeNodeId) throw invalid('scopeNodeId', '没有这个网格');
      throw invalid('householdId', '请先绑定住户再发布任务');
    }
    const community = communityOf(this.directory, node.path);
    if (!community) throw invalid('scopeNodeId', '任务须在一个社区之内');
    const requested = body.requestFunding === true;
    const fundedBy = requested ? 'community' : (body.fundedBy ?? (holdsRoleOver(actor, ['secretary'], node.path) ? 'community' : 'resident'));
    if (fundedBy === 'community' && !requested && !holdsRoleOver(actor, ['secretary'], node.path)) throw forbidden('只有本社区书记可以用社区时长发布任务');
    if ((fundedBy === 'resident' || requested) && place?.communityId !== community.id) throw forbidden('只能在自己所在的社区发布任务');
    const minutes = toMinutes(body.hours);
    const total = minutes * body.capacity;
    if (requested) return this.detail(actor, await this.postHelpRequest(actor, body, { node, community, minutes }));

    const id = await transactRetrying(this.dataSource, async (manager) => {
      const tasks = manager.getRepository(TimebankTaskRow);
      const task = await tasks.save(
        tasks.create({
          communityId: community.id,
          scopeNodeId: node.id,
          scopePath: node.path,
          title: body.title,
          description: body.description,
          startAt: new Date(body.startAt),
          endAt: new Date(body.endAt),
          minutes,
          capacity: body.capacity,
          claimed: 0,
          status: 'open',
          version: 0,
          fundedBy,
          posterId: actor.userId,
          payerAccountId: 0,
          escrowAccountId: 0,
          lat: body.location?.lat ?? null,
          lng: body.location?.lng ?? null,
          address: body.location?.address || null,
        }),
      );
      const payerAccountId = fundedBy === 'community' ? await accountId(manager, 'hours', 'issuing', community.id) : await accountId(manager, 'hours', 'user', actor.userId);
      const escrowAccountId = await accountId(manager, 'hours', 'escrow', task.id);
      await transfer(manager, {
        unit: 'hours',
        fromAccountId: payerAccountId,
        toAccountId: escrowAccountId,
        amount: total,
        reason: 'task_escrow',
        memo: `发布任务「${task.title}」，冻结 ${toHours(total)} 小时`,
        sourceKey: `task:${task.id}:escrow`,
        insufficient: `时间银行余额不足：发布这个任务需要 ${toHours(total)} 小时（${body.hours} 小时 × ${body.capacity} 人）`,
      });
      await tasks.update({ id: task.id }, { payerAccountId, escrowAccountId });
      return task.id;
    });
    return this.detail(actor, id);
  }

  async list(actor: Actor, query: ListTasksQuery): Promise<Page<TimebankTask>> {
    await this.directory.ensureFresh();
    const manager = this.dataSource.manager;
    const now = this.now();
    const q = manager.getRepository(TimebankTaskRow).createQueryBuilder('t').where('t.status = :status', { status: query.status });
    if (query.scope === 'mine') q.andWhere('t.posterId = :me', { me: actor.userId });
    else if (query.scope === 'claimed') {
      q.innerJoin(TimebankClaimRow, 'c', 'c.taskId = t.id AND c.userId = :me AND c.status <> :cancelled', { me: actor.userId, cancelled: 'cancelled' });
    } else {
      const communities = await this.communitiesOf(manager, actor);
      if (!communities.length) return { items: [], nextCursor: null };
      q.andWhere('t.communityId IN (:...communities)', { communities });
    }
    // An open task past its end is waiting for the release job: no longer shown as open.
    if (query.status === 'open') q.andWhere('t.endAt > :now', { now });
    const rows = await q.orderBy('t.startAt', query.status === 'open' ? 'ASC' : 'DESC').take(500).getMany();
    const origin = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined;
    // Help requests not (or never) funded are the poster's and their secretaries' business only.
    const visible = rows.filter((t) => !HELP_REQUEST_STATUSES.includes(t.status) || this.seesHelpRequest(actor, t));
    let items = await this.views.tasks(manager, actor, visible, now, origin);
    if (origin) {
      // Nearest first; tasks without a place after those with one, soonest first among themselves.
      items = [...items].sort((a, b) => (a.distanceMeters ?? Infinity) - (b.distanceMeters ?? Infinity));
    }
    return { items: items.slice(0, query.limit), nextCursor: null };
  }

  async detail(actor: Actor, id: number): Promise<TimebankTaskDetail> {
    await this.directory.ensureFresh();
    const manager = this.dataSource.manager;
    const task = await manager.getRepository(TimebankTaskRow).findOneBy({ id });
    if (!task || !(await this.canSee(manager, actor, task))) throw notFound('任务');
    const now = this.now();
    const [view] = await this.views.tasks(manager, actor, [task], now);
    const claimRows = isTaskManager(actor, task)
      ? await manager.getRepository(TimebankClaimRow).find({ where: { taskId: id }, order: { id: 'ASC' } })
      : await manager.getRepository(TimebankClaimRow).findBy({ taskId: id, userId: actor.userId });
    const escrow = await manager.getRepository(LedgerAccount).findOneBy({ id: task.escrowAccountId });
    return { ...view, claims: await this.views.claims(manager, actor, claimRows, now, [task]), heldHours: toHours(escrow?.balance ?? 0) };
  }

  /** The poster or a secretary calls a task off: claims not yet checked in are cancelled, unspent hours go back. */
  async cancelTask(actor: Actor, id: number, body: { version?: number }): Promise<TimebankTaskDetail> {
    await this.directory.ensureFresh();
    await transactRetrying(this.dataSource, async (manager) => {
      const task = await this.lockTask(manager, id);
      if (!(await this.canSee(manager, actor, task))) throw notFound('任务');
      if (body.version !== undefined && body.version !== task.version) throw conflict('任务刚被更新过，请刷新后再操作');
      if (!TASK_RULES.cancel.from.includes(task.status)) throw new AppError('INVALID_TRANSITION', `任务${TASK_STATUS_LABELS[task.status]}，不能取消`);
      if (!isTaskManager(actor, task)) throw forbidden('只有发布人或社区书记可以取消任务');
      const claims = manager.getRepository(TimebankClaimRow);
      const waiting = await claims.findBy({ taskId: task.id, status: 'claimed' });
      if (waiting.length) await claims.update({ id: In(waiting.map((c) => c.id)), status: 'claimed' }, { status: 'cancelled', settledAt: this.now() });
      await manager.getRepository(TimebankTaskRow).update(
        { id: task.id, version: task.version },
        { status: 'cancelled', closedAt: this.now(), version: task.version + 1, claimed: Math.max(0, task.claimed - waiting.length) },
      );
      // A help request never funded holds no hours.
      if (task.escrowAccountId) await this.releaseUnreserved(manager, { ...task, status: 'cancelled' });
    });
    return this.detail(actor, id);
  }

  /* ───────── help requests (求助): asked by a resident, funded or declined by a secretary ───────── */

  /** The request waits, holding nothing, for a secretary of its community; they are told. */
  private async postHelpRequest(actor: Actor, body: CreateTaskBody, at: { node: { id: number; path: string }; community: { id: number }; minutes: number }): Promise<number> {
    const id = await transactRetrying(this.dataSource, async (manager) => {
      const tasks = manager.getRepository(TimebankTaskRow);
      const task = await tasks.save(
        tasks.create({
          communityId: at.community.id,
          scopeNodeId: at.node.id,
          scopePath: at.node.path,
          title: body.title,
          description: body.description,
          startAt: new Date(body.startAt),
          endAt: new Date(body.endAt),
          minutes: at.minutes,
          capacity: body.capacity,
          claimed: 0,
          status: 'requested',
          version: 0,
          fundedBy: 'community',
          posterId: actor.userId,
          payerAccountId: await accountId(manager, 'hours', 'issuing', at.community.id),
          escrowAccountId: 0,
          lat: body.location?.lat ?? null,
          lng: body.location?.lng ?? null,
          address: body.location?.address || null,
        }),
      );
      const secretaries = await manager.getRepository(RoleAssignment).findBy({ nodeId: In(pathIds(at.node.path)), role: 'secretary' });
      await this.notifications.enqueue(manager, helpRequestMessages(task, actor.nickname, [...new Set(secretaries.map((r) => r.userId))]));
      return task.id;
    });
    this.notifications.kick();
    return id;
  }

  /** fund: the community's hours go into the task's escrow and it opens to volunteers. decline: the poster reads why. */
  async decideHelpRequest(actor: Actor, id: number, decision: 'fund' | 'decline', body: { version?: number } & Partial<DeclineTaskBody>): Promise<TimebankTaskDetail> {
    await this.directory.ensureFresh();
    await transactRetrying(this.dataSource, async (manager) => {
      const task = await this.lockTask(manager, id);
      if (!(await this.canSee(manager, actor, task))) throw notFound('任务');
      if (body.version !== undefined && body.version !== task.version) throw conflict('任务刚被更新过，请刷新后再操作');
      if (!TASK_RULES[decision].from.includes(task.status)) throw new AppError('INVALID_TRANSITION', `任务${TASK_STATUS_LABELS[task.status]}，不是待审核的求助`);
      if (!holdsRoleOver(actor, ['secretary'], task.scopePath)) throw forbidden('只有本社区书记可以审核求助');
      const now = this.now();
      const decided = { fundingDecidedById: actor.userId, fundingDecidedAt: now, version: task.version + 1 };
      if (decision === 'decline') {
        await manager.getRepository(TimebankTaskRow).update({ id: task.id, version: task.version }, { ...decided, status: 'declined', declineReason: body.reason!, closedAt: now });
      } else {
        if (new Date(task.endAt).getTime() <= now.getTime()) throw conflict('求助的时间已过，不能再资助');
        const escrowAccountId = await accountId(manager, 'hours', 'escrow', task.id);
        const total = task.minutes * task.capacity;
        await transfer(manager, {
          unit: 'hours',
          fromAccountId: task.payerAccountId,
          toAccountId: escrowAccountId,
          amount: total,
          reason: 'task_escrow',
          memo: `社区资助求助「${task.title}」，冻结 ${toHours(total)} 小时`,
          sourceKey: `task:${task.id}:escrow`,
        });
        await manager.getRepository(TimebankTaskRow).update({ id: task.id, version: task.version }, { ...decided, status: 'open', escrowAccountId });
      }
      await this.notifications.enqueue(manager, [helpRequestDecidedMessage(task, decision, body.reason ?? null)]);
    });
    this.notifications.kick();
    return this.detail(actor, id);
  }

  private seesHelpRequest(actor: Actor, task: TimebankTaskRow): boolean {
    return task.posterId === actor.userId || holdsRoleOver(actor, ['secretary', 'admin'], task.scopePath);
  }

  /* ───────── claims ───────── */

  async claim(actor: Actor, taskId: number): Promise<TimebankClaim> {
    await this.directory.ensureFresh();
    const claimId = await transactRetrying(this.dataSource, async (manager) => {
      const task = await this.lockTask(manager, taskId);
      if (!(await this.canSee(manager, actor, task))) throw notFound('任务');
      if (task.status !== 'open') throw new AppError('INVALID_TRANSITION', `任务${TASK_STATUS_LABELS[task.status]}，不能认领`);
      if (!holdsRoleOver(actor, ['volunteer'], task.scopePath)) throw forbidden('成为本社区志愿者后才能认领任务');
      if (task.posterId === actor.userId) throw forbidden('不能认领自己发布的任务');
      // The community's hours pay a neighbour who helps, not the asker's own family (a loop that mints hours and points).
      if (task.fundedBy === 'community' && (await familyOf(manager, actor.userId, [task.posterId])).size > 0) throw forbidden('社区出资的求助不能由求助人的家人认领');
      if (this.now().getTime() >= new Date(task.startAt).getTime()) throw conflict('任务已经开始，报名已截止');
      const claims = manager.getRepository(TimebankClaimRow);
      const previous = await claims.findOneBy({ taskId, userId: actor.userId });
      if (previous && previous.status !== 'cancelled') throw conflict('您已认领过这个任务');
      const taken = await manager
        .createQueryBuilder()
        .update(TimebankTaskRow)
        .set({ claimed: () => 'claimed + 1' })
        .where('id = :id AND status = :open AND claimed < capacity', { id: taskId, open: 'open' })
        .execute();
      if (!taken.affected) throw conflict('名额已满，下次早点来');
      if (previous) {
        await claims.update(
          { id: previous.id, status: 'cancelled' },
          { status: 'claimed', version: previous.version + 1, checkedInAt: null, checkedOutAt: null, settledAt: null, settledById: null },
        );
        await recordClaimEvent(manager, previous.id, actor.userId, 'claim', 'cancelled', 'claimed');
        return previous.id;
      }
      let id: number;
      try {
        id = Number((await claims.insert({ taskId, userId: actor.userId, status: 'claimed', version: 0 })).identifiers[0].id);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('您已认领过这个任务');
        throw err;
      }
      await recordClaimEvent(manager, id, actor.userId, 'claim', null, 'claimed');
      return id;
    });
    return this.claimView(actor, claimId);
  }

  /**
   * A claim action. Confirm credits what attendance earns, or the confirmer's `hours` with a reason
   * (attendance.ts); the credit, and the points it earns, are written to the audit log in the same
   * transaction, and the volunteer is told.
   */
  async actOnClaim(actor: Actor, claimId: number, action: ClaimAction, body: ClaimActionBody | ConfirmClaimBody, audit: AuditNote = NO_AUDIT): Promise<TimebankClaim> {
    await this.directory.ensureFresh();
    // A claim's task never changes: read it first, then lock the task before the claim (the order every writer uses).
    const ref = await this.dataSource.getRepository(TimebankClaimRow).findOne({ where: { id: claimId }, select: { id: true, taskId: true } });
    if (!ref) throw notFound('认领记录');
    await transactRetrying(this.dataSource, async (manager) => {
      const task = await this.lockTask(manager, ref.taskId);
      const claim = await withLock(manager.getRepository(TimebankClaimRow).createQueryBuilder('c'), manager).where('c.id = :id', { id: claimId }).getOneOrFail();
      const now = this.now();
      const relation = claimRelation(actor, task, claim, now, this.views.checkInOpensMs);
      if (!relation.isVolunteer && !relation.isManager) throw notFound('认领记录');
      if (body.version !== undefined && body.version !== claim.version) throw conflict('认领记录刚被更新过，请刷新后再操作');
      if (!CLAIM_RULES[action].from.includes(claim.status)) {
        throw new AppError('INVALID_TRANSITION', `认领记录当前为「${CLAIM_STATUS_LABELS[claim.status]}」，不能执行此操作`);
      }
      if (action === 'cancel' && relation.isVolunteer && !relation.beforeStart) throw conflict('任务已经开始，不能再取消认领');
      if (action === 'check_in' && relation.isVolunteer && !relation.checkInOpen) {
        throw conflict(`签到时间为任务开始前 ${Math.round(this.views.checkInOpensMs / 60_000)} 分钟至结束`);
      }
      if (action === 'no_show' && relation.isManager && relation.beforeStart) throw conflict('任务还没开始，不能标记未到场');
      if (!canApplyClaimAction(action, claim.status, relation)) throw forbidden();
      const by = { userId: actor.userId, staff: holdsRoleOver(actor, ['secretary'], task.scopePath) };
      const credit = action === 'confirm' ? creditFor(task, claim, body as ConfirmClaimBody) : null;
      const points = await this.applyClaimAction(manager, task, claim, action, body, by, now, credit);
      if (credit) {
        await audit.record(manager, {
          claimId: claim.id,
          volunteerId: claim.userId,
          attendedHours: credit.attendedMinutes === null ? null : toHours(credit.attendedMinutes),
          creditedHours: toHours(credit.minutes),
          reason: credit.reason,
          points,
        });
      }
      if (task.status !== 'open') await this.releaseUnreserved(manager, task);
    });
    this.notifications.kick();
    return this.claimView(actor, claimId);
  }

  /** Writes the action; a confirmation pays `credit` and, where the rule says so, its points (returned). */
  private async applyClaimAction(
    manager: EntityManager,
    task: TimebankTaskRow,
    claim: TimebankClaimRow,
    action: ClaimAction,
    body: ClaimActionBody | ConfirmClaimBody,
    by: ClaimActor,
    now: Date,
    credit: Credit | null,
  ): Promise<number> {
    const to = CLAIM_RULES[action].to;
    const changes: Partial<TimebankClaimRow> = { status: to, version: claim.version + 1 };
    const where = 'location' in body ? body.location : undefined;
    if (action === 'check_in') Object.assign(changes, { checkedInAt: now, checkInLat: where?.lat ?? null, checkInLng: where?.lng ?? null });
    if (action === 'check_out') Object.assign(changes, { checkedOutAt: now, checkOutLat: where?.lat ?? null, checkOutLng: where?.lng ?? null });
    if (action === 'confirm' || action === 'no_show') Object.assign(changes, { settledAt: now, settledById: by?.userId ?? null });
    const points = credit ? volunteerPoints(task.fundedBy, by?.staff ?? false, credit.minutes) : 0;
    if (credit) Object.assign(changes, { creditedMinutes: credit.minutes, adjustReason: credit.reason, points });
    const updated = await manager.getRepository(TimebankClaimRow).update({ id: claim.id, version: claim.version, status: claim.status }, changes);
    if (!updated.affected) throw conflict('认领记录刚被更新过，请刷新后再操作');
    await recordClaimEvent(manager, claim.id, by?.userId ?? null, action, claim.status, to, credit);
    if (action === 'cancel') {
      await manager
        .createQueryBuilder()
        .update(TimebankTaskRow)
        .set({ claimed: () => 'claimed - 1' })
        .where('id = :id AND claimed > 0', { id: task.id })
        .execute();
    }
    if (credit) await this.pay(manager, task, claim, credit, points);
    if (action === 'confirm' || action === 'no_show') {
      await this.notifications.enqueue(manager, [claimSettledMessage(task, claim, { credit, points, bySomeone: by !== null })]);
    }
    return points;
  }

  /** The credited minutes from the task's escrow to the volunteer, and the points they earn (if any). */
  private async pay(manager: EntityManager, task: TimebankTaskRow, claim: TimebankClaimRow, credit: Credit, points: number): Promise<void> {
    await transfer(manager, {
      unit: 'hours',
      fromAccountId: task.escrowAccountId,
      toAccountId: await accountId(manager, 'hours', 'user', claim.userId),
      amount: credit.minutes,
      reason: 'task_pay',
      memo: `志愿服务「${task.title}」`,
      sourceKey: `claim:${claim.id}:pay`,
    });
    if (points === 0) return;
    await this.points.award(manager, {
      userId: claim.userId,
      rule: 'volunteer_hour',
      sourceKey: `claim:${claim.id}`,
      points,
      note: `「${task.title}」${toHours(credit.minutes)} 小时`,
      path: task.scopePath,
    });
  }

  /**
   * Once a task has ended or was cancelled, the escrow keeps only what pending claims may still earn;
   * the rest goes back to the payer. Called under the task's lock, so two callers never both refund.
   */
  private async releaseUnreserved(manager: EntityManager, task: TimebankTaskRow): Promise<number> {
    const pending = await manager.getRepository(TimebankClaimRow).countBy({ taskId: task.id, status: In([...PENDING_CLAIM_STATUSES]) });
    const escrow = await manager.getRepository(LedgerAccount).findOneByOrFail({ id: task.escrowAccountId });
    const refundable = escrow.balance - pending * task.minutes;
    if (refundable <= 0) return 0;
    await transfer(manager, {
      unit: 'hours',
      fromAccountId: task.escrowAccountId,
      toAccountId: task.payerAccountId,
      amount: refundable,
      reason: 'task_release',
      memo: `任务「${task.title}」${task.status === 'cancelled' ? '已取消' : '已结束'}，未用的 ${toHours(refundable)} 小时退回`,
    });
    return refundable;
  }

  /**
   * The job: tasks past their end are closed and their unspent hours released; claims nobody settled
   * within CLAIM_AUTO_SETTLE_DAYS of the end settle by themselves (checked in → confirmed, else no-show).
   * Safe with several instances: every change is made under the task's row lock and re-checked there.
   */
  async releaseEndedTasks(now = this.now()): Promise<{ ended: number; settled: number; releasedHours: number }> {
    let ended = 0;
    let settled = 0;
    let released = 0;
    const due = await this.dataSource.getRepository(TimebankTaskRow).find({ where: { status: 'open', endAt: LessThanOrEqual(now) }, take: 200, order: { endAt: 'ASC' } });
    for (const candidate of due) {
      await transactRetrying(this.dataSource, async (manager) => {
        const task = await this.lockTask(manager, candidate.id);
        if (task.status !== 'open' || new Date(task.endAt).getTime() > now.getTime()) return;
        await manager.getRepository(TimebankTaskRow).update({ id: task.id, version: task.version }, { status: 'ended', closedAt: now, version: task.version + 1 });
        ended++;
        released += await this.releaseUnreserved(manager, { ...task, status: 'ended' });
      });
    }
    // A help request nobody decided before its end can no longer be helped: declined, and its poster told.
    const lapsed = await this.dataSource.getRepository(TimebankTaskRow).find({ where: { status: 'requested', endAt: LessThanOrEqual(now) }, take: 200 });
    for (const candidate of lapsed) {
      await transactRetrying(this.dataSource, async (manager) => {
        const reason = '求助的时间已过，社区没有来得及审核';
        const lapsedNow = await manager.getRepository(TimebankTaskRow).update({ id: candidate.id, status: 'requested' }, { status: 'declined', declineReason: reason, closedAt: now, version: candidate.version + 1 });
        if (lapsedNow.affected) await this.notifications.enqueue(manager, [helpRequestDecidedMessage(candidate, 'decline', reason)]);
      });
    }
    const cutoff = new Date(now.getTime() - CLAIM_AUTO_SETTLE_DAYS * 24 * 3600_000);
    const stale: { id: number; taskId: number }[] = await this.dataSource
      .getRepository(TimebankClaimRow)
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .addSelect('c.taskId', 'taskId')
      .innerJoin(TimebankTaskRow, 't', 't.id = c.taskId')
      .where('c.status IN (:...pending)', { pending: [...PENDING_CLAIM_STATUSES] })
      .andWhere('t.status <> :open AND t.endAt <= :cutoff', { open: 'open', cutoff })
      .limit(500)
      .getRawMany();
    for (const { id, taskId } of stale) {
      await transactRetrying(this.dataSource, async (manager) => {
        const task = await this.lockTask(manager, Number(taskId));
        const claim = await manager.getRepository(TimebankClaimRow).findOneByOrFail({ id: Number(id) });
        if (!PENDING_CLAIM_STATUSES.includes(claim.status)) return;
        // What attendance earns is credited; without any (never checked out), it is a no-show. Nobody vouched: no points.
        const credit = settledCredit(task, claim);
        await this.applyClaimAction(manager, task, claim, credit ? 'confirm' : 'no_show', {}, null, now, credit);
        settled++;
        released += await this.releaseUnreserved(manager, task);
      });
    }
    if (settled || lapsed.length) this.notifications.kick();
    return { ended, settled, releasedHours: toHours(released) };
  }

  /* ───────── my hours ───────── */

  async me(actor: Actor, page: PageQuery): Promise<TimebankMe> {
    const manager = this.dataSource.manager;
    const account = await findAccount(manager, 'hours', 'user', actor.userId);
    const history = await historyOf(manager, account?.id ?? null, page, toHours);
    const claimRows = await manager.getRepository(TimebankClaimRow).find({ where: { userId: actor.userId }, order: { id: 'DESC' }, take: 50 });
    const application = await manager.getRepository(VolunteerApplicationRow).findOne({ where: { userId: actor.userId }, order: { id: 'DESC' } });
    return {
      balanceHours: toHours(account?.balance ?? 0),
      entries: history.items,
      nextCursor: history.nextCursor,
      claims: await this.views.claims(manager, actor, claimRows, this.now()),
      isVolunteer: actor.scopes.some((s) => s.role === 'volunteer'),
      application: application ? (await this.views.applications(manager, [application]))[0] : null,
    };
  }

  /** Hours given to a member of the same household (a family shares its time). */
  async gift(actor: Actor, body: GiftHoursBody) {
    const to = await this.dataSource.getRepository(User).findOneBy({ id: body.toUserId });
    if (!to) throw notFound('用户');
    if (to.id === actor.userId) throw invalid('toUserId', '不能赠予自己');
    // Family is who the household's verified members are: a pending request to join makes nobody family.
    const family = actor.householdId ? await this.dataSource.getRepository(HouseholdMembership).existsBy({ householdId: actor.householdId, userId: to.id, status: 'verified' }) : false;
    if (!family) throw forbidden('时长只能赠予同一户的家庭成员');
    const minutes = toMinutes(body.hours);
    const entry = await transactRetrying(this.dataSource, async (manager) =>
      transfer(manager, {
        unit: 'hours',
        fromAccountId: await accountId(manager, 'hours', 'user', actor.userId),
        toAccountId: await accountId(manager, 'hours', 'user', to.id),
        amount: minutes,
        reason: 'gift',
        memo: `${actor.nickname} 赠予 ${to.nickname}`,
        insufficient: `时间银行余额不足，无法赠予 ${body.hours} 小时`,
      }),
    );
    const account = await findAccount(this.dataSource.manager, 'hours', 'user', actor.userId);
    return {
      balanceHours: toHours(account?.balance ?? 0),
      entry: { id: entry.id, amount: -toHours(entry.amount), reason: entry.reason, text: entry.memo, createdAt: new Date(entry.createdAt).toISOString() },
    };
  }

  /* ───────── helpers ───────── */

  private async lockTask(manager: EntityManager, id: number): Promise<TimebankTaskRow> {
    const task = await withLock(manager.getRepository(TimebankTaskRow).createQueryBuilder('t'), manager).where('t.id = :id', { id }).getOne();
    if (!task) throw notFound('任务');
    return task;
  }

  /** Residents of the community, its volunteers and staff over the place, the poster and its volunteers. */
  private async canSee(manager: EntityManager, actor: Actor, task: TimebankTaskRow): Promise<boolean> {
    if (task.posterId === actor.userId) return true;
    if (HELP_REQUEST_STATUSES.includes(task.status)) return this.seesHelpRequest(actor, task);
    if (holdsRoleOver(actor, ['volunteer', 'secretary', 'grid_worker', 'admin'], task.scopePath)) return true;
    if ((await this.communitiesOf(manager, actor)).includes(task.communityId)) return true;
    return manager.getRepository(TimebankClaimRow).existsBy({ taskId: task.id, userId: actor.userId });
  }

  private async communitiesOf(manager: EntityManager, actor: Actor): Promise<number[]> {
    const place = await placeOfUser(manager, this.directory, actor);
    const held = communitiesWhereActorHolds(this.directory, actor, ['volunteer', 'secretary', 'grid_worker', 'admin'], true);
    return [...new Set([...held, ...(place?.communityId ? [place.communityId] : [])])];
  }

  private async claimView(actor: Actor, id: number): Promise<TimebankClaim> {
    const row = await this.dataSource.getRepository(TimebankClaimRow).findOneByOrFail({ id });
    return (await this.views.claims(this.dataSource.manager, actor, [row], this.now()))[0];
  }
}

/** A claim's immutable history: every action, and on confirmation what was credited and why. */
async function recordClaimEvent(
  manager: EntityManager,
  claimId: number,
  actorId: number | null,
  action: 'claim' | ClaimAction,
  fromStatus: ClaimStatus | null,
  toStatus: ClaimStatus,
  credit: Credit | null = null,
): Promise<void> {
  await manager.getRepository(TimebankClaimEventRow).insert({
    claimId,
    actorId,
    action,
    fromStatus,
    toStatus,
    minutes: credit?.minutes ?? null,
    attendedMinutes: credit?.attendedMinutes ?? null,
    note: credit?.reason ?? null,
  });
}

function invalid(field: string, message: string): AppError {
  return fieldError(`body.${field}`, message);
}

