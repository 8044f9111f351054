import { View } from '@tarojs/components';
import './Tabs.scss';

interface Props<K extends string> {
  /** Each tab gets id `${idPrefix}-${key}`; the current one `is-active`. */
  idPrefix: string;
  items: Array<{ key: K; label: string }>;
  active: K;
  onChange: (key: K) => void;
}

/** A light segmented control: 商城 / 我的兑换, 本月 / 总榜… */
export function Tabs<K extends string>({ idPrefix, items, active, onChange }: Props<K>) {
  return (
    <View className="seg-tabs">
      {items.map((item) => (
        <View
          key={item.key}
          id={`${idPrefix}-${item.key}`}
          className={`seg-tabs__item ${active === item.key ? 'is-active' : ''}`}
          onClick={() => onChange(item.key)}
        >
          {item.label}
        </View>
      ))}
    </View>
  );
}
