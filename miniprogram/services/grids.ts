import type { BuildingSummary, GridTreeNode, HouseholdSummary, Page } from '@linli/shared';
import { api } from './api';

const PAGE_LIMIT = 100;
/** A guard against a server that never stops paging. */
const MAX_PAGES = 50;

async function fetchAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result: Page<T> = await api.get<Page<T>>(path, { query: { limit: PAGE_LIMIT, cursor } });
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export function getGridTree(): Promise<GridTreeNode[]> {
  return api.get<GridTreeNode[] | GridTreeNode>('/grids/tree').then((tree) => (Array.isArray(tree) ? tree : [tree]));
}

/** Every node of `level` in the tree, in tree order. */
export function nodesOfLevel(tree: GridTreeNode[], level: GridTreeNode['level']): GridTreeNode[] {
  const found: GridTreeNode[] = [];
  const walk = (nodes: GridTreeNode[]) => {
    for (const node of nodes) {
      if (node.level === level) found.push(node);
      else walk(node.children ?? []);
    }
  };
  walk(tree);
  return found;
}

export function listBuildings(communityId: number): Promise<BuildingSummary[]> {
  return fetchAll<BuildingSummary>(`/grids/${communityId}/buildings`);
}

export function listHouseholds(buildingId: number): Promise<HouseholdSummary[]> {
  return fetchAll<HouseholdSummary>(`/buildings/${buildingId}/households`);
}
