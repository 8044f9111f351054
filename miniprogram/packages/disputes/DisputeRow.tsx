import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Tag } from '@nutui/nutui-react-taro';
import { DISPUTE_STATUS_INFO, DISPUTE_TYPE_LABELS, RISK_LEVEL_LABELS, type DisputeStatus, type DisputeSummary } from '@linli/shared';
import { disputeDetailUrl } from '../../services/disputes';
import { formatTime } from '../../utils/time';

export function DisputeStatusTag({ status }: { status: DisputeStatus }) {
  const info = DISPUTE_STATUS_INFO[status];
  return (
    <Tag className={`status-tag dispute-status-${status}`} type={info.tag} round plain={info.tag === 'default'}>
      {info.label}
    </Tag>
  );
}

/** One case in a list: number, status, title, type, mediator; staff also see the risk and overdue marks. */
export function DisputeRow({ dispute, staff }: { dispute: DisputeSummary; staff?: boolean }) {
  return (
    <View id={`dispute-row-${dispute.id}`} className={`card dispute-row dispute-row--${dispute.status}`} onClick={() => void Taro.navigateTo({ url: disputeDetailUrl(dispute.id) })}>
      <View className="dispute-row__top">
        <Text className="dispute-row__number">{dispute.number}</Text>
        <DisputeStatusTag status={dispute.status} />
      </View>
      <View className="dispute-row__title">{dispute.title}</View>
      <View className="dispute-row__meta muted">
        <Text>{DISPUTE_TYPE_LABELS[dispute.type]}</Text>
        {dispute.mediator ? <Text> · 调解员 {dispute.mediator.name}</Text> : null}
        <Text> · {formatTime(dispute.createdAt)}</Text>
      </View>
      {staff && (dispute.overdue || dispute.riskLevel !== 'normal') ? (
        <View className="dispute-row__marks">
          {dispute.riskLevel !== 'normal' ? <Text className={`mark mark--${dispute.riskLevel === 'red' ? 'danger' : 'warning'}`}>{RISK_LEVEL_LABELS[dispute.riskLevel]}</Text> : null}
          {dispute.overdue ? <Text className="mark mark--danger">已超期</Text> : null}
        </View>
      ) : null}
    </View>
  );
}
