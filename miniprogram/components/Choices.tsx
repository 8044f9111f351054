import { View } from '@tarojs/components';
import './Choices.scss';

export interface Choice<K extends string | number> {
  key: K;
  label: string;
}

interface Props<K extends string | number> {
  /** Each option gets `id` and class `${idPrefix}-${key}`; the chosen one also `is-selected`. */
  idPrefix: string;
  items: Choice<K>[];
  selected: K | null;
  onSelect: (key: K) => void;
  /** One option per row (long names) instead of a grid of short ones. */
  wide?: boolean;
  /** Smaller options, four to a row: for forms inside a popup. */
  small?: boolean;
}

/** Big tappable options: easier for older residents than a scroll wheel. */
export function Choices<K extends string | number>({ idPrefix, items, selected, onSelect, wide, small }: Props<K>) {
  if (items.length === 0) return null;
  return (
    <View className={`choices ${wide ? 'choices--wide' : ''} ${small ? 'choices--small' : ''}`}>
      {items.map((item) => {
        const isSelected = item.key === selected;
        return (
          <View
            key={item.key}
            id={`${idPrefix}-${item.key}`}
            className={`choices__item ${idPrefix}-${item.key} ${isSelected ? 'is-selected' : ''}`}
            onClick={() => onSelect(item.key)}
          >
            {item.label}
          </View>
        );
      })}
    </View>
  );
}
