import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An image this server stored, by the URL it issued and who uploaded it: what a `photos` field may name. */
@Entity('uploads')
export class UploadRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 500 })
  url!: string;

  @Column({ type: 'int' })
  uploaderId!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
