import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { readsLabel, type Announcement, type AnnouncementReads } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { PhotoGrid } from '../../../components/PhotoGrid';
import { usePageClass } from '../../../hooks/useElderMode';
import { ensureSession } from '../../../services/auth';
import { getNotice, markNoticeRead, noticeReads } from '../../../services/notices';
import { formatTime } from '../../../utils/time';
import '../notices.scss';

/** One notice; opening it marks it read. Staff over its place see 已读 N / M 户 (households, not people). */
export default function NoticeDetail() {
  const className = usePageClass('page notice');
  const id = Number(useRouter().params.id);
  const [notice, setNotice] = useState<Announcement | null>(null);
  const [reads, setReads] = useState<AnnouncementReads | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      if (!(await ensureSession())) return;
      const found = await getNotice(id, { silent: true });
      setNotice(found);
      if (!found.read) void markNoticeRead(id).then(setNotice).catch(() => undefined);
      // Only staff over its place may read the counts; anyone else is refused quietly.
      void noticeReads(id).then(setReads).catch(() => undefined);
    } catch (failure) {
      setError(failure);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!notice) {
    return <View className={className}>{error ? <LoadFailed error={error} onRetry={() => void load()} /> : <View className="card muted">正在加载…</View>}</View>;
  }
  return (
    <View id="notice-page" className={className}>
      <View className="card">
        <View id="notice-title" className="notice__title">
          {notice.pinned ? '【置顶】' : ''}
          {notice.title}
        </View>
        <View className="notice__meta">
          {notice.place.name} · {notice.author.nickname} · {formatTime(notice.createdAt)}
          {notice.endsAt ? ` · ${notice.ended ? '已于' : '有效至'} ${formatTime(notice.endsAt)}${notice.ended ? ' 结束' : ''}` : ''}
        </View>
        <View id="notice-body" className="notice__body">
          {notice.body}
        </View>
        <PhotoGrid block="notice__photos" urls={notice.photos} />
      </View>
      {reads ? (
        <View id="notice-reads" className="card">
          <Text className="notice__reads">{readsLabel(reads)}</Text>
          <View className="muted">按户计算：一户有几个人看过都只算一户；共 {reads.readers} 人看过。</View>
        </View>
      ) : null}
    </View>
  );
}
