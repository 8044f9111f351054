/**
 * One sweep of the report jobs in its own process, as one server instance would run it:
 * `node <its bundle> <databaseUrl> <isoNow>` (test/script-bundle.ts) prints the SweepResult as JSON.
 */
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/data-source';
import { createLogger } from '../src/platform/logger';

async function main() {
  // A third argument `disputes` runs the dispute sweeper instead of the reports'.
  const [url, nowIso, which] = process.argv.slice(2);
  const dataSource = await openDatabase({ url, embeddedFile: null });
  const config = loadConfig({ NODE_ENV: 'test', H5_DIR: '/nonexistent' });
  const { sweeper, disputeSweeper } = buildApp({ config, dataSource, logger: createLogger('silent') });
  const result = await (which === 'disputes' ? disputeSweeper : sweeper).sweep(new Date(nowIso));
  process.stdout.write(JSON.stringify(result));
  await dataSource.destroy();
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
