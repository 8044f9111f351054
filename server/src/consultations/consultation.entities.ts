import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ConsultationScope, ConsultationStatus, ModerationState, Outcome, VoteMethod, VotingRule } from '@linli/shared';
import { decimalNumber } from '../db/portable-columns';

/** A building matter raised by a resident and carried 提议题 → 审议题 → 议议题 → 落议题. */
@Entity('consultations')
export class Consultation {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  /** Content check of title and description (ModerationState): anything but clear is seen by the proposer and the reviewers only. */
  @Column({ type: 'varchar', length: 8, default: 'clear' })
  moderation!: ModerationState;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: ConsultationStatus;

  @Column({ type: 'int', default: 0 })
  version!: number;

  /**
   * Bumped by every change the page shows — votes and comments too, which leave `version` (the phase's
   * lock) alone: the page's ETag (consultation-freshness.ts). Migration 1763900003200.
   */
  @Column({ type: 'int', default: 0 })
  revision!: number;

  @Column({ type: 'varchar', length: 16 })
  scope!: ConsultationScope;

  /** Set for a building-scoped consultation. */
  @Column({ type: 'int', nullable: true })
  buildingId!: number | null;

  /** The grid node whose households take part (a building's: its micro-grid). */
  @Column({ type: 'int' })
  scopeNodeId!: number;

  /** The node's materialized path: staff scope checks are a prefix test. */
  @Index()
  @Column({ type: 'varchar', length: 255 })
  scopePath!: string;

  @Column({ type: 'int' })
  proposerId!: number;

  @Column({ type: 'int' })
  proposerHouseholdId!: number;

  @Column({ type: 'int' })
  supportThreshold!: number;

  @Column({ type: 'int', default: 0 })
  supporters!: number;

  @Column({ type: 'varchar', length: 24, nullable: true })
  rule!: VotingRule | null;

  @Index()
  @Column({ type: 'datetime', precision: 6, nullable: true })
  votingEndsAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: Outcome | null;

  /** Households in scope when voting closed: the outcome is reproducible from the stored tally. */
  @Column({ type: 'int', nullable: true })
  eligibleAtClose!: number | null;

  /** The scope's 专有部分面积 (m²) when voting closed, beside eligibleAtClose (each vote keeps its household's). */
  @Column({ type: 'decimal', precision: 14, scale: 2, nullable: true, transformer: decimalNumber })
  eligibleAreaAtClose!: number | null;

  @Column({ type: 'text', nullable: true })
  rejectReason!: string | null;

  @Column({ type: 'text', nullable: true })
  plan!: string | null;

  @Column({ type: 'int', nullable: true })
  ownerId!: number | null;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  /** The speak-up report this came from (handling method `consultation`). */
  @Column({ type: 'int', nullable: true })
  reportId!: number | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

@Entity('consultation_options')
export class ConsultationOptionRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  consultationId!: number;

  @Column({ type: 'varchar', length: 30 })
  label!: string;

  /** 0 is "in favour" */
  @Column({ type: 'int' })
  position!: number;
}

/** One co-signature per household. */
@Entity('consultation_supports')
@Index(['consultationId', 'householdId'], { unique: true })
export class ConsultationSupport {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  consultationId!: number;

  @Column({ type: 'int' })
  householdId!: number;

  @Column({ type: 'int' })
  userId!: number;
}

/**
 * The household's vote, one per household: cast in the app by one of its verified members, or recorded
 * by staff from a paper ballot or the owner's proxy. A later vote of the household replaces it until
 * voting ends.
 */
@Entity('consultation_votes')
@Index(['consultationId', 'householdId'], { unique: true })
export class ConsultationVote {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  consultationId!: number;

  @Column({ type: 'int' })
  householdId!: number;

  @Column({ type: 'int' })
  optionId!: number;

  /** The member who voted in the app; null for a paper ballot or proxy (the owner may have no account). */
  @Column({ type: 'int', nullable: true })
  userId!: number | null;

  @Column({ type: 'varchar', length: 8, default: 'app' })
  method!: VoteMethod;

  /** The staff member who recorded a paper ballot or proxy. */
  @Column({ type: 'int', nullable: true })
  recordedById!: number | null;

  /** When this choice was cast or recorded (null for votes from before it was kept). */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  castAt!: Date | null;

  /** JSON array of upload URLs: the signed ballot, or the owner's signed authorisation of a proxy. */
  @Column({ type: 'text', nullable: true })
  photos!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  /** The household's area when voting closed: the decided tally is read from it, whatever changes later. */
  @Column({ type: 'decimal', precision: 10, scale: 2, nullable: true, transformer: decimalNumber })
  areaM2AtClose!: number | null;
}

@Entity('consultation_comments')
export class ConsultationCommentRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  consultationId!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  hiddenAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  hiddenReason!: string | null;

  @Column({ type: 'int', nullable: true })
  hiddenById!: number | null;

  /** Content check (ModerationState): a comment not clear shows to its author and the reviewers only. */
  @Column({ type: 'varchar', length: 8, default: 'clear' })
  moderation!: ModerationState;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

@Entity('consultation_progress')
export class ConsultationProgressRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  consultationId!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'text' })
  note!: string;

  /** JSON array of upload URLs */
  @Column({ type: 'text' })
  photos!: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/** Immutable audit line of each phase change. */
@Entity('consultation_events')
export class ConsultationEventRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  consultationId!: number;

  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ type: 'int', nullable: true })
  actorId!: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: ConsultationStatus | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toStatus!: ConsultationStatus | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
