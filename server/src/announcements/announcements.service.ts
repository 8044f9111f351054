import { Brackets, In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  CAPABILITY_ROLES,
  nextCursor,
  type Announcement,
  type AnnouncementPage,
  type AnnouncementReads,
  type CreateAnnouncementBody,
  type ListAnnouncementsQuery,
} from '@linli/shared';
import { transact } from '../db/data-source';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import { GridNode } from '../grids/grid-node.entity';
import { pathIds } from '../grids/grid-path';
import { Household } from '../grids/household.entity';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { communityOf } from '../ledger/community';
import type { NotificationInput, NotificationService } from '../notifications/notification.service';
import { fieldError, forbidden, notFound } from '../platform/errors';
import { householdsUnder } from '../residents/household-place';
import { HouseholdMembership } from '../residents/membership.entity';
import { assertOwnPhotos } from '../uploads/upload-registry';
import { AnnouncementReadRow, AnnouncementRow } from './announcement.entities';

/** Who posts notices and reads their counts: the capability table's roles, held over the notice's place. */
const POSTERS = CAPABILITY_ROLES.postAnnouncements;
/** Subscription messages go out in batches, each its own transaction, after the notice committed. */
const NOTIFY_BATCH = 500;

export const announcementLink = (id: number) => `/packages/notices/detail/index?id=${id}`;

/** A household the caller is a verified member of, with where it is. */
interface Place {
  householdId: number;
  buildingId: number;
  /** Ids of the household's micro-grid and every node above it. */
  nodeIds: number[];
}

/**
 * 社区公告. A notice is seen by the verified members of the households in its place (a grid node's
 * subtree, or one building) until its end date, and by the staff over it. Reads are kept per person
 * with the household they counted for, so the count is of households (已读 N / M 户).
 */
export class AnnouncementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly notifications: NotificationService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async post(actor: Actor, body: CreateAnnouncementBody): Promise<Announcement> {
    if (!holdsRole(actor, POSTERS)) throw forbidden('只有网格员、社区书记和管理员可以发布公告');
    await this.directory.ensureFresh();
    const target = await this.targetOf(body);
    // Grid nodes and buildings are public (the binding picker lists them): out of scope is 403, not 404.
    if (!holdsRoleOver(actor, POSTERS, target.nodePath)) throw forbidden('只能向自己负责的社区、网格或楼栋发布公告');
    if (body.endsAt && new Date(body.endsAt).getTime() <= this.now().getTime()) throw fieldError('body.endsAt', '结束时间须晚于现在');
    const id = await transact(this.dataSource, async (manager) => {
      await assertOwnPhotos(manager, actor.userId, body.photos);
      const inserted = await manager.getRepository(AnnouncementRow).insert({
        communityId: target.communityId,
        nodeId: target.nodeId,
        nodePath: target.nodePath,
        buildingId: target.buildingId,
        title: body.title,
        body: body.body,
        photos: body.photos.length ? JSON.stringify(body.photos) : null,
        pinned: body.pinned,
        endsAt: body.endsAt ? new Date(body.endsAt) : null,
        authorId: actor.userId,
      });
      return Number(inserted.identifiers[0].id);
    });
    const row = await this.dataSource.getRepository(AnnouncementRow).findOneByOrFail({ id });
    await this.tellResidents(row, target.name, actor.userId);
    return (await this.views([row], actor.userId, new Set([id])))[0];
  }

  /** mine: notices for the caller's households (pinned first on the first page); managed: within the caller's scope. */
  async list(actor: Actor, query: ListAnnouncementsQuery): Promise<AnnouncementPage> {
    await this.directory.ensureFresh();
    const repo = this.dataSource.getRepository(AnnouncementRow);
    if (query.scope === 'managed') {
      const scopes = actor.scopes.filter((s) => (POSTERS as readonly string[]).includes(s.role));
      if (!scopes.length) throw forbidden('只有网格员、社区书记和管理员可以管理公告');
      const q = repo.createQueryBuilder('a').where(new Brackets((any) => scopes.forEach((s, i) => any.orWhere(`a.nodePath LIKE :p${i}`, { [`p${i}`]: `${s.nodePath}%` }))));
      return this.page(actor, q, query, false);
    }
    const places = await this.placesOf(this.dataSource.manager, actor.userId);
    if (!places.length) return { items: [], nextCursor: null, unread: 0 };
    const visible = () => this.visibleTo(repo.createQueryBuilder('a'), places);
    const page = await this.page(actor, visible(), query, true);
    const unread = await visible()
      .leftJoin(AnnouncementReadRow, 'r', 'r.announcementId = a.id AND r.userId = :me', { me: actor.userId })
      .andWhere('r.id IS NULL')
      .getCount();
    return { ...page, unread };
  }

  async detail(actor: Actor, id: number): Promise<Announcement> {
    const { row } = await this.sight(actor, id);
    const read = await this.dataSource.getRepository(AnnouncementReadRow).existsBy({ announcementId: id, userId: actor.userId });
    return (await this.views([row], actor.userId, new Set(read || row.authorId === actor.userId ? [id] : [])))[0];
  }

  /** The caller read it: once per person, counted for the household of theirs that lies in its place. */
  async markRead(actor: Actor, id: number): Promise<Announcement> {
    const { row, household } = await this.sight(actor, id);
    const reads = this.dataSource.getRepository(AnnouncementReadRow);
    if (!(await reads.existsBy({ announcementId: id, userId: actor.userId }))) {
      await reads.createQueryBuilder().insert().values({ announcementId: id, userId: actor.userId, householdId: household }).orIgnore().execute();
    }
    await this.notifications.markReadByKey(actor.userId, dedupeKeyOf(id));
    return (await this.views([row], actor.userId, new Set([id])))[0];
  }

  /** 已读 N / M 户: for the staff over its place; a resident who sees it may not (403), anyone else cannot see it (404). */
  async reads(actor: Actor, id: number): Promise<AnnouncementReads> {
    const { row, staff } = await this.sight(actor, id);
    if (!staff) throw forbidden('只有发布范围内的工作人员可以查看阅读情况');
    const manager = this.dataSource.manager;
    const households = row.buildingId
      ? await manager.getRepository(Household).countBy({ buildingId: row.buildingId })
      : await householdsUnder(manager, [row.nodePath]).getCount();
    const counted = await manager
      .getRepository(AnnouncementReadRow)
      .createQueryBuilder('r')
      .select('COUNT(DISTINCT r.householdId)', 'households')
      .addSelect('COUNT(*)', 'readers')
      .where('r.announcementId = :id', { id })
      .getRawOne<{ households: string | number; readers: string | number }>();
    return { announcementId: id, households, readHouseholds: Number(counted?.households ?? 0), readers: Number(counted?.readers ?? 0) };
  }

  /* ───────── who sees what ───────── */

  /**
   * Staff over its place see it always; a verified member of a household in its place sees it until its
   * end date (and is told which of their households it counts for); anyone else: 404.
   */
  private async sight(actor: Actor, id: number): Promise<{ row: AnnouncementRow; staff: boolean; household: number | null }> {
    await this.directory.ensureFresh();
    const row = await this.dataSource.getRepository(AnnouncementRow).findOneBy({ id });
    if (!row) throw notFound('公告');
    const staff = holdsRoleOver(actor, POSTERS, row.nodePath);
    const places = (await this.placesOf(this.dataSource.manager, actor.userId)).filter((p) => reaches(row, p));
    const current = places.find((p) => p.householdId === actor.householdId) ?? places[0];
    const active = !row.endsAt || new Date(row.endsAt).getTime() > this.now().getTime();
    if (!staff && !(current && active)) throw notFound('公告');
    return { row, staff, household: current?.householdId ?? null };
  }

  private visibleTo(q: SelectQueryBuilder<AnnouncementRow>, places: Place[]): SelectQueryBuilder<AnnouncementRow> {
    return q
      .where(
        new Brackets((any) =>
          places.forEach((p, i) =>
            any.orWhere(
              new Brackets((one) =>
                one
                  .where(`a.nodeId IN (:...nodes${i})`, { [`nodes${i}`]: p.nodeIds })
                  .andWhere(new Brackets((b) => b.where('a.buildingId IS NULL').orWhere(`a.buildingId = :building${i}`, { [`building${i}`]: p.buildingId }))),
              ),
            ),
          ),
        ),
      )
      .andWhere(new Brackets((open) => open.where('a.endsAt IS NULL').orWhere('a.endsAt > :now', { now: this.now() })));
  }

  /** Newest first; for residents the pinned ones lead the first page and the cursor walks the rest. */
  private async page(actor: Actor, q: SelectQueryBuilder<AnnouncementRow>, query: ListAnnouncementsQuery, pinnedFirst: boolean): Promise<AnnouncementPage> {
    const pinned = pinnedFirst && !query.cursor ? await q.clone().andWhere('a.pinned = :yes', { yes: true }).orderBy('a.id', 'DESC').take(20).getMany() : [];
    const rest = q.clone();
    if (pinnedFirst) rest.andWhere('a.pinned = :no', { no: false });
    if (query.cursor) rest.andWhere('a.id < :cursor', { cursor: query.cursor });
    const rows = await rest.orderBy('a.id', 'DESC').take(query.limit + 1).getMany();
    const shown = [...pinned, ...rows.slice(0, query.limit)];
    const read = shown.length
      ? new Set((await this.dataSource.getRepository(AnnouncementReadRow).findBy({ announcementId: In(shown.map((r) => r.id)), userId: actor.userId })).map((r) => r.announcementId))
      : new Set<number>();
    for (const r of shown) if (r.authorId === actor.userId) read.add(r.id);
    return { items: await this.views(shown, actor.userId, read), nextCursor: nextCursor(rows, query.limit), unread: 0 };
  }

  /** The caller's verified households and the nodes each lies under. */
  private async placesOf(manager: EntityManager, userId: number): Promise<Place[]> {
    const rows: { householdId: number; buildingId: number; path: string }[] = await manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .select('m.householdId', 'householdId')
      .addSelect('h.buildingId', 'buildingId')
      .addSelect('g.path', 'path')
      .innerJoin(Household, 'h', 'h.id = m.householdId')
      .innerJoin(Building, 'b', 'b.id = h.buildingId')
      .innerJoin(GridNode, 'g', 'g.id = b.microgridId')
      .where('m.userId = :userId AND m.status = :verified', { userId, verified: 'verified' })
      .getRawMany();
    return rows.map((r) => ({ householdId: Number(r.householdId), buildingId: Number(r.buildingId), nodeIds: pathIds(r.path) }));
  }

  /* ───────── posting ───────── */

  private async targetOf(body: CreateAnnouncementBody) {
    if (body.buildingId) {
      const building = await this.dataSource.getRepository(Building).findOneBy({ id: body.buildingId });
      const node = building && this.directory.node(building.microgridId);
      if (!building || !node) throw fieldError('body.buildingId', '没有这个楼栋');
      const community = communityOf(this.directory, node.path);
      return { nodeId: node.id, nodePath: node.path, buildingId: building.id, communityId: community!.id, name: `${community?.name ?? ''}${building.name}` };
    }
    const node = this.directory.node(body.nodeId!);
    if (!node) throw fieldError('body.nodeId', '没有这个网格');
    const community = communityOf(this.directory, node.path);
    if (!community) throw fieldError('body.nodeId', '公告须发布到一个社区、网格或楼栋');
    return { nodeId: node.id, nodePath: node.path, buildingId: null, communityId: community.id, name: node.name };
  }

  /** An inbox line for every verified member in the place, with a subscription message WeChat sends where they allowed it. */
  private async tellResidents(row: AnnouncementRow, placeName: string, authorId: number): Promise<void> {
    const manager = this.dataSource.manager;
    const members = manager
      .getRepository(HouseholdMembership)
      .createQueryBuilder('m')
      .select('DISTINCT m.userId', 'userId')
      .innerJoin(User, 'u', 'u.id = m.userId AND u.openid IS NOT NULL')
      .where('m.status = :verified', { verified: 'verified' });
    if (row.buildingId) members.innerJoin(Household, 'h', 'h.id = m.householdId').andWhere('h.buildingId = :b', { b: row.buildingId });
    else members.andWhere(`m.householdId IN (${householdsUnder(manager, [row.nodePath]).getQuery()})`).setParameters(householdsUnder(manager, [row.nodePath]).getParameters());
    // Only people with WeChat: the ledger's people without it have no inbox to read.
    const live = (await members.getRawMany<{ userId: number }>()).map((r) => Number(r.userId)).filter((id) => id !== authorId);
    for (let i = 0; i < live.length; i += NOTIFY_BATCH) {
      await this.notifications.send(live.slice(i, i + NOTIFY_BATCH).map((userId) => announcementMessage(row, placeName, userId)));
    }
  }

  private async views(rows: AnnouncementRow[], _viewerId: number, read: Set<number>): Promise<Announcement[]> {
    if (!rows.length) return [];
    const manager = this.dataSource.manager;
    const authorIds = [...new Set(rows.map((r) => r.authorId))];
    const authors = new Map((await manager.getRepository(User).findBy({ id: In(authorIds) })).map((u) => [u.id, u.nickname]));
    const buildingIds = [...new Set(rows.map((r) => r.buildingId).filter((id): id is number => id !== null))];
    const buildings = new Map(buildingIds.length ? (await manager.getRepository(Building).findBy({ id: In(buildingIds) })).map((b) => [b.id, b.name]) : []);
    const now = this.now().getTime();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      photos: r.photos ? (JSON.parse(r.photos) as string[]) : [],
      pinned: !!r.pinned,
      place: r.buildingId
        ? { kind: 'building', id: r.buildingId, name: buildings.get(r.buildingId) ?? '楼栋' }
        : { kind: 'node', id: r.nodeId, name: this.directory.node(r.nodeId)?.name ?? '社区' },
      author: { id: r.authorId, nickname: authors.get(r.authorId) ?? '工作人员' },
      endsAt: r.endsAt ? new Date(r.endsAt).toISOString() : null,
      ended: !!r.endsAt && new Date(r.endsAt).getTime() <= now,
      read: read.has(r.id),
      createdAt: new Date(r.createdAt).toISOString(),
    }));
  }
}

/** A notice reaches a household when the household lies under its node and, for a building's notice, in that building. */
function reaches(row: AnnouncementRow, place: Place): boolean {
  return place.nodeIds.includes(row.nodeId) && (row.buildingId === null || row.buildingId === place.buildingId);
}

const dedupeKeyOf = (id: number) => `announcement:${id}`;

export function announcementMessage(row: AnnouncementRow, placeName: string, userId: number): NotificationInput {
  return {
    userId,
    kind: 'announcement.posted',
    title: `社区公告：${row.title}`,
    body: row.body.slice(0, 60),
    link: announcementLink(row.id),
    dedupeKey: dedupeKeyOf(row.id),
    subscribe: {
      templateKey: 'ANNOUNCEMENT',
      data: { thing1: row.title.slice(0, 20), thing2: placeName.slice(0, 20), time3: chinaMinute(new Date(row.createdAt)) },
    },
  };
}

/** 2026-03-01 08:30 in China time, as WeChat's `time` fields take it. */
function chinaMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
