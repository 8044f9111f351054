import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { OUTCOME_LABELS, participationText } from '@linli/shared';
import { consultDetailUrl, timeLeft, type ConsultationListItem } from '../services/consultations';
import { formatTime } from '../utils/time';
import { ConsultStatusTag } from './ConsultStatusTag';
import { ModerationMark } from './ModerationNotice';
import { ShareBar } from './ShareBar';
import './ConsultRow.scss';

interface Props {
  item: ConsultationListItem;
}

/** One consultation in a list: what phase it is in and, while voting, how many households took part. */
export function ConsultRow({ item }: Props) {
  const { status, tally } = item;
  return (
    <View id={`consult-row-${item.id}`} className="consult-row card" onClick={() => void Taro.navigateTo({ url: consultDetailUrl(item.id) })}>
      <View className="consult-row__head">
        <Text className="consult-row__title">{item.title}</Text>
        <ConsultStatusTag status={status} />
      </View>
      <View className="consult-row__meta muted">
        <Text className="consult-row__scope">{item.scopeName}</Text>
        <Text> · {item.proposer.nickname} 提议 · {formatTime(item.createdAt)}</Text>
        <ModerationMark state={item.moderation} className="consult-row__moderation" />
      </View>

      {status === 'proposed' ? (
        <ShareBar className="consult-row__bar consult-row-supporters" label="联名支持" part={item.supporters} whole={item.supportThreshold} unit="户" fraction />
      ) : null}

      {status === 'discussing' ? (
        <View className="consult-row__voting">
          {tally ? (
            <ShareBar
              className="consult-row__bar consult-row-participation"
              label="参与投票"
              part={tally.votedHouseholds}
              whole={tally.eligibleHouseholds}
              unit="户"
              fraction
              highlight
            />
          ) : null}
          {tally && tally.eligibleAreaM2 > 0 ? <View className="consult-row__area consult-row-area">{participationText(tally)}</View> : null}
          <View className="consult-row__deadline">{timeLeft(item.votingEndsAt)}</View>
        </View>
      ) : null}

      {item.outcome && status !== 'discussing' ? (
        <View className={`consult-row__outcome consult-row__outcome--${item.outcome}`}>
          表决结果：{OUTCOME_LABELS[item.outcome]}
          {tally && tally.eligibleAreaM2 > 0 ? <View className="consult-row__area consult-row-area">{participationText(tally)}</View> : null}
        </View>
      ) : null}
    </View>
  );
}
