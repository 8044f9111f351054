import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redemption, Reward } from '@linli/shared';
import { type TestServer } from '../../test/harness';
import { MediaCheckRow } from '../moderation/moderation.entities';
import type { FakeWeChat } from '../notifications/fake-wechat';
import { startServerCheckedByWeChat } from '../moderation/test-support';

/**
 * "Rewards with pictures, checked like any upload": a reward's picture goes through WeChat's image
 * check as a resident's photo does; residents see it only once the check passed, and the secretary
 * who set it sees where the check stands and is told when it is refused.
 */
describe("a reward's picture and the image check (against a local fake WeChat)", () => {
  let fake: FakeWeChat;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const PUSH_TOKEN = 'push-token-for-reward-images';
  let pushUrl: string;

  beforeAll(async () => {
    ({ server, fake, pushUrl } = await startServerCheckedByWeChat(PUSH_TOKEN));
    for (const who of ['demo-secretary-1', 'demo-resident-1']) tokens[who] = await server.login(who);
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  const traceOf = async (url: string) => (await server.dataSource.getRepository(MediaCheckRow).findOneByOrFail({ url })).traceId!;
  const shelf = async (who: string, all = false) => (await server.call<{ items: Reward[] }>('GET', `/rewards${all ? '?all=true' : ''}`, { token: tokens[who] })).body.items;
  const stock = async (name: string, imageUrl: string) => {
    const created = await server.call<Reward>('POST', '/rewards', { token: tokens['demo-secretary-1'], body: { name, cost: 5, stock: 3, imageUrl } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };

  it('residents see the picture only after WeChat passed it; until then the secretary sees 图片检测中', async () => {
    const url = await server.upload(tokens['demo-secretary-1']);
    expect(fake.state.mediaChecks.at(-1)).toMatchObject({ mediaUrl: `https://linli.example.cn${url}`, openid: 'demo-secretary-1' });
    const reward = await stock('社区定制水杯', url);
    expect(reward).toMatchObject({ imageUrl: url, imageReview: 'checking' });

    expect((await shelf('demo-resident-1')).find((r) => r.id === reward.id)).toMatchObject({ imageUrl: null });
    expect((await shelf('demo-resident-1')).find((r) => r.id === reward.id)).not.toHaveProperty('imageReview');
    expect((await shelf('demo-secretary-1', true)).find((r) => r.id === reward.id)).toMatchObject({ imageUrl: url, imageReview: 'checking' });

    expect((await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(url), 'pass')).status).toBe(200);
    expect((await shelf('demo-resident-1')).find((r) => r.id === reward.id)).toMatchObject({ imageUrl: url });
    expect((await shelf('demo-secretary-1', true)).find((r) => r.id === reward.id)).toMatchObject({ imageReview: 'passed' });
  });

  it('a picture WeChat finds risky stays hidden from residents (shelf and 我的兑换); the secretary is told once and sees why', async () => {
    const url = await server.upload(tokens['demo-secretary-1']);
    const reward = await stock('社区帆布包', url);
    const redeemed = await server.call<Redemption>('POST', `/rewards/${reward.id}/redeem`, { token: tokens['demo-resident-1'] });
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);

    await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(url), 'risky', 20002);
    // WeChat pushes again when unsure we got it: still one notice.
    await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(url), 'risky', 20002);

    expect((await shelf('demo-resident-1')).find((r) => r.id === reward.id)).toMatchObject({ imageUrl: null });
    const mine = await server.call<{ items: Redemption[] }>('GET', '/redemptions?scope=mine', { token: tokens['demo-resident-1'] });
    expect(mine.body.items.find((r) => r.id === redeemed.body.id)!.reward).toMatchObject({ id: reward.id, imageUrl: null });
    expect((await shelf('demo-secretary-1', true)).find((r) => r.id === reward.id)).toMatchObject({ imageUrl: url, imageReview: 'refused' });

    const inbox = (await server.call('GET', '/notifications', { token: tokens['demo-secretary-1'] })).body.items as { kind: string; title: string; body: string; link: string }[];
    const told = inbox.filter((n) => n.kind === 'reward.image_refused');
    expect(told).toEqual([expect.objectContaining({ title: '奖品图片未通过检测：社区帆布包', body: '图片未通过检测，居民看不到，请换一张', link: '/packages/workbench/rewards/index' })]);
    // The resident is not told anything about the secretary's picture.
    const residentInbox = (await server.call('GET', '/notifications', { token: tokens['demo-resident-1'] })).body.items as { kind: string }[];
    expect(residentInbox.some((n) => n.kind === 'reward.image_refused')).toBe(false);
  });

  it('changing a refused picture for one that passes shows the new one to residents', async () => {
    const refused = await server.upload(tokens['demo-secretary-1']);
    const reward = await stock('社区雨伞', refused);
    await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(refused), 'review', 10001);
    const replacement = await server.upload(tokens['demo-secretary-1']);
    await fake.pushMediaVerdict(pushUrl, PUSH_TOKEN, await traceOf(replacement), 'pass');
    const updated = await server.call<Reward>('PUT', `/rewards/${reward.id}`, { token: tokens['demo-secretary-1'], body: { imageUrl: replacement } });
    expect(updated.body).toMatchObject({ imageUrl: replacement, imageReview: 'passed' });
    expect((await shelf('demo-resident-1')).find((r) => r.id === reward.id)).toMatchObject({ imageUrl: replacement });
  });
});
