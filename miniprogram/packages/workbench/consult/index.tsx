import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { CONSULTATION_STATUS_LABELS, mayReviewConsultations, type ConsultationStatus } from '@linli/shared';
import { ConsultRow } from '../../../components/ConsultRow';
import { ListFooter } from '../../../components/ListFooter';
import { restricted } from '../../../components/Restricted';
import { useCursorList } from '../../../hooks/useCursorList';
import { ensureSession } from '../../../services/auth';
import { listConsultations, type ConsultationListItem, type ConsultationPage } from '../../../services/consultations';
import './index.scss';

type Filter = ConsultationStatus | 'all';

const FILTER_STATUSES: ConsultationStatus[] = ['in_review', 'discussing', 'decided', 'implementing'];
const FILTERS: Array<{ key: Filter; label: string }> = [
  ...FILTER_STATUSES.map((key) => ({ key, label: CONSULTATION_STATUS_LABELS[key] })),
  { key: 'all', label: '全部' },
];

const EMPTY_TEXT: Record<Filter, string> = {
  in_review: '没有待审议的议题',
  discussing: '没有正在表决的议题',
  decided: '没有待落实的表决结果',
  implementing: '没有落实中的议题',
  all: '您的社区还没有议题',
  proposed: '',
  withdrawn: '',
  rejected: '',
  completed: '',
};

/** 议事审核: the secretary's consultations, by phase; each opens the detail page with the secretary's actions. */
function ConsultReview() {
  const [filter, setFilter] = useState<Filter>('in_review');
  const fetchPage = useCallback(
    (cursor: string | null) => listConsultations({ scope: 'queue', status: filter === 'all' ? undefined : filter, cursor: cursor ?? undefined }),
    [filter],
  );
  const list = useCursorList<ConsultationListItem, ConsultationPage>(fetchPage);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await list.refresh();
  }, [list.refresh]);

  const firstShow = useRef(true);
  useEffect(() => {
    void reload();
  }, [reload]);
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false;
      return;
    }
    void reload();
  });
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  return (
    <View id="consult-review-page" className="page consult-review">
      <View id="consult-review-filters" className="consult-review__filters">
        {FILTERS.map((item) => (
          <View
            key={item.key}
            id={`consult-filter-${item.key}`}
            className={`consult-review__filter ${filter === item.key ? 'is-active' : ''}`}
            onClick={() => setFilter(item.key)}
          >
            <Text>{item.label}</Text>
          </View>
        ))}
      </View>
      <View id="consult-review-list">
        {list.items.map((item) => (
          <ConsultRow key={item.id} item={item} />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="consult-review-empty" className="card empty-card muted">
          {EMPTY_TEXT[filter]}
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}

export default restricted(ConsultReview, mayReviewConsultations);
