import type { Boundary } from '@linli/shared';
import { bboxOf, joinBoundaries, simplifyForDrawing, toleranceFor, type BBox } from './geometry';
import type { GridDirectory } from './grid-directory';

export interface DrawnChild {
  id: number;
  /** Its own boundary, or its descendants' joined (`derived`), simplified; null when there is neither. */
  geometry: Boundary | null;
  derived: boolean;
}

/** A node's children ready to draw on one screen. */
export interface NodeDrawing {
  children: DrawnChild[];
  /** The node's own outline (its boundary or its children's joined), simplified alike. */
  outline: Boundary | null;
  bbox: BBox | null;
  tolerance: number;
}

/**
 * The drawings of the map (GET /grids/map), per node, kept until the grid tree changes. The tree's
 * revision is the boundary counter every import, rename, create or delete bumps (grid-directory.ts):
 * each instance reloads its directory when the counter moves, and a drawing made at another revision is
 * dropped, so an import on one instance reaches every instance's map within the directory's refresh.
 * A node without a boundary of its own is drawn as its descendants' boundaries joined.
 */
export class GridDrawings {
  private revision = -1;
  private outlines = new Map<number, Boundary | null>();
  private drawings = new Map<number, NodeDrawing>();

  constructor(private readonly directory: GridDirectory) {}

  /** Call after `directory.ensureFresh()`. */
  of(nodeId: number): NodeDrawing {
    if (this.revision !== this.directory.revision) {
      this.revision = this.directory.revision;
      this.outlines.clear();
      this.drawings.clear();
    }
    let drawing = this.drawings.get(nodeId);
    if (!drawing) {
      drawing = this.draw(nodeId);
      this.drawings.set(nodeId, drawing);
    }
    return drawing;
  }

  private draw(nodeId: number): NodeDrawing {
    const children = this.directory.childrenOf(nodeId).map((child) => ({ id: child.id, outline: this.outline(child.id), derived: !child.boundary }));
    const outline = this.outline(nodeId);
    const drawn = children.flatMap((c) => (c.outline ? [c.outline] : []));
    const bbox = bboxOf(outline ? [outline, ...drawn] : drawn);
    const tolerance = toleranceFor(bbox);
    return {
      children: children.map((c) => ({ id: c.id, geometry: c.outline ? simplifyForDrawing(c.outline, tolerance) : null, derived: c.derived && !!c.outline })),
      outline: outline ? simplifyForDrawing(outline, tolerance) : null,
      bbox,
      tolerance,
    };
  }

  /** Its boundary, else its children's outlines joined (memoised: a street's reuses its communities'). */
  private outline(nodeId: number): Boundary | null {
    if (this.outlines.has(nodeId)) return this.outlines.get(nodeId)!;
    const node = this.directory.node(nodeId);
    const own = node?.boundary ?? null;
    const outline = own ?? joinBoundaries(this.directory.childrenOf(nodeId).flatMap((child) => this.outline(child.id) ?? []));
    this.outlines.set(nodeId, outline);
    return outline;
  }
}
