import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LedgerReason } from '@linli/shared';

/** Which ledger: civility points, or time-bank hours (counted in minutes). */
export type LedgerUnit = 'points' | 'hours';

/**
 * user — a person's balance; issuing — a community's account that creates points or hours and is
 * the only one allowed below zero; escrow — hours held for one task (ownerId = task id);
 * sink — where a community's redeemed points go.
 */
export type AccountKind = 'user' | 'issuing' | 'escrow' | 'sink';

@Entity('ledger_accounts')
@Index(['unit', 'kind', 'ownerId'], { unique: true })
export class LedgerAccount {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  unit!: LedgerUnit;

  @Column({ type: 'varchar', length: 16 })
  kind!: AccountKind;

  /** user id, community node id, or task id, by kind */
  @Column({ type: 'int' })
  ownerId!: number;

  /**
   * Kept equal to Σ entries in − Σ entries out, in the transaction that writes the entry, with a
   * conditional UPDATE that cannot take a non-issuing account below zero.
   */
  @Column({ type: 'int', default: 0 })
  balance!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/** One movement: double-entry, always from one account to another, amount > 0, never changed. */
@Entity('ledger_entries')
@Index(['unit', 'sourceKey'], { unique: true })
// The dashboard's points issued in a period, from the index alone. Migration 1763900001300.
@Index('IDX_ledger_entries_from_created', ['fromAccountId', 'createdAt', 'amount'])
export class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  unit!: LedgerUnit;

  @Index()
  @Column({ type: 'int' })
  fromAccountId!: number;

  @Index()
  @Column({ type: 'int' })
  toAccountId!: number;

  /** points, or minutes for hours */
  @Column({ type: 'int' })
  amount!: number;

  @Column({ type: 'varchar', length: 16 })
  reason!: LedgerReason;

  /** What a person reads in their history. */
  @Column({ type: 'varchar', length: 200 })
  memo!: string;

  /** Idempotency: one entry per key and ledger (e.g. `claim:12:pay`); null when the movement has none. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  sourceKey!: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
