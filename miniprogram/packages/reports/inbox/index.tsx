import { useCallback } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { NotificationItem, NotificationPage } from '@linli/shared';
import { ListFooter } from '../../../components/ListFooter';
import { useCursorList } from '../../../hooks/useCursorList';
import { ensureSession } from '../../../services/auth';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '../../../services/notifications';
import { timeAgo } from '../../../utils/time';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

const TAB_PAGES = ['/pages/index/index', '/pages/report/index', '/pages/consult/index', '/pages/mine/index'];

function open(link: string) {
  const path = link.startsWith('/') ? link : `/${link}`;
  if (TAB_PAGES.includes(path.split('?')[0])) void Taro.switchTab({ url: path.split('?')[0] });
  else void Taro.navigateTo({ url: path });
}

/** The in-app inbox: what happened to my reports (and, for staff, what awaits me). */
export default function Inbox() {
  const fetchPage = useCallback((cursor: string | null) => listNotifications(cursor), []);
  const list = useCursorList<NotificationItem, NotificationPage>(fetchPage);
  const unread = list.last?.unread ?? list.items.filter((item) => !item.read).length;

  useDidShow(() => {
    void ensureSession().then((ok) => (ok ? list.refresh() : undefined));
  });
  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const tap = (item: NotificationItem) => {
    if (!item.read) {
      list.setItems((items) => items.map((entry) => (entry.id === item.id ? { ...entry, read: true } : entry)));
      void markNotificationRead(item.id).catch(() => undefined);
    }
    if (item.link) open(item.link);
  };

  const readAll = async () => {
    try {
      await markAllNotificationsRead();
      await list.refresh();
    } catch {
      // toast shown by the API client
    }
  };

  return (
    <View id="inbox-page" className={pageClass('page inbox')}>
      <View className="inbox__bar">
        <Text id="inbox-unread" className="muted">
          {unread > 0 ? `${unread} 条未读` : '没有未读消息'}
        </Text>
        {unread > 0 ? (
          <Text id="inbox-read-all" className="inbox__read-all" onClick={() => void readAll()}>
            全部已读
          </Text>
        ) : null}
      </View>
      {list.items.map((item) => (
        <View key={item.id} id={`notification-${item.id}`} className={`card inbox__item notification-item ${item.read ? 'is-read' : 'is-unread'}`} onClick={() => tap(item)}>
          <View className="inbox__head">
            {!item.read ? <View className="inbox__dot" /> : null}
            <Text className="inbox__title">{item.title}</Text>
            <Text className="inbox__time muted">{timeAgo(item.createdAt)}</Text>
          </View>
          <View className="inbox__body">{item.body}</View>
          {item.link ? <View className="inbox__link">查看详情 ›</View> : null}
        </View>
      ))}
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="inbox-empty" className="card empty-card muted">
          暂无消息。说事有进展时会在这里通知您。
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
