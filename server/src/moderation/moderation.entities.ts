import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ModerationCaseStatus, ModerationSubject } from '@linli/shared';

/**
 * One piece of content that did not pass at once: what was flagged, by whom, and what a reviewer
 * decided. One case per subject; the reviewers are the secretaries and admins over `nodePath`.
 */
@Entity('moderation_cases')
@Index(['subjectType', 'subjectId'], { unique: true })
@Index(['status', 'createdAt'])
export class ModerationCaseRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 24 })
  subjectType!: ModerationSubject;

  @Column({ type: 'int' })
  subjectId!: number;

  /** The consultation of a comment. */
  @Column({ type: 'int', nullable: true })
  parentId!: number | null;

  @Column({ type: 'int' })
  authorId!: number;

  @Index()
  @Column({ type: 'varchar', length: 255 })
  nodePath!: string;

  /** The text as it was checked (the reviewer judges this, not a later edit). */
  @Column({ type: 'text' })
  text!: string;

  /** JSON string[] */
  @Column({ type: 'text' })
  photos!: string;

  /** JSON ModerationFinding[] */
  @Column({ type: 'text' })
  findings!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: ModerationCaseStatus;

  @Column({ type: 'int', default: 0 })
  version!: number;

  @Column({ type: 'int', nullable: true })
  decidedById!: number | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decisionNote!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}

/** pending: handed to WeChat, no verdict yet; error: could not be handed over (retried by the sweep). */
export type MediaCheckStatus = 'pending' | 'pass' | 'review' | 'risky' | 'error';

/** One image's check, by its URL: made at upload, answered by WeChat's push (or at once by the dev checker). */
@Entity('media_checks')
export class MediaCheckRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 500 })
  url!: string;

  @Index()
  @Column({ type: 'varchar', length: 64, nullable: true })
  traceId!: string | null;

  @Column({ type: 'varchar', length: 8 })
  status!: MediaCheckStatus;

  @Column({ type: 'int', nullable: true })
  label!: number | null;

  @Column({ type: 'varchar', length: 16 })
  source!: string;

  /** Whose upload it was: WeChat checks in a user's context. */
  @Column({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
