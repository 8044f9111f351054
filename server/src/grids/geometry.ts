import { area } from '@turf/area';
import { difference } from '@turf/difference';
import { intersect } from '@turf/intersect';
import { simplify } from '@turf/simplify';
import { union } from '@turf/union';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Boundary } from '@linli/shared';
import { boundingBox } from './spatial-index';

/*
 * Polygon work on grid boundaries, all through turf (polyclip-ts underneath for the boolean
 * operations, simplify-js's Douglas–Peucker for simplification): nothing hand-written.
 */

export type BBox = [number, number, number, number];

/**
 * A screen is at most ~2,000 device pixels across the node being drawn, and the app lets one zoom in
 * about twice: an outline within 1/2,000 of the drawing's extent is off by at most a pixel or two.
 */
export const SIMPLIFY_DIVISOR = 2000;

type Area = Polygon | MultiPolygon;

function asFeature(boundary: Boundary): Feature<Area> {
  return { type: 'Feature', properties: {}, geometry: boundary as Area };
}

function collection(boundaries: Boundary[]): FeatureCollection<Area> {
  return { type: 'FeatureCollection', features: boundaries.map(asFeature) };
}

function toBoundary(feature: Feature<Area> | null): Boundary | null {
  return feature ? (feature.geometry as Boundary) : null;
}

/** The boundaries joined into one area (a node without its own boundary is drawn as its children's). */
export function joinBoundaries(boundaries: Boundary[]): Boundary | null {
  if (boundaries.length === 0) return null;
  if (boundaries.length === 1) return boundaries[0];
  return toBoundary(union(collection(boundaries)));
}

/** Square metres covered by both. */
export function overlapArea(a: Boundary, b: Boundary): number {
  const shared = intersect(collection([a, b]));
  return shared ? area(shared) : 0;
}

/** What of `outer` none of `parts` covers, with its area in square metres. */
export function uncovered(outer: Boundary, parts: Boundary[]): { areaM2: number; geometry: Boundary | null } {
  const joined = joinBoundaries(parts);
  const rest = joined ? difference(collection([outer, joined])) : asFeature(outer);
  return { areaM2: rest ? area(rest) : 0, geometry: toBoundary(rest) };
}

export function areaM2(boundary: Boundary): number {
  return area(asFeature(boundary));
}

export function bboxOf(boundaries: Boundary[]): BBox | null {
  return mergeBoxes(boundaries.map(boundingBox));
}

/** The box around every box given (nulls, for what has no boundary, left out). */
export function mergeBoxes(boxes: (BBox | null)[]): BBox | null {
  const found = boxes.filter((box): box is BBox => box !== null);
  if (found.length === 0) return null;
  return [Math.min(...found.map((b) => b[0])), Math.min(...found.map((b) => b[1])), Math.max(...found.map((b) => b[2])), Math.max(...found.map((b) => b[3]))];
}

/** The tolerance (degrees) for drawing everything inside `bbox` on one screen. */
export function toleranceFor(bbox: BBox | null): number {
  if (!bbox) return 0;
  return Math.max(bbox[2] - bbox[0], bbox[3] - bbox[1]) / SIMPLIFY_DIVISOR;
}

/**
 * The boundary with every vertex it can lose within `tolerance` degrees dropped (Douglas–Peucker
 * without the radial pre-pass, so every dropped vertex is within `tolerance` of the outline kept),
 * and coordinates rounded to a tenth of that. turf keeps each ring a ring: where the tolerance would
 * flatten one, it retries with less, so a small child never vanishes from a large parent's drawing.
 */
export function simplifyForDrawing(boundary: Boundary, tolerance: number): Boundary {
  const simplified = tolerance > 0 ? (simplify(asFeature(boundary), { tolerance, highQuality: true }).geometry as Boundary) : boundary;
  // A tenth of the tolerance, and never coarser than a hundredth of the area's own size.
  const [w, s, e, n] = boundingBox(boundary);
  const step = Math.min(tolerance / 10 || 1e-7, Math.max(e - w, n - s) / 100 || 1e-7);
  const digits = Math.min(7, Math.max(0, Math.ceil(-Math.log10(step))));
  return roundBoundary(simplified, digits);
}

function roundBoundary(boundary: Boundary, digits: number): Boundary {
  const factor = 10 ** digits;
  const round = (x: number) => Math.round(x * factor) / factor;
  const ring = (positions: [number, number][]) => positions.map(([x, y]) => [round(x), round(y)] as [number, number]);
  return boundary.type === 'Polygon'
    ? { type: 'Polygon', coordinates: boundary.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: boundary.coordinates.map((polygon) => polygon.map(ring)) };
}
