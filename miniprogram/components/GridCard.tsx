import { View, Text } from '@tarojs/components';
import { MEMBERSHIP_RELATION_LABELS, MEMBERSHIP_STATUS_LABELS, type MeHousehold } from '@linli/shared';
import { membershipTone, pathName } from '../services/me';
import './GridCard.scss';

interface Props {
  household: MeHousehold;
}

const ROWS = [
  { level: 'community', label: '所属社区' },
  { level: 'grid', label: '所属网格' },
  { level: 'microgrid', label: '微网格' },
] as const;

/** The resident's household and the grid that serves it, with the grid workers to turn to. */
export function GridCard({ household }: Props) {
  return (
    <View id="grid-card" className="grid-card card">
      <View className="grid-card__head">
        <Text className="grid-card__caption">我的住户</Text>
        <Text id="grid-card-household" className="grid-card__household">
          {household.label}
        </Text>
        <View className="grid-card__marks">
          <Text id="grid-card-status" className={`mark ${membershipTone(household.membership.status)}`}>
            {MEMBERSHIP_STATUS_LABELS[household.membership.status]}
          </Text>
          <Text className="mark mark--plain">{MEMBERSHIP_RELATION_LABELS[household.membership.relation]}</Text>
        </View>
        {household.membership.status === 'pending' ? (
          <View id="grid-card-pending" className="grid-card__pending">
            您的入户申请正在等待网格员核验{household.gridWorkers[0] ? `（${household.gridWorkers[0].nickname}）` : ''}。核验前可以说事，核验后可参与本楼联名和表决。
          </View>
        ) : null}
      </View>
      <View className="grid-card__path">
        {ROWS.map((row) => (
          <View key={row.level} className={`grid-card__row grid-card-${row.level}`}>
            <Text className="grid-card__label">{row.label}</Text>
            <Text className="grid-card__value">{pathName(household, row.level) ?? '—'}</Text>
          </View>
        ))}
      </View>
      <View className="grid-card__workers">
        <Text className="grid-card__caption">我的网格员</Text>
        {household.gridWorkers.length === 0 ? (
          <View className="grid-card__empty muted">暂未配置网格员，可联系社区居委会</View>
        ) : (
          household.gridWorkers.map((worker) => (
            <View key={worker.id} className="grid-card__worker grid-card-worker">
              <View className="grid-card__avatar">{worker.nickname.slice(0, 1)}</View>
              <View className="grid-card__worker-main">
                <Text className="grid-card__worker-name">{worker.nickname}</Text>
                <Text className="grid-card__worker-role muted">网格员</Text>
              </View>
              <Text className="grid-card__phone grid-card-phone">{worker.phoneMasked ?? '未留电话'}</Text>
            </View>
          ))
        )}
      </View>
    </View>
  );
}
