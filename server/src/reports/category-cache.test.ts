import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { categoryCacheFor } from './category-cache';
import { ReportCategoryRow } from './report-category.entity';

describe('report categories and departments, cached per instance', () => {
  let server: TestServer;
  let reportId: number;
  beforeAll(async () => {
    server = await startTestServer();
    const filed = await server.call('POST', '/reports', {
      token: await server.login('demo-resident-1'),
      headers: { 'idempotency-key': randomUUID() },
      body: { categoryCode: 'sanitation', description: '楼下垃圾桶满了，三天没人清运', location: { lat: 30.279, lng: 120.1495 } },
    });
    expect(filed.status).toBe(201);
    reportId = filed.body.id;
  });
  afterAll(() => server.close());

  const categoryName = async () => (await server.call<ReportDetail>('GET', `/reports/${reportId}`, { token: await server.login('demo-resident-1') })).body.categoryName;

  it('reads the categories once for many report views', async () => {
    categoryCacheFor(server.dataSource).clear();
    const find = vi.spyOn(server.dataSource.getRepository(ReportCategoryRow), 'find');
    try {
      for (let i = 0; i < 3; i++) expect(await categoryName()).toBe('环境卫生');
      expect(find).toHaveBeenCalledTimes(1);
    } finally {
      find.mockRestore();
    }
  });

  it('a category renamed on this instance shows its new name in the very next view', async () => {
    expect(await categoryName()).toBe('环境卫生');
    const renamed = await server.call('PUT', '/admin/report-categories/sanitation', { token: await server.login('demo-admin'), body: { name: '环境卫生与清运' } });
    expect(renamed.status).toBe(200);
    expect(await categoryName()).toBe('环境卫生与清运');
  });

  it('a category the cache has not seen yet (made by another instance) is read, not shown as a bare code', async () => {
    await categoryName(); // the cache is filled…
    // …then another process adds a category and files under it (raw SQL: no TypeORM event reaches this one)
    await server.dataSource.query("INSERT INTO report_categories (code, name, slaHours, sortOrder) VALUES ('elevator', '电梯困人', 4, 10)");
    await server.dataSource.query("UPDATE reports SET categoryCode = 'elevator' WHERE id = ?", [reportId]);
    expect(await categoryName()).toBe('电梯困人');
  });
});
