import { In, Not, type EntityManager } from 'typeorm';
import type { BallotMethod, ConsultationAction, ConsultationDetail, ConsultationSummary, ConsultationTally, ConsultationTimelineEntry, RecordedBallot } from '@linli/shared';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { User } from '../identity/user.entity';
import { householdLabels } from '../residents/membership-view';
import {
  ConsultationCommentRow,
  ConsultationEventRow,
  ConsultationProgressRow,
  ConsultationVote,
  type Consultation,
} from './consultation.entities';

/** What the API shows of a consultation; hidden comments keep their text for the secretary only. */
export class ConsultationViews {
  constructor(private readonly directory: GridDirectory) {}

  async summaries(manager: EntityManager, rows: Consultation[]): Promise<ConsultationSummary[]> {
    const users = await this.users(manager, rows.map((c) => c.proposerId));
    const buildings = await this.buildings(manager, rows.map((c) => c.buildingId).filter((id): id is number => id !== null));
    return rows.map((c) => this.summary(c, users, buildings));
  }

  async detail(
    manager: EntityManager,
    c: Consultation,
    view: {
      tally: ConsultationTally;
      actions: ConsultationAction[];
      staff: boolean;
      householdId: number | null;
      viewerId: number;
      voteRefusal: string | null;
      areasMissing: number | null;
    },
  ): Promise<ConsultationDetail> {
    const { tally } = view;
    const [comments, progress, myVote, events, ballots] = [
      await manager.getRepository(ConsultationCommentRow).find({ where: { consultationId: c.id }, order: { id: 'ASC' } }),
      await manager.getRepository(ConsultationProgressRow).find({ where: { consultationId: c.id }, order: { id: 'ASC' } }),
      view.householdId ? await manager.getRepository(ConsultationVote).findOneBy({ consultationId: c.id, householdId: view.householdId }) : null,
      await manager.getRepository(ConsultationEventRow).find({ where: { consultationId: c.id }, order: { id: 'ASC' } }),
      view.staff ? await manager.getRepository(ConsultationVote).find({ where: { consultationId: c.id, method: Not('app') }, order: { castAt: 'ASC', id: 'ASC' } }) : [],
    ];
    const timeline = events.filter(shownOnTimeline);
    const users = await this.users(manager, [
      c.proposerId,
      ...(c.ownerId ? [c.ownerId] : []),
      ...comments.map((x) => x.userId),
      ...progress.map((p) => p.userId),
      ...timeline.flatMap((e) => (e.actorId ? [e.actorId] : [])),
      ...ballots.flatMap((v) => (v.recordedById ? [v.recordedById] : [])),
    ]);
    const buildings = await this.buildings(manager, c.buildingId ? [c.buildingId] : []);
    const person = (id: number) => ({ id, nickname: users.get(id)?.nickname ?? '未知用户' });
    return {
      ...this.summary(c, users, buildings),
      description: c.description,
      rule: c.rule,
      options: tally.byOption.map((o) => ({ id: o.optionId, label: o.label })),
      tally,
      myVoteOptionId: myVote?.optionId ?? null,
      // A comment under review shows to its author and the secretary only.
      comments: comments.filter((x) => x.moderation === 'clear' || x.moderation === 'removed' || view.staff || x.userId === view.viewerId).map((x) => {
        const hidden = !!x.hiddenAt;
        const shown = !hidden || view.staff;
        return {
          id: x.id,
          author: shown ? person(x.userId) : null,
          body: shown ? x.body : null,
          hidden,
          hiddenReason: hidden ? x.hiddenReason : null,
          createdAt: new Date(x.createdAt).toISOString(),
          moderation: x.moderation,
        };
      }),
      progress: progress.map((p) => ({ id: p.id, note: p.note, photos: JSON.parse(p.photos) as string[], author: person(p.userId), createdAt: new Date(p.createdAt).toISOString() })),
      plan: c.plan,
      owner: c.ownerId ? person(c.ownerId) : null,
      summary: c.summary,
      rejectReason: c.rejectReason,
      reportId: c.reportId,
      actions: view.actions,
      voteRefusal: view.voteRefusal,
      areasMissing: view.areasMissing,
      ballots: view.staff ? await this.recordedBallots(manager, ballots, person) : null,
      timeline: timeline.map(
        (e): ConsultationTimelineEntry => ({
          id: e.id,
          action: e.action,
          // The co-sign that completed the signatures stands for all of them: no one neighbour is named.
          actor: e.actorId && e.action !== 'cosign' ? person(e.actorId) : null,
          note: e.note,
          createdAt: new Date(e.createdAt).toISOString(),
        }),
      ),
    };
  }

  private async recordedBallots(manager: EntityManager, votes: ConsultationVote[], person: (id: number) => { id: number; nickname: string }): Promise<RecordedBallot[]> {
    const labels = await householdLabels(manager, votes.map((v) => v.householdId));
    return votes.map((v) => ({
      householdId: v.householdId,
      household: labels.get(v.householdId)?.label ?? '',
      method: v.method as BallotMethod,
      optionId: v.optionId,
      photos: v.photos ? (JSON.parse(v.photos) as string[]) : [],
      note: v.note,
      recordedBy: person(v.recordedById ?? 0),
      recordedAt: new Date(v.castAt ?? 0).toISOString(),
    }));
  }

  private summary(c: Consultation, users: Map<number, User>, buildings: Map<number, Building>): ConsultationSummary {
    const scopeName = c.scope === 'building' ? (buildings.get(c.buildingId!)?.name ?? '楼栋') : (this.directory.node(c.scopeNodeId)?.name ?? '');
    return {
      id: c.id,
      title: c.title,
      status: c.status,
      version: c.version,
      scope: c.scope,
      scopeName,
      proposer: { id: c.proposerId, nickname: users.get(c.proposerId)?.nickname ?? '未知用户' },
      supporters: c.supporters,
      supportThreshold: c.supportThreshold,
      buildingId: c.buildingId,
      scopeNodeId: c.scopeNodeId,
      votingEndsAt: c.votingEndsAt ? new Date(c.votingEndsAt).toISOString() : null,
      outcome: c.outcome,
      createdAt: new Date(c.createdAt).toISOString(),
      moderation: c.moderation,
    };
  }

  private async users(manager: EntityManager, ids: number[]) {
    const unique = [...new Set(ids)];
    const rows = unique.length ? await manager.getRepository(User).findBy({ id: In(unique) }) : [];
    return new Map(rows.map((u) => [u.id, u]));
  }

  private async buildings(manager: EntityManager, ids: number[]) {
    const unique = [...new Set(ids)];
    const rows = unique.length ? await manager.getRepository(Building).findBy({ id: In(unique) }) : [];
    return new Map(rows.map((b) => [b.id, b]));
  }
}

/** The timeline shows the phases and the ballots staff recorded; a co-sign only when it sent the proposal to review; progress has its own list. */
function shownOnTimeline(e: ConsultationEventRow): boolean {
  if (e.action === 'cosign') return e.toStatus === 'in_review';
  return e.action !== 'progress';
}
