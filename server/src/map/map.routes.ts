import { gridMapQuery, reportPointsQuery } from '@linli/shared';
import { route } from '../platform/route';
import type { MapService } from './map.service';

export function mapRoutes(map: MapService) {
  return [
    route({
      method: 'get',
      path: '/grids/map',
      reads: 'replica',
      tag: 'map',
      summary:
        "一图: a node's children as a GeoJSON FeatureCollection (outlines simplified for a screen) with open and overdue reports per child for the staff over it; residents get their community's outlines without counts",
      query: gridMapQuery,
      revalidate: true,
      handler: ({ actor, query }) => map.gridMap(actor, query.nodeId),
    }),
    route({
      method: 'get',
      path: '/reports/points',
      reads: 'replica',
      tag: 'map',
      summary: `Staff: the located reports received under a node in a period, as points (at most 1,000; beyond, counted in cells)`,
      query: reportPointsQuery,
      handler: ({ actor, query }) => map.points(actor, query),
    }),
  ];
}
