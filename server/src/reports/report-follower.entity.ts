import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A resident who met the same problem and followed the report (+1) instead of filing another. */
@Entity('report_followers')
@Index(['reportId', 'userId'], { unique: true })
export class ReportFollower {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  reportId!: number;

  @Index()
  @Column({ type: 'int' })
  userId!: number;
}
