import { View, Text, Image } from '@tarojs/components';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { REDEMPTION_STATUS_LABELS, type Redemption, type RedemptionAction } from '@linli/shared';
import { mediaUrl } from '../services/uploads';
import { formatTime } from '../utils/time';
import './RedemptionRow.scss';

const TAG_TYPES = { pending: 'warning', fulfilled: 'success', cancelled: 'default' } as const;
const ACTION_LABELS: Record<RedemptionAction, string> = { fulfil: '已领取', cancel: '取消兑换' };

interface Props {
  redemption: Redemption;
  /** The secretary's queue shows who redeemed it. */
  staff?: boolean;
  busy?: boolean;
  onAction?: (redemption: Redemption, action: RedemptionAction) => void;
}

/** One redemption: the reward, its cost, its state and the actions the caller may take. */
export function RedemptionRow({ redemption, staff, busy, onAction }: Props) {
  const type = TAG_TYPES[redemption.status];
  return (
    <View id={`redemption-${redemption.id}`} className={`redemption-row card redemption-${redemption.status}`}>
      <View className="redemption-row__head">
        {redemption.reward.imageUrl ? (
          <Image className="redemption-row__image" src={mediaUrl(redemption.reward.imageUrl)} mode="aspectFill" aria-label={redemption.reward.name} nativeProps={{ alt: redemption.reward.name }} />
        ) : (
          <View className="redemption-row__image redemption-row__image--empty">{redemption.reward.name.slice(0, 1)}</View>
        )}
        <View className="redemption-row__main">
          <Text className="redemption-row__name">{redemption.reward.name}</Text>
          <Text className="redemption-row__meta muted">
            {staff ? `${redemption.user.nickname} · ` : ''}
            {redemption.cost} 积分 · {formatTime(redemption.createdAt)}
          </Text>
        </View>
        <Tag className={`redemption-row__status redemption-status-${redemption.status}`} type={type} round plain={type === 'default'}>
          {REDEMPTION_STATUS_LABELS[redemption.status]}
        </Tag>
      </View>
      {redemption.status === 'pending' && !staff ? <View className="muted redemption-row__hint">请凭此记录到社区服务站领取</View> : null}
      {onAction && redemption.actions.length > 0 ? (
        <View className="redemption-row__actions">
          {redemption.actions.map((action) => (
            <Button
              key={action}
              id={`redemption-${redemption.id}-${action}`}
              size="small"
              type={action === 'fulfil' ? 'primary' : 'default'}
              disabled={busy}
              onClick={() => onAction(redemption, action)}
            >
              {staff && action === 'cancel' ? '取消并退还积分' : ACTION_LABELS[action]}
            </Button>
          ))}
        </View>
      ) : null}
    </View>
  );
}
