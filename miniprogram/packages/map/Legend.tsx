import { Text, View } from '@tarojs/components';
import type { Band } from './map-option';
import './Legend.scss';

/** Colours with their meaning written beside them (colour is never the only sign). */
export function Legend({ title, bands, round = false }: { title: string; bands: Band[]; round?: boolean }) {
  if (bands.length === 0) return null;
  return (
    <View className="map-legend">
      <Text className="map-legend__title">{title}</Text>
      <View className="map-legend__items">
        {bands.map((band) => (
          <View key={band.key} className={`map-legend__item map-legend-${band.key}`}>
            <View className={`map-legend__swatch ${round ? 'map-legend__swatch--round' : ''}`} style={{ background: band.color }} />
            <Text>{band.label}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
