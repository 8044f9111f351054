import type { ModerationState } from '@linli/shared';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { HandlingMethod, IntakeChannel, Priority, ReportStatus } from '@linli/shared';
import { encryptedColumn } from '../privacy/field-cipher';

/** A speak-up report (说事) and where it stands in the closed loop. */
@Entity('reports')
@Index(['reporterId', 'idempotencyKey'], { unique: true })
// The dashboard: a node's reports of a period (stats), and those closed in it, read from the indexes
// alone (every column a figure needs is in them); the open ones past due. Migration 1763900001300.
// extendedAt joined the cohort index with 缓办 (migration 1763900002300).
@Index('IDX_reports_stats_cohort', ['gridPath', 'createdAt', 'status', 'gridNodeId', 'categoryCode', 'channel', 'handlingMethod', 'dueAt', 'resolvedAt', 'closedAt', 'rating', 'lat', 'lng', 'extendedAt'])
@Index('IDX_reports_stats_closed', ['gridPath', 'closedAt', 'status'])
@Index('IDX_reports_open_due', ['status', 'gridPath', 'dueAt', 'gridNodeId'])
// Staff queues, one index range per way in, ids read from the index alone. Migration 1763900001400.
@Index('IDX_reports_grid_moderation', ['gridPath', 'moderation'])
@Index('IDX_reports_assignee_moderation', ['assigneeId', 'moderation', 'status'])
// The dashboard's rollup catch-up: what changed since the watermark, and whole days received / closed
// (stats/rollups.ts, migration 1763900003200).
@Index('IDX_reports_rollup_updated', ['updatedAt'])
@Index('IDX_reports_rollup_created', ['createdAt'])
@Index('IDX_reports_rollup_closed', ['closedAt'])
export class Report {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /**
   * SS330199001-20261123-0001: the street's code, the day (China time), the street's count of the day
   * (report-number.ts). Reports filed before numbering per street keep SS20261123-0001. Migration 1763900003200.
   */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  number!: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status!: ReportStatus;

  /** Optimistic lock: every change bumps it; a request carrying an older one gets 409 CONFLICT. */
  @Column({ type: 'int', default: 0 })
  version!: number;

  @Column({ type: 'varchar', length: 32 })
  categoryCode!: string;

  @Column({ type: 'text' })
  description!: string;

  /** JSON array of upload URLs */
  @Column({ type: 'text' })
  photos!: string;

  @Index()
  @Column({ type: 'double', nullable: true })
  lat!: number | null;

  @Column({ type: 'double', nullable: true })
  lng!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  /** Content check (ModerationState): anything but clear is seen by the reporter and the reviewers only. */
  @Column({ type: 'varchar', length: 8, default: 'clear' })
  moderation!: ModerationState;

  @Column({ type: 'varchar', length: 16 })
  channel!: IntakeChannel;

  /** The resident the report is about (the filer, or whom staff filed it for). */
  @Column({ type: 'int' })
  reporterId!: number;

  /** Who pressed send: the reporter, or a staff member filing on their behalf. */
  @Column({ type: 'int' })
  createdById!: number;

  /**
   * An unregistered caller staff recorded (hotline, 说事点): their name, and their phone encrypted at rest.
   * Neither is read by default (lists, Open311, the filer's data export): only where staff see them
   * (report-caller.ts). Migration 1763900002200.
   */
  @Column({ type: 'varchar', length: 32, nullable: true, select: false })
  callerName!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true, select: false, transformer: encryptedColumn })
  callerPhone!: string | null;

  /** The grid node that owns the report (a micro-grid when routing found one). */
  @Column({ type: 'int' })
  gridNodeId!: number;

  /** The node's materialized path, copied here so scope queries are one indexed prefix match. */
  @Column({ type: 'varchar', length: 255 })
  gridPath!: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  priority!: Priority | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  handlingMethod!: HandlingMethod | null;

  @Index()
  @Column({ type: 'datetime', precision: 6, nullable: true })
  dueAt!: Date | null;

  /**
   * 督办时限: the date a secretary's supervision asked it done by. Until then the automatic supervision
   * waits; past it, it supervises again. It does not move `dueAt` (the KPIs judge by that).
   */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  supervisionDueAt!: Date | null;

  /** 缓办 asked for: the due time the assignee asks for, waiting for a secretary's decision; null when none waits. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  extensionUntil!: Date | null;

  /** When an extension was last granted (it moved `dueAt`): such reports count apart in the KPIs (kpi.ts). */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  extendedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  escalationLevel!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  lastEscalatedAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  assigneeId!: number | null;

  @Index()
  @Column({ type: 'int', nullable: true })
  departmentId!: number | null;

  @Column({ type: 'int', nullable: true })
  mergedIntoId!: number | null;

  @Column({ type: 'int', default: 0 })
  reopenCount!: number;

  /** The building consultation this report became (handling method `consultation`). */
  @Column({ type: 'int', nullable: true })
  consultationId!: number | null;

  /** The dispute case this report became (handling method `mediation`). Migration 1763900003000. */
  @Column({ type: 'int', nullable: true })
  disputeId!: number | null;

  @Column({ type: 'int', nullable: true })
  rating!: number | null;

  @Column({ type: 'int', default: 0 })
  followers!: number;

  @Index()
  @Column({ type: 'datetime', precision: 6, nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  closedAt!: Date | null;

  /** The phone's Idempotency-Key: a retried submit finds the report instead of filing it twice. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
