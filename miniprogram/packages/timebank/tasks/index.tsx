import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { mayPostTask, type TimebankTask } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { TaskRow } from '../../../components/TaskRow';
import { Tabs } from '../../../components/Tabs';
import { ensureSession, isWeapp } from '../../../services/auth';
import { useMe } from '../../../hooks/useMe';
import { claimTask, listTasks, NEW_TASK_PAGE, quietLocation, taskDetailUrl } from '../../../services/timebank';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

type Scope = 'community' | 'claimed' | 'mine';
const EMPTY: Record<Scope, string> = {
  community: '社区暂时没有招募中的任务',
  claimed: '您还没有报名任务',
  mine: '您还没有发布任务',
};

/** Open tasks of my community, nearest first where the phone gives its place; those I claimed or posted. */
export default function Tasks() {
  const { me } = useMe();
  const [scope, setScope] = useState<Scope>('community');
  const [tasks, setTasks] = useState<TimebankTask[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [located, setLocated] = useState(false);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const current = ++generation.current;
    if (!(await ensureSession())) return;
    setFailed(false);
    try {
      const location = scope === 'community' ? await quietLocation() : null;
      const page = await listTasks({ scope, location });
      if (current !== generation.current) return;
      setLocated(location !== null);
      setTasks(page.items);
    } catch {
      if (current === generation.current) setFailed(true);
    }
  }, [scope]);

  const firstShow = useRef(true);
  useEffect(() => {
    setTasks(null);
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

  const claim = async (task: TimebankTask) => {
    if (busy) return;
    const { confirm } = await Taro.showModal({
      title: '报名任务',
      content: `报名「${task.title}」？开始前可以取消；开始前 30 分钟起可以签到。`,
      confirmColor: '#c23b17',
    });
    if (!confirm) return;
    setBusy(true);
    try {
      await claimTask(task.id);
      void Taro.showToast({ title: '报名成功', icon: 'success' });
      void Taro.navigateTo({ url: taskDetailUrl(task.id) });
    } catch {
      // Places taken, already claimed…: toasted; the list below shows how things stand now.
    } finally {
      setBusy(false);
      void load();
    }
  };

  return (
    <View id="tasks-page" className={pageClass('page tasks')}>
      <Tabs
        idPrefix="tasks-scope"
        items={[
          { key: 'community', label: '招募中' },
          { key: 'claimed', label: '我报名的' },
          { key: 'mine', label: '我发布的' },
        ]}
        active={scope}
        onChange={setScope}
      />
      {scope === 'community' && tasks ? (
        <View className="muted tasks__hint">{located ? '按离您的距离排序' : isWeapp ? '未获取到位置，按开始时间排序' : '按开始时间排序'}</View>
      ) : null}

      {failed ? (
        <LoadFailed onRetry={() => void load()} />
      ) : tasks === null ? (
        <View className="card muted">正在加载…</View>
      ) : (
        <View id="tasks-list">
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} busy={busy} onClaim={(t) => void claim(t)} />
          ))}
          {tasks.length === 0 ? (
            <View id="tasks-empty" className="card empty-card muted">
              {EMPTY[scope]}
            </View>
          ) : null}
        </View>
      )}

      {scope === 'mine' && mayPostTask(me) ? (
        <View className="block-button">
          <Button id="tasks-new" type="primary" size="large" block onClick={() => void Taro.navigateTo({ url: NEW_TASK_PAGE })}>
            发布求助任务
          </Button>
        </View>
      ) : null}
      <Text className="muted tasks__foot">任务由社区或有时长的居民发布，服务经确认后时长存入您的时间银行。</Text>
    </View>
  );
}
