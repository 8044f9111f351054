import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { INVITE_ACCEPT_PAGE, INVITE_TTL_HOURS, inviteLink, inviteScene, MEMBERSHIP_RELATION_LABELS, membershipRules, type InviteView } from '@linli/shared';
import { qrPng, type CodeImage, type WxaCodeProvider } from '../buildings-qr/wxacode';
import { transactRetrying } from '../db/data-source';
import { withLock } from '../db/versioned-rows';
import type { Actor } from '../identity/actor';
import { User } from '../identity/user.entity';
import { conflict, forbidden, notFound } from '../platform/errors';
import { fieldHash } from '../privacy/field-cipher';
import type { NotificationSink } from '../reports/report-notifications';
import { householdLabels } from './membership-view';
import { HouseholdInvite, HouseholdMembership } from './membership.entity';
import { lockUser, MEMBERSHIPS_PAGE } from './memberships.service';
import { personName } from './household-place';

/** No 0/O, 1/I/L: a code read out over the phone or typed from a note stays unambiguous. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

const codeHash = (code: string) => fieldHash(`invite:${code.toUpperCase()}`);

/** A verified owner's one-time codes: whoever accepts one becomes a verified member (method owner_invite). */
export class InvitesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationSink,
    private readonly now: () => Date = () => new Date(),
    /** Mini-program codes (WeChat's, or the dev stand-in) for `image(…, 'wxacode')`. */
    private readonly wxaCodes?: WxaCodeProvider,
  ) {}

  /**
   * The invite as a code to scan, for the owner who made it while it still works: `wxacode` opens the
   * mini-program's accept page (scene `c=<code>`), `qr` the H5 app's accept page; both with the code filled in.
   */
  async image(actor: Actor, code: string, format: 'qr' | 'wxacode', origin: string): Promise<CodeImage> {
    const invite = await this.dataSource.getRepository(HouseholdInvite).findOneBy({ codeHash: codeHash(code) });
    // Only its maker learns that a code exists.
    if (!invite || invite.createdById !== actor.userId) throw notFound('邀请码');
    if (invite.usedAt) throw conflict('这个邀请码已经用过了，请重新生成');
    if (invite.expiresAt.getTime() < this.now().getTime()) throw conflict('这个邀请码已过期，请重新生成');
    const normalised = code.toUpperCase();
    if (format === 'wxacode') {
      if (!this.wxaCodes) throw conflict('暂时无法生成小程序码');
      return this.wxaCodes.getUnlimited({ scene: inviteScene(normalised), page: INVITE_ACCEPT_PAGE, checkPath: false });
    }
    return { contentType: 'image/png', image: await qrPng(`${origin}${inviteLink(normalised)}`) };
  }

  async create(actor: Actor, householdId: number, relation: 'family' | 'tenant'): Promise<InviteView> {
    const membership = await this.dataSource.getRepository(HouseholdMembership).findOneBy({ householdId, userId: actor.userId });
    if (!membership || membership.status === 'rejected' || membership.status === 'removed') throw notFound('住户');
    if (!membershipRules.mayInvite(membership)) throw forbidden('只有已核验的业主可以邀请家人或租户');
    const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const expiresAt = new Date(this.now().getTime() + INVITE_TTL_HOURS * 3600_000);
    await this.dataSource.getRepository(HouseholdInvite).insert({ householdId, createdById: actor.userId, relation, codeHash: codeHash(code), expiresAt, usedById: null, usedAt: null });
    return { code, relation, expiresAt: expiresAt.toISOString() };
  }

  async accept(actor: Actor, code: string): Promise<{ householdId: number }> {
    const householdId = await transactRetrying(this.dataSource, async (manager) => {
      const invite = await withLock(manager.getRepository(HouseholdInvite).createQueryBuilder('i').where('i.codeHash = :hash', { hash: codeHash(code) }), manager).getOne();
      if (!invite) throw notFound('邀请码');
      if (invite.usedAt) throw conflict('这个邀请码已经用过了，请让业主重新生成');
      if (invite.expiresAt.getTime() < this.now().getTime()) throw conflict('这个邀请码已过期，请让业主重新生成');
      // The inviter must still be a verified owner when the code is used.
      const inviter = await manager.getRepository(HouseholdMembership).findOneBy({ householdId: invite.householdId, userId: invite.createdById });
      if (!inviter || !membershipRules.mayInvite(inviter)) throw conflict('邀请人已不是这户的业主，邀请码失效');
      const user = await lockUser(manager, actor.userId);
      const memberships = manager.getRepository(HouseholdMembership);
      const existing = await memberships.findOneBy({ householdId: invite.householdId, userId: user.id });
      if (existing?.status === 'verified') throw conflict('您已经是这户的成员');
      const fields = { relation: invite.relation, status: 'verified' as const, method: 'owner_invite' as const, reason: null, decidedById: invite.createdById, decidedAt: this.now() };
      if (existing) await memberships.update({ id: existing.id }, { ...fields, version: existing.version + 1 });
      else await memberships.insert({ householdId: invite.householdId, userId: user.id, version: 0, ...fields });
      await manager.getRepository(HouseholdInvite).update({ id: invite.id }, { usedById: user.id, usedAt: this.now() });
      await manager.getRepository(User).update({ id: user.id }, { householdId: invite.householdId });
      const label = (await householdLabels(manager, [invite.householdId])).get(invite.householdId)?.label ?? '';
      await this.notifications.enqueue(manager, [
        {
          userId: invite.createdById,
          kind: 'membership.invite_used',
          title: '邀请已接受',
          body: `${personName(user)} 已以${MEMBERSHIP_RELATION_LABELS[invite.relation]}身份加入 ${label}`,
          link: MEMBERSHIPS_PAGE,
          dedupeKey: `invite-used:${invite.id}`,
        },
      ]);
      return invite.householdId;
    });
    this.notifications.kick();
    return { householdId };
  }
}
