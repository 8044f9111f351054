import type { EntityManager } from 'typeorm';
import { User } from '../identity/user.entity';
import { Report } from '../reports/report.entity';
import { HouseholdMembership } from './membership.entity';

/**
 * A person the ledger (or staff) recorded without WeChat now logs in with their own account and is
 * recognised by their phone: the account takes over the record, so nobody exists twice. Their
 * memberships and the reports staff filed for them move to the account; the old row stays as a
 * pointer (`mergedIntoId`), stripped of name and phone so no search finds it again.
 */
export async function claimLedgerPerson(manager: EntityManager, ledgerUserId: number, userId: number): Promise<void> {
  const users = manager.getRepository(User);
  const ledger = await users.findOneByOrFail({ id: ledgerUserId });
  if (ledger.openid !== null || ledger.mergedIntoId !== null) return;
  const memberships = manager.getRepository(HouseholdMembership);
  const theirs = await memberships.findBy({ userId: ledgerUserId });
  const mine = new Set((await memberships.findBy({ userId })).map((m) => m.householdId));
  for (const m of theirs) {
    if (mine.has(m.householdId)) await memberships.update({ id: m.id }, { status: 'removed', reason: '已由本人微信账号认领' });
    else await memberships.update({ id: m.id }, { userId, version: m.version + 1 });
  }
  await manager.getRepository(Report).update({ reporterId: ledgerUserId }, { reporterId: userId, version: () => 'version + 1' });
  const me = await users.findOneByOrFail({ id: userId });
  await users.update({ id: userId }, { realName: me.realName ?? ledger.realName });
  await users.update({ id: ledgerUserId }, { mergedIntoId: userId, realName: null, phone: null, phoneHash: null, phoneTail: null, householdId: null });
}
