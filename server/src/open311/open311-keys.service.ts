import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import type { Open311KeyView } from '@linli/shared';
import { transact } from '../db/data-source';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { User } from '../identity/user.entity';
import { conflict, forbidden, notFound } from '../platform/errors';
import { Open311Key } from './open311-key.entity';

export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Admin-managed API keys for Open311: created (shown once), listed, revoked; verified by hash. */
export class Open311KeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async adminOver(actor: Actor, nodeId: number) {
    await this.directory.ensureFresh();
    if (!holdsRole(actor, ['admin'])) throw forbidden('只有管理员可以管理接口密钥');
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!holdsRoleOver(actor, ['admin'], node.path)) throw forbidden('该网格不在您的管辖范围内');
    return node;
  }

  /** A new key for a system (a 12345 hotline…) reaching the reports under `nodeId`; the key is in this answer only. */
  async create(actor: Actor, body: { name: string; nodeId: number }): Promise<Open311KeyView & { key: string }> {
    await this.adminOver(actor, body.nodeId);
    const key = `o311_${randomBytes(24).toString('base64url')}`;
    const row = await transact(this.dataSource, async (manager) => {
      // The reporter of what the key files: a user of its own, which no login can reach (its openid is not a valid one).
      const user = await manager.getRepository(User).save(manager.getRepository(User).create({ openid: `open311:${randomBytes(12).toString('hex')}`, nickname: body.name.slice(0, 64) }));
      return manager.getRepository(Open311Key).save(
        manager.getRepository(Open311Key).create({ name: body.name, keyHash: hashKey(key), prefix: key.slice(0, 12), nodeId: body.nodeId, userId: user.id, createdById: actor.userId }),
      );
    });
    return { ...this.view(row), key };
  }

  async list(actor: Actor): Promise<{ items: Open311KeyView[] }> {
    await this.directory.ensureFresh();
    if (!holdsRole(actor, ['admin'])) throw forbidden('只有管理员可以管理接口密钥');
    const rows = await this.dataSource.getRepository(Open311Key).find({ order: { id: 'DESC' } });
    return { items: rows.filter((row) => this.inScope(actor, row.nodeId)).map((row) => this.view(row)) };
  }

  async revoke(actor: Actor, id: number): Promise<Open311KeyView> {
    await this.directory.ensureFresh();
    if (!holdsRole(actor, ['admin'])) throw forbidden('只有管理员可以管理接口密钥');
    const row = await this.dataSource.getRepository(Open311Key).findOneBy({ id });
    if (!row || !this.inScope(actor, row.nodeId)) throw notFound('接口密钥');
    if (row.revokedAt) throw conflict('该密钥已停用');
    row.revokedAt = this.now();
    await this.dataSource.getRepository(Open311Key).update({ id, revokedAt: IsNull() }, { revokedAt: row.revokedAt });
    return this.view(row);
  }

  /** The live key behind `key`, or null (unknown or revoked). */
  async verify(key: string | undefined): Promise<Open311Key | null> {
    if (!key || key.length > 100) return null;
    const row = await this.dataSource.getRepository(Open311Key).findOneBy({ keyHash: hashKey(key), revokedAt: IsNull() });
    if (!row) return null;
    await this.dataSource.getRepository(Open311Key).update({ id: row.id }, { lastUsedAt: this.now() });
    return row;
  }

  private inScope(actor: Actor, nodeId: number): boolean {
    const node = this.directory.node(nodeId);
    return !!node && holdsRoleOver(actor, ['admin'], node.path);
  }

  private view(row: Open311Key): Open311KeyView {
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      nodeId: row.nodeId,
      nodeName: this.directory.node(row.nodeId)?.name ?? '',
      createdById: row.createdById,
      createdAt: new Date(row.createdAt ?? this.now()).toISOString(),
      revokedAt: row.revokedAt ? new Date(row.revokedAt).toISOString() : null,
      lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt).toISOString() : null,
    };
  }
}
