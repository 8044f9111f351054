import Taro from '@tarojs/taro';
import type { NotificationPage } from '@linli/shared';
import { api } from './api';
import { getToken } from './session';

/** The 我的 tab: where the unread count shows as a badge. */
const MINE_TAB_INDEX = 3;

export function listNotifications(cursor?: string | null, limit = 20): Promise<NotificationPage> {
  return api.get<NotificationPage>('/notifications', { query: { cursor, limit } });
}

export function markNotificationRead(id: number): Promise<unknown> {
  return api.post(`/notifications/${id}/read`, {}, { silent: true });
}

export function markAllNotificationsRead(): Promise<unknown> {
  return api.post('/notifications/read-all', {});
}

/** Puts the unread count on the 我的 tab (only callable from a tab page on weapp). Never fails loudly. */
export function showUnreadBadge(unread: number): void {
  const done = () => undefined;
  if (unread > 0) {
    Taro.setTabBarBadge({ index: MINE_TAB_INDEX, text: unread > 99 ? '99+' : String(unread) }).catch(done);
  } else {
    Taro.removeTabBarBadge({ index: MINE_TAB_INDEX }).catch(done);
  }
}

/** Fetches the unread count quietly; null when it could not be read (not logged in, offline). */
export async function refreshUnread(): Promise<number | null> {
  if (!getToken()) return null;
  try {
    const page = await api.get<NotificationPage>('/notifications', { query: { limit: 1 }, silent: true });
    showUnreadBadge(page.unread);
    return page.unread;
  } catch {
    return null;
  }
}
