// Kubernetes' CEL list library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, sum, min,
// max, indexOf, lastIndexOf.
//
// cel-go picks among the typed overloads at run time by the type of the list's first element,
// then applies that overload's operation to every element; a mismatch later in the list is a
// plain "no such overload". The handlers below do the same, so `dyn([1, 2.0]).sum()` fails and
// `dyn([1, 'a']).max()` is 1, as in Kubernetes.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import {
  celEquals,
  celKind,
  compareNumbers,
  compareSameKind,
  Duration,
  durationNanos,
  UnsignedInt,
} from '../values.js';
import { durationFromNanos, shiftTimestamp } from './core.js';

type Summable = 'int' | 'uint' | 'double' | 'duration';
type Comparable = Summable | 'bool' | 'timestamp' | 'string' | 'bytes';

// The CEL type names, in the order Kubernetes declares the overloads.
const SUMMABLE: readonly Summable[] = ['int', 'uint', 'double', 'duration'];
const COMPARABLE: readonly Comparable[] = [
  'int',
  'uint',
  'double',
  'bool',
  'duration',
  'timestamp',
  'string',
  'bytes',
];

const TYPE_NAME: Readonly<Record<Comparable, string>> = {
  int: 'int',
  uint: 'uint',
  double: 'double',
  bool: 'bool',
  duration: 'google.protobuf.Duration',
  timestamp: 'google.protobuf.Timestamp',
  string: 'string',
  bytes: 'bytes',
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

function fail(message: string): never {
  throw new EvaluationError(message);
}

function elements(list: unknown): unknown[] {
  return Array.isArray(list) ? list : [...(list as Iterable<unknown>)];
}

/** cel-go's `Compare` between two values: -1/0/1, or undefined where cel-go yields an error. */
export function compareValues(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const ka = celKind(a);
  const kb = celKind(b);
  const numeric = (k: string) => k === 'int' || k === 'uint' || k === 'double';
  let c: number | undefined;
  if (numeric(ka) && numeric(kb)) {
    c = compareNumbers(numberOf(a), numberOf(b));
  } else {
    c = compareSameKind(a, b);
  }
  if (c === undefined || Number.isNaN(c)) return undefined;
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

function numberOf(v: unknown): number | bigint {
  return v instanceof UnsignedInt ? v.valueOf() : (v as number | bigint);
}

function isComparable(v: unknown): boolean {
  return (COMPARABLE as readonly string[]).includes(celKind(v));
}

// The overload cel-go would dispatch to for this list: the declared one for an empty list,
// otherwise the first whose element type matches the list's first element.
function dispatch<T extends string>(name: string, list: unknown[], declared: T, candidates: readonly T[]): T {
  if (list.length === 0) return declared;
  const kind = celKind(list[0]) as string;
  const hit = candidates.find((c) => c === kind);
  return hit ?? fail(`no such overload: ${name}(list)`);
}

export function isSorted(list: unknown, declared: Comparable = 'int'): boolean {
  const items = elements(list);
  dispatch('isSorted', items, declared, COMPARABLE);
  let prev: unknown;
  let havePrev = false;
  for (const next of items) {
    if (!isComparable(next)) fail('no such overload');
    if (havePrev && compareValues(prev, next) === 1) return false;
    prev = next;
    havePrev = true;
  }
  return true;
}

// Go's traits.Adder: the values with an Add method, which sum() requires of every element.
const ADDERS = new Set(['int', 'uint', 'double', 'string', 'bytes', 'list', 'duration', 'timestamp']);

// The accumulator's own Add, as Kubernetes' sum() calls it (acc.Add(next)) whatever overload was
// picked: a duration plus a timestamp is a timestamp, a timestamp plus a duration one too, so
// `[dyn(duration(d)), timestamp(t)].sum()` is a timestamp in kro; any other mix finds no overload.
function addValues(acc: unknown, next: unknown): unknown {
  const ka = celKind(acc);
  const kn = celKind(next);
  if (!ADDERS.has(kn)) fail('no such overload');
  if (ka === 'duration' && kn === 'timestamp')
    return shiftTimestamp(next as Date, durationNanos(acc as Duration));
  if (ka === 'timestamp' && kn === 'duration')
    return shiftTimestamp(acc as Date, durationNanos(next as Duration));
  if (ka !== kn) fail('no such overload');
  switch (ka) {
    case 'int': {
      const s = (acc as bigint) + (next as bigint);
      if (s < INT64_MIN || s > INT64_MAX) fail('integer overflow');
      return s;
    }
    case 'uint': {
      const s = (acc as UnsignedInt).valueOf() + (next as UnsignedInt).valueOf();
      if (s > UINT64_MAX) fail('unsigned integer overflow');
      return new UnsignedInt(s);
    }
    case 'double':
      return (acc as number) + (next as number);
    case 'duration':
      // Durations are int64 nanoseconds in Go; cel-go's checked addition fails past them.
      return durationFromNanos(durationNanos(acc as Duration) + durationNanos(next as Duration));
    default:
      return fail('no such overload');
  }
}

function zeroOf(kind: Summable): unknown {
  switch (kind) {
    case 'int':
      return 0n;
    case 'uint':
      return new UnsignedInt(0n);
    case 'double':
      return 0;
    case 'duration':
      return new Duration(0n, 0);
  }
}

export function sum(list: unknown, declared: Summable = 'int'): unknown {
  const items = elements(list);
  const kind = dispatch('sum', items, declared, SUMMABLE);
  let acc = zeroOf(kind);
  for (const next of items) acc = addValues(acc, next);
  return acc;
}

function extreme(name: 'min' | 'max', list: unknown, declared: Comparable): unknown {
  const items = elements(list);
  dispatch(name, items, declared, COMPARABLE);
  const replaceWhen = name === 'min' ? 1 : -1;
  let result: unknown;
  let have = false;
  for (const next of items) {
    if (!isComparable(next)) fail('no such overload');
    if (!have) {
      result = next;
      have = true;
    } else if (compareValues(result, next) === replaceWhen) {
      result = next;
    }
  }
  if (!have) fail(`${name} called on empty list`);
  return result;
}

export function min(list: unknown, declared: Comparable = 'int'): unknown {
  return extreme('min', list, declared);
}

export function max(list: unknown, declared: Comparable = 'int'): unknown {
  return extreme('max', list, declared);
}

export function indexOf(list: unknown, item: unknown): bigint {
  const items = elements(list);
  for (let i = 0; i < items.length; i++) if (celEquals(items[i], item)) return BigInt(i);
  return -1n;
}

export function lastIndexOf(list: unknown, item: unknown): bigint {
  const items = elements(list);
  for (let i = items.length - 1; i >= 0; i--) if (celEquals(items[i], item)) return BigInt(i);
  return -1n;
}

export const kubernetesListsLibrary: CelLibrary = {
  name: 'kubernetes.lists',
  register(env: Environment): void {
    for (const t of COMPARABLE) {
      const name = TYPE_NAME[t];
      env.registerFunction(`list<${name}>.isSorted(): bool`, (l: unknown) => isSorted(l, t));
      env.registerFunction(`list<${name}>.min(): ${name}`, (l: unknown) => min(l, t));
      env.registerFunction(`list<${name}>.max(): ${name}`, (l: unknown) => max(l, t));
    }
    for (const t of SUMMABLE) {
      const name = TYPE_NAME[t];
      env.registerFunction(`list<${name}>.sum(): ${name}`, (l: unknown) => sum(l, t));
    }
    env.registerFunction('list<A>.indexOf(A): int', indexOf);
    env.registerFunction('list<A>.lastIndexOf(A): int', lastIndexOf);
  },
};
