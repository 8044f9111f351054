import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { In, type DataSource } from 'typeorm';
import {
  CHINA_UTC_OFFSET_MS,
  HANDLING_METHOD_LABELS,
  INTAKE_CHANNEL_LABELS,
  PRIORITY_LABELS,
  REPORT_STATUS_INFO,
  SUPERVISABLE_STATUSES,
  chinaDay,
} from '@linli/shared';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import { User } from '../identity/user.entity';
import type { Logger } from '../platform/logger';
import { Department } from '../reports/department.entity';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { ReportEventRow } from '../reports/report-event.entity';
import type { Report } from '../reports/report.entity';
import type { Period, StatsService } from './stats.service';

/** The export's columns: Chinese headers for the monthly report to the street. */
export const EXPORT_COLUMNS = [
  { header: '编号', key: 'number', width: 16 },
  { header: '类别', key: 'category', width: 10 },
  { header: '描述', key: 'description', width: 40 },
  { header: '渠道', key: 'channel', width: 10 },
  { header: '状态', key: 'status', width: 8 },
  { header: '优先级', key: 'priority', width: 8 },
  { header: '处置方式', key: 'handlingMethod', width: 10 },
  { header: '网格', key: 'grid', width: 28 },
  { header: '地址', key: 'address', width: 24 },
  { header: '提交人', key: 'reporter', width: 10 },
  { header: '承办部门', key: 'department', width: 18 },
  { header: '提交时间', key: 'createdAt', width: 17 },
  { header: '受理时间', key: 'acceptedAt', width: 17 },
  { header: '办结时限', key: 'dueAt', width: 17 },
  { header: '办结时间', key: 'closedAt', width: 17 },
  { header: '评价', key: 'rating', width: 6 },
  { header: '是否超期', key: 'overdue', width: 8 },
  { header: '重办次数', key: 'reopenCount', width: 8 },
] as const;

const BATCH = 500;

/**
 * Streams the reports received in the period under the node as an .xlsx, 500 rows at a time (keyset
 * by id, on the same indexed range as the dashboard), so memory stays flat however many there are.
 * An anonymous report's reporter is written as 匿名, never named (DESIGN.md: invisible to staff in
 * every export); nobody's phone number is written.
 */
export function streamReportsXlsx(
  dataSource: DataSource,
  directory: GridDirectory,
  stats: StatsService,
  node: GridNodeInfo,
  period: Period,
  now: Date,
  logger?: Logger,
): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'linli 邻里';
  const sheet = workbook.addWorksheet('说事台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ ...c }));
  sheet.getRow(1).font = { bold: true };

  const write = async () => {
    const categories = new Map((await dataSource.getRepository(ReportCategoryRow).find()).map((c) => [c.code, c.name]));
    const departments = new Map((await dataSource.getRepository(Department).find()).map((d) => [d.id, d.name]));
    let afterId = 0;
    for (;;) {
      const batch = await stats.cohort(node, period.from, period.to).andWhere('r.id > :afterId', { afterId }).orderBy('r.id', 'ASC').take(BATCH).getMany();
      if (batch.length === 0) break;
      afterId = batch[batch.length - 1].id;
      const named = batch.filter((r) => !r.anonymous).map((r) => r.reporterId);
      const users = new Map(named.length ? (await dataSource.getRepository(User).find({ where: { id: In([...new Set(named)]) } })).map((u) => [u.id, u]) : []);
      const accepts = await dataSource.getRepository(ReportEventRow).find({ where: { reportId: In(batch.map((r) => r.id)), action: 'accept' }, order: { id: 'ASC' } });
      const acceptedAt = new Map<number, Date>();
      for (const event of accepts) if (!acceptedAt.has(event.reportId)) acceptedAt.set(event.reportId, event.createdAt);
      for (const report of batch) {
        sheet
          .addRow({
            number: report.number,
            category: categories.get(report.categoryCode) ?? report.categoryCode,
            description: report.description,
            channel: INTAKE_CHANNEL_LABELS[report.channel] ?? report.channel,
            status: REPORT_STATUS_INFO[report.status]?.label ?? report.status,
            priority: report.priority ? PRIORITY_LABELS[report.priority] : '',
            handlingMethod: report.handlingMethod ? HANDLING_METHOD_LABELS[report.handlingMethod] : '',
            grid: directory.pathOf(report.gridNodeId).slice(2).map((p) => p.name).join(' / '),
            address: report.address ?? '',
            reporter: reporterLabel(report, users),
            department: report.departmentId ? (departments.get(report.departmentId) ?? '') : '',
            createdAt: chinaTime(report.createdAt),
            acceptedAt: chinaTime(acceptedAt.get(report.id) ?? null),
            dueAt: chinaTime(report.dueAt),
            closedAt: report.status === 'closed' ? chinaTime(report.closedAt) : '',
            rating: report.rating ?? '',
            overdue: overdueLabel(report, now),
            reopenCount: report.reopenCount,
          })
          .commit();
      }
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: unknown) => {
    logger?.error({ err }, 'xlsx export failed');
    out.destroy(err as Error);
  });
  return out;
}

function reporterLabel(report: Report, users: Map<number, User>): string {
  if (report.anonymous) return '匿名';
  const user = users.get(report.reporterId);
  return user && !user.deletedAt ? user.nickname : '已注销';
}

/**
 * 是否超期: with a due time, 是 when it was resolved (or closed) after it, or is still open past it now;
 * 否 otherwise; blank when it never had one (not accepted, rejected or merged before acceptance).
 */
export function overdueLabel(report: Pick<Report, 'status' | 'dueAt' | 'resolvedAt' | 'closedAt'>, now: Date): string {
  if (!report.dueAt) return '';
  const due = report.dueAt.getTime();
  if (SUPERVISABLE_STATUSES.includes(report.status)) return now.getTime() > due ? '是' : '否';
  const finished = report.resolvedAt ?? report.closedAt;
  if (report.status === 'rejected' || report.status === 'merged' || !finished) return '';
  return finished.getTime() > due ? '是' : '否';
}

/** `2026-11-23 14:05` in China time; blank for null. */
export function chinaTime(at: Date | null): string {
  if (!at) return '';
  const local = new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
export function attachmentDisposition(filename: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

export function exportFilename(node: GridNodeInfo, period: Period): { name: string; ascii: string } {
  const first = chinaDay(period.from);
  const last = chinaDay(new Date(period.to.getTime() - 1));
  return { name: `${node.name}说事台账_${first}至${last}.xlsx`, ascii: `reports_${first}_${last}.xlsx` };
}
