import { buildingCodeQuery, idParam } from '@linli/shared';
import { route } from '../platform/route';
import { attachmentDisposition } from '../stats/reports-export';
import type { BuildingCodes } from './building-code';

export function buildingCodeRoutes(codes: BuildingCodes) {
  return [
    route({
      method: 'get',
      path: '/buildings/:id/code',
      tag: 'grids',
      summary: '一楼一码: the building\'s code as an image — ?format=wxacode (mini-program code) or qr (H5 link)',
      params: idParam,
      query: buildingCodeQuery,
      async handler({ actor, params, query, ctx }) {
        const { contentType, image, building } = await codes.code(actor, params.id, query.format, `${ctx.protocol}://${ctx.host}`);
        const extension = contentType === 'image/jpeg' ? 'jpg' : 'png';
        ctx.type = contentType;
        ctx.set('Cache-Control', 'private, max-age=3600');
        ctx.set('Content-Disposition', attachmentDisposition(`${building.name}-${building.code}.${extension}`, `building-${building.id}.${extension}`).replace(/^attachment/, 'inline'));
        return image;
      },
    }),
  ];
}
