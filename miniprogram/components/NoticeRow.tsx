import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { Announcement } from '@linli/shared';
import { NOTICE_PAGE } from '../services/notices';
import { timeAgo } from '../utils/time';
import { a11y } from '../utils/a11y';
import './NoticeRow.scss';

/** One notice in a list: 置顶 and 未读 are said in words, not by colour alone. */
export function NoticeRow({ notice, showRead = true }: { notice: Announcement; showRead?: boolean }) {
  const unread = showRead && !notice.read;
  return (
    <View
      id={`notice-${notice.id}`}
      className={`card notice-row ${unread ? 'is-unread' : 'is-read'}`}
      onClick={() => void Taro.navigateTo({ url: `${NOTICE_PAGE}?id=${notice.id}` })}
      {...a11y({ role: 'link' })}
    >
      <View className="notice-row__head">
        {notice.pinned ? <Text className="mark notice-row__mark">置顶</Text> : null}
        {unread ? <Text className="mark mark--danger notice-row__mark notice-unread">未读</Text> : null}
        {notice.ended ? <Text className="mark mark--plain notice-row__mark">已结束</Text> : null}
        <Text className="notice-row__title">{notice.title}</Text>
      </View>
      <View className="notice-row__body">{notice.body}</View>
      <View className="notice-row__meta">
        {notice.place.name} · {timeAgo(notice.createdAt)}
      </View>
    </View>
  );
}
