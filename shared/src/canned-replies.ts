import { z } from 'zod';

/**
 * 常用语: a community's canned replies, kept by its secretary, picked with one tap by whoever handles a
 * report and edited before sending. One list per kind of text they stand for.
 */
export const CANNED_REPLY_KINDS = ['resolve', 'reject', 'feedback'] as const;
export type CannedReplyKind = (typeof CANNED_REPLY_KINDS)[number];
export const CANNED_REPLY_KIND_LABELS: Record<CannedReplyKind, string> = {
  resolve: '办理结果',
  reject: '不予受理',
  feedback: '回访记录',
};
/** At most this many per community and kind: a row of chips, not a library. */
export const MAX_CANNED_REPLIES = 30;

const text = z.string().trim().min(2, '至少 2 个字').max(200);

/** `GET /canned-replies?nodeId&kind`: the replies of the community that `nodeId` lies in (a report's node, or the community). */
export const listCannedRepliesQuery = z.object({
  nodeId: z.coerce.number().int().positive(),
  kind: z.enum(CANNED_REPLY_KINDS).optional(),
});
export const createCannedReplyBody = z.object({
  /** Any node in the community (or the community itself). */
  nodeId: z.number().int().positive(),
  kind: z.enum(CANNED_REPLY_KINDS),
  text,
});
export type CreateCannedReplyBody = z.infer<typeof createCannedReplyBody>;
export const updateCannedReplyBody = z.object({ text });

export interface CannedReply {
  id: number;
  communityId: number;
  kind: CannedReplyKind;
  text: string;
}
