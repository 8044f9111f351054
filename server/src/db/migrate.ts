import { loadConfig } from '../config';
import { openDatabase } from './data-source';

/**
 * `node server/dist/migrate.js` (or `npm run migrate -w server`): brings the configured database's
 * schema up to date and exits, for an upgrade that migrates before the new instances start. The
 * instances would do the same on start; either way under the database's migration lock, so this may
 * run while they start.
 */
async function run() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: the embedded database migrates when the server starts');
  const dataSource = await openDatabase({
    url: config.databaseUrl,
    embeddedFile: null,
    onMigrated: ({ ran, waitedMs }) => console.log(JSON.stringify({ migrationsRan: ran, waitedMs: Math.round(waitedMs) })),
  });
  await dataSource.destroy();
}
run().catch((err) => {
  console.error(err);
  process.exit(1);
});
