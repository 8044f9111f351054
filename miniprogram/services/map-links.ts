/*
 * Where the map pages are, and the events they answer with: all a page outside the map sub-package
 * needs (the 说事 form, the workbench, the grid admin), without pulling in the map's code.
 */
export const MAP_PAGE = '/packages/map/index';
export const MAP_PICK_PAGE = '/packages/map/pick/index';
export const IMPORT_PREVIEW_PAGE = '/packages/map/preview/index';

/** The spot chosen on the map, handed back to the 说事 form (Taro's event centre is one for all packages). */
export const MAP_PICKED_EVENT = 'linli:map-picked';
/** An import saved from the preview: the grid admin page reloads its tree. */
export const GRIDS_IMPORTED_EVENT = 'linli:grids-imported';
