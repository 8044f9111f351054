import { startTestServer, type TestServer } from '../../test/harness';
import { startFakeWeChat, type FakeWeChat } from '../notifications/fake-wechat';
import { HttpSubscribeMessageProvider } from '../notifications/subscribe-message';
import { WeChatContentChecker } from './content-check';

export interface CheckedServer {
  server: TestServer;
  fake: FakeWeChat;
  /** Where WeChat pushes its verdicts (signed with `pushToken`). */
  pushUrl: string;
  close: () => Promise<void>;
}

/** A test server whose content checks go to a local fake WeChat (the real HTTP checker against it). */
export async function startServerCheckedByWeChat(pushToken: string): Promise<CheckedServer> {
  const fake = await startFakeWeChat();
  const wechatTokens = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
  const server = await startTestServer({
    env: { WX_PUSH_TOKEN: pushToken },
    deps: { contentChecker: new WeChatContentChecker({ apiBase: fake.base, tokens: wechatTokens, publicBaseUrl: 'https://linli.example.cn', timeoutMs: 1000 }) },
  });
  return {
    server,
    fake,
    pushUrl: `${server.baseUrl}/api/v1/wechat/events`,
    close: async () => {
      await server.close();
      await fake.close();
    },
  };
}
