import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { encryptedColumn } from '../privacy/field-cipher';

/**
 * A person: one who logged in through WeChat (or dev login), or one staff registered or the ledger
 * listed who has no WeChat (`openid` null). Being a resident comes with a verified household membership.
 */
@Entity('users')
@Index('IDX_users_phoneHash', ['phoneHash'])
@Index('IDX_users_phoneTail', ['phoneTail'])
@Index('IDX_users_realName', ['realName'])
@Index('IDX_users_nickname', ['nickname'])
export class User {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** WeChat's per-app user id; the login key. Null for a person without WeChat (registered by staff, or from the ledger). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  openid!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ type: 'varchar', length: 64 })
  nickname!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  avatarUrl!: string | null;

  /** Encrypted at rest; shown to others only masked (138****1234). */
  @Column({ type: 'varchar', length: 128, nullable: true, transformer: encryptedColumn })
  phone!: string | null;

  /** The person's name as the ledger or staff know it (WeChat nicknames are not names). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  realName!: string | null;

  /** Keyed hash of the normalised phone (privacy/phone-index.ts): exact matches without decrypting every row. */
  @Column({ type: 'varchar', length: 64, nullable: true, select: false })
  phoneHash!: string | null;

  /** The phone's last four digits: staff search by them. */
  @Column({ type: 'varchar', length: 4, nullable: true })
  phoneTail!: string | null;

  /** Set when WeChat confirmed the phone (getPhoneNumber): only such a phone verifies a membership against the ledger. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  phoneVerifiedAt!: Date | null;

  /** The staff member who registered a person without WeChat. */
  @Column({ type: 'int', nullable: true })
  registeredById!: number | null;

  /** A ledger person later claimed by their own WeChat account: this row lives on as a pointer to that one. */
  @Column({ type: 'int', nullable: true })
  mergedIntoId!: number | null;

  /** From code2Session: needed to decrypt WeChat's signed data later; never leaves the server. */
  @Column({ type: 'varchar', length: 128, nullable: true, select: false })
  sessionKey!: string | null;

  /** The household the person acts for now (their pick among their memberships; pending or verified). */
  @Index()
  @Column({ type: 'int', nullable: true })
  householdId!: number | null;

  /** For department staff: the department whose dispatched reports they handle. */
  @Column({ type: 'int', nullable: true })
  departmentId!: number | null;

  /** Leaderboards show this person's name in full only when they chose so; otherwise masked (张*梅). */
  @Column({ type: 'boolean', default: false })
  showNameOnLeaderboard!: boolean;

  /** Set when the person deleted their account: the row stays (their reports do), anonymised. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
