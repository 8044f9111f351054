import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteLink, INVITE_ACCEPT_PAGE, inviteScene, type HouseholdMemberView, type Me, type MembershipQueuePage } from '@linli/shared';
import { expectError, joinVerified, startTestServer, type TestServer } from '../../test/harness';
import { qrPng } from '../buildings-qr/wxacode';
import { User } from '../identity/user.entity';

/** What the app of issue 14 needs beside the foundation: a household's members, the invite's QR, the queue's count, gifts to members. */
describe('households as the app sees them, over HTTP', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  const as = async (openid: string) => {
    if (!tokens.has(openid)) tokens.set(openid, await server.login(openid));
    return tokens.get(openid)!;
  };
  const call = async <T = any>(who: string, method: string, path: string, body?: unknown) => server.call<T>(method, path, { token: await as(who), body });
  let building1: { id: number; room: string }[] = [];
  let home1 = 0;

  beforeAll(async () => {
    server = await startTestServer();
    const me = (await call<Me>('demo-resident-1', 'GET', '/me')).body;
    home1 = me.householdId!;
    building1 = (await call('demo-resident-1', 'GET', `/buildings/${me.household!.buildingId}/households`)).body.items;
  });
  afterAll(() => server.close());

  /** The invite's image as raw bytes (the harness's call reads JSON). */
  async function image(who: string, code: string, format: 'qr' | 'wxacode') {
    const response = await fetch(`${server.baseUrl}/api/v1/invites/${code}/image?format=${format}`, { headers: { authorization: `Bearer ${await as(who)}` } });
    return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('when a verified member asks for their household’s members, then they get the verified ones by name and relation, never a phone nor a pending one; others are refused', async () => {
    const pending = await as('members-pending-1');
    await server.call('PUT', '/me/household', { token: pending, body: { householdId: home1, relation: 'tenant' } });
    const relative = await as('members-family-1');
    await joinVerified(server, relative, home1, 'family');

    const listed = await call<{ items: HouseholdMemberView[] }>('demo-resident-1', 'GET', '/me/household/members');
    expect(listed.status).toBe(200);
    const relativeId = (await server.call<Me>('GET', '/me', { token: relative })).body.id;
    expect(listed.body.items).toContainEqual({ id: relativeId, name: expect.any(String), relation: 'family', usesApp: true, me: false });
    expect(listed.body.items.filter((m) => m.me)).toEqual([expect.objectContaining({ relation: 'owner' })]);
    const pendingId = (await server.call<Me>('GET', '/me', { token: pending })).body.id;
    expect(listed.body.items.map((m) => m.id)).not.toContain(pendingId);
    expect(JSON.stringify(listed.body)).not.toMatch(/\d{3}\*{4}\d{4}|phone/i);

    // A pending member does not act for the household; staff without a household have none.
    expectError(await server.call('GET', '/me/household/members', { token: pending }), 403, 'FORBIDDEN');
    expectError(await call('demo-gridworker-1', 'GET', '/me/household/members'), 403, 'FORBIDDEN');
  });

  it('when an owner shows their invite as a code to scan, then the QR opens the H5 accept page and the mini-program code its page with the code; only its maker gets it, and only while it works', async () => {
    const invite = (await call('demo-resident-1', 'POST', `/households/${home1}/invites`, { relation: 'family' })).body as { code: string };
    const qr = await image('demo-resident-1', invite.code, 'qr');
    expect(qr).toMatchObject({ status: 200, type: 'image/png', cache: 'no-store' });
    expect(qr.bytes.equals(await qrPng(`${server.baseUrl}${inviteLink(invite.code)}`))).toBe(true);
    // Without an AppID the dev stand-in draws what WeChat's code would open.
    const wxa = await image('demo-resident-1', invite.code.toLowerCase(), 'wxacode');
    expect(wxa.status).toBe(200);
    expect(wxa.bytes.equals(await qrPng(`${INVITE_ACCEPT_PAGE}?scene=${encodeURIComponent(inviteScene(invite.code))}`))).toBe(true);

    // Anyone else (even a member of that household, even staff) learns nothing of the code.
    expect((await image('demo-resident-2', invite.code, 'qr')).status).toBe(404);
    expect((await image('demo-secretary-1', invite.code, 'qr')).status).toBe(404);
    expect((await image('demo-resident-1', 'ZZZZZZZZ', 'qr')).status).toBe(404);

    await server.call('POST', `/invites/${invite.code}/accept`, { token: await as('members-invited-1'), body: {} });
    expect((await image('demo-resident-1', invite.code, 'qr')).status).toBe(409);
  });

  it('when requests wait, then the queue counts those in the caller’s scope only', async () => {
    const before = (await call<MembershipQueuePage>('demo-gridworker-1', 'GET', '/memberships?status=pending&limit=1')).body.counts.pending;
    const other = (await call<MembershipQueuePage>('demo-gridworker-2', 'GET', '/memberships?status=pending&limit=1')).body.counts.pending;
    for (const [i, flat] of [building1[5], building1[6]].entries()) {
      await server.call('PUT', '/me/household', { token: await as(`members-asking-${i}`), body: { householdId: flat.id } });
    }
    const page = (await call<MembershipQueuePage>('demo-gridworker-1', 'GET', '/memberships?status=pending&limit=1')).body;
    expect(page.items).toHaveLength(1);
    expect(page.counts.pending).toBe(before + 2);
    expect((await call<MembershipQueuePage>('demo-gridworker-2', 'GET', '/memberships?status=pending&limit=1')).body.counts.pending).toBe(other);
  });

  it('when a resident gives hours, then a verified member of their household receives them wherever they are now, and one who only asked to join does not', async () => {
    // Asked to join demo-resident-1's flat: their current household is that flat, still pending.
    const asking = await as('members-gift-pending');
    await server.call('PUT', '/me/household', { token: asking, body: { householdId: home1, relation: 'family' } });
    const askingId = (await server.call<Me>('GET', '/me', { token: asking })).body.id;
    expectError(await call('demo-resident-1', 'POST', '/timebank/gifts', { toUserId: askingId, hours: 0.5 }), 403, 'FORBIDDEN');

    // A verified family member who picked another (verified) flat as their current one.
    const twoHomes = await as('members-gift-two-homes');
    await joinVerified(server, twoHomes, home1, 'family');
    await joinVerified(server, twoHomes, building1[7].id, 'owner');
    const elsewhere = await server.dataSource.getRepository(User).findOneByOrFail({ openid: 'members-gift-two-homes' });
    expect(elsewhere.householdId).toBe(building1[7].id);
    const gift = await call('demo-resident-1', 'POST', '/timebank/gifts', { toUserId: elsewhere.id, hours: 0.5 });
    expect(gift.status, JSON.stringify(gift.body)).toBe(201);
  });
});
