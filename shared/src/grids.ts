import { z } from 'zod';
import type { GridLevel } from './roles';

/** GCJ-02 degrees, as WeChat's map and getLocation({type: 'gcj02'}) give them. */
export const latLng = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
});
export type LatLng = z.infer<typeof latLng>;

export const locateQuery = latLng;
export const idParam = z.object({ id: z.coerce.number().int().positive() });

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4).max(20_000);
export const polygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(500) });
export const multiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1).max(500)).min(1).max(500),
});
export const boundaryGeometry = z.discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry]);
export type Boundary = z.infer<typeof boundaryGeometry>;

const gridLevel = z.enum(['district', 'street', 'community', 'grid', 'microgrid']);

/**
 * Admin import of a grid tree: a GeoJSON FeatureCollection whose features carry
 * `properties: {code, name, level, parentCode?}`. Parents come before children or already exist.
 * A code that exists is updated (name, boundary); a new one is created.
 */
export const gridImportBody = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        geometry: boundaryGeometry.nullable(),
        properties: z.object({
          code: z.string().trim().min(1).max(64),
          name: z.string().trim().min(1).max(100),
          level: gridLevel,
          parentCode: z.string().trim().min(1).max(64).nullish(),
        }),
      }),
    )
    .min(1)
    .max(20_000),
});
export type GridImportBody = z.infer<typeof gridImportBody>;

export interface GridPathEntry {
  id: number;
  level: GridLevel;
  name: string;
}

export interface GridTreeNode {
  id: number;
  level: GridLevel;
  name: string;
  code: string;
  boundary?: Boundary;
  children: GridTreeNode[];
}

export interface LocateResult {
  path: GridPathEntry[];
}

export interface BuildingSummary {
  id: number;
  name: string;
  code: string;
  microgridId: number;
  /** Units in display order, e.g. ["1单元", "2单元"]: the binding picker's second column. */
  units: string[];
  householdCount: number;
}

export interface HouseholdSummary {
  id: number;
  buildingId: number;
  unit: string;
  room: string;
  label: string;
}

export interface GridImportResult {
  created: number;
  updated: number;
}
