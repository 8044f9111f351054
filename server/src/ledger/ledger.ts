import type { DataSource, EntityManager } from 'typeorm';
import { type LedgerEntryView, type LedgerReason, nextCursor, type PageQuery } from '@linli/shared';
import { withLock } from '../db/versioned-rows';
import { conflict } from '../platform/errors';
import { LedgerAccount, LedgerEntry, type AccountKind, type LedgerUnit } from './ledger.entities';

/**
 * The double-entry core shared by civility points and the time bank. Every function runs inside the
 * caller's transaction. A movement debits one account and credits another by the same amount, so the
 * sum over all accounts of a unit stays zero; only issuing accounts may go below zero.
 */

export interface TransferInput {
  unit: LedgerUnit;
  fromAccountId: number;
  toAccountId: number;
  /** > 0: points, or minutes */
  amount: number;
  reason: LedgerReason;
  memo: string;
  sourceKey?: string | null;
  /** The 409 message when the payer's balance is too low. */
  insufficient?: string;
}

/** The account's id, created on first use (race-safe: the unique key decides, a locking read finds the winner). */
export async function accountId(manager: EntityManager, unit: LedgerUnit, kind: AccountKind, ownerId: number): Promise<number> {
  const repo = manager.getRepository(LedgerAccount);
  const existing = await repo.findOne({ where: { unit, kind, ownerId }, select: { id: true } });
  if (existing) return existing.id;
  try {
    const result = await repo.insert({ unit, kind, ownerId, balance: 0 });
    return Number(result.identifiers[0].id);
  } catch (err) {
    // Another transaction created it first; a locking read sees it even past this transaction's snapshot.
    const winner = await withLock(repo.createQueryBuilder('a'), manager, 'pessimistic_read')
      .where('a.unit = :unit AND a.kind = :kind AND a.ownerId = :ownerId', { unit, kind, ownerId })
      .getOne();
    if (!winner) throw err;
    return winner.id;
  }
}

export async function findAccount(manager: EntityManager, unit: LedgerUnit, kind: AccountKind, ownerId: number): Promise<LedgerAccount | null> {
  return manager.getRepository(LedgerAccount).findOneBy({ unit, kind, ownerId });
}

export async function balanceOf(manager: EntityManager, unit: LedgerUnit, kind: AccountKind, ownerId: number): Promise<number> {
  return (await findAccount(manager, unit, kind, ownerId))?.balance ?? 0;
}

/**
 * Moves `amount` from one account to another. The debit is one conditional UPDATE
 * (`balance >= amount`, except for issuing accounts), so two movements at once can never take an
 * account below zero; when it matches no row the payer is short: 409 CONFLICT, and the caller's
 * transaction rolls back. With a sourceKey, the same movement is written at most once (the unique
 * key fails the second) and the entry goes in first, so nothing else changes when it does.
 */
export async function transfer(manager: EntityManager, input: TransferInput): Promise<LedgerEntry> {
  const { unit, fromAccountId, toAccountId, amount } = input;
  if (!Number.isInteger(amount) || amount <= 0) throw new Error(`ledger: amount must be a positive integer, got ${amount}`);
  if (fromAccountId === toAccountId) throw new Error('ledger: from and to are the same account');
  const entries = manager.getRepository(LedgerEntry);
  const inserted = await entries.insert({
    unit,
    fromAccountId,
    toAccountId,
    amount,
    reason: input.reason,
    memo: input.memo.slice(0, 200),
    sourceKey: input.sourceKey ?? null,
  });
  const debited = await manager
    .createQueryBuilder()
    .update(LedgerAccount)
    .set({ balance: () => 'balance - :amount' })
    .where('id = :id', { id: fromAccountId })
    .andWhere("(kind = 'issuing' OR balance >= :amount)")
    .setParameter('amount', amount)
    .execute();
  if (!debited.affected) throw conflict(input.insufficient ?? (unit === 'points' ? '积分余额不足' : '时间银行余额不足'));
  await manager
    .createQueryBuilder()
    .update(LedgerAccount)
    .set({ balance: () => 'balance + :amount' })
    .where('id = :id', { id: toAccountId })
    .setParameter('amount', amount)
    .execute();
  return entries.findOneByOrFail({ id: Number(inserted.identifiers[0].id) });
}

/** Whether a movement with this key was already written. */
export async function hasEntry(manager: EntityManager, unit: LedgerUnit, sourceKey: string): Promise<boolean> {
  return manager.getRepository(LedgerEntry).existsBy({ unit, sourceKey });
}

/** An account's history, newest first, amounts signed from its side and scaled by `scale` (minutes → hours). */
export async function historyOf(
  manager: EntityManager,
  account: number | null,
  page: PageQuery,
  scale: (amount: number) => number = (n) => n,
): Promise<{ items: LedgerEntryView[]; nextCursor: string | null }> {
  if (account === null) return { items: [], nextCursor: null };
  const q = manager
    .getRepository(LedgerEntry)
    .createQueryBuilder('e')
    .where('(e.fromAccountId = :account OR e.toAccountId = :account)', { account });
  if (page.cursor) q.andWhere('e.id < :cursor', { cursor: page.cursor });
  const rows = await q.orderBy('e.id', 'DESC').take(page.limit + 1).getMany();
  const items = rows.slice(0, page.limit).map((e) => ({
    id: e.id,
    amount: scale(e.toAccountId === account ? e.amount : -e.amount),
    reason: e.reason,
    text: e.memo,
    createdAt: new Date(e.createdAt).toISOString(),
  }));
  return { items, nextCursor: nextCursor(rows, page.limit) };
}
