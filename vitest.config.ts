import { defineConfig } from 'vitest/config';

// PostgreSQL runs too when TIERDESK_TEST_PG_URL names one (.ci/run sets it): the `postgres` project
// re-runs the app and store suites there, each database in a schema of its own.
const pg = process.env.TIERDESK_TEST_PG_URL;
const told = globalThis as { tierdeskPgSkipTold?: boolean }; // vitest reads this file more than once
if (!pg && !told.tierdeskPgSkipTold) {
  told.tierdeskPgSkipTold = true;
  console.log(
    'PostgreSQL tests skipped: set TIERDESK_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the app and store suites on PostgreSQL too.',
  );
}

export default defineConfig({
  test: {
    // Each file builds its own database; the default thread pool is fine on two cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], env: { TIERDESK_TEST_DIALECT: 'sqlite' } } },
      ...(pg
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/app/**/*.test.ts', 'test/store/**/*.test.ts'],
                env: { TIERDESK_TEST_DIALECT: 'postgres' },
                globalSetup: ['test/support/postgres-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
