import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text, ScrollView } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import {
  isStaff,
  mayAwardPoints,
  mayFileOnBehalf,
  mayKeepLedger,
  mayMakeBuildingCodes,
  mayManageCannedReplies,
  mayManageCategories,
  mayManageGrids,
  mayManageOpen311Keys,
  mayManageRewards,
  mayManageStaff,
  mayVerifyMemberships,
  mayReadDashboard,
  mayReadGridMap,
  mayRegisterDisputes,
  mayReviewConsultations,
  mayReviewContent,
  mayRunTimebank,
  mayPostAnnouncements,
  QUEUE_SORTS,
  QUEUE_SORT_LABELS,
  ROLE_LABELS,
  type Me,
  type ReportCategory,
  type ReportQueueCounts,
  type ReportSummary,
} from '@linli/shared';
import { ListFooter } from '../../components/ListFooter';
import { ReportRow } from '../../components/ReportRow';
import { restricted } from '../../components/Restricted';
import { useCursorList } from '../../hooks/useCursorList';
import { useMe } from '../../hooks/useMe';
import { CONSULT_REVIEW_PAGE } from '../../services/consultations';
import { MAP_PAGE } from '../../services/map-links';
import { listModerationCases, MODERATION_PAGE } from '../../services/moderation';
import { listMemberships, MEMBERSHIP_QUEUE_PAGE } from '../../services/residents';
import { POINTS_ADMIN_PAGE, REWARDS_ADMIN_PAGE } from '../../services/points';
import { TIMEBANK_ADMIN_PAGE } from '../../services/timebank';
import { DISPUTE_QUEUE_PAGE } from '../../services/disputes';
import { NOTICES_PAGE } from '../../services/notices';
import { CANNED_REPLIES_PAGE, FILE_ON_BEHALF_PAGE, listCategories, listReports, type ReportPage } from '../../services/reports';
import './index.scss';

/** `all` is every open report (the tile's count is theirs); `done`, the finished ones, sits behind its own filter. */
type Filter = 'all' | keyof ReportQueueCounts | 'done';
export const QUEUE_FILTERS: Filter[] = ['all', 'submitted', 'accepted', 'dispatched', 'in_progress', 'resolved', 'dueSoon', 'overdue', 'done'];

const FILTERS: Array<{ key: Filter; label: string }> = [
  { key: 'all', label: '全部待办' },
  { key: 'submitted', label: '待受理' },
  { key: 'accepted', label: '已受理' },
  { key: 'dispatched', label: '已分流' },
  { key: 'in_progress', label: '处理中' },
  { key: 'resolved', label: '待评价' },
  { key: 'dueSoon', label: '即将超期' },
  { key: 'overdue', label: '已超期' },
  { key: 'done', label: '已办结' },
];

type Sort = (typeof QUEUE_SORTS)[number] | 'newest';
const SORTS: Array<{ key: Sort; label: string }> = [{ key: 'newest', label: '最新' }, ...QUEUE_SORTS.map((key) => ({ key, label: QUEUE_SORT_LABELS[key] }))];

/** What a filter asks of `GET /reports`. */
function filterQuery(filter: Filter) {
  if (filter === 'overdue') return { overdue: true };
  if (filter === 'dueSoon') return { dueSoon: true };
  return { status: filter === 'all' ? ('open' as const) : filter };
}

interface Entry {
  id: string;
  title: string;
  text: string;
  url: string;
  may: (me: Me) => boolean;
}

/**
 * The workbench's entries, each shown to those its capability names (the URLs are spelt out here so
 * the workbench does not pull in the other sub-packages' code).
 */
const ENTRIES: Entry[] = [
  { id: 'workbench-memberships', title: '住户核验', text: '入户申请、台账比对', url: MEMBERSHIP_QUEUE_PAGE, may: (me) => mayVerifyMemberships(me.roles) },
  { id: 'workbench-moderation', title: '内容审核', text: '命中敏感词的说事、议题、评论', url: MODERATION_PAGE, may: mayReviewContent },
  { id: 'workbench-dashboard', title: '数据看板', text: '结案率、满意度、导出', url: '/packages/dashboard/index', may: mayReadDashboard },
  { id: 'workbench-codes', title: '一楼一码', text: '楼栋码、扫码绑定', url: '/packages/dashboard/codes/index', may: mayMakeBuildingCodes },
  { id: 'workbench-ledger', title: '住户台账', text: '导入、导出、逐户修改', url: '/packages/dashboard/ledger/index', may: mayKeepLedger },
  { id: 'workbench-disputes', title: '矛盾纠纷调处', text: '受理、指派、调解、登记来访', url: DISPUTE_QUEUE_PAGE, may: mayRegisterDisputes },
  { id: 'workbench-canned', title: '常用语', text: '办结、不予受理、回访用语', url: CANNED_REPLIES_PAGE, may: mayManageCannedReplies },
  { id: 'workbench-consult', title: '议事审核', text: '审议、表决、落实', url: CONSULT_REVIEW_PAGE, may: mayReviewConsultations },
  { id: 'workbench-points', title: '文明积分', text: '好人好事、兑换核销', url: POINTS_ADMIN_PAGE, may: mayAwardPoints },
  { id: 'workbench-rewards', title: '商城奖品', text: '上架、积分、库存', url: REWARDS_ADMIN_PAGE, may: mayManageRewards },
  { id: 'workbench-timebank', title: '时间银行', text: '任务、到场、志愿者', url: TIMEBANK_ADMIN_PAGE, may: mayRunTimebank },
  { id: 'workbench-notices', title: '社区公告', text: '发布通知、已读户数', url: NOTICES_PAGE, may: mayPostAnnouncements },
  { id: 'workbench-admin-grids', title: '网格管理', text: '网格树、改名、导入', url: '/packages/admin/grids/index', may: mayManageGrids },
  { id: 'workbench-admin-staff', title: '人员配置', text: '网格员、书记、部门', url: '/packages/admin/staff/index', may: mayManageStaff },
  { id: 'workbench-admin-categories', title: '类别与时限', text: '说事类别、办结时限', url: '/packages/admin/categories/index', may: mayManageCategories },
  { id: 'workbench-admin-keys', title: '开放接口密钥', text: 'Open311 对接', url: '/packages/admin/keys/index', may: mayManageOpen311Keys },
];

const OPEN_KEYS = ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved'] as const;

/** Staff workbench (网格员、社区书记、职能部门、管理员): the caller's queue and the entries of their roles. A sub-package: residents never download it. */
function Workbench() {
  const { me } = useMe();
  const { params } = useRouter();
  // The home's to-do tiles open the queue on their filter.
  const [filter, setFilter] = useState<Filter>(() => (QUEUE_FILTERS.includes(params.filter as Filter) ? (params.filter as Filter) : 'all'));
  const [sort, setSort] = useState<Sort>('newest');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [categoryCode, setCategoryCode] = useState<string | null>(null);
  const [categories, setCategories] = useState<ReportCategory[]>([]);
  const [counts, setCounts] = useState<ReportQueueCounts | null>(null);
  const [heldCount, setHeldCount] = useState(0);
  const [pendingMembers, setPendingMembers] = useState(0);
  const verifier = !!me && mayVerifyMemberships(me.roles);
  const reviewer = mayReviewContent(me);
  const entries = me ? ENTRIES.filter((entry) => entry.may(me)) : [];

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const page = await listReports({
        scope: 'queue',
        ...filterQuery(filter),
        categoryCode: categoryCode ?? undefined,
        q: q || undefined,
        sort: sort === 'newest' ? undefined : sort,
        cursor: cursor ?? undefined,
      });
      if (page.counts) setCounts(page.counts);
      return page;
    },
    [filter, categoryCode, q, sort],
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

  // 住户核验's badge: the requests waiting in scope (one row fetched, the count rides along).
  const loadPendingMembers = useCallback(() => {
    if (!verifier) return;
    listMemberships({ status: 'pending', limit: 1 }, { silent: true })
      .then((page) => setPendingMembers(page.counts.pending))
      .catch(() => undefined);
  }, [verifier]);
  useEffect(loadPendingMembers, [loadPendingMembers]);

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
    loadPendingMembers();
  });
  usePullDownRefresh(() => {
    loadHeld();
    loadPendingMembers();
    void list.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const staffRoles = (me?.roles ?? []).filter((role) => role !== 'resident');

  return (
    <View id="workbench-page" className="page desk-page workbench">
      <View className="workbench__head">
        <View className="workbench__who">
          <Text className="workbench__name">{me?.nickname ?? ''}</Text>
          <Text className="workbench__roles">{staffRoles.map((role) => ROLE_LABELS[role]).join(' · ')}</Text>
        </View>
        {mayReadGridMap(me) ? (
          <Button id="workbench-map" size="small" className="workbench__file" style={{ marginRight: '8px' }} onClick={() => void Taro.navigateTo({ url: MAP_PAGE })}>
            网格地图
          </Button>
        ) : null}
        {mayFileOnBehalf(me) ? (
          <Button id="workbench-file" size="small" className="workbench__file" onClick={() => void Taro.navigateTo({ url: FILE_ON_BEHALF_PAGE })}>
            代居民登记
          </Button>
        ) : null}
      </View>

      {entries.length > 0 ? (
        <View className="workbench__entries">
          {entries.map((entry) => (
            <View key={entry.id} id={entry.id} className="card workbench__entry" onClick={() => void Taro.navigateTo({ url: entry.url })}>
              <View className="workbench__entry-main">
                <Text className="workbench__entry-title">{entry.title}</Text>
                <Text className="muted">{entry.text}</Text>
              </View>
              {entry.url === MEMBERSHIP_QUEUE_PAGE && pendingMembers > 0 ? (
                <Text id="workbench-memberships-pending" className="workbench__badge">
                  {pendingMembers > 99 ? '99+' : pendingMembers}
                </Text>
              ) : null}
              {entry.url === MODERATION_PAGE && heldCount > 0 ? (
                <Text id="workbench-moderation-held" className="workbench__badge">
                  {heldCount > 99 ? '99+' : heldCount}
                </Text>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}

      {entries.length > 0 ? <View className="workbench__section muted">说事办理</View> : null}
      <View className="workbench__search">
        <View id="queue-search" className="workbench__search-input">
          <Input placeholder="编号、内容、地址、居民姓名或手机尾号" value={typed} maxLength={50} onChange={setTyped} onConfirm={() => setQ(typed.trim())} />
        </View>
        <Button id="queue-search-go" size="small" type="primary" onClick={() => setQ(typed.trim())}>
          搜索
        </Button>
        {q ? (
          <Text
            id="queue-search-clear"
            className="workbench__search-clear"
            onClick={() => {
              setTyped('');
              setQ('');
            }}
          >
            清除
          </Text>
        ) : null}
      </View>
      <View id="workbench-filters" className="workbench__filters">
        {FILTERS.map((item) => {
          // 已办结 has no tile count (the counts are of open reports, like the list under 全部待办): an arrow instead.
          const count = item.key === 'done' ? '›' : !counts ? null : item.key === 'all' ? OPEN_KEYS.reduce((sum, key) => sum + counts[key], 0) : counts[item.key];
          return (
            <View
              key={item.key}
              id={`queue-filter-${item.key}`}
              className={`workbench__filter workbench__filter--${item.key} ${filter === item.key ? 'is-active' : ''} ${(item.key === 'overdue' || item.key === 'dueSoon') && count ? 'is-alert' : ''}`}
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

      <View id="queue-sorts" className="workbench__sorts">
        {SORTS.map((item) => (
          <Text key={item.key} id={`queue-sort-${item.key}`} className={`workbench__sort ${sort === item.key ? 'is-active' : ''}`} onClick={() => setSort(item.key)}>
            {item.label}
          </Text>
        ))}
      </View>

      <View id="queue-list">
        {list.items.map((report) => (
          <ReportRow key={report.id} report={report} staff />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="queue-empty" className="card empty-card muted">
          {q ? `没有找到与“${q}”有关的说事` : filter === 'done' ? '这里还没有办结的说事' : '这里没有待办的说事'}
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}

export default restricted(Workbench, isStaff);
