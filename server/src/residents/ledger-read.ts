import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { LEDGER_LIMITS, type LedgerColumn } from '@linli/shared';
import { AppError } from '../platform/errors';
import { cellText, HEADER_LIST, headerColumns, parseLedgerRow, type ParsedRow } from './ledger-rows';
import { checkZip } from './zip-check';

/** A title or a note may sit above the header: it is looked for in a sheet's first rows. */
const HEADER_SEARCH_ROWS = 10;
/** 50,000 rows take about 30 MB of sheet XML; a file that unpacks to more is refused before it is parsed. */
const MAX_UNPACKED_BYTES = 128 * 1024 * 1024;

export const notXlsx = () => new AppError('UNSUPPORTED_MEDIA_TYPE', '文件已损坏或不是 .xlsx：请上传 Excel 2007 及以上的 .xlsx 文件（.xls、.csv 请先另存为 .xlsx）');
export const tooManyRows = (maxRows: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `台账最多 ${maxRows.toLocaleString('en-US')} 行，请按小区或楼栋分成几个文件导入`);

/**
 * The ledger's rows from an .xlsx, read as a stream (the sheet is never held whole as a workbook
 * model): the first sheet with a header row (楼栋 and 房号 at least) is the ledger; rows after it are
 * parsed one by one. More than `maxRows` data rows → 413 as soon as the next one is seen. A small file
 * the stream reader fails on is read again whole before it is called damaged.
 */
export async function readLedgerRows(file: Buffer, maxRows: number = LEDGER_LIMITS.maxRows): Promise<ParsedRow[]> {
  // An .xlsx is a zip: anything else is refused before the parser sees it.
  if (file.length < 4 || file.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  const problem = await checkZip(file, MAX_UNPACKED_BYTES);
  if (problem === 'too_large') throw new AppError('PAYLOAD_TOO_LARGE', '台账文件解压后太大，请按小区或楼栋分成几个文件导入');
  if (problem) throw notXlsx();
  try {
    return await ledgerRowsOf(streamedSheets(file), maxRows);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // Read whole, a sheet is held as a model many times its XML: only a file that also unpacks small.
    if (file.length > WHOLE_READ_MAX_BYTES || (await checkZip(file, WHOLE_READ_MAX_UNPACKED_BYTES)) !== null) throw notXlsx();
    // The stream reader parks a sheet that comes before the shared strings in a temporary file; once in
    // a CI run that failed for a valid template. A small file is read again whole before it is refused.
    return ledgerRowsOf(wholeSheets(file), maxRows).catch((again) => {
      throw again instanceof AppError ? again : notXlsx();
    });
  }
}

/** A sheet's rows as the reader gives them: number and values (values[0] unused, as ExcelJS has it). */
interface SheetRow {
  number: number;
  values: unknown;
}

/** Files up to this size, unpacking to at most WHOLE_READ_MAX_UNPACKED_BYTES, may be read whole (as a workbook model) when the stream reader fails. */
const WHOLE_READ_MAX_BYTES = 2 * 1024 * 1024;
const WHOLE_READ_MAX_UNPACKED_BYTES = 8 * 1024 * 1024;

async function* streamedSheets(file: Buffer): AsyncGenerator<AsyncIterable<SheetRow>> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  for await (const sheet of reader) yield sheet as AsyncIterable<SheetRow>;
}

async function* wholeSheets(file: Buffer): AsyncGenerator<AsyncIterable<SheetRow>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as never);
  for (const sheet of workbook.worksheets) {
    const rows: SheetRow[] = [];
    sheet.eachRow((row, number) => rows.push({ number, values: row.values }));
    yield (async function* () {
      yield* rows;
    })();
  }
}

/** The first sheet with a header row is the ledger; its rows after the header, parsed. */
async function ledgerRowsOf(sheets: AsyncGenerator<AsyncIterable<SheetRow>>, maxRows: number): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  let columns: Map<number, LedgerColumn> | null = null;
  let ledgerSheetDone = false;
  // A reader's own error (a damaged sheet) propagates as it is: readLedgerRows decides what to say.
  for await (const sheet of sheets) {
    for await (const row of sheet) {
      if (ledgerSheetDone) continue; // later sheets are read through (the stream must be drained) and ignored
      const values = (row.values as unknown[]).slice(1).map(cellText);
      if (!columns) {
        if (row.number <= HEADER_SEARCH_ROWS) columns = headerColumns(values);
        continue;
      }
      if (values.every((v) => v === '')) continue;
      if (rows.length >= maxRows) throw tooManyRows(maxRows);
      const cells: Partial<Record<LedgerColumn, string>> = {};
      for (const [index, key] of columns) cells[key] = values[index] ?? '';
      rows.push(parseLedgerRow(row.number, cells));
    }
    if (columns) ledgerSheetDone = true;
  }
  if (!columns) {
    throw new AppError('VALIDATION_FAILED', `找不到台账的表头：第一行应为 ${HEADER_LIST}`, [{ path: 'body.file', message: '缺少「楼栋」「房号」列' }]);
  }
  return rows;
}
