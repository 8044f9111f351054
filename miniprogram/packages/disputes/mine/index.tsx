import { useCallback, useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { DisputeListPage, DisputeSummary } from '@linli/shared';
import { ListFooter } from '../../../components/ListFooter';
import { useCursorList } from '../../../hooks/useCursorList';
import { DISPUTE_APPLY_PAGE, listDisputes } from '../../../services/disputes';
import { DisputeRow } from '../DisputeRow';
import '../disputes.scss';
import { pageClass } from '../../../hooks/useElderMode';

/** 我的调解: the cases the resident is a party to, and the way to apply for one. */
export default function MyDisputes() {
  const fetchPage = useCallback((cursor: string | null) => listDisputes({ scope: 'mine', cursor: cursor ?? undefined }), []);
  const list = useCursorList<DisputeSummary, DisputeListPage>(fetchPage);
  useEffect(() => {
    void list.refresh();
  }, [list.refresh]);
  useDidShow(() => void list.refresh());
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  return (
    <View id="my-disputes-page" className={pageClass('page disputes')}>
      <View className="card disputes__intro">
        <Text className="card-title">有矛盾，找调解</Text>
        <View className="muted">邻里、家庭、物业、租赁纠纷，社区人民调解委员会免费为您调解。</View>
        <View className="block-button">
          <Button id="dispute-apply" type="primary" block onClick={() => void Taro.navigateTo({ url: DISPUTE_APPLY_PAGE })}>
            申请调解
          </Button>
        </View>
      </View>
      <View className="section-title">我的调解</View>
      <View id="my-disputes-list">
        {list.items.map((d) => (
          <DisputeRow key={d.id} dispute={d} />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? <View className="card empty-card muted">还没有调解申请</View> : null}
      <ListFooter list={list} />
    </View>
  );
}
