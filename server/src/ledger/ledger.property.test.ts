import fc from 'fast-check';
import { In } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_CLAIM_STATUSES, type ClaimAction, type RedemptionAction } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';
import { AppError } from '../platform/errors';
import { Reward } from '../points/points.entities';
import { TimebankClaimRow, TimebankTaskRow } from '../timebank/timebank.entities';
import { LedgerAccount } from './ledger.entities';
import { transactRetrying } from '../db/data-source';
import { COMMUNITY, ledgerProblems, makeUsers, nodeId } from './test-support';

/**
 * Random sequences of everything that moves points or hours, against the real services on the real
 * database. After every step: each unit's balances sum to zero, nothing but an issuing account is
 * below zero, every balance equals its entries; stock never below zero; a task's places never past
 * its capacity; a task's escrow covers what its pending claims may still earn, and once the task is
 * closed holds exactly that. A step is one to three operations run at once.
 *
 * PROPERTY_RUNS / PROPERTY_STEPS make it longer (default 50 runs of up to 30 steps).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 50);
const STEPS = Number(process.env.PROPERTY_STEPS ?? 30);
const HOUR = 3600_000;

type Op =
  | { kind: 'award'; user: number; points: number; source: number }
  | { kind: 'comment'; user: number; source: number }
  | { kind: 'redeem'; user: number; reward: number }
  | { kind: 'redemption'; pick: number; action: RedemptionAction; bySecretary: boolean }
  | { kind: 'post'; poster: number; hours: number; capacity: number; startIn: number; length: number }
  | { kind: 'claim'; volunteer: number; task: number }
  | { kind: 'claimAction'; pick: number; action: ClaimAction; by: number }
  | { kind: 'cancelTask'; task: number; bySecretary: boolean }
  | { kind: 'gift'; from: number; to: number; hours: number }
  | { kind: 'restock'; reward: number; stock: number }
  | { kind: 'tick'; hours: number };

const halfHours = (min: number, max: number) => fc.integer({ min: min * 2, max: max * 2 }).map((n) => n / 2);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('award' as const), user: fc.nat(5), points: fc.integer({ min: 1, max: 40 }), source: fc.nat(3) }),
  fc.record({ kind: fc.constant('comment' as const), user: fc.nat(5), source: fc.nat(6) }),
  fc.record({ kind: fc.constant('redeem' as const), user: fc.nat(5), reward: fc.nat(2) }),
  fc.record({ kind: fc.constant('redemption' as const), pick: fc.nat(20), action: fc.constantFrom<RedemptionAction>('fulfil', 'cancel'), bySecretary: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('post' as const), poster: fc.nat(5), hours: halfHours(0.5, 3), capacity: fc.integer({ min: 1, max: 3 }), startIn: halfHours(0.5, 4), length: halfHours(0.5, 3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('claim' as const), volunteer: fc.nat(5), task: fc.nat(20) }) },
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant('claimAction' as const),
    pick: fc.nat(30),
    action: fc.constantFrom<ClaimAction>('cancel', 'check_in', 'check_out', 'confirm', 'no_show'),
    /** 0–7: whoever the action belongs to (the volunteer, or a secretary/the poster); 8–9: someone else */
    by: fc.nat(9),
  }) },
  fc.record({ kind: fc.constant('cancelTask' as const), task: fc.nat(20), bySecretary: fc.boolean() }),
  fc.record({ kind: fc.constant('restock' as const), reward: fc.nat(2), stock: fc.nat(3) }),
  fc.record({ kind: fc.constant('gift' as const), from: fc.nat(5), to: fc.nat(5), hours: halfHours(0.5, 4) }),
  fc.record({ kind: fc.constant('tick' as const), hours: fc.oneof({ weight: 4, arbitrary: halfHours(0.5, 2) }, { weight: 1, arbitrary: halfHours(2, 200) }) }),
);

describe('ledger invariants under random sequences of operations', () => {
  let server: TestServer;
  let clock = Date.now();
  let secretary: Actor;
  /** index 0: the secretary; 1..: residents (1 and 2 share a household), volunteers among them */
  let people: Actor[];
  let rewardIds: number[];
  const redemptionIds: number[] = [];
  const taskIds: number[] = [];
  const claimIds: number[] = [];
  let unexpected: unknown[] = [];
  let steps = 0;
  const refusals = new Map<string, number>();
  /** What went through, by operation: the run must really exercise each path. */
  const done = new Map<string, number>();

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => clock } });
    const ds = server.dataSource;
    const load = (id: number) => server.app.identity.loadActor(id);
    const byOpenid = async (openid: string) => load((await ds.getRepository(User).findOneByOrFail({ openid })).id);
    secretary = await byOpenid('demo-secretary-1');
    const resident1 = await byOpenid('demo-resident-1');
    const [family] = await makeUsers(server, 'prop-family', 1, { householdIds: [resident1.householdId!] });
    const community = await nodeId(ds, COMMUNITY);
    const resident2 = await ds.getRepository(User).findOneByOrFail({ openid: 'demo-resident-2' });
    const volunteers = await makeUsers(server, 'prop-volunteer', 2, { householdIds: [resident2.householdId!], role: { role: 'volunteer', nodeId: community } });
    people = [secretary, resident1, await load(family.id), await byOpenid('demo-volunteer-1'), await load(volunteers[0].id), await load(volunteers[1].id)];
    rewardIds = [];
    for (const [name, cost, stock] of [['小奖品', 5, 2], ['中奖品', 25, 1], ['大奖品', 60, 3]] as const) {
      rewardIds.push((await server.app.rewards.create(secretary, { name, cost, stock })).id);
    }
  });
  afterAll(async () => {
    console.info(`property: ${RUNS} runs, ${steps} steps in all; done: ${JSON.stringify(Object.fromEntries([...done].sort()))}`);
    if (process.env.PROPERTY_DEBUG) console.info([...refusals].sort((a, b) => b[1] - a[1]));
    await server.close();
  });

  /** One of the latest few: what a run acts on is mostly what it made itself. */
  const pick = <T>(list: T[], n: number): T | undefined => {
    const recent = list.slice(-5);
    return recent.length ? recent[n % recent.length] : undefined;
  };
  const person = (n: number) => people[n % people.length];

  async function run(op: Op): Promise<void> {
    const { points, rewards, timebank } = server.app;
    switch (op.kind) {
      case 'award':
        await transactRetrying(server.dataSource, (m) => points.award(m, { userId: person(op.user).userId, rule: 'good_deed', sourceKey: `prop-${op.source}-${op.points}`, points: op.points }));
        return;
      case 'comment':
        await transactRetrying(server.dataSource, (m) => points.award(m, { userId: person(op.user).userId, rule: 'comment', sourceKey: `prop-${steps}-${op.source}` }));
        return;
      case 'redeem':
        redemptionIds.push((await rewards.redeem(person(op.user), rewardIds[op.reward % rewardIds.length])).id);
        return;
      case 'redemption': {
        const id = pick(redemptionIds, op.pick);
        if (id === undefined) return;
        const owner = (await server.dataSource.query('SELECT userId FROM redemptions WHERE id = ?', [id]))[0].userId;
        await rewards.act(op.bySecretary ? secretary : await server.app.identity.loadActor(Number(owner)), id, op.action, {});
        return;
      }
      case 'post': {
        const start = clock + op.startIn * HOUR;
        const task = await timebank.post(person(op.poster), {
          title: '随机任务',
          description: '',
          startAt: new Date(start).toISOString(),
          endAt: new Date(start + op.length * HOUR).toISOString(),
          hours: op.hours,
          capacity: op.capacity,
        });
        taskIds.push(task.id);
        return;
      }
      case 'claim': {
        // Mostly a task still open to claims (a closed one now and then, to be refused).
        const open = await server.dataSource.getRepository(TimebankTaskRow).findBy({ id: In(taskIds.slice(-10)), status: 'open' });
        const task = op.task % 4 === 0 ? pick(taskIds, op.task) : pick(open.map((t) => t.id), op.task);
        if (task === undefined) return;
        const claim = await timebank.claim(person(op.volunteer), task);
        if (!claimIds.includes(claim.id)) claimIds.push(claim.id);
        return;
      }
      case 'claimAction': {
        const id = pick(claimIds, op.pick);
        if (id === undefined) return;
        const claim = await server.dataSource.getRepository(TimebankClaimRow).findOneByOrFail({ id });
        const task = await server.dataSource.getRepository(TimebankTaskRow).findOneByOrFail({ id: claim.taskId });
        const volunteersAction = ['cancel', 'check_in', 'check_out'].includes(op.action);
        const byVolunteer = op.by < 8 ? volunteersAction : !volunteersAction;
        const who = byVolunteer ? await server.app.identity.loadActor(claim.userId) : op.by % 2 ? secretary : await server.app.identity.loadActor(task.posterId);
        // Confirm credits the attended time, or (every other time) half an hour with a reason: partial credits leave escrow behind.
        const body = op.action === 'confirm' && op.by % 2 === 0 ? { hours: 0.5, reason: '现场核实' } : {};
        await timebank.actOnClaim(who, id, op.action, body);
        return;
      }
      case 'cancelTask': {
        const id = pick(taskIds, op.task);
        if (id === undefined) return;
        const task = await server.dataSource.getRepository(TimebankTaskRow).findOneByOrFail({ id });
        await timebank.cancelTask(op.bySecretary ? secretary : await server.app.identity.loadActor(task.posterId), id, {});
        return;
      }
      case 'gift':
        await timebank.gift(person(op.from), { toUserId: person(op.to).userId, hours: op.hours });
        return;
      case 'restock':
        await rewards.update(secretary, rewardIds[op.reward % rewardIds.length], { stock: op.stock });
        return;
      case 'tick':
        clock += op.hours * HOUR;
        await timebank.releaseEndedTasks(new Date(clock));
        return;
    }
  }

  async function problems(): Promise<string[]> {
    const ds = server.dataSource;
    const found = await ledgerProblems(ds);
    for (const reward of await ds.getRepository(Reward).find()) if (reward.stock < 0) found.push(`reward ${reward.id}: stock ${reward.stock}`);
    const tasks = await ds.getRepository(TimebankTaskRow).find();
    const claims = await ds.getRepository(TimebankClaimRow).find();
    const escrows = new Map((await ds.getRepository(LedgerAccount).findBy({ id: In(tasks.map((t) => t.escrowAccountId)) })).map((a) => [a.id, a.balance]));
    for (const task of tasks) {
      const mine = claims.filter((c) => c.taskId === task.id);
      const holding = mine.filter((c) => c.status !== 'cancelled').length;
      const pending = mine.filter((c) => PENDING_CLAIM_STATUSES.includes(c.status)).length;
      const escrow = escrows.get(task.escrowAccountId) ?? 0;
      if (task.claimed > task.capacity) found.push(`task ${task.id}: ${task.claimed} claimed of ${task.capacity}`);
      if (task.claimed !== holding) found.push(`task ${task.id}: counter ${task.claimed} ≠ ${holding} claims`);
      if (escrow < pending * task.minutes) found.push(`task ${task.id}: escrow ${escrow} < ${pending} pending × ${task.minutes}`);
      if (task.status !== 'open' && escrow !== pending * task.minutes) found.push(`task ${task.id} (${task.status}): escrow ${escrow} ≠ ${pending} pending × ${task.minutes}`);
    }
    return found;
  }

  it(`keeps zero-sum, non-negative balances, stock and capacity (${RUNS} runs × up to ${STEPS} steps)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: STEPS, size: 'max' }), async (program) => {
        for (const step of program) {
          steps++;
          unexpected = [];
          await Promise.all(
            step.map((op) =>
              run(op).then(() => {
                const key = op.kind === 'claimAction' ? op.action : op.kind;
                done.set(key, (done.get(key) ?? 0) + 1);
              }).catch((err) => {
                // Refusals (409, 403, 404, 400) are part of the game; anything else is a bug.
                if (!(err instanceof AppError)) unexpected.push({ op, err: String(err) });
                else if (process.env.PROPERTY_DEBUG) refusals.set(`${op.kind}: ${err.message}`, (refusals.get(`${op.kind}: ${err.message}`) ?? 0) + 1);
              }),
            ),
          );
          expect(unexpected).toEqual([]);
          expect(await problems()).toEqual([]);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    for (const kind of ['award', 'comment', 'redeem', 'post', 'claim', 'tick']) {
      expect(done.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  }, 600_000);
});
