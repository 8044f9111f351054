import { z } from 'zod';
import {
  createInviteBody,
  householdAreaBody,
  idParam,
  inviteCodeParam,
  inviteImageQuery,
  joinHouseholdBody,
  membershipsQuery,
  phoneCodeBody,
  reasonBody,
  registerResidentBody,
  residentsQuery,
  verifyMembershipBody,
} from '@linli/shared';
import type { IdentityService } from '../identity/identity.service';
import type { PhoneNumberProvider } from '../identity/wechat-phone';
import { route } from '../platform/route';
import type { InvitesService } from './invites.service';
import type { MembershipsService } from './memberships.service';
import type { ResidentsService } from './residents.service';

const version = { version: z.number().int().min(0).optional() };

export function residentRoutes(deps: {
  identity: IdentityService;
  memberships: MembershipsService;
  invites: InvitesService;
  residents: ResidentsService;
  phones: PhoneNumberProvider;
}) {
  const { identity, memberships, invites, residents, phones } = deps;
  return [
    route({
      method: 'put',
      path: '/me/household',
      tag: 'auth',
      summary: 'Ask to join a household (pending until verified; at once when the ledger lists your WeChat-confirmed phone), or pick the current one among your verified households',
      body: joinHouseholdBody,
      async handler({ actor, body }) {
        await memberships.join(actor, body);
        return identity.me(actor.userId);
      },
    }),
    route({
      method: 'post',
      path: '/me/phone',
      tag: 'auth',
      summary: "Confirm the caller's phone with the code of the mini-program's getPhoneNumber button (verifies a pending request the ledger backs)",
      body: phoneCodeBody,
      rateLimit: 'login',
      async handler({ actor, body }) {
        await memberships.confirmPhone(actor, await phones.phoneNumber(body.code));
        return identity.me(actor.userId);
      },
    }),
    route({
      method: 'get',
      path: '/memberships',
      tag: 'residents',
      summary: "The staff's 待核验 queue (or verified/rejected/removed members) in scope, each with the ledger's people of that room",
      query: membershipsQuery,
      handler: ({ actor, query }) => memberships.queue(actor, query),
    }),
    route({
      method: 'get',
      path: '/me/household/members',
      tag: 'residents',
      summary: "The verified members of the caller's current household, by name and relation (a verified member asks)",
      handler: ({ actor }) => memberships.householdMembers(actor),
    }),
    route({
      method: 'post',
      path: '/memberships/:id/verify',
      tag: 'residents',
      summary: 'Verify a pending membership (grid worker, secretary or admin over the building); may correct the relation',
      params: idParam,
      body: verifyMembershipBody.extend(version),
      handler: ({ actor, params, body }) => memberships.verify(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/memberships/:id/reject',
      tag: 'residents',
      summary: 'Reject a pending membership with a reason the person reads',
      params: idParam,
      body: reasonBody.extend(version),
      handler: ({ actor, params, body }) => memberships.reject(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/memberships/:id/remove',
      tag: 'residents',
      summary: "Remove a member (staff over the building), or leave a household (one's own membership); the household's votes stay its own",
      params: idParam,
      body: reasonBody.extend(version),
      handler: ({ actor, params, body }) => memberships.remove(actor, params.id, body),
    }),
    route({
      method: 'post',
      path: '/households/:id/invites',
      tag: 'residents',
      summary: 'A verified owner makes a one-time code (72 h) for a family member or tenant',
      params: idParam,
      body: createInviteBody,
      status: 201,
      handler: ({ actor, params, body }) => invites.create(actor, params.id, body.relation),
    }),
    route({
      method: 'get',
      path: '/invites/:code/image',
      tag: 'residents',
      summary: "The owner's unused invite as an image to scan: ?format=qr (opens the H5 accept page) or wxacode (the mini-program's)",
      params: inviteCodeParam,
      query: inviteImageQuery,
      async handler({ actor, params, query, ctx }) {
        const { contentType, image } = await invites.image(actor, params.code, query.format, `${ctx.protocol}://${ctx.host}`);
        ctx.type = contentType;
        // The code is a one-time secret: the image is not kept by any cache.
        ctx.set('Cache-Control', 'no-store');
        return image;
      },
    }),
    route({
      method: 'post',
      path: '/invites/:code/accept',
      tag: 'residents',
      summary: "Join the owner's household with their code (verified at once)",
      params: inviteCodeParam,
      rateLimit: 'login',
      async handler({ actor, params }) {
        await invites.accept(actor, params.code);
        return identity.me(actor.userId);
      },
    }),
    route({
      method: 'get',
      path: '/residents',
      tag: 'residents',
      summary: 'Find residents in scope by name (its start), the last four digits of a phone, a whole phone, or a room (301, 3号楼 301); phones masked',
      query: residentsQuery,
      handler: ({ actor, query }) => residents.search(actor, query),
    }),
    route({
      method: 'post',
      path: '/residents',
      tag: 'residents',
      summary: 'Register a person without WeChat (name, phone, household, relation): verified by that act',
      body: registerResidentBody,
      status: 201,
      handler: ({ actor, body }) => residents.register(actor, body),
    }),
    route({
      method: 'post',
      path: '/residents/:id/phone',
      tag: 'residents',
      summary: "Reveal a resident's full phone to call them (staff over one of their households; audited)",
      params: idParam,
      handler: ({ actor, params }) => residents.revealPhone(actor, params.id),
    }),
    route({
      method: 'put',
      path: '/households/:id',
      tag: 'residents',
      summary: "Set a household's floor area (专有部分建筑面积, m²), or null while unknown (secretary or admin over it)",
      params: idParam,
      body: householdAreaBody,
      handler: ({ actor, params, body }) => residents.setArea(actor, params.id, body.areaM2),
    }),
  ];
}
