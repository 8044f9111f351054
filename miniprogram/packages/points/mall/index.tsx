import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { mayRedeem, type Redemption, type RedemptionAction, type Reward } from '@linli/shared';
import { ListFooter } from '../../../components/ListFooter';
import { LoadFailed } from '../../../components/LoadFailed';
import { RedemptionRow } from '../../../components/RedemptionRow';
import { Tabs } from '../../../components/Tabs';
import { useCursorList } from '../../../hooks/useCursorList';
import { ensureSession } from '../../../services/auth';
import { actOnRedemption, getMyPoints, listRedemptions, listRewards, redeemReward } from '../../../services/points';
import { useMe } from '../../../hooks/useMe';
import { mediaUrl } from '../../../services/uploads';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

type Tab = 'shop' | 'mine';

/** 积分商城: the community's rewards, redeemed with points; 我的兑换 lists what was redeemed. */
export default function Mall() {
  const router = useRouter();
  const [tab, setTab] = useState<Tab>(router.params.tab === 'mine' ? 'mine' : 'shop');
  const [balance, setBalance] = useState<number | null>(null);
  const [rewards, setRewards] = useState<Reward[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);
  // Redeeming is a household's (the shelf is its community's).
  const canRedeem = mayRedeem(useMe().me);

  const fetchMine = useCallback((cursor: string | null) => listRedemptions({ scope: 'mine', cursor }), []);
  const mine = useCursorList<Redemption>(fetchMine);

  const loadShop = useCallback(async () => {
    setFailed(false);
    try {
      const [items, points] = await Promise.all([listRewards(), getMyPoints(null, { silent: true })]);
      setRewards(items);
      setBalance(points.balance);
    } catch {
      setFailed(true);
    }
  }, []);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await Promise.all([loadShop(), mine.refresh()]);
  }, [loadShop, mine.refresh]);

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
    if (tab === 'mine') void mine.loadMore();
  });

  const redeem = async (reward: Reward) => {
    if (busy) return;
    const { confirm } = await Taro.showModal({
      title: '确认兑换',
      content: `用 ${reward.cost} 积分兑换「${reward.name}」？兑换后到社区服务站领取。`,
      confirmColor: '#c23b17',
    });
    if (!confirm) return;
    setBusy(reward.id);
    try {
      await redeemReward(reward.id);
      void Taro.showToast({ title: '兑换成功', icon: 'success' });
      setTab('mine');
    } catch {
      // Stock gone or balance too low: the client showed the server's message; show the shelf as it is now.
    } finally {
      setBusy(null);
      void reload();
    }
  };

  const act = async (redemption: Redemption, action: RedemptionAction) => {
    if (busy) return;
    const { confirm } = await Taro.showModal({ title: '取消兑换', content: `取消「${redemption.reward.name}」，${redemption.cost} 积分将退回。`, confirmColor: '#c23b17' });
    if (!confirm) return;
    setBusy(redemption.id);
    try {
      await actOnRedemption(redemption, action);
      void Taro.showToast({ title: '已取消，积分已退回', icon: 'none' });
    } catch {
      // toasted; the list is refreshed below
    } finally {
      setBusy(null);
      void reload();
    }
  };

  return (
    <View id="mall-page" className={pageClass('page mall')}>
      <View className="mall__balance card">
        <Text className="muted">我的积分</Text>
        <Text id="mall-balance" className="mall__balance-value">
          {balance ?? '—'}
        </Text>
      </View>

      <Tabs
        idPrefix="mall-tab"
        items={[
          { key: 'shop', label: '兑换奖品' },
          { key: 'mine', label: '我的兑换' },
        ]}
        active={tab}
        onChange={setTab}
      />

      {tab === 'shop' ? (
        failed ? (
          <LoadFailed onRetry={() => void reload()} />
        ) : (
          <View id="mall-rewards" className="mall__grid">
            {(rewards ?? []).map((reward) => {
              const soldOut = reward.stock <= 0;
              const short = balance !== null && balance < reward.cost;
              return (
                <View key={reward.id} id={`reward-${reward.id}`} className={`mall__reward card ${soldOut ? 'is-sold-out' : ''}`}>
                  <View className="mall__picture">
                    {reward.imageUrl ? (
                      // Named twice: aria-label for the mini-program; on H5 the name belongs on the inner <img> (alt).
                      <Image className="mall__image" src={mediaUrl(reward.imageUrl)} mode="aspectFill" aria-label={reward.name} nativeProps={{ alt: reward.name }} />
                    ) : (
                      <View className="mall__image mall__image--empty">{reward.name.slice(0, 2)}</View>
                    )}
                    {/* Said in words over the picture, not only by the greyed card: 已兑完 is not 积分不足. */}
                    {soldOut ? <Text className="mall__sold-out-stamp">已兑完</Text> : null}
                  </View>
                  <Text className="mall__name">{reward.name}</Text>
                  {reward.description ? <Text className="mall__description muted">{reward.description}</Text> : null}
                  <View className="mall__meta">
                    <Text className="mall__cost">{reward.cost} 分</Text>
                    <Text className="muted mall__stock">{soldOut ? '暂无库存' : `剩 ${reward.stock}`}</Text>
                  </View>
                  {short && !soldOut && canRedeem ? <Text className="mall__short">还差 {reward.cost - balance!} 分</Text> : null}
                  {canRedeem && soldOut ? (
                    // Not a greyed button like 积分不足: there is nothing to press until it is restocked.
                    <Text id={`reward-${reward.id}-sold-out`} className="mall__sold-out">
                      已兑完
                    </Text>
                  ) : canRedeem ? (
                    <Button
                      id={`reward-${reward.id}-redeem`}
                      className="mall__redeem"
                      type="primary"
                      size="small"
                      block
                      disabled={short || busy !== null}
                      loading={busy === reward.id}
                      onClick={() => void redeem(reward)}
                    >
                      {short ? '积分不足' : '兑换'}
                    </Button>
                  ) : null}
                </View>
              );
            })}
            {rewards && rewards.length === 0 ? <View className="card empty-card muted mall__empty">社区还没有上架奖品</View> : null}
          </View>
        )
      ) : (
        <View id="mall-redemptions">
          {mine.items.map((redemption) => (
            <RedemptionRow key={redemption.id} redemption={redemption} busy={busy !== null} onAction={(r, a) => void act(r, a)} />
          ))}
          {!mine.loading && !mine.failed && mine.items.length === 0 ? (
            <View id="mall-redemptions-empty" className="card empty-card muted">
              还没有兑换记录
            </View>
          ) : null}
          <ListFooter list={mine} />
        </View>
      )}
    </View>
  );
}
