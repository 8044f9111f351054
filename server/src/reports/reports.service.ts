import { Brackets, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  availableReportActions,
  canApplyReportAction,
  CAPABILITY_ROLES,
  isLegalReportAction,
  REPORT_ACTION_LABELS,
  REPORT_RULES,
  REPORT_STATUS_INFO,
  type ReportFacts,
  SUPERVISABLE_STATUSES,
  type CreateReportBody,
  type ListReportsQuery,
  type Page,
  type ReportAction,
  type ReportActionBody,
  type ReportAssignee,
  type ReportDetail,
  type ReportQueueCounts,
  type ReportStatus,
  type ReportSummary,
  type ListSort,
  DUE_SOON_HOURS,
  nextSortedCursor,
  OPEN_STATUSES,
  statusesOf,
} from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import { saveIfUnchanged, withLock } from '../db/versioned-rows';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { AppError, conflict, forbidden, notFound } from '../platform/errors';
import { categoryCacheFor } from './category-cache';
import { Department } from './department.entity';
import { REPORT_ACTION_HANDLERS } from './report-actions';
import { ReportCategoryRow } from './report-category.entity';
import { ReportEventRow } from './report-event.entity';
import { ReportFollower } from './report-follower.entity';
import { reportAudience, reportMessage, type NotificationSink } from './report-notifications';
import { nextReportNumber, numberingNode, placeholderNumber } from './report-number';
import { ReportReads } from './report-reads';
import { Report } from './report.entity';
import { ReportViews } from './report-view';
import { isStampedList, ReportFreshness } from './report-freshness';
import { eligibleAssignees } from './assignees';
import { assertOwnPhotos } from '../uploads/upload-registry';
import { followerCommunityPath, openToNeighbours, relationTo, sightOf, type ReportSight } from './relation';
import type { PointsAwarder } from '../points/points.service';
import type { ModeratedContent, ModerationService, Screening } from '../moderation/moderation.service';
import { ratingModerationHandler, reportModerationHandler } from './report-moderation';
import { callerColumns, callerView, reporterPhoneView } from './report-caller';
import { keyedRows, orderedIds, reportSearch } from './report-list';

/** Who files for residents and through other channels, and sees whom a report may go to (the app shows 代居民登记 to them). */
const TRIAGE_ROLES = CAPABILITY_ROLES.fileOnBehalf;
/** The roles through which one may see reports beyond one's own community (relation.ts). */
const SIGHTED_ROLES = [...TRIAGE_ROLES, 'department'] as const;

export class ReportsService {
  readonly views: ReportViews;
  /** The pages' freshness stamps (ETags that cost one small query). */
  readonly freshness: ReportFreshness;
  private readonly reads: ReportReads;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly notifications: NotificationSink,
    private readonly now: () => Date = () => new Date(),
    private readonly consultations?: { fromReport(manager: EntityManager, report: { id: number; reporterId: number; description: string; categoryName: string }): Promise<number> },
    /** Civility points: the reporter earns report_closed when a report closes rated ≥ 3. */
    private readonly points?: PointsAwarder,
    /** Content checks: a report's text and photos are screened before anyone but its reporter sees them. */
    private readonly moderation?: ModerationService,
    /** 矛盾纠纷调处: a report accepted with handling method `mediation` becomes a dispute case. */
    private readonly disputes?: { fromReport(manager: EntityManager, report: Report, categoryName: string, actorId: number): Promise<number> },
  ) {
    this.views = new ReportViews(directory);
    this.freshness = new ReportFreshness(dataSource, directory, now);
    this.reads = new ReportReads(dataSource);
    moderation?.register('report', reportModerationHandler(this));
    moderation?.register('report_rating', ratingModerationHandler);
  }

  /* ───────── submit ───────── */

  async submit(actor: Actor, body: CreateReportBody, idempotencyKey: string | null): Promise<{ report: ReportDetail; created: boolean }> {
    const caller = callerColumns(actor, body);
    const reporterId = await this.reporterFor(actor, body);
    if (idempotencyKey) {
      const existing = await this.dataSource.getRepository(Report).findOneBy({ reporterId, idempotencyKey });
      if (existing) return { report: await this.detail(actor, existing.id), created: false };
    }
    // The filer's own uploads, also when filing for a resident: checked before any is shown to WeChat.
    await assertOwnPhotos(this.dataSource.manager, actor.userId, body.photos);
    // From the instance's short-lived copy; one created on another instance moments ago is read.
    const category =
      (await categoryCacheFor(this.dataSource).get()).categories.get(body.categoryCode) ??
      (await this.dataSource.getRepository(ReportCategoryRow).findOneBy({ code: body.categoryCode }));
    if (!category) throw new AppError('VALIDATION_FAILED', '没有这个说事类别', [{ path: 'body.categoryCode', message: '没有这个说事类别' }]);
    const node = await this.route(actor, reporterId, body);
    const street = numberingNode(node.path, (id) => this.directory.node(id));
    const content: ModeratedContent = {
      subjectType: 'report',
      authorId: reporterId,
      nodePath: node.path,
      text: [body.description, body.address].filter(Boolean).join('\n'),
      photos: body.photos,
      scene: 'forum',
    };
    const screening = this.moderation ? await this.moderation.screen(content) : null;
    try {
      const id = await transactRetrying(this.dataSource, async (manager) => {
        // The street's number of the day is taken last: its counter row stays locked until the commit and
        // every submission in the street waits for it, so all that does not need the number is written
        // first, under a placeholder no one else can read before the commit.
        const report = manager.getRepository(Report).create({
          number: placeholderNumber(),
          status: 'submitted',
          version: 0,
          categoryCode: category.code,
          description: body.description,
          photos: JSON.stringify(body.photos),
          lat: body.location?.lat ?? null,
          lng: body.location?.lng ?? null,
          address: body.address ?? null,
          anonymous: body.anonymous,
          channel: body.channel,
          reporterId,
          createdById: actor.userId,
          gridNodeId: node.id,
          gridPath: node.path,
          idempotencyKey,
          moderation: screening?.state ?? 'clear',
          ...caller,
        });
        await manager.getRepository(Report).save(report);
        const event = await this.writeEvent(manager, report, 'submit', actor.userId, null, 'submitted', onBehalfNote(actor, reporterId, body), body.photos);
        if (screening) await this.moderation!.open(manager, content, report.id, screening);
        const audience = await reportAudience(manager, this.directory, report, 'submit', actor.userId);
        report.number = await nextReportNumber(manager, this.now(), street);
        await manager.createQueryBuilder().update(Report).set({ number: report.number }).where('id = :id', { id: report.id }).updateEntity(false).execute();
        await this.notify(manager, report, 'submit', audience, event.id);
        return report.id;
      });
      this.notifications.kick();
      return { report: await this.detail(actor, id), created: true };
    } catch (err) {
      // Two retries with one Idempotency-Key raced: the unique key let one through; answer with it.
      if (idempotencyKey) {
        const winner = await this.dataSource.getRepository(Report).findOneBy({ reporterId, idempotencyKey });
        if (winner) return { report: await this.detail(actor, winner.id), created: false };
      }
      throw err;
    }
  }

  /** The resident the report is about: the caller, or (staff only) the resident they file for. */
  private async reporterFor(actor: Actor, body: CreateReportBody): Promise<number> {
    if (!body.onBehalfOfUserId || body.onBehalfOfUserId === actor.userId) {
      if (body.channel !== 'miniprogram' && !holdsRole(actor, TRIAGE_ROLES)) throw forbidden('只有工作人员可以登记其他渠道的说事');
      return actor.userId;
    }
    const resident = await this.dataSource.getRepository(User).findOneBy({ id: body.onBehalfOfUserId });
    if (!resident) throw new AppError('VALIDATION_FAILED', '居民不存在', [{ path: 'body.onBehalfOfUserId', message: '居民不存在' }]);
    const path = resident.householdId ? await this.householdPath(resident.householdId) : null;
    if (!path || !holdsRoleOver(actor, TRIAGE_ROLES, path)) throw forbidden('只能为本辖区的居民代登记');
    return resident.id;
  }

  /** Routing: the place → its micro-grid; else the reporter's household; else the filer's own scope. */
  private async route(actor: Actor, reporterId: number, body: CreateReportBody) {
    await this.directory.ensureFresh();
    if (body.location) {
      const located = this.directory.locate(body.location.lat, body.location.lng);
      if (located && located.level !== 'district' && located.level !== 'street') return located;
    }
    const reporter = await this.dataSource.getRepository(User).findOneByOrFail({ id: reporterId });
    if (reporter.householdId) {
      const building = await this.buildingOf(reporter.householdId);
      const node = building && this.directory.node(building.microgridId);
      if (node) return node;
    }
    const staffScope = actor.scopes.find((s) => (TRIAGE_ROLES as readonly string[]).includes(s.role));
    if (staffScope) return this.directory.node(staffScope.nodeId)!;
    throw new AppError('VALIDATION_FAILED', '请先绑定住户，或在地图上选择问题所在位置', [{ path: 'body.location', message: '这个位置不在本平台的网格内' }]);
  }

  private async buildingOf(householdId: number) {
    const household = await this.dataSource.getRepository(Household).findOneBy({ id: householdId });
    return household ? this.dataSource.getRepository(Building).findOneBy({ id: household.buildingId }) : null;
  }

  private async householdPath(householdId: number): Promise<string | null> {
    const building = await this.buildingOf(householdId);
    await this.directory.ensureFresh();
    return building ? (this.directory.node(building.microgridId)?.path ?? null) : null;
  }

  /* ───────── transitions ───────── */

  async act<A extends ReportAction>(actor: Actor, reportId: number, action: A, body: ReportActionBody<A>): Promise<ReportDetail> {
    const rating = action === 'rate' ? await this.screenRating(actor, reportId, (body as ReportActionBody<'rate'>).comment) : null;
    const communityPath = await this.communityPathOf(actor);
    await transactRetrying(this.dataSource, async (manager) => {
      const report = await this.lockReport(manager, reportId);
      const relation = relationTo(actor, report, { isFollower: await this.isFollower(manager, report.id, actor.userId), communityPath });
      // A neighbour may +1 what /reports/nearby shows them; to anyone else a report they cannot see does not exist.
      if (!sightOf(actor, report, relation) && !(action === 'follow' && openToNeighbours(report, relation))) throw notFound('说事');
      if (report.moderation !== 'clear') throw conflict('这条说事的内容正在审核，审核通过后才能办理');
      if (body.version !== undefined && body.version !== report.version) {
        throw conflict('这条说事刚被其他人更新过，请刷新后再操作');
      }
      const facts = reportFacts(report);
      if (!isLegalReportAction(action, report.status, facts)) throw illegal(action, report, facts);
      if (action === 'follow' && relation.isFollower) throw conflict('您已关注过这条说事');
      if (!canApplyReportAction(action, report.status, relation, facts)) throw forbidden();
      const fromStatus = report.status;
      const loadedVersion = report.version;
      const toConsultation = this.consultations
        ? (m: EntityManager, r: Report, categoryName: string) => this.consultations!.fromReport(m, { ...r, categoryName })
        : undefined;
      const assignees = () => eligibleAssignees(manager, this.directory, report);
      const toDispute = this.disputes ? (m: EntityManager, r: Report, categoryName: string) => this.disputes!.fromReport(m, r, categoryName, actor.userId) : undefined;
      const effect = await REPORT_ACTION_HANDLERS[action]({ manager, report, actorId: actor.userId, now: this.now(), toConsultation, assignees, toDispute }, body as never);
      if (effect.toStatus) report.status = effect.toStatus;
      report.version = loadedVersion + 1;
      await this.saveIfUnchanged(manager, report, loadedVersion);
      if (action === 'rate' && effect.toStatus === 'closed' && (report.rating ?? 0) >= 3) {
        await this.points?.award(manager, { userId: report.reporterId, rule: 'report_closed', sourceKey: report.id, path: report.gridPath });
      }
      for (const step of effect.steps ?? []) {
        await this.recordEvent(manager, { ...report, status: step.toStatus } as Report, step.action, actor.userId, step.fromStatus, step.toStatus, step.note, []);
      }
      if (effect.recordEvent !== false && !effect.steps) {
        const event = await this.recordEvent(manager, report, action, actor.userId, fromStatus, effect.toStatus, effect.note, effect.photos ?? []);
        if (rating && rating.screening.state !== 'clear') {
          await ratingModerationHandler.setState(manager, event.id, rating.screening.state);
          await this.moderation!.open(manager, { ...rating.content, nodePath: report.gridPath }, event.id, rating.screening, report.id);
        }
      }
    });
    this.notifications.kick();
    // Who handed it back no longer sees it; they are answered once with what they just did.
    return this.detail(actor, reportId, action === 'return' ? 'full' : null);
  }

  /** A rating's comment is checked before the transaction (the check may wait on WeChat). */
  private async screenRating(actor: Actor, reportId: number, comment: string | undefined): Promise<{ content: ModeratedContent; screening: Screening } | null> {
    if (!this.moderation || !comment) return null;
    const report = await this.dataSource.getRepository(Report).findOneBy({ id: reportId });
    if (!report) return null; // act() answers 404
    const content: ModeratedContent = { subjectType: 'report_rating', authorId: actor.userId, nodePath: report.gridPath, text: comment, photos: [], scene: 'comment' };
    return { content, screening: await this.moderation.screen(content) };
  }

  /** Row lock where the database has one (MySQL/MariaDB); the embedded database serialises transactions. */
  async lockReport(manager: EntityManager, id: number): Promise<Report> {
    const report = await withLock(manager.getRepository(Report).createQueryBuilder('r').where('r.id = :id', { id }), manager).getOne();
    if (!report) throw notFound('说事');
    return report;
  }

  /** Writes the report only if nobody changed it since it was read: the version is the guard. */
  saveIfUnchanged(manager: EntityManager, report: Report, loadedVersion: number): Promise<void> {
    return saveIfUnchanged(manager, Report, report, loadedVersion, '这条说事刚被其他人更新过，请刷新后再操作');
  }

  /** Writes the step's event and tells everyone it concerns, in the caller's transaction. */
  async recordEvent(...step: Parameters<ReportsService['writeEvent']>): Promise<ReportEventRow> {
    const [manager, report, action, actorId] = step;
    const event = await this.writeEvent(...step);
    await this.notify(manager, report, action, await reportAudience(manager, this.directory, report, action, actorId), event.id);
    return event;
  }

  private writeEvent(
    manager: EntityManager,
    report: Report,
    action: ReportEventRow['action'],
    actorId: number | null,
    fromStatus: ReportStatus | null,
    toStatus: ReportStatus | null,
    note: string | null,
    photos: string[],
  ): Promise<ReportEventRow> {
    return manager.getRepository(ReportEventRow).save(
      manager.getRepository(ReportEventRow).create({
        reportId: report.id,
        action,
        actorId,
        fromStatus,
        toStatus,
        note,
        photos: photos.length ? JSON.stringify(photos) : null,
      }),
    );
  }

  private async notify(manager: EntityManager, report: Report, action: ReportEventRow['action'], audience: number[], eventId: number): Promise<void> {
    await this.notifications.enqueue(manager, audience.map((userId) => reportMessage(report, action, userId, eventId)));
  }

  private async isFollower(manager: EntityManager, reportId: number, userId: number): Promise<boolean> {
    return (await manager.getRepository(ReportFollower).countBy({ reportId, userId })) > 0;
  }

  /* ───────── reading ───────── */

  /**
   * `sightAfterOwnAction`: the answer to an action that took the caller's sight away (a return).
   * `onStamp`: given the page's freshness stamp (report-freshness.ts), read with the page.
   */
  async detail(actor: Actor, id: number, sightAfterOwnAction: ReportSight | null = null, onStamp?: (stamp: string) => void): Promise<ReportDetail> {
    const manager = this.dataSource.manager;
    await this.directory.ensureFresh();
    // Side by side: the timeline is read before knowing the caller may see it, and dropped if not (rare).
    const [found, timeline] = await Promise.all([this.reads.report(id, actor.userId), this.reads.timeline(id)]);
    if (!found) throw notFound('说事');
    const { report, isFollower } = found;
    const { events } = timeline;
    // Its reporter sees it in full and never +1s it: no need to know where they live.
    const communityPath = report.reporterId === actor.userId ? null : await this.communityPathOf(actor);
    const relation = relationTo(actor, report, { isFollower, communityPath });
    const sight = sightOf(actor, report, relation) ?? sightAfterOwnAction;
    if (!sight) throw notFound('说事');
    const actions = report.moderation === 'clear' ? availableReportActions(report.status, relation, reportFacts(report)) : [];
    const view = await this.views.detail(manager, actor, report, events, { actions, sight }, this.now(), new Map([...found.names, ...timeline.names]));
    // The page's freshness stamp from the row it was built from (a request that holds no tag reads no other).
    if (onStamp) onStamp(await this.freshness.ofReportRow(found.stampRow, report));
    const [caller, reporterPhoneMasked] = await Promise.all([callerView(manager, actor, report, relation), reporterPhoneView(manager, actor, report, relation)]);
    return { ...view, ...(caller ? { caller } : {}), ...(reporterPhoneMasked !== undefined ? { reporterPhoneMasked } : {}) };
  }

  /** The community the caller is a neighbour in (relation.ts says through which household). */
  private async communityPathOf(actor: Actor): Promise<string | null> {
    await this.directory.ensureFresh();
    return followerCommunityPath(this.dataSource.manager, this.directory, actor);
  }

  /** `onStamp`: given my reports' freshness stamp (report-freshness.ts `ofList`), read with the page. */
  async list(actor: Actor, query: ListReportsQuery, onStamp?: (stamp: string) => void): Promise<Page<ReportSummary> & { counts?: ReportQueueCounts }> {
    await this.directory.ensureFresh();
    const sort = query.sort ?? 'id';
    const size = query.limit + 1;
    // Only a staff queue is searched by people: its reports are seen in full, reporter and all.
    const search = query.q ? reportSearch(query.q, query.scope === 'queue') : null;
    const narrowed = (page: SelectQueryBuilder<Report>) => {
      if (query.categoryCode) page.andWhere('r.categoryCode = :category', { category: query.categoryCode });
      if (search) page.andWhere(search);
      return page;
    };
    const filtered = (page: SelectQueryBuilder<Report>) => {
      if (query.status) page.andWhere('r.status IN (:...statuses)', { statuses: statusesOf(query.status) });
      if (query.overdue === 'true') this.whereOverdue(page);
      if (query.dueSoon === 'true') this.whereDueSoon(page);
      return orderedIds(narrowed(page), sort, query.cursor).limit(size);
    };
    const withStamp = isStampedList(query) && onStamp !== undefined;
    const own = query.scope === 'queue' ? null : await this.ownRows(actor, query.scope, filtered, sort, query.limit, withStamp);
    const { keyed, reports, names } = own ?? (await this.queueRows(actor, filtered, sort, size, query.limit));
    if (withStamp) onStamp!(await this.stampList(actor, query, own!.stampRow));
    // What one follows is seen as a neighbour sees it, whoever else one is.
    const sight = query.scope === 'following' ? 'neighbour' : 'full';
    const items = await this.views.summaries(this.dataSource.manager, actor, reports, this.now(), sight, names);
    const next = nextSortedCursor(keyed, query.limit, sort, (row) => row.keys);
    if (query.scope !== 'queue') return { items, nextCursor: next };
    // The tiles above the list count what it would show under each status: same category, same search.
    return { items, nextCursor: next, counts: await this.counts(narrowed(await this.scoped(actor, 'queue'))) };
  }

  /**
   * A resident's list (mine, following): its page with the rows and names in one statement; `withStamp`,
   * my reports' stamp read in it too (on each row): `stampRow`, null when the page has no row to carry it.
   */
  private async ownRows(
    actor: Actor,
    scope: ListReportsQuery['scope'],
    filtered: (page: SelectQueryBuilder<Report>) => SelectQueryBuilder<Report>,
    sort: ListSort,
    limit: number,
    withStamp: boolean,
  ) {
    const query = filtered(await this.scoped(actor, scope));
    const page = await this.reads.page(withStamp ? this.freshness.addListStamp(query, actor) : query);
    const keyed = keyedRows(sort, page.raw);
    const reports = keyed.slice(0, limit).map((row) => page.reports.get(row.id)!);
    return { keyed, reports, names: page.names, stampRow: page.raw[0] ?? null };
  }

  /** My reports' stamp from the page's row of it; a page with no row (none of mine yet, or past the end) reads it on its own. */
  private stampList(actor: Actor, query: ListReportsQuery, row: Record<string, unknown> | null): Promise<string> {
    return row ? this.freshness.ofListRow(row, query) : this.freshness.ofList(actor, query).then((stamp) => stamp!);
  }

  /**
   * A staff queue's page. Asked as one query with its ORs, the database merges every report the caller
   * ever covered (a grid's whole history) and sorts them to return 20. Asked per way in (each its own
   * index range, ids and sort keys only, its own first `size`), then their union sorted: the same page,
   * since the first of a union are among the first of each part — in one statement with the rows.
   */
  private async queueRows(actor: Actor, filtered: (page: SelectQueryBuilder<Report>) => SelectQueryBuilder<Report>, sort: ListSort, size: number, limit: number) {
    const repository = this.dataSource.getRepository(Report);
    const page = await this.reads.union(this.queueBranches(actor).map((branch) => filtered(repository.createQueryBuilder('r').where(branch))), sort, size);
    const keyed = keyedRows(sort, page.raw);
    return { keyed, reports: keyed.slice(0, limit).map((row) => page.reports.get(row.id)!), names: page.names };
  }

  /** One pass over the open and resolved reports of the scope (a few rows, not its whole history). */
  private async counts(scope: SelectQueryBuilder<Report>): Promise<ReportQueueCounts> {
    const now = this.now();
    const byStatus: { status: ReportStatus; n: unknown; overdue: unknown; dueSoon: unknown }[] = await scope
      .andWhere('r.status IN (:...counted)', { counted: OPEN_STATUSES })
      .select('r.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN r.dueAt < :now THEN 1 ELSE 0 END)', 'overdue')
      .addSelect('SUM(CASE WHEN r.dueAt >= :now AND r.dueAt < :soon THEN 1 ELSE 0 END)', 'dueSoon')
      .setParameters({ now, soon: dueSoonLimit(now) })
      .groupBy('r.status')
      .getRawMany();
    const count = (status: ReportStatus) => Number(byStatus.find((row) => row.status === status)?.n ?? 0);
    const supervisable = byStatus.filter((row) => (SUPERVISABLE_STATUSES as readonly string[]).includes(row.status));
    const sum = (field: 'overdue' | 'dueSoon') => supervisable.reduce((total, row) => total + Number(row[field] ?? 0), 0);
    return {
      submitted: count('submitted'),
      accepted: count('accepted'),
      dispatched: count('dispatched'),
      in_progress: count('in_progress'),
      resolved: count('resolved'),
      overdue: sum('overdue'),
      dueSoon: sum('dueSoon'),
    };
  }

  private whereOverdue(query: SelectQueryBuilder<Report>) {
    return query.andWhere('r.dueAt < :now', { now: this.now() }).andWhere('r.status IN (:...open)', { open: SUPERVISABLE_STATUSES });
  }

  /** 即将超期: still being handled, not yet past due, due within DUE_SOON_HOURS. */
  private whereDueSoon(query: SelectQueryBuilder<Report>) {
    const now = this.now();
    return query
      .andWhere('r.dueAt >= :soonFrom AND r.dueAt < :soonTo', { soonFrom: now, soonTo: dueSoonLimit(now) })
      .andWhere('r.status IN (:...handling)', { handling: SUPERVISABLE_STATUSES });
  }

  /** mine: filed by or for me; following: +1'd, while I live in its community; queue: what my staff roles cover. */
  private async scoped(actor: Actor, scope: ListReportsQuery['scope']): Promise<SelectQueryBuilder<Report>> {
    const query = this.dataSource.getRepository(Report).createQueryBuilder('r');
    if (scope === 'mine') return query.where('r.reporterId = :me', { me: actor.userId });
    if (scope === 'following') {
      // The same rule as sightOf's 'neighbour', as a query.
      const communityPath = await this.communityPathOf(actor);
      return query
        .innerJoin(ReportFollower, 'f', 'f.reportId = r.id AND f.userId = :me', { me: actor.userId })
        .where('r.moderation = :clear', { clear: 'clear' })
        .andWhere(communityPath ? 'r.gridPath LIKE :community' : '1 = 0', { community: `${communityPath}%` });
    }
    const branches = this.queueBranches(actor);
    return query.where(new Brackets((any) => branches.forEach((branch, i) => (i === 0 ? any.where(branch) : any.orWhere(branch)))));
  }

  /**
   * Each way a report reaches a staff queue: assigned to me, in a grid I triage, sent to my department
   * (public reports only), or under a node I review (content under review too: secretaries, admins).
   */
  private queueBranches(actor: Actor): Brackets[] {
    const isPublic = (condition: string, parameters: Record<string, unknown>) =>
      new Brackets((branch) => branch.where('r.moderation = :clear', { clear: 'clear' }).andWhere(condition, parameters));
    const branches = [isPublic('r.assigneeId = :me', { me: actor.userId })];
    actor.scopes.forEach((scope, i) => {
      const under = { [`scope${i}`]: `${scope.nodePath}%` };
      if (scope.role === 'grid_worker') branches.push(isPublic(`r.gridPath LIKE :scope${i}`, under));
      if (scope.role === 'secretary' || scope.role === 'admin') branches.push(new Brackets((branch) => branch.where(`r.gridPath LIKE :scope${i}`, under)));
    });
    if (actor.departmentId !== null && actor.scopes.some((s) => s.role === 'department')) branches.push(isPublic('r.departmentId = :dept', { dept: actor.departmentId }));
    return branches;
  }

  /**
   * Open reports of a category within `radius` metres, shown before filing so a neighbour can +1: those
   * of the caller's own community (relation.ts: openToNeighbours), and those the caller sees anyway
   * (their own, their staff scope). Seen as a neighbour sees them: nobody's name shows, anonymous or not.
   */
  async nearby(actor: Actor, lat: number, lng: number, categoryCode: string, radius: number): Promise<{ items: ReportSummary[] }> {
    const communityPath = await this.communityPathOf(actor);
    const dLat = radius / 111_000;
    const dLng = radius / (111_000 * Math.cos((lat * Math.PI) / 180));
    const candidates = this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .where('r.lat BETWEEN :s AND :n', { s: lat - dLat, n: lat + dLat })
      .andWhere('r.lng BETWEEN :w AND :e', { w: lng - dLng, e: lng + dLng })
      .andWhere('r.categoryCode = :categoryCode', { categoryCode })
      .andWhere('r.status IN (:...open)', { open: SUPERVISABLE_STATUSES })
      .andWhere('r.moderation = :clear', { clear: 'clear' });
    // A resident's are all in their community (or their own): asked as such, so others' do not crowd the 50.
    if (!actor.scopes.some((s) => (SIGHTED_ROLES as readonly string[]).includes(s.role))) {
      candidates.andWhere(
        new Brackets((mine) => {
          mine.where('r.reporterId = :me', { me: actor.userId });
          if (communityPath) mine.orWhere('r.gridPath LIKE :community', { community: `${communityPath}%` });
        }),
      );
    }
    const rows = await candidates.orderBy('r.id', 'DESC').take(50).getMany();
    const close = rows
      .filter((r) => distanceMetres(lat, lng, r.lat!, r.lng!) <= radius)
      .filter((r) => {
        const relation = relationTo(actor, r, { isFollower: false, communityPath });
        return openToNeighbours(r, relation) || sightOf(actor, r, relation) === 'full';
      })
      .slice(0, 10);
    return { items: await this.views.summaries(this.dataSource.manager, actor, close, this.now(), 'neighbour') };
  }

  async departments() {
    const rows = await this.dataSource.getRepository(Department).find({ order: { id: 'ASC' } });
    return rows.map(({ id, name, code }) => ({ id, name, code }));
  }

  async categories() {
    return this.dataSource.getRepository(ReportCategoryRow).find({ order: { sortOrder: 'ASC' } });
  }

  /** People a report can be dispatched to (assignees.ts), for the staff who triage it. */
  async assignees(actor: Actor, reportId: number): Promise<{ items: ReportAssignee[] }> {
    const report = await this.dataSource.getRepository(Report).findOneBy({ id: reportId });
    if (!report) throw notFound('说事');
    const [isFollower, communityPath] = await Promise.all([this.isFollower(this.dataSource.manager, reportId, actor.userId), this.communityPathOf(actor)]);
    if (!sightOf(actor, report, relationTo(actor, report, { isFollower, communityPath }))) throw notFound('说事');
    if (!holdsRoleOver(actor, TRIAGE_ROLES, report.gridPath)) throw forbidden();
    return { items: await eligibleAssignees(this.dataSource.manager, this.directory, report) };
  }
}

/** What the report row says beside its status that the state machine asks (shared/src/reports.ts). */
export function reportFacts(report: Pick<Report, 'extensionUntil'>): ReportFacts {
  return { extensionPending: report.extensionUntil !== null };
}

/**
 * Why an action is not legal now: the wrong status, or no extension waiting to be decided, is 409
 * INVALID_TRANSITION; asking for a second extension while one waits is 409 CONFLICT (well-formed, but
 * it cannot be met until the first is decided).
 */
function illegal(action: ReportAction, report: Report, facts: ReportFacts): AppError {
  if (action === 'extend' && REPORT_RULES.extend.from.includes(report.status) && facts.extensionPending) {
    return conflict('已有一个延期申请在等待审批，请等书记处理后再申请');
  }
  const why = REPORT_RULES[action].from.includes(report.status) ? '没有待审批的延期申请' : `当前状态（${REPORT_STATUS_INFO[report.status].label}）`;
  return new AppError('INVALID_TRANSITION', `${why}，不能「${REPORT_ACTION_LABELS[action]}」`);
}

const dueSoonLimit = (now: Date) => new Date(now.getTime() + DUE_SOON_HOURS * 3600_000);

function onBehalfNote(actor: Actor, reporterId: number, body: CreateReportBody): string | null {
  if (reporterId === actor.userId && body.channel === 'miniprogram') return null;
  return `${actor.nickname} 代为登记`;
}

export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}
