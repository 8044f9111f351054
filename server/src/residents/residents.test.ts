import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationDetail, Me, PendingMembershipView, ResidentView } from '@linli/shared';
import { expectError, joinVerified, startTestServer, type TestServer } from '../../test/harness';
import { AuditEntry } from '../audit/audit-entry.entity';
import { ConsultationVote } from '../consultations/consultation.entities';
import { User } from '../identity/user.entity';
import { HttpPhoneNumberProvider } from '../identity/wechat-phone';
import { Notification } from '../notifications/notification.entity';
import { startFakeWeChat } from '../notifications/fake-wechat';
import { HttpSubscribeMessageProvider } from '../notifications/subscribe-message';
import { HouseholdInvite, HouseholdMembership } from './membership.entity';

const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();

describe('residents and households over HTTP', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  const call = async <T = any>(who: string, method: string, path: string, body?: unknown) =>
    server.call<T>(method, path, { token: who.startsWith('ey') ? who : await as(who), body });
  /** Households of 1号楼 (demo residents 1–3 live in 0, 1 and 12) and 5号楼 (grid 2). */
  let building1: { id: number; unit: string; room: string }[] = [];
  let building5: { id: number; unit: string; room: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const me = (await call<Me>('demo-resident-1', 'GET', '/me')).body;
    building1 = (await call('demo-resident-1', 'GET', `/buildings/${me.household!.buildingId}/households`)).body.items;
    const community = (await call('demo-resident-1', 'GET', '/grids/tree')).body.children[0].children[0];
    const buildings = (await call('demo-resident-1', 'GET', `/grids/${community.id}/buildings`)).body.items;
    building5 = (await call('demo-resident-1', 'GET', `/buildings/${buildings.find((b: { name: string }) => b.name === '5号楼').id}/households`)).body.items;
  });
  afterAll(() => server.close());

  /** The owner the ledger lists for a flat of 1号楼 (a person without WeChat). */
  async function ledgerOwner(flat: { id: number; unit: string; room: string }): Promise<ResidentView> {
    const found = (await call<{ items: ResidentView[] }>('demo-gridworker-1', 'GET', `/residents?q=${encodeURIComponent(`1号楼 ${flat.room}`)}&limit=50`)).body.items;
    return found.find((r) => !r.usesApp && r.households.some((h) => h.id === flat.id && h.relation === 'owner'))!;
  }

  async function discussing(rule: 'simple' | 'civil_code_general' = 'simple'): Promise<ConsultationDetail> {
    const proposed = await call<ConsultationDetail>('demo-resident-1', 'POST', '/consultations', { title: '更换单元门禁', description: '单元门禁老化经常打不开，建议更换为人脸识别门禁。' });
    await call('demo-resident-2', 'POST', `/consultations/${proposed.body.id}/cosign`, {});
    await call('demo-resident-3', 'POST', `/consultations/${proposed.body.id}/cosign`, {});
    const approved = await call<ConsultationDetail>('demo-secretary-1', 'POST', `/consultations/${proposed.body.id}/approve`, { votingEndsAt: inAWeek(), rule });
    expect(approved.body.status).toBe('discussing');
    return approved.body;
  }

  it('when a newcomer asks to join a room, then it waits in the grid worker’s 待核验 queue with the ledger’s people beside it, and only once verified may they co-sign and vote', async () => {
    const newcomer = await as('newcomer-1');
    const flat = building1[3];
    const asked = await server.call<Me>('PUT', '/me/household', { token: newcomer, body: { householdId: flat.id, relation: 'tenant' } });
    expect(asked.body.household?.membership).toMatchObject({ status: 'pending', relation: 'tenant' });
    expect(asked.body.roles).not.toContain('resident');
    const c = await discussing();
    // A pending member does not act for the household: the building's consultations are not theirs to see yet.
    expectError(await server.call('POST', `/consultations/${c.id}/votes`, { token: newcomer, body: { optionId: c.options[0].id } }), 404, 'NOT_FOUND');

    const queue = (await call<{ items: PendingMembershipView[] }>('demo-gridworker-1', 'GET', '/memberships?status=pending')).body.items;
    const request = queue.find((m) => m.household.id === flat.id)!;
    expect(request).toMatchObject({ relation: 'tenant', method: 'request', person: { phoneVerified: false } });
    // The ledger's owner of that flat, masked.
    expect(request.members).toContainEqual(expect.objectContaining({ relation: 'owner', method: 'ledger', phoneMasked: expect.stringMatching(/^139\*{4}\d{4}$/) }));
    // The other grid's worker does not see it, nor may decide it.
    expect((await call('demo-gridworker-2', 'GET', '/memberships?status=pending')).body.items.some((m: { id: number }) => m.id === request.id)).toBe(false);
    expectError(await call('demo-gridworker-2', 'POST', `/memberships/${request.id}/verify`, {}), 404, 'NOT_FOUND');

    const verified = await call<PendingMembershipView>('demo-gridworker-1', 'POST', `/memberships/${request.id}/verify`, {});
    expect(verified.body).toMatchObject({ status: 'verified', method: 'staff' });
    const me = (await server.call<Me>('GET', '/me', { token: newcomer })).body;
    expect(me.roles).toContain('resident');
    expect((await server.call('POST', `/consultations/${c.id}/votes`, { token: newcomer, body: { optionId: c.options[0].id } })).status).toBe(200);
    const told = await server.dataSource.getRepository(Notification).findBy({ userId: me.id, kind: 'membership.verified' });
    expect(told).toHaveLength(1);
  });

  it('when one account re-binds to three households to vote for each, then one vote is counted at most', async () => {
    const c = await discussing();
    const voter = await as('rebinder-1');
    await joinVerified(server, voter, building1[4].id);
    const before = (await call<ConsultationDetail>('demo-resident-1', 'GET', `/consultations/${c.id}`)).body.tally.votedHouseholds;
    expect((await server.call('POST', `/consultations/${c.id}/votes`, { token: voter, body: { optionId: c.options[0].id } })).status).toBe(200);
    // Asking to join another flat leaves the caller pending there: they still act for their own (their
    // vote there may change), and no vote goes with them to the other.
    const asked = await server.call<Me>('PUT', '/me/household', { token: voter, body: { householdId: building1[5].id } });
    expect(asked.body.householdId).toBe(building1[4].id);
    expect((await server.call('POST', `/consultations/${c.id}/votes`, { token: voter, body: { optionId: c.options[1].id } })).status).toBe(200);
    // One pending request at a time: the third flat is refused while the second waits.
    expectError(await server.call('PUT', '/me/household', { token: voter, body: { householdId: building1[6].id } }), 409, 'CONFLICT');
    // Picking the pending flat as the current one: no household to act for, so no vote.
    expect((await server.call<Me>('PUT', '/me/household', { token: voter, body: { householdId: building1[5].id } })).body.householdId).toBe(building1[5].id);
    expectError(await server.call('POST', `/consultations/${c.id}/votes`, { token: voter, body: { optionId: c.options[0].id } }), 404, 'NOT_FOUND');
    const after = (await call<ConsultationDetail>('demo-resident-1', 'GET', `/consultations/${c.id}`)).body.tally;
    expect(after.votedHouseholds).toBe(before + 1);
    const mine = (await server.call<Me>('GET', '/me', { token: voter })).body.households;
    expect(mine.filter((h) => h.membership.status === 'pending').map((h) => h.id)).toEqual([building1[5].id]);
  });

  it('when a member is removed, then the household’s vote stays the household’s and the removed person can no longer change it', async () => {
    const c = await discussing();
    const member = await as('leaver-1');
    const membershipId = await joinVerified(server, member, building1[8].id);
    await server.call('POST', `/consultations/${c.id}/votes`, { token: member, body: { optionId: c.options[0].id } });
    const removed = await call('demo-gridworker-1', 'POST', `/memberships/${membershipId}/remove`, { reason: '已搬离本小区' });
    expect(removed.body.status).toBe('removed');
    const vote = await server.dataSource.getRepository(ConsultationVote).findOneByOrFail({ consultationId: c.id, householdId: building1[8].id });
    expect(vote.optionId).toBe(c.options[0].id);
    expectError(await server.call('POST', `/consultations/${c.id}/votes`, { token: member, body: { optionId: c.options[1].id } }), 404, 'NOT_FOUND');
    expect((await server.dataSource.getRepository(ConsultationVote).findOneByOrFail({ id: vote.id })).optionId).toBe(c.options[0].id);
    // They are told why.
    const me = (await server.call<Me>('GET', '/me', { token: member })).body;
    expect(me.households.find((h) => h.id === building1[8].id)?.membership).toMatchObject({ status: 'removed', reason: '已搬离本小区' });
    expect(me.householdId).toBeNull();
  });

  it('when WeChat confirms a phone the ledger lists for that room, then joining is verified at once and the ledger’s person becomes that account', async () => {
    const flat = building1[9];
    const ledger = await ledgerOwner(flat);
    const phone = (await call('demo-gridworker-1', 'POST', `/residents/${ledger.id}/phone`, {})).body.phone as string;
    const owner = await as('ledger-owner-claims');
    // A typed phone proves nothing: only WeChat's confirmation (dev: a dev-phone code) counts.
    const confirmed = await server.call<Me>('POST', '/me/phone', { token: owner, body: { code: `dev-phone-${phone}` } });
    expect(confirmed.body).toMatchObject({ phoneVerified: true, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    const joined = await server.call<Me>('PUT', '/me/household', { token: owner, body: { householdId: flat.id, relation: 'family' } });
    expect(joined.body.household?.membership).toMatchObject({ status: 'verified', method: 'roster', relation: 'owner' });
    expect(joined.body.roles).toContain('resident');
    // One person, not two: a search by the phone finds the account only.
    const found = (await call<{ items: ResidentView[] }>('demo-gridworker-1', 'GET', `/residents?q=${phone}`)).body.items;
    expect(found).toEqual([expect.objectContaining({ id: joined.body.id, usesApp: true, name: ledger.name })]);
  });

  it('when a pending request exists and WeChat later confirms the ledger’s phone, then the request is verified then', async () => {
    const flat = building1[10];
    const ledger = await ledgerOwner(flat);
    const phone = (await call('demo-admin', 'POST', `/residents/${ledger.id}/phone`, {})).body.phone as string;
    const owner = await as('ledger-owner-later');
    expect((await server.call<Me>('PUT', '/me/household', { token: owner, body: { householdId: flat.id } })).body.household?.membership.status).toBe('pending');
    const after = await server.call<Me>('POST', '/me/phone', { token: owner, body: { code: `dev-phone-${phone}` } });
    expect(after.body.household?.membership).toMatchObject({ status: 'verified', method: 'roster' });
    // Somebody else's confirmed phone does not match the ledger: stays pending.
    const stranger = await as('stranger-phone');
    await server.call('POST', '/me/phone', { token: stranger, body: { code: 'dev-phone-13300000000' } });
    expect((await server.call<Me>('PUT', '/me/household', { token: stranger, body: { householdId: building1[11].id } })).body.household?.membership.status).toBe('pending');
  });

  it('when an owner invites a family member by code, then the code verifies them once; a second use, a stranger’s code or a non-owner’s invite is refused', async () => {
    const invite = await call('demo-resident-1', 'POST', `/households/${building1[0].id}/invites`, { relation: 'family' });
    expect(invite.status).toBe(201);
    expect(invite.body.code).toMatch(/^[A-Z2-9]{8}$/);
    const relative = await as('invited-family-1');
    const accepted = await server.call<Me>('POST', `/invites/${invite.body.code}/accept`, { token: relative, body: {} });
    expect(accepted.body.household?.membership).toMatchObject({ status: 'verified', method: 'owner_invite', relation: 'family' });
    expectError(await server.call('POST', `/invites/${invite.body.code}/accept`, { token: await as('invited-family-2'), body: {} }), 409, 'CONFLICT');
    expectError(await server.call('POST', '/invites/ZZZZZZZZ/accept', { token: await as('invited-family-2'), body: {} }), 404, 'NOT_FOUND');
    // demo-resident-3 is a family member, not the owner; demo-resident-2 is no member of that flat at all.
    const r3 = (await call<Me>('demo-resident-3', 'GET', '/me')).body;
    expectError(await call('demo-resident-3', 'POST', `/households/${r3.householdId}/invites`, { relation: 'family' }), 403, 'FORBIDDEN');
    expectError(await call('demo-resident-2', 'POST', `/households/${building1[0].id}/invites`, { relation: 'tenant' }), 404, 'NOT_FOUND');
    // An expired code.
    const old = await call('demo-resident-1', 'POST', `/households/${building1[0].id}/invites`, { relation: 'tenant' });
    await server.dataSource.getRepository(HouseholdInvite).createQueryBuilder().update().set({ expiresAt: new Date(Date.now() - 1000) }).where('usedAt IS NULL').execute();
    expectError(await server.call('POST', `/invites/${old.body.code}/accept`, { token: await as('invited-family-3'), body: {} }), 409, 'CONFLICT');
  });

  it('when staff search for people, then they find them by name, phone tail, whole phone or room within their scope only', async () => {
    const byName = (await call<{ items: ResidentView[] }>('demo-gridworker-1', 'GET', `/residents?q=${encodeURIComponent('张晓')}`)).body.items;
    expect(byName).toEqual([expect.objectContaining({ name: '张晓梅', phoneMasked: '138****0001', usesApp: true, households: [expect.objectContaining({ label: '1号楼 1单元 101', relation: 'owner', status: 'verified' })] })]);
    expect((await call('demo-gridworker-1', 'GET', '/residents?q=0001')).body.items.map((r: ResidentView) => r.name)).toContain('张晓梅');
    expect((await call('demo-gridworker-1', 'GET', '/residents?q=13857110001')).body.items.map((r: ResidentView) => r.name)).toEqual(['张晓梅']);
    const room = (await call<{ items: ResidentView[] }>('demo-gridworker-1', 'GET', `/residents?q=${encodeURIComponent('1号楼 101')}&limit=50`)).body.items;
    expect(room.length).toBeGreaterThan(0);
    expect(room.every((r) => r.households.some((h) => h.label.startsWith('1号楼') && h.label.endsWith(' 101')))).toBe(true);
    // Grid 2's worker finds nobody of grid 1, by any key.
    for (const q of ['张晓', '0001', '13857110001', '1号楼 101']) {
      expect((await call('demo-gridworker-2', 'GET', `/residents?q=${encodeURIComponent(q)}`)).body.items).toEqual([]);
    }
    // But finds 5号楼's people.
    expect((await call('demo-gridworker-2', 'GET', `/residents?q=${encodeURIComponent('5号楼 101')}`)).body.items.length).toBeGreaterThan(0);
    // Residents and volunteers search nobody.
    expectError(await call('demo-volunteer-1', 'GET', '/residents?q=a'), 403, 'FORBIDDEN');
  });

  it('when staff register a person without WeChat, then they are a verified member found by search; a second registration of the same person is refused; revealing the phone is audited', async () => {
    const flat = building5[0];
    const registered = await call<ResidentView>('demo-gridworker-2', 'POST', '/residents', { name: '钱阿婆', phone: '135 7111 2233', householdId: flat.id, relation: 'family' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ name: '钱阿婆', phoneMasked: '135****2233', usesApp: false, households: [{ id: flat.id, relation: 'family', status: 'verified' }] });
    expectError(await call('demo-gridworker-2', 'POST', '/residents', { name: '钱阿婆', householdId: flat.id, relation: 'family' }), 409, 'CONFLICT');
    expectError(await call('demo-gridworker-2', 'POST', '/residents', { name: '钱阿婆', phone: '13571112233', householdId: flat.id, relation: 'family' }), 409, 'CONFLICT');
    // Grid 1's worker may not register into grid 2.
    expectError(await call('demo-gridworker-1', 'POST', '/residents', { name: '孙大爷', householdId: flat.id, relation: 'owner' }), 403, 'FORBIDDEN');
    expectError(await call('demo-gridworker-2', 'POST', '/residents', { name: '孙大爷', phone: '123', householdId: flat.id, relation: 'owner' }), 400, 'VALIDATION_FAILED');
    const found = (await call<{ items: ResidentView[] }>('demo-gridworker-2', 'GET', '/residents?q=2233')).body.items;
    expect(found.map((r) => r.id)).toContain(registered.body.id);
    const revealed = await call('demo-gridworker-2', 'POST', `/residents/${registered.body.id}/phone`, {});
    expect(revealed.body).toEqual({ phone: '13571112233' });
    expectError(await call('demo-gridworker-1', 'POST', `/residents/${registered.body.id}/phone`, {}), 404, 'NOT_FOUND');
    const worker = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-gridworker-2' });
    const audited = await server.dataSource.getRepository(AuditEntry).findBy({ actorId: worker.id, path: `/api/v1/residents/${registered.body.id}/phone` });
    expect(audited.map((a) => a.status)).toEqual([200]);
  });

  it('when two staff decide one request at once, then one wins and the other gets 409; two requests of one person at once leave one pending', async () => {
    const person = await as('racer-1');
    await server.call('PUT', '/me/household', { token: person, body: { householdId: building1[15].id } });
    const pending = await server.dataSource.getRepository(HouseholdMembership).findOneByOrFail({ householdId: building1[15].id, status: 'pending' });
    const [a, b] = await Promise.all([
      call('demo-gridworker-1', 'POST', `/memberships/${pending.id}/verify`, {}),
      call('demo-secretary-1', 'POST', `/memberships/${pending.id}/reject`, { reason: '台账无此人' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);

    const twice = await as('racer-2');
    const results = await Promise.all([16, 17].map((n) => server.call('PUT', '/me/household', { token: twice, body: { householdId: building1[n].id } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const userId = (await server.call<Me>('GET', '/me', { token: twice })).body.id;
    expect(await server.dataSource.getRepository(HouseholdMembership).countBy({ userId, status: 'pending' })).toBe(1);
  });

  it('when a secretary sets a flat’s area, then it is kept to the hundredth; a grid worker may not', async () => {
    const set = await call('demo-secretary-1', 'PUT', `/households/${building1[20].id}`, { areaM2: 88.25 });
    expect(set.body).toEqual({ id: building1[20].id, areaM2: 88.25 });
    expectError(await call('demo-gridworker-1', 'PUT', `/households/${building1[20].id}`, { areaM2: 90 }), 403, 'FORBIDDEN');
    expectError(await call('demo-secretary-1', 'PUT', `/households/${building1[20].id}`, { areaM2: -1 }), 400, 'VALIDATION_FAILED');
    expect((await call('demo-secretary-1', 'PUT', `/households/${building1[20].id}`, { areaM2: null })).body.areaM2).toBeNull();
  });
});

describe('WeChat getPhoneNumber adapter against the local fake', () => {
  it('when WeChat answers, then the pure mainland number comes back; a spent code is a field error', async () => {
    const fake = await startFakeWeChat();
    try {
      const tokens = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
      const phones = new HttpPhoneNumberProvider({ apiBase: fake.base, tokens });
      expect(await phones.phoneNumber('phone-13912345678')).toBe('13912345678');
      await expect(phones.phoneNumber('spent')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    } finally {
      await fake.close();
    }
  });
});
