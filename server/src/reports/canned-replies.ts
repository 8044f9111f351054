import type { DataSource, EntityManager } from 'typeorm';
import {
  CANNED_REPLY_KINDS,
  CAPABILITY_ROLES,
  createCannedReplyBody,
  idParam,
  listCannedRepliesQuery,
  MAX_CANNED_REPLIES,
  updateCannedReplyBody,
  type CannedReply,
  type CannedReplyKind,
} from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { communityOf } from '../ledger/community';
import { AppError, conflict, forbidden, notFound } from '../platform/errors';
import { route } from '../platform/route';
import { CannedReplyRow } from './canned-reply.entity';

/** Everyone handling reports picks from them; secretaries and admins over the community keep them. */
const READ_ROLES = CAPABILITY_ROLES.handleReports;
const MANAGE_ROLES = CAPABILITY_ROLES.manageCannedReplies;

/**
 * 常用语: a community's canned texts for results, rejections and feedback notes. The app shows them as
 * chips above the note; a tap puts the text in the note, where it is edited before sending — the
 * server never sends a canned text by itself.
 */
export class CannedReplies {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
  ) {}

  async list(actor: Actor, nodeId: number, kind: CannedReplyKind | undefined): Promise<{ items: CannedReply[] }> {
    const community = await this.communityAt(nodeId, 'query.nodeId');
    // A role inside the community (a grid worker of one grid) or over it (a department of the county).
    if (!actor.scopes.some((s) => (READ_ROLES as readonly string[]).includes(s.role) && (s.nodePath.startsWith(community.path) || community.path.startsWith(s.nodePath)))) {
      throw forbidden('只有本社区的工作人员可以使用常用语');
    }
    const rows = await this.dataSource.getRepository(CannedReplyRow).find({ where: { communityId: community.id, ...(kind ? { kind } : {}) }, order: { id: 'ASC' } });
    return { items: rows.map(view) };
  }

  async create(actor: Actor, body: { nodeId: number; kind: CannedReplyKind; text: string }): Promise<CannedReply> {
    if (!holdsRole(actor, MANAGE_ROLES)) throw forbidden('只有社区书记和管理员可以维护常用语');
    const community = await this.communityAt(body.nodeId, 'body.nodeId');
    if (!holdsRoleOver(actor, MANAGE_ROLES, community.path)) throw forbidden('该社区不在你的管辖范围内');
    const repository = this.dataSource.getRepository(CannedReplyRow);
    if ((await repository.countBy({ communityId: community.id, kind: body.kind })) >= MAX_CANNED_REPLIES) {
      throw conflict(`每类常用语最多 ${MAX_CANNED_REPLIES} 条，请先删去不用的`);
    }
    const row = await repository.save(repository.create({ communityId: community.id, kind: body.kind, text: body.text, createdById: actor.userId }));
    return view(row);
  }

  async update(actor: Actor, id: number, text: string): Promise<CannedReply> {
    const row = await this.managed(this.dataSource.manager, actor, id);
    row.text = text;
    return view(await this.dataSource.getRepository(CannedReplyRow).save(row));
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const row = await this.managed(this.dataSource.manager, actor, id);
    await this.dataSource.getRepository(CannedReplyRow).delete({ id: row.id });
  }

  /** A reply the actor may change: a manager's role anywhere, and over its community (else, as if it did not exist). */
  private async managed(manager: EntityManager, actor: Actor, id: number): Promise<CannedReplyRow> {
    if (!holdsRole(actor, MANAGE_ROLES)) throw forbidden('只有社区书记和管理员可以维护常用语');
    const row = await manager.getRepository(CannedReplyRow).findOneBy({ id });
    await this.directory.ensureFresh();
    const path = row ? this.directory.node(row.communityId)?.path : undefined;
    if (!row || !path || !holdsRoleOver(actor, MANAGE_ROLES, path)) throw notFound('常用语');
    return row;
  }

  /** The community `nodeId` lies in (or is): 404 for no such node, 400 above community level. */
  private async communityAt(nodeId: number, field: string): Promise<{ id: number; path: string }> {
    await this.directory.ensureFresh();
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    const community = communityOf(this.directory, node.path);
    if (!community) throw new AppError('VALIDATION_FAILED', '常用语按社区维护，请选择社区或其下的网格', [{ path: field, message: 'above community level' }]);
    return community;
  }
}

function view(row: CannedReplyRow): CannedReply {
  return { id: row.id, communityId: row.communityId, kind: row.kind, text: row.text };
}

export function cannedReplyRoutes(replies: CannedReplies) {
  return [
    route({
      method: 'get',
      path: '/canned-replies',
      tag: 'reports',
      summary: "常用语: the canned replies of the community a node lies in (a report's node), for staff handling its reports",
      query: listCannedRepliesQuery,
      handler: ({ actor, query }) => replies.list(actor, query.nodeId, query.kind),
    }),
    route({
      method: 'post',
      path: '/canned-replies',
      tag: 'reports',
      summary: `Add a canned reply (${CANNED_REPLY_KINDS.join(', ')}) to a community (its secretary or an admin)`,
      body: createCannedReplyBody,
      status: 201,
      handler: ({ actor, body }) => replies.create(actor, body),
    }),
    route({
      method: 'put',
      path: '/canned-replies/:id',
      tag: 'reports',
      summary: "Change a canned reply's text",
      params: idParam,
      body: updateCannedReplyBody,
      handler: ({ actor, params, body }) => replies.update(actor, params.id, body.text),
    }),
    route({
      method: 'delete',
      path: '/canned-replies/:id',
      tag: 'reports',
      summary: 'Remove a canned reply',
      params: idParam,
      status: 204,
      async handler({ actor, params }) {
        await replies.remove(actor, params.id);
      },
    }),
  ];
}
