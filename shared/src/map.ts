import { z } from 'zod';
import type { Boundary } from './grids';
import { REPORT_STATUSES, type ReportStatus } from './reports';
import { CAPABILITY_ROLES } from './capabilities';
import type { GridLevel } from './roles';
import { dayOrInstant } from './stats';

/* ───────────── the map (一图): GET /grids/map, GET /reports/points ───────────── */

/** Who sees report counts on the map and the report points: the staff who triage and supervise. */
export const MAP_STAFF_ROLES = CAPABILITY_ROLES.readGridMap;

/** `nodeId` omitted: the staff's widest node, a resident's community, or the top of the tree. */
export const gridMapQuery = z.object({
  nodeId: z.coerce.number().int().positive().optional(),
});
export type GridMapQuery = z.infer<typeof gridMapQuery>;

/** One child of the node drawn: its outline simplified for a screen, and what is waiting there. */
export interface GridMapProperties {
  id: number;
  name: string;
  level: GridLevel;
  /** Reports open now (submitted, accepted, dispatched, in progress); null where the caller sees no counts. */
  open: number | null;
  /** Of those, past their due time (as a report's `overdue`); null where the caller sees no counts. */
  overdue: number | null;
  /** It has children of its own to drill into. */
  hasChildren: boolean;
  /** The outline is its descendants' boundaries joined (it has none of its own). */
  derived: boolean;
}

export interface GridMapFeature {
  type: 'Feature';
  /** null: neither it nor anything below it has a boundary (listed, not drawn). */
  geometry: Boundary | null;
  properties: GridMapProperties;
}

/** A GeoJSON FeatureCollection with foreign members: the node itself, its path and what the caller may see. */
export interface GridMap {
  type: 'FeatureCollection';
  features: GridMapFeature[];
  node: { id: number; name: string; level: GridLevel; parentId: number | null };
  /** Root → node, for the breadcrumb (and the way back up). */
  path: { id: number; name: string; level: GridLevel }[];
  /** The node's own outline (simplified as its children's), when it has one: drawn under them. */
  outline: Boundary | null;
  /** [west, south, east, north] of everything drawn, or null when nothing is. */
  bbox: [number, number, number, number] | null;
  /** Counts over the whole node (its own reports too), when the caller sees counts on every child. */
  totals: { open: number; overdue: number } | null;
  /** The simplification tolerance used, in degrees (outlines are within it of the stored boundaries). */
  tolerance: number;
}

/** `open` = the four statuses still with staff; `overdue` = those of them past due. */
export const POINT_STATUS_FILTERS = [...REPORT_STATUSES, 'open', 'overdue'] as const;
export type PointStatusFilter = (typeof POINT_STATUS_FILTERS)[number];

/** The reports received in [from, to) under the node (the dashboard's period rules), with a place. */
export const reportPointsQuery = z.object({
  nodeId: z.coerce.number().int().positive().optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  status: z.enum(POINT_STATUS_FILTERS).optional(),
});
export type ReportPointsQuery = z.infer<typeof reportPointsQuery>;

export interface ReportPoint {
  id: number;
  lat: number;
  lng: number;
  status: ReportStatus;
  overdue: boolean;
}

/** Reports close together, counted: sent instead of points when there are more than `limit`. */
export interface ReportCluster {
  lat: number;
  lng: number;
  count: number;
  open: number;
  overdue: number;
}

export interface ReportPoints {
  /** Every located report of the period, when there are at most `limit`; else empty. */
  items: ReportPoint[];
  /** Over `limit`: all of them counted in cells (about 1/40 of the node's width); else empty. */
  clusters: ReportCluster[];
  /** Located reports counted (in the points or the clusters). */
  total: number;
  /** Reports of the period without a place (routed by household): not on the map. */
  unlocated: number;
  limit: number;
  from: string;
  to: string;
}

/* ───────────── the admin's import preview: POST /grids/import?dryRun=true ───────────── */

export const gridImportQuery = z.object({
  dryRun: z.enum(['true', 'false']).default('false'),
});

export type GridImportChange = 'new' | 'changed' | 'unchanged';

export interface GridImportPreviewNode {
  code: string;
  name: string;
  level: GridLevel;
  parentCode: string | null;
  change: GridImportChange;
  /** The boundary as imported, simplified for drawing (null without one). */
  geometry: Boundary | null;
}

/** Two siblings whose areas cover each other (m²). */
export interface GridOverlap {
  parentCode: string | null;
  codes: [string, string];
  names: [string, string];
  areaM2: number;
}

/** Part of a parent's area that none of its children covers (m², and the share of the parent). */
export interface GridGap {
  parentCode: string;
  areaM2: number;
  share: number;
  geometry: Boundary | null;
}

/** Nothing is written. `changed` counts existing codes whose name or boundary would change (the import's own `updated` counts every existing code). */
export interface GridImportPreview {
  created: number;
  changed: number;
  unchanged: number;
  nodes: GridImportPreviewNode[];
  overlaps: GridOverlap[];
  gaps: GridGap[];
  /** Parents' outlines (existing or imported) around the children checked, for drawing. */
  parents: { code: string; name: string; geometry: Boundary | null }[];
  /** The existing siblings the import does not name, beside the imported ones (drawn, to see overlaps). */
  siblings: { code: string; name: string; geometry: Boundary | null }[];
}
