import type { EntityManager } from 'typeorm';
import { DISPUTE_ACTION_LABELS, DISPUTE_STATUS_INFO, type DisputeEventAction } from '@linli/shared';
import { pathIds } from '../grids/grid-path';
import type { NotificationInput, NotificationService } from '../notifications/notification.service';
import { staffOnNodes } from '../reports/report-notifications';
import { DisputePartyRow, type Dispute } from './dispute.entities';

/** Where dispute notifications go: the notifications module, writing in the caller's transaction. */
export type NotificationSink = Pick<NotificationService, 'enqueue' | 'kick'>;

export const DISPUTE_DETAIL_PAGE = '/packages/disputes/detail/index';
export const disputeLink = (id: number) => `${DISPUTE_DETAIL_PAGE}?id=${id}`;

/** Steps the parties hear of (a case registered about them is news once it is accepted). */
const PARTY_FACING: DisputeEventAction[] = ['accept', 'decline', 'assign', 'session', 'agree', 'fail', 'fulfil', 'breach', 'ruling', 'visit', 'extend', 'confirmation', 'close', 'confirmation_remind'];
/** Steps the coordinators (secretaries over the case) hear of. */
const COORDINATOR_FACING: DisputeEventAction[] = ['register', 'agree', 'fail', 'breach', 'extend', 'remind'];
/** Steps the mediator hears of. */
const MEDIATOR_FACING: DisputeEventAction[] = ['accept', 'assign', 'fulfil', 'breach', 'ruling', 'confirmation', 'close', 'remind', 'escalate', 'confirmation_remind'];

/** Everyone who hears about a step of the case, minus the person who took it. */
export async function disputeAudience(manager: EntityManager, dispute: Dispute, action: DisputeEventAction, actorId: number | null): Promise<number[]> {
  const ids = new Set<number>();
  if (PARTY_FACING.includes(action)) {
    for (const party of await manager.getRepository(DisputePartyRow).findBy({ disputeId: dispute.id })) if (party.userId) ids.add(party.userId);
  }
  if (MEDIATOR_FACING.includes(action) && dispute.mediatorUserId) ids.add(dispute.mediatorUserId);
  if (COORDINATOR_FACING.includes(action)) for (const id of await staffOnNodes(manager, pathIds(dispute.nodePath), ['secretary'])) ids.add(id);
  if (actorId !== null) ids.delete(actorId);
  return [...ids];
}

export function disputeMessage(dispute: Dispute, action: DisputeEventAction, userId: number, eventId: number): NotificationInput {
  const status = DISPUTE_STATUS_INFO[dispute.status].label;
  return {
    userId,
    kind: `dispute.${action}`,
    title: `矛盾调解${DISPUTE_ACTION_LABELS[action]}：${dispute.number}`,
    body: `${dispute.title}（当前状态：${status}）`,
    link: disputeLink(dispute.id),
    dedupeKey: `dispute-event:${eventId}`,
    subscribe: {
      templateKey: 'DISPUTE_STATUS',
      data: { character_string1: dispute.number, phrase2: status, thing3: dispute.title.slice(0, 20) },
    },
  };
}
