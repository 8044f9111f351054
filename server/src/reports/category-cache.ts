import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { clearOnWrites } from '../db/clear-on-write';
import { onPrimary } from '../db/replicas';
import { Department } from './department.entity';
import { ReportCategoryRow } from './report-category.entity';

/** How long an instance trusts its copy of the categories and departments. */
export const CATEGORY_CACHE_TTL_MS = 5_000;

export interface ReferenceData {
  categories: Map<string, ReportCategoryRow>;
  departments: Map<number, Department>;
  /** A hash of both as read: a report's freshness stamp carries it, since a report shows their names. */
  stamp: string;
}

/**
 * Report categories and departments: a few dozen rows that only an admin changes, yet every report
 * view (each page of a list, each detail) read them again. One copy per data source, kept for
 * CATEGORY_CACHE_TTL_MS. A write to either table through TypeORM in this process empties it at once
 * (and again when its transaction commits); another instance's change shows here within the TTL — a
 * renamed category may show its old name for up to that long on the other instances.
 */
export class CategoryCache {
  private current: { data: Promise<ReferenceData>; expiresAt: number; generation: number } | null = null;
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlMs = CATEGORY_CACHE_TTL_MS,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  get(): Promise<ReferenceData> {
    const current = this.current;
    if (current && current.generation === this.generation && current.expiresAt > this.clock()) return current.data;
    const generation = this.generation;
    // Shared by every request of this instance, a submission's too: filled from the primary, even when a
    // read-only route on a replica asks first (a copy that lags must not reach the writes).
    const data = onPrimary(() => this.read());
    const entry = { data, expiresAt: this.clock() + this.ttlMs, generation };
    this.current = entry;
    // A failed read is not kept.
    data.catch(() => {
      if (this.current === entry) this.current = null;
    });
    return data;
  }

  clear(): void {
    this.generation++;
    this.current = null;
  }

  private async read(): Promise<ReferenceData> {
    const [categories, departments] = await Promise.all([this.dataSource.getRepository(ReportCategoryRow).find({ order: { code: 'ASC' } }), this.dataSource.getRepository(Department).find({ order: { id: 'ASC' } })]);
    const stamp = createHash('sha1').update(JSON.stringify([categories, departments])).digest('base64url');
    return { categories: new Map(categories.map((c) => [c.code, c])), departments: new Map(departments.map((d) => [d.id, d])), stamp };
  }

  /** Empties the cache whenever this process writes categories or departments. */
  watch(): void {
    clearOnWrites(this.dataSource, [ReportCategoryRow, Department], () => this.clear());
  }
}

const caches = new WeakMap<DataSource, CategoryCache>();

/** The one cache of a data source, made (and set watching it) on first use. */
export function categoryCacheFor(dataSource: DataSource): CategoryCache {
  let cache = caches.get(dataSource);
  if (!cache) {
    cache = new CategoryCache(dataSource);
    cache.watch();
    caches.set(dataSource, cache);
  }
  return cache;
}
