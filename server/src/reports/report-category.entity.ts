import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a report is about, with the hours allowed to handle it (SLA) and the usual department. */
@Entity('report_categories')
export class ReportCategoryRow {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'int' })
  slaHours!: number;

  @Column({ type: 'int', nullable: true })
  departmentId!: number | null;

  @Column({ type: 'int', default: 0 })
  sortOrder!: number;
}
