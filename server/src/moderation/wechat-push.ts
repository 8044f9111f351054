import crypto from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../platform/errors';
import { route, type RouteSpec } from '../platform/route';
import type { ModerationService } from './moderation.service';

/**
 * WeChat's message push (消息推送), plaintext mode with JSON data: the URL configured in the mini-program's
 * console. WeChat signs every call: signature = sha1 of token, timestamp and nonce sorted and joined.
 * GET is the console's one-off URL check (answer `echostr`); POST carries events, of which we use
 * `wxa_media_check` (an image check's verdict). The encrypted (安全) mode is not implemented.
 */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return crypto.createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** A signature older than this is refused, so a captured call cannot be replayed much later. */
const MAX_AGE_SECONDS = 600;

const signed = z.object({
  signature: z.string().regex(/^[0-9a-f]{40}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64),
});

const mediaCheckEvent = z
  .object({
    MsgType: z.string().max(32).optional(),
    Event: z.string().max(64).optional(),
    trace_id: z.string().max(64).optional(),
    result: z.object({ suggest: z.string().max(16), label: z.coerce.number().int() }).optional(),
  })
  .passthrough();

export function wechatPushRoutes(moderation: ModerationService, options: { token: string | null; now?: () => number }): RouteSpec[] {
  const now = options.now ?? Date.now;
  const verify = (query: z.infer<typeof signed>) => {
    if (!options.token) throw new AppError('NOT_FOUND', '未配置微信消息推送');
    const expected = Buffer.from(pushSignature(options.token, query.timestamp, query.nonce));
    if (!crypto.timingSafeEqual(expected, Buffer.from(query.signature))) throw new AppError('UNAUTHENTICATED', '签名无效');
    if (Math.abs(now() / 1000 - Number(query.timestamp)) > MAX_AGE_SECONDS) throw new AppError('UNAUTHENTICATED', '签名已过期');
  };
  return [
    route({
      method: 'get',
      path: '/wechat/events',
      tag: 'moderation',
      summary: "WeChat message push: the console's URL check — answers echostr when the signature holds",
      auth: false,
      query: signed.extend({ echostr: z.string().min(1).max(128) }),
      handler({ query, ctx }) {
        verify(query);
        ctx.type = 'text/plain';
        return query.echostr;
      },
    }),
    route({
      method: 'post',
      path: '/wechat/events',
      tag: 'moderation',
      summary: "WeChat message push (plaintext JSON): wxa_media_check events settle image checks; answers 'success'",
      auth: false,
      query: signed.extend({ openid: z.string().max(64).optional() }),
      body: mediaCheckEvent,
      async handler({ query, body, ctx }) {
        verify(query);
        if (body.Event === 'wxa_media_check' && body.trace_id && body.result) {
          await moderation.imageChecked(body.trace_id, body.result.suggest, body.result.label);
        }
        ctx.type = 'text/plain';
        return 'success';
      },
    }),
  ];
}
