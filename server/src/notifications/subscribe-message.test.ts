import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWeChat, type FakeWeChat } from './fake-wechat';
import { DevSubscribeMessageProvider, HttpSubscribeMessageProvider, type SubscribeMessage } from './subscribe-message';

const message = (openid: string, key = `k-${openid}`): SubscribeMessage => ({
  openid,
  templateId: 'tmpl-report-status',
  page: 'packages/reports/detail/index?id=12',
  data: { thing1: '路灯不亮', phrase2: '已受理' },
  idempotencyKey: key,
});

describe('HttpSubscribeMessageProvider against a local fake of WeChat', () => {
  let fake: FakeWeChat;
  let clock: number;
  let provider: HttpSubscribeMessageProvider;
  beforeAll(async () => {
    fake = await startFakeWeChat();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    clock = Date.parse('2025-11-23T08:00:00Z');
    fake.state.tokenCalls = 0;
    provider = new HttpSubscribeMessageProvider({
      appId: 'wx-test-app',
      secret: 'wx-test-secret',
      apiBase: fake.base,
      miniprogramState: 'trial',
      timeoutMs: 500,
      now: () => clock,
    });
  });

  it('sends touser, template_id, page, data as {key: {value}} and miniprogram_state; WeChat’s errcode 0 is sent', async () => {
    expect(await provider.send(message('o-alice'))).toEqual({ status: 'sent' });
    expect(fake.state.accepted.at(-1)).toEqual({
      touser: 'o-alice',
      template_id: 'tmpl-report-status',
      page: 'packages/reports/detail/index?id=12',
      data: { thing1: { value: '路灯不亮' }, phrase2: { value: '已受理' } },
      miniprogram_state: 'trial',
      lang: 'zh_CN',
    });
  });

  it('the access token is fetched once and reused across sends, also by sends in flight at once', async () => {
    await provider.send(message('o-alice'));
    await provider.send(message('o-bob'));
    await Promise.all([provider.send(message('o-carol')), provider.send(message('o-dave'))]);
    expect(fake.state.tokenCalls).toBe(1);
  });

  it('a token is refreshed shortly before expires_in, not after', async () => {
    await provider.send(message('o-alice'));
    clock += 7200_000 - 301_000;
    await provider.send(message('o-alice'));
    expect(fake.state.tokenCalls).toBe(1);
    clock += 2_000;
    await provider.send(message('o-alice'));
    expect(fake.state.tokenCalls).toBe(2);
  });

  it('when WeChat says the token expired (42001), then a new token is fetched and the send retried once', async () => {
    await provider.send(message('o-alice'));
    const sendsBefore = fake.state.sendCalls;
    fake.expireToken();
    expect(await provider.send(message('o-bob'))).toEqual({ status: 'sent' });
    expect(fake.state.tokenCalls).toBe(2);
    expect(fake.state.sendCalls - sendsBefore).toBe(2);
  });

  it('43101 (the user did not subscribe or refused) is skipped, not retried', async () => {
    const sendsBefore = fake.state.sendCalls;
    expect(await provider.send(message('o-refuse'))).toEqual({ status: 'skipped', reason: expect.stringContaining('43101') });
    expect(fake.state.sendCalls - sendsBefore).toBe(1);
  });

  it('an HTTP 5xx, a timeout, an unreachable WeChat or a busy one (-1) is a retryable failure', async () => {
    expect(await provider.send(message('o-5xx'))).toEqual({ status: 'failed', retryable: true, reason: expect.stringContaining('502') });
    expect(await provider.send(message('o-slow'))).toEqual({ status: 'failed', retryable: true, reason: expect.stringMatching(/in time/) });
    expect(await provider.send(message('o-busy'))).toMatchObject({ status: 'failed', retryable: true });
    const down = new HttpSubscribeMessageProvider({ appId: 'a', secret: 'b', apiBase: 'http://127.0.0.1:1', timeoutMs: 500 });
    expect(await down.send(message('o-alice'))).toMatchObject({ status: 'failed', retryable: true });
  });

  it('a wrong secret is a retryable failure naming the errcode (fixed by configuration, not by dropping messages)', async () => {
    const wrong = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'nope', apiBase: fake.base });
    expect(await wrong.send(message('o-alice'))).toEqual({ status: 'failed', retryable: true, reason: expect.stringContaining('40125') });
  });

  it('a request WeChat calls invalid (40003 bad openid, 47003 bad field) is a permanent failure', async () => {
    expect(await provider.send(message('o-bad'))).toMatchObject({ status: 'failed', retryable: false });
    expect(await provider.send({ ...message('o-alice'), data: { thing1: '' } })).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringContaining('47003') });
  });
});

describe('DevSubscribeMessageProvider', () => {
  it('records each message once per idempotency key and counts every call', async () => {
    const dev = new DevSubscribeMessageProvider();
    await dev.send(message('o-alice', 'key-1'));
    await dev.send(message('o-alice', 'key-1'));
    await dev.send(message('o-bob', 'key-2'));
    expect(dev.sent.map((m) => m.idempotencyKey)).toEqual(['key-1', 'key-2']);
    expect(dev.calls.get('key-1')).toBe(2);
  });
});
