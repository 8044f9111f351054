import { Brackets, In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { maskPhone, nextCursor, type Page, type RegisterResidentBody, type ResidentView } from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import type { GridDirectory } from '../grids/grid-directory';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { conflict, forbidden, notFound } from '../platform/errors';
import { phoneColumns, phoneHash } from '../privacy/phone-index';
import { householdLabels } from './membership-view';
import { HouseholdMembership } from './membership.entity';
import { VERIFIER_ROLES } from './memberships.service';
import { householdPathOf, householdsUnder, personName } from './household-place';
import { householdPlace, openCivilCodeVoteOver } from '../consultations/household-scope';

const ACTIVE = ['verified', 'pending'] as const;

/**
 * The people staff serve: found by name, phone tail or room within the staff's scope, registered when
 * they have no WeChat, and their full phone revealed only on a separate request (audited as every staff
 * POST is, audit/audit-log.ts).
 */
export class ResidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
  ) {}

  async search(actor: Actor, query: { q: string; nodeId?: number; cursor?: number; limit: number }): Promise<Page<ResidentView>> {
    const scopes = await this.scopePaths(actor, query.nodeId);
    const manager = this.dataSource.manager;
    const inScope = householdsUnder(manager, scopes);
    const matching = (match: Brackets) => {
      const ids = manager
        .getRepository(User)
        .createQueryBuilder('u')
        .select('u.id', 'id')
        .distinct(true)
        .innerJoin(HouseholdMembership, 'm', 'm.userId = u.id AND m.status IN (:...active)', { active: ACTIVE })
        .innerJoin(Household, 'h', 'h.id = m.householdId')
        .where(`m.householdId IN (${inScope.getQuery()})`)
        .setParameters(inScope.getParameters())
        .andWhere('u.mergedIntoId IS NULL AND u.deletedAt IS NULL')
        .andWhere(match)
        .orderBy('u.id', 'ASC')
        .limit(query.limit + 1);
      if (query.cursor) ids.andWhere('u.id > :after', { after: Number(query.cursor) });
      return ids.getRawMany<{ id: number | string }>();
    };
    // One query a way of matching, each led by its own index (an OR across tables would make the
    // database walk the whole scope instead); their first pages merged.
    const found = await Promise.all(matchesQuery(query.q).map(matching));
    const ids = [...new Set(found.flat().map((r) => Number(r.id)))].sort((a, b) => a - b).slice(0, query.limit + 1);
    const page = ids.slice(0, query.limit);
    return { items: await this.views(manager, page, scopes), nextCursor: nextCursor(ids.map((id) => ({ id })), query.limit) };
  }

  /** Staff register a person without WeChat: verified by that act. One phone is one person. */
  async register(actor: Actor, body: RegisterResidentBody): Promise<ResidentView> {
    const path = await householdPathOf(this.dataSource.manager, this.directory, body.householdId);
    if (!path) throw notFound('住户');
    if (!holdsRoleOver(actor, VERIFIER_ROLES, path)) throw forbidden('只能登记本辖区的居民');
    const userId = await transactRetrying(this.dataSource, async (manager) => {
      const users = manager.getRepository(User);
      const samePhone = body.phone ? await users.findOne({ where: { phoneHash: phoneHash(body.phone), mergedIntoId: IsNull(), deletedAt: IsNull() }, order: { id: 'ASC' } }) : null;
      const memberships = manager.getRepository(HouseholdMembership);
      if (!samePhone) {
        const sameName = await memberships
          .createQueryBuilder('m')
          .innerJoin(User, 'u', 'u.id = m.userId')
          .where('m.householdId = :h AND m.status IN (:...active)', { h: body.householdId, active: ACTIVE })
          .andWhere('u.realName = :name', { name: body.name })
          .getCount();
        if (sameName) throw conflict(`这户已登记有「${body.name}」，请勿重复登记`);
      }
      const person = samePhone ?? (await users.save(users.create({ openid: null, nickname: body.name, realName: body.name, registeredById: actor.userId, ...phoneColumns(body.phone ?? null) })));
      const existing = await memberships.findOneBy({ householdId: body.householdId, userId: person.id });
      if (existing?.status === 'verified') throw conflict(`${personName(person)} 已经是这户的成员`);
      const fields = { relation: body.relation, status: 'verified' as const, method: 'registered' as const, reason: null, decidedById: actor.userId, decidedAt: new Date() };
      if (existing) await memberships.update({ id: existing.id }, { ...fields, version: existing.version + 1 });
      else await memberships.insert({ householdId: body.householdId, userId: person.id, version: 0, ...fields });
      if (!person.householdId) await users.update({ id: person.id }, { householdId: body.householdId });
      return person.id;
    });
    return (await this.views(this.dataSource.manager, [userId], [path]))[0];
  }

  /** The full number, for a call back: only staff over one of the person's households. */
  async revealPhone(actor: Actor, userId: number): Promise<{ phone: string | null }> {
    const scopes = await this.scopePaths(actor, undefined);
    const manager = this.dataSource.manager;
    const inScope = householdsUnder(manager, scopes);
    const reachable = await manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .where('m.userId = :userId AND m.status IN (:...active)', { userId, active: ACTIVE })
      .andWhere(`m.householdId IN (${inScope.getQuery()})`)
      .setParameters(inScope.getParameters())
      .getCount();
    if (!reachable) throw notFound('居民');
    const user = await manager.getRepository(User).findOneBy({ id: userId });
    return { phone: user?.phone ?? null };
  }

  async setArea(actor: Actor, householdId: number, areaM2: number | null): Promise<{ id: number; areaM2: number | null }> {
    const path = await householdPathOf(this.dataSource.manager, this.directory, householdId);
    if (!path) throw notFound('住户');
    if (!holdsRoleOver(actor, ['secretary', 'admin'], path)) throw forbidden();
    const place = await householdPlace(this.dataSource.manager, this.directory, householdId);
    const vote = place ? await openCivilCodeVoteOver(this.dataSource.manager, place) : null;
    if (vote) throw conflict(`「${vote.title}」正在按面积表决，表决结束后才能修改这户的面积`);
    await this.dataSource.getRepository(Household).update({ id: householdId }, { areaM2 });
    return { id: householdId, areaM2 };
  }

  private async scopePaths(actor: Actor, nodeId: number | undefined): Promise<string[]> {
    if (!holdsRole(actor, VERIFIER_ROLES)) throw forbidden();
    await this.directory.ensureFresh();
    const mine = actor.scopes.filter((s) => (VERIFIER_ROLES as readonly string[]).includes(s.role)).map((s) => s.nodePath);
    if (!nodeId) return mine;
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!mine.some((p) => node.path.startsWith(p))) throw forbidden();
    return [node.path];
  }

  /** People with their households inside `scopes` (their others are not the caller's business). */
  private async views(manager: EntityManager, userIds: number[], scopes: string[]): Promise<ResidentView[]> {
    if (userIds.length === 0) return [];
    const [users, memberships] = await Promise.all([
      manager.getRepository(User).findBy({ id: In(userIds) }),
      manager.getRepository(HouseholdMembership).findBy({ userId: In(userIds), status: In([...ACTIVE]) }),
    ]);
    const labels = await householdLabels(manager, memberships.map((m) => m.householdId));
    const byId = new Map(users.map((u) => [u.id, u]));
    await this.directory.ensureFresh();
    const visible = (microgridId: number) => {
      const path = this.directory.node(microgridId)?.path;
      return !!path && scopes.some((s) => path.startsWith(s));
    };
    return userIds.map((id) => {
      const u = byId.get(id)!;
      return {
        id,
        name: personName(u),
        phoneMasked: maskPhone(u.phone),
        usesApp: u.openid !== null,
        households: memberships
          .filter((m) => m.userId === id)
          .flatMap((m) => {
            const place = labels.get(m.householdId);
            return place && visible(place.microgridId) ? [{ id: m.householdId, label: place.label, relation: m.relation, status: m.status }] : [];
          }),
      };
    });
  }
}

/**
 * What `q` looks like decides what it matches: 11 digits → that phone exactly (by its keyed hash);
 * 1–4 digits → a room number, or (four) a phone's last four; "3号楼 301" → that building's room;
 * anything else → the start of a name, as recorded or as the WeChat nickname (index-backed: a prefix,
 * not a substring). Each alternative is a query of its own (see search).
 */
function matchesQuery(raw: string): Brackets[] {
  const q = raw.replace(/\s+/g, ' ').trim();
  const where = (sql: string, parameters: Record<string, string>) => new Brackets((w) => void w.where(sql, parameters));
  if (/^1\d{10}$/.test(q)) return [where('u.phoneHash = :qHash', { qHash: phoneHash(q) })];
  if (/^\d{1,4}$/.test(q)) return [where('h.room = :qRoom', { qRoom: q }), ...(q.length === 4 ? [where('u.phoneTail = :qTail', { qTail: q })] : [])];
  const place = /^(.+?)\s+(\S+)$/.exec(q);
  if (place && /\d/.test(place[2])) {
    const building = place[1].split(' ')[0];
    return [
      where(`h.room = :qRoom AND h.buildingId IN (SELECT qb.id FROM buildings qb WHERE qb.name = :qBuilding OR qb.name = :qBuildingNo)`, {
        qRoom: place[2],
        qBuilding: building,
        qBuildingNo: /^\d+$/.test(building) ? `${building}号楼` : building,
      }),
    ];
  }
  const prefix = `${escapeLike(q)}%`;
  return [where('u.realName LIKE :qName', { qName: prefix }), where('u.nickname LIKE :qName', { qName: prefix })];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

