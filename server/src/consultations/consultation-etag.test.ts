import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { revalidationOf } from '../../test/revalidation';
import { Household } from '../grids/household.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { Consultation, ConsultationCommentRow } from './consultation.entities';
import { commentModerationHandler } from './consultation-moderation';

const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();

/**
 * The consultation page revalidated by its freshness stamp: demo residents 1 and 2 are verified owners
 * in 1号楼, demo-resident-3 a family member there; demo-secretary-1 reviews the community.
 */
describe('revalidation of the consultation page: a 304 when nothing the caller sees changed, never on another caller’s tag', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-secretary-1']) tokens[who] = await server.login(who);
  });
  afterAll(() => server.close());

  const call = async (who: string, path: string, body: Record<string, unknown> = {}) => {
    const result = await server.call<ConsultationDetail>('POST', path, { token: tokens[who], body });
    expect(result.status, JSON.stringify(result.body)).toBeLessThan(300);
    return result.body;
  };

  /** Proposed by demo-resident-1, co-signed by residents 2 and 3, approved: voting for a week. */
  async function discussing(): Promise<ConsultationDetail> {
    const proposed = await call('demo-resident-1', '/consultations', { title: '楼道加装声控灯', description: '楼道晚上太黑，老人上下楼不安全，提议每层加装声控灯。' });
    await call('demo-resident-2', `/consultations/${proposed.id}/cosign`);
    await call('demo-resident-3', `/consultations/${proposed.id}/cosign`);
    return call('demo-secretary-1', `/consultations/${proposed.id}/approve`, { votingEndsAt: inAWeek(), rule: 'simple' });
  }

  const { get, unchanged, changed: changedPage } = revalidationOf<ConsultationDetail>(() => server, tokens);
  const changed = async (who: string, path: string, held: string) => (await changedPage(who, path, held)).body;

  it('304 while unchanged; in full after a neighbour’s vote, my vote, a comment, its hiding and its content check', async () => {
    const c = await discussing();
    const path = `/consultations/${c.id}`;
    let held = await unchanged('demo-resident-1', path);
    await call('demo-resident-2', `${path}/votes`, { optionId: c.options[0].id });
    expect((await changed('demo-resident-1', path, held)).tally.votedHouseholds).toBe(1);

    held = await unchanged('demo-resident-1', path);
    await call('demo-resident-1', `${path}/votes`, { optionId: c.options[1].id });
    expect((await changed('demo-resident-1', path, held)).myVoteOptionId).toBe(c.options[1].id);

    held = await unchanged('demo-resident-1', path);
    await call('demo-resident-3', `${path}/comments`, { body: '支持，顺便把楼道的杂物也清一清' });
    const commented = await changed('demo-resident-1', path, held);
    const commentId = commented.comments.at(-1)!.id;

    held = await unchanged('demo-resident-1', path);
    await call('demo-secretary-1', `${path}/comments/${commentId}/hide`, { reason: '与议题无关' });
    expect((await changed('demo-resident-1', path, held)).comments.at(-1)!.hidden).toBe(true);

    held = await unchanged('demo-secretary-1', path);
    await commentModerationHandler(undefined, () => new Date()).setState(server.dataSource.manager, commentId, 'pending');
    expect((await changed('demo-secretary-1', path, held)).comments.at(-1)!.moderation).toBe('pending');
    expect(await server.dataSource.getRepository(ConsultationCommentRow).countBy({ consultationId: c.id })).toBe(1);
  });

  it('in full when a household’s area in scope changes while the vote runs (the tally counts today’s areas)', async () => {
    const c = await discussing();
    const path = `/consultations/${c.id}`;
    const held = await unchanged('demo-resident-1', path);
    const before = (await get('demo-resident-1', path)).body.tally.eligibleAreaM2;
    const me = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' });
    const flat = await server.dataSource.getRepository(Household).findOneByOrFail({ id: me.householdId! });
    await server.dataSource.getRepository(Household).update({ id: flat.id }, { areaM2: (flat.areaM2 ?? 0) + 10 });
    expect((await changed('demo-resident-1', path, held)).tally.eligibleAreaM2).toBeCloseTo(before + 10);
  });

  it('in full once voting closes by the clock, with nothing written', async () => {
    const c = await discussing();
    const path = `/consultations/${c.id}`;
    const endsAt = new Date(Date.now() + 1500);
    await server.dataSource.getRepository(Consultation).update({ id: c.id }, { votingEndsAt: endsAt });
    const held = await unchanged('demo-resident-1', path);
    expect((await get('demo-resident-1', path)).body.actions).toContain('vote');
    await new Promise((resolve) => setTimeout(resolve, endsAt.getTime() - Date.now() + 50));
    expect((await changed('demo-resident-1', path, held)).actions).not.toContain('vote');
  });

  it('another caller holding my tag gets the page as they see it; so do I once my roles change', async () => {
    const c = await discussing();
    const path = `/consultations/${c.id}`;
    const mine = await unchanged('demo-resident-1', path);
    expect((await get('demo-resident-2', path, mine)).status).toBe(200);

    const secretary = await server.dataSource.getRepository(RoleAssignment).findOneByOrFail({ role: 'secretary' });
    const me = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-resident-1' });
    const role = await server.dataSource.getRepository(RoleAssignment).save({ userId: me.id, role: 'secretary', nodeId: secretary.nodeId });
    try {
      expect((await changed('demo-resident-1', path, mine)).ballots).not.toBeNull();
    } finally {
      await server.dataSource.getRepository(RoleAssignment).delete({ id: role.id });
    }
  });
});
