import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { capabilityNodeIds, mayCoordinateDisputes, type DisputeBreakdownRow, type DisputeStats } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { Tabs } from '../../../components/Tabs';
import { useMe } from '../../../hooks/useMe';
import { exportDisputesXlsx, getDisputeStats } from '../../../services/disputes';
import { restricted } from '../../../components/Restricted';
import { decimal, percent, periodOf, type PeriodKey } from '../../../services/stats';
import { BarList, type BarRow } from '../Charts';
import '../index.scss';
import { KpiTiles, type KpiTile } from '../KpiTiles';

type Fixed = Exclude<PeriodKey, 'custom'>;
const PERIODS: Array<{ key: Fixed; label: string }> = [
  { key: 'this_month', label: '本月' },
  { key: 'last_month', label: '上月' },
  { key: 'last_30', label: '近30天' },
];
type Facet = 'type' | 'source';

const bars = (rows: DisputeBreakdownRow[]): BarRow[] =>
  rows
    .filter((r) => r.received > 0)
    .sort((a, b) => b.received - a.received)
    .map((r) => ({ key: r.key, label: r.label, value: r.received, note: `化解 ${r.resolved} · 化解率 ${percent(r.resolutionRate)}` }));

/**
 * 矛盾纠纷调处统计 for a secretary or admin: the figures of the cases registered in the period under
 * their node (definitions in server/src/stats/kpi.ts), by type, source and mediator, and the .xlsx.
 */
function DisputeDashboard() {
  const { me } = useMe();
  const rootIds = useMemo(() => (me ? capabilityNodeIds(me, 'coordinateDisputes') : []), [me]);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [periodKey, setPeriodKey] = useState<Fixed>('this_month');
  const [facet, setFacet] = useState<Facet>('type');
  const [stats, setStats] = useState<DisputeStats | null>(null);
  const [failed, setFailed] = useState(false);
  const [exporting, setExporting] = useState(false);
  const generation = useRef(0);
  const period = periodOf(periodKey);

  useEffect(() => {
    if (nodeId === null && rootIds.length > 0) setNodeId(rootIds[0]);
  }, [rootIds, nodeId]);

  const load = useCallback(async () => {
    if (nodeId === null) return;
    const current = ++generation.current;
    setFailed(false);
    try {
      const result = await getDisputeStats({ nodeId, from: period.from, to: period.to });
      if (current === generation.current) setStats(result);
    } catch {
      if (current === generation.current) setFailed(true);
    }
  }, [nodeId, period.from, period.to]);
  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const exportXlsx = async () => {
    if (exporting || nodeId === null) return;
    setExporting(true);
    try {
      await exportDisputesXlsx({ nodeId, from: period.from, to: period.to }, `矛盾纠纷调处_${period.from}至${period.to}.xlsx`);
      if (process.env.TARO_ENV === 'h5') void Taro.showToast({ title: '已开始下载', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setExporting(false);
    }
  };

  const s = stats;
  const tiles: KpiTile[] = s
    ? [
        { id: 'dispute-kpi-received', label: '受理登记', value: String(s.received), unit: '件', note: `受理调解 ${s.accepted} · 不予受理 ${s.declined}` },
        { id: 'dispute-kpi-success', label: '调解成功率', value: percent(s.successRate), unit: '', note: `达成协议 ${s.agreed} · 调解不成 ${s.failed}` },
        { id: 'dispute-kpi-resolution', label: '化解率', value: percent(s.resolutionRate), unit: '', note: `化解 ${s.resolved} 件（含速裁 ${s.ruled}）` },
        { id: 'dispute-kpi-days', label: '平均调解天数', value: decimal(s.avgDays), unit: s.avgDays === null ? '' : '天', note: '受理到达成协议或终结' },
        { id: 'dispute-kpi-confirmation', label: '司法确认', value: String(s.confirmations.confirmed), unit: '件', note: `申请中 ${s.confirmations.applied} · 不予确认 ${s.confirmations.rejected}` },
        { id: 'dispute-kpi-overdue', label: '当前超期', value: String(s.overdue), unit: '件', note: '调解中且已过期限', alert: s.overdue > 0 },
      ]
    : [];

  return (
    <View id="dispute-dashboard-page" className="page dashboard">
      <View className="dashboard__head">
        <View className="dashboard__title">
          <Text id="dispute-dashboard-node" className="dashboard__node">
            {s ? `${s.node.name} · 矛盾纠纷调处` : '矛盾纠纷调处'}
          </Text>
          <Text className="dashboard__period">
            {period.from} 至 {period.to}
          </Text>
        </View>
        <View className="dashboard__head-actions">
          <View id="dispute-dashboard-export" className={`dashboard__head-btn ${!s || exporting ? 'is-disabled' : ''}`} onClick={() => void exportXlsx()}>
            {exporting ? '导出中…' : '导出 Excel'}
          </View>
        </View>
      </View>

      <View className="card dashboard__filters">
        <Tabs idPrefix="dispute-period" items={PERIODS} active={periodKey} onChange={setPeriodKey} />
      </View>

      {failed && !s ? <LoadFailed onRetry={() => void load()} /> : null}
      {!s && !failed ? <View className="card muted">正在加载…</View> : null}

      {s ? (
        <>
          <KpiTiles id="dispute-kpi-tiles" tiles={tiles} />

          <View className="dashboard__charts">
            <View id="dispute-breakdown" className="card dashboard__chart">
              <Text className="card-title dashboard__card-title">分类统计</Text>
              <Tabs
                idPrefix="dispute-facet"
                items={[
                  { key: 'type', label: '纠纷类型' },
                  { key: 'source', label: '来源' },
                ]}
                active={facet}
                onChange={setFacet}
              />
              <BarList idPrefix="dispute-facet-row" rows={bars(facet === 'type' ? s.byType : s.bySource)} empty="本期暂无纠纷" />
            </View>

            <View id="dispute-mediators" className="card dashboard__table-card">
              <Text className="card-title dashboard__card-title">调解员</Text>
              {s.byMediator.length === 0 ? (
                <View className="muted">本期暂无受理的案件</View>
              ) : (
                <View className="dashboard__table">
                  <View className="dashboard__tr dashboard__tr--head">
                    <Text className="dashboard__td dashboard__td--name">调解员</Text>
                    <Text className="dashboard__td">受理</Text>
                    <Text className="dashboard__td">成功率</Text>
                    <Text className="dashboard__td">化解</Text>
                    <Text className="dashboard__td">天数</Text>
                  </View>
                  {s.byMediator.map((row) => (
                    <View key={row.key} id={`dispute-mediator-row-${row.key}`} className="dashboard__tr dashboard__tr--row">
                      <Text className="dashboard__td dashboard__td--name">{row.label}</Text>
                      <Text className="dashboard__td">{row.accepted}</Text>
                      <Text className="dashboard__td">{percent(row.successRate)}</Text>
                      <Text className="dashboard__td">{row.resolved}</Text>
                      <Text className="dashboard__td">{decimal(row.avgDays)}</Text>
                    </View>
                  ))}
                </View>
              )}
            </View>
          </View>
          <View className="muted dashboard__foot">
            统计口径：本期登记的案件按现在的进展计。调解成功率 = 达成协议 ÷（达成协议 + 调解不成）；化解率 =（达成协议且未违约 + 速裁判决）÷ 受理登记，已履行的协议只计一次。
          </View>
        </>
      ) : null}
    </View>
  );
}

export default restricted(DisputeDashboard, mayCoordinateDisputes);
