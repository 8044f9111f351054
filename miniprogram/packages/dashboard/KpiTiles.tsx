import { View, Text } from '@tarojs/components';

export interface KpiTile {
  /** The tile's element id (the e2e reads figures by it). */
  id: string;
  label: string;
  value: string;
  unit: string;
  /** How the figure is made, in words (a signed figure says its base). */
  note: string;
  /** Marked as needing attention (also in words: the note says why, not the colour alone). */
  alert?: boolean;
}

/** The figures above a dashboard's charts, one tile each. */
export function KpiTiles({ id, tiles }: { id: string; tiles: KpiTile[] }) {
  return (
    <View id={id} className="dashboard__tiles">
      {tiles.map((tile) => (
        <View key={tile.id} id={tile.id} className={`dashboard__tile ${tile.alert ? 'is-alert' : ''}`}>
          <Text className="dashboard__tile-label">{tile.label}</Text>
          <View className="dashboard__tile-figure">
            <Text className="dashboard__tile-value">{tile.value}</Text>
            {tile.unit ? <Text className="dashboard__tile-unit">{tile.unit}</Text> : null}
          </View>
          <Text className="dashboard__tile-note">{tile.note}</Text>
        </View>
      ))}
    </View>
  );
}
