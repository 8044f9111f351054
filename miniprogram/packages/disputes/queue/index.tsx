import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { DISPUTE_STATUS_INFO, type DisputeListPage, type DisputeQueueCounts, type DisputeStatus, type DisputeSummary } from '@linli/shared';
import { ListFooter } from '../../../components/ListFooter';
import { restricted } from '../../../components/Restricted';
import { useCursorList } from '../../../hooks/useCursorList';
import { useMe } from '../../../hooks/useMe';
import { DISPUTE_APPLY_PAGE, DISPUTE_STATS_PAGE, hasDisputeQueue, isCoordinator, isRegistrar, listDisputes } from '../../../services/disputes';
import { DisputeRow } from '../DisputeRow';
import '../disputes.scss';

type Filter = 'all' | Exclude<keyof DisputeQueueCounts, 'overdue'> | 'failed' | 'closed';
const COUNTED: Array<Exclude<keyof DisputeQueueCounts, 'overdue'>> = ['registered', 'accepted', 'mediating', 'agreed'];
const FILTERS: Filter[] = ['all', ...COUNTED, 'failed', 'closed'];
const label = (f: Filter) => (f === 'all' ? '全部' : DISPUTE_STATUS_INFO[f as DisputeStatus].label);

/**
 * 矛盾纠纷调处 for staff: a mediator's own cases; every case under the node for a secretary or admin
 * (who accepts, assigns and reassigns). Staff who register walk-ins start here too.
 */
function DisputeQueue() {
  const { me } = useMe();
  const [filter, setFilter] = useState<Filter>('all');
  const [counts, setCounts] = useState<DisputeQueueCounts | null>(null);
  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const page = await listDisputes({ scope: 'queue', status: filter === 'all' ? undefined : filter, cursor: cursor ?? undefined });
      if (page.counts) setCounts(page.counts);
      return page;
    },
    [filter],
  );
  const list = useCursorList<DisputeSummary, DisputeListPage>(fetchPage);
  const firstShow = useRef(true);
  useEffect(() => {
    void list.refresh();
  }, [list.refresh]);
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false;
      return;
    }
    void list.refresh();
  });
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  return (
    <View id="dispute-queue-page" className="page disputes">
      <View className="disputes__head">
        <View>
          <Text className="disputes__head-title">{me?.roles.includes('mediator') && !isCoordinator(me) ? '我的调解案件' : '矛盾纠纷调处'}</Text>
          {counts ? (
            <Text className="muted disputes__head-note">
              {' '}
              超期 <Text className={counts.overdue ? 'disputes__alert' : ''}>{counts.overdue}</Text> 件
            </Text>
          ) : null}
        </View>
        <View className="disputes__head-actions">
          {isRegistrar(me) ? (
            <View id="dispute-register" className="disputes__head-btn" onClick={() => void Taro.navigateTo({ url: DISPUTE_APPLY_PAGE })}>
              登记纠纷
            </View>
          ) : null}
          {isCoordinator(me) ? (
            <View id="dispute-stats" className="disputes__head-btn" onClick={() => void Taro.navigateTo({ url: DISPUTE_STATS_PAGE })}>
              调处统计
            </View>
          ) : null}
        </View>
      </View>

      <View id="dispute-filters" className="disputes__filters">
        {FILTERS.map((f) => (
          <View key={f} id={`dispute-filter-${f}`} className={`disputes__filter ${filter === f ? 'is-active' : ''}`} onClick={() => setFilter(f)}>
            <Text className="disputes__filter-count">{counts && f !== 'all' && f !== 'failed' && f !== 'closed' ? counts[f] : '·'}</Text>
            <Text className="disputes__filter-label">{label(f)}</Text>
          </View>
        ))}
      </View>

      <View id="dispute-queue-list">
        {list.items.map((d) => (
          <DisputeRow key={d.id} dispute={d} staff />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="dispute-queue-empty" className="card empty-card muted">
          {me && !hasDisputeQueue(me) ? '您登记的纠纷在“我的”里查看' : '这里没有案件'}
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}

export default restricted(DisputeQueue, isRegistrar);
