import { defineConfig } from 'vitest/config';

// Only the packaging test (test/e2e/pack.test.ts): no cluster needed, unlike vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['test/e2e/pack.test.ts'],
    testTimeout: 120_000,
  },
});
