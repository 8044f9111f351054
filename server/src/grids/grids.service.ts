import type { DataSource, EntityManager } from 'typeorm';
import {
  childLevel,
  type BuildingSummary,
  type GridImportChange,
  type GridImportPreview,
  type GridImportBody,
  type GridImportResult,
  type HouseholdSummary,
  type Page,
  nextCursor,
  GRID_LEVEL_LABELS,
} from '@linli/shared';
import { transact } from '../db/data-source';
import { SystemCounter } from '../db/system-counter.entity';
import type { Actor } from '../identity/actor';
import { assertRoleOver, holdsRoleOver } from '../identity/authorize';
import { AppError, forbidden, notFound, fieldError } from '../platform/errors';
import { Building } from './building.entity';
import { BOUNDARY_COUNTER, type GridDirectory } from './grid-directory';
import { GridNode } from './grid-node.entity';
import { Household, householdLabel } from './household.entity';
import { familiesTouched, importPreview, type ImportFamily } from './import-preview';

export class GridsService {
  constructor(
    private readonly dataSource: DataSource,
    readonly directory: GridDirectory,
  ) {}

  async requireNode(id: number) {
    await this.directory.ensureFresh();
    const node = this.directory.node(id);
    if (!node) throw notFound('网格');
    return node;
  }

  /** Buildings anywhere below a node, by id; `units` lets the binding picker offer its second column. */
  async buildingsUnder(nodeId: number, cursor: number, limit: number): Promise<Page<BuildingSummary>> {
    const node = await this.requireNode(nodeId);
    const buildings = await this.dataSource
      .getRepository(Building)
      .createQueryBuilder('b')
      .innerJoin(GridNode, 'g', 'g.id = b.microgridId')
      .where('g.path LIKE :prefix', { prefix: `${node.path}%` })
      .andWhere('b.id > :cursor', { cursor })
      .orderBy('b.id', 'ASC')
      .take(limit + 1)
      .getMany();
    const page = buildings.slice(0, limit);
    const units = await this.unitsOf(page.map((b) => b.id));
    const items = page
      .map((b) => ({
        id: b.id,
        name: b.name,
        code: b.code,
        microgridId: b.microgridId,
        units: (units.get(b.id) ?? []).map((u) => u.unit),
        householdCount: (units.get(b.id) ?? []).reduce((sum, u) => sum + u.count, 0),
      }))
      .sort((a, b) => naturalCompare(a.name, b.name));
    return { items, nextCursor: nextCursor(buildings, limit) };
  }

  private async unitsOf(buildingIds: number[]): Promise<Map<number, { unit: string; count: number }[]>> {
    const byBuilding = new Map<number, { unit: string; count: number }[]>();
    if (buildingIds.length === 0) return byBuilding;
    const rows: { buildingId: number | string; unit: string; count: number | string }[] = await this.dataSource
      .getRepository(Household)
      .createQueryBuilder('h')
      .select('h.buildingId', 'buildingId')
      .addSelect('h.unit', 'unit')
      .addSelect('COUNT(*)', 'count')
      .where('h.buildingId IN (:...buildingIds)', { buildingIds })
      .groupBy('h.buildingId')
      .addGroupBy('h.unit')
      .getRawMany();
    for (const row of rows) {
      const list = byBuilding.get(Number(row.buildingId)) ?? [];
      list.push({ unit: row.unit, count: Number(row.count) });
      byBuilding.set(Number(row.buildingId), list);
    }
    for (const list of byBuilding.values()) list.sort((a, b) => naturalCompare(a.unit, b.unit));
    return byBuilding;
  }

  async householdsOf(buildingId: number, unit: string | undefined, cursor: number, limit: number): Promise<Page<HouseholdSummary>> {
    const building = await this.dataSource.getRepository(Building).findOneBy({ id: buildingId });
    if (!building) throw notFound('楼栋');
    const query = this.dataSource
      .getRepository(Household)
      .createQueryBuilder('h')
      .where('h.buildingId = :buildingId', { buildingId })
      .andWhere('h.id > :cursor', { cursor })
      .orderBy('h.id', 'ASC')
      .take(limit + 1);
    if (unit) query.andWhere('h.unit = :unit', { unit });
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    const items = page
      .map((h) => ({ id: h.id, buildingId: h.buildingId, unit: h.unit, room: h.room, label: householdLabel(building.name, h.unit, h.room) }))
      .sort((a, b) => naturalCompare(a.unit, b.unit) || naturalCompare(a.room, b.room));
    return { items, nextCursor: nextCursor(rows, limit) };
  }

  /**
   * Admin import: creates or updates nodes by code, parents first, in one transaction, then tells
   * every instance (through the counter) to rebuild its spatial index and drawings. `updated` counts
   * every code that already existed, changed or not.
   */
  async importTree(actor: Actor, body: GridImportBody): Promise<GridImportResult> {
    await this.directory.ensureFresh();
    const result = await transact(this.dataSource, async (manager) => {
      let created = 0;
      let updated = 0;
      for (const [index, feature] of body.features.entries()) {
        const outcome = await this.importFeature(manager, actor, feature, index);
        if (outcome === 'new') created++;
        else updated++;
      }
      await manager.increment(SystemCounter, { name: BOUNDARY_COUNTER }, 'value', 1);
      return { created, updated };
    });
    this.directory.invalidate();
    return result;
  }

  /**
   * The import as it would go, written nothing: the same checks in a transaction rolled back at the
   * end, after reading the families it touches as they would then stand; then what would change, which
   * siblings would overlap and which parents keep area no child covers (import-preview.ts).
   */
  async previewImport(actor: Actor, body: GridImportBody): Promise<GridImportPreview> {
    await this.directory.ensureFresh();
    let seen: { changes: GridImportChange[]; families: ImportFamily[] } | null = null;
    try {
      await transact(this.dataSource, async (manager) => {
        const changes: GridImportChange[] = [];
        for (const [index, feature] of body.features.entries()) changes.push(await this.importFeature(manager, actor, feature, index));
        seen = { changes, families: await familiesTouched(manager, body) };
        throw ROLL_BACK;
      });
    } catch (err) {
      if (err !== ROLL_BACK) throw err;
    }
    const { changes, families } = seen!;
    return importPreview(body, changes, families);
  }

  private async importFeature(
    manager: EntityManager,
    actor: Actor,
    feature: GridImportBody['features'][number],
    index: number,
  ): Promise<GridImportChange> {
    const { code, name, level, parentCode } = feature.properties;
    const boundary = feature.geometry ? JSON.stringify(feature.geometry) : null;
    const nodes = manager.getRepository(GridNode);
    const existing = await nodes.findOneBy({ code });
    if (existing) {
      if (existing.level !== level) throw invalidFeature(index, 'level', `编码 ${code} 已存在，层级为${GRID_LEVEL_LABELS[existing.level]}`);
      assertRoleOver(actor, ['admin'], existing.path);
      if (existing.name === name && sameBoundary(existing.boundary, boundary)) return 'unchanged';
      await nodes.update({ id: existing.id }, { name, boundary });
      return 'changed';
    }
    const parent = parentCode ? await nodes.findOneBy({ code: parentCode }) : null;
    if (parentCode && !parent) throw invalidFeature(index, 'parentCode', `上级编码 ${parentCode} 不存在`);
    if (parent ? childLevel(parent.level) !== level : level !== 'district') {
      throw invalidFeature(index, 'level', `${GRID_LEVEL_LABELS[level]}不能放在${parent ? GRID_LEVEL_LABELS[parent.level] : '顶层'}之下`);
    }
    if (parent) assertRoleOver(actor, ['admin'], parent.path);
    // A new top-level tree is for an operator who already administers a top-level one.
    else if (!this.directory.roots().some((root) => holdsRoleOver(actor, ['admin'], root.path))) throw forbidden();
    const inserted = await nodes.save(nodes.create({ parentId: parent?.id ?? null, level, name, code, boundary, path: '' }));
    await nodes.update({ id: inserted.id }, { path: `${parent?.path ?? '/'}${inserted.id}/` });
    return 'new';
  }
}

/** Thrown to roll a preview's transaction back. */
const ROLL_BACK = Symbol('roll back the preview');

/** Stored text and imported text may differ in spacing or key order: compare the geometries. */
function sameBoundary(stored: string | null, imported: string | null): boolean {
  if (stored === null || imported === null) return stored === imported;
  return JSON.stringify(JSON.parse(stored)) === imported;
}

function invalidFeature(index: number, field: string, message: string): AppError {
  return fieldError(`body.features.${index}.properties.${field}`, message);
}

const collator = new Intl.Collator('zh-CN', { numeric: true });
/** 2单元 before 10单元, 301 before 1201. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}
