import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { Leaderboard, LeaderboardEntry, LeaderboardPeriod } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { LoadFailed } from '../../../components/LoadFailed';
import { Tabs } from '../../../components/Tabs';
import { useMe } from '../../../hooks/useMe';
import { getLeaderboard, type LeaderboardScope } from '../../../services/points';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

type ScopeKey = 'building' | 'grid' | 'community';
const SCOPE_LABELS: Record<ScopeKey, string> = { building: '本楼栋', grid: '本网格', community: '本社区' };

function Row({ entry, mine }: { entry: LeaderboardEntry; mine?: boolean }) {
  return (
    <View id={mine ? 'rank-me' : `rank-user-${entry.userId}`} className={`rank-row ${mine ? 'rank-row--me' : ''} rank-row--${Math.min(entry.rank, 4)}`}>
      <Text className="rank-row__rank">{entry.rank}</Text>
      <View className="rank-row__avatar">{entry.nickname.slice(0, 1)}</View>
      <Text className="rank-row__name">{mine ? `${entry.nickname}（我）` : entry.nickname}</Text>
      <Text className="rank-row__points">{entry.points}</Text>
    </View>
  );
}

/** 文明积分榜: points earned by the residents of my building, grid or community, this month or all time. */
export default function Rank() {
  const { me } = useMe();
  const [scope, setScope] = useState<ScopeKey>('community');
  const [period, setPeriod] = useState<LeaderboardPeriod>('month');
  const [board, setBoard] = useState<Leaderboard | null>(null);
  const [failed, setFailed] = useState(false);
  const generation = useRef(0);

  const household = me?.household ?? null;
  const gridId = household?.path.find((entry) => entry.level === 'grid')?.id;
  const scopes: ScopeKey[] = household ? (gridId ? ['building', 'grid', 'community'] : ['building', 'community']) : ['community'];

  const load = useCallback(async () => {
    const current = ++generation.current;
    const query: LeaderboardScope =
      scope === 'building' && household ? { buildingId: household.buildingId } : scope === 'grid' && gridId ? { nodeId: gridId } : {};
    setFailed(false);
    try {
      const result = await getLeaderboard(query, period);
      if (current === generation.current) setBoard(result);
    } catch {
      if (current === generation.current) setFailed(true);
    }
  }, [scope, period, household?.buildingId, gridId]);

  useEffect(() => {
    if (me) void load();
  }, [me !== null, load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <View id="rank-page" className={pageClass('page rank')}>
      <Tabs
        idPrefix="rank-period"
        items={[
          { key: 'month', label: '本月' },
          { key: 'all', label: '总榜' },
        ]}
        active={period}
        onChange={setPeriod}
      />
      {scopes.length > 1 ? (
        <Choices idPrefix="rank-scope" small items={scopes.map((key) => ({ key, label: SCOPE_LABELS[key] }))} selected={scope} onSelect={setScope} />
      ) : null}

      {failed ? (
        <LoadFailed onRetry={() => void load()} />
      ) : board ? (
        <View className="rank__board">
          <View className="rank__title">
            <Text id="rank-scope-name" className="rank__scope">
              {board.scope.name}
            </Text>
            <Text className="muted">{period === 'month' ? '本月获得的积分' : '累计获得的积分'}</Text>
          </View>
          {board.me ? <Row entry={board.me} mine /> : null}
          <View id="rank-list" className="card rank__list">
            {board.items.map((entry) => (
              <Row key={entry.userId} entry={entry} />
            ))}
            {board.items.length === 0 ? <View className="empty-card muted">{period === 'month' ? '本月还没有人获得积分' : '还没有人获得积分'}</View> : null}
          </View>
          <View className="muted rank__note">兑换奖品不影响排名</View>
        </View>
      ) : (
        <View className="card muted">正在加载…</View>
      )}
    </View>
  );
}
