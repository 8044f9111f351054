import type { DataSource } from 'typeorm';
import type { StaffRole } from '@linli/shared';
import { GridNode } from '../grids/grid-node.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { makeMember, type TestServer } from '../../test/harness';
import { LedgerAccount, LedgerEntry } from './ledger.entities';

/**
 * The ledgers' invariants, as a list of what is wrong (empty when all hold): per unit the balances sum
 * to zero; no account but an issuing one is below zero; every balance equals its entries in − out.
 */
export async function ledgerProblems(dataSource: DataSource): Promise<string[]> {
  const accounts = await dataSource.getRepository(LedgerAccount).find();
  const sums = async (column: 'toAccountId' | 'fromAccountId') =>
    new Map(
      (
        await dataSource
          .getRepository(LedgerEntry)
          .createQueryBuilder('e')
          .select(`e.${column}`, 'id')
          .addSelect('SUM(e.amount)', 'total')
          .addSelect('MIN(e.amount)', 'smallest')
          .groupBy(`e.${column}`)
          .getRawMany()
      ).map((r) => [Number(r.id), { total: Number(r.total), smallest: Number(r.smallest) }]),
    );
  const inflow = await sums('toAccountId');
  const outflow = await sums('fromAccountId');
  const problems: string[] = [];
  for (const unit of ['points', 'hours']) {
    const sum = accounts.filter((a) => a.unit === unit).reduce((s, a) => s + a.balance, 0);
    if (sum !== 0) problems.push(`${unit}: balances sum to ${sum}`);
  }
  for (const [id, flow] of inflow) if (flow.smallest <= 0) problems.push(`account ${id}: an entry of ${flow.smallest}`);
  for (const a of accounts) {
    if (a.kind !== 'issuing' && a.balance < 0) problems.push(`${a.unit} ${a.kind}#${a.ownerId}: balance ${a.balance} < 0`);
    const net = (inflow.get(a.id)?.total ?? 0) - (outflow.get(a.id)?.total ?? 0);
    if (net !== a.balance) problems.push(`${a.unit} ${a.kind}#${a.ownerId}: balance ${a.balance} ≠ entries ${net}`);
  }
  return problems;
}

export async function nodeId(dataSource: DataSource, code: string): Promise<number> {
  return (await dataSource.getRepository(GridNode).findOneByOrFail({ code })).id;
}

export const COMMUNITY = '330199001001';
export const GRID2 = '330199001001-G02';

/**
 * Users made straight in the database (faster than a hundred logins), each with a token, optionally
 * bound to households and holding a role on a node.
 */
export async function makeUsers(
  server: TestServer,
  prefix: string,
  count: number,
  options: { householdIds?: number[]; role?: { role: StaffRole; nodeId: number } } = {},
): Promise<{ id: number; token: string; openid: string }[]> {
  const users = server.dataSource.getRepository(User);
  const made: { id: number; token: string; openid: string }[] = [];
  for (let i = 0; i < count; i++) {
    const openid = `${prefix}-${i}`;
    const householdId = options.householdIds ? options.householdIds[i % options.householdIds.length] : null;
    const user = await users.save(users.create({ openid, nickname: `${prefix}${i}`, phone: null, householdId }));
    if (householdId) await makeMember(server.dataSource, user.id, householdId);
    if (options.role) await server.dataSource.getRepository(RoleAssignment).insert({ userId: user.id, role: options.role.role, nodeId: options.role.nodeId });
    made.push({ id: user.id, openid, token: (await server.app.tokens.issue(user.id)).token });
  }
  return made;
}
