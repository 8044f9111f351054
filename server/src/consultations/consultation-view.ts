import { In, type EntityManager } from 'typeorm';
import type { ConsultationAction, ConsultationDetail, ConsultationSummary, ConsultationTally } from '@linli/shared';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { User } from '../identity/user.entity';
import {
  ConsultationCommentRow,
  ConsultationOptionRow,
  ConsultationProgressRow,
  ConsultationVote,
  type Consultation,
} from './consultation.entities';

/** What the API shows of a consultation; hidden comments keep their text for the secretary only. */
export class ConsultationViews {
  constructor(private readonly directory: GridDirectory) {}

  async tally(manager: EntityManager, c: Consultation, eligible: number): Promise<ConsultationTally> {
    const options = await manager.getRepository(ConsultationOptionRow).find({ where: { consultationId: c.id }, order: { position: 'ASC' } });
    const counts: { optionId: number | string; n: number | string }[] = await manager
      .getRepository(ConsultationVote)
      .createQueryBuilder('v')
      .select('v.optionId', 'optionId')
      .addSelect('COUNT(*)', 'n')
      .where('v.consultationId = :id', { id: c.id })
      .groupBy('v.optionId')
      .getRawMany();
    const byOption = options.map((o) => ({ optionId: o.id, label: o.label, votes: Number(counts.find((x) => Number(x.optionId) === o.id)?.n ?? 0) }));
    return { eligibleHouseholds: eligible, votedHouseholds: byOption.reduce((sum, o) => sum + o.votes, 0), byOption };
  }

  async summaries(manager: EntityManager, rows: Consultation[]): Promise<ConsultationSummary[]> {
    const users = await this.users(manager, rows.map((c) => c.proposerId));
    const buildings = await this.buildings(manager, rows.map((c) => c.buildingId).filter((id): id is number => id !== null));
    return rows.map((c) => this.summary(c, users, buildings));
  }

  async detail(
    manager: EntityManager,
    c: Consultation,
    view: { eligible: number; actions: ConsultationAction[]; staff: boolean; householdId: number | null; viewerId: number },
  ): Promise<ConsultationDetail> {
    const [tally, comments, progress, myVote] = [
      await this.tally(manager, c, view.eligible),
      await manager.getRepository(ConsultationCommentRow).find({ where: { consultationId: c.id }, order: { id: 'ASC' } }),
      await manager.getRepository(ConsultationProgressRow).find({ where: { consultationId: c.id }, order: { id: 'ASC' } }),
      view.householdId ? await manager.getRepository(ConsultationVote).findOneBy({ consultationId: c.id, householdId: view.householdId }) : null,
    ];
    const users = await this.users(manager, [c.proposerId, ...(c.ownerId ? [c.ownerId] : []), ...comments.map((x) => x.userId), ...progress.map((p) => p.userId)]);
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
    };
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
