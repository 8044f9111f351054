import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ModerationState, ReportEventAction, ReportStatus } from '@linli/shared';

/** One immutable line of a report's history: who did what, from which status to which. */
@Entity('report_events')
export class ReportEventRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index()
  @Column({ type: 'int' })
  reportId!: number;

  @Column({ type: 'varchar', length: 16 })
  action!: ReportEventAction;

  /** null for the automatic jobs */
  @Column({ type: 'int', nullable: true })
  actorId!: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: ReportStatus | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toStatus!: ReportStatus | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** JSON array of upload URLs, or null */
  @Column({ type: 'text', nullable: true })
  photos!: string | null;

  /** A rating's comment is resident text: it is checked like a report (ModerationState). */
  @Column({ type: 'varchar', length: 8, default: 'clear' })
  moderation!: ModerationState;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
