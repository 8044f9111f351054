import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { CLAIM_STATUS_LABELS, type ClaimAction, type ClaimStatus, type TimebankClaim } from '@linli/shared';
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
        {hoursText(claim.hours)}
      </View>
      {claim.checkedInAt || claim.checkedOutAt ? (
        <View className="muted claim-row__times">
          {claim.checkedInAt ? `签到 ${formatTime(claim.checkedInAt)}${claim.checkInLocation ? '（已定位）' : ''}` : ''}
          {claim.checkedOutAt ? `　签退 ${formatTime(claim.checkedOutAt)}${claim.checkOutLocation ? '（已定位）' : ''}` : ''}
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
