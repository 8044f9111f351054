import Flatbush from 'flatbush';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { GRID_LEVELS, type Boundary, type GridLevel } from '@linli/shared';

export interface IndexedArea {
  id: number;
  level: GridLevel;
  boundary: Boundary;
}

/**
 * Finds the grid nodes whose boundary contains a point: an R-tree (flatbush) of bounding boxes
 * narrows thousands of polygons to a handful, then an exact point-in-polygon test (holes respected,
 * a point on an edge counts as inside) decides.
 */
export class SpatialIndex {
  private constructor(
    private readonly areas: IndexedArea[],
    private readonly tree: Flatbush | null,
  ) {}

  static build(areas: IndexedArea[]): SpatialIndex {
    if (areas.length === 0) return new SpatialIndex([], null);
    const tree = new Flatbush(areas.length);
    for (const area of areas) {
      const [minX, minY, maxX, maxY] = boundingBox(area.boundary);
      tree.add(minX, minY, maxX, maxY);
    }
    tree.finish();
    return new SpatialIndex(areas, tree);
  }

  get size(): number {
    return this.areas.length;
  }

  /** Ids of every area containing the point, deepest level first, then lowest id (stable on shared edges). */
  containing(lat: number, lng: number): number[] {
    if (!this.tree) return [];
    const point = [lng, lat];
    return this.tree
      .search(lng, lat, lng, lat)
      .map((i) => this.areas[i])
      .filter((area) => booleanPointInPolygon(point, area.boundary))
      .sort((a, b) => depth(b.level) - depth(a.level) || a.id - b.id)
      .map((area) => area.id);
  }
}

/** The same question answered by testing every polygon: the baseline the benchmark compares against. */
export function containingByScan(areas: IndexedArea[], lat: number, lng: number): number[] {
  return areas.filter((area) => booleanPointInPolygon([lng, lat], area.boundary)).map((area) => area.id);
}

function depth(level: GridLevel): number {
  return GRID_LEVELS.indexOf(level);
}

export function boundingBox(boundary: Boundary): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  for (const polygon of polygons) {
    // The outer ring bounds the polygon; holes lie inside it.
    for (const [x, y] of polygon[0]) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}
