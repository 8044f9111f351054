import http from 'node:http';
import path from 'node:path';
import { buildApp, uploadStorage } from './app';
import { loadConfig } from './config';
import { openDatabase, withDatabaseLock } from './db/data-source';
import { startJobs } from './jobs/scheduler';
import { createLogger } from './platform/logger';
import { seedDemo } from './seed/demo';

/** Starts the server: database and migrations, demo seed, HTTP; stops cleanly on SIGTERM/SIGINT. */
async function main() {
  const started = performance.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dataSource = await openDatabase({
    url: config.databaseUrl,
    embeddedFile: config.databaseUrl ? null : path.join(config.dataDir, 'linli.sqlite'),
    replicaUrls: config.replicas.urls,
    onMigrated: ({ ran, waitedMs }) => logger.info({ migrationsRan: ran.length, migrations: ran, waitedMs: Math.round(waitedMs) }, ran.length ? 'migrations ran' : 'schema up to date'),
  });
  if (config.seedDemo) {
    // Instances starting together seed one after another: the later ones find it all present.
    const seeded = await withDatabaseLock(dataSource, 'seed', () => seedDemo(dataSource, { storage: uploadStorage(config) }));
    logger.info({ seeded }, seeded.created ? 'demo community seeded' : 'demo community already present');
  }
  const { app, directory, sweeper, consultations, notifications, timebank, moderation, disputeSweeper, replicas, stats } = buildApp({ config, dataSource, logger });
  await directory.ensureFresh();
  await replicas.start();
  if (replicas.enabled) logger.info({ replicas: replicas.states }, 'read replicas');
  const jobs = startJobs(
    [
      { name: 'report-sweep', run: () => sweeper.sweep() },
      { name: 'dispute-sweep', run: () => disputeSweeper.sweep() },
      { name: 'consultation-close', run: () => consultations.closeDue() },
      { name: 'moderation-sweep', run: () => moderation.sweep() },
      { name: 'timebank-release', run: () => timebank.releaseEndedTasks() },
      { name: 'wechat-deliveries', run: () => notifications.dispatcher.runOnce() },
      { name: 'report-rollups', run: () => stats.rollups.catchUp() },
    ],
    config.jobIntervalMs,
    logger,
  );
  // Requests still being handled, whether or not their client is still there: on shutdown the
  // database closes after them, so a submission whose client hung up still commits or rolls back whole.
  const handling = new Set<Promise<void>>();
  const handle = app.callback();
  const server = http.createServer((req, res) => {
    const request = handle(req, res);
    handling.add(request);
    void request.finally(() => handling.delete(request));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  logger.info(
    { port: config.port, database: config.databaseUrl ? dataSource.options.type : 'embedded', devLogin: config.devLogin, ms: Math.round(performance.now() - started) },
    `linli listening on http://localhost:${config.port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop taking connections, let requests in flight finish, then close the database.
    const forced = setTimeout(() => process.exit(1), 10_000).unref();
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    await Promise.allSettled([...handling]);
    await jobs.stop();
    await notifications.dispatcher.stop();
    await replicas.stop();
    await dataSource.destroy();
    clearTimeout(forced);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
