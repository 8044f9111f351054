import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import {
  capabilityNodeIds,
  GRID_LEVEL_LABELS,
  HANDLING_METHOD_LABELS,
  INTAKE_CHANNEL_LABELS,
  keepPeriodInBounds,
  mayMakeBuildingCodes,
  mayReadDashboard,
  type GridTreeNode,
  type StatsBreakdownRow,
  type StatsOverview,
} from '@linli/shared';
import { Choices } from '../../components/Choices';
import { LoadFailed } from '../../components/LoadFailed';
import { restricted } from '../../components/Restricted';
import { Tabs } from '../../components/Tabs';
import { useMe } from '../../hooks/useMe';
import { getGridTree } from '../../services/grids';
import {
  BUILDING_CODES_PAGE,
  decimal,
  exportReportsXlsx,
  getOverview,
  percent,
  periodOf,
  type Period,
  type PeriodKey,
} from '../../services/stats';
import { BarList, DailyChart, type BarRow } from './Charts';
import './index.scss';
import { KpiTiles, type KpiTile } from './KpiTiles';

const PERIODS: Array<{ key: PeriodKey; label: string }> = [
  { key: 'this_month', label: '本月' },
  { key: 'last_month', label: '上月' },
  { key: 'last_30', label: '近30天' },
  { key: 'custom', label: '自定义' },
];

type Facet = 'category' | 'channel' | 'method';

interface TreeIndex {
  byId: Map<number, GridTreeNode>;
  parentOf: Map<number, number | null>;
}

function indexTree(tree: GridTreeNode[]): TreeIndex {
  const byId = new Map<number, GridTreeNode>();
  const parentOf = new Map<number, number | null>();
  const walk = (nodes: GridTreeNode[], parent: number | null) => {
    for (const node of nodes) {
      byId.set(node.id, node);
      parentOf.set(node.id, parent);
      walk(node.children ?? [], node.id);
    }
  };
  walk(tree, null);
  return { byId, parentOf };
}

function breakdownRows(rows: StatsBreakdownRow[], label: (row: StatsBreakdownRow) => string): BarRow[] {
  return rows
    .filter((row) => row.received > 0)
    .sort((a, b) => b.received - a.received)
    .map((row) => ({ key: row.key, label: label(row), value: row.received, note: `办结 ${row.closed} · 办结率 ${percent(row.completionRate)}` }));
}

/** 数据看板 for a grid worker, secretary or admin: the figures of a node they hold and its children, for a period. */
function Dashboard() {
  const { me } = useMe();
  const [tree, setTree] = useState<TreeIndex | null>(null);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [periodKey, setPeriodKey] = useState<PeriodKey>('this_month');
  const [custom, setCustom] = useState<Period>(() => periodOf('this_month'));
  const [overview, setOverview] = useState<StatsOverview | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [facet, setFacet] = useState<Facet>('category');
  const [exporting, setExporting] = useState(false);
  const generation = useRef(0);

  const rootIds = useMemo(() => (me ? capabilityNodeIds(me, 'readDashboard') : []), [me]);
  const period = periodKey === 'custom' ? custom : periodOf(periodKey);

  useEffect(() => {
    getGridTree()
      .then((nodes) => setTree(indexTree(nodes)))
      .catch(() => undefined);
  }, []);

  // Start at the widest node held.
  useEffect(() => {
    if (nodeId === null && rootIds.length > 0) setNodeId(rootIds[0]);
  }, [rootIds, nodeId]);

  const load = useCallback(async () => {
    if (nodeId === null) return;
    const current = ++generation.current;
    setLoading(true);
    setFailed(false);
    try {
      const result = await getOverview({ nodeId, from: period.from, to: period.to });
      if (current === generation.current) setOverview(result);
    } catch {
      if (current === generation.current) setFailed(true);
    } finally {
      if (current === generation.current) setLoading(false);
    }
  }, [nodeId, period.from, period.to]);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  /** From the held node down to the current one. */
  const trail = useMemo(() => {
    if (!tree || nodeId === null) return [];
    const path: GridTreeNode[] = [];
    let id: number | null | undefined = nodeId;
    while (id !== null && id !== undefined) {
      const node = tree.byId.get(id);
      if (!node) break;
      path.unshift(node);
      if (rootIds.includes(id)) break;
      id = tree.parentOf.get(id);
    }
    return path;
  }, [tree, nodeId, rootIds]);

  const exportXlsx = async () => {
    if (exporting || nodeId === null) return;
    setExporting(true);
    try {
      await exportReportsXlsx({ nodeId, from: period.from, to: period.to }, `说事台账_${period.from}至${period.to}.xlsx`);
      if (process.env.TARO_ENV === 'h5') void Taro.showToast({ title: '已开始下载', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setExporting(false);
    }
  };

  const o = overview;
  const tiles: KpiTile[] = o
    ? [
        { id: 'kpi-received', label: '受理', value: String(o.received), unit: '件', note: `不予受理 ${o.rejected} · 合并 ${o.merged}` },
        // As county grid assessments compute them (server/src/stats/kpi.ts): over 应结案 − 缓办.
        { id: 'kpi-completion', label: '结案率', value: percent(o.completionRate), unit: '', note: `结案 ${o.closed} ÷ (应结案 ${o.received - o.rejected - o.merged} − 缓办 ${o.deferred})` },
        { id: 'kpi-ontime', label: '按期结案率', value: percent(o.onTimeRate), unit: '', note: '时限内办结，同一基数' },
        { id: 'kpi-extended', label: '延期', value: String(o.extended), unit: '件', note: `缓办中 ${o.deferred} 件，不计入基数` },
        {
          id: 'kpi-satisfaction',
          label: '满意度',
          value: decimal(o.satisfaction.average, 2),
          unit: o.satisfaction.average === null ? '' : '分',
          note: `好评率 ${percent(o.satisfaction.satisfiedRate)} · ${o.satisfaction.rated} 人评价`,
        },
        {
          id: 'kpi-hours',
          label: '平均办理时长',
          // Under an hour reads better in minutes.
          value: o.avgHandleHours !== null && o.avgHandleHours < 1 ? String(Math.round(o.avgHandleHours * 60)) : decimal(o.avgHandleHours),
          unit: o.avgHandleHours === null ? '' : o.avgHandleHours < 1 ? '分钟' : '小时',
          note: '提交到办结',
        },
        { id: 'kpi-overdue', label: '当前超期', value: String(o.overdue), unit: '件', note: '未办结且已过时限', alert: o.overdue > 0 },
      ]
    : [];

  const facetRows: BarRow[] = !o
    ? []
    : facet === 'category'
      ? breakdownRows(o.byCategory, (row) => row.label)
      : facet === 'channel'
        ? breakdownRows(o.byChannel, (row) => INTAKE_CHANNEL_LABELS[row.key as keyof typeof INTAKE_CHANNEL_LABELS] ?? row.label)
        : breakdownRows(o.byHandlingMethod, (row) => HANDLING_METHOD_LABELS[row.key as keyof typeof HANDLING_METHOD_LABELS] ?? (row.key === 'none' ? '未受理' : row.label));

  const current = trail[trail.length - 1];
  const children = current?.children ?? [];

  return (
    <View id="dashboard-page" className="page desk-page dashboard">
      <View className="dashboard__head">
        <View className="dashboard__title">
          <Text id="dashboard-node-name" className="dashboard__node">
            {o?.node.name ?? current?.name ?? ''}
          </Text>
          <Text className="dashboard__period">
            {period.from} 至 {period.to}
            {loading ? ' · 更新中…' : ''}
          </Text>
        </View>
        <View className="dashboard__head-actions">
          <View id="dashboard-export" className={`dashboard__head-btn ${!o || exporting ? 'is-disabled' : ''}`} onClick={() => void exportXlsx()}>
            {exporting ? '导出中…' : '导出 Excel'}
          </View>
          {mayMakeBuildingCodes(me) ? (
            <View id="dashboard-codes" className="dashboard__head-btn" onClick={() => void Taro.navigateTo({ url: `${BUILDING_CODES_PAGE}?nodeId=${nodeId ?? ''}` })}>
              一楼一码
            </View>
          ) : null}
        </View>
      </View>

      <View className="card dashboard__filters">
        {rootIds.length > 1 && tree ? (
          <>
            <View className="muted dashboard__filter-label">管辖范围</View>
            <Choices
              idPrefix="dashboard-root"
              small
              items={rootIds.map((id) => ({ key: id, label: tree.byId.get(id)?.name ?? `网格 ${id}` }))}
              selected={trail[0]?.id ?? null}
              onSelect={setNodeId}
            />
          </>
        ) : null}
        <View id="dashboard-trail" className="dashboard__trail">
          {trail.map((node, index) => (
            <Text
              key={node.id}
              id={`trail-${node.id}`}
              className={`dashboard__crumb ${index === trail.length - 1 ? 'is-current' : ''}`}
              onClick={() => setNodeId(node.id)}
            >
              {index > 0 ? ' › ' : ''}
              {node.name}
            </Text>
          ))}
        </View>
        {children.length > 0 ? (
          <View id="dashboard-children" className="dashboard__children">
            {children.map((child) => (
              <Text key={child.id} id={`child-chip-${child.id}`} className="dashboard__chip" onClick={() => setNodeId(child.id)}>
                {child.name}
              </Text>
            ))}
          </View>
        ) : null}
        <Tabs idPrefix="period" items={PERIODS} active={periodKey} onChange={setPeriodKey} />
        {periodKey === 'custom' ? (
          <View id="period-custom" className="dashboard__custom">
            <Picker mode="date" value={custom.from} end={custom.to} onChange={(e) => setCustom((p) => keepPeriodInBounds({ ...p, from: String(e.detail.value) }, 'from'))}>
              <View id="period-from" className="dashboard__date">{custom.from}</View>
            </Picker>
            <Text className="muted">至</Text>
            <Picker mode="date" value={custom.to} start={custom.from} onChange={(e) => setCustom((p) => keepPeriodInBounds({ ...p, to: String(e.detail.value) }, 'to'))}>
              <View id="period-to" className="dashboard__date">{custom.to}</View>
            </Picker>
          </View>
        ) : null}
      </View>

      {failed && !o ? <LoadFailed onRetry={() => void load()} /> : null}
      {!o && !failed ? <View className="card muted">正在加载…</View> : null}

      {o ? (
        <>
          <KpiTiles id="kpi-tiles" tiles={tiles} />

          <View className="dashboard__charts">
            <View className="card dashboard__chart">
              <Text className="card-title dashboard__card-title">每日受理与办结</Text>
              <DailyChart points={o.daily} />
            </View>
            <View id="breakdown" className="card dashboard__chart">
              <Text className="card-title dashboard__card-title">分类统计</Text>
              <Tabs
                idPrefix="facet"
                items={[
                  { key: 'category', label: '类别' },
                  { key: 'channel', label: '渠道' },
                  { key: 'method', label: '处置方式' },
                ]}
                active={facet}
                onChange={setFacet}
              />
              <BarList idPrefix={`facet-row`} rows={facetRows} empty="本期暂无说事" />
            </View>
          </View>

          <View className="dashboard__lower">
            <View id="child-table" className="card dashboard__table-card">
              <Text className="card-title dashboard__card-title">下级网格</Text>
              {o.byChild.length === 0 ? (
                <View className="muted">没有下级网格</View>
              ) : (
                <View className="dashboard__table">
                  <View className="dashboard__tr dashboard__tr--head">
                    <Text className="dashboard__td dashboard__td--name">{GRID_LEVEL_LABELS[o.byChild[0].level as keyof typeof GRID_LEVEL_LABELS] ?? '网格'}</Text>
                    <Text className="dashboard__td">受理</Text>
                    <Text className="dashboard__td">办结率</Text>
                    <Text className="dashboard__td">满意度</Text>
                    <Text className="dashboard__td">超期</Text>
                  </View>
                  {o.byChild.map((row) => (
                    <View key={row.nodeId} id={`child-row-${row.nodeId}`} className="dashboard__tr dashboard__tr--row" onClick={() => setNodeId(row.nodeId)}>
                      <Text className="dashboard__td dashboard__td--name">{row.name} ›</Text>
                      <Text className="dashboard__td child-received">{row.received}</Text>
                      <Text className="dashboard__td child-completion">{percent(row.completionRate)}</Text>
                      <Text className="dashboard__td">{decimal(row.satisfaction.average, 2)}</Text>
                      <Text className={`dashboard__td ${row.overdue > 0 ? 'is-alert' : ''}`}>{row.overdue}</Text>
                    </View>
                  ))}
                </View>
              )}
            </View>

            <View id="hot-spots" className="card dashboard__table-card">
              <Text className="card-title dashboard__card-title">热点区域</Text>
              {o.hotSpots.nodes.length === 0 ? <View className="muted">本期暂无说事</View> : null}
              {o.hotSpots.nodes.slice(0, 8).map((spot, index) => (
                <View key={spot.nodeId} id={`hot-spot-${spot.nodeId}`} className="dashboard__hot">
                  <Text className={`dashboard__rank ${index < 3 ? 'is-top' : ''}`}>{index + 1}</Text>
                  <View className="dashboard__hot-main">
                    <Text>{spot.name}</Text>
                    <Text className="muted dashboard__hot-path">{spot.path.join(' › ')}</Text>
                  </View>
                  <View className="dashboard__hot-figures">
                    <Text className="dashboard__hot-count">{spot.received}</Text>
                    <Text className="muted">未办结 {spot.open}</Text>
                  </View>
                </View>
              ))}
            </View>

            <View id="engagement" className="card dashboard__table-card">
              <Text className="card-title dashboard__card-title">议事 · 志愿 · 积分</Text>
              <View className="dashboard__side">
                <View id="side-consultations" className="dashboard__side-item">
                  <Text className="muted">议事参与率</Text>
                  <Text className="dashboard__side-value">{percent(o.consultations.participationRate)}</Text>
                  <Text className="muted">
                    表决 {o.consultations.decided} 项 · {o.consultations.votedHouseholds}/{o.consultations.eligibleHouseholds} 户参与
                  </Text>
                </View>
                <View id="side-volunteer" className="dashboard__side-item">
                  <Text className="muted">志愿服务时长</Text>
                  <Text className="dashboard__side-value">{decimal(o.volunteerHours.hours)} 小时</Text>
                  <Text className="muted">确认 {o.volunteerHours.confirmedClaims} 人次</Text>
                </View>
                <View id="side-points" className="dashboard__side-item">
                  <Text className="muted">文明积分发放</Text>
                  <Text className="dashboard__side-value">{o.pointsIssued.points} 分</Text>
                  <Text className="muted">
                    {o.pointsIssued.awards} 笔{o.node.level === 'grid' || o.node.level === 'microgrid' ? '（所在社区合计）' : ''}
                  </Text>
                </View>
              </View>
            </View>
          </View>
        </>
      ) : null}
    </View>
  );
}

export default restricted(Dashboard, mayReadDashboard);
