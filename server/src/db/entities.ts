import {
  Consultation,
  ConsultationCommentRow,
  ConsultationEventRow,
  ConsultationOptionRow,
  ConsultationProgressRow,
  ConsultationSupport,
  ConsultationVote,
} from '../consultations/consultation.entities';
import { AuditEntry } from '../audit/audit-entry.entity';
import { UploadRow } from '../uploads/upload.entity';
import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { LedgerAccount, LedgerEntry } from '../ledger/ledger.entities';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { NotificationDelivery } from '../notifications/notification-delivery.entity';
import { Notification } from '../notifications/notification.entity';
import { MediaCheckRow, ModerationCaseRow } from '../moderation/moderation.entities';
import { Open311Key } from '../open311/open311-key.entity';
import { AwarderMonth, PointAward, RedemptionRow, Reward } from '../points/points.entities';
import { Department } from '../reports/department.entity';
import { CannedReplyRow } from '../reports/canned-reply.entity';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { ReportEventRow } from '../reports/report-event.entity';
import { ReportFollower } from '../reports/report-follower.entity';
import { Report } from '../reports/report.entity';
import { HouseholdInvite, HouseholdMembership } from '../residents/membership.entity';
import { TimebankClaimEventRow, TimebankClaimRow, TimebankTaskRow, VolunteerApplicationRow } from '../timebank/timebank.entities';
import { RecentWriter } from './recent-writer.entity';
import { ReportRollup, RollupWatermark } from '../stats/report-rollup.entity';
import { SystemCounter } from './system-counter.entity';
import { AnnouncementReadRow, AnnouncementRow } from '../announcements/announcement.entities';
import { Dispute, DisputeEventRow, DisputePartyRow, DisputeSessionRow, DisputeVisitRow, MediatorRow } from '../disputes/dispute.entities';

export const entities = [
  GridNode,
  Building,
  Household,
  User,
  RoleAssignment,
  SystemCounter,
  RecentWriter,
  ReportRollup,
  RollupWatermark,
  Notification,
  NotificationDelivery,
  Department,
  ReportCategoryRow,
  Report,
  ReportEventRow,
  ReportFollower,
  CannedReplyRow,
  Consultation,
  ConsultationOptionRow,
  ConsultationSupport,
  ConsultationVote,
  ConsultationCommentRow,
  ConsultationProgressRow,
  ConsultationEventRow,
  LedgerAccount,
  LedgerEntry,
  PointAward,
  AwarderMonth,
  Reward,
  RedemptionRow,
  VolunteerApplicationRow,
  TimebankTaskRow,
  TimebankClaimRow,
  TimebankClaimEventRow,
  AuditEntry,
  Open311Key,
  ModerationCaseRow,
  MediaCheckRow,
  HouseholdMembership,
  HouseholdInvite,
  UploadRow,
  AnnouncementRow,
  AnnouncementReadRow,
  Dispute,
  DisputePartyRow,
  DisputeSessionRow,
  DisputeVisitRow,
  DisputeEventRow,
  MediatorRow,
];
