// How example fixtures are read: instance files as scenarios and update steps, and the objects
// that must exist first.
import { describe, expect, it } from 'vitest';
import { exampleFixtures, instanceScenarios } from './fixtures.js';

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
});
