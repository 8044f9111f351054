import type { EntityManager } from 'typeorm';
import type { ModerationSubjectHandler } from '../moderation/moderation.service';
import type { PointsAwarder } from '../points/points.service';
import { Consultation, ConsultationCommentRow } from './consultation.entities';
import { touchConsultation } from './consultation-freshness';

export const consultationLink = (consultationId: number) => `/packages/consult/detail/index?id=${consultationId}`;

/** A proposal's title and description: released, it shows in its building's list; removed, only its proposer sees it, with the reason. */
export const consultationModerationHandler: ModerationSubjectHandler = {
  async setState(manager, id, state) {
    await manager.getRepository(Consultation).update({ id }, { moderation: state, revision: () => 'revision + 1' });
  },
  link: (id) => consultationLink(id),
};

/**
 * A comment: released, it shows to everyone in scope and earns its comment point then (not while
 * held); removed, it is hidden with the reviewer's reason, as a secretary's hide would.
 */
export function commentModerationHandler(points: PointsAwarder | undefined, now: () => Date): ModerationSubjectHandler {
  return {
    async setState(manager, id, state) {
      await manager.getRepository(ConsultationCommentRow).update({ id }, { moderation: state });
      await touchConsultation(manager, (await manager.getRepository(ConsultationCommentRow).findOneByOrFail({ id })).consultationId);
    },
    link: (_commentId, consultationId) => consultationLink(consultationId!),
    async released(manager: EntityManager, id) {
      const comment = await manager.getRepository(ConsultationCommentRow).findOneByOrFail({ id });
      const c = await manager.getRepository(Consultation).findOneByOrFail({ id: comment.consultationId });
      await points?.award(manager, { userId: comment.userId, rule: 'comment', sourceKey: comment.id, path: c.scopePath });
    },
    async removed(manager, id, reviewerId, reason) {
      await manager.getRepository(ConsultationCommentRow).update({ id }, { hiddenAt: now(), hiddenReason: `内容未通过审核：${reason}`.slice(0, 200), hiddenById: reviewerId });
      await touchConsultation(manager, (await manager.getRepository(ConsultationCommentRow).findOneByOrFail({ id })).consultationId);
    },
  };
}
