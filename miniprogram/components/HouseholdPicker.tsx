import { useEffect, useMemo, useRef, useState } from 'react';
import { View } from '@tarojs/components';
import type { BuildingSummary, GridTreeNode, HouseholdSummary } from '@linli/shared';
import { getGridTree, listBuildings, listHouseholds, nodesOfLevel } from '../services/grids';
import { Choices } from './Choices';

type Loading = 'communities' | 'buildings' | 'households' | null;

interface Props {
  /** Ids `${idPrefix}-community-…`, `-building-…`, `-unit-…`, `-room-…`. */
  idPrefix: string;
  /** A building chosen beforehand (一楼一码): its community and it are selected once loaded. */
  initialBuildingId?: number | null;
  /** The room chosen (null while not yet), with its community's name. */
  onChange: (household: HouseholdSummary | null, communityName: string | null) => void;
  /** Step numbers start here (the bind page counts on after them). */
  firstStep?: number;
}

/** Community → building → unit → room, with big tappable options: the bind page's and the staff's flat picker. */
export function HouseholdPicker({ idPrefix, initialBuildingId = null, onChange, firstStep = 1 }: Props) {
  /** The scanned building, until it has been chosen once. */
  const pendingBuilding = useRef<number | null>(initialBuildingId);
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
        const found = nodesOfLevel(await getGridTree(), 'community');
        setCommunities(found);
        const wanted = pendingBuilding.current;
        let home: GridTreeNode | null = found.length === 1 ? found[0] : null;
        if (wanted !== null && found.length > 1) {
          for (const candidate of found) {
            if ((await listBuildings(candidate.id)).some((item) => item.id === wanted)) {
              home = candidate;
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
  useEffect(() => onChange(household, community?.name ?? null), [household, community, onChange]);

  const rooms = useMemo(() => households.filter((item) => item.unit === unit), [households, unit]);
  const step = (n: number) => `${firstStep + n}. `;

  return (
    <View className="household-picker">
      <View className="section-title">{step(0)}选择社区</View>
      {loading === 'communities' ? <View className="card muted">正在加载…</View> : null}
      {!loading && communities.length === 0 ? <View className="card muted">暂无可选社区</View> : null}
      <Choices
        idPrefix={`${idPrefix}-community`}
        items={communities.map((node) => ({ key: node.id, label: node.name }))}
        selected={community?.id ?? null}
        onSelect={(id) => setCommunity(communities.find((node) => node.id === id) ?? null)}
        wide
      />

      {community ? (
        <>
          <View className="section-title">{step(1)}选择楼栋</View>
          {loading === 'buildings' ? <View className="card muted">正在加载楼栋…</View> : null}
          {loading !== 'buildings' && buildings.length === 0 ? <View className="card muted">该社区暂无楼栋</View> : null}
          <Choices
            idPrefix={`${idPrefix}-building`}
            items={buildings.map((item) => ({ key: item.id, label: item.name }))}
            selected={building?.id ?? null}
            onSelect={(id) => setBuilding(buildings.find((item) => item.id === id) ?? null)}
          />
        </>
      ) : null}

      {building ? (
        <>
          <View className="section-title">{step(2)}选择单元</View>
          <Choices
            idPrefix={`${idPrefix}-unit`}
            items={building.units.map((name, index) => ({ key: index, label: name }))}
            selected={unit === null ? null : building.units.indexOf(unit)}
            onSelect={(index) => setUnit(building.units[index] ?? null)}
          />
        </>
      ) : null}

      {building && unit !== null ? (
        <>
          <View className="section-title">{step(3)}选择房号</View>
          {loading === 'households' ? <View className="card muted">正在加载房号…</View> : null}
          {loading !== 'households' && rooms.length === 0 ? <View className="card muted">该单元暂无房号</View> : null}
          <Choices
            idPrefix={`${idPrefix}-room`}
            items={rooms.map((item) => ({ key: item.id, label: item.room }))}
            selected={household?.id ?? null}
            onSelect={(id) => setHousehold(rooms.find((item) => item.id === id) ?? null)}
          />
        </>
      ) : null}
    </View>
  );
}
