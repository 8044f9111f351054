import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An API key of an outside system (a 12345 hotline, a city platform) for Open311. Only its SHA-256 is
 * stored; the key is shown once, when an admin creates it. It reaches the reports under `nodeId`, and
 * what it files is reported by `userId`, a user made for the key (so the reporter is the system, never
 * a resident's name).
 */
@Entity('open311_keys')
export class Open311Key {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  keyHash!: string;

  /** The key's first characters, to tell keys apart in a list. */
  @Column({ type: 'varchar', length: 12 })
  prefix!: string;

  @Index()
  @Column({ type: 'int' })
  nodeId!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'int' })
  createdById!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
