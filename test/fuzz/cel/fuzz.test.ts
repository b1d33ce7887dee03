// The CI run of the differential CEL fuzzing (docs/cel.md): 5,000 cases with a fixed seed,
// evaluated in kro-gen and in kro v0.9.3's own CEL environment (the Go oracle, built on first use
// into test/fuzz/cel/.cache). Every difference must be on the allow-list.
import { describe, expect, it } from 'vitest';
import { ensureOracle, kroOverloads, Oracle } from './oracle.js';
import { loadAllowList, runFuzz } from './run.js';

describe('CEL differential fuzzing against kro', () => {
  it('5,000 fixed-seed cases: kro-gen agrees with kro, or the difference is listed', {
    timeout: 900_000,
  }, async () => {
    const build = await ensureOracle();
    const oracle = new Oracle(build.binary);
    try {
      const report = await runFuzz({
        count: 5000,
        seed: 20261206,
        oracle,
        overloads: kroOverloads(),
        allow: loadAllowList(),
      });
      // The run exercises more than values: errors of each class occur on kro's side too.
      expect(report.outcomes['value'] ?? 0).toBeGreaterThan(2500);
      expect(report.outcomes['compile'] ?? 0).toBeGreaterThan(0);
      expect(report.outcomes['overflow'] ?? 0).toBeGreaterThan(0);
      expect(report.unexplained.map((d) => ({ expr: d.case.expr, kroGen: d.kroGen, kro: d.kro }))).toEqual(
        [],
      );
    } finally {
      await oracle.close();
    }
  });
});
