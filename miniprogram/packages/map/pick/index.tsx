import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { GridMap, LatLng } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { getGridMap, locate, MAP_PICKED_EVENT } from '../../../services/map';
import type { Place } from '../../../services/place';
import type { EChartsType } from '../echarts';
import { MapCanvas } from '../MapCanvas';
import { AREA_LABEL, geoComponent, gridAreas, OUTLINE, registerAreas, type Region } from '../map-option';
import './index.scss';

/** A press that moved further than this (px) was a pan of the map, not a tap on it. */
const TAP_SLOP = 6;

/**
 * 在地图上点选: where a problem is, for a resident whose phone gives no position (H5, or WeChat with
 * location refused). The drawing of their community (or, without a household, the tree from the top:
 * a tap on a name goes down a level); a tap drops the pin, the server says which grid it is in, and
 * 确定 hands the spot back to the 说事 form, which files it with that location.
 */
export default function PickPlacePage() {
  const [nodeId, setNodeId] = useState<number | undefined>(undefined);
  const [map, setMap] = useState<GridMap | null>(null);
  const [failed, setFailed] = useState(false);
  const [pin, setPin] = useState<LatLng | null>(null);
  const [where, setWhere] = useState<string | null>(null);
  // Until one moves up or down by hand, a level with a single way down is passed through.
  const passThrough = useRef(true);
  const goTo = (id: number) => {
    passThrough.current = false;
    setNodeId(id);
  };

  const load = useCallback(() => {
    setFailed(false);
    getGridMap(nodeId)
      .then((drawn) => {
        // A level with one way down (a district of one street…) is passed through.
        const only = drawn.features.length === 1 ? drawn.features[0].properties : null;
        if (only?.hasChildren && passThrough.current) setNodeId(only.id);
        else setMap(drawn);
      })
      .catch(() => setFailed(true));
  }, [nodeId]);
  useEffect(load, [load]);

  useEffect(() => {
    setWhere(null);
    if (!pin) return;
    let stale = false;
    locate(pin.lat, pin.lng)
      .then((found) => {
        if (stale) return;
        const fromCommunity = found.path.findIndex((p) => p.level === 'community');
        setWhere(found.path.slice(Math.max(0, fromCommunity)).map((p) => p.name).join(' · '));
      })
      .catch(() => !stale && setWhere(''));
    return () => {
      stale = true;
    };
  }, [pin]);

  const pressedAt = useRef<[number, number] | null>(null);
  const onReady = useCallback((chart: EChartsType) => {
    const zr = chart.getZr();
    zr.on('mousedown', (e: { offsetX: number; offsetY: number }) => {
      pressedAt.current = [e.offsetX, e.offsetY];
    });
    zr.on('click', (e: { offsetX: number; offsetY: number }) => {
      const start = pressedAt.current;
      if (start && Math.hypot(e.offsetX - start[0], e.offsetY - start[1]) > TAP_SLOP) return;
      const [lng, lat] = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[];
      if (Number.isFinite(lat) && Number.isFinite(lng)) setPin({ lat: round6(lat), lng: round6(lng) });
    });
  }, []);

  const option = useMemo(() => {
    if (!map) return null;
    const key = registerAreas(gridAreas(map));
    const regions: Region[] = [
      ...(map.outline ? [{ name: OUTLINE, itemStyle: { areaColor: '#f5f5f5', borderColor: '#90a4ae', borderWidth: 2 }, label: { show: false } }] : []),
      ...map.features.map((f) => ({ name: String(f.properties.id), itemStyle: { areaColor: '#e3f2fd' }, label: { ...AREA_LABEL, formatter: f.properties.name } })),
    ];
    const series = pin
      ? [{ id: 'pin', type: 'scatter', coordinateSystem: 'geo', geoIndex: 0, symbol: 'pin', symbolSize: 36, symbolOffset: [0, '-50%'], silent: true, zlevel: 1, itemStyle: { color: '#e8552d' }, data: [[pin.lng, pin.lat]] }]
      : [];
    return { animation: false, geo: geoComponent(key, map.bbox, regions, { emphasis: { disabled: true } }), series };
  }, [map, pin]);

  const confirm = () => {
    if (!pin || !where) return;
    const place: Place = { location: pin, address: where };
    Taro.eventCenter.trigger(MAP_PICKED_EVENT, place);
    void Taro.navigateBack();
  };

  const parent = map && map.path.length > 1 ? map.path[map.path.length - 2] : null;
  return (
    <View id="map-pick-page" className="page map-pick">
      <View className="map-pick__head">
        <Text className="map-pick__title">{map ? map.node.name : '正在加载地图…'}</Text>
        {parent ? (
          <Text id="map-pick-up" className="map-pick__up" onClick={() => goTo(parent.id)}>
            ↑ {parent.name}
          </Text>
        ) : null}
      </View>
      <View className="muted map-pick__hint">在图上点一下问题所在的位置，可双指缩放、拖动</View>
      {failed ? <LoadFailed onRetry={load} /> : null}
      <View className="card map-pick__canvas-card">
        <MapCanvas id="map-pick-canvas" option={option} onReady={onReady} />
      </View>
      {map && map.features.some((f) => f.properties.hasChildren) ? (
        <View className="map-pick__children">
          {map.features
            .filter((f) => f.properties.hasChildren)
            .map((f) => (
              <Text key={f.properties.id} id={`map-pick-child-${f.properties.id}`} className="map-pick__child" onClick={() => goTo(f.properties.id)}>
                放大到{f.properties.name}
              </Text>
            ))}
        </View>
      ) : null}
      <View id="map-pick-where" className="card map-pick__where">
        {!pin ? <Text className="muted">还没有选择位置</Text> : where === null ? <Text className="muted">正在确认所在网格…</Text> : where ? <Text>所在位置：{where}</Text> : <Text className="map-pick__outside">这个位置不在任何网格内，请在网格范围内选择</Text>}
      </View>
      <View className="block-button">
        <Button id="map-pick-confirm" type="primary" size="large" block disabled={!pin || !where} onClick={confirm}>
          确定这个位置
        </Button>
      </View>
    </View>
  );
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
