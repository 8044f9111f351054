import { route, type RouteSpec } from '../platform/route';
import type { PrivacyService } from './privacy.service';

export function privacyRoutes(privacy: PrivacyService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/me/export',
      tag: 'auth',
      summary: 'A copy of everything the service holds about the caller (PIPL)',
      async handler({ actor, ctx }) {
        ctx.set('Content-Disposition', 'attachment; filename="linli-my-data.json"');
        ctx.set('Cache-Control', 'no-store');
        return privacy.exportData(actor.userId);
      },
    }),
    route({
      method: 'delete',
      path: '/me',
      tag: 'auth',
      summary: 'Delete the caller’s account: reports stay, anonymised; tokens stop working',
      status: 204,
      async handler({ actor }) {
        await privacy.deleteAccount(actor.userId);
        return undefined;
      },
    }),
  ];
}
