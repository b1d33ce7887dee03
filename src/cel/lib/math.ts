// cel-go's math extension (ext.Math). kro does NOT enable it, so it is not part of the kro
// environment (lib/index.ts); it is available for callers that want it and for the cel-spec
// conformance run. `math.greatest` / `math.least` take 1 to 32 arguments or one list (cel-go
// expands them with a macro; here they are overloads per arity).
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';
import { celKind, compareNumbers } from '../values.js';

const MIN_INT = -9223372036854775808n;
const MAX_ARGS = 32;
const NUMERIC = ['int', 'uint', 'double'] as const;

function fail(message: string): never {
  throw new EvaluationError(message);
}

type Num = bigint | number | UnsignedInt;

function isNumber(v: unknown): v is Num {
  const k = celKind(v);
  return k === 'int' || k === 'uint' || k === 'double';
}

function pick(values: readonly unknown[], fn: string, better: (cmp: number) => boolean): Num {
  if (values.length === 0) fail(`math.${fn}(list) argument must not be empty`);
  const first = values[0];
  if (!isNumber(first)) fail(`no such overload: math.${fn}`);
  let best: Num = first;
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (!isNumber(v)) fail(`no such overload: math.${fn}`);
    const cmp = compareNumbers(v, best);
    if (Number.isNaN(cmp)) fail(`NaN values cannot be ordered: math.${fn}`);
    if (better(cmp)) best = v;
  }
  return best;
}

export const greatest = (...values: unknown[]): Num => pick(values, 'greatest', (c) => c > 0);
export const least = (...values: unknown[]): Num => pick(values, 'least', (c) => c < 0);

// Go's math.Round: halves away from zero.
export function round(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

function asInt(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

function shiftCount(n: bigint, fn: string): number {
  if (n < 0n) fail(`math.${fn}() negative offset: ${n}`);
  return n > 64n ? 64 : Number(n);
}

function registerMath(env: Environment): void {
  const fn = (sig: string, handler: (...args: never[]) => unknown) =>
    registerNamespacedFunction(env, 'math', sig, handler);
  for (const [name, impl] of [
    ['greatest', greatest],
    ['least', least],
  ] as const) {
    // list<dyn> first: a mixed list literal is list<dyn>, which the typed overloads also accept.
    fn(`${name}(list<dyn>): dyn`, (l: unknown[]) => impl(...l));
    for (const t of NUMERIC) {
      fn(`${name}(${t}): ${t}`, impl);
      fn(`${name}(list<${t}>): ${t}`, (l: unknown[]) => impl(...l));
    }
    for (const a of NUMERIC) for (const b of NUMERIC) fn(`${name}(${a}, ${b}): ${a === b ? a : 'dyn'}`, impl);
    for (let n = 3; n <= MAX_ARGS; n++) fn(`${name}(${Array(n).fill('dyn').join(', ')}): dyn`, impl);
  }
  fn('ceil(double): double', Math.ceil);
  fn('floor(double): double', Math.floor);
  fn('round(double): double', round);
  fn('trunc(double): double', Math.trunc);
  fn('isInf(double): bool', (x: number) => x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY);
  fn('isNaN(double): bool', Number.isNaN);
  fn('isFinite(double): bool', Number.isFinite);
  fn('abs(double): double', Math.abs);
  fn('abs(int): int', (v: bigint) => {
    if (v === MIN_INT) fail('integer overflow');
    return v < 0n ? -v : v;
  });
  fn('abs(uint): uint', (v: UnsignedInt) => v);
  fn('sign(double): double', (x: number) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0));
  fn('sign(int): int', (v: bigint) => (v > 0n ? 1n : v < 0n ? -1n : 0n));
  fn('sign(uint): uint', (v: UnsignedInt) => new UnsignedInt(v.valueOf() === 0n ? 0n : 1n));
  fn('sqrt(double): double', Math.sqrt);
  fn('sqrt(int): double', (v: bigint) => Math.sqrt(Number(v)));
  fn('sqrt(uint): double', (v: UnsignedInt) => Math.sqrt(Number(v.valueOf())));
  const u = (v: bigint) => new UnsignedInt(BigInt.asUintN(64, v));
  fn('bitAnd(int, int): int', (a: bigint, b: bigint) => a & b);
  fn('bitAnd(uint, uint): uint', (a: UnsignedInt, b: UnsignedInt) => u(a.valueOf() & b.valueOf()));
  fn('bitOr(int, int): int', (a: bigint, b: bigint) => a | b);
  fn('bitOr(uint, uint): uint', (a: UnsignedInt, b: UnsignedInt) => u(a.valueOf() | b.valueOf()));
  fn('bitXor(int, int): int', (a: bigint, b: bigint) => a ^ b);
  fn('bitXor(uint, uint): uint', (a: UnsignedInt, b: UnsignedInt) => u(a.valueOf() ^ b.valueOf()));
  fn('bitNot(int): int', (a: bigint) => ~a);
  fn('bitNot(uint): uint', (a: UnsignedInt) => u(~a.valueOf()));
  fn('bitShiftLeft(int, int): int', (a: bigint, n: bigint) => {
    const k = shiftCount(n, 'bitShiftLeft');
    return k >= 64 ? 0n : asInt(a << BigInt(k));
  });
  fn('bitShiftLeft(uint, int): uint', (a: UnsignedInt, n: bigint) => {
    const k = shiftCount(n, 'bitShiftLeft');
    return u(k >= 64 ? 0n : a.valueOf() << BigInt(k));
  });
  fn('bitShiftRight(int, int): int', (a: bigint, n: bigint) => {
    // cel-go shifts the bits as unsigned (a logical shift).
    const k = shiftCount(n, 'bitShiftRight');
    return k >= 64 ? 0n : asInt(BigInt.asUintN(64, a) >> BigInt(k));
  });
  fn('bitShiftRight(uint, int): uint', (a: UnsignedInt, n: bigint) => {
    const k = shiftCount(n, 'bitShiftRight');
    return u(k >= 64 ? 0n : a.valueOf() >> BigInt(k));
  });
}

/** Not part of kro's environment: register explicitly where the math extension is wanted. */
export const mathLibrary: CelLibrary = {
  name: 'cel-go ext.Math (not enabled by kro)',
  register: registerMath,
};
