import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file builds its own database; the default thread pool is fine on two cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
