import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { MembershipMethod, MembershipRelation, MembershipStatus } from '@linli/shared';

/** How a person belongs to a household: asked for, verified, rejected or removed (DESIGN.md "Residents and households"). */
@Entity('household_memberships')
@Index('IDX_memberships_household_user', ['householdId', 'userId'], { unique: true })
@Index('IDX_memberships_user_status', ['userId', 'status'])
@Index('IDX_memberships_status_household', ['status', 'householdId'])
export class HouseholdMembership {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  householdId!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 8 })
  relation!: MembershipRelation;

  @Column({ type: 'varchar', length: 8 })
  status!: MembershipStatus;

  /** How it was asked for or verified: what the 待核验 queue and the audit show. */
  @Column({ type: 'varchar', length: 16 })
  method!: MembershipMethod;

  /** Why it was rejected or removed; the person reads it. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  /** The staff member (or inviting owner) who decided it. */
  @Column({ type: 'int', nullable: true })
  decidedById!: number | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  decidedAt!: Date | null;

  /** Two staff deciding at once: the second gets 409. */
  @Column({ type: 'int', default: 0 })
  version!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

/** A verified owner's one-time code for a family member or tenant; only its hash is kept. */
@Entity('household_invites')
export class HouseholdInvite {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('IDX_invites_household')
  @Column({ type: 'int' })
  householdId!: number;

  @Column({ type: 'int' })
  createdById!: number;

  @Column({ type: 'varchar', length: 8 })
  relation!: MembershipRelation;

  @Index('IDX_invites_codeHash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: 'datetime', precision: 6 })
  expiresAt!: Date;

  @Column({ type: 'int', nullable: true })
  usedById!: number | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
