import { loadConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { GridDirectory } from '../grids/grid-directory';
import { ReportRollup } from './report-rollup.entity';
import { ReportRollups } from './rollups';

/** `npm run rollups:rebuild`: rebuilds the dashboard's daily rollup from the reports (DATABASE_URL). */
async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: the embedded database builds its rollup on the first overview');
  const dataSource = await openDatabase({ url: config.databaseUrl, embeddedFile: null });
  try {
    const started = performance.now();
    const { days } = await new ReportRollups(dataSource, new GridDirectory(dataSource)).rebuild();
    const rows = await dataSource.getRepository(ReportRollup).count();
    console.log(`report_rollups rebuilt: ${days} days, ${rows} rows in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
