import { View, Text } from '@tarojs/components';
import type { LedgerEntryView } from '@linli/shared';
import { formatTime } from '../utils/time';
import './LedgerRow.scss';

interface Props {
  entry: LedgerEntryView;
  /** What the amount counts: 分 or 小时. */
  unit: string;
}

/** One line of a points or hours history: the reason a person reads, when, and the signed amount. */
export function LedgerRow({ entry, unit }: Props) {
  const amount = entry.amount > 0 ? `+${entry.amount}` : String(entry.amount);
  return (
    <View id={`ledger-${entry.id}`} className="ledger-row">
      <View className="ledger-row__main">
        <Text className="ledger-row__text">{entry.text}</Text>
        <Text className="ledger-row__time muted">{formatTime(entry.createdAt)}</Text>
      </View>
      <Text className={`ledger-row__amount ${entry.amount > 0 ? 'is-in' : 'is-out'}`}>
        {amount}
        <Text className="ledger-row__unit">{unit}</Text>
      </Text>
    </View>
  );
}
