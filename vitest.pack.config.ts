import { defineConfig } from 'vitest/config';

// The packaging tests (test/e2e/pack): the packed tarball installed into real projects, offline.
// No cluster needed, unlike vitest.e2e.config.ts. global-setup.ts packs kro-gen once for all files.
export default defineConfig({
  test: {
    include: ['test/e2e/pack/**/*.test.ts'],
    globalSetup: ['test/e2e/pack/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
