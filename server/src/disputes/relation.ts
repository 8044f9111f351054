import { CAPABILITY_ROLES, type DisputeFacts, type DisputeRelation } from '@linli/shared';
import type { Actor } from '../identity/actor';
import { holdsRoleOver } from '../identity/authorize';
import type { Dispute } from './dispute.entities';

/** Who coordinates a node's cases: accepts, assigns a mediator, reads every case and the figures. */
export const COORDINATOR_ROLES = CAPABILITY_ROLES.coordinateDisputes;
/** Who may register a case for someone else (a walk-in, a referral, a grid worker's finding). */
export const REGISTRAR_ROLES = CAPABILITY_ROLES.registerDisputes;

/** How the actor stands to a case: the input of the shared state machine. */
export function relationTo(actor: Actor, dispute: Pick<Dispute, 'mediatorUserId' | 'nodePath'>, partyUserIds: readonly number[]): DisputeRelation {
  return {
    isParty: partyUserIds.includes(actor.userId),
    isMediator: dispute.mediatorUserId === actor.userId,
    coordinatorInScope: holdsRoleOver(actor, COORDINATOR_ROLES, dispute.nodePath),
  };
}

/** The handlers of a case: its mediator and the coordinators over it. */
export const isHandler = (relation: DisputeRelation) => relation.isMediator || relation.coordinatorInScope;

/**
 * Who may read a case at all; anyone else gets 404, as if it did not exist. The staff member who
 * registered it follows it too (a grid worker's walk-in), without the handlers' notes or phones.
 */
export function canSeeDispute(actor: Actor, dispute: Pick<Dispute, 'createdById'>, relation: DisputeRelation): boolean {
  return relation.isParty || isHandler(relation) || dispute.createdById === actor.userId;
}

export function factsOf(dispute: Dispute): DisputeFacts {
  return {
    failureAdvice: dispute.failureAdvice,
    agreementForm: dispute.agreementForm,
    extended: dispute.extended,
    confirmationStatus: dispute.confirmationStatus,
  };
}
