// npm test's share of the fuzzer: 2,000 mutated inputs with a fixed seed, none an internal error or hang.
import { describe, expect, it } from 'vitest';
import { fuzz, mutate, rng, seeds } from './fuzz.js';

describe('fuzz', () => {
  it('has seeds from the examples and kro`s examples, and mutates deterministically', () => {
    expect(seeds().length).toBeGreaterThan(50);
    const text = 'a: 1\nb:\n  c: 2\n';
    expect(mutate(text, rng(7))).toBe(mutate(text, rng(7)));
  });

  it('2,000 inputs (seed 1): no internal error, hang or crash', async () => {
    const report = await fuzz({ count: 2000, seed: 1 });
    expect(report.failures.map((f) => `${f.seed}: ${f.message.split('\n')[0]}`)).toEqual([]);
    expect(report.counts['internal-error'] + report.counts.hang + report.counts.crash).toBe(0);
    // Both outcomes occur, so the mutations neither break everything nor nothing.
    expect(report.counts.ok).toBeGreaterThan(0);
    expect(report.counts['invalid-input']).toBeGreaterThan(0);
  }, 120_000);
});
