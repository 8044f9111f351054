import { REPORT_STATUS_INFO, type Boundary, type GridMap, type GridMapFeature, type ReportCluster, type ReportPoint, type ReportStatus } from '@linli/shared';
import { echarts } from './echarts';

/* The drawing: outlines coloured by what is waiting there, points by status; every colour has a label too. */

export const OUTLINE = '__outline';

export interface Band {
  key: string;
  color: string;
  label: string;
}

const NO_COUNTS: Band = { key: 'none', color: '#eceff1', label: '不在您的管辖范围' };
const CLEAR: Band = { key: 'clear', color: '#c8e6c9', label: '无待办' };
const OVERDUE_COLORS = ['#ffcdd2', '#ef9a9a', '#e57373'];
const OPEN_COLORS = ['#ffe0b2', '#ffcc80', '#ffa726'];

/** Three bands of open counts (relative to the busiest child) and three of overdue ones, as the legend reads them. */
export function bandsFor(features: GridMapFeature[]): { bandOf: (f: GridMapFeature) => Band; legend: Band[] } {
  const counted = features.filter((f) => f.properties.open !== null);
  const maxOpen = Math.max(0, ...counted.map((f) => f.properties.open ?? 0));
  const maxOverdue = Math.max(0, ...counted.map((f) => f.properties.overdue ?? 0));
  const openBands = thirds(maxOpen).map(([from, to], i) => ({ key: `open-${i}`, color: OPEN_COLORS[i], label: `待办 ${range(from, to)} 件` }));
  const overdueBands = thirds(maxOverdue).map(([from, to], i) => ({ key: `overdue-${i}`, color: OVERDUE_COLORS[i], label: `超期 ${range(from, to)} 件` }));
  const bandOf = (f: GridMapFeature): Band => {
    const { open, overdue } = f.properties;
    if (open === null) return NO_COUNTS;
    if ((overdue ?? 0) > 0) return overdueBands[bandIndex(overdue!, thirds(maxOverdue))];
    if (open > 0) return openBands[bandIndex(open, thirds(maxOpen))];
    return CLEAR;
  };
  const used = new Set(features.map((f) => bandOf(f).key));
  return { bandOf, legend: [CLEAR, ...openBands, ...overdueBands, NO_COUNTS].filter((b) => used.has(b.key)) };
}

/** [1, max] cut in up to three ranges. */
function thirds(max: number): [number, number][] {
  if (max <= 0) return [];
  if (max < 3) return Array.from({ length: max }, (_, i) => [i + 1, i + 1]);
  const a = Math.ceil(max / 3);
  const b = Math.ceil((2 * max) / 3);
  return [
    [1, a],
    [a + 1, b],
    [b + 1, max],
  ];
}

function bandIndex(value: number, ranges: [number, number][]): number {
  return Math.max(0, ranges.findIndex(([from, to]) => value >= from && value <= to));
}

function range(from: number, to: number): string {
  return from === to ? String(from) : `${from}–${to}`;
}

/** Status → the colour of its point (the legend says which is which). */
export const POINT_COLORS: Record<ReportStatus, string> = {
  submitted: '#f57c00',
  accepted: '#1e88e5',
  dispatched: '#3949ab',
  in_progress: '#8e24aa',
  resolved: '#43a047',
  closed: '#9e9e9e',
  rejected: '#6d4c41',
  merged: '#bdbdbd',
};
export const OVERDUE_RING = '#b71c1c';

export function pointLegend(points: ReportPoint[]): Band[] {
  const statuses = [...new Set(points.map((p) => p.status))];
  return statuses.map((status) => ({ key: status, color: POINT_COLORS[status], label: REPORT_STATUS_INFO[status].label }));
}

/* ───────── GeoJSON for ECharts ───────── */

interface NamedArea {
  name: string;
  geometry: Boundary;
}

/** Registers the areas under a name made from their content (one registration per distinct drawing). */
export function registerAreas(areas: NamedArea[]): string {
  const geoJson = {
    type: 'FeatureCollection',
    features: areas.map((a) => ({ type: 'Feature', properties: { name: a.name }, geometry: a.geometry })),
  };
  const text = JSON.stringify(geoJson);
  const key = `linli-${hash(text)}`;
  if (!echarts.getMap(key)) echarts.registerMap(key, geoJson as never);
  return key;
}

/** The node's outline first (under its children), then each child with a boundary, named by id. */
export function gridAreas(map: GridMap): NamedArea[] {
  return [
    ...(map.outline ? [{ name: OUTLINE, geometry: map.outline }] : []),
    ...map.features.flatMap((f) => (f.geometry ? [{ name: String(f.properties.id), geometry: f.geometry }] : [])),
  ];
}

function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36) + text.length.toString(36);
}

/** [west, south, east, north] around every area. */
export function bboxOfAreas(areas: NamedArea[]): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null;
  for (const area of areas) {
    const polygons = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
    for (const [lng, lat] of polygons.flatMap((polygon) => polygon[0])) {
      box = box ? [Math.min(box[0], lng), Math.min(box[1], lat), Math.max(box[2], lng), Math.max(box[3], lat)] : [lng, lat, lng, lat];
    }
  }
  return box;
}

/** Flat maps drawn true to shape: a degree of longitude is cos(latitude) of a degree of latitude. */
export function aspectScaleAt(bbox: [number, number, number, number] | null): number {
  if (!bbox) return 0.86;
  return Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180);
}

/** Names on the map: readable over any fill, under the points (which sit on a layer above). */
export const AREA_LABEL = { show: true, fontSize: 11, color: '#263238', lineHeight: 14, backgroundColor: 'rgba(255,255,255,0.72)', padding: [2, 4], borderRadius: 3 };

export interface Region {
  name: string;
  itemStyle: Record<string, unknown>;
  label?: Record<string, unknown>;
  silent?: boolean;
  emphasis?: Record<string, unknown>;
}

export function geoComponent(key: string, bbox: GridMap['bbox'], regions: Region[], extra: Record<string, unknown> = {}) {
  return {
    map: key,
    roam: true,
    aspectScale: aspectScaleAt(bbox),
    layoutCenter: ['50%', '50%'],
    layoutSize: '92%',
    scaleLimit: { min: 0.8, max: 40 },
    triggerEvent: true,
    selectedMode: false,
    itemStyle: { areaColor: '#eceff1', borderColor: '#607d8b', borderWidth: 1 },
    label: { show: false },
    emphasis: { label: { show: true }, itemStyle: { areaColor: '#fff59d' } },
    regions,
    ...extra,
  };
}

/** Report points (overdue ringed) or, past the server's limit, clusters with their counts. */
export function pointSeries(points: ReportPoint[], clusters: ReportCluster[]) {
  const series: Record<string, unknown>[] = [];
  if (points.length) {
    series.push({
      id: 'points',
      type: 'scatter',
      coordinateSystem: 'geo',
      geoIndex: 0,
      symbolSize: 11,
      zlevel: 1,
      data: points.map((p) => ({
        value: [p.lng, p.lat],
        id: p.id,
        symbolSize: p.overdue ? 15 : 11,
        itemStyle: { color: POINT_COLORS[p.status], borderColor: p.overdue ? OVERDUE_RING : '#ffffff', borderWidth: p.overdue ? 3 : 1 },
      })),
    });
  }
  if (clusters.length) {
    const max = Math.max(...clusters.map((c) => c.count));
    series.push({
      id: 'clusters',
      type: 'scatter',
      coordinateSystem: 'geo',
      geoIndex: 0,
      zlevel: 1,
      data: clusters.map((c) => ({
        value: [c.lng, c.lat, c.count],
        cluster: c,
        symbolSize: 16 + 30 * Math.sqrt(c.count / max),
        itemStyle: {
          color: c.overdue > 0 ? 'rgba(229,57,53,0.75)' : c.open > 0 ? 'rgba(245,124,0,0.7)' : 'rgba(120,144,156,0.6)',
          borderColor: c.overdue > 0 ? OVERDUE_RING : '#ffffff',
          borderWidth: c.overdue > 0 ? 2 : 1,
        },
        label: { show: true, formatter: String(c.count), color: '#ffffff', fontSize: 11, fontWeight: 'bold' },
      })),
    });
  }
  return series;
}
