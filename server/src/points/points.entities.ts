import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PointRule, RedemptionStatus } from '@linli/shared';

/**
 * Why a user earned points: one row per (user, rule, source), so a retried award never pays twice;
 * capped rules take one of their numbered daily slots, so two awards at once cannot pass the cap.
 * Leaderboards sum these rows (what was earned, not what is left after redemptions).
 */
@Entity('point_awards')
@Index(['userId', 'rule', 'sourceKey'], { unique: true })
@Index(['userId', 'rule', 'day', 'slot'], { unique: true })
export class PointAward {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 24 })
  rule!: PointRule;

  /** report id, consultation id, comment id, claim id, or a fresh key for a secretary's award */
  @Column({ type: 'varchar', length: 64 })
  sourceKey!: string;

  /** China day, YYYY-MM-DD */
  @Column({ type: 'varchar', length: 10 })
  day!: string;

  /** 1..cap for a capped rule, else null */
  @Column({ type: 'int', nullable: true })
  slot!: number | null;

  @Column({ type: 'int' })
  points!: number;

  /** The community whose issuing account paid (0: none, the platform's). */
  @Column({ type: 'int' })
  communityId!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'int', nullable: true })
  awardedById!: number | null;

  @Column({ type: 'int' })
  entryId!: number;

  @Index()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/**
 * What one staff member awarded in one China month (good deeds). Raised only by
 * `points = points + n WHERE points + n <= max`, in the award's transaction: two awards at once
 * cannot both pass the monthly maximum, and a refused award leaves it as it was.
 */
@Entity('point_awarder_months')
@Index(['awarderId', 'month'], { unique: true })
export class AwarderMonth {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  awarderId!: number;

  /** 'YYYY-MM', China time */
  @Column({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ type: 'int', default: 0 })
  points!: number;
}

/** A reward of a community's points mall. */
@Entity('rewards')
export class Reward {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  communityId!: number;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'int' })
  cost!: number;

  /** Taken with `stock = stock - 1 WHERE stock > 0`: never oversold. */
  @Column({ type: 'int' })
  stock!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  imageUrl!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'int', nullable: true })
  createdById!: number | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

@Entity('redemptions')
export class RedemptionRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  rewardId!: number;

  @Index()
  @Column({ type: 'int' })
  userId!: number;

  @Index()
  @Column({ type: 'int' })
  communityId!: number;

  /** The price paid, kept for the refund even if the reward's cost changes. */
  @Column({ type: 'int' })
  cost!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: RedemptionStatus;

  @Column({ type: 'int', default: 0 })
  version!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  fulfilledAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  cancelledAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  handledById!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
