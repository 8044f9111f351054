import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import type { Announcement } from '@linli/shared';
import { NoticeRow } from './NoticeRow';
import { listNotices, NOTICES_PAGE } from '../services/notices';
import { getToken } from '../services/session';
import { a11y } from '../utils/a11y';

/** 社区公告 on the home page: the first three (pinned first), unread marked, and the way to all of them. */
export function HomeNotices() {
  const [notices, setNotices] = useState<Announcement[] | null>(null);
  const [unread, setUnread] = useState(0);

  useDidShow(() => {
    if (!getToken()) return;
    listNotices('mine', null, { silent: true })
      .then((page) => {
        setNotices(page.items.slice(0, 3));
        setUnread(page.unread);
      })
      .catch(() => undefined);
  });

  if (!notices || notices.length === 0) return null;
  return (
    <View id="home-notices" className="home-notices">
      <View className="section-title home-notices__head" onClick={() => void Taro.navigateTo({ url: NOTICES_PAGE })} {...a11y({ role: 'link' })}>
        <Text>社区公告{unread > 0 ? `（${unread} 条未读）` : ''}</Text>
        <Text>全部 ›</Text>
      </View>
      {notices.map((notice) => (
        <NoticeRow key={notice.id} notice={notice} />
      ))}
    </View>
  );
}
