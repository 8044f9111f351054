import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the tests that start real engines of their own (tests/cluster): three
 * production instances behind nginx with a MariaDB primary + replica and a local S3 store, and the
 * read-replica test on a second MariaDB pair. Apart from `npm test`: they need Debian's nginx and
 * mariadb-server (skipped with a hint without them) and take about 1.5 and 1 minute on 2 cores.
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    include: ['tests/cluster/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
