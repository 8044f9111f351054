import Flatbush from 'flatbush';
import { In, type EntityManager } from 'typeorm';
import { type Boundary, type GridGap, type GridImportBody, type GridImportChange, type GridImportPreview, type GridOverlap } from '@linli/shared';
import { areaM2, bboxOf, overlapArea, simplifyForDrawing, toleranceFor, uncovered } from './geometry';
import { parseBoundary } from './grid-directory';
import { GridNode } from './grid-node.entity';
import { boundingBox } from './spatial-index';

/** A parent and its children as they would stand after the import. */
export interface ImportFamily {
  parent: { code: string; name: string; boundary: Boundary | null };
  children: { code: string; name: string; boundary: Boundary | null }[];
}

/** Below these an overlap or a gap is the rounding of a shared edge, not a mistake in the drawing. */
const OVERLAP_MIN_M2 = 1;
const GAP_MIN_SHARE = 0.001;
/** Bound variables per IN (…): far below SQLite's and MariaDB's limits. */
const CHUNK = 900;

/** Read inside the preview's transaction: every parent the import adds to or reshapes, with all its children. */
export async function familiesTouched(manager: EntityManager, body: GridImportBody): Promise<ImportFamily[]> {
  const nodes = manager.getRepository(GridNode);
  const imported = await findIn(body.features.map((f) => f.properties.code), (codes) => nodes.findBy({ code: In(codes) }));
  // Each imported node's parent (its siblings may now overlap it), and the node itself (its children may no longer fill it).
  const parentIds = [...new Set(imported.flatMap((n) => (n.parentId === null ? [n.id] : [n.parentId, n.id])))];
  const [parents, children] = await Promise.all([
    findIn(parentIds, (ids) => nodes.findBy({ id: In(ids) })),
    findIn(parentIds, (ids) => nodes.findBy({ parentId: In(ids) })),
  ]);
  const childrenOf = new Map<number, GridNode[]>();
  for (const child of children) childrenOf.set(child.parentId!, [...(childrenOf.get(child.parentId!) ?? []), child]);
  return parents
    .filter((p) => childrenOf.has(p.id))
    .map((p) => ({
      parent: { code: p.code, name: p.name, boundary: parseBoundary(p.boundary) },
      children: childrenOf.get(p.id)!.map((c) => ({ code: c.code, name: c.name, boundary: parseBoundary(c.boundary) })),
    }));
}

/** What the admin sees before saving: each node's change, overlapping siblings, uncovered parts of parents. */
export function importPreview(body: GridImportBody, changes: GridImportChange[], families: ImportFamily[]): GridImportPreview {
  const drawn = [...body.features.flatMap((f) => (f.geometry ? [f.geometry] : [])), ...families.flatMap((f) => (f.parent.boundary ? [f.parent.boundary] : []))];
  const tolerance = toleranceFor(bboxOf(drawn));
  const draw = (boundary: Boundary | null) => (boundary ? simplifyForDrawing(boundary, tolerance) : null);
  const imported = new Set(body.features.map((f) => f.properties.code));
  return {
    created: changes.filter((c) => c === 'new').length,
    changed: changes.filter((c) => c === 'changed').length,
    unchanged: changes.filter((c) => c === 'unchanged').length,
    nodes: body.features.map((f, i) => ({
      code: f.properties.code,
      name: f.properties.name,
      level: f.properties.level,
      parentCode: f.properties.parentCode ?? null,
      change: changes[i],
      geometry: draw(f.geometry),
    })),
    overlaps: families.flatMap(overlapsIn),
    gaps: families.flatMap((family) => gapIn(family, draw)),
    parents: families.map((f) => ({ code: f.parent.code, name: f.parent.name, geometry: draw(f.parent.boundary) })),
    siblings: families.flatMap((f) => f.children.filter((c) => !imported.has(c.code)).map((c) => ({ code: c.code, name: c.name, geometry: draw(c.boundary) }))),
  };
}

/** Siblings whose areas cover each other: candidates by bounding box (an R-tree), then the exact intersection. */
function overlapsIn(family: ImportFamily): GridOverlap[] {
  const drawn = family.children.filter((c): c is ImportFamily['children'][number] & { boundary: Boundary } => c.boundary !== null);
  if (drawn.length < 2) return [];
  const index = new Flatbush(drawn.length);
  for (const child of drawn) index.add(...boundingBox(child.boundary));
  index.finish();
  const found: GridOverlap[] = [];
  drawn.forEach((child, i) => {
    for (const j of index.search(...boundingBox(child.boundary))) {
      if (j <= i) continue;
      const shared = overlapArea(child.boundary, drawn[j].boundary);
      if (shared >= OVERLAP_MIN_M2) found.push({ parentCode: family.parent.code, codes: [child.code, drawn[j].code], names: [child.name, drawn[j].name], areaM2: Math.round(shared) });
    }
  });
  return found;
}

/** The part of the parent no child covers, when it is more than a rounding's worth. */
function gapIn(family: ImportFamily, draw: (b: Boundary | null) => Boundary | null): GridGap[] {
  const parent = family.parent.boundary;
  if (!parent) return [];
  const total = areaM2(parent);
  const rest = uncovered(
    parent,
    family.children.flatMap((c) => (c.boundary ? [c.boundary] : [])),
  );
  const share = total > 0 ? rest.areaM2 / total : 0;
  if (share < GAP_MIN_SHARE) return [];
  return [{ parentCode: family.parent.code, areaM2: Math.round(rest.areaM2), share: Math.round(share * 1000) / 1000, geometry: draw(rest.geometry) }];
}

async function findIn<K, T>(keys: K[], find: (chunk: K[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await find(keys.slice(i, i + CHUNK))));
  return out;
}
