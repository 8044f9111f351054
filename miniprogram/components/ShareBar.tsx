import { View, Text } from '@tarojs/components';
import { percent } from '../services/consultations';
import './ShareBar.scss';

interface Props {
  /** e.g. 已投票 / 同意 */
  label: string;
  part: number;
  whole: number;
  /** What follows the numbers, e.g. 户 or 票. */
  unit: string;
  id?: string;
  className?: string;
  /** Shows `part / whole` instead of `part` and the percentage. */
  fraction?: boolean;
  highlight?: boolean;
  /** How the numbers are written (e.g. areas: 2,180.6). */
  format?: (n: number) => string;
}

/** A labelled bar: participation (voted / eligible households) or one option's share of the votes. */
export function ShareBar({ label, part, whole, unit, id, className, fraction, highlight, format = String }: Props) {
  const share = percent(part, whole);
  return (
    <View id={id} className={`share-bar ${highlight ? 'share-bar--highlight' : ''} ${className ?? ''}`}>
      <View className="share-bar__head">
        <Text className="share-bar__label">{label}</Text>
        <Text className="share-bar__value">
          {fraction ? `${format(part)} / ${format(whole)} ${unit}` : `${format(part)} ${unit}`}
          <Text className="share-bar__percent"> · {share}%</Text>
        </Text>
      </View>
      <View className="share-bar__track">
        <View className="share-bar__fill" style={{ width: `${share}%` }} />
      </View>
    </View>
  );
}
