/**
 * Differential e2e: what kro-gen emits against what the real kro controller
 * does with the same RGDs and instances (see docs/e2e.md, "Differential
 * tests"). Prints every difference and ends with one summary line:
 *
 *   e2e: N fixtures, CRD equal X/N, children equal Y/M, dry-run accepted Z/K, server-set fields predicted P/Q
 *
 * A fixture fails on any difference, rejected dry run or timeout that
 * test/e2e/differential/known-differences.json does not explain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import { allFixtures } from './fixtures.js';
import { KnownDifferences, loadKnownDifferences } from './known-differences.js';
import { FixtureResult, summaryLine } from './results.js';
import { cleanUpFixtures, type RunContext, runFixture } from './run-fixture.js';
import { reportSummaryLine } from './summary.js';
import { removeInstanceFiles, synthAvailable } from './synth.js';

const fixtures = allFixtures();
const results: FixtureResult[] = [];
let cluster: Cluster;
let ctx: RunContext;

beforeAll(async () => {
  cluster = await startCluster();
  ctx = {
    cluster,
    known: new KnownDifferences(loadKnownDifferences()),
    compared: new Set(),
    synth: await synthAvailable(),
    timeoutMs: 120_000,
  };
});

afterAll(async () => {
  // The summary reporter (summary-reporter.ts) prints it again after vitest's own summary.
  reportSummaryLine(summaryLine(results, fixtures.length));
  // A cluster that outlives the run (`cluster:up`, or one KUBECONFIG names) is left as
  // found; one that a test process owns is about to be thrown away.
  if (cluster && !cluster.managed && (cluster.state?.ownerPid ?? null) === null) {
    const started = Date.now();
    for (const problem of await cleanUpFixtures(cluster.client, fixtures))
      console.log(`clean-up: ${problem}`);
    console.log(`clean-up: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  removeInstanceFiles();
  await stopCluster();
});

describe('kro-gen against the real kro controller', () => {
  it('has fixtures: the examples and the core-kind chainsaw tests with instances', () => {
    expect(fixtures.some((f) => f.source === 'example')).toBe(true);
    expect(fixtures.some((f) => f.source === 'chainsaw')).toBe(true);
  });

  for (const fixture of fixtures) {
    it(fixture.name, { timeout: 900_000 }, async () => {
      let result: FixtureResult;
      try {
        result = await runFixture(ctx, fixture);
      } catch (err) {
        result = new FixtureResult(fixture.name);
        result.failures.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
      }
      results.push(result);
      console.log(result.format());
      if (result.failures.length > 0) console.log(`kro and API server logs:\n${cluster.logTail(40)}`);
      const problems = [
        ...result.failures,
        ...result.unexplained().map((f) => `${f.subject} ${f.object} ${f.difference.path}`),
      ];
      expect(problems, result.format()).toEqual([]);
    });
  }

  it('kro-gen synth exists (the expanded and bundle comparisons need it)', () => {
    expect(ctx.synth).toBe(true);
  });

  it('every allow-listed difference still occurs', () => {
    const stale = ctx.known.unused(ctx.compared);
    expect(
      stale.map((e) => `${e.fixture} [${e.subject}] ${e.object ?? ''} ${e.path}: ${e.summary}`),
      'remove these entries from known-differences.json (and their docs, if nothing else needs them)',
    ).toEqual([]);
  });
});
