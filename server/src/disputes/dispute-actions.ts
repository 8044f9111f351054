import type { EntityManager } from 'typeorm';
import {
  chinaDay,
  CONFIRMATION_STATUS_LABELS,
  CONFIRMATION_WINDOW_DAYS,
  EXTENSION_DAYS,
  FAILURE_ADVICE_LABELS,
  MEDIATION_DAYS,
  AGREEMENT_FORM_LABELS,
  VISIT_METHOD_LABELS,
  type DisputeAction,
  type DisputeActionBody,
  type DisputePartyInput,
  type DisputeStatus,
} from '@linli/shared';
import { User } from '../identity/user.entity';
import { assertOwnPhotos } from '../uploads/upload-registry';
import { conflict, fieldError } from '../platform/errors';
import { Dispute, DisputePartyRow, DisputeSessionRow, DisputeVisitRow } from './dispute.entities';
import type { MediatorsService } from './mediators.service';

const DAY_MS = 24 * 3600_000;

/** What an action changed, for the event line. */
export interface DisputeEffect {
  toStatus: DisputeStatus | null;
  note: string | null;
  photos?: string[];
}

interface ActionContext {
  manager: EntityManager;
  dispute: Dispute;
  actorId: number;
  now: Date;
  mediators: MediatorsService;
}

type ActionHandler<A extends DisputeAction> = (ctx: ActionContext, body: DisputeActionBody<A>) => Promise<DisputeEffect>;

/**
 * The effect of each action on a case, once the shared state machine has allowed it (one small
 * function per verb). They change `ctx.dispute` in memory and write its sessions, visits and parties;
 * the caller saves the case with the version check and writes the event, all in one transaction.
 */
export const DISPUTE_ACTION_HANDLERS: { [A in DisputeAction]: ActionHandler<A> } = {
  async accept({ manager, dispute, now, mediators }, body) {
    const mediator = await mediators.forCase(manager, body.mediatorId, dispute.nodePath);
    dispute.mediatorId = mediator.id;
    dispute.mediatorUserId = mediator.userId;
    dispute.acceptedAt = now;
    dispute.dueAt = new Date(now.getTime() + MEDIATION_DAYS * DAY_MS);
    if (body.riskLevel) dispute.riskLevel = body.riskLevel;
    const who = mediator.studio ? `${mediator.name}（${mediator.studio}）` : mediator.name;
    return { toStatus: 'accepted', note: [`受理，已告知当事人权利义务；调解员：${who}`, body.note].filter(Boolean).join('；') };
  },
  async decline({ dispute, now }, body) {
    dispute.declinedAt = now;
    return { toStatus: 'declined', note: body.reason };
  },
  async assign({ manager, dispute, mediators }, body) {
    if (body.mediatorId === dispute.mediatorId) throw fieldError('body.mediatorId', '已经是本案的调解员');
    const mediator = await mediators.forCase(manager, body.mediatorId, dispute.nodePath);
    dispute.mediatorId = mediator.id;
    dispute.mediatorUserId = mediator.userId;
    return { toStatus: null, note: [`改由 ${mediator.name} 调解`, body.note].filter(Boolean).join('；') };
  },
  async session({ manager, dispute, actorId, now }, body) {
    const heldAt = new Date(body.heldAt);
    if (heldAt.getTime() > now.getTime() + 3600_000) throw fieldError('body.heldAt', '调解时间不能晚于现在');
    if (dispute.acceptedAt && heldAt.getTime() < new Date(dispute.acceptedAt).getTime() - DAY_MS) throw fieldError('body.heldAt', '调解时间不能早于受理');
    // Photos of the signed record: only the mediator's own uploads.
    await assertOwnPhotos(manager, actorId, body.photos);
    await addParties(manager, dispute.id, body.parties);
    await manager.getRepository(DisputeSessionRow).insert({
      disputeId: dispute.id,
      heldAt,
      place: body.place,
      participants: JSON.stringify(body.participants),
      notes: body.notes,
      photos: JSON.stringify(body.photos),
      recordedById: actorId,
    });
    const count = await manager.getRepository(DisputeSessionRow).countBy({ disputeId: dispute.id });
    return { toStatus: 'mediating', note: `第 ${count} 次调解 · ${body.place}` };
  },
  async agree({ manager, dispute, now }, body) {
    const parties = await manager.getRepository(DisputePartyRow).findBy({ disputeId: dispute.id });
    if (!parties.some((p) => p.role === 'respondent')) throw conflict('本案还没有被申请人：请先在调解记录中补录');
    if (body.deadline < chinaDay(now)) throw fieldError('body.deadline', '履行期限不能早于今天');
    dispute.agreedAt = now;
    dispute.agreementForm = body.form;
    dispute.agreementFacts = body.facts ?? dispute.description;
    dispute.agreementTerms = body.terms;
    dispute.agreementPerformance = body.performance;
    dispute.performanceDeadline = body.deadline;
    return { toStatus: 'agreed', note: `达成${AGREEMENT_FORM_LABELS[body.form]}，履行期限 ${body.deadline}` };
  },
  async fail({ dispute, now }, body) {
    dispute.failedAt = now;
    dispute.failureAdvice = body.advice;
    dispute.failureReason = body.reason;
    return { toStatus: 'failed', note: `调解不成（${FAILURE_ADVICE_LABELS[body.advice]}）：${body.reason}` };
  },
  async fulfil({ dispute, now }, body) {
    dispute.fulfilledAt = now;
    return { toStatus: 'fulfilled', note: body.note ?? '协议已履行完毕' };
  },
  async breach({ dispute, now }, body) {
    dispute.breachedAt = now;
    return { toStatus: 'breached', note: body.note };
  },
  async ruling({ dispute, now }, body) {
    dispute.ruledAt = now;
    dispute.rulingNote = body.note;
    dispute.rulingCourt = body.court ?? null;
    return { toStatus: 'ruled', note: [body.court, body.note].filter(Boolean).join('：') };
  },
  async visit({ manager, dispute, actorId }, body) {
    await assertOwnPhotos(manager, actorId, body.photos);
    await manager.getRepository(DisputeVisitRow).insert({ disputeId: dispute.id, method: body.method, note: body.note, photos: JSON.stringify(body.photos), recordedById: actorId });
    return { toStatus: null, note: `${VISIT_METHOD_LABELS[body.method]}：${body.note}`, photos: body.photos };
  },
  async extend({ dispute }, body) {
    dispute.dueAt = new Date(new Date(dispute.dueAt!).getTime() + EXTENSION_DAYS * DAY_MS);
    dispute.extended = true;
    // A new due time gets its own reminder.
    dispute.remindedAt = null;
    return { toStatus: null, note: `经双方同意延长 ${EXTENSION_DAYS} 日，至 ${chinaDay(dispute.dueAt)}：${body.reason}` };
  },
  async confirmation({ dispute, now }, body) {
    if (body.status === 'applied' && dispute.confirmationStatus === 'applied') throw conflict('已经登记过司法确认申请');
    if (dispute.confirmationStatus !== 'applied') {
      // A first record: the parties' application, which must fall within 30 days of the agreement.
      const appliedAt = body.appliedAt ? new Date(body.appliedAt) : now;
      const agreedAt = new Date(dispute.agreedAt!).getTime();
      if (appliedAt.getTime() > now.getTime() + 60_000 || appliedAt.getTime() < agreedAt) throw fieldError('body.appliedAt', '申请时间须在协议达成之后、不晚于现在');
      if (appliedAt.getTime() > confirmationWindowEnd(dispute)!.getTime()) throw conflict(`已超过申请司法确认的期限（协议生效后 ${CONFIRMATION_WINDOW_DAYS} 日内）`);
      dispute.confirmationAppliedAt = appliedAt;
    }
    dispute.confirmationStatus = body.status;
    dispute.confirmationCourt = body.court;
    dispute.confirmationDecidedAt = body.status === 'applied' ? null : now;
    return { toStatus: null, note: [`${CONFIRMATION_STATUS_LABELS[body.status]}（${body.court}）`, body.note].filter(Boolean).join('：') };
  },
  async close({ dispute, now }, body) {
    dispute.closedAt = now;
    return { toStatus: 'closed', note: body.note ?? null };
  },
};

/** The last moment the parties may apply for judicial confirmation. */
export function confirmationWindowEnd(dispute: Pick<Dispute, 'agreedAt'>): Date | null {
  return dispute.agreedAt ? new Date(new Date(dispute.agreedAt).getTime() + CONFIRMATION_WINDOW_DAYS * DAY_MS) : null;
}

/** Writes parties; a linked user must exist. */
export async function addParties(manager: EntityManager, disputeId: number, parties: DisputePartyInput[]): Promise<void> {
  if (parties.length === 0) return;
  const linked = parties.filter((p) => p.userId !== undefined);
  for (const [i, party] of linked.entries()) {
    if (!(await manager.getRepository(User).existsBy({ id: party.userId }))) throw fieldError(`body.parties.${i}.userId`, '用户不存在');
  }
  await manager.getRepository(DisputePartyRow).insert(
    parties.map((p) => manager.getRepository(DisputePartyRow).create({ disputeId, role: p.role, name: p.name, phone: p.phone ?? null, userId: p.userId ?? null })),
  );
}
