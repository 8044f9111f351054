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
    route({
      method: 'get',
      path: '/grids/:id/building-codes',
      tag: 'grids',
      summary: '一楼一码 to print: an HTML page, one A4 sheet per building of the community (or grid) with its name and code',
      params: idParam,
      query: buildingCodeQuery,
      async handler({ actor, params, query, ctx }) {
        const { html, name } = await codes.sheet(actor, params.id, query.format, `${ctx.protocol}://${ctx.host}`);
        ctx.type = 'text/html; charset=utf-8';
        ctx.set('Cache-Control', 'private, no-store');
        ctx.set('Content-Disposition', attachmentDisposition(`${name}-楼栋码.html`, `building-codes-${params.id}.html`).replace(/^attachment/, 'inline'));
        return html;
      },
    }),
  ];
}
