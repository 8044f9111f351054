import { useCallback } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { mayPostAnnouncements, type Announcement, type AnnouncementPage } from '@linli/shared';
import { ListFooter } from '../../components/ListFooter';
import { LoadFailed } from '../../components/LoadFailed';
import { PageState } from '../../components/PageState';
import { useCursorList } from '../../hooks/useCursorList';
import { usePageClass } from '../../hooks/useElderMode';
import { ensureSession, isWeapp } from '../../services/auth';
import { listNotices, NEW_NOTICE_PAGE } from '../../services/notices';
import { requestNoticeSubscription } from '../../services/place';
import { useMe } from '../../hooks/useMe';
import { NoticeRow } from '../../components/NoticeRow';
import './notices.scss';

/**
 * 社区公告: what the community, the grid or the building tells the caller's household, pinned first,
 * unread marked in words. Staff who post see what they posted within their scope (已读 N / M 户 on each).
 */
export default function Notices() {
  const className = usePageClass('page notices');
  const staff = mayPostAnnouncements(useMe().me);
  const fetchPage = useCallback((cursor: string | null) => listNotices(staff ? 'managed' : 'mine', cursor, { silent: true }), [staff]);
  const list = useCursorList<Announcement, AnnouncementPage>(fetchPage);

  useDidShow(() => {
    void ensureSession().then((ok) => (ok ? list.refresh() : undefined));
  });
  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const unread = list.last?.unread ?? 0;
  return (
    <View id="notices-page" className={className}>
      <View className="notices__bar">
        <Text id="notices-unread">{staff ? '您负责范围内发布的公告' : unread > 0 ? `${unread} 条未读` : '公告都已读过'}</Text>
        {!staff && isWeapp ? (
          <Text id="notices-subscribe" className="notices__subscribe" onClick={() => void requestNoticeSubscription()}>
            有新公告时提醒我
          </Text>
        ) : null}
      </View>
      {staff ? (
        <View className="block-button">
          <Button id="notices-new" type="primary" size="large" block onClick={() => void Taro.navigateTo({ url: NEW_NOTICE_PAGE })}>
            发布公告
          </Button>
        </View>
      ) : null}
      {list.failed && list.items.length === 0 ? <LoadFailed onRetry={() => void list.refresh()} /> : null}
      {list.items.map((notice) => (
        <NoticeRow key={notice.id} notice={notice} showRead={!staff} />
      ))}
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <PageState kind="empty" title="暂时没有公告" text={staff ? '发布的公告会出现在这里。' : '社区、网格或楼栋发布通知时，会在这里和首页告诉您。'} />
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
