/**
 * The ledger import at the size of a large community: a generated .xlsx of 10,000 households (100 new
 * buildings in the demo's micro-grids, an owner each, family and tenants: ~15,000 rows) imported over
 * HTTP by the demo secretary into a scratch database on the MySQL/MariaDB server of DATABASE_URL:
 * dry run, import, then the same file again (nothing changes). The baseline, in the same run: reading
 * the file alone (zip check and streaming parse, no database).
 *   DATABASE_URL=mariadb://linli:linli@127.0.0.1:3306/linli npm run bench:ledger
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import mysql from 'mysql2/promise';
import { LEDGER_COLUMNS, type LedgerImportResult } from '@linli/shared';
import { buildApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createLogger } from '../server/src/platform/logger';
import { readLedgerRows } from '../server/src/residents/ledger-read';
import { seedDemo } from '../server/src/seed/demo';

const HOUSEHOLDS = Number(process.env.LEDGER_HOUSEHOLDS ?? 10_000);
const MICROGRIDS = ['桂香苑微网格', '桂馨苑微网格', '丹桂苑微网格', '金桂苑微网格'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '建国淑芬秀兰国华丽华志强桂英明玉梅海燕德明红梅卫东春花永红金凤文杰雪梅'.split('');

export interface LedgerImportFigures {
  households: number;
  rows: number;
  bytes: number;
  readMs: number;
  runs: { what: string; ms: number; result: LedgerImportResult }[];
}

/** 100 flats a building (4 units × 25), an owner with a phone each; 40 % family (half with a phone), 8 % a tenant. */
export async function ledgerWorkbook(households: number): Promise<{ bytes: Buffer; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('台账');
  sheet.addRow(LEDGER_COLUMNS.map((c) => c.header));
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const name = () => SURNAMES[Math.floor(random() * SURNAMES.length)] + GIVEN[Math.floor(random() * GIVEN.length)] + GIVEN[Math.floor(random() * GIVEN.length)];
  let rows = 0;
  let phone = 0;
  for (let i = 0; i < households; i++) {
    const building = Math.floor(i / 100);
    const place = [MICROGRIDS[building % MICROGRIDS.length], `L${building + 1}号楼`, `${Math.floor((i % 100) / 25) + 1}单元`, `${Math.floor((i % 25) / 2) + 1}0${(i % 2) + 1}`, Math.round((60 + random() * 80) * 100) / 100];
    const add = (relation: string, withPhone: boolean) => {
      sheet.addRow([...place, name(), withPhone ? `135${String(10_000_000 + phone++).padStart(8, '0')}` : '', relation]);
      rows++;
    };
    add('业主', true);
    if (random() < 0.4) add('家庭成员', random() < 0.5);
    if (random() < 0.08) add('租户', true);
  }
  return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), rows };
}

export async function benchLedgerImport(serverUrl: string): Promise<LedgerImportFigures> {
  const name = `linli_bench_ledger_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(serverUrl.replace(/^mariadb:/, 'mysql:').replace(/\/[^/]*$/, '/'));
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = await openDatabase({ url: url.toString(), embeddedFile: null });
  const server = http.createServer();
  try {
    await seedDemo(dataSource);
    const { app } = buildApp({ config: loadConfig({ NODE_ENV: 'test', H5_DIR: '/nonexistent' }), dataSource, logger: createLogger('silent') });
    server.on('request', app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const token = ((await (await fetch(`${api}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'demo-secretary-1' }) })).json()) as { token: string }).token;
    const [{ id: communityId }] = await dataSource.query("SELECT id FROM grid_nodes WHERE code = '330199001001'");

    const { bytes, rows } = await ledgerWorkbook(HOUSEHOLDS);
    const readStart = performance.now();
    await readLedgerRows(bytes);
    const readMs = performance.now() - readStart;

    const runs: LedgerImportFigures['runs'] = [];
    for (const [what, dryRun] of [
      ['dry run (all new)', true],
      ['import (all new)', false],
      ['dry run, same file again', true],
      ['import, same file again', false],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), '台账.xlsx');
      const start = performance.now();
      const response = await fetch(`${api}/households/import?nodeId=${communityId}&dryRun=${dryRun}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      const result = (await response.json()) as LedgerImportResult;
      if (response.status !== 200) throw new Error(`${what}: ${response.status} ${JSON.stringify(result)}`);
      runs.push({ what, ms: performance.now() - start, result });
    }
    return { households: HOUSEHOLDS, rows, bytes: bytes.length, readMs, runs };
  } finally {
    server.close();
    await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url || url.startsWith('sqlite')) throw new Error('bench/ledger-import.ts needs DATABASE_URL (MySQL/MariaDB)');
  benchLedgerImport(url)
    .then((f) => {
      console.log(`ledger of ${f.households.toLocaleString('en-US')} households: ${f.rows.toLocaleString('en-US')} rows, ${(f.bytes / 1024).toFixed(0)} KB`);
      console.log(`baseline: reading the file alone ${f.readMs.toFixed(0)} ms`);
      for (const run of f.runs) {
        const { created, updated, unchanged, skipped } = run.result;
        console.log(`${run.what.padEnd(26)} ${run.ms.toFixed(0).padStart(6)} ms  created ${created}, updated ${updated}, unchanged ${unchanged}, skipped ${skipped.length}`);
      }
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
