import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ClaimAction, ClaimStatus, TaskFunding, TaskStatus } from '@linli/shared';

/** A resident asks to volunteer in their community; a secretary approves (role `volunteer` on the community). */
@Entity('volunteer_applications')
@Index(['userId', 'communityId'], { unique: true })
export class VolunteerApplicationRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Index()
  @Column({ type: 'int' })
  communityId!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: 'pending' | 'approved' | 'rejected';

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'int', nullable: true })
  decidedById!: number | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/**
 * A time-bank task. Its hours (minutes × capacity) are moved into its own escrow account when it is
 * posted; confirmed claims are paid from there, and what no claim can still earn goes back to the payer
 * when the task ends or is cancelled.
 */
@Entity('timebank_tasks')
export class TimebankTaskRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  communityId!: number;

  @Column({ type: 'int' })
  scopeNodeId!: number;

  /** The scope node's materialized path: staff and volunteer scope checks are a prefix test. */
  @Column({ type: 'varchar', length: 255 })
  scopePath!: string;

  @Column({ type: 'varchar', length: 60 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'datetime', precision: 6 })
  startAt!: Date;

  @Index()
  @Column({ type: 'datetime', precision: 6 })
  endAt!: Date;

  /** Earned by each volunteer. */
  @Column({ type: 'int' })
  minutes!: number;

  @Column({ type: 'int' })
  capacity!: number;

  /** Claims holding a place; raised only by `claimed = claimed + 1 WHERE claimed < capacity`. */
  @Column({ type: 'int', default: 0 })
  claimed!: number;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: TaskStatus;

  @Column({ type: 'int', default: 0 })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  fundedBy!: TaskFunding;

  @Index()
  @Column({ type: 'int' })
  posterId!: number;

  /** Where unspent hours go back: the community's hours account or the poster's. */
  @Column({ type: 'int' })
  payerAccountId!: number;

  @Column({ type: 'int' })
  escrowAccountId!: number;

  @Column({ type: 'double', nullable: true })
  lat!: number | null;

  @Column({ type: 'double', nullable: true })
  lng!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  /** A help request (status `requested`): the secretary who funded or declined it, and when. */
  @Column({ type: 'int', nullable: true })
  fundingDecidedById!: number | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  fundingDecidedAt!: Date | null;

  /** Why a secretary declined to fund a help request; the poster reads it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  declineReason!: string | null;

  /** When it ended or was cancelled. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

/** A volunteer's place on a task: one per (task, user); a cancelled one may be taken up again. */
@Entity('timebank_claims')
@Index(['taskId', 'userId'], { unique: true })
export class TimebankClaimRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  taskId!: number;

  @Index()
  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ClaimStatus;

  @Column({ type: 'int', default: 0 })
  version!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  checkedInAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  checkedOutAt!: Date | null;

  @Column({ type: 'double', nullable: true })
  checkInLat!: number | null;

  @Column({ type: 'double', nullable: true })
  checkInLng!: number | null;

  @Column({ type: 'double', nullable: true })
  checkOutLat!: number | null;

  @Column({ type: 'double', nullable: true })
  checkOutLng!: number | null;

  /** Confirmed or marked no-show. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  settledAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  settledById!: number | null;

  /** What confirmation credited (attended time, or the confirmer's hours); null until confirmed, and for claims confirmed before attendance was measured (they got the task's hours). */
  @Column({ type: 'int', nullable: true })
  creditedMinutes!: number | null;

  /** The confirmer's reason when the credited time differs from the attended time. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  adjustReason!: string | null;

  /** Civility points the confirmation earned (0 for a resident-funded task); null until confirmed. */
  @Column({ type: 'int', nullable: true })
  points!: number | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

/** One step of a claim's life, never changed: who did what, from which state to which, what was credited and why. */
@Entity('timebank_claim_events')
export class TimebankClaimEventRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  claimId!: number;

  /** null: the settling job. */
  @Column({ type: 'int', nullable: true })
  actorId!: number | null;

  /** `claim` or a ClaimAction */
  @Column({ type: 'varchar', length: 16 })
  action!: 'claim' | ClaimAction;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: ClaimStatus | null;

  @Column({ type: 'varchar', length: 16 })
  toStatus!: ClaimStatus;

  /** Confirm: the minutes credited. */
  @Column({ type: 'int', nullable: true })
  minutes!: number | null;

  /** Confirm: the minutes attended (rounded), as the confirmer saw them. */
  @Column({ type: 'int', nullable: true })
  attendedMinutes!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
