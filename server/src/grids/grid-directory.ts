import type { DataSource } from 'typeorm';
import { boundaryGeometry, type Boundary, type GridLevel, type GridPathEntry, type GridTreeNode } from '@linli/shared';
import { onPrimary } from '../db/replicas';
import { SystemCounter } from '../db/system-counter.entity';
import { GridNode } from './grid-node.entity';
import { SpatialIndex } from './spatial-index';

export const BOUNDARY_COUNTER = 'grid_boundaries';

export interface GridNodeInfo {
  id: number;
  parentId: number | null;
  level: GridLevel;
  name: string;
  code: string;
  path: string;
  boundary: Boundary | null;
}

/**
 * The grid tree held in memory: node lookups, paths and the spatial index. Several server
 * instances share one database, so each one checks a counter in it (at most every `refreshMs`)
 * and reloads when another instance changed the tree.
 */
export class GridDirectory {
  private nodes = new Map<number, GridNodeInfo>();
  private children = new Map<number | null, number[]>();
  private index = SpatialIndex.build([]);
  private loadedRevision = -1;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly refreshMs = 5000,
  ) {}

  /** Reloads if the tree changed since the last load; cheap when it did not. */
  async ensureFresh(): Promise<void> {
    if (this.loadedRevision >= 0 && Date.now() - this.checkedAt < this.refreshMs) return;
    // From the primary even when a route reading replicas asks first: the tree is shared by every request.
    this.loading ??= onPrimary(() => this.reloadIfChanged()).finally(() => (this.loading = null));
    await this.loading;
  }

  /** The counter value the tree was loaded at: what is derived from the tree (drawings) is kept per revision. */
  get revision(): number {
    return this.loadedRevision;
  }

  /** Forgets the last check so the next ensureFresh() reads the counter (after a change here). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  private async reloadIfChanged(): Promise<void> {
    const counter = await this.dataSource.getRepository(SystemCounter).findOneBy({ name: BOUNDARY_COUNTER });
    const revision = counter?.value ?? 0;
    this.checkedAt = Date.now();
    if (revision === this.loadedRevision) return;
    const rows = await this.dataSource.getRepository(GridNode).find({ order: { id: 'ASC' } });
    this.load(rows.map(toInfo));
    this.loadedRevision = revision;
  }

  private load(infos: GridNodeInfo[]): void {
    this.nodes = new Map(infos.map((n) => [n.id, n]));
    this.children = new Map();
    for (const node of infos) {
      const siblings = this.children.get(node.parentId) ?? [];
      siblings.push(node.id);
      this.children.set(node.parentId, siblings);
    }
    this.index = SpatialIndex.build(
      infos.filter((n) => n.boundary).map((n) => ({ id: n.id, level: n.level, boundary: n.boundary! })),
    );
  }

  node(id: number): GridNodeInfo | undefined {
    return this.nodes.get(id);
  }

  /** Root → node, as `{id, level, name}` entries. */
  pathOf(id: number): GridPathEntry[] {
    const node = this.nodes.get(id);
    if (!node) return [];
    return node.path
      .split('/')
      .filter(Boolean)
      .map((part) => this.nodes.get(Number(part)))
      .filter((n): n is GridNodeInfo => !!n)
      .map(({ id: nodeId, level, name }) => ({ id: nodeId, level, name }));
  }

  /** The deepest node whose boundary contains the point, or null outside every grid. */
  locate(lat: number, lng: number): GridNodeInfo | null {
    const [deepest] = this.index.containing(lat, lng);
    return deepest === undefined ? null : this.nodes.get(deepest)!;
  }

  /** The node's direct children, in id order. */
  childrenOf(id: number): GridNodeInfo[] {
    return (this.children.get(id) ?? []).map((childId) => this.nodes.get(childId)!);
  }

  roots(): GridNodeInfo[] {
    return (this.children.get(null) ?? []).map((id) => this.nodes.get(id)!);
  }

  /** Ids of the node and everything below it. */
  subtreeIds(id: number): number[] {
    const out: number[] = [];
    const stack = [id];
    while (stack.length) {
      const current = stack.pop()!;
      out.push(current);
      stack.push(...(this.children.get(current) ?? []));
    }
    return out;
  }

  tree(rootId: number, withBoundaries: boolean): GridTreeNode {
    const node = this.nodes.get(rootId)!;
    return {
      id: node.id,
      level: node.level,
      name: node.name,
      code: node.code,
      ...(withBoundaries && node.boundary ? { boundary: node.boundary } : {}),
      children: (this.children.get(node.id) ?? []).map((childId) => this.tree(childId, withBoundaries)),
    };
  }
}

function toInfo(row: GridNode): GridNodeInfo {
  return {
    id: row.id,
    parentId: row.parentId,
    level: row.level,
    name: row.name,
    code: row.code,
    path: row.path,
    boundary: parseBoundary(row.boundary),
  };
}

/** A stored boundary, or null when there is none (or it no longer parses). */
export function parseBoundary(text: string | null): Boundary | null {
  if (!text) return null;
  const parsed = boundaryGeometry.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}
