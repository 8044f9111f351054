import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { AppError, notFound } from '../platform/errors';
import { Department } from '../reports/department.entity';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { Report } from '../reports/report.entity';
import type { ReportsService } from '../reports/reports.service';
import { underPath } from '../stats/sql';
import { geoStatus, statusNotes, w3cChina, type GeoCreated, type GeoService, type GeoServiceRequest } from './georeport';
import type { Open311Key } from './open311-key.entity';

const DAY_MS = 24 * 3600_000;
/** The spec's default window and cap for GET requests. */
const WINDOW_DAYS = 90;
const MAX_REQUESTS = 1000;

const w3cDate = z.iso.datetime({ offset: true });
const commaList = z.string().trim().max(2000).transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

export const requestsFilter = z.object({
  service_request_id: commaList.optional(),
  service_code: commaList.optional(),
  start_date: w3cDate.optional(),
  end_date: w3cDate.optional(),
  status: commaList.pipe(z.array(z.enum(['open', 'closed']))).optional(),
});
export type RequestsFilter = z.infer<typeof requestsFilter>;

/** POST requests.{format}: the spec's form fields that we use. Personal fields (name, phone, email) are not stored. */
export const createRequestInput = z
  .object({
    service_code: z.string().trim().min(1).max(32),
    lat: z.coerce.number().min(-90).max(90).optional(),
    long: z.coerce.number().min(-180).max(180).optional(),
    address_string: z.string().trim().max(200).optional(),
    address_id: z.string().trim().max(64).optional(),
    description: z.string().trim().min(5, 'description: at least 5 characters').max(2000),
  })
  .refine((b) => (b.lat !== undefined) === (b.long !== undefined), { message: 'lat and long go together', path: ['lat'] })
  .refine((b) => b.lat !== undefined || !!b.address_string || !!b.address_id, { message: 'a location is required: lat & long, address_string or address_id', path: ['lat'] });

/**
 * GeoReport v2 over our reports. A key reaches the reports under its node; what it files is a report
 * of channel `hotline`, reported by the key's own user, routed like any other (the micro-grid of
 * lat/long, else the key's node). Nothing about the reporter is ever in a response.
 */
export class Open311Service {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly reports: ReportsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async services(): Promise<GeoService[]> {
    const [categories, departments] = await Promise.all([
      this.dataSource.getRepository(ReportCategoryRow).find({ order: { sortOrder: 'ASC' } }),
      this.departmentNames(),
    ]);
    return categories.map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: `${c.name}：受理后 ${c.slaHours} 小时内办结（紧急、较急的时限更短）`,
      metadata: false,
      type: 'realtime',
      keywords: c.name,
      group: (c.departmentId && departments.get(c.departmentId)) || '社区事务',
    }));
  }

  async serviceDefinition(code: string): Promise<{ service_code: string; attributes: never[] }> {
    const category = await this.dataSource.getRepository(ReportCategoryRow).findOneBy({ code });
    if (!category) throw notFound(`service_code ${code}`);
    return { service_code: category.code, attributes: [] };
  }

  async requests(key: Open311Key, filter: RequestsFilter): Promise<GeoServiceRequest[]> {
    const scope = await this.scopeOf(key);
    // Reports under content review are not published to other systems until a reviewer releases them.
    const query = this.dataSource
      .getRepository(Report)
      .createQueryBuilder('r')
      .where('r.gridPath LIKE :prefix', { prefix: underPath(scope) })
      .andWhere('r.moderation = :clear', { clear: 'clear' });
    if (filter.service_request_id?.length) {
      query.andWhere('r.number IN (:...numbers)', { numbers: filter.service_request_id.slice(0, MAX_REQUESTS) });
    } else {
      const end = filter.end_date ? new Date(filter.end_date) : filter.start_date ? new Date(Date.parse(filter.start_date) + WINDOW_DAYS * DAY_MS) : this.now();
      const start = filter.start_date ? new Date(filter.start_date) : new Date(end.getTime() - WINDOW_DAYS * DAY_MS);
      if (end.getTime() < start.getTime()) throw new AppError('VALIDATION_FAILED', 'end_date is before start_date');
      if (end.getTime() - start.getTime() > WINDOW_DAYS * DAY_MS) throw new AppError('VALIDATION_FAILED', `start_date to end_date may not span more than ${WINDOW_DAYS} days`);
      query.andWhere('r.createdAt >= :start', { start }).andWhere('r.createdAt <= :end', { end });
      if (filter.service_code?.length) query.andWhere('r.categoryCode IN (:...codes)', { codes: filter.service_code });
      const statuses = new Set(filter.status ?? []);
      if (statuses.size === 1) query.andWhere(`r.status ${statuses.has('open') ? 'IN' : 'NOT IN'} (:...open)`, { open: ['submitted', 'accepted', 'dispatched', 'in_progress'] });
    }
    const rows = await query.orderBy('r.id', 'DESC').take(MAX_REQUESTS).getMany();
    return this.toRequests(rows);
  }

  async request(key: Open311Key, id: string): Promise<GeoServiceRequest[]> {
    const scope = await this.scopeOf(key);
    const row = await this.dataSource.getRepository(Report).findOneBy({ number: id });
    if (!row || !row.gridPath.startsWith(scope) || row.moderation !== 'clear') throw notFound(`service_request_id ${id}`);
    return this.toRequests([row]);
  }

  async create(key: Open311Key, input: z.infer<typeof createRequestInput>): Promise<GeoCreated[]> {
    const scope = await this.scopeOf(key);
    if (input.lat !== undefined && input.long !== undefined) {
      const located = this.directory.locate(input.lat, input.long);
      if (!located || !located.path.startsWith(scope)) throw new AppError('VALIDATION_FAILED', 'lat/long is outside the area this api_key serves');
    }
    const category = await this.dataSource.getRepository(ReportCategoryRow).findOneBy({ code: input.service_code });
    if (!category) throw notFound(`service_code ${input.service_code}`);
    // The key acts as a grid worker of its node for this one call: that is what lets staff file from
    // another channel, and routes a report without a spot to the key's node.
    const actor: Actor = {
      userId: key.userId,
      nickname: key.name,
      householdId: null,
      householdRelation: null,
      departmentId: null,
      scopes: [{ role: 'grid_worker', nodeId: key.nodeId, nodePath: scope }],
    };
    const address = [input.address_string, input.address_id && `地址编码 ${input.address_id}`].filter(Boolean).join('；') || undefined;
    const { report } = await this.reports.submit(
      actor,
      {
        categoryCode: category.code,
        description: input.description,
        photos: [],
        location: input.lat !== undefined && input.long !== undefined ? { lat: input.lat, lng: input.long } : undefined,
        address,
        anonymous: false,
        channel: 'hotline',
      },
      null,
    );
    const grid = report.gridPath.at(-1) ?? '';
    return [{ service_request_id: report.number, service_notice: `已转${grid}，受理后 ${category.slaHours} 小时内办结`, account_id: null }];
  }

  private async scopeOf(key: Open311Key): Promise<string> {
    await this.directory.ensureFresh();
    const node = this.directory.node(key.nodeId);
    if (!node) throw notFound('jurisdiction');
    return node.path;
  }

  private async departmentNames(): Promise<Map<number, string>> {
    return new Map((await this.dataSource.getRepository(Department).find()).map((d) => [d.id, d.name]));
  }

  private async toRequests(rows: Report[]): Promise<GeoServiceRequest[]> {
    const codes = [...new Set(rows.map((r) => r.categoryCode))];
    const categories = new Map(codes.length ? (await this.dataSource.getRepository(ReportCategoryRow).findBy({ code: In(codes) })).map((c) => [c.code, c.name]) : []);
    const departments = await this.departmentNames();
    return rows.map((r) => {
      const photos = JSON.parse(r.photos) as string[];
      const status = geoStatus(r.status);
      const finishedAt = status === 'closed' ? (r.closedAt ?? r.resolvedAt ?? r.updatedAt) : r.updatedAt;
      return {
        service_request_id: r.number,
        status,
        status_notes: statusNotes(r.status),
        service_name: categories.get(r.categoryCode) ?? r.categoryCode,
        service_code: r.categoryCode,
        description: r.description,
        agency_responsible: (r.departmentId && departments.get(r.departmentId)) || this.directory.node(r.gridNodeId)?.name || null,
        service_notice: null,
        requested_datetime: w3cChina(r.createdAt),
        updated_datetime: w3cChina(finishedAt),
        expected_datetime: r.dueAt ? w3cChina(r.dueAt) : null,
        address: r.address,
        address_id: null,
        zipcode: null,
        lat: r.lat,
        long: r.lng,
        media_url: photos[0] ?? null,
      };
    });
  }
}
