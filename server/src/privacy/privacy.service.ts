import { In, type DataSource } from 'typeorm';
import { transact } from '../db/data-source';
import {
  Consultation,
  ConsultationCommentRow,
  ConsultationSupport,
  ConsultationVote,
} from '../consultations/consultation.entities';
import type { IdentityService } from '../identity/identity.service';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { Notification } from '../notifications/notification.entity';
import { DisputePartyRow, MediatorRow } from '../disputes/dispute.entities';
import { ReportEventRow } from '../reports/report-event.entity';
import { Report } from '../reports/report.entity';
import { HouseholdMembership } from '../residents/membership.entity';
import { UploadRow } from '../uploads/upload.entity';

/**
 * PIPL rights of a resident: a copy of what the service holds about them, and deleting the account.
 * Deleting keeps the reports (the community's record) but cuts them loose from the person.
 */
export class PrivacyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityService,
  ) {}

  async exportData(userId: number) {
    const m = this.dataSource.manager;
    const user = await m.getRepository(User).findOneByOrFail({ id: userId });
    return {
      exportedAt: new Date().toISOString(),
      profile: { ...(await this.identity.me(userId)), phone: user.phone, createdAt: new Date(user.createdAt).toISOString() },
      reports: await m.getRepository(Report).find({ where: { reporterId: userId }, order: { id: 'ASC' } }),
      reportEvents: await m.getRepository(ReportEventRow).find({ where: { actorId: userId }, order: { id: 'ASC' } }),
      consultationsProposed: await m.getRepository(Consultation).find({ where: { proposerId: userId }, order: { id: 'ASC' } }),
      consultationSupports: await m.getRepository(ConsultationSupport).findBy({ userId }),
      consultationVotes: await m.getRepository(ConsultationVote).findBy({ userId }),
      households: await m.getRepository(HouseholdMembership).find({ where: { userId }, order: { id: 'ASC' } }),
      consultationComments: await m.getRepository(ConsultationCommentRow).find({ where: { userId }, order: { id: 'ASC' } }),
      notifications: await m.getRepository(Notification).find({ where: { userId }, order: { id: 'ASC' } }),
      uploads: await m.getRepository(UploadRow).find({ where: { uploaderId: userId }, order: { id: 'ASC' } }),
      disputeParties: await m.getRepository(DisputePartyRow).find({ where: { userId }, order: { id: 'ASC' } }),
    };
  }

  /** The person is gone; their reports stay, anonymous, and their tokens stop working. */
  async deleteAccount(userId: number): Promise<void> {
    await transact(this.dataSource, async (m) => {
      await m.getRepository(Report).update({ reporterId: userId }, { anonymous: true, version: () => 'version + 1' });
      await m.getRepository(RoleAssignment).delete({ userId });
      // A mediator who leaves leaves the pools too (their cases keep their name: the committee's record).
      await m.getRepository(MediatorRow).update({ userId }, { active: false });
      // The household's votes stay the household's; the person is no longer one of its members.
      await m.getRepository(HouseholdMembership).update({ userId, status: In(['pending', 'verified']) }, { status: 'removed', reason: '账号已注销' });
      await m.getRepository(User).update(
        { id: userId },
        {
          openid: `deleted-${userId}-${Date.now()}`,
          unionid: null,
          nickname: '已注销用户',
          avatarUrl: null,
          phone: null,
          phoneHash: null,
          phoneTail: null,
          phoneVerifiedAt: null,
          realName: null,
          sessionKey: null,
          householdId: null,
          departmentId: null,
          deletedAt: new Date(),
        },
      );
    });
  }
}
