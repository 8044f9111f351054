import { View, Text } from '@tarojs/components';
import './Charts.scss';

/*
 * Small charts drawn with plain views (flex boxes sized in %), so they render the same in the
 * mini-program and on H5 with no canvas and no chart library in the sub-package.
 */

export interface DailyPoint {
  date: string;
  received: number;
  closed: number;
}

/** A nice round top for the y axis. */
function axisMax(max: number): number {
  if (max <= 4) return Math.max(max, 1);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const steps = [1, 2, 2.5, 5, 10].map((s) => s * magnitude);
  return steps.find((s) => s >= max) ?? max;
}

/** Received and closed per day: paired columns, a light grid, dates under the first, middle and last day. */
export function DailyChart({ points }: { points: DailyPoint[] }) {
  const top = axisMax(Math.max(0, ...points.map((p) => Math.max(p.received, p.closed))));
  const labelAt = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  const totalReceived = points.reduce((sum, p) => sum + p.received, 0);
  const totalClosed = points.reduce((sum, p) => sum + p.closed, 0);
  return (
    <View id="daily-chart" className="daily-chart">
      <View className="chart-legend">
        <View className="chart-legend__item">
          <View className="chart-legend__dot chart-legend__dot--received" />
          <Text>受理 {totalReceived}</Text>
        </View>
        <View className="chart-legend__item">
          <View className="chart-legend__dot chart-legend__dot--closed" />
          <Text>办结 {totalClosed}</Text>
        </View>
      </View>
      <View className="daily-chart__body">
        <View className="daily-chart__axis">
          <Text>{top}</Text>
          <Text>{top / 2 === Math.round(top / 2) ? top / 2 : ''}</Text>
          <Text>0</Text>
        </View>
        <View className="daily-chart__plot">
          <View className="daily-chart__grid daily-chart__grid--top" />
          <View className="daily-chart__grid daily-chart__grid--mid" />
          {points.map((p) => (
            <View key={p.date} className="daily-chart__day" data-date={p.date} data-received={p.received} data-closed={p.closed}>
              <View className="daily-chart__bar daily-chart__bar--received" style={{ height: `${(p.received / top) * 100}%` }} />
              <View className="daily-chart__bar daily-chart__bar--closed" style={{ height: `${(p.closed / top) * 100}%` }} />
            </View>
          ))}
        </View>
      </View>
      <View className="daily-chart__dates">
        {points.map((p, index) => (
          <Text key={p.date} className={`daily-chart__date ${index === 0 ? 'is-first' : ''} ${index === points.length - 1 && index > 0 ? 'is-last' : ''}`}>
            {labelAt.has(index) ? `${Number(p.date.slice(5, 7))}/${Number(p.date.slice(8, 10))}` : ''}
          </Text>
        ))}
      </View>
    </View>
  );
}

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** e.g. 办结 3 · 75% */
  note?: string;
}

/** Horizontal bars, longest first as given. */
export function BarList({ idPrefix, rows, empty = '暂无数据' }: { idPrefix: string; rows: BarRow[]; empty?: string }) {
  if (rows.length === 0) return <View className="muted bar-list__empty">{empty}</View>;
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <View className="bar-list">
      {rows.map((row) => (
        <View key={row.key} id={`${idPrefix}-${row.key}`} className="bar-list__row">
          <View className="bar-list__head">
            <Text className="bar-list__label">{row.label}</Text>
            <Text className="bar-list__value">{row.value}</Text>
          </View>
          <View className="bar-list__track">
            <View className="bar-list__fill" style={{ width: `${(row.value / max) * 100}%` }} />
          </View>
          {row.note ? <Text className="bar-list__note muted">{row.note}</Text> : null}
        </View>
      ))}
    </View>
  );
}
