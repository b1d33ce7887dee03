import { defineConfig } from 'vitest/config';

// End-to-end tests against a real kube-apiserver + kro controller (see docs/e2e.md).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // The packaging tests have their own run (vitest.pack.config.ts, npm run test:pack).
    exclude: ['node_modules/**', 'test/e2e/pack/**', 'test/e2e/init.test.ts'],
    // Builds the cluster binaries if needed (minutes, the first time) and starts one cluster for the run.
    globalSetup: ['test/e2e/cluster/global-setup.ts'],
    // The differential test's `e2e: ...` summary line comes last (test/e2e/differential).
    reporters: ['default', './test/e2e/differential/summary-reporter.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
    // One control plane on a 2-core machine: keep the load it sees predictable.
    fileParallelism: false,
  },
});
