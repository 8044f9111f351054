import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { TASK_STATUS_LABELS, toMinutes, volunteerPoints, type TimebankTaskDetail } from '@linli/shared';
import { ClaimRow } from '../../../components/ClaimRow';
import { ConfirmClaimForm } from '../../../components/ConfirmClaimForm';
import { LoadFailed } from '../../../components/LoadFailed';
import { taskWhen } from '../../../components/TaskRow';
import { useClaimActions } from '../../../hooks/useClaimActions';
import { useMe } from '../../../hooks/useMe';
import { ensureSession } from '../../../services/auth';
import { cancelTask, claimTask, declineHelpRequest, fundHelpRequest, getTask, hoursText } from '../../../services/timebank';
import { formatTime } from '../../../utils/time';
import { a11y } from '../../../utils/a11y';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

/** A task: what, when, where, places; the volunteer's own claim with check-in/out; the poster's and secretary's attendance list. */
export default function TaskDetail() {
  const id = Number(useRouter().params.id);
  const { me } = useMe();
  const [task, setTask] = useState<TimebankTaskDetail | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!(await ensureSession())) return;
    setFailed(null);
    try {
      setTask(await getTask(id, { silent: true }));
    } catch (error) {
      setFailed(error);
    }
  }, [id]);
  const claims = useClaimActions(load);

  const firstShow = useRef(true);
  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false;
      return;
    }
    void load();
  });
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const claim = async () => {
    if (!task || busy) return;
    setBusy(true);
    try {
      await claimTask(task.id);
      void Taro.showToast({ title: '报名成功', icon: 'success' });
    } catch {
      // toasted (places taken, already claimed, started)
    } finally {
      setBusy(false);
      void load();
    }
  };

  const callOff = async () => {
    if (!task || busy) return;
    const { confirm } = await Taro.showModal({
      title: '取消任务',
      content: '取消后未签到的报名一并取消，未用的时长退回付款账户。',
      confirmText: '取消任务',
      cancelText: '再想想',
      confirmColor: '#c23b17',
    });
    if (!confirm) return;
    setBusy(true);
    try {
      await cancelTask(task);
      void Taro.showToast({ title: '任务已取消', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setBusy(false);
      void load();
    }
  };

  /** A secretary decides a help request: fund it from the community's hours, or decline it with a reason. */
  const decide = async (decision: 'fund' | 'decline') => {
    if (!task || busy) return;
    let reason = '';
    if (decision === 'decline') {
      const answer = (await Taro.showModal({ title: '不予资助', content: '', editable: true, placeholderText: '写明原因，求助人会看到', confirmColor: '#c23b17' } as Taro.showModal.Option)) as { confirm: boolean; content?: string };
      reason = (answer.content ?? '').trim();
      if (!answer.confirm) return;
      if (reason.length < 2) {
        void Taro.showToast({ title: '请写明原因（至少 2 个字）', icon: 'none' });
        return;
      }
    } else {
      const { confirm } = await Taro.showModal({ title: '由社区出时长', content: `从社区时间银行托管 ${hoursText(task.hours * task.capacity)}，之后志愿者可以报名。`, confirmColor: '#c23b17' });
      if (!confirm) return;
    }
    setBusy(true);
    try {
      setTask(decision === 'fund' ? await fundHelpRequest(task) : await declineHelpRequest(task, reason));
      void Taro.showToast({ title: decision === 'fund' ? '已资助，志愿者可以报名了' : '已告知求助人', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setBusy(false);
    }
  };

  if (!task) {
    return <View className={pageClass('page')}>{failed ? <LoadFailed error={failed} onRetry={() => void load()} /> : <View className="card muted">正在加载…</View>}</View>;
  }

  const mine = task.claims.filter((c) => c.volunteer.id === me?.id);
  const others = task.claims.filter((c) => c.volunteer.id !== me?.id);
  const manager = me !== null && (task.poster.id === me.id || task.actions.includes('cancel'));
  const points = volunteerPoints(task.fundedBy, true, toMinutes(task.hours));

  return (
    <View id="task-page" className={pageClass('page task')}>
      <View className="card">
        <View className="task__head">
          <Text id="task-title" className="task__title">
            {task.title}
          </Text>
          <Tag id="task-status" type={task.status === 'open' ? 'primary' : 'default'} round plain={task.status !== 'open'}>
            {TASK_STATUS_LABELS[task.status]}
          </Tag>
        </View>
        {task.description ? <View className="task__description">{task.description}</View> : null}
        <View className="task__facts">
          <View className="task__fact">
            <Text className="muted">时间</Text>
            <Text id="task-when">{taskWhen(task)}</Text>
          </View>
          <View className="task__fact">
            <Text className="muted">{task.location ? '地点' : '范围'}</Text>
            <Text>{task.location ? task.location.address || '已标注位置' : task.scopeName}</Text>
          </View>
          <View className="task__fact">
            <Text className="muted">每人时长</Text>
            <Text id="task-hours">
              最多 {hoursText(task.hours)}
              {points > 0 ? ` · ${points} 积分` : ''}（按到场时长）
            </Text>
          </View>
          <View className="task__fact">
            <Text className="muted">名额</Text>
            <Text id="task-places">
              已报 {task.claimed} / {task.capacity}
            </Text>
          </View>
          <View className="task__fact">
            <Text className="muted">发布</Text>
            <Text>
              {task.poster.nickname}
              {task.status === 'requested' || task.status === 'declined' ? '（请社区出时长）' : task.fundedBy === 'community' ? '（社区支付时长）' : '（居民求助，时长已托管）'}
            </Text>
          </View>
          {manager ? (
            <View className="task__fact">
              <Text className="muted">托管中</Text>
              <Text id="task-held">{hoursText(task.heldHours)}</Text>
            </View>
          ) : null}
        </View>
      </View>

      {task.status === 'requested' ? (
        <View id="task-requested" className="card" {...a11y({ role: 'status' })}>
          <Text className="card-title">等社区审核</Text>
          <View className="muted">
            {task.actions.includes('fund')
              ? '居民请社区出时长。资助后志愿者才能报名；不资助请写明原因，求助人会看到。'
              : '您请社区出时长，社区书记审核后会发布给志愿者；结果会通知您。'}
          </View>
          {task.actions.includes('fund') ? (
            <View className="task__decide">
              <Button id="task-fund" type="primary" size="large" block disabled={busy} onClick={() => void decide('fund')}>
                由社区出时长
              </Button>
              <Button id="task-decline" size="large" block disabled={busy} onClick={() => void decide('decline')}>
                不予资助
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
      {task.status === 'declined' ? (
        <View id="task-declined" className="card" {...a11y({ role: 'status' })}>
          <Text className="card-title">社区未资助这次求助</Text>
          <View>原因：{task.declineReason ?? '未说明'}</View>
          <View className="muted">如有困难，可以联系网格员，或用自己的时长重新发布。</View>
        </View>
      ) : null}

      {task.actions.includes('claim') ? (
        <View className="block-button">
          <Button id="task-claim" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void claim()}>
            报名参加
          </Button>
          <View className="muted task__hint">开始前可以取消；{formatTime(task.checkInOpensAt)} 起可以签到。</View>
        </View>
      ) : null}

      {mine.length > 0 ? (
        <>
          <View className="section-title">我的报名</View>
          <View id="task-my-claims">
            {mine.map((c) => (
              <ClaimRow key={c.id} claim={c} show="volunteer" busy={claims.busy} onAction={(x, a) => void claims.run(x, a)} />
            ))}
          </View>
          {mine.some((c) => c.status === 'claimed' && !c.actions.includes('check_in')) ? (
            <View className="muted task__hint">
              签到时间为 {formatTime(task.checkInOpensAt)} 至结束；按签到到签退之间、任务时间以内的时长计入。
            </View>
          ) : null}
        </>
      ) : null}

      {manager ? (
        <>
          <View className="section-title">报名的志愿者（{others.length}）</View>
          {task.toConfirm ? (
            <View id="task-to-confirm" className="muted task__hint">
              {task.toConfirm} 人待确认：核对签到签退后确认，按到场时长发放；有出入可调整并写明理由。
            </View>
          ) : null}
          <View id="task-claims">
            {others.map((c) => (
              <ClaimRow key={c.id} claim={c} show="volunteer" busy={claims.busy} onAction={(x, a) => void claims.run(x, a)} />
            ))}
            {others.length === 0 ? <View className="card empty-card muted">还没有志愿者报名</View> : null}
          </View>
        </>
      ) : null}

      {claims.confirming ? (
        <ConfirmClaimForm
          claim={claims.confirming}
          fundedBy={task.fundedBy}
          busy={claims.busy}
          onClose={claims.closeConfirm}
          onSubmit={(body) => void claims.confirm(body)}
        />
      ) : null}

      {task.actions.includes('cancel') ? (
        <View className="block-button">
          <Button id="task-cancel" size="large" block disabled={busy} onClick={() => void callOff()}>
            取消任务
          </Button>
        </View>
      ) : null}
    </View>
  );
}
