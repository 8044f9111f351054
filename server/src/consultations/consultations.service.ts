import { LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import {
  availableConsultationActions,
  canApplyConsultationAction,
  CAPABILITY_ROLES,
  castsHouseholdVote,
  CONSULTATION_RULES,
  CONSULTATION_STATUS_LABELS,
  consultationActionBodies,
  decideOutcome,
  DEFAULT_SUPPORT_THRESHOLD,
  isCivilCodeRule,
  participationText,
  OUTCOME_LABELS,
  ownerOnlyMessage,
  VOTE_METHOD_LABELS,
  VOTING_RULE_LABELS,
  type VoteMethod,
  type ConsultationAction,
  type ConsultationDetail,
  type ConsultationRelation,
  type ConsultationStatus,
  type ConsultationSummary,
  type CreateConsultationBody,
  type ListConsultationsQuery,
  type ModerationState,
  type Page,
  nextCursor,
} from '@linli/shared';
import type { z } from 'zod';
import { transact, transactRetrying } from '../db/data-source';
import { saveIfUnchanged, withLock } from '../db/versioned-rows';
import { ancestorPaths, pathIds } from '../grids/grid-path';
import type { GridDirectory } from '../grids/grid-directory';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { AppError, conflict, fieldError, forbidden, notFound } from '../platform/errors';
import { staffOnNodes, type NotificationSink } from '../reports/report-notifications';
import {
  Consultation,
  ConsultationCommentRow,
  ConsultationEventRow,
  ConsultationOptionRow,
  ConsultationProgressRow,
  ConsultationSupport,
  ConsultationVote,
} from './consultation.entities';
import { ConsultationViews } from './consultation-view';
import { ConsultationFreshness, touchConsultation } from './consultation-freshness';
import { householdInScope, householdPlace, scopeFigures, type HouseholdPlace } from './household-scope';
import { countVotes, keepAreasAtClose, scopeOf } from './tally';
import { HouseholdMembership } from '../residents/membership.entity';
import { householdLabels } from '../residents/membership-view';
import type { PointsAwarder } from '../points/points.service';
import type { ModeratedContent, ModerationService, Screening } from '../moderation/moderation.service';
import { commentModerationHandler, consultationLink, consultationModerationHandler } from './consultation-moderation';
import { assertOwnPhotos } from '../uploads/upload-registry';
import { isUniqueViolation } from '../ledger/community';

type Body<A extends ConsultationAction> = z.infer<(typeof consultationActionBodies)[A]>;


export class ConsultationsService {
  private readonly views: ConsultationViews;
  /** The page's freshness stamp (an ETag that costs one small query). */
  readonly freshness: ConsultationFreshness;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly notifications: NotificationSink,
    private readonly now: () => Date = () => new Date(),
    /** Civility points for taking part: proposal approved, vote cast, comment (capped a day). */
    private readonly points?: PointsAwarder,
    /** Content checks: proposals and comments are screened before anyone but their author sees them. */
    private readonly moderation?: ModerationService,
  ) {
    this.views = new ConsultationViews(directory);
    this.freshness = new ConsultationFreshness(dataSource, directory, now);
    moderation?.register('consultation', consultationModerationHandler);
    moderation?.register('consultation_comment', commentModerationHandler(points, now));
  }

  /* ───────── 提议题: propose ───────── */

  async propose(actor: Actor, body: CreateConsultationBody): Promise<ConsultationDetail> {
    await this.directory.ensureFresh();
    const place = await householdPlace(this.dataSource.manager, this.directory, actor.householdId);
    // Who the caller is, not what they sent: a resident's act, so 403 for anyone without a household.
    if (!place) throw forbidden('请先绑定住户再发起议题');
    const content: ModeratedContent = {
      subjectType: 'consultation',
      authorId: actor.userId,
      nodePath: this.scopeFor(place, body).scopePath,
      title: body.title,
      text: body.description,
      photos: [],
      scene: 'forum',
    };
    const screening = this.moderation ? await this.moderation.screen(content) : null;
    const id = await transact(this.dataSource, async (manager) => {
      const consultation = await this.createProposal(manager, actor.userId, place, body, null, screening?.state);
      if (screening) await this.moderation!.open(manager, content, consultation.id, screening);
      return consultation.id;
    });
    this.notifications.kick();
    return this.detail(actor, id);
  }

  /** Also used when a report is handled by consultation: the reporter becomes the proposer. */
  async createProposal(
    manager: EntityManager,
    proposerId: number,
    place: HouseholdPlace,
    body: Pick<CreateConsultationBody, 'buildingId' | 'scopeNodeId' | 'title' | 'description'>,
    reportId: number | null = null,
    moderation: ModerationState = 'clear',
  ): Promise<Consultation> {
    const scope = this.scopeFor(place, body);
    const repo = manager.getRepository(Consultation);
    const consultation = await repo.save(
      repo.create({
        ...scope,
        title: body.title,
        description: body.description,
        status: 'proposed',
        proposerId,
        proposerHouseholdId: place.householdId,
        supportThreshold: DEFAULT_SUPPORT_THRESHOLD,
        supporters: 1,
        reportId,
        moderation,
      }),
    );
    // The proposer's household is the first of the N supporting households.
    await manager.getRepository(ConsultationSupport).insert({ consultationId: consultation.id, householdId: place.householdId, userId: proposerId });
    await this.record(manager, consultation, 'propose', proposerId, null, 'proposed', null);
    return consultation;
  }

  /**
   * A report accepted with handling method `consultation` becomes a proposal in the reporter's
   * building, linked both ways; the reporter is its proposer.
   */
  async fromReport(manager: EntityManager, report: { id: number; reporterId: number; description: string; categoryName: string }): Promise<number> {
    const reporter = await manager.getRepository(User).findOneByOrFail({ id: report.reporterId });
    // The proposer acts for a household only as its verified member (a pending request is not enough).
    const membership = reporter.householdId
      ? await manager.getRepository(HouseholdMembership).findOneBy({ userId: reporter.id, householdId: reporter.householdId, status: 'verified' })
      : null;
    const place = await householdPlace(manager, this.directory, membership?.householdId ?? null);
    if (!place) throw fieldError('body.handlingMethod', '提出人还不是核验过的住户成员，无法转为议事协商');
    const title = `${report.categoryName}：${report.description}`.slice(0, 60);
    const description = report.description.length >= 10 ? report.description : `${report.description}（由说事转入）`;
    return (await this.createProposal(manager, reporter.id, place, { title, description }, report.id)).id;
  }

  private scopeFor(place: HouseholdPlace, body: Pick<CreateConsultationBody, 'buildingId' | 'scopeNodeId'>) {
    if (body.scopeNodeId) {
      const node = this.directory.node(body.scopeNodeId);
      if (!node || (node.level !== 'microgrid' && node.level !== 'community') || !place.path.startsWith(node.path)) {
        throw new AppError('VALIDATION_FAILED', '只能在自己所在的微网格或社区发起', [{ path: 'body.scopeNodeId', message: '只能在自己所在的微网格或社区发起' }]);
      }
      return { scope: node.level as 'microgrid' | 'community', buildingId: null, scopeNodeId: node.id, scopePath: node.path };
    }
    if (body.buildingId && body.buildingId !== place.buildingId) {
      throw new AppError('VALIDATION_FAILED', '只能在自己所在的楼栋发起', [{ path: 'body.buildingId', message: '只能在自己所在的楼栋发起' }]);
    }
    return { scope: 'building' as const, buildingId: place.buildingId, scopeNodeId: place.microgridId, scopePath: place.path };
  }

  /* ───────── the phases ───────── */

  async act<A extends ConsultationAction>(actor: Actor, id: number, action: A, body: Body<A>): Promise<ConsultationDetail> {
    await this.directory.ensureFresh();
    const comment = action === 'comment' ? await this.screenComment(actor, id, (body as Body<'comment'>).body) : null;
    // Two members of a household voting at once may deadlock on their first vote's row: run again.
    await transactRetrying(this.dataSource, async (manager) => {
      const consultation = await this.lock(manager, id);
      const place = await householdPlace(manager, this.directory, actor.householdId);
      const relation = await this.relation(manager, actor, consultation, place);
      if (!this.canSee(actor, consultation, relation)) throw notFound('议题');
      if (consultation.moderation !== 'clear' && action !== 'withdraw') throw conflict('议题内容正在审核，审核通过后才能继续');
      const version = (body as { version?: number }).version;
      if (version !== undefined && version !== consultation.version) throw conflict('议题刚被更新过，请刷新后再操作');
      if (!CONSULTATION_RULES[action].from.includes(consultation.status)) {
        throw new AppError('INVALID_TRANSITION', `议题当前为「${CONSULTATION_STATUS_LABELS[consultation.status]}」，不能执行此操作`);
      }
      if (action === 'vote' && relation.householdInScope && !relation.votingOpen) throw conflict('投票已截止');
      if (action === 'vote' && relation.householdInScope && !castsHouseholdVote(relation.rule, relation.householdRelation)) {
        throw forbidden(ownerOnlyMessage(relation.householdRelation!));
      }
      if (action === 'ballot' && relation.recordsBallots && !relation.votingOpen) throw conflict('投票已截止，不能再代录');
      if (action === 'cosign' && relation.householdSupported) throw conflict('您家已经联名支持过了');
      if (!canApplyConsultationAction(action, consultation.status, relation)) throw forbidden();
      await this.apply(manager, actor, consultation, action, body, place, comment);
      // After apply's version-checked save, which writes the revision it loaded.
      await touchConsultation(manager, consultation.id);
    });
    this.notifications.kick();
    return this.detail(actor, id);
  }

  /** A comment's text is checked before the transaction (the check may wait on WeChat). */
  private async screenComment(actor: Actor, id: number, text: string): Promise<{ content: ModeratedContent; screening: Screening } | null> {
    if (!this.moderation) return null;
    const c = await this.dataSource.getRepository(Consultation).findOneBy({ id });
    if (!c) throw notFound('议题');
    const content: ModeratedContent = { subjectType: 'consultation_comment', authorId: actor.userId, nodePath: c.scopePath, text, photos: [], scene: 'comment' };
    return { content, screening: await this.moderation.screen(content) };
  }

  private async apply(
    manager: EntityManager,
    actor: Actor,
    c: Consultation,
    action: ConsultationAction,
    body: any,
    place: HouseholdPlace | null,
    screened: { content: ModeratedContent; screening: Screening } | null = null,
  ) {
    const from = c.status;
    const loadedVersion = c.version;
    let note: string | null = null;
    switch (action) {
      case 'cosign': {
        await manager.getRepository(ConsultationSupport).insert({ consultationId: c.id, householdId: place!.householdId, userId: actor.userId });
        c.supporters = await manager.getRepository(ConsultationSupport).countBy({ consultationId: c.id });
        if (c.supporters >= c.supportThreshold) c.status = 'in_review';
        break;
      }
      case 'withdraw':
        c.status = 'withdrawn';
        break;
      case 'approve': {
        const endsAt = new Date(body.votingEndsAt);
        if (endsAt.getTime() <= this.now().getTime()) throw fieldError('body.votingEndsAt', '投票截止时间须晚于现在');
        if (isCivilCodeRule(body.rule)) {
          const { withoutArea } = await scopeFigures(manager, c);
          if (withoutArea > 0) throw conflict(`表决范围内有 ${withoutArea} 户没有登记专有部分面积，不能按《民法典》规则表决；请先补全面积，或改用简单多数`);
        }
        c.status = 'discussing';
        c.rule = body.rule;
        c.votingEndsAt = endsAt;
        await manager.getRepository(ConsultationOptionRow).insert(
          (body.options as string[]).map((label, position) => ({ consultationId: c.id, label, position })),
        );
        note = `表决规则：${VOTING_RULE_LABELS[body.rule as keyof typeof VOTING_RULE_LABELS]}；选项：${(body.options as string[]).join(' / ')}`;
        await this.points?.award(manager, { userId: c.proposerId, rule: 'proposal_approved', sourceKey: c.id, path: c.scopePath });
        break;
      }
      case 'reject':
        c.status = 'rejected';
        c.rejectReason = body.reason;
        note = body.reason;
        break;
      case 'comment': {
        const state = screened?.screening.state ?? 'clear';
        const inserted = await manager.getRepository(ConsultationCommentRow).insert({ consultationId: c.id, userId: actor.userId, body: body.body, moderation: state });
        const commentId = Number(inserted.identifiers[0].id);
        // A held comment earns its point when a reviewer releases it.
        if (state === 'clear') await this.points?.award(manager, { userId: actor.userId, rule: 'comment', sourceKey: commentId, path: c.scopePath });
        else await this.moderation!.open(manager, screened!.content, commentId, screened!.screening, c.id);
        return; // a comment is not a phase change: no version bump, no event
      }
      case 'vote':
        await this.castVote(manager, c, place!.householdId, body.optionId, { method: 'app', userId: actor.userId, recordedById: null, photos: null, note: null });
        await this.points?.award(manager, { userId: actor.userId, rule: 'vote', sourceKey: c.id, path: c.scopePath });
        return;
      case 'ballot':
        await this.recordBallot(manager, actor, c, body);
        return; // not a phase change: no version bump; the timeline line is written by recordBallot
      case 'close':
        note = await this.decide(manager, c);
        break;
      case 'implement': {
        if (body.ownerId && !(await manager.getRepository(User).existsBy({ id: body.ownerId }))) throw fieldError('body.ownerId', '负责人不存在');
        c.status = 'implementing';
        c.plan = body.plan;
        c.ownerId = body.ownerId ?? actor.userId;
        note = body.plan;
        break;
      }
      case 'progress':
        await assertOwnPhotos(manager, actor.userId, body.photos);
        await manager.getRepository(ConsultationProgressRow).insert({ consultationId: c.id, userId: actor.userId, note: body.note, photos: JSON.stringify(body.photos) });
        note = body.note;
        break;
      case 'complete':
        c.status = 'completed';
        c.summary = body.summary;
        note = body.summary;
        break;
    }
    c.version = loadedVersion + 1;
    await this.saveIfUnchanged(manager, c, loadedVersion);
    await this.record(manager, c, action, actor.userId, from, c.status === from ? null : c.status, note);
  }

  /**
   * The household's vote: one row per (consultation, household). Two members at once leave one row, the
   * later choice; an app vote, a paper ballot or a proxy replaces whatever the household cast before.
   */
  private async castVote(
    manager: EntityManager,
    c: Consultation,
    householdId: number,
    optionId: number,
    cast: { method: VoteMethod; userId: number | null; recordedById: number | null; photos: string[] | null; note: string | null },
  ) {
    const option = await manager.getRepository(ConsultationOptionRow).findOneBy({ id: optionId, consultationId: c.id });
    if (!option) throw fieldError('body.optionId', '没有这个选项');
    const fields = { ...cast, optionId, photos: cast.photos ? JSON.stringify(cast.photos) : null, castAt: this.now() };
    const votes = manager.getRepository(ConsultationVote);
    const updated = await votes.update({ consultationId: c.id, householdId }, fields);
    if (updated.affected) return;
    try {
      await votes.insert({ consultationId: c.id, householdId, ...fields });
    } catch (err) {
      // Another member's vote landed first: this one replaces it. Any other error (a deadlock rolled the
      // transaction back) propagates, or the rest would run outside the transaction.
      if (!isUniqueViolation(err)) throw err;
      await votes.update({ consultationId: c.id, householdId }, fields);
    }
  }

  /**
   * Staff record a household's paper ballot (书面表决) or its owner's proxy (委托投票, with the photo of the
   * signed authorisation). It replaces the household's earlier vote, and the timeline says so; the
   * household's members with the app are told.
   */
  private async recordBallot(manager: EntityManager, actor: Actor, c: Consultation, body: Body<'ballot'>) {
    const place = await householdPlace(manager, this.directory, body.householdId);
    if (!place || !householdInScope(c, place)) throw fieldError('body.householdId', '这一户不在本议题的表决范围内');
    await assertOwnPhotos(manager, actor.userId, body.photos);
    const previous = await manager.getRepository(ConsultationVote).findOneBy({ consultationId: c.id, householdId: place.householdId });
    await this.castVote(manager, c, place.householdId, body.optionId, {
      method: body.method,
      userId: null,
      recordedById: actor.userId,
      photos: body.photos,
      note: body.note || null,
    });
    const label = (await householdLabels(manager, [place.householdId])).get(place.householdId)?.label ?? '';
    const replaced = previous ? `（替换了该户此前的${VOTE_METHOD_LABELS[previous.method]}）` : '';
    const note = `工作人员 ${actor.nickname} 代录 ${label} 的${VOTE_METHOD_LABELS[body.method]}${replaced}`;
    const event = await this.record(manager, c, 'ballot', actor.userId, null, null, note);
    const members = (await this.appMembers(manager, [place.householdId])).filter((userId) => userId !== actor.userId);
    await this.notifications.enqueue(
      manager,
      members.map((userId) => ({
        userId,
        kind: 'consultation.ballot',
        title: `议事表决：${c.title}`,
        body: `${note}。如有异议，请联系社区。`,
        link: consultationLink(c.id),
        dedupeKey: `consultation-event:${event.id}`,
      })),
    );
  }

  /** Closes voting: the outcome follows from the tally and the rule alone; what it was computed from is kept. Returns the event's note. */
  private async decide(manager: EntityManager, c: Consultation): Promise<string> {
    const scope = await scopeFigures(manager, c);
    await keepAreasAtClose(manager, c);
    c.status = 'decided';
    c.eligibleAtClose = scope.households;
    c.eligibleAreaAtClose = scope.area / 100;
    const { tally, figures } = await countVotes(manager, c, scope);
    c.outcome = decideOutcome({ rule: c.rule!, ...figures });
    return `表决结果：${OUTCOME_LABELS[c.outcome]}（${participationText(tally)}）`;
  }

  async hideComment(actor: Actor, consultationId: number, commentId: number, reason: string) {
    await this.directory.ensureFresh();
    const c = await this.dataSource.getRepository(Consultation).findOneBy({ id: consultationId });
    if (!c) throw notFound('议题');
    const place = await householdPlace(this.dataSource.manager, this.directory, actor.householdId);
    if (!this.canSee(actor, c, await this.relation(this.dataSource.manager, actor, c, place))) throw notFound('议题');
    if (!holdsRoleOver(actor, CAPABILITY_ROLES.reviewConsultations, c.scopePath)) throw forbidden();
    const comments = this.dataSource.getRepository(ConsultationCommentRow);
    const comment = await comments.findOneBy({ id: commentId, consultationId });
    if (!comment) throw notFound('评论');
    if (comment.hiddenAt) throw conflict('这条评论已被隐藏');
    await transact(this.dataSource, async (manager) => {
      await manager.getRepository(ConsultationCommentRow).update({ id: commentId }, { hiddenAt: this.now(), hiddenReason: reason, hiddenById: actor.userId });
      await touchConsultation(manager, consultationId);
    });
    return this.detail(actor, consultationId);
  }

  /** Voting closes by itself at votingEndsAt; safe with several instances (version-checked update). */
  async closeDue(now = this.now()): Promise<number> {
    const due = await this.dataSource.getRepository(Consultation).findBy({ status: 'discussing', votingEndsAt: LessThanOrEqual(now) });
    let closed = 0;
    for (const candidate of due) {
      closed += Number(
        await transact(this.dataSource, async (manager) => {
          const c = await manager.getRepository(Consultation).findOneBy({ id: candidate.id, version: candidate.version, status: 'discussing' });
          if (!c) return false;
          const loadedVersion = c.version;
          const note = await this.decide(manager, c);
          c.version = loadedVersion + 1;
          try {
            await this.saveIfUnchanged(manager, c, loadedVersion);
          } catch {
            return false;
          }
          await this.record(manager, c, 'auto_close', null, 'discussing', 'decided', `投票截止，${note}`);
          await touchConsultation(manager, c.id);
          return true;
        }),
      );
    }
    if (closed) this.notifications.kick();
    return closed;
  }

  /* ───────── reading ───────── */

  async detail(actor: Actor, id: number): Promise<ConsultationDetail> {
    await this.directory.ensureFresh();
    const manager = this.dataSource.manager;
    const c = await manager.getRepository(Consultation).findOneBy({ id });
    if (!c) throw notFound('议题');
    const place = await householdPlace(manager, this.directory, actor.householdId);
    const relation = await this.relation(manager, actor, c, place);
    if (!this.canSee(actor, c, relation)) throw notFound('议题');
    const scope = await scopeOf(manager, c);
    const { tally } = await countVotes(manager, c, scope);
    const staff = relation.secretaryInScope || relation.recordsBallots || holdsRoleOver(actor, ['admin'], c.scopePath);
    const undecided = c.status === 'proposed' || c.status === 'in_review' || c.status === 'discussing';
    return this.views.detail(manager, c, {
      tally,
      actions: c.moderation === 'clear' ? availableConsultationActions(c.status, relation) : c.status === 'proposed' && relation.isProposer ? ['withdraw'] : [],
      staff,
      householdId: place?.householdId ?? null,
      viewerId: actor.userId,
      voteRefusal:
        c.status === 'discussing' && relation.householdInScope && relation.votingOpen && !castsHouseholdVote(c.rule, relation.householdRelation)
          ? ownerOnlyMessage(relation.householdRelation!)
          : null,
      areasMissing: staff && undecided ? scope.withoutArea : null,
    });
  }

  async list(actor: Actor, query: ListConsultationsQuery): Promise<Page<ConsultationSummary>> {
    await this.directory.ensureFresh();
    const manager = this.dataSource.manager;
    const q = manager.getRepository(Consultation).createQueryBuilder('c');
    if (query.scope === 'mine') q.where('c.proposerId = :me', { me: actor.userId });
    else if (query.scope === 'queue') {
      const paths = actor.scopes.filter((s) => (CAPABILITY_ROLES.reviewConsultations as readonly string[]).includes(s.role)).map((s) => s.nodePath);
      if (paths.length === 0) return { items: [], nextCursor: null };
      q.where(paths.map((_, i) => `c.scopePath LIKE :p${i}`).join(' OR '), Object.fromEntries(paths.map((p, i) => [`p${i}`, `${p}%`])));
    } else {
      const place = await householdPlace(manager, this.directory, actor.householdId);
      if (!place) return { items: [], nextCursor: null };
      // The building's own consultations, and those of the micro-grid and community above it.
      const ancestors = ancestorPaths(place.path);
      q.where('((c.scope = :building AND c.buildingId = :buildingId) OR (c.scope <> :building AND c.scopePath IN (:...ancestors)))', {
        building: 'building',
        buildingId: place.buildingId,
        ancestors,
      });
      // Neighbours see proposals that passed the content check; the proposer sees their own regardless.
      q.andWhere('(c.moderation = :clear OR c.proposerId = :me)', { clear: 'clear', me: actor.userId });
    }
    if (query.status) q.andWhere('c.status = :status', { status: query.status });
    if (query.cursor) q.andWhere('c.id < :cursor', { cursor: query.cursor });
    const rows = await q.orderBy('c.id', 'DESC').take(query.limit + 1).getMany();
    const page = rows.slice(0, query.limit);
    const items = await this.views.summaries(manager, page);
    for (const [i, c] of page.entries()) {
      if (!c.rule) continue; // no voting yet
      items[i].tally = (await countVotes(manager, c, await scopeOf(manager, c))).tally;
    }
    return { items, nextCursor: nextCursor(rows, query.limit) };
  }

  /* ───────── helpers ───────── */

  private async relation(manager: EntityManager, actor: Actor, c: Consultation, place: HouseholdPlace | null): Promise<ConsultationRelation> {
    const supported = place ? await manager.getRepository(ConsultationSupport).existsBy({ consultationId: c.id, householdId: place.householdId }) : false;
    return {
      isProposer: c.proposerId === actor.userId,
      householdInScope: householdInScope(c, place),
      householdSupported: supported,
      secretaryInScope: holdsRoleOver(actor, ['secretary'], c.scopePath),
      // The secretary who runs the vote records paper ballots and proxies; grid workers hand the paper in (README).
      recordsBallots: holdsRoleOver(actor, CAPABILITY_ROLES.reviewConsultations, c.scopePath),
      householdRelation: actor.householdRelation,
      rule: c.rule,
      isOwner: c.ownerId === actor.userId,
      votingOpen: !!c.votingEndsAt && new Date(c.votingEndsAt).getTime() > this.now().getTime(),
      passed: c.status === 'decided' && c.outcome === 'passed',
    };
  }

  private canSee(actor: Actor, c: Consultation, r: ConsultationRelation): boolean {
    if (c.moderation !== 'clear') return r.isProposer || r.secretaryInScope || holdsRoleOver(actor, ['admin'], c.scopePath);
    return r.isProposer || r.householdInScope || r.secretaryInScope || r.isOwner || holdsRoleOver(actor, ['grid_worker', 'admin'], c.scopePath);
  }

  private async lock(manager: EntityManager, id: number): Promise<Consultation> {
    const c = await withLock(manager.getRepository(Consultation).createQueryBuilder('c').where('c.id = :id', { id }), manager).getOne();
    if (!c) throw notFound('议题');
    return c;
  }

  private saveIfUnchanged(manager: EntityManager, c: Consultation, loadedVersion: number) {
    return saveIfUnchanged(manager, Consultation, c, loadedVersion, '议题刚被更新过，请刷新后再操作');
  }

  /** The event line, and the notice to the proposer and the households in scope. */
  private async record(manager: EntityManager, c: Consultation, action: string, actorId: number | null, from: ConsultationStatus | null, to: ConsultationStatus | null, note: string | null) {
    const event = await manager.getRepository(ConsultationEventRow).save(
      manager.getRepository(ConsultationEventRow).create({ consultationId: c.id, action, actorId, fromStatus: from, toStatus: to, note }),
    );
    if (!to) return event; // progress notes, co-signs below the threshold and ballots are not phases
    const audience = await this.audience(manager, c, to);
    await this.notifications.enqueue(
      manager,
      audience
        .filter((userId) => userId !== actorId)
        .map((userId) => ({
          userId,
          kind: `consultation.${to}`,
          title: `议事${CONSULTATION_STATUS_LABELS[to]}：${c.title}`,
          body: note ? note.slice(0, 80) : c.description.slice(0, 80),
          link: consultationLink(c.id),
          dedupeKey: `consultation-event:${event.id}`,
        })),
    );
    return event;
  }

  /** Phases that concern everyone in scope go to all its households' members; review goes to secretaries. */
  private async audience(manager: EntityManager, c: Consultation, to: ConsultationStatus): Promise<number[]> {
    const ids = new Set<number>([c.proposerId]);
    if (to === 'in_review') {
      for (const id of await staffOnNodes(manager, pathIds(c.scopePath), ['secretary'])) ids.add(id);
    }
    if (['discussing', 'decided', 'implementing', 'completed'].includes(to)) {
      for (const id of await this.appMembers(manager, await this.householdIdsInScope(manager, c))) ids.add(id);
    }
    return [...ids];
  }

  /** The verified members of these households who use the app (people without WeChat read no inbox). */
  private async appMembers(manager: EntityManager, householdIds: number[]): Promise<number[]> {
    if (householdIds.length === 0) return [];
    const rows: { userId: unknown }[] = await manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .innerJoin(User, 'u', 'u.id = m.userId')
      .select('DISTINCT m.userId', 'userId')
      .where('m.householdId IN (:...householdIds)', { householdIds })
      .andWhere('m.status = :verified', { verified: 'verified' })
      .andWhere('u.openid IS NOT NULL')
      .getRawMany();
    return rows.map((r) => Number(r.userId));
  }

  private async householdIdsInScope(manager: EntityManager, c: Consultation): Promise<number[]> {
    if (c.scope === 'building') return (await manager.getRepository(Household).findBy({ buildingId: c.buildingId! })).map((h) => h.id);
    const rows: { id: number }[] = await manager
      .getRepository(Household)
      .createQueryBuilder('h')
      .select('h.id', 'id')
      .innerJoin('buildings', 'b', 'b.id = h.buildingId')
      .innerJoin('grid_nodes', 'g', 'g.id = b.microgridId')
      .where('g.path LIKE :prefix', { prefix: `${c.scopePath}%` })
      .getRawMany();
    return rows.map((r) => Number(r.id));
  }
}
