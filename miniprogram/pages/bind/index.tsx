import { useEffect, useMemo, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Cell } from '@nutui/nutui-react-taro';
import type { BuildingSummary, GridTreeNode, HouseholdSummary } from '@linli/shared';
import { getGridTree, listBuildings, listHouseholds, nodesOfLevel } from '../../services/grids';
import { bindHousehold } from '../../services/me';
import { getCachedUser, HOME_PAGE } from '../../services/session';
import { ensureSession } from '../../services/auth';
import { Choices } from '../../components/Choices';
import './index.scss';

type Loading = 'communities' | 'buildings' | 'households' | 'saving' | null;

/**
 * 一楼一码: the building a scanned code chose — `?buildingId=<id>` (the H5 link) or the mini-program
 * code's `scene` `b=<id>` (URL-encoded by WeChat).
 */
export function scannedBuildingId(params: Record<string, string | undefined>): number | null {
  const direct = Number(params.buildingId);
  if (Number.isInteger(direct) && direct > 0) return direct;
  if (!params.scene) return null;
  let scene = params.scene;
  try {
    scene = decodeURIComponent(scene);
  } catch {
    // keep it as given
  }
  const match = /(?:^|&)b=(\d+)(?:&|$)/.exec(scene);
  return match ? Number(match[1]) : null;
}

/** Community → building → unit → room → confirm: `PUT /me/household`. */
export default function Bind() {
  const current = getCachedUser()?.household ?? null;
  const { params } = useRouter();
  /** The scanned building, until it has been chosen once. */
  const pendingBuilding = useRef<number | null>(scannedBuildingId(params));
  const [communities, setCommunities] = useState<GridTreeNode[]>([]);
  const [community, setCommunity] = useState<GridTreeNode | null>(null);
  const [buildings, setBuildings] = useState<BuildingSummary[]>([]);
  const [building, setBuilding] = useState<BuildingSummary | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [households, setHouseholds] = useState<HouseholdSummary[]>([]);
  const [household, setHousehold] = useState<HouseholdSummary | null>(null);
  const [loading, setLoading] = useState<Loading>('communities');

  useEffect(() => {
    void (async () => {
      try {
        if (!(await ensureSession())) return;
        const found = nodesOfLevel(await getGridTree(), 'community');
        setCommunities(found);
        const wanted = pendingBuilding.current;
        let home: GridTreeNode | null = found.length === 1 ? found[0] : null;
        if (wanted !== null && found.length > 1) {
          for (const community of found) {
            if ((await listBuildings(community.id)).some((item) => item.id === wanted)) {
              home = community;
              break;
            }
          }
        }
        if (home) setCommunity(home);
      } catch {
        // Toast shown by the API client.
      } finally {
        setLoading(null);
      }
    })();
  }, []);

  useEffect(() => {
    setBuildings([]);
    setBuilding(null);
    if (!community) return;
    let stale = false;
    setLoading('buildings');
    listBuildings(community.id)
      .then((items) => {
        if (stale) return;
        setBuildings(items);
        const scanned = items.find((item) => item.id === pendingBuilding.current);
        if (scanned) {
          pendingBuilding.current = null;
          setBuilding(scanned);
        }
      })
      .catch(() => undefined)
      .finally(() => !stale && setLoading(null));
    return () => {
      stale = true;
    };
  }, [community]);

  useEffect(() => {
    setUnit(null);
    setHouseholds([]);
    if (!building) return;
    if (building.units.length === 1) setUnit(building.units[0]);
    let stale = false;
    setLoading('households');
    listHouseholds(building.id)
      .then((items) => !stale && setHouseholds(items))
      .catch(() => undefined)
      .finally(() => !stale && setLoading(null));
    return () => {
      stale = true;
    };
  }, [building]);

  useEffect(() => setHousehold(null), [unit, building]);

  const rooms = useMemo(() => households.filter((item) => item.unit === unit), [households, unit]);

  const confirm = async () => {
    if (!household || loading) return;
    setLoading('saving');
    try {
      const me = await bindHousehold(household.id);
      await Taro.showToast({ title: '绑定成功', icon: 'success' });
      setTimeout(() => {
        if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
        else void Taro.switchTab({ url: HOME_PAGE });
      }, 800);
      return me;
    } catch {
      // Toast shown by the API client.
    } finally {
      setLoading(null);
    }
  };

  return (
    <View id="bind-page" className="page bind">
      {current ? (
        <View id="bind-current" className="bind__current muted">
          当前住户：{current.label}
        </View>
      ) : null}

      <View className="section-title">1. 选择社区</View>
      {loading === 'communities' ? <View className="card muted">正在加载…</View> : null}
      {!loading && communities.length === 0 ? <View className="card muted">暂无可选社区</View> : null}
      <Choices
        idPrefix="bind-community"
        items={communities.map((node) => ({ key: node.id, label: node.name }))}
        selected={community?.id ?? null}
        onSelect={(id) => setCommunity(communities.find((node) => node.id === id) ?? null)}
        wide
      />

      {community ? (
        <>
          <View className="section-title">2. 选择楼栋</View>
          {loading === 'buildings' ? <View className="card muted">正在加载楼栋…</View> : null}
          {loading !== 'buildings' && buildings.length === 0 ? <View className="card muted">该社区暂无楼栋</View> : null}
          <Choices
            idPrefix="bind-building"
            items={buildings.map((item) => ({ key: item.id, label: item.name }))}
            selected={building?.id ?? null}
            onSelect={(id) => setBuilding(buildings.find((item) => item.id === id) ?? null)}
          />
        </>
      ) : null}

      {building ? (
        <>
          <View className="section-title">3. 选择单元</View>
          <Choices
            idPrefix="bind-unit"
            items={building.units.map((name, index) => ({ key: index, label: name }))}
            selected={unit === null ? null : building.units.indexOf(unit)}
            onSelect={(index) => setUnit(building.units[index] ?? null)}
          />
        </>
      ) : null}

      {building && unit !== null ? (
        <>
          <View className="section-title">4. 选择房号</View>
          {loading === 'households' ? <View className="card muted">正在加载房号…</View> : null}
          {loading !== 'households' && rooms.length === 0 ? <View className="card muted">该单元暂无房号</View> : null}
          <Choices
            idPrefix="bind-room"
            items={rooms.map((item) => ({ key: item.id, label: item.room }))}
            selected={household?.id ?? null}
            onSelect={(id) => setHousehold(rooms.find((item) => item.id === id) ?? null)}
          />
        </>
      ) : null}

      <View className="bind__footer">
        <Cell.Group>
          <Cell
            className="bind-summary"
            title="将绑定为"
            description={community?.name ?? ''}
            extra={
              <Text id="bind-summary" className="bind__summary">
                {household ? household.label : '请依次选择'}
              </Text>
            }
          />
        </Cell.Group>
        <Button
          id="bind-confirm"
          className="bind-confirm"
          type="primary"
          size="large"
          block
          disabled={!household}
          loading={loading === 'saving'}
          onClick={() => void confirm()}
        >
          确认绑定
        </Button>
      </View>
    </View>
  );
}
