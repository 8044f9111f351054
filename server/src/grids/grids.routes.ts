import { z } from 'zod';
import { gridImportBody, gridImportQuery, idParam, locateQuery, pageQuery } from '@linli/shared';
import { holdsRole } from '../identity/authorize';
import { forbidden, notFound } from '../platform/errors';
import { route } from '../platform/route';
import type { GridsService } from './grids.service';

/** The binding picker takes a whole building at once: pages of up to 500. */
const cursorQuery = (maxLimit: number) => pageQuery.extend({ limit: z.coerce.number().int().min(1).max(maxLimit).default(maxLimit) });

const treeQuery = z.object({
  rootId: z.coerce.number().int().positive().optional(),
  boundaries: z.enum(['true', 'false']).default('false'),
});

export function gridRoutes(grids: GridsService) {
  const { directory } = grids;
  return [
    route({
      method: 'get',
      path: '/grids/tree',
      reads: 'replica',
      tag: 'grids',
      summary: 'The grid tree (boundaries only with ?boundaries=true, to keep the phone payload small)',
      query: treeQuery,
      async handler({ query }) {
        await directory.ensureFresh();
        const rootId = query.rootId ?? directory.roots()[0]?.id;
        if (!rootId || !directory.node(rootId)) throw notFound('网格');
        return directory.tree(rootId, query.boundaries === 'true');
      },
    }),
    route({
      method: 'get',
      path: '/grids/locate',
      tag: 'grids',
      summary: 'The grid path of the deepest node whose boundary contains a GCJ-02 point',
      query: locateQuery,
      async handler({ query }) {
        await directory.ensureFresh();
        const node = directory.locate(query.lat, query.lng);
        if (!node) throw notFound('该位置所在网格');
        return { path: directory.pathOf(node.id) };
      },
    }),
    route({
      method: 'get',
      path: '/grids/:id/buildings',
      tag: 'grids',
      summary: 'Buildings anywhere below a grid node, with their units',
      params: idParam,
      query: cursorQuery(500),
      handler: ({ params, query }) => grids.buildingsUnder(params.id, query.cursor ?? 0, query.limit),
    }),
    route({
      method: 'get',
      path: '/buildings/:id/households',
      tag: 'grids',
      summary: 'Households of a building (optionally of one unit)',
      params: idParam,
      query: cursorQuery(500).extend({ unit: z.string().trim().min(1).max(32).optional() }),
      handler: ({ params, query }) => grids.householdsOf(params.id, query.unit, query.cursor ?? 0, query.limit),
    }),
    route({
      method: 'post',
      path: '/grids/import',
      tag: 'grids',
      summary: 'Admin: create or update grid nodes from a GeoJSON FeatureCollection; ?dryRun=true writes nothing and answers what would change, overlapping siblings and uncovered parents, drawn',
      query: gridImportQuery,
      body: gridImportBody,
      async handler({ body, query, actor }) {
        if (!holdsRole(actor, ['admin'])) throw forbidden();
        return query.dryRun === 'true' ? grids.previewImport(actor, body) : grids.importTree(actor, body);
      },
    }),
  ];
}
