import type { Boundary } from '@linli/shared';
import { containingByScan, SpatialIndex, type IndexedArea } from '../server/src/grids/spatial-index';

/**
 * 7,000 micro-grid polygons of a county (a 70 × 100 tiling of irregular 24-vertex rings), queried at
 * random points: the R-tree index against testing every polygon.
 */
export function countyMicrogrids(count = 7000): IndexedArea[] {
  const columns = 100;
  const cell = 0.004; // ≈ 400 m
  const areas: IndexedArea[] = [];
  for (let i = 0; i < count; i++) {
    const cx = 120 + (i % columns) * cell + cell / 2;
    const cy = 30 + Math.floor(i / columns) * cell + cell / 2;
    const ring: [number, number][] = [];
    for (let k = 0; k < 24; k++) {
      const angle = (k / 24) * 2 * Math.PI;
      const r = (cell / 2) * (0.8 + 0.2 * Math.sin(i * 7 + k * 3));
      ring.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
    }
    ring.push(ring[0]);
    areas.push({ id: i + 1, level: 'microgrid', boundary: { type: 'Polygon', coordinates: [ring] } as Boundary });
  }
  return areas;
}

function randomPoints(n: number, seed = 42): [number, number][] {
  let s = seed;
  const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: n }, () => [30 + random() * 0.28, 120 + random() * 0.4]);
}

export function benchLocate() {
  const areas = countyMicrogrids();
  const buildStart = performance.now();
  const index = SpatialIndex.build(areas);
  const buildMs = performance.now() - buildStart;
  const indexed = rate(randomPoints(20_000), ([lat, lng]) => index.containing(lat, lng));
  const scanned = rate(randomPoints(300, 7), ([lat, lng]) => containingByScan(areas, lat, lng));
  // Same answers, or the speed means nothing.
  for (const [lat, lng] of randomPoints(300, 7)) {
    if (JSON.stringify(index.containing(lat, lng).sort()) !== JSON.stringify(containingByScan(areas, lat, lng).sort())) {
      throw new Error(`index and scan disagree at ${lat},${lng}`);
    }
  }
  return { polygons: areas.length, buildMs, indexedPerSecond: indexed, scannedPerSecond: scanned };
}

function rate<T>(inputs: T[], work: (input: T) => unknown): number {
  const start = performance.now();
  for (const input of inputs) work(input);
  return inputs.length / ((performance.now() - start) / 1000);
}
