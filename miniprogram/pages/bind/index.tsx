import { useEffect, useMemo, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Cell } from '@nutui/nutui-react-taro';
import type { BuildingSummary, GridTreeNode, HouseholdSummary } from '@linli/shared';
import { getGridTree, listBuildings, listHouseholds, nodesOfLevel } from '../../services/grids';
import { bindHousehold } from '../../services/me';
import { getCachedUser, HOME_PAGE } from '../../services/session';
import { ensureSession } from '../../services/auth';
import { Choices } from '../../components/Choices';
import './index.scss';

type Loading = 'communities' | 'buildings' | 'households' | 'saving' | null;

/** Community → building → unit → room → confirm: `PUT /me/household`. */
export default function Bind() {
  const current = getCachedUser()?.household ?? null;
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
        if (found.length === 1) setCommunity(found[0]);
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
      .then((items) => !stale && setBuildings(items))
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
