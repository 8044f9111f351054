import type { Context } from 'koa';
import type { DataSource } from 'typeorm';
import { idParam, LEDGER_LIMITS, LEDGER_ROLES, ledgerExportQuery, ledgerImportQuery } from '@linli/shared';
import type { GridDirectory } from '../grids/grid-directory';
import { AppError, forbidden } from '../platform/errors';
import { route } from '../platform/route';
import { attachmentDisposition } from '../stats/reports-export';
import { readSingleFile } from '../uploads/multipart';
import { holdsRole } from '../identity/authorize';
import { householdMembers } from './household-members';
import type { LedgerImportService } from './ledger-import.service';
import { readLedgerRows } from './ledger-read';
import { ledgerTemplate, streamLedgerXlsx, XLSX_TYPE } from './ledger-write';

/** Room for the multipart framing around the file (boundaries, part headers, a long file name). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const fileTooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `台账文件不能超过 ${LEDGER_LIMITS.maxBytes / 1024 / 1024} MB，请按小区或楼栋分成几个文件导入`);

/** The one .xlsx of a multipart form (field `file`), at most LEDGER_LIMITS.maxBytes. */
async function uploadedXlsx(ctx: Context): Promise<Buffer> {
  if (!ctx.is('multipart/form-data')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传 .xlsx 文件（字段 file）');
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > LEDGER_LIMITS.maxBytes + MULTIPART_OVERHEAD_BYTES) {
    // Refuse before reading, and close the connection rather than drain a body nobody wants.
    ctx.set('Connection', 'close');
    throw fileTooLarge();
  }
  let file: Buffer | null;
  try {
    file = await readSingleFile(ctx.req, { fieldName: 'file', maxBytes: LEDGER_LIMITS.maxBytes });
  } catch (err) {
    if (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE') {
      ctx.set('Connection', 'close');
      throw fileTooLarge();
    }
    throw err;
  }
  if (!file) throw new AppError('VALIDATION_FAILED', '请选择要导入的台账文件', [{ path: 'body.file', message: '缺少文件字段 file' }]);
  return file;
}

export function ledgerRoutes(ledger: LedgerImportService, dataSource: DataSource, directory: GridDirectory) {
  return [
    route({
      method: 'get',
      path: '/households/import-template',
      tag: 'residents',
      summary: 'The ledger template (.xlsx): the 台账 sheet with its header row, and 填写说明 with instructions and an example (secretary or admin)',
      async handler({ actor, ctx }) {
        if (!holdsRole(actor, LEDGER_ROLES)) throw forbidden('只有社区书记和管理员可以导入台账');
        ctx.type = XLSX_TYPE;
        ctx.set('Content-Disposition', attachmentDisposition('住户台账模板.xlsx', 'ledger_template.xlsx'));
        ctx.set('Cache-Control', 'no-store');
        return ledgerTemplate();
      },
    }),
    route({
      method: 'post',
      path: '/households/import',
      tag: 'residents',
      summary:
        'Import a ledger (.xlsx as multipart/form-data, field `file`, at most 10 MB and 50,000 rows) under a community, grid or micro-grid: dryRun=true (the default) only tells what would change; dryRun=false writes it in one transaction → {created, updated, unchanged, skipped: [{row, reason}], changes}',
      query: ledgerImportQuery,
      rawBody: {
        'multipart/form-data': {
          schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        },
      },
      async handler({ actor, query, ctx }) {
        // Scope first: a caller who may not import learns nothing from the file's size or shape.
        await ledger.ledgerNode(actor, query.nodeId);
        const rows = await readLedgerRows(await uploadedXlsx(ctx));
        return ledger.import(actor, query.nodeId, rows, query.dryRun === 'true');
      },
    }),
    route({
      method: 'get',
      path: '/households/export',
      tag: 'residents',
      summary: 'The ledger under a community, grid or micro-grid as .xlsx, the columns the import reads (verified members, phones in full; streamed; audited)',
      query: ledgerExportQuery,
      async handler({ actor, query, ctx }) {
        const node = await ledger.ledgerNode(actor, query.nodeId);
        // Whole phone numbers leave the system here: the audit log records who took them, of which node.
        ctx.state.auditedRead = { path: `${ctx.path}?nodeId=${node.id}` };
        ctx.type = XLSX_TYPE;
        ctx.set('Content-Disposition', attachmentDisposition(`${node.name}住户台账.xlsx`, `ledger_${node.id}.xlsx`));
        ctx.set('Cache-Control', 'no-store');
        return streamLedgerXlsx(dataSource, directory, node, ctx.state.log);
      },
    }),
    route({
      method: 'get',
      path: '/households/:id/members',
      tag: 'residents',
      summary: "One flat as staff fix it by hand: its area and its members (verified and pending), with each membership's id and version (staff over it)",
      params: idParam,
      handler: ({ actor, params }) => householdMembers(dataSource, directory, actor, params.id),
    }),
  ];
}
