import { describe, expect, it } from 'vitest';
import { kroRandomLibrary, seededInt, seededString } from '../../../src/cel/lib/kro-random.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const RANDOM_CASES: readonly Case[] = [
  { expr: 'random.seededString(8, "my-app")', type: 'string', value: '8qejs8ek' },
  { expr: "random.seededString(10, 'test-seed')", type: 'string', value: '5czheg3o5c' },
  { expr: "random.seededString(20, 'test-seed')", type: 'string', value: '5czheg3o5czheg3o5czh' },
  {
    expr: "random.seededString(40, 'test-seed')",
    type: 'string',
    value: '5czheg3o5czheg3o5czheg3o5czheg3o5czheg3o',
  },
  { expr: "random.seededString(1, '')", type: 'string', value: 'e' },
  { expr: "random.seededString(16, 'é')", type: 'string', value: 'ifhmb46oifhmb46o' },
  { expr: "random.seededString(-1, 'test-seed')", error: 'random.seededString length must be positive' },
  { expr: "random.seededString(0, 'test-seed')", error: 'random.seededString length must be positive' },
  { expr: "random.seededString('10', 'test-seed')", compileError: true },
  { expr: 'random.seededString(10, 123)', compileError: true },
  { expr: 'random.seededString(10)', compileError: true },
  { expr: "random.seededInt(0, 100, 'test-seed')", type: 'int', value: '56' },
  { expr: "random.seededInt(30000, 32768, 'my-service')", type: 'int', value: '31247' },
  { expr: "random.seededInt(5, 6, 'seed')", type: 'int', value: '5' },
  { expr: "random.seededInt(-100, -50, 'seed')", type: 'int', value: '-58' },
  { expr: "random.seededInt(5, 5, 'seed')", error: 'random.seededInt min must be less than max' },
  { expr: "random.seededInt(10, 5, 'seed')", error: 'random.seededInt min must be less than max' },
  { expr: "random.seededInt(0, 1000000, 'seed-a')", type: 'int', value: '616453' },
  { expr: "random.seededInt(0, 1000000, 'seed-b')", type: 'int', value: '11447' },
  {
    expr: "random.seededInt(-9223372036854775808, 9223372036854775807, 'x')",
    type: 'int',
    value: '-5948949156983295932',
  },
  {
    expr: "random.seededInt(-9223372036854775808, 9223372036854775807, 'seed')",
    type: 'int',
    value: '-7371732509874106166',
  },
  { expr: "random.seededInt(-9223372036854775808, 0, 'seed')", type: 'int', value: '-7371732509874106166' },
  { expr: "random.seededInt('a', 10, 'seed')", compileError: true },
];

describe('kro random library', () => {
  const env = envWith(kroRandomLibrary);
  runTable(env, RANDOM_CASES);

  // Hand-traced with Node's crypto: sha256("my-app"), 4 bytes per character, uint32 % 36.
  it.each([
    [8n, 'my-app', '8qejs8ek'],
    [10n, 'test-seed', '5czheg3o5c'],
    [1n, '', 'e'],
    [16n, 'é', 'ifhmb46oifhmb46o'],
  ] as const)('seededString(%s, %j) is %j', (n, seed, want) => {
    expect(seededString(n, seed)).toBe(want);
  });

  it('repeats with period 8, as kro (its rehash branch never runs)', () => {
    const s = seededString(24n, 'x');
    expect(s.slice(0, 8)).toBe(s.slice(8, 16));
    expect(s.slice(0, 8)).toBe(s.slice(16, 24));
  });

  it('wraps the range like Go int64 arithmetic', () => {
    expect(seededInt(-(1n << 63n), (1n << 63n) - 1n, 'seed')).toBe(-7371732509874106166n);
    expect(seededInt(5n, 6n, 'anything')).toBe(5n);
  });
});
