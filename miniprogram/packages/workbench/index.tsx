import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text, ScrollView } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { ROLE_LABELS, type ReportCategory, type ReportQueueCounts, type ReportSummary } from '@linli/shared';
import { ListFooter } from '../../components/ListFooter';
import { ReportRow } from '../../components/ReportRow';
import { useCursorList } from '../../hooks/useCursorList';
import { useMe } from '../../hooks/useMe';
import { CONSULT_REVIEW_PAGE } from '../../services/consultations';
import { listModerationCases, MODERATION_PAGE } from '../../services/moderation';
import { POINTS_ADMIN_PAGE, REWARDS_ADMIN_PAGE } from '../../services/points';
import { TIMEBANK_ADMIN_PAGE } from '../../services/timebank';
import { FILE_ON_BEHALF_PAGE, listCategories, listReports, type ReportPage } from '../../services/reports';
import './index.scss';

type Filter = 'all' | keyof ReportQueueCounts;

const FILTERS: Array<{ key: Filter; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'submitted', label: '待受理' },
  { key: 'accepted', label: '已受理' },
  { key: 'dispatched', label: '已分流' },
  { key: 'in_progress', label: '处理中' },
  { key: 'resolved', label: '待评价' },
  { key: 'overdue', label: '超期' },
];

const SECRETARY_ENTRIES = [
  { id: 'workbench-consult', title: '议事审核', text: '审议、表决、落实', url: CONSULT_REVIEW_PAGE },
  { id: 'workbench-points', title: '文明积分', text: '好人好事、兑换核销', url: POINTS_ADMIN_PAGE },
  { id: 'workbench-rewards', title: '商城奖品', text: '上架、积分、库存', url: REWARDS_ADMIN_PAGE },
  { id: 'workbench-timebank', title: '时间银行', text: '任务、到场、志愿者', url: TIMEBANK_ADMIN_PAGE },
];

/** For secretaries and admins (the URLs are spelt out here so the workbench does not pull in the dashboard's code). */
const DASHBOARD_ENTRIES = [
  { id: 'workbench-moderation', title: '内容审核', text: '命中敏感词的说事、议题、评论', url: MODERATION_PAGE, wide: true },
  { id: 'workbench-dashboard', title: '数据看板', text: '办结率、满意度、导出', url: '/packages/dashboard/index' },
  { id: 'workbench-codes', title: '一楼一码', text: '楼栋码、扫码绑定', url: '/packages/dashboard/codes/index' },
  { id: 'workbench-ledger', title: '住户台账', text: '导入、导出、逐户修改', url: '/packages/dashboard/ledger/index' },
];

/** For admins: the admin sub-package. */
const ADMIN_ENTRIES = [
  { id: 'workbench-admin-grids', title: '网格管理', text: '网格树、改名、导入', url: '/packages/admin/grids/index' },
  { id: 'workbench-admin-staff', title: '人员配置', text: '网格员、书记、部门', url: '/packages/admin/staff/index' },
  { id: 'workbench-admin-categories', title: '类别与时限', text: '说事类别、办结时限', url: '/packages/admin/categories/index' },
  { id: 'workbench-admin-keys', title: '开放接口密钥', text: 'Open311 对接', url: '/packages/admin/keys/index' },
];

const OPEN_KEYS = ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved'] as const;

/** Staff workbench (网格员、社区书记、职能部门): the caller's queue. A sub-package: residents never download it. */
export default function Workbench() {
  const { me } = useMe();
  const [filter, setFilter] = useState<Filter>('all');
  const [categoryCode, setCategoryCode] = useState<string | null>(null);
  const [categories, setCategories] = useState<ReportCategory[]>([]);
  const [counts, setCounts] = useState<ReportQueueCounts | null>(null);
  const [heldCount, setHeldCount] = useState(0);
  const reviewer = !!me && (me.roles.includes('secretary') || me.roles.includes('admin'));

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const page = await listReports({
        scope: 'queue',
        status: filter === 'all' || filter === 'overdue' ? undefined : filter,
        overdue: filter === 'overdue' ? true : undefined,
        categoryCode: categoryCode ?? undefined,
        cursor: cursor ?? undefined,
      });
      if (page.counts) setCounts(page.counts);
      return page;
    },
    [filter, categoryCode],
  );
  const list = useCursorList<ReportSummary, ReportPage>(fetchPage);

  useEffect(() => {
    listCategories().then(setCategories).catch(() => undefined);
  }, []);

  // 内容审核's badge: how many held cases wait (one row fetched, the count rides along).
  const loadHeld = useCallback(() => {
    if (!reviewer) return;
    listModerationCases({ status: 'held', limit: 1 }, { silent: true })
      .then((page) => setHeldCount(page.counts.held))
      .catch(() => undefined);
  }, [reviewer]);
  useEffect(loadHeld, [loadHeld]);

  // Refetch when a filter changes, and each time the page shows again (back from a report).
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
    loadHeld();
  });
  usePullDownRefresh(() => {
    loadHeld();
    void list.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const staffRoles = (me?.roles ?? []).filter((role) => role !== 'resident');

  return (
    <View id="workbench-page" className="page workbench">
      <View className="workbench__head">
        <View className="workbench__who">
          <Text className="workbench__name">{me?.nickname ?? ''}</Text>
          <Text className="workbench__roles">{staffRoles.map((role) => ROLE_LABELS[role]).join(' · ')}</Text>
        </View>
        <Button id="workbench-file" size="small" className="workbench__file" onClick={() => void Taro.navigateTo({ url: FILE_ON_BEHALF_PAGE })}>
          代居民登记
        </Button>
      </View>

      {me?.roles.includes('secretary') || me?.roles.includes('admin') ? (
        <View className="workbench__entries">
          {[...DASHBOARD_ENTRIES, ...(me.roles.includes('secretary') ? SECRETARY_ENTRIES : []), ...(me.roles.includes('admin') ? ADMIN_ENTRIES : [])].map((entry) => (
            <View key={entry.id} id={entry.id} className={`card workbench__entry ${'wide' in entry ? 'workbench__entry--wide' : ''}`} onClick={() => void Taro.navigateTo({ url: entry.url })}>
              <View className="workbench__entry-main">
                <Text className="workbench__entry-title">{entry.title}</Text>
                <Text className="muted">{entry.text}</Text>
              </View>
              {entry.url === MODERATION_PAGE && heldCount > 0 ? (
                <Text id="workbench-moderation-held" className="workbench__badge">
                  {heldCount > 99 ? '99+' : heldCount}
                </Text>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}

      {me?.roles.includes('secretary') ? <View className="workbench__section muted">说事办理</View> : null}
      <View id="workbench-filters" className="workbench__filters">
        {FILTERS.map((item) => {
          const count = !counts ? null : item.key === 'all' ? OPEN_KEYS.reduce((sum, key) => sum + counts[key], 0) : counts[item.key];
          return (
            <View
              key={item.key}
              id={`queue-filter-${item.key}`}
              className={`workbench__filter workbench__filter--${item.key} ${filter === item.key ? 'is-active' : ''} ${item.key === 'overdue' && count ? 'is-alert' : ''}`}
              onClick={() => setFilter(item.key)}
            >
              <Text className="workbench__filter-count">{count ?? '·'}</Text>
              <Text className="workbench__filter-label">{item.label}</Text>
            </View>
          );
        })}
      </View>

      {categories.length > 0 ? (
        <ScrollView scrollX className="workbench__categories" enhanced showScrollbar={false}>
          {[{ code: null as string | null, name: '全部类别' }, ...categories].map((category) => (
            <View
              key={category.code ?? 'all'}
              id={`queue-category-${category.code ?? 'all'}`}
              className={`workbench__category ${categoryCode === category.code ? 'is-active' : ''}`}
              onClick={() => setCategoryCode(category.code)}
            >
              {category.name}
            </View>
          ))}
        </ScrollView>
      ) : null}

      <View id="queue-list">
        {list.items.map((report) => (
          <ReportRow key={report.id} report={report} staff />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="queue-empty" className="card empty-card muted">
          这里没有待办的说事
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
