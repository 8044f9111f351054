import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { mayAwardPoints, type AwardBudget, type Redemption, type RedemptionAction, type RedemptionStatus, type ResidentView } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { ListFooter } from '../../../components/ListFooter';
import { RedemptionRow } from '../../../components/RedemptionRow';
import { ResidentPicker } from '../../../components/ResidentPicker';
import { restricted } from '../../../components/Restricted';
import { Tabs } from '../../../components/Tabs';
import { useCursorList } from '../../../hooks/useCursorList';
import { useMe } from '../../../hooks/useMe';
import { ensureSession } from '../../../services/auth';
import { actOnRedemption, awardPoints, getAwardBudget, listRedemptions, newIdempotencyKey, REWARDS_ADMIN_PAGE } from '../../../services/points';
import './index.scss';

type Tab = 'award' | 'queue';
const AMOUNTS = [5, 10, 20, 30, 50, 100];
const STATUS_FILTERS: Array<{ key: RedemptionStatus; label: string }> = [
  { key: 'pending', label: '待领取' },
  { key: 'fulfilled', label: '已领取' },
  { key: 'cancelled', label: '已取消' },
];

/**
 * 积分管理 for a secretary: award points for a good deed to a resident found by name, phone tail or
 * room (`GET /residents`), and hand over or cancel redemptions. Never oneself (the server refuses it
 * too), and within the award limits the server reports (GET /points/awards/budget).
 */
function PointsAdmin() {
  const { me } = useMe();
  const [tab, setTab] = useState<Tab>('award');
  const [budget, setBudget] = useState<AwardBudget | null>(null);
  const [resident, setResident] = useState<ResidentView | null>(null);
  const [points, setPoints] = useState(10);
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const awardKey = useRef(newIdempotencyKey());

  const [status, setStatus] = useState<RedemptionStatus>('pending');
  const [busy, setBusy] = useState(false);
  const fetchQueue = useCallback((cursor: string | null) => listRedemptions({ scope: 'queue', status, cursor }), [status]);
  const queue = useCursorList<Redemption>(fetchQueue);

  const loadPeople = useCallback(() => {
    getAwardBudget()
      .then(setBudget)
      .catch(() => undefined);
  }, []);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    loadPeople();
    await queue.refresh();
  }, [loadPeople, queue.refresh]);

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
  useReachBottom(() => {
    if (tab === 'queue') void queue.loadMore();
  });

  const amounts = budget ? AMOUNTS.filter((n) => n <= budget.maxPerAward) : AMOUNTS;
  const target = resident?.id ?? null;
  const targetName = resident?.name ?? '';

  const award = async () => {
    if (sending) return;
    if (!target || !Number.isInteger(target) || target <= 0) {
      void Taro.showToast({ title: '请先找到并选择居民', icon: 'none' });
      return;
    }
    if (target === me?.id) {
      void Taro.showToast({ title: '不能给自己奖励积分', icon: 'none' });
      return;
    }
    if (budget && (points > budget.maxPerAward || points > budget.remainingThisMonth)) {
      void Taro.showToast({ title: `本月还可奖励 ${budget.remainingThisMonth} 分，单次最多 ${budget.maxPerAward} 分`, icon: 'none' });
      return;
    }
    if (note.trim().length < 2) {
      void Taro.showToast({ title: '请写明好人好事（至少 2 个字）', icon: 'none' });
      return;
    }
    const { confirm } = await Taro.showModal({ title: '奖励积分', content: `给 ${targetName} 奖励 ${points} 积分？`, confirmColor: '#e8552d' });
    if (!confirm) return;
    setSending(true);
    try {
      await awardPoints({ userId: target, points, note: note.trim() }, awardKey.current);
      void Taro.showToast({ title: `已奖励 ${targetName} ${points} 积分`, icon: 'none' });
      awardKey.current = newIdempotencyKey();
      setNote('');
      setResident(null);
      loadPeople();
    } catch {
      // toasted; the same key is kept so a retry pays once
    } finally {
      setSending(false);
    }
  };

  const act = async (redemption: Redemption, action: RedemptionAction) => {
    if (busy) return;
    const content =
      action === 'fulfil'
        ? `${redemption.user.nickname} 已领取「${redemption.reward.name}」？`
        : `取消 ${redemption.user.nickname} 兑换的「${redemption.reward.name}」？${redemption.cost} 积分退回，库存恢复。`;
    const { confirm } = await Taro.showModal({ title: action === 'fulfil' ? '确认领取' : '取消兑换', content, confirmColor: '#e8552d' });
    if (!confirm) return;
    setBusy(true);
    try {
      await actOnRedemption(redemption, action);
      void Taro.showToast({ title: action === 'fulfil' ? '已确认领取' : '已取消并退还积分', icon: 'none' });
    } catch {
      // toasted (someone acted first…)
    } finally {
      setBusy(false);
      void queue.refresh();
    }
  };

  return (
    <View id="points-admin-page" className="page points-admin">
      <Tabs
        idPrefix="points-admin-tab"
        items={[
          { key: 'award', label: '好人好事' },
          { key: 'queue', label: '兑换核销' },
        ]}
        active={tab}
        onChange={setTab}
      />

      {tab === 'award' ? (
        <View id="award-form">
          <View className="section-title">1. 奖励谁</View>
          <ResidentPicker idPrefix="award-resident" selected={resident} onSelect={setResident} />

          <View className="section-title">2. 奖励多少</View>
          <Choices idPrefix="award-points" items={amounts.map((n) => ({ key: n, label: `${n} 分` }))} selected={points} onSelect={setPoints} />
          {budget ? (
            <View id="award-budget" className="muted points-admin__hint">
              单次最多 {budget.maxPerAward} 分；本月已奖励 {budget.awardedThisMonth} 分，还可奖励 {budget.remainingThisMonth} 分（每月最多 {budget.monthlyMax} 分）。不能奖励自己和同户家人。
            </View>
          ) : null}

          <View className="section-title">3. 好人好事</View>
          <View id="award-note" className="card points-admin__field">
            <TextArea placeholder="如：帮助独居老人搬运生活物资" value={note} maxLength={200} rows={3} autoSize showCount onChange={setNote} />
          </View>

          <View className="block-button">
            <Button id="award-submit" type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void award()}>
              {targetName ? `奖励 ${targetName} ${points} 分` : '奖励积分'}
            </Button>
          </View>
          <View className="block-button">
            <Button id="points-admin-rewards" size="large" block onClick={() => void Taro.navigateTo({ url: REWARDS_ADMIN_PAGE })}>
              管理积分商城奖品
            </Button>
          </View>
        </View>
      ) : (
        <View id="redemption-queue">
          <Choices idPrefix="queue-status" small items={STATUS_FILTERS} selected={status} onSelect={setStatus} />
          <View className="points-admin__queue">
            {queue.items.map((redemption) => (
              <RedemptionRow key={redemption.id} redemption={redemption} staff busy={busy} onAction={(r, a) => void act(r, a)} />
            ))}
          </View>
          {!queue.loading && !queue.failed && queue.items.length === 0 ? (
            <View id="redemption-queue-empty" className="card empty-card muted">
              没有{STATUS_FILTERS.find((f) => f.key === status)?.label}的兑换
            </View>
          ) : null}
          <ListFooter list={queue} />
        </View>
      )}
    </View>
  );
}

export default restricted(PointsAdmin, mayAwardPoints);
