/** Ids on a materialized path, top first: '/1/4/9/' → [1, 4, 9]. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** The paths of every node on a path, top first: '/1/2/3/' → ['/1/', '/1/2/', '/1/2/3/']. */
export function ancestorPaths(path: string): string[] {
  const ids = path.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}
