import { IdentityAndGrid1763900000000 } from './1763900000000-identity-and-grid';
import { Notifications1763900000100 } from './1763900000100-notifications';
import { Reports1763900000200 } from './1763900000200-reports';
import { Consultations1763900000300 } from './1763900000300-consultations';
import { Ledgers1763900000400 } from './1763900000400-ledgers';
import { Points1763900000500 } from './1763900000500-points';
import { Timebank1763900000600 } from './1763900000600-timebank';
import { RateLimits1763900000900 } from './1763900000900-rate-limits';
import { AuditAndPrivacy1763900000950 } from './1763900000950-audit-and-privacy';
import { StatsAndOpen3111763900001000 } from './1763900001000-stats-and-open311';
import { Moderation1763900001100 } from './1763900001100-moderation';
import { ModeratedRatings1763900001200 } from './1763900001200-moderated-ratings';
import { StatsCoveringIndexes1763900001300 } from './1763900001300-stats-covering-indexes';
import { QueueIndexes1763900001400 } from './1763900001400-queue-indexes';
import { Uploads1763900001500 } from './1763900001500-uploads';
import { AwardLimits1763900001600 } from './1763900001600-award-limits';
import { Attendance1763900001610 } from './1763900001610-attendance';
import { Residents1763900002000 } from './1763900002000-residents';
import { ResidentSearchIndexes1763900002100 } from './1763900002100-resident-search-indexes';
import { ReportCallers1763900002200 } from './1763900002200-report-callers';
import { Workday1763900002300 } from './1763900002300-workday';
import { CannedReplies1763900002310 } from './1763900002310-canned-replies';
import { Announcements1763900002400 } from './1763900002400-announcements';
import { HelpRequests1763900002410 } from './1763900002410-help-requests';
import { LeaderboardNames1763900002420 } from './1763900002420-leaderboard-names';
import { HouseholdBallots1763900002600 } from './1763900002600-household-ballots';
import { Disputes1763900003000 } from './1763900003000-disputes';
import { RecentWriters1763900003100 } from './1763900003100-recent-writers';
import { ConsultationRevision1763900003200 } from './1763900003200-consultation-revision';
import { ReportRollups1763900003300 } from './1763900003300-report-rollups';
import { ReportNumbersPerStreet1763900003400 } from './1763900003400-report-numbers-per-street';

/** Listed explicitly, in order: a glob of migration files does not load under vitest (TOOLCHAIN.md). One a line: branches add theirs without conflicts. */
export const migrations = [
  IdentityAndGrid1763900000000,
  Notifications1763900000100,
  Reports1763900000200,
  Consultations1763900000300,
  Ledgers1763900000400,
  Points1763900000500,
  Timebank1763900000600,
  RateLimits1763900000900,
  AuditAndPrivacy1763900000950,
  StatsAndOpen3111763900001000,
  Moderation1763900001100,
  ModeratedRatings1763900001200,
  StatsCoveringIndexes1763900001300,
  QueueIndexes1763900001400,
  Uploads1763900001500,
  AwardLimits1763900001600,
  Attendance1763900001610,
  Residents1763900002000,
  ResidentSearchIndexes1763900002100,
  ReportCallers1763900002200,
  Workday1763900002300,
  CannedReplies1763900002310,
  Announcements1763900002400,
  HelpRequests1763900002410,
  LeaderboardNames1763900002420,
  HouseholdBallots1763900002600,
  Disputes1763900003000,
  RecentWriters1763900003100,
  ConsultationRevision1763900003200,
  ReportRollups1763900003300,
  ReportNumbersPerStreet1763900003400,
];
