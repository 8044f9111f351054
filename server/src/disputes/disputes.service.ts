import { Brackets, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  availableDisputeActions,
  DISPUTE_ACTION_LABELS,
  DISPUTE_RULES,
  DISPUTE_STATUS_INFO,
  disputeStateAllows,
  MEDIATING_STATUSES,
  nextCursor,
  type CreateDisputeBody,
  type DisputeAction,
  type DisputeActionBody,
  type DisputeDetail,
  type DisputeEventAction,
  type DisputeListPage,
  type DisputePartyInput,
  type DisputeQueueCounts,
  type DisputeStatus,
  type DisputeType,
  type ListDisputesQuery,
  type Priority,
  type RiskLevel,
} from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import { saveIfUnchanged, withLock } from '../db/versioned-rows';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { AppError, conflict, fieldError, forbidden, notFound } from '../platform/errors';
import { nextDailyNumber, placeholderNumber } from '../reports/report-number';
import { Report } from '../reports/report.entity';
import { householdPathOf, personName } from '../residents/household-place';
import { addParties, DISPUTE_ACTION_HANDLERS } from './dispute-actions';
import { Dispute, DisputeEventRow, DisputePartyRow, DisputeSessionRow, DisputeVisitRow, MediatorRow } from './dispute.entities';
import { disputeAudience, disputeMessage, type NotificationSink } from './dispute-notifications';
import { DisputeViews } from './dispute-view';
import type { MediatorsService } from './mediators.service';
import { canSeeDispute, COORDINATOR_ROLES, factsOf, isHandler, REGISTRAR_ROLES, relationTo } from './relation';

const STALE = '这件纠纷刚被其他人更新过，请刷新后再操作';

/** A report's category → the kind of dispute it most likely is (anything else: 其他). */
const TYPE_OF_CATEGORY: Record<string, DisputeType> = { noise: 'neighbour', property: 'property_management', housing: 'housing_land', environment: 'pollution' };
const RISK_OF_PRIORITY: Record<Priority, RiskLevel> = { urgent: 'orange', high: 'yellow', normal: 'normal', low: 'normal' };

/** What a new case is made of, once the caller's claims are checked. */
interface NewCase {
  body: Omit<CreateDisputeBody, 'parties' | 'nodeId' | 'reportId'>;
  parties: DisputePartyInput[];
  node: Pick<GridNodeInfo, 'id' | 'path'>;
  reportId: number | null;
  createdById: number;
  note: string | null;
}

/**
 * 矛盾纠纷调处: cases from registration to agreement, confirmation and closure. Every step runs in one
 * transaction under the case's row lock: the version check (409 CONFLICT), the shared state machine
 * (409 INVALID_TRANSITION, 403 for a role that may not), the change, and one immutable event with
 * its notifications written to the outbox.
 */
export class DisputesService {
  readonly views: DisputeViews;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly mediators: MediatorsService,
    private readonly notifications: NotificationSink,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.views = new DisputeViews(directory);
  }

  /* ───────── register ───────── */

  async register(actor: Actor, body: CreateDisputeBody): Promise<DisputeDetail> {
    await this.directory.ensureFresh();
    const staff = holdsRole(actor, REGISTRAR_ROLES);
    const made = staff ? await this.staffCase(actor, body) : await this.application(actor, body);
    const id = await transactRetrying(this.dataSource, async (manager) => {
      if (made.reportId !== null) await this.lockReportForCase(manager, made.reportId);
      const caseId = await this.create(manager, made);
      // The report links to its case: a new version, so its page is not answered 304 (report-freshness.ts).
      if (made.reportId !== null) await manager.getRepository(Report).update({ id: made.reportId }, { disputeId: caseId, version: () => 'version + 1' });
      return caseId;
    });
    this.notifications.kick();
    return this.detail(actor, id);
  }

  /** A resident's own application (申请调解): in their household's micro-grid, naming only themself. */
  private async application(actor: Actor, body: CreateDisputeBody): Promise<NewCase> {
    if (body.source !== 'application') throw forbidden('只有工作人员可以登记来访或移送的纠纷');
    if (body.reportId !== undefined || body.nodeId !== undefined) throw forbidden('只有工作人员可以指定说事或所属网格');
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: actor.userId });
    const path = user.householdId ? await householdPathOf(this.dataSource.manager, this.directory, user.householdId) : null;
    const node = path ? this.directory.node(Number(path.split('/').filter(Boolean).pop())) : null;
    // No household, no place for the case: refused as for any resident's action without one.
    if (!node) throw forbidden('请先绑定住户，再申请调解');
    body.parties.forEach((p, i) => {
      if (p.userId !== undefined && p.userId !== actor.userId) throw fieldError(`body.parties.${i}.userId`, '只能以本人身份申请');
    });
    const parties = body.parties.some((p) => p.userId === actor.userId) ? body.parties : linkFirstApplicant(body.parties, actor.userId);
    const { parties: _p, nodeId: _n, reportId: _r, ...rest } = body;
    return { body: rest, parties, node, reportId: null, createdById: actor.userId, note: null };
  }

  /** Staff register a walk-in, a referral or their own finding, in their scope; or a report's case. */
  private async staffCase(actor: Actor, body: CreateDisputeBody): Promise<NewCase> {
    if (body.source === 'report' && body.reportId === undefined) throw fieldError('body.reportId', '说事转入须指明说事');
    let node: Pick<GridNodeInfo, 'id' | 'path'> | undefined;
    let note: string | null = null;
    if (body.reportId !== undefined) {
      const report = await this.dataSource.getRepository(Report).findOneBy({ id: body.reportId });
      if (!report || !holdsRoleOver(actor, REGISTRAR_ROLES, report.gridPath)) throw fieldError('body.reportId', '说事不存在或不在您的辖区');
      node = { id: report.gridNodeId, path: report.gridPath };
      note = `由说事 ${report.number} 转入`;
    } else if (body.nodeId !== undefined) {
      node = this.directory.node(body.nodeId);
      if (!node) throw fieldError('body.nodeId', '网格不存在');
      if (!holdsRoleOver(actor, REGISTRAR_ROLES, node.path)) throw forbidden('该网格不在您的管辖范围内');
    } else {
      const scope = actor.scopes.filter((s) => (REGISTRAR_ROLES as readonly string[]).includes(s.role)).sort((a, b) => b.nodePath.length - a.nodePath.length)[0];
      node = { id: scope.nodeId, path: scope.nodePath };
    }
    const { parties, nodeId: _n, reportId, ...rest } = body;
    return { body: rest, parties, node, reportId: reportId ?? null, createdById: actor.userId, note };
  }

  /**
   * The case a report becomes when it is accepted with handling method `mediation`: its reporter is
   * the applicant; the other side is added at the first session. Runs in the report's transaction,
   * which links the report to the case (report-actions.ts accept) and saves it with its version check.
   */
  async fromReport(manager: EntityManager, report: Report, categoryName: string, actorId: number): Promise<number> {
    if (report.anonymous) throw fieldError('body.handlingMethod', '匿名说事不能转为矛盾调解：调解须由当事人本人参加');
    const reporter = await manager.getRepository(User).findOneByOrFail({ id: report.reporterId });
    const description = report.description.length >= 10 ? report.description : `${report.description}（由说事转入）`;
    return this.create(manager, {
      body: {
        title: `${categoryName}：${report.description}`.slice(0, 60),
        description,
        type: TYPE_OF_CATEGORY[report.categoryCode] ?? 'other',
        source: 'report',
        riskLevel: RISK_OF_PRIORITY[report.priority ?? 'normal'],
      },
      parties: [{ role: 'applicant', name: personName(reporter), phone: reporter.phone ?? undefined, userId: reporter.id }],
      node: { id: report.gridNodeId, path: report.gridPath },
      reportId: report.id,
      createdById: actorId,
      note: `由说事 ${report.number} 转入`,
    });
  }

  /** A report becomes one case at most: locked, and linked back, in the caller's transaction. */
  private async lockReportForCase(manager: EntityManager, reportId: number): Promise<void> {
    const report = await withLock(manager.getRepository(Report).createQueryBuilder('r').where('r.id = :id', { id: reportId }), manager).getOne();
    if (!report) throw fieldError('body.reportId', '说事不存在');
    if (report.disputeId) throw conflict(`这条说事已转为纠纷案件（#${report.disputeId}）`);
  }

  private async create(manager: EntityManager, made: NewCase): Promise<number> {
    const repo = manager.getRepository(Dispute);
    const dispute = repo.create({
      number: placeholderNumber(),
      title: made.body.title,
      description: made.body.description,
      type: made.body.type,
      source: made.body.source,
      riskLevel: made.body.riskLevel ?? 'normal',
      amount: made.body.amount ?? null,
      peopleInvolved: made.body.peopleInvolved ?? null,
      status: 'registered',
      version: 0,
      nodeId: made.node.id,
      nodePath: made.node.path,
      reportId: made.reportId,
      createdById: made.createdById,
    });
    await repo.save(dispute);
    await addParties(manager, dispute.id, made.parties);
    dispute.number = await nextDailyNumber(manager, this.now(), 'dispute_number', 'TJ');
    await manager.createQueryBuilder().update(Dispute).set({ number: dispute.number }).where('id = :id', { id: dispute.id }).updateEntity(false).execute();
    await this.recordEvent(manager, dispute, 'register', made.createdById, null, 'registered', made.note, []);
    return dispute.id;
  }

  /* ───────── transitions ───────── */

  async act<A extends DisputeAction>(actor: Actor, id: number, action: A, body: DisputeActionBody<A>): Promise<DisputeDetail> {
    await this.directory.ensureFresh();
    await transactRetrying(this.dataSource, async (manager) => {
      const dispute = await this.lock(manager, id);
      const relation = relationTo(actor, dispute, await this.partyUserIds(manager, id));
      if (!canSeeDispute(actor, dispute, relation)) throw notFound('纠纷');
      if (body.version !== undefined && body.version !== dispute.version) throw conflict(STALE);
      const rule = DISPUTE_RULES[action];
      if (!disputeStateAllows(action, dispute.status, factsOf(dispute))) {
        if (rule.from.includes(dispute.status) && rule.conflict) throw conflict(rule.conflict);
        throw new AppError('INVALID_TRANSITION', `案件${DISPUTE_STATUS_INFO[dispute.status].label}，不能${DISPUTE_ACTION_LABELS[action]}`);
      }
      if (!rule.may(relation)) throw forbidden();
      const fromStatus = dispute.status;
      const loadedVersion = dispute.version;
      const effect = await DISPUTE_ACTION_HANDLERS[action]({ manager, dispute, actorId: actor.userId, now: this.now(), mediators: this.mediators }, body as never);
      if (effect.toStatus) dispute.status = effect.toStatus;
      dispute.version = loadedVersion + 1;
      await saveIfUnchanged(manager, Dispute, dispute, loadedVersion, STALE);
      await this.recordEvent(manager, dispute, action, actor.userId, fromStatus, effect.toStatus, effect.note, effect.photos ?? []);
    });
    this.notifications.kick();
    return this.detail(actor, id);
  }

  /** Row lock where the database has one (MySQL/MariaDB); the embedded database serialises transactions. */
  async lock(manager: EntityManager, id: number): Promise<Dispute> {
    const dispute = await withLock(manager.getRepository(Dispute).createQueryBuilder('d').where('d.id = :id', { id }), manager).getOne();
    if (!dispute) throw notFound('纠纷');
    return dispute;
  }

  /** Writes the step's event and tells everyone it concerns, in the caller's transaction. */
  async recordEvent(
    manager: EntityManager,
    dispute: Dispute,
    action: DisputeEventAction,
    actorId: number | null,
    fromStatus: DisputeStatus | null,
    toStatus: DisputeStatus | null,
    note: string | null,
    photos: string[],
    audience?: number[],
  ): Promise<DisputeEventRow> {
    const events = manager.getRepository(DisputeEventRow);
    const event = await events.save(events.create({ disputeId: dispute.id, action, actorId, fromStatus, toStatus, note, photos: photos.length ? JSON.stringify(photos) : null }));
    const to = audience ?? (await disputeAudience(manager, dispute, action, actorId));
    await this.notifications.enqueue(manager, to.map((userId) => disputeMessage(dispute, action, userId, event.id)));
    return event;
  }

  private async partyUserIds(manager: EntityManager, disputeId: number): Promise<number[]> {
    const rows = await manager.getRepository(DisputePartyRow).find({ select: { id: true, userId: true }, where: { disputeId } });
    return rows.map((r) => r.userId).filter((id): id is number => id !== null);
  }

  /* ───────── reading ───────── */

  /** The case as the caller may see it (404 for anyone who may not), with the actions open to them. */
  async detail(actor: Actor, id: number): Promise<DisputeDetail> {
    await this.directory.ensureFresh();
    const { dispute, relation } = await this.visible(actor, id);
    const manager = this.dataSource.manager;
    const [parties, sessions, visits, events] = await Promise.all([
      manager.getRepository(DisputePartyRow).find({ where: { disputeId: id }, order: { id: 'ASC' } }),
      manager.getRepository(DisputeSessionRow).find({ where: { disputeId: id }, order: { heldAt: 'ASC', id: 'ASC' } }),
      manager.getRepository(DisputeVisitRow).find({ where: { disputeId: id }, order: { id: 'ASC' } }),
      manager.getRepository(DisputeEventRow).find({ where: { disputeId: id }, order: { id: 'ASC' } }),
    ]);
    const actions = availableDisputeActions(dispute.status, factsOf(dispute), relation);
    return this.views.detail(manager, actor, dispute, { parties, sessions, visits, events }, relation, actions, this.now());
  }

  /** The case and how the caller stands to it, or 404. */
  async visible(actor: Actor, id: number) {
    const dispute = await this.dataSource.getRepository(Dispute).findOneBy({ id });
    if (!dispute) throw notFound('纠纷');
    const relation = relationTo(actor, dispute, await this.partyUserIds(this.dataSource.manager, id));
    if (!canSeeDispute(actor, dispute, relation)) throw notFound('纠纷');
    return { dispute, relation, handler: isHandler(relation) };
  }

  async list(actor: Actor, query: ListDisputesQuery): Promise<DisputeListPage> {
    await this.directory.ensureFresh();
    const page = this.scoped(actor, query.scope);
    if (query.status) page.andWhere('d.status = :status', { status: query.status });
    if (query.type) page.andWhere('d.type = :type', { type: query.type });
    if (query.cursor) page.andWhere('d.id < :cursor', { cursor: query.cursor });
    const rows = await page.orderBy('d.id', 'DESC').take(query.limit + 1).getMany();
    const items = await this.views.summaries(this.dataSource.manager, rows.slice(0, query.limit), this.now());
    const next = nextCursor(rows, query.limit);
    if (query.scope !== 'queue') return { items, nextCursor: next };
    return { items, nextCursor: next, counts: await this.counts(actor) };
  }

  /** mine: I am a party or registered it; queue: assigned to me, or under a node I coordinate. */
  private scoped(actor: Actor, scope: ListDisputesQuery['scope']): SelectQueryBuilder<Dispute> {
    const query = this.dataSource.getRepository(Dispute).createQueryBuilder('d');
    if (scope === 'mine') {
      const asParty = query.subQuery().select('p.disputeId').from(DisputePartyRow, 'p').where('p.userId = :me').getQuery();
      return query.where(new Brackets((any) => any.where(`d.id IN ${asParty}`).orWhere('d.createdById = :me')), { me: actor.userId });
    }
    const coordinated = actor.scopes.filter((s) => (COORDINATOR_ROLES as readonly string[]).includes(s.role));
    return query.where(
      new Brackets((any) => {
        any.where('d.mediatorUserId = :me', { me: actor.userId });
        coordinated.forEach((s, i) => any.orWhere(`d.nodePath LIKE :scope${i}`, { [`scope${i}`]: `${s.nodePath}%` }));
      }),
    );
  }

  private async counts(actor: Actor): Promise<DisputeQueueCounts> {
    const counted: DisputeStatus[] = ['registered', ...MEDIATING_STATUSES, 'agreed'];
    const rows: { status: DisputeStatus; n: unknown; overdue: unknown }[] = await this.scoped(actor, 'queue')
      .andWhere('d.status IN (:...counted)', { counted })
      .select('d.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN d.dueAt < :now THEN 1 ELSE 0 END)', 'overdue')
      .setParameter('now', this.now())
      .groupBy('d.status')
      .getRawMany();
    const count = (status: DisputeStatus) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    const overdue = rows.filter((r) => MEDIATING_STATUSES.includes(r.status)).reduce((sum, r) => sum + Number(r.overdue ?? 0), 0);
    return { registered: count('registered'), accepted: count('accepted'), mediating: count('mediating'), agreed: count('agreed'), overdue };
  }

  /** The rows the 协议书 is made from, for the handlers and the parties, once there is a written agreement. */
  async agreementSource(actor: Actor, id: number) {
    const { dispute, relation, handler } = await this.visible(actor, id);
    if (!handler && !relation.isParty) throw forbidden('只有当事人和调解人员可以下载协议书');
    if (!dispute.agreedAt) throw new AppError('INVALID_TRANSITION', '本案尚未达成调解协议');
    if (dispute.agreementForm !== 'written') throw conflict('口头协议记入调解记录，不出具协议书');
    const [parties, mediator] = await Promise.all([
      this.dataSource.getRepository(DisputePartyRow).find({ where: { disputeId: id }, order: { id: 'ASC' } }),
      dispute.mediatorId ? this.dataSource.getRepository(MediatorRow).findOneBy({ id: dispute.mediatorId }) : null,
    ]);
    return { dispute, parties, mediator, place: this.directory.pathOf(dispute.nodeId) };
  }
}

/** The caller becomes the first applicant (a resident applying names themself). */
function linkFirstApplicant(parties: DisputePartyInput[], userId: number): DisputePartyInput[] {
  const first = parties.findIndex((p) => p.role === 'applicant');
  return parties.map((p, i) => (i === first ? { ...p, userId } : p));
}
