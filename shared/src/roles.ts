export const ROLES = ['resident', 'volunteer', 'grid_worker', 'secretary', 'department', 'mediator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles held on a grid node (scope); `resident` comes from the household instead. */
export const STAFF_ROLES = ['volunteer', 'grid_worker', 'secretary', 'department', 'mediator', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  grid_worker: '网格员',
  secretary: '社区书记',
  department: '职能部门',
  mediator: '人民调解员',
  admin: '管理员',
};

/** The grid tree, from the top down. */
export const GRID_LEVELS = ['district', 'street', 'community', 'grid', 'microgrid'] as const;
export type GridLevel = (typeof GRID_LEVELS)[number];

export const GRID_LEVEL_LABELS: Record<GridLevel, string> = {
  district: '区县',
  street: '街道',
  community: '社区',
  grid: '网格',
  microgrid: '微网格',
};

/** The level directly below `level`, or null for a micro-grid. */
export function childLevel(level: GridLevel): GridLevel | null {
  return GRID_LEVELS[GRID_LEVELS.indexOf(level) + 1] ?? null;
}
