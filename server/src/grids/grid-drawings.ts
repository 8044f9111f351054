import type { Boundary } from '@linli/shared';
import { bboxOf, joinBoundaries, mergeBoxes, simplifyForDrawing, toleranceFor, type BBox } from './geometry';
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
  private outlineBoxes = new Map<number, BBox | null>();
  private drawings = new Map<number, NodeDrawing>();

  constructor(private readonly directory: GridDirectory) {}

  /** Call after `directory.ensureFresh()`. */
  of(nodeId: number): NodeDrawing {
    this.forgetOldRevision();
    let drawing = this.drawings.get(nodeId);
    if (!drawing) {
      drawing = this.draw(nodeId);
      this.drawings.set(nodeId, drawing);
    }
    return drawing;
  }

  /**
   * The bounding box `of(nodeId)` gives, without joining any outline: a box of boxes. The report points'
   * cells are laid out on it, and a county's outlines take seconds to join (7,000 micro-grids).
   */
  bboxOf(nodeId: number): BBox | null {
    this.forgetOldRevision();
    const drawn = this.drawings.get(nodeId);
    if (drawn) return drawn.bbox;
    return mergeBoxes([this.outlineBox(nodeId), ...this.directory.childrenOf(nodeId).map((child) => this.outlineBox(child.id))]);
  }

  private forgetOldRevision(): void {
    if (this.revision === this.directory.revision) return;
    this.revision = this.directory.revision;
    this.outlines.clear();
    this.outlineBoxes.clear();
    this.drawings.clear();
  }

  /** The box of `outline(nodeId)`: a joined outline covers exactly its parts, so its box is theirs merged. */
  private outlineBox(nodeId: number): BBox | null {
    if (this.outlineBoxes.has(nodeId)) return this.outlineBoxes.get(nodeId)!;
    const own = this.directory.node(nodeId)?.boundary ?? null;
    const box = own ? bboxOf([own]) : mergeBoxes(this.directory.childrenOf(nodeId).map((child) => this.outlineBox(child.id)));
    this.outlineBoxes.set(nodeId, box);
    return box;
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
