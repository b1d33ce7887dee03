// Environments with and without kro's CELOmitFunction gate come from two separate CEL bases that
// each replace some of the library's built-ins. Building one base must not disturb the other, in
// whichever order a process asks for them. Each case imports a fresh copy of kro-gen's CEL modules
// (the library itself, with its shared built-in declarations, stays loaded once), so the order
// is the first one the modules ever see.
import { describe, expect, it, vi } from 'vitest';

type EnvModule = typeof import('../../../src/cel/environment.js');

async function freshEnvironmentModule(): Promise<EnvModule> {
  vi.resetModules();
  return (await import('../../../src/cel/environment.js')) as EnvModule;
}

function outcome(run: () => unknown): string {
  try {
    return `ok ${String(run())}`;
  } catch (e) {
    return `error ${(e as Error).message.split('\n')[0]}`;
  }
}

// Results that show kro-gen's replacements (not the library's built-ins) are in effect.
const EXPECTED: readonly (readonly [string, string])[] = [
  // comprehension macros (the library's threw on an empty literal)
  ['[].all(e, e > 0)', 'ok true'],
  ['[1, 2].exists(e, e > 1)', 'ok true'],
  ['[1, 2, 3].map(e, e * 2)', 'ok 2,4,6'],
  // operators (the library's negation does not overflow)
  ['-(-9223372036854775807 - 1)', 'error integer overflow'],
  // functions
  ['int(1e19)', 'error range error converting double to int'],
];

function behaviour(env: ReturnType<EnvModule['createKroEnvironment']>): string[] {
  return EXPECTED.map(([source]) => outcome(() => env.evaluate(source)));
}

describe('plain and omit() environments in one process', () => {
  it.each([
    ['omit first', [true, false]],
    ['plain first', [false, true]],
  ] as const)('%s', async (_, order) => {
    const { createKroEnvironment } = await freshEnvironmentModule();
    const want = EXPECTED.map(([, result]) => result);
    for (const omit of order) {
      const env = createKroEnvironment({ omit });
      expect(behaviour(env)).toEqual(want);
      const size = outcome(() => env.evaluate('[1, omit()].size()'));
      if (omit) expect(size).toBe('ok 2');
      else expect(size).toBe("error found no matching overload for 'omit()'");
    }
    // Each kind again, after both bases exist, and through a clone that registers a function of
    // its own (which rebuilds the clone's overload index from the library's declarations).
    for (const omit of order) {
      const env = createKroEnvironment({ omit });
      expect(behaviour(env)).toEqual(want);
      env.registerFunction('kroTestTwice(int): int', (n: bigint) => n * 2n);
      expect(env.evaluate('kroTestTwice(21)')).toBe(42n);
      expect(behaviour(env)).toEqual(want);
    }
  });
});
