import { In, type EntityManager } from 'typeorm';
import {
  chinaDay,
  DISPUTE_RULES,
  MEDIATING_STATUSES,
  type DisputeAction,
  type DisputeDetail,
  type DisputePerson,
  type DisputeRelation,
  type DisputeSummary,
  type MediatorSummary,
} from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';
import { confirmationWindowEnd } from './dispute-actions';
import type { Dispute, DisputeEventRow, DisputePartyRow, DisputeSessionRow, DisputeVisitRow } from './dispute.entities';
import { MediatorsService } from './mediators.service';
import { isHandler } from './relation';

export interface DisputeRows {
  parties: DisputePartyRow[];
  sessions: DisputeSessionRow[];
  visits: DisputeVisitRow[];
  events: DisputeEventRow[];
}

const iso = (at: Date | string | null) => (at ? new Date(at).toISOString() : null);
const list = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

/**
 * Turns case rows into what the API returns. What the caller is shown depends on how they stand:
 * the handlers (mediator, coordinators) read everything; a party reads the timeline, the sessions'
 * time and place, and their own phone only; the registrar who is no party reads no phone at all.
 */
export class DisputeViews {
  constructor(private readonly directory: GridDirectory) {}

  async summaries(manager: EntityManager, disputes: Dispute[], now: Date): Promise<DisputeSummary[]> {
    const mediators = await MediatorsService.summaries(
      manager,
      disputes.map((d) => d.mediatorId).filter((id): id is number => id !== null),
    );
    return disputes.map((d) => this.summary(d, mediators, now));
  }

  async detail(manager: EntityManager, actor: Actor, dispute: Dispute, rows: DisputeRows, relation: DisputeRelation, actions: DisputeAction[], now: Date): Promise<DisputeDetail> {
    const handler = isHandler(relation);
    const userIds = [...rows.events.map((e) => e.actorId), ...rows.sessions.map((s) => s.recordedById), ...rows.visits.map((v) => v.recordedById)];
    const [mediators, users] = await Promise.all([
      MediatorsService.summaries(manager, dispute.mediatorId ? [dispute.mediatorId] : []),
      names(manager, userIds.filter((id): id is number => id !== null)),
    ]);
    const person = (id: number | null): DisputePerson | null => (id === null ? null : { id, nickname: users.get(id) ?? '未知用户' });
    const windowEnd = confirmationWindowEnd(dispute);
    return {
      ...this.summary(dispute, mediators, now),
      description: dispute.description,
      amount: dispute.amount,
      peopleInvolved: dispute.peopleInvolved,
      reportId: dispute.reportId,
      parties: rows.parties.map((p) => ({
        id: p.id,
        role: p.role,
        name: p.name,
        // A party reads their own phone only: never the other side's (nor a co-party's).
        phone: handler || p.userId === actor.userId ? p.phone : null,
        isMe: p.userId === actor.userId,
      })),
      sessions: rows.sessions.map((s) => ({
        id: s.id,
        heldAt: new Date(s.heldAt).toISOString(),
        place: s.place,
        participants: list(s.participants),
        // The record itself (and the photos of its signed pages) stays with the handlers.
        notes: handler ? s.notes : null,
        photos: handler ? list(s.photos) : [],
        recordedBy: person(s.recordedById),
      })),
      visits: rows.visits.map((v) => ({ id: v.id, method: v.method, note: v.note, photos: list(v.photos), recordedBy: person(v.recordedById), createdAt: new Date(v.createdAt).toISOString() })),
      events: rows.events.map((e) => ({
        id: e.id,
        action: e.action,
        actor: person(e.actorId),
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        note: e.note,
        photos: list(e.photos),
        createdAt: new Date(e.createdAt).toISOString(),
      })),
      acceptedAt: iso(dispute.acceptedAt),
      extended: dispute.extended,
      agreement: dispute.agreedAt
        ? {
            form: dispute.agreementForm!,
            facts: dispute.agreementFacts ?? dispute.description,
            terms: dispute.agreementTerms ?? '',
            performance: dispute.agreementPerformance ?? '',
            deadline: dispute.performanceDeadline ?? '',
            agreedAt: new Date(dispute.agreedAt).toISOString(),
          }
        : null,
      failure: dispute.failedAt ? { advice: dispute.failureAdvice!, reason: dispute.failureReason ?? '', at: new Date(dispute.failedAt).toISOString() } : null,
      ruling: dispute.ruledAt ? { note: dispute.rulingNote ?? '', court: dispute.rulingCourt, at: new Date(dispute.ruledAt).toISOString() } : null,
      confirmation:
        dispute.confirmationStatus && dispute.confirmationAppliedAt
          ? {
              status: dispute.confirmationStatus,
              court: dispute.confirmationCourt ?? '',
              appliedAt: new Date(dispute.confirmationAppliedAt).toISOString(),
              decidedAt: iso(dispute.confirmationDecidedAt),
              windowEndsAt: windowEnd!.toISOString(),
            }
          : null,
      confirmationDeadline:
        dispute.agreementForm === 'written' && !dispute.confirmationStatus && DISPUTE_RULES.confirmation.from.includes(dispute.status) && windowEnd && windowEnd.getTime() > now.getTime()
          ? chinaDay(new Date(windowEnd.getTime() - 1))
          : null,
      actions,
      agreementDocument: dispute.agreementForm === 'written' && (handler || relation.isParty),
    };
  }

  private summary(d: Dispute, mediators: Map<number, MediatorSummary>, now: Date): DisputeSummary {
    return {
      id: d.id,
      number: d.number,
      title: d.title,
      type: d.type,
      source: d.source,
      riskLevel: d.riskLevel,
      status: d.status,
      version: d.version,
      nodeId: d.nodeId,
      nodePath: this.directory.pathOf(d.nodeId).map((p) => p.name),
      mediator: d.mediatorId ? (mediators.get(d.mediatorId) ?? null) : null,
      dueAt: iso(d.dueAt),
      overdue: isOverdue(d, now),
      escalationLevel: d.escalationLevel,
      createdAt: new Date(d.createdAt).toISOString(),
      updatedAt: new Date(d.updatedAt).toISOString(),
    };
  }
}

/** Under mediation and past the due time. */
export function isOverdue(d: Pick<Dispute, 'status' | 'dueAt'>, now: Date): boolean {
  return MEDIATING_STATUSES.includes(d.status) && !!d.dueAt && new Date(d.dueAt).getTime() < now.getTime();
}

/** Nicknames only: not the phone column, whose every read is a decryption. */
async function names(manager: EntityManager, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const users = await manager.getRepository(User).find({ select: { id: true, nickname: true }, where: { id: In(unique) } });
  return new Map(users.map((u) => [u.id, u.nickname]));
}
