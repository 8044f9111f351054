import path from 'node:path';
import { uploadStorage } from '../app';
import { loadConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { seedDemo } from './demo';

/** `npm run seed -w server`: seeds the demo community into the configured database. */
async function run() {
  const config = loadConfig();
  const dataSource = await openDatabase({
    url: config.databaseUrl,
    embeddedFile: config.databaseUrl ? null : path.join(config.dataDir, 'linli.sqlite'),
  });
  const result = await seedDemo(dataSource, { storage: uploadStorage(config) });
  console.log(`demo seed: ${result.created} rows created`);
  await dataSource.destroy();
}
run().catch((err) => {
  console.error(err);
  process.exit(1);
});
