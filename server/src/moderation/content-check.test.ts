import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWeChat, type FakeWeChat } from '../notifications/fake-wechat';
import { HttpSubscribeMessageProvider } from '../notifications/subscribe-message';
import { WeChatContentChecker, WordListChecker } from './content-check';
import { DEFAULT_SENSITIVE_WORDS, loadWordList, normalizeForMatching, WordList } from './word-list';

describe('the local sensitive-word list', () => {
  const words = new WordList(DEFAULT_SENSITIVE_WORDS);

  it('passes ordinary complaints, and flags listed words with their label', () => {
    expect(words.match('楼道灯坏了一个星期，晚上老人下楼很危险').suggest).toBe('pass');
    const abuse = words.match('楼上那个傻逼天天半夜拖椅子');
    expect(abuse).toEqual({ suggest: 'risky', label: 20003, words: ['傻逼'] });
    const ad = words.match('低价代购奶粉，有意者加微信');
    expect(ad.suggest).toBe('review');
    expect(ad.words.sort()).toEqual(['低价代购', '加微信'].sort());
  });

  it('sees through spaces, punctuation, full-width letters and case put between the characters', () => {
    expect(normalizeForMatching('加 微-信！ＶＸ')).toBe('加微信vx');
    expect(words.match('你个傻 逼').suggest).toBe('risky');
    expect(words.match('加·微·信').suggest).toBe('review');
    expect(words.match('加ＶＸ详聊').words).toEqual(['加vx']);
  });

  it('the worst match decides: one risky word among review words makes the text risky', () => {
    const mixed = words.match('加微信领取，冒充公检法的那种骗局');
    expect(mixed.suggest).toBe('risky');
    expect(mixed.label).toBe(20008);
  });

  it('a community adds its own words from MODERATION_WORDS_FILE (plain word → review; word, label, risky)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-words-')), 'words.txt');
    fs.writeFileSync(file, '# 本社区补充\n某某楼盘\n黑中介\t10001\trisky\n\n');
    const list = loadWordList(file);
    expect(list.size).toBe(new WordList(DEFAULT_SENSITIVE_WORDS).size + 2);
    expect(list.match('某某楼盘又在发传单')).toEqual({ suggest: 'review', label: 21000, words: ['某某楼盘'] });
    expect(list.match('小区门口有黑中介').suggest).toBe('risky');
  });

  it('the dev checker judges text by the list (title too) and lets images pass', async () => {
    const checker = new WordListChecker(words);
    expect(await checker.checkText({ title: '傻逼物业', text: '物业不作为', openid: 'o1', scene: 'forum' })).toMatchObject({ suggest: 'risky', source: 'wordlist' });
    expect(await checker.submitImage()).toEqual({ status: 'done', verdict: { suggest: 'pass', label: 100, source: 'wordlist' } });
  });
});

describe("WeChat's content security v2 over HTTP, against a local fake", () => {
  let fake: FakeWeChat;
  let checker: WeChatContentChecker;
  let tokens: HttpSubscribeMessageProvider;

  beforeAll(async () => {
    fake = await startFakeWeChat();
    tokens = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
    checker = new WeChatContentChecker({ apiBase: fake.base, tokens, publicBaseUrl: 'https://linli.example.cn', timeoutMs: 1000 });
  });
  afterAll(() => fake.close());

  it('sends msgSecCheck v2 with scene, openid and title, and reads result.suggest and label', async () => {
    expect(await checker.checkText({ text: '电梯坏了三天', openid: 'o-resident', scene: 'forum' })).toEqual({ suggest: 'pass', label: 100, source: 'wechat' });
    expect(await checker.checkText({ title: '违禁测试', text: '正文', openid: 'o-resident', scene: 'forum' })).toEqual({ suggest: 'risky', label: 20001, source: 'wechat' });
    expect(await checker.checkText({ text: '复核测试的评论', openid: 'o-resident', scene: 'comment' })).toEqual({ suggest: 'review', label: 21000, source: 'wechat' });
    const sent = fake.state.textChecks.at(-2)!;
    expect(sent).toMatchObject({ version: 2, scene: 3, openid: 'o-resident', title: '违禁测试', content: '正文' });
    expect(fake.state.textChecks.at(-1)).toMatchObject({ scene: 2 });
  });

  it('a token WeChat no longer accepts is replaced and the check made once more', async () => {
    fake.expireToken();
    const before = fake.state.tokenCalls;
    expect(await checker.checkText({ text: '违禁测试', openid: 'o-resident', scene: 'forum' })).toMatchObject({ suggest: 'risky' });
    expect(fake.state.tokenCalls).toBe(before + 1);
  });

  it('answers null — "could not ask" — when WeChat is down, unreachable or does not know the user yet (61010)', async () => {
    expect(await checker.checkText({ text: '正文', openid: 'o-expired', scene: 'forum' })).toBeNull();
    fake.state.textCheckDown = true;
    expect(await checker.checkText({ text: '正文', openid: 'o-resident', scene: 'forum' })).toBeNull();
    fake.state.textCheckDown = false;
    const nowhere = new WeChatContentChecker({ apiBase: 'http://127.0.0.1:9', tokens, publicBaseUrl: 'https://linli.example.cn', timeoutMs: 500 });
    expect(await nowhere.checkText({ text: '正文', openid: 'o-resident', scene: 'forum' })).toBeNull();
  });

  it('hands an image over by its public address and keeps the trace id; failures are errors to retry', async () => {
    const handed = await checker.submitImage({ url: '/api/v1/uploads/files/2026/11/23/0123456789abcdef.jpg', openid: 'o-resident', scene: 'forum' });
    expect(handed.status).toBe('pending');
    const call = fake.state.mediaChecks.at(-1)!;
    expect(handed).toEqual({ status: 'pending', traceId: call.traceId });
    expect(call.mediaUrl).toBe('https://linli.example.cn/api/v1/uploads/files/2026/11/23/0123456789abcdef.jpg');
    fake.state.mediaCheckDown = true;
    expect((await checker.submitImage({ url: '/x.jpg', openid: 'o-resident', scene: 'forum' })).status).toBe('error');
    fake.state.mediaCheckDown = false;
  });
});
