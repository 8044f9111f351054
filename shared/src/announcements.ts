import { z } from 'zod';
import { pageQuery } from './pagination';

/**
 * Community notices (社区公告): staff tell the residents of a place something (停水通知, 活动通知).
 * A notice goes to a grid node (community, grid or micro-grid) or to one building; the verified members
 * of the households there see it until its end date; reads are counted per household ("已读 N / M 户").
 */

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const ANNOUNCEMENT_TITLE_MAX = 40;
export const ANNOUNCEMENT_BODY_MAX = 2000;
export const ANNOUNCEMENT_PHOTOS_MAX = 6;

/** `POST /announcements`: the place is a grid node or a building (one of the two). */
export const createAnnouncementBody = z
  .object({
    nodeId: z.number().int().positive().optional(),
    buildingId: z.number().int().positive().optional(),
    title: text(2, ANNOUNCEMENT_TITLE_MAX),
    body: text(2, ANNOUNCEMENT_BODY_MAX),
    photos: z.array(z.string().trim().min(1).max(500)).max(ANNOUNCEMENT_PHOTOS_MAX).default([]),
    pinned: z.boolean().default(false),
    /** After this the residents no longer see it (staff still do); none → shown until taken down. */
    endsAt: z.iso.datetime().optional(),
  })
  .refine((b) => (b.nodeId === undefined) !== (b.buildingId === undefined), { message: '请选择发布到的社区、网格或楼栋（只选一个）', path: ['nodeId'] });
export type CreateAnnouncementBody = z.infer<typeof createAnnouncementBody>;

/** mine: what the caller's households are told; managed: what staff posted within their scope. */
export const listAnnouncementsQuery = pageQuery.extend({
  scope: z.enum(['mine', 'managed']).default('mine'),
});
export type ListAnnouncementsQuery = z.infer<typeof listAnnouncementsQuery>;

export interface AnnouncementPlace {
  kind: 'node' | 'building';
  id: number;
  /** 桂花社区, 桂香苑微网格, 1号楼 */
  name: string;
}

export interface Announcement {
  id: number;
  title: string;
  body: string;
  photos: string[];
  pinned: boolean;
  place: AnnouncementPlace;
  author: { id: number; nickname: string };
  endsAt: string | null;
  /** Past its end date: residents no longer see it. */
  ended: boolean;
  /** The caller has read it (residents); staff lists say true for what they posted themselves. */
  read: boolean;
  createdAt: string;
}

export interface AnnouncementPage {
  items: Announcement[];
  nextCursor: string | null;
  /** Notices the caller has not read yet (scope mine). */
  unread: number;
}

/** `GET /announcements/:id/reads`: read by N of M households (people are not counted twice per home). */
export interface AnnouncementReads {
  announcementId: number;
  households: number;
  readHouseholds: number;
  /** People who opened it (a household of three may count once above and three times here). */
  readers: number;
}

/** "已读 3 / 120 户" */
export function readsLabel(reads: Pick<AnnouncementReads, 'households' | 'readHouseholds'>): string {
  return `已读 ${reads.readHouseholds} / ${reads.households} 户`;
}
