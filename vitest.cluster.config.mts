import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: three production instances behind nginx, a MariaDB primary and replica and a
 * local S3 store, all started by the test (tests/cluster). Apart from `npm test`: it needs Debian's
 * nginx and mariadb-server, takes a minute or two, and CI runs it on its own.
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
