// How example fixtures are read: instance files as scenarios and update steps, and the objects
// that must exist first.
import { describe, expect, it } from 'vitest';
import { exampleFixtures, instanceScenarios, parityFixtures } from './fixtures.js';

describe('example fixtures', () => {
  it('groups <name>.<n>.yaml into one scenario, steps in numeric order; other files stand alone', () => {
    expect(
      instanceScenarios(['d/a.yaml', 'd/pool.10.yaml', 'd/pool.2.yaml', 'd/pool.1.yml', 'd/b.v2.yaml']),
    ).toEqual([
      { scenario: 'a', files: ['d/a.yaml'] },
      { scenario: 'b.v2', files: ['d/b.v2.yaml'] },
      { scenario: 'pool', files: ['d/pool.1.yml', 'd/pool.2.yaml', 'd/pool.10.yaml'] },
    ]);
  });

  it('runs the steps of worker-pool in one namespace, in order', () => {
    const pool = exampleFixtures().find((f) => f.name === 'examples/worker-pool');
    expect(pool?.steps.map((s) => s.file)).toEqual([
      'examples/worker-pool/instances/pool.1.yaml',
      'examples/worker-pool/instances/pool.2.yaml',
    ]);
    expect(pool?.namespaces).toEqual(['kro-e2e-worker-pool-pool']);
  });

  it("applies team-app's cluster/ objects first, in the namespace they name", () => {
    const app = exampleFixtures().find((f) => f.name === 'examples/team-app');
    expect(app?.supportFiles.map((f) => f.replace(/^.*\/examples\//, 'examples/'))).toEqual([
      'examples/team-app/cluster/platform-defaults.yaml',
    ]);
    expect(app?.namespaces).toEqual(['team-a']);
  });

  it('reads the parity cases as examples, each scenario in a parity namespace', () => {
    const readBack = parityFixtures().find((f) => f.name === 'parity/read-back');
    expect(readBack?.source).toBe('parity');
    expect(readBack?.steps.map((s) => s.file)).toEqual([
      'test/e2e/differential/parity/read-back/instances/defaults.yaml',
      'test/e2e/differential/parity/read-back/instances/fractions.yaml',
    ]);
    expect(readBack?.namespaces).toEqual([
      'kro-e2e-parity-read-back-defaults',
      'kro-e2e-parity-read-back-fractions',
    ]);
    expect(readBack?.steps.some((s) => s.refused)).toBe(false);
  });

  it('marks <name>.refused.yaml as a step both must refuse, each instance saying why', () => {
    const refused = parityFixtures().find((f) => f.name === 'parity/refused');
    expect(refused?.steps.map((s) => s.refused)).toEqual([true]);
    const because = refused?.steps[0]?.instances.map(
      (i) => i.metadata.annotations?.['e2e.kro-gen.dev/refused-because'],
    );
    expect(because?.every((b) => typeof b === 'string' && b.length > 0)).toBe(true);
    expect(because).toHaveLength(3);
  });
});
