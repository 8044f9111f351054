import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import {
  mayApplyToVolunteer,
  mayGiftHours,
  mayPostTask,
  PENDING_CLAIM_STATUSES,
  POINTS_PER_VOLUNTEER_HOUR,
  type LedgerEntryView,
  type TimebankMe,
} from '@linli/shared';
import { ClaimRow } from '../../components/ClaimRow';
import { LedgerRow } from '../../components/LedgerRow';
import { ListFooter } from '../../components/ListFooter';
import { useClaimActions } from '../../hooks/useClaimActions';
import { useCursorList } from '../../hooks/useCursorList';
import { useMe } from '../../hooks/useMe';
import { ensureSession } from '../../services/auth';
import { applyVolunteer, getMyTimebank, GIFT_PAGE, NEW_TASK_PAGE, TASKS_PAGE, type TimebankPage } from '../../services/timebank';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

/** 时间银行: banked hours and their history, my claims with check-in/out, volunteering, asking for help, gifts. */
export default function Timebank() {
  const { me } = useMe();
  const [state, setState] = useState<TimebankMe | null>(null);
  const [applying, setApplying] = useState(false);
  const fetchPage = useCallback(async (cursor: string | null) => {
    const page = await getMyTimebank(cursor);
    if (!cursor) setState(page);
    return page;
  }, []);
  const list = useCursorList<LedgerEntryView, TimebankPage>(fetchPage);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await list.refresh();
  }, [list.refresh]);
  const claims = useClaimActions(reload);

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

  const apply = async () => {
    const { confirm } = await Taro.showModal({
      title: '申请成为志愿者',
      content: '审核通过后，您可以认领社区的志愿服务任务，服务时长存入时间银行，还能获得文明积分。',
      confirmText: '提交申请',
      confirmColor: '#c23b17',
    });
    if (!confirm) return;
    setApplying(true);
    try {
      await applyVolunteer();
      void Taro.showToast({ title: '已提交，请等待社区审核', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setApplying(false);
      void reload();
    }
  };

  const application = state?.application ?? null;
  const activeClaims = (state?.claims ?? []).filter((claim) => PENDING_CLAIM_STATUSES.includes(claim.status));
  const pastClaims = (state?.claims ?? []).filter((claim) => !PENDING_CLAIM_STATUSES.includes(claim.status)).slice(0, 5);

  return (
    <View id="timebank-page" className={pageClass('page timebank')}>
      <View className="timebank__hero">
        <Text className="timebank__label">我的时间银行</Text>
        <View className="timebank__balance-line">
          <Text id="timebank-balance" className="timebank__balance">
            {state ? state.balanceHours : '—'}
          </Text>
          <Text className="timebank__unit">小时</Text>
        </View>
        {me ? <Text className="timebank__id">我的用户编号 {me.id}（家人赠予时长时使用）</Text> : null}
      </View>

      <View className="timebank__actions">
        <View id="timebank-tasks" className="timebank__action card" onClick={() => void Taro.navigateTo({ url: TASKS_PAGE })}>
          <Text className="timebank__action-icon">任</Text>
          <Text className="timebank__action-title">志愿任务</Text>
        </View>
        {mayPostTask(me) ? (
          <View id="timebank-new" className="timebank__action card" onClick={() => void Taro.navigateTo({ url: NEW_TASK_PAGE })}>
            <Text className="timebank__action-icon">求</Text>
            <Text className="timebank__action-title">发布求助</Text>
          </View>
        ) : null}
        {mayGiftHours(me) ? (
          <View id="timebank-gift" className="timebank__action card" onClick={() => void Taro.navigateTo({ url: GIFT_PAGE })}>
            <Text className="timebank__action-icon">赠</Text>
            <Text className="timebank__action-title">赠予家人</Text>
          </View>
        ) : null}
      </View>

      {state && !state.isVolunteer && mayApplyToVolunteer(me) ? (
        <View id="timebank-volunteer" className="card timebank__volunteer">
          {application?.status === 'pending' ? (
            <>
              <Text className="timebank__volunteer-title">志愿者申请审核中</Text>
              <View className="muted">社区审核通过后即可认领志愿任务。</View>
            </>
          ) : (
            <>
              <Text className="timebank__volunteer-title">成为志愿者</Text>
              <View className="muted">
                {application?.status === 'rejected' ? '上次申请未通过，可以再次申请。' : '认领社区志愿任务，服务时长存入时间银行，需要时可请邻居帮忙。'}
              </View>
              <View className="block-button">
                <Button id="timebank-apply" type="primary" block loading={applying} disabled={applying} onClick={() => void apply()}>
                  申请成为志愿者
                </Button>
              </View>
            </>
          )}
        </View>
      ) : null}

      {activeClaims.length > 0 ? (
        <>
          <View className="section-title">我报名的任务</View>
          <View id="timebank-claims">
            {activeClaims.map((claim) => (
              <ClaimRow key={claim.id} claim={claim} show="task" busy={claims.busy} onAction={(c, a) => void claims.run(c, a)} />
            ))}
          </View>
        </>
      ) : null}
      {pastClaims.length > 0 ? (
        <>
          <View className="section-title">服务记录</View>
          <View id="timebank-past-claims">
            {pastClaims.map((claim) => (
              <ClaimRow key={claim.id} claim={claim} show="task" />
            ))}
          </View>
        </>
      ) : null}

      <View className="section-title">时长明细</View>
      {list.items.length > 0 ? (
        <View id="timebank-entries" className="card timebank__entries">
          {list.items.map((entry) => (
            <LedgerRow key={entry.id} entry={entry} unit="小时" />
          ))}
        </View>
      ) : null}
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="timebank-empty" className="card empty-card muted">
          还没有时长记录。参加志愿服务，时长就会存进来。
        </View>
      ) : null}
      <ListFooter list={list} />
      <View className="muted timebank__note">
        志愿服务经确认后，按签到到签退之间的到场时长存入时间银行；社区发布的任务经书记确认，每小时另得 {POINTS_PER_VOLUNTEER_HOUR} 文明积分，居民之间的求助只转移时长。
      </View>
    </View>
  );
}
