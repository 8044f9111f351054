import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type {
  AgreementForm,
  ConfirmationStatus,
  DisputeEventAction,
  DisputeSource,
  DisputeStatus,
  DisputeType,
  FailureAdvice,
  PartyRole,
  RiskLevel,
  VisitMethod,
} from '@linli/shared';
import { decimalNumber } from '../db/portable-columns';
import { encryptedColumn } from '../privacy/field-cipher';

/**
 * A dispute case (矛盾纠纷) and where it stands. The milestones keep their own times (agreedAt,
 * failedAt, ruledAt, breachedAt…) so that closing the case loses nothing the figures count.
 * Migration 1763900003000.
 */
@Entity('disputes')
@Index('IDX_disputes_node_created', ['nodePath', 'createdAt'])
@Index('IDX_disputes_mediator_status', ['mediatorUserId', 'status'])
@Index('IDX_disputes_status_due', ['status', 'dueAt'])
export class Dispute {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** TJ20261130-0001, numbered per China day. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20 })
  number!: string;

  @Column({ type: 'varchar', length: 60 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar', length: 24 })
  type!: DisputeType;

  @Column({ type: 'varchar', length: 16 })
  source!: DisputeSource;

  @Column({ type: 'varchar', length: 8 })
  riskLevel!: RiskLevel;

  /** 涉及金额 (yuan) */
  @Column({ type: 'decimal', precision: 14, scale: 2, nullable: true, transformer: decimalNumber })
  amount!: number | null;

  @Column({ type: 'int', nullable: true })
  peopleInvolved!: number | null;

  @Column({ type: 'varchar', length: 16 })
  status!: DisputeStatus;

  /** Optimistic lock: every change bumps it; a request carrying an older one gets 409 CONFLICT. */
  @Column({ type: 'int', default: 0 })
  version!: number;

  /** The grid node the case belongs to, and its path (scope checks are one prefix match). */
  @Column({ type: 'int' })
  nodeId!: number;

  @Column({ type: 'varchar', length: 255 })
  nodePath!: string;

  /** The report it came from (handling method `mediation`), if any. */
  @Index()
  @Column({ type: 'int', nullable: true })
  reportId!: number | null;

  /** Who registered it: the applicant themself, or staff. */
  @Column({ type: 'int' })
  createdById!: number;

  /** The mediator from the pool (mediators.id), and their user (the queue reads it). */
  @Column({ type: 'int', nullable: true })
  mediatorId!: number | null;

  @Column({ type: 'int', nullable: true })
  mediatorUserId!: number | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  acceptedAt!: Date | null;

  /** 30 days after acceptance; 30 more after the one extension. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  extended!: boolean;

  /** The due-time reminder went out (once per due time: cleared by an extension). */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  remindedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  escalationLevel!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  lastEscalatedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  agreedAt!: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  agreementForm!: AgreementForm | null;

  @Column({ type: 'text', nullable: true })
  agreementFacts!: string | null;

  @Column({ type: 'text', nullable: true })
  agreementTerms!: string | null;

  @Column({ type: 'text', nullable: true })
  agreementPerformance!: string | null;

  /** 履行期限, a China day YYYY-MM-DD */
  @Column({ type: 'varchar', length: 10, nullable: true })
  performanceDeadline!: string | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  fulfilledAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  breachedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  failedAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  failureAdvice!: FailureAdvice | null;

  @Column({ type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  ruledAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  rulingNote!: string | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  rulingCourt!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  confirmationStatus!: ConfirmationStatus | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  confirmationCourt!: string | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  confirmationAppliedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  confirmationDecidedAt!: Date | null;

  /** The reminder that the 30-day window for judicial confirmation runs short went out. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  confirmationRemindedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  declinedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

/** A party to a case. A party who uses the app (`userId`) follows the case; phones are encrypted at rest. */
@Entity('dispute_parties')
export class DisputePartyRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  disputeId!: number;

  @Column({ type: 'varchar', length: 12 })
  role!: PartyRole;

  @Column({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ type: 'varchar', length: 128, nullable: true, transformer: encryptedColumn })
  phone!: string | null;

  @Index()
  @Column({ type: 'int', nullable: true })
  userId!: number | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/** 调解记录: one mediation session. */
@Entity('dispute_sessions')
export class DisputeSessionRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  disputeId!: number;

  @Column({ type: 'datetime', precision: 6 })
  heldAt!: Date;

  @Column({ type: 'varchar', length: 100 })
  place!: string;

  /** JSON array of names */
  @Column({ type: 'text' })
  participants!: string;

  @Column({ type: 'text' })
  notes!: string;

  /** JSON array of upload URLs (photos of the signed record) */
  @Column({ type: 'text' })
  photos!: string;

  @Column({ type: 'int' })
  recordedById!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/** 回访: a return visit after the agreement. */
@Entity('dispute_visits')
export class DisputeVisitRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  disputeId!: number;

  @Column({ type: 'varchar', length: 8 })
  method!: VisitMethod;

  @Column({ type: 'text' })
  note!: string;

  @Column({ type: 'text' })
  photos!: string;

  @Column({ type: 'int' })
  recordedById!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/** One immutable line of a case's history. */
@Entity('dispute_events')
export class DisputeEventRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  disputeId!: number;

  @Column({ type: 'varchar', length: 20 })
  action!: DisputeEventAction;

  /** null for the sweeper's reminders and escalations */
  @Column({ type: 'int', nullable: true })
  actorId!: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: DisputeStatus | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toStatus!: DisputeStatus | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'text', nullable: true })
  photos!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/**
 * A mediator of the pool of a community or a street (人民调解员, a 调解工作室's member, a lawyer on
 * duty): a user who holds the `mediator` role on that node. Migration 1763900003000.
 */
@Entity('mediators')
@Index(['userId', 'nodeId'], { unique: true })
export class MediatorRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  /** The pool: a community or a street, and its path. */
  @Index()
  @Column({ type: 'int' })
  nodeId!: number;

  @Column({ type: 'varchar', length: 255 })
  nodePath!: string;

  @Column({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ type: 'varchar', length: 128, nullable: true, transformer: encryptedColumn })
  phone!: string | null;

  /** JSON array of dispute types */
  @Column({ type: 'text' })
  specialties!: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  studio!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
