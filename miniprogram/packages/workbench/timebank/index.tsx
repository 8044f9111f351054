import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { mayRunTimebank, type TaskStatus, type TimebankTask, type VolunteerApplication } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { TaskRow } from '../../../components/TaskRow';
import { Tabs } from '../../../components/Tabs';
import { ensureSession } from '../../../services/auth';
import { decideApplication, listApplications, listTasks, NEW_TASK_PAGE } from '../../../services/timebank';
import { formatTime } from '../../../utils/time';
import './index.scss';

type Tab = 'tasks' | 'volunteers';
const TASK_FILTERS: Array<{ key: TaskStatus; label: string }> = [
  { key: 'open', label: '招募中' },
  { key: 'ended', label: '已结束' },
  { key: 'cancelled', label: '已取消' },
];

/**
 * 时间银行管理 for a secretary: the community's tasks (each opens to confirm attendance or mark a
 * no-show), posting a task paid by the community, and volunteer applications.
 */
function TimebankAdmin() {
  const [tab, setTab] = useState<Tab>('tasks');
  const [status, setStatus] = useState<TaskStatus>('open');
  const [tasks, setTasks] = useState<TimebankTask[] | null>(null);
  const [applications, setApplications] = useState<VolunteerApplication[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!(await ensureSession())) return;
    const [taskPage, appPage] = await Promise.all([
      listTasks({ scope: 'community', status }).catch(() => null),
      listApplications('pending').catch(() => null),
    ]);
    if (taskPage) setTasks(taskPage.items);
    if (appPage) setApplications(appPage.items);
  }, [status]);

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

  const decide = async (application: VolunteerApplication, decision: 'approve' | 'reject') => {
    if (busy) return;
    if (decision === 'reject') {
      const { confirm } = await Taro.showModal({ title: '不通过', content: `不通过 ${application.nickname} 的志愿者申请？`, confirmColor: '#e8552d' });
      if (!confirm) return;
    }
    setBusy(true);
    try {
      await decideApplication(application.userId, decision);
      void Taro.showToast({ title: decision === 'approve' ? `${application.nickname} 已成为志愿者` : '已处理', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setBusy(false);
      void load();
    }
  };

  const pending = applications?.length ?? 0;

  return (
    <View id="timebank-admin-page" className="page timebank-admin">
      <Tabs
        idPrefix="timebank-admin-tab"
        items={[
          { key: 'tasks', label: '志愿任务' },
          { key: 'volunteers', label: pending ? `志愿者审核（${pending}）` : '志愿者审核' },
        ]}
        active={tab}
        onChange={setTab}
      />

      {tab === 'tasks' ? (
        <View>
          <Button id="timebank-admin-new" type="primary" size="large" block onClick={() => void Taro.navigateTo({ url: NEW_TASK_PAGE })}>
            发布志愿任务
          </Button>
          <View className="timebank-admin__filters">
            <Choices idPrefix="admin-task-status" small items={TASK_FILTERS} selected={status} onSelect={setStatus} />
          </View>
          <View className="muted timebank-admin__hint">
            点开任务核对志愿者的签到签退：确认后按到场时长发放时长和积分，有出入可调整并写明理由；也可标记未到场。
          </View>
          <View id="admin-tasks">
            {(tasks ?? []).map((task) => (
              <TaskRow key={task.id} task={task} />
            ))}
            {tasks && tasks.length === 0 ? (
              <View className="card empty-card muted">没有{TASK_FILTERS.find((f) => f.key === status)?.label}的任务</View>
            ) : null}
          </View>
        </View>
      ) : (
        <View id="admin-applications">
          {(applications ?? []).map((application) => (
            <View key={application.userId} id={`application-${application.userId}`} className="card timebank-admin__application">
              <View className="timebank-admin__application-main">
                <Text className="timebank-admin__name">{application.nickname}</Text>
                <Text className="muted">
                  申请于 {formatTime(application.createdAt)}
                  {application.note ? ` · ${application.note}` : ''}
                </Text>
              </View>
              <View className="timebank-admin__application-actions">
                <Button id={`application-${application.userId}-reject`} size="small" disabled={busy} onClick={() => void decide(application, 'reject')}>
                  不通过
                </Button>
                <Button
                  id={`application-${application.userId}-approve`}
                  size="small"
                  type="primary"
                  disabled={busy}
                  onClick={() => void decide(application, 'approve')}
                >
                  通过
                </Button>
              </View>
            </View>
          ))}
          {applications && applications.length === 0 ? (
            <View id="applications-empty" className="card empty-card muted">
              没有待审核的志愿者申请
            </View>
          ) : null}
        </View>
      )}
    </View>
  );
}

export default restricted(TimebankAdmin, mayRunTimebank);
