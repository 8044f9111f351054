import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { CLAIM_FLAG_LABELS, CLAIM_STATUS_LABELS, PENDING_CLAIM_STATUSES, type ClaimAction, type ClaimStatus, type TimebankClaim } from '@linli/shared';
import { hoursText, taskDetailUrl } from '../services/timebank';
import { formatTime } from '../utils/time';
import { taskWhen } from './TaskRow';
import './ClaimRow.scss';

type TagType = 'primary' | 'warning' | 'success' | 'default' | 'danger';
const TAG_TYPES: Record<ClaimStatus, TagType> = {
  claimed: 'primary',
  checked_in: 'warning',
  checked_out: 'warning',
  confirmed: 'success',
  cancelled: 'default',
  no_show: 'danger',
};
export const CLAIM_ACTION_LABELS: Record<ClaimAction, string> = {
  cancel: '取消报名',
  check_in: '签到',
  check_out: '签退',
  confirm: '确认到场',
  no_show: '未到场',
};

interface Props {
  claim: TimebankClaim;
  /** The volunteer's own list names the task (tap opens it); a task's page names the volunteer. */
  show: 'task' | 'volunteer';
  busy?: boolean;
  onAction?: (claim: TimebankClaim, action: ClaimAction) => void;
}

/** （距任务地点 40 米）, （已定位） when the task has no place, nothing without a location. */
function where(meters: number | null, located: boolean): string {
  if (meters !== null) return `（距任务地点 ${meters} 米）`;
  return located ? '（已定位）' : '';
}

/** The attended time while it waits for confirmation; what was credited (and why, when adjusted) once confirmed. */
function ClaimHours({ claim }: { claim: TimebankClaim }) {
  if (claim.status === 'confirmed' && claim.creditedHours !== null) {
    return (
      <View className="claim-row__hours">
        <Text className="claim-row__credited">
          计入 {hoursText(claim.creditedHours)}
          {claim.points ? ` · ${claim.points} 积分` : ''}
        </Text>
        {claim.adjustReason ? <Text className="muted claim-row__reason">（签到记录 {hoursText(claim.attendedHours ?? 0)}）调整理由：{claim.adjustReason}</Text> : null}
      </View>
    );
  }
  if (claim.status === 'checked_out' && claim.attendedHours !== null) {
    return (
      <View className="claim-row__hours">
        <Text className="claim-row__attended">到场 {hoursText(claim.attendedHours)}</Text>
      </View>
    );
  }
  return null;
}

/** A claim on a task with the actions the caller may take on it. */
export function ClaimRow({ claim, show, busy, onAction }: Props) {
  const type = TAG_TYPES[claim.status];
  return (
    <View
      id={`claim-${claim.id}`}
      className={`claim-row card claim-${claim.status}`}
      onClick={show === 'task' ? () => void Taro.navigateTo({ url: taskDetailUrl(claim.taskId) }) : undefined}
    >
      <View className="claim-row__head">
        <Text className="claim-row__title">{show === 'task' ? claim.task.title : claim.volunteer.nickname}</Text>
        <Tag className={`claim-row__status claim-status-${claim.status}`} type={type} round plain={type === 'default'}>
          {CLAIM_STATUS_LABELS[claim.status]}
        </Tag>
      </View>
      <View className="muted">
        {show === 'task' ? `${taskWhen(claim.task)} · ` : ''}
        最多 {hoursText(claim.hours)}
      </View>
      {claim.checkedInAt || claim.checkedOutAt ? (
        <View className="muted claim-row__times">
          {claim.checkedInAt ? `签到 ${formatTime(claim.checkedInAt)}${where(claim.checkInDistanceMeters, claim.checkInLocation !== null)}` : ''}
          {claim.checkedOutAt ? `　签退 ${formatTime(claim.checkedOutAt)}${where(claim.checkOutDistanceMeters, claim.checkOutLocation !== null)}` : ''}
        </View>
      ) : null}
      <ClaimHours claim={claim} />
      {PENDING_CLAIM_STATUSES.includes(claim.status) && claim.flags.length > 0 ? (
        <View className="claim-row__flags">
          {claim.flags.map((flag) => (
            <Text key={flag} className={`mark mark--warning claim-flag-${flag}`}>
              {CLAIM_FLAG_LABELS[flag]}
            </Text>
          ))}
        </View>
      ) : null}
      {onAction && claim.actions.length > 0 ? (
        <View className="claim-row__actions">
          {claim.actions.map((action) => (
            <Button
              key={action}
              id={`claim-${claim.id}-${action}`}
              size="small"
              type={action === 'cancel' || action === 'no_show' ? 'default' : 'primary'}
              disabled={busy}
              onClick={(event) => {
                event.stopPropagation();
                onAction(claim, action);
              }}
            >
              {CLAIM_ACTION_LABELS[action]}
            </Button>
          ))}
        </View>
      ) : null}
    </View>
  );
}
