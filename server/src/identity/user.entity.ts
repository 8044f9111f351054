import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { encryptedColumn } from '../privacy/field-cipher';

/** A person who logged in through WeChat (or dev login). Being a resident comes with a household. */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** WeChat's per-app user id; the login key. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  openid!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ type: 'varchar', length: 64 })
  nickname!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  avatarUrl!: string | null;

  /** Encrypted at rest; shown to others only masked (138****1234). */
  @Column({ type: 'varchar', length: 128, nullable: true, transformer: encryptedColumn })
  phone!: string | null;

  /** From code2Session: needed to decrypt WeChat's signed data later; never leaves the server. */
  @Column({ type: 'varchar', length: 128, nullable: true, select: false })
  sessionKey!: string | null;

  @Index()
  @Column({ type: 'int', nullable: true })
  householdId!: number | null;

  /** For department staff: the department whose dispatched reports they handle. */
  @Column({ type: 'int', nullable: true })
  departmentId!: number | null;

  /** Set when the person deleted their account: the row stays (their reports do), anonymised. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
