import type { Announcement, AnnouncementPage, AnnouncementReads, CreateAnnouncementBody } from '@linli/shared';
import { api, type RequestOptions } from './api';

/** 社区公告 (the `notices` sub-package). */
export const NOTICES_PAGE = '/packages/notices/index';
export const NOTICE_PAGE = '/packages/notices/detail/index';
export const NEW_NOTICE_PAGE = '/packages/notices/new/index';

export function listNotices(scope: 'mine' | 'managed', cursor: string | null, options: RequestOptions = {}): Promise<AnnouncementPage> {
  return api.get<AnnouncementPage>('/announcements', { ...options, query: { scope, cursor, limit: 20 } });
}

export function getNotice(id: number, options: RequestOptions = {}): Promise<Announcement> {
  return api.get<Announcement>(`/announcements/${id}`, options);
}

export function markNoticeRead(id: number): Promise<Announcement> {
  return api.post<Announcement>(`/announcements/${id}/read`, {}, { silent: true });
}

export function noticeReads(id: number): Promise<AnnouncementReads> {
  return api.get<AnnouncementReads>(`/announcements/${id}/reads`, { silent: true });
}

export function postNotice(body: CreateAnnouncementBody): Promise<Announcement> {
  return api.post<Announcement>('/announcements', body);
}
