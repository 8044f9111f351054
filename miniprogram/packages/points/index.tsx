import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { POINT_RULES, POINT_RULE_CODES, POINTS_PER_VOLUNTEER_HOUR, type LedgerEntryView } from '@linli/shared';
import { LedgerRow } from '../../components/LedgerRow';
import { ListFooter } from '../../components/ListFooter';
import { useCursorList } from '../../hooks/useCursorList';
import { ensureSession } from '../../services/auth';
import { getMyPoints, LEADERBOARD_PAGE, MALL_PAGE, type PointsPage } from '../../services/points';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

function ruleText(code: (typeof POINT_RULE_CODES)[number]): string {
  const rule = POINT_RULES[code];
  if (rule.points !== null) return `+${rule.points}${rule.dailyCap ? `（每天最多 ${rule.dailyCap} 次）` : ''}`;
  return code === 'volunteer_hour' ? `社区任务经书记确认，每小时 +${POINTS_PER_VOLUNTEER_HOUR}` : '由社区书记评定';
}

/** 文明积分: the balance, how points are earned, and every entry with its reason. */
export default function Points() {
  const [balance, setBalance] = useState<number | null>(null);
  const fetchPage = useCallback(async (cursor: string | null) => {
    const page = await getMyPoints(cursor);
    setBalance(page.balance);
    return page;
  }, []);
  const list = useCursorList<LedgerEntryView, PointsPage>(fetchPage);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await list.refresh();
  }, [list.refresh]);

  const firstShow = useRef(true);
  useEffect(() => {
    void reload();
  }, [reload]);
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false;
      return;
    }
    void reload();
  });
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  return (
    <View id="points-page" className={pageClass('page points')}>
      <View className="points__hero">
        <Text className="points__label">我的文明积分</Text>
        <Text id="points-balance" className="points__balance">
          {balance ?? '—'}
        </Text>
        <View className="points__links">
          <View id="points-mall" className="points__link" onClick={() => void Taro.navigateTo({ url: MALL_PAGE })}>
            积分商城
          </View>
          <View id="points-rank" className="points__link" onClick={() => void Taro.navigateTo({ url: LEADERBOARD_PAGE })}>
            文明积分榜
          </View>
        </View>
      </View>

      <View className="card points__rules">
        <Text className="points__rules-title">怎么赚积分</Text>
        {POINT_RULE_CODES.map((code) => (
          <View key={code} className="points__rule">
            <Text>{POINT_RULES[code].label}</Text>
            <Text className="points__rule-points">{ruleText(code)}</Text>
          </View>
        ))}
      </View>

      <View className="section-title">积分明细</View>
      {list.items.length > 0 ? (
        <View id="points-entries" className="card points__entries">
          {list.items.map((entry) => (
            <LedgerRow key={entry.id} entry={entry} unit="分" />
          ))}
        </View>
      ) : null}
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="points-empty" className="card empty-card muted">
          还没有积分记录。说事、议事、参加志愿服务都能攒积分。
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
