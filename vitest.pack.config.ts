import { defineConfig } from 'vitest/config';

// The tests of the packed package (test/e2e/pack.test.ts, init.test.ts): no cluster needed, unlike
// vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['test/e2e/pack.test.ts', 'test/e2e/init.test.ts'],
    testTimeout: 120_000,
  },
});
