import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Picker, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { GRID_LEVEL_LABELS, keepPeriodInBounds, type GridMap, type ReportCluster, type ReportPoints } from '@linli/shared';
import { Choices } from '../../components/Choices';
import { DeskPage } from '../../components/DeskPage';
import { LoadFailed } from '../../components/LoadFailed';
import { getGridMap, getReportPoints, locate } from '../../services/map';
import { reportDetailUrl } from '../../services/reports';
import type { EChartsType } from './echarts';
import { Legend } from './Legend';
import { MapCanvas } from './MapCanvas';
import { AREA_LABEL, bandsFor, geoComponent, gridAreas, OUTLINE, pointLegend, pointSeries, registerAreas, type Region } from './map-option';
import { PERIODS, periodRange, type PeriodChoice } from './periods';
import './index.scss';

type StatusChoice = 'all' | 'open' | 'overdue';
const STATUS_CHOICES: { key: StatusChoice; label: string }[] = [
  { key: 'all', label: '全部说事' },
  { key: 'open', label: '待办' },
  { key: 'overdue', label: '超期' },
];

/**
 * 一图 for staff: the children of a node drawn from their boundaries and coloured by the reports waiting
 * there (with the numbers written on them and in the list), the period's reports as points coloured by
 * status (overdue ringed), or counted in clusters past the server's limit. Tap a grid to go down, the
 * path to go back up, a point to open its report.
 */
export default function GridMapPage() {
  const router = useRouter();
  const [nodeId, setNodeId] = useState<number | undefined>(router.params.nodeId ? Number(router.params.nodeId) : undefined);
  const [map, setMap] = useState<GridMap | null>(null);
  const [points, setPoints] = useState<ReportPoints | null>(null);
  // The node is above the caller's scope: its drawing shows, its reports do not.
  const [pointsHidden, setPointsHidden] = useState(false);
  const [period, setPeriod] = useState<PeriodChoice>('last_30');
  const [custom, setCustom] = useState(() => periodRange('last_30'));
  const [status, setStatus] = useState<StatusChoice>('all');
  const [failed, setFailed] = useState(false);

  const load = useCallback(() => {
    setFailed(false);
    const { from, to } = period === 'custom' ? custom : periodRange(period);
    let stale = false;
    // Side by side: the drawing comes first (cached by the server), the points when they are counted.
    // Without a node both default to the caller's widest scope.
    getGridMap(nodeId)
      .then((drawn) => !stale && setMap(drawn))
      .catch(() => !stale && setFailed(true));
    getReportPoints({ nodeId, from, to, status: status === 'all' ? undefined : status })
      .then((found) => {
        if (stale) return;
        setPoints(found);
        setPointsHidden(found === null);
      })
      .catch(() => !stale && setFailed(true));
    return () => {
      stale = true;
    };
  }, [nodeId, period, custom, status]);
  useEffect(load, [load]);

  const drill = useCallback((id: number) => {
    setPoints(null);
    setNodeId(id);
  }, []);

  // The chart's handlers are set once; they read the current map through this.
  const current = useRef<GridMap | null>(null);
  current.current = map;

  const openCluster = useCallback(
    async (cluster: ReportCluster) => {
      const here = current.current;
      if (!here) return;
      // The child of this node the cluster lies in (the server knows the outlines exactly).
      const found = await locate(cluster.lat, cluster.lng).catch(() => null);
      const child = found?.path.find((p) => here.features.some((f) => f.properties.id === p.id && f.properties.hasChildren));
      if (child) drill(child.id);
      else void Taro.showToast({ title: '请缩短时间范围查看每一条', icon: 'none' });
    },
    [drill],
  );

  const onReady = useCallback(
    (chart: EChartsType) => {
      chart.on('click', (params: { componentType?: string; seriesId?: string; name?: string; data?: unknown }) => {
        const here = current.current;
        if (params.componentType === 'geo' && here && params.name !== OUTLINE) {
          const feature = here.features.find((f) => String(f.properties.id) === params.name);
          if (feature?.properties.hasChildren) drill(feature.properties.id);
          return;
        }
        if (params.seriesId === 'points') void Taro.navigateTo({ url: reportDetailUrl((params.data as { id: number }).id) });
        if (params.seriesId === 'clusters') void openCluster((params.data as { cluster: ReportCluster }).cluster);
      });
    },
    [drill, openCluster],
  );

  const bands = useMemo(() => (map ? bandsFor(map.features) : null), [map]);
  const option = useMemo(() => {
    if (!map || !bands) return null;
    const key = registerAreas(gridAreas(map));
    const regions: Region[] = [
      ...(map.outline ? [{ name: OUTLINE, silent: true, itemStyle: { areaColor: '#f5f5f5', borderColor: '#90a4ae', borderWidth: 2 }, label: { show: false } }] : []),
      ...map.features.map((f) => {
        const { name, open, overdue } = f.properties;
        const counts = open === null ? '' : `\n待办 ${open}${overdue ? ` · 超期 ${overdue}` : ''}`;
        return {
          name: String(f.properties.id),
          itemStyle: { areaColor: bands.bandOf(f).color },
          label: { ...AREA_LABEL, formatter: `${name}${counts}` },
        };
      }),
    ];
    return { animation: false, geo: geoComponent(key, map.bbox, regions), series: pointSeries(points?.items ?? [], points?.clusters ?? []) };
  }, [map, bands, points]);

  const parent = map && map.path.length > 1 ? map.path[map.path.length - 2] : null;
  const side = (
    <View className="grid-map__panel">
      <View id="map-legend" className="card">
        <Text className="card-title">图例</Text>
        <Legend title="网格颜色" bands={bands?.legend ?? []} />
        {points && points.items.length ? <Legend title="说事状态（红圈为超期）" bands={pointLegend(points.items)} round /> : null}
        {points && points.clusters.length ? <View className="muted">圆圈内数字为该处说事件数，红色含超期</View> : null}
      </View>
      <View id="map-children" className="card">
        <Text className="card-title">{map ? `${map.node.name}的下级` : '下级网格'}</Text>
        {map?.features.map((f) => (
          <View
            key={f.properties.id}
            id={`map-child-${f.properties.id}`}
            className={`grid-map__child ${f.properties.hasChildren ? 'is-link' : ''}`}
            onClick={() => f.properties.hasChildren && drill(f.properties.id)}
          >
            <View className="grid-map__swatch" style={{ background: bands?.bandOf(f).color }} />
            <Text className="grid-map__child-name">{f.properties.name}</Text>
            <Text className="grid-map__child-counts">
              {f.properties.open === null ? '—' : `待办 ${f.properties.open}`}
              {f.properties.overdue ? <Text className="grid-map__overdue"> 超期 {f.properties.overdue}</Text> : null}
            </Text>
            {f.properties.hasChildren ? <Text className="grid-map__more">›</Text> : null}
          </View>
        ))}
        {map && map.features.length === 0 ? <View className="muted">没有下级网格</View> : null}
      </View>
    </View>
  );

  return (
    <DeskPage id="map-page" className="grid-map" side={side}>
      <View id="map-crumbs" className="grid-map__crumbs">
        {map?.path.map((p, i) => (
          <Text key={p.id} id={`map-crumb-${p.id}`} className={`grid-map__crumb ${i === map.path.length - 1 ? 'is-current' : ''}`} onClick={() => p.id !== map.node.id && drill(p.id)}>
            {p.name}
          </Text>
        ))}
        {parent ? (
          <Text id="map-up" className="grid-map__up" onClick={() => drill(parent.id)}>
            ↑ 返回{GRID_LEVEL_LABELS[parent.level]}
          </Text>
        ) : null}
      </View>
      <View className="grid-map__filter grid-map__periods">
        <Choices idPrefix="map-period" items={PERIODS} selected={period} onSelect={setPeriod} small />
      </View>
      {period === 'custom' ? (
        <View id="map-period-range" className="grid-map__range">
          <Picker mode="date" value={custom.from} end={custom.to} onChange={(e) => setCustom((p) => keepPeriodInBounds({ ...p, from: String(e.detail.value) }, 'from'))}>
            <View id="map-period-from" className="grid-map__date">{custom.from}</View>
          </Picker>
          <Text className="muted">至</Text>
          <Picker mode="date" value={custom.to} start={custom.from} onChange={(e) => setCustom((p) => keepPeriodInBounds({ ...p, to: String(e.detail.value) }, 'to'))}>
            <View id="map-period-to" className="grid-map__date">{custom.to}</View>
          </Picker>
        </View>
      ) : null}
      <View className="grid-map__filter">
        <Choices idPrefix="map-status" items={STATUS_CHOICES} selected={status} onSelect={setStatus} small />
      </View>
      {failed ? <LoadFailed onRetry={load} /> : null}
      <View className="card grid-map__canvas-card">
        <MapCanvas id="grid-map-canvas" option={option} onReady={onReady} />
      </View>
      <View id="map-summary" className="muted grid-map__summary">
        {pointsHidden ? '这一级的说事只对其工作人员显示；点击您负责的网格查看。' : points ? summary(points) : '正在加载…'}
      </View>
    </DeskPage>
  );
}

function summary(points: ReportPoints): string {
  const shown = points.clusters.length ? `共 ${points.total} 条有位置的说事，按区域汇总（超过 ${points.limit} 条）；点圆圈进入该处` : `${points.total} 条有位置的说事`;
  const rest = points.unlocated ? `；另有 ${points.unlocated} 条未标注位置，按住户派单` : '';
  return `${shown}${rest}。点击网格进入下一级，点击圆点查看说事。`;
}
