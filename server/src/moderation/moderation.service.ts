import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import {
  CAPABILITY_ROLES,
  MODERATION_SUBJECT_LABELS,
  moderationLabelName,
  type ListModerationCasesQuery,
  type ModerationCaseView,
  type ModerationFinding,
  type ModerationQueueCounts,
  type ModerationState,
  type ModerationSubject,
  type Page,
  type ReleaseModerationCaseBody,
  type RemoveModerationCaseBody,
  nextCursor,
} from '@linli/shared';
import { transact } from '../db/data-source';
import { withLock } from '../db/versioned-rows';
import { pathIds } from '../grids/grid-path';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { AppError, conflict, forbidden, notFound } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { staffOnNodes, type NotificationSink } from '../reports/report-notifications';
import type { CheckScene, CheckVerdict, ContentChecker } from './content-check';
import { MediaCheckRow, ModerationCaseRow } from './moderation.entities';
import type { WordList } from './word-list';

const REVIEWER_ROLES = CAPABILITY_ROLES.reviewContent;
export const MODERATION_QUEUE_LINK = '/packages/workbench/moderation/index';

/** A resident's text and images, about to be published under a subject. */
export interface ModeratedContent {
  subjectType: ModerationSubject;
  authorId: number;
  /** The grid node the content belongs to: its reviewers are the secretaries and admins above it. */
  nodePath: string;
  text: string;
  title?: string;
  photos: string[];
  scene: CheckScene;
}

/** The verdict on one piece of content before it is written. */
export interface Screening {
  state: Exclude<ModerationState, 'removed'>;
  findings: ModerationFinding[];
}

/**
 * What each kind of subject does when its content is decided; registered by the subject's own module
 * (reports, consultations), so this module knows no domain but its own.
 */
export interface ModerationSubjectHandler {
  setState(manager: EntityManager, subjectId: number, state: ModerationState): Promise<void>;
  /** The app page that shows the subject (a rating's is its report's, a comment's its consultation's). */
  link(subjectId: number, parentId: number | null): string;
  /** The content became public (a reviewer released it, or its images passed). */
  released?(manager: EntityManager, subjectId: number, reviewerId: number | null): Promise<void>;
  /** A reviewer removed it: e.g. a report is rejected with the reason. */
  removed?(manager: EntityManager, subjectId: number, reviewerId: number, reason: string): Promise<void>;
}

/** Told, in its own transaction, that an image's check came back flagged (a reward's picture: its secretary hears). */
export type ImageFlaggedListener = (manager: EntityManager, url: string) => Promise<void>;

export interface ModerationOptions {
  /** A pending image check unanswered this long goes to a person (default 30 minutes). */
  pendingTimeoutMs?: number;
  /** Image hand-overs that failed are retried this many times by the sweep (default 5). */
  maxImageAttempts?: number;
}

/**
 * 内容审核: every resident's text and image is checked before anyone else sees it. Text: the local
 * word list always, WeChat's msgSecCheck too in production (the worse verdict wins; if WeChat cannot
 * be asked, the list alone decides). Images: checked at upload (WeChat answers later, by push).
 * Content that is flagged or still being checked is written with its state and a case; only its author
 * and its reviewers see it until a reviewer releases or removes it. Nothing is dropped.
 */
export class ModerationService {
  private readonly handlers = new Map<ModerationSubject, ModerationSubjectHandler>();
  private readonly flaggedListeners: ImageFlaggedListener[] = [];
  private readonly pendingTimeoutMs: number;
  private readonly maxImageAttempts: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly checker: ContentChecker,
    private readonly words: WordList,
    private readonly notifications: NotificationSink,
    private readonly now: () => Date = () => new Date(),
    private readonly logger?: Logger,
    options: ModerationOptions = {},
  ) {
    this.pendingTimeoutMs = options.pendingTimeoutMs ?? 30 * 60_000;
    this.maxImageAttempts = options.maxImageAttempts ?? 5;
  }

  get checkerName(): string {
    return this.checker.name;
  }

  register(subjectType: ModerationSubject, handler: ModerationSubjectHandler): void {
    this.handlers.set(subjectType, handler);
  }

  /** For images that are not a moderated subject's (a reward's picture): hear when one is flagged. */
  onImageFlagged(listener: ImageFlaggedListener): void {
    this.flaggedListeners.push(listener);
  }

  private async imageFlagged(url: string): Promise<void> {
    if (!this.flaggedListeners.length) return;
    await transact(this.dataSource, async (manager) => {
      for (const listener of this.flaggedListeners) await listener(manager, url);
    });
    this.notifications.kick();
  }

  /* ───────── before writing ───────── */

  /** Checks text and images. Runs before the subject's transaction: it may wait on WeChat. */
  async screen(content: ModeratedContent): Promise<Screening> {
    // WeChat checks in a user's context; the word list needs no one (and a submit one query less).
    const openid = this.checker.name === 'wordlist' && content.photos.length === 0 ? '' : await this.openidOf(content.authorId);
    const findings: ModerationFinding[] = [];
    for (const verdict of await this.checkText(content, openid)) {
      if (verdict.suggest !== 'pass') findings.push(this.finding('text', verdict));
    }
    let pending = false;
    for (const url of content.photos) {
      const check = await this.ensureImageCheck(url, openid, content.scene);
      if (check.status === 'pending' || check.status === 'error') pending = true;
      else if (check.status !== 'pass') findings.push({ target: url, suggest: check.status, label: moderationLabelName(check.label ?? 21000), source: check.source });
    }
    return { state: findings.length ? 'held' : pending ? 'pending' : 'clear', findings };
  }

  /** Opens the case of content that did not pass, in the subject's own transaction. */
  async open(manager: EntityManager, content: ModeratedContent, subjectId: number, screening: Screening, parentId: number | null = null): Promise<void> {
    if (screening.state === 'clear') return;
    const row = await manager.getRepository(ModerationCaseRow).save(
      manager.getRepository(ModerationCaseRow).create({
        subjectType: content.subjectType,
        subjectId,
        parentId,
        authorId: content.authorId,
        nodePath: content.nodePath,
        text: fullText(content),
        photos: JSON.stringify(content.photos),
        findings: JSON.stringify(screening.findings),
        status: screening.state,
        version: 0,
      }),
    );
    if (row.status === 'held') await this.tellReviewers(manager, row);
  }

  /** An uploaded image is handed to the checker at once, so its verdict is usually in before it is used. */
  async imageUploaded(url: string, userId: number): Promise<void> {
    await this.ensureImageCheck(url, await this.openidOf(userId), 'forum');
  }

  private async checkText(content: ModeratedContent, openid: string): Promise<CheckVerdict[]> {
    const local = this.words.match(fullText(content));
    const verdicts: CheckVerdict[] = [{ suggest: local.suggest, label: local.label, source: 'wordlist', words: local.words }];
    if (this.checker.name !== 'wordlist') {
      const remote = await this.checker.checkText({ text: content.text, title: content.title, openid, scene: content.scene });
      if (remote) verdicts.push(remote);
      else this.logger?.warn({ checker: this.checker.name, subjectType: content.subjectType }, 'content check unavailable; the local word list decided');
    }
    return verdicts;
  }

  private finding(target: string, verdict: CheckVerdict): ModerationFinding {
    return {
      target,
      suggest: verdict.suggest,
      label: moderationLabelName(verdict.label),
      source: verdict.source,
      ...(verdict.words?.length ? { words: verdict.words } : {}),
    };
  }

  /** The image's check row; made (and handed to the checker) the first time the URL is seen. */
  private async ensureImageCheck(url: string, openid: string, scene: CheckScene): Promise<MediaCheckRow> {
    const repo = this.dataSource.getRepository(MediaCheckRow);
    const existing = await repo.findOneBy({ url });
    if (existing) return existing;
    const submission = await this.checker.submitImage({ url, openid, scene });
    const row = repo.create({
      url,
      openid,
      attempts: 1,
      source: this.checker.name,
      ...(submission.status === 'pending'
        ? { status: 'pending' as const, traceId: submission.traceId, label: null }
        : submission.status === 'done'
          ? { status: submission.verdict.suggest, traceId: null, label: submission.verdict.label }
          : { status: 'error' as const, traceId: null, label: null }),
    });
    if (submission.status === 'error') this.logger?.warn({ reason: submission.reason }, 'image check could not be handed over; the sweep retries it');
    try {
      return await repo.save(row);
    } catch {
      // The same URL raced in from another request: theirs stands.
      return repo.findOneByOrFail({ url });
    }
  }

  private async openidOf(userId: number): Promise<string> {
    return (await this.dataSource.getRepository(User).findOneBy({ id: userId }))?.openid ?? '';
  }

  /* ───────── image verdicts (WeChat's push) and the sweep ───────── */

  /** WeChat's `wxa_media_check` event: records the verdict and settles the cases that waited on it. */
  async imageChecked(traceId: string, suggest: string, label: number): Promise<boolean> {
    const status = suggest === 'pass' || suggest === 'review' || suggest === 'risky' ? suggest : 'review';
    const check = await this.dataSource.getRepository(MediaCheckRow).findOneBy({ traceId });
    if (!check) return false;
    if (check.status !== 'pending' && check.status !== 'error') return true; // a repeated push
    await this.dataSource.getRepository(MediaCheckRow).update({ id: check.id }, { status, label });
    if (await this.settleCasesOf(check.url)) this.notifications.kick();
    if (status !== 'pass') await this.imageFlagged(check.url);
    return true;
  }

  /** A pending case whose images have all answered: released when they all passed, else held. */
  private async settle(caseId: number): Promise<void> {
    await transact(this.dataSource, async (manager) => {
      const row = await this.lock(manager, caseId);
      if (row.status !== 'pending') return;
      const photos = JSON.parse(row.photos) as string[];
      const checks = photos.length ? await manager.getRepository(MediaCheckRow).findBy({ url: In(photos) }) : [];
      const flagged = checks.filter((c) => c.status === 'review' || c.status === 'risky');
      if (flagged.length) {
        const findings = JSON.parse(row.findings) as ModerationFinding[];
        for (const c of flagged) findings.push({ target: c.url, suggest: c.status as 'review' | 'risky', label: moderationLabelName(c.label ?? 21000), source: c.source });
        await this.decide(manager, row, 'held', null, null, findings);
        await this.tellReviewers(manager, row);
        return;
      }
      if (checks.length < photos.length || checks.some((c) => c.status === 'pending' || c.status === 'error')) return;
      await this.decide(manager, row, 'released', null, '图片检测通过');
      await this.handler(row.subjectType).released?.(manager, row.subjectId, null);
    });
  }

  /**
   * Runs with the other jobs, safe on several instances: retries image hand-overs that failed, and
   * gives a person every case whose images WeChat has not answered in time (never left hanging).
   */
  async sweep(now = this.now()): Promise<{ retried: number; escalated: number }> {
    let retried = 0;
    const failed = await this.dataSource.getRepository(MediaCheckRow).find({ where: { status: 'error', attempts: LessThan(this.maxImageAttempts) }, take: 100 });
    for (const check of failed) {
      const submission = await this.checker.submitImage({ url: check.url, openid: check.openid, scene: 'forum' });
      const changes =
        submission.status === 'pending'
          ? { status: 'pending' as const, traceId: submission.traceId }
          : submission.status === 'done'
            ? { status: submission.verdict.suggest, label: submission.verdict.label }
            : {};
      // Guarded by the attempt count: two instances retrying the same row write it once.
      const result = await this.dataSource.getRepository(MediaCheckRow).update({ id: check.id, attempts: check.attempts }, { ...changes, attempts: check.attempts + 1 });
      if (result.affected) retried++;
      if (result.affected && submission.status === 'done') {
        await this.settleCasesOf(check.url);
        if (submission.verdict.suggest !== 'pass') await this.imageFlagged(check.url);
      }
    }
    const stale = await this.dataSource.getRepository(ModerationCaseRow).find({
      where: { status: 'pending', createdAt: LessThan(new Date(now.getTime() - this.pendingTimeoutMs)) },
      take: 200,
    });
    let escalated = 0;
    for (const candidate of stale) {
      escalated += Number(
        await transact(this.dataSource, async (manager) => {
          const row = await this.lock(manager, candidate.id);
          if (row.status !== 'pending') return false;
          await this.decide(manager, row, 'held', null, null);
          await this.tellReviewers(manager, row);
          return true;
        }),
      );
    }
    if (escalated) this.notifications.kick();
    return { retried, escalated };
  }

  /** The pending cases that wait on this image (its URL inside their photos' JSON); returns how many. */
  private async settleCasesOf(url: string): Promise<number> {
    const waiting = await this.dataSource
      .getRepository(ModerationCaseRow)
      .createQueryBuilder('m')
      .where('m.status = :pending', { pending: 'pending' })
      .andWhere('m.photos LIKE :url', { url: `%${JSON.stringify(url).slice(1, -1)}%` })
      .getMany();
    for (const row of waiting) await this.settle(row.id);
    return waiting.length;
  }

  /* ───────── the reviewers ───────── */

  async list(actor: Actor, query: ListModerationCasesQuery): Promise<Page<ModerationCaseView> & { counts: ModerationQueueCounts }> {
    const paths = this.reviewerPaths(actor);
    const base = () => {
      const q = this.dataSource.getRepository(ModerationCaseRow).createQueryBuilder('m');
      q.where(paths.map((_, i) => `m.nodePath LIKE :p${i}`).join(' OR '), Object.fromEntries(paths.map((p, i) => [`p${i}`, `${p}%`])));
      return q;
    };
    const page = base();
    if (query.status) page.andWhere('m.status = :status', { status: query.status });
    if (query.cursor) page.andWhere('m.id < :cursor', { cursor: query.cursor });
    const rows = await page.orderBy('m.id', 'DESC').take(query.limit + 1).getMany();
    const shown = rows.slice(0, query.limit);
    const counted: { status: string; n: string | number }[] = await base()
      .andWhere('m.status IN (:...open)', { open: ['pending', 'held'] })
      .select('m.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('m.status')
      .getRawMany();
    const count = (status: string) => Number(counted.find((c) => c.status === status)?.n ?? 0);
    return {
      items: await this.views(shown),
      nextCursor: nextCursor(rows, query.limit),
      counts: { pending: count('pending'), held: count('held') },
    };
  }

  async release(actor: Actor, caseId: number, body: ReleaseModerationCaseBody): Promise<ModerationCaseView> {
    await this.reviewerDecision(actor, caseId, body.version, async (manager, row) => {
      await this.decide(manager, row, 'released', actor.userId, body.note ?? null);
      await this.handler(row.subjectType).released?.(manager, row.subjectId, actor.userId);
      await this.tellAuthor(manager, row, '已通过审核', '现在其他人可以看到了');
    });
    return (await this.views([await this.dataSource.getRepository(ModerationCaseRow).findOneByOrFail({ id: caseId })]))[0];
  }

  async remove(actor: Actor, caseId: number, body: RemoveModerationCaseBody): Promise<ModerationCaseView> {
    await this.reviewerDecision(actor, caseId, body.version, async (manager, row) => {
      await this.decide(manager, row, 'removed', actor.userId, body.reason);
      await this.handler(row.subjectType).removed?.(manager, row.subjectId, actor.userId, body.reason);
      await this.tellAuthor(manager, row, '未通过审核', body.reason);
    });
    return (await this.views([await this.dataSource.getRepository(ModerationCaseRow).findOneByOrFail({ id: caseId })]))[0];
  }

  private async reviewerDecision(
    actor: Actor,
    caseId: number,
    version: number | undefined,
    apply: (manager: EntityManager, row: ModerationCaseRow) => Promise<void>,
  ): Promise<void> {
    if (!holdsRole(actor, REVIEWER_ROLES)) throw forbidden('只有社区书记或管理员可以审核内容');
    await transact(this.dataSource, async (manager) => {
      const row = await this.lock(manager, caseId);
      if (!holdsRoleOver(actor, REVIEWER_ROLES, row.nodePath)) throw notFound('审核事项');
      if (version !== undefined && version !== row.version) throw conflict('这条审核刚被其他人处理过，请刷新');
      if (row.status !== 'held' && row.status !== 'pending') {
        throw new AppError('INVALID_TRANSITION', row.status === 'released' ? '这条内容已通过审核' : '这条内容已被移除');
      }
      await apply(manager, row);
    });
    this.notifications.kick();
  }

  /** The case's new status and the subject's matching state, version-guarded against a second reviewer. */
  private async decide(
    manager: EntityManager,
    row: ModerationCaseRow,
    status: 'held' | 'released' | 'removed',
    reviewerId: number | null,
    note: string | null,
    findings?: ModerationFinding[],
  ): Promise<void> {
    const decided = status !== 'held';
    const result = await manager.getRepository(ModerationCaseRow).update(
      { id: row.id, version: row.version },
      {
        status,
        version: row.version + 1,
        ...(decided ? { decidedById: reviewerId, decidedAt: this.now(), decisionNote: note } : {}),
        ...(findings ? { findings: JSON.stringify(findings) } : {}),
      },
    );
    if (!result.affected) throw conflict('这条审核刚被其他人处理过，请刷新');
    Object.assign(row, { status, version: row.version + 1 });
    const state: ModerationState = status === 'released' ? 'clear' : status;
    await this.handler(row.subjectType).setState(manager, row.subjectId, state);
  }

  private reviewerPaths(actor: Actor): string[] {
    const paths = actor.scopes.filter((s) => (REVIEWER_ROLES as readonly string[]).includes(s.role)).map((s) => s.nodePath);
    if (paths.length === 0) throw forbidden('只有社区书记或管理员可以审核内容');
    return paths;
  }

  private handler(subjectType: ModerationSubject): ModerationSubjectHandler {
    const handler = this.handlers.get(subjectType);
    if (!handler) throw new Error(`no moderation handler for ${subjectType}`);
    return handler;
  }

  private async lock(manager: EntityManager, id: number): Promise<ModerationCaseRow> {
    const row = await withLock(manager.getRepository(ModerationCaseRow).createQueryBuilder('m').where('m.id = :id', { id }), manager).getOne();
    if (!row) throw notFound('审核事项');
    return row;
  }

  private async tellReviewers(manager: EntityManager, row: ModerationCaseRow) {
    const reviewers = await staffOnNodes(manager, pathIds(row.nodePath), ['secretary']);
    await this.notifications.enqueue(
      manager,
      reviewers.map((userId) => ({
        userId,
        kind: 'moderation.held',
        title: `内容待审核：${MODERATION_SUBJECT_LABELS[row.subjectType]}`,
        body: row.text.slice(0, 60),
        link: MODERATION_QUEUE_LINK,
        dedupeKey: `moderation-held:${row.id}`,
      })),
    );
  }

  private async tellAuthor(manager: EntityManager, row: ModerationCaseRow, outcome: string, body: string) {
    await this.notifications.enqueue(manager, [
      {
        userId: row.authorId,
        kind: `moderation.${row.status}`,
        title: `您的${MODERATION_SUBJECT_LABELS[row.subjectType]}${outcome}`,
        body: body.slice(0, 80),
        link: this.handler(row.subjectType).link(row.subjectId, row.parentId),
        dedupeKey: `moderation-decided:${row.id}`,
      },
    ]);
  }

  private async views(rows: ModerationCaseRow[]): Promise<ModerationCaseView[]> {
    await this.directory.ensureFresh();
    const ids = [...new Set(rows.flatMap((r) => [r.authorId, ...(r.decidedById ? [r.decidedById] : [])]))];
    const named = ids.length ? await this.dataSource.getRepository(User).find({ select: { id: true, nickname: true }, where: { id: In(ids) } }) : [];
    const users = new Map(named.map((u) => [u.id, u]));
    const person = (id: number) => ({ id, nickname: users.get(id)?.nickname ?? '未知用户' });
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      version: r.version,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      parentId: r.parentId,
      author: person(r.authorId),
      place: pathIds(r.nodePath)
        .slice(1)
        .map((id) => this.directory.node(id)?.name)
        .filter(Boolean)
        .join(' › '),
      text: r.text,
      photos: JSON.parse(r.photos) as string[],
      findings: JSON.parse(r.findings) as ModerationFinding[],
      decidedBy: r.decidedById ? person(r.decidedById) : null,
      decidedAt: r.decidedAt ? new Date(r.decidedAt).toISOString() : null,
      decisionNote: r.decisionNote,
      createdAt: new Date(r.createdAt).toISOString(),
    }));
  }
}

/** What a reviewer reads and the word list checks: the title (if any) above the text. */
function fullText(content: Pick<ModeratedContent, 'title' | 'text'>): string {
  return content.title ? `${content.title}\n${content.text}` : content.text;
}
