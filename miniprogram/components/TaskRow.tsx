import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { CLAIM_STATUS_LABELS, TASK_STATUS_LABELS, type TimebankTask } from '@linli/shared';
import { distanceText, hoursText, taskDetailUrl } from '../services/timebank';
import { formatTime } from '../utils/time';
import './TaskRow.scss';

interface Props {
  task: TimebankTask;
  busy?: boolean;
  onClaim?: (task: TimebankTask) => void;
}

/** 14:00–16:00 the same day, else both ends in full. */
export function taskWhen(task: Pick<TimebankTask, 'startAt' | 'endAt'>): string {
  const start = formatTime(task.startAt);
  const end = formatTime(task.endAt);
  const sameDay = start.slice(0, -6) === end.slice(0, -6);
  return `${start} – ${sameDay ? end.slice(-5) : end}`;
}

/** One time-bank task in a list; tap opens it. */
export function TaskRow({ task, busy, onClaim }: Props) {
  const full = task.claimed >= task.capacity;
  return (
    <View id={`task-row-${task.id}`} className="task-row card" onClick={() => void Taro.navigateTo({ url: taskDetailUrl(task.id) })}>
      <View className="task-row__head">
        <Text className="task-row__title">{task.title}</Text>
        <Text className="task-row__hours">{hoursText(task.hours)}</Text>
      </View>
      <View className="task-row__line muted"><Text className="task-row__key">时间</Text>{taskWhen(task)}</View>
      <View className="task-row__line muted">
        <Text className="task-row__key">{task.location ? '地点' : '范围'}</Text>
        {task.location ? task.location.address || '已标注位置' : task.scopeName}
        {task.distanceMeters !== null ? <Text className="task-row__distance">{distanceText(task.distanceMeters)}</Text> : null}
      </View>
      <View className="task-row__foot">
        <View className="task-row__marks">
          {task.status !== 'open' ? <Text className="mark mark--plain">{TASK_STATUS_LABELS[task.status]}</Text> : null}
          <Text className={`mark ${full ? 'mark--plain' : ''}`}>
            {full ? '名额已满' : `已报 ${task.claimed}/${task.capacity}`}
          </Text>
          {task.fundedBy === 'resident' ? <Text className="mark mark--warning">居民求助</Text> : null}
          {task.myClaim ? <Text className="mark mark--success">{CLAIM_STATUS_LABELS[task.myClaim.status]}</Text> : null}
          {task.toConfirm ? <Text className="mark mark--warning task-row__to-confirm">{task.toConfirm} 人待确认</Text> : null}
        </View>
        {onClaim && task.actions.includes('claim') ? (
          <Button
            id={`task-${task.id}-claim`}
            size="small"
            type="primary"
            disabled={busy}
            onClick={(event) => {
              event.stopPropagation();
              onClaim(task);
            }}
          >
            报名
          </Button>
        ) : null}
      </View>
    </View>
  );
}
