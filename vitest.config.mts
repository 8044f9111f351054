import { availableParallelism } from 'node:os';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * TEST_DATABASE_URL may name several MySQL/MariaDB servers or URL forms, space-separated: the database
 * tests then run through each of them in the same run (projects `server@mariadb`, `server@mysql`…), so
 * CI's two URL forms share one pool of workers instead of running one after the other.
 */
// One id per run (its start time, base 36): the migrated schema template of server/test/schema-template.ts is this run's.
process.env.LINLI_TEST_RUN ??= Date.now().toString(36);

const databaseUrls = (process.env.TEST_DATABASE_URL ?? '').split(/\s+/).filter(Boolean);

function serverProject(name: string, databaseUrl?: string): TestProjectInlineConfiguration {
  return {
    test: {
      name,
      include: ['server/src/**/*.test.ts', 'server/test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // On MySQL/MariaDB a worker imports the server once for all its files (each file still starts its
      // own app on its own database): re-importing it per file cost more than the tests themselves.
      ...(databaseUrl ? { isolate: false, env: { TEST_DATABASE_URL: databaseUrl } } : {}),
    },
  };
}

const serverProjects =
  databaseUrls.length <= 1
    ? [serverProject('server', databaseUrls[0])]
    : databaseUrls.map((url) => serverProject(`server@${new URL(url).protocol.replace(':', '')}`, url));

/**
 * One run for every workspace. The database tests use the embedded database unless
 * TEST_DATABASE_URL points at MySQL/MariaDB (CI runs both). The e2e project drives Debian's
 * Chromium against the H5 build served by the real server.
 */
export default defineConfig({
  test: {
    // The database tests mostly wait on the database server: more workers than cores keep both busy.
    maxWorkers: Math.max(4, availableParallelism()),
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'], environment: 'node' } },
      ...serverProjects,
      {
        test: {
          name: 'weapp-smoke',
          include: ['tests/weapp-smoke/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
