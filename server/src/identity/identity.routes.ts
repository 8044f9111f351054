import { devLoginBody, updateSettingsBody, wechatLoginBody } from '@linli/shared';
import { AppError } from '../platform/errors';
import { route } from '../platform/route';
import type { IdentityService } from './identity.service';
import type { WeChatSessionProvider } from './wechat-session';

export function identityRoutes(identity: IdentityService, wechat: WeChatSessionProvider, options: { devLogin: boolean }) {
  return [
    route({
      method: 'get',
      path: '/auth/options',
      tag: 'auth',
      summary: 'Which login methods this server accepts',
      auth: false,
      handler: () => ({ devLogin: options.devLogin, wechatLogin: true }),
    }),
    route({
      method: 'post',
      path: '/auth/wechat',
      tag: 'auth',
      summary: 'Log in with a wx.login code (code2Session on the server; session_key never leaves it)',
      auth: false,
      rateLimit: 'login',
      body: wechatLoginBody,
      async handler({ body }) {
        const session = await wechat.code2Session(body.code);
        return identity.login(session.openid, { unionid: session.unionid, sessionKey: session.sessionKey });
      },
    }),
    route({
      method: 'post',
      path: '/auth/dev',
      tag: 'auth',
      summary: 'Development login by openid (never in production); an unseen openid creates a resident',
      auth: false,
      rateLimit: 'login',
      body: devLoginBody,
      handler({ body }) {
        if (!options.devLogin) throw new AppError('FORBIDDEN', '开发登录未开启');
        return identity.login(body.openid);
      },
    }),
    route({
      method: 'get',
      path: '/me',
      tag: 'auth',
      summary: 'The caller: roles, scopes, household and its grid',
      handler: ({ actor }) => identity.me(actor.userId),
    }),
    route({
      method: 'put',
      path: '/me/settings',
      tag: 'auth',
      summary: 'The caller’s own choices: whether leaderboards show their name in full (masked by default)',
      body: updateSettingsBody,
      handler: ({ actor, body }) => identity.updateSettings(actor.userId, body),
    }),
  ];
}
