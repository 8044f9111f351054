import { describe, expect, it } from 'vitest';
import type { Boundary } from '@linli/shared';
import { SpatialIndex, containingByScan, type IndexedArea } from './spatial-index';

type Polygon = Extract<Boundary, { type: 'Polygon' }>;
const square = (west: number, south: number, east: number, north: number, holes: [number, number][][] = []): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
    ...holes,
  ],
});

// Two micro-grids side by side sharing the edge lng = 120.151; the west one has a hole (a park).
const HOLE: [number, number][] = [
  [120.1490, 30.2790],
  [120.1495, 30.2790],
  [120.1495, 30.2795],
  [120.1490, 30.2795],
  [120.1490, 30.2790],
];
const AREAS: IndexedArea[] = [
  { id: 10, level: 'microgrid', boundary: square(120.148, 30.278, 120.151, 30.28, [HOLE]) },
  { id: 11, level: 'microgrid', boundary: square(120.151, 30.278, 120.154, 30.28) },
  {
    id: 12,
    level: 'microgrid',
    boundary: { type: 'MultiPolygon', coordinates: [square(120.16, 30.27, 120.161, 30.271).coordinates, square(120.17, 30.27, 120.171, 30.271).coordinates] },
  },
];

describe('SpatialIndex', () => {
  const index = SpatialIndex.build(AREAS);

  it('finds the polygon containing a point inside it', () => {
    expect(index.containing(30.279, 120.1485)).toEqual([10]);
    expect(index.containing(30.2785, 120.153)).toEqual([11]);
  });

  it('a point on a shared edge belongs to both, lowest id first (stable routing)', () => {
    expect(index.containing(30.279, 120.151)).toEqual([10, 11]);
  });

  it('a point on an outer edge counts as inside', () => {
    expect(index.containing(30.278, 120.152)).toEqual([11]);
  });

  it('a point in a hole is not inside the polygon with the hole', () => {
    expect(index.containing(30.2792, 120.1492)).toEqual([]);
  });

  it('a point outside every polygon finds nothing, even inside a bounding box', () => {
    expect(index.containing(30.2705, 120.165)).toEqual([]);
    expect(index.containing(31, 121)).toEqual([]);
  });

  it('finds either part of a MultiPolygon', () => {
    expect(index.containing(30.2705, 120.1605)).toEqual([12]);
    expect(index.containing(30.2705, 120.1705)).toEqual([12]);
  });

  it('deeper levels come first when nested areas contain the point', () => {
    const nested = SpatialIndex.build([
      { id: 1, level: 'community', boundary: square(120, 30, 121, 31) },
      { id: 2, level: 'microgrid', boundary: square(120.4, 30.4, 120.6, 30.6) },
      { id: 3, level: 'grid', boundary: square(120.3, 30.3, 120.7, 30.7) },
    ]);
    expect(nested.containing(30.5, 120.5)).toEqual([2, 3, 1]);
  });

  it('agrees with a linear scan on random points', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 2000; i++) {
      const lat = 30.265 + random() * 0.02;
      const lng = 120.145 + random() * 0.03;
      expect(index.containing(lat, lng).sort()).toEqual(containingByScan(AREAS, lat, lng).sort());
    }
  });

  it('an empty index finds nothing', () => {
    expect(SpatialIndex.build([]).containing(30, 120)).toEqual([]);
  });
});
