import { useCallback } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { ReportSummary } from '@linli/shared';
import { ReportRow } from '../../../components/ReportRow';
import { ListFooter } from '../../../components/ListFooter';
import { useCursorList } from '../../../hooks/useCursorList';
import { ensureSession } from '../../../services/auth';
import { listReports, type ReportPage } from '../../../services/reports';
import { pageClass } from '../../../hooks/useElderMode';

/** The resident's own reports, newest first. */
export default function MyReports() {
  const fetchPage = useCallback((cursor: string | null) => listReports({ scope: 'mine', cursor: cursor ?? undefined }), []);
  const list = useCursorList<ReportSummary, ReportPage>(fetchPage);

  useDidShow(() => {
    void ensureSession().then((ok) => (ok ? list.refresh() : undefined));
  });
  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  return (
    <View id="my-reports-page" className={pageClass('page')}>
      {list.items.map((report) => (
        <ReportRow key={report.id} report={report} />
      ))}
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="my-reports-empty" className="card empty-card">
          <Text className="card-title">还没有说过事</Text>
          <View className="muted">身边有问题，随手拍一拍、说一说。</View>
          <View className="block-button">
            <Button type="primary" block onClick={() => void Taro.switchTab({ url: '/pages/report/index' })}>
              我要说事
            </Button>
          </View>
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
