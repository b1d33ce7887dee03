// Core CEL semantics where the library differs from cel-go (kro's evaluator):
// - has() accepts any operand (`has({'a': 1}.a)`) and tests presence through optionals;
// - numbers: int(uint), range errors for int(double)/uint(double), overflow of -(-2^63) and
//   -2^63 / -1, cel-go's int/uint/double ordering (lossy double conversion, NaN cannot be
//   ordered), heterogeneous equality inside lists, maps and `in`;
// - bytes: ordering, and string(bytes) rejects invalid UTF-8;
// - type(null) is `null_type`;
// - timestamps and durations: string()/int() conversions, identity conversions, fixed-offset
//   time zones ("+05:30"), results outside cel-go's ranges are errors, duration arithmetic on
//   exact nanoseconds, and `duration + timestamp` returns a timestamp.
// Timestamps keep nanoseconds and their zone offset (timestamp.ts).
import { type ASTNode, type Environment, EvaluationError, Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { goParseFloat64, goParseInt64 } from '../../schema/gostrconv.js';
import { chargeList, chargeString } from '../budget.js';
import { goQuote } from '../goquote.js';
import type { CelLibrary } from '../library.js';
import { internalsOf, replaceBuiltinFunction, replaceBuiltinOperator } from '../registration.js';
import {
  compareTimestamps,
  epochNanos,
  formatRfc3339Nano,
  inTimestampRange,
  parseRfc3339,
  Timestamp,
  timestampFromNanos,
  unixSeconds,
  zoneOffsetSeconds,
} from '../timestamp.js';
import {
  celEquals,
  compareBytes,
  compareNumbers,
  compareStrings,
  durationNanos,
  mapLookup,
} from '../values.js';
import type { CelType, Checker, Evaluator, MacroInput, Scope } from './comprehensions.js';
import { parseGoDuration } from './go-duration.js';
import { typeValueConstructor } from './optional.js';
import { formatValue } from './strings.js';

function fail(message: string): never {
  throw new EvaluationError(message);
}

const MAX_INT = 9223372036854775807n;
const MAX_UINT = 18446744073709551615n;
const MIN_INT = -9223372036854775808n;

// ---------------------------------------------------------------------------------------------
// has()
// ---------------------------------------------------------------------------------------------

interface HasMacro {
  readonly async: false;
  readonly select: ASTNode;
  typeCheck(checker: Checker, m: HasMacro, scope: Scope): CelType;
  evaluate(ev: Evaluator, m: HasMacro, scope: Scope): unknown;
}

interface FieldReader {
  debugType(v: unknown): { fieldLazy(obj: unknown, key: string, node: ASTNode, ev: unknown): unknown };
}

function hasExpander({ args }: MacroInput): HasMacro {
  const select = args[0] as ASTNode;
  return {
    async: false,
    select,
    typeCheck(checker, m) {
      if (m.select.op !== '.') {
        throw checker.createError('invalid_macro_argument', 'invalid argument to has() macro', m.select);
      }
      return checker.boolType;
    },
    evaluate(ev, m, scope) {
      const [operand, field] = m.select.args as [ASTNode, string];
      let obj = ev.run(operand, scope);
      if (obj instanceof Optional) {
        if (!obj.hasValue()) return false;
        obj = obj.value();
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj instanceof Uint8Array) {
        throw ev.createError('invalid_presence_test', `invalid type for field selection`, m.select);
      }
      // Plain maps; a schema-declared object (the library's Map subclass) answers as a message.
      if (obj.constructor === Object || obj.constructor === undefined || obj.constructor === Map) {
        return mapLookup(obj, field).found;
      }
      return (ev as unknown as FieldReader).debugType(obj).fieldLazy(obj, field, m.select, ev) !== undefined;
    },
  };
}

// The selection is type-checked as a whole, so a field a declared object lacks is a check error.
function hasMacro(input: MacroInput): HasMacro {
  const m = hasExpander(input);
  const typeCheck = m.typeCheck;
  return {
    ...m,
    typeCheck(checker, macro, scope) {
      const t = typeCheck(checker, macro, scope);
      checker.check(macro.select, scope);
      return t;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

function checkedInt(v: bigint): bigint {
  if (v > MAX_INT || v < MIN_INT) fail('integer overflow');
  return v;
}

function intFromDouble(d: number): bigint {
  // cel-go: only values strictly inside (MinInt64, MaxInt64) as doubles convert.
  if (!Number.isFinite(d) || d <= -(2 ** 63) || d >= 2 ** 63) fail('range error converting double to int');
  return BigInt(Math.trunc(d));
}

function uintFromDouble(d: number): UnsignedInt {
  if (!Number.isFinite(d) || d < 0 || d >= 2 ** 64) fail('range error converting double to uint');
  return new UnsignedInt(BigInt(Math.trunc(d)));
}

function ordered(cmp: number): number {
  if (Number.isNaN(cmp)) fail('NaN values cannot be ordered');
  return cmp;
}

const NUMERIC_PAIRS: readonly [string, string][] = [
  ['int', 'double'],
  ['double', 'int'],
  ['uint', 'double'],
  ['double', 'uint'],
  ['int', 'uint'],
  ['uint', 'int'],
  ['double', 'double'],
];

const RELATIONS: Readonly<Record<string, (c: number) => boolean>> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

// ---------------------------------------------------------------------------------------------
// Timestamps and durations
// ---------------------------------------------------------------------------------------------

const NS_PER_S = 1_000_000_000n;

function checkedTimestamp(ns: bigint, offsetSeconds: number): Timestamp {
  if (!inTimestampRange(ns)) fail('timestamp overflow');
  return timestampFromNanos(ns, offsetSeconds);
}

/** A duration from nanoseconds; cel-go durations are int64 nanoseconds. */
export function durationFromNanos(ns: bigint): Duration {
  if (ns > MAX_INT || ns < MIN_INT) fail('integer overflow');
  return new Duration(ns / NS_PER_S, Number(ns % NS_PER_S));
}

// cel-go's subtractTimeChecked: whole seconds (floored) and nanoseconds apart, the seconds scaled
// to nanoseconds with an overflow check before the nanoseconds are added, so a difference that is
// exactly the int64 minimum (or close to a limit) overflows although it is representable.
function timestampDifference(a: Date, b: Date): Duration {
  const split = (ns: bigint): [bigint, bigint] => {
    const nsec = ((ns % NS_PER_S) + NS_PER_S) % NS_PER_S;
    return [(ns - nsec) / NS_PER_S, nsec];
  };
  const [sec1, nsec1] = split(epochNanos(a));
  const [sec2, nsec2] = split(epochNanos(b));
  const tsec = (sec1 - sec2) * NS_PER_S;
  if (tsec > MAX_INT || tsec < MIN_INT) fail('integer overflow');
  return durationFromNanos(tsec + nsec1 - nsec2);
}

// cel-go's addTimeDurationChecked: the zone offset is kept.
export function shiftTimestamp(t: Date, ns: bigint): Timestamp {
  return checkedTimestamp(epochNanos(t) + ns, zoneOffsetSeconds(t));
}

// Go's Duration.Hours/Minutes/Seconds are float64 (whole units plus the rest as a fraction), which
// cel-go truncates to an int.
function durationUnits(ns: bigint, unit: bigint): bigint {
  return BigInt(Math.trunc(Number(ns / unit) + Number(ns % unit) / Number(unit)));
}

interface LocalTime {
  readonly year: number;
  readonly month: number; // 0-11
  readonly day: number; // 1-31
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
  readonly weekday: number; // 0 = Sunday
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function utcFields(d: Date): LocalTime {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
  };
}

const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

/** Go's strconv.Atoi (64-bit), with its error wording. */
function goAtoi(s: string): bigint {
  const bad = (why: string): never => fail(`strconv.Atoi: parsing ${goQuote(s)}: ${why}`);
  const neg = s[0] === '-';
  let i = s[0] === '+' || neg ? 1 : 0;
  if (i >= s.length) bad('invalid syntax');
  let n = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) bad('invalid syntax');
    n = n * 10n + BigInt(c - 48);
    // ParseUint stops at the first digit that overflows 64 bits, before reading further.
    if (n >= TWO_64) bad('value out of range');
  }
  if (neg ? n > TWO_63 : n >= TWO_63) bad('value out of range');
  return neg ? -n : n;
}

/** cel-go's time zone argument: an IANA name, or a `[+|-]HH:MM` offset. */
export function localTime(d: Date, tz?: string): LocalTime {
  // Go's time.LoadLocation("") is UTC.
  if (tz === undefined || tz === '') return utcFields(d);
  const colon = tz.indexOf(':');
  if (colon >= 0) {
    // cel-go: strconv.Atoi of each side, no range check, int64 arithmetic (wrapping) on minutes,
    // then nanoseconds, then whole seconds east of UTC.
    const hours = goAtoi(tz.slice(0, colon));
    const minutes = goAtoi(tz.slice(colon + 1));
    const offset = BigInt.asIntN(64, tz.startsWith('-') ? hours * 60n - minutes : hours * 60n + minutes);
    const seconds = BigInt.asIntN(64, offset * 60_000_000_000n) / 1_000_000_000n;
    return utcFields(new Date(d.getTime() + Number(seconds) * 1000));
  }
  let f = zoneFormatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
        era: 'short',
      });
    } catch {
      fail(`unknown time zone ${tz}`);
    }
    zoneFormatters.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(d)) parts[p.type] = p.value;
  const year = Number(parts['year']);
  return {
    year: parts['era'] === 'BC' ? 1 - year : year,
    month: Number(parts['month']) - 1,
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
    ms: d.getUTCMilliseconds(),
    weekday: WEEKDAYS[parts['weekday'] ?? ''] ?? 0,
  };
}

function dayOfYear(t: LocalTime): number {
  const start = Date.UTC(2000, 0, 1);
  const jan1 = new Date(start);
  jan1.setUTCFullYear(t.year, 0, 1);
  const day = new Date(start);
  day.setUTCFullYear(t.year, t.month, t.day);
  return Math.round((day.getTime() - jan1.getTime()) / 86_400_000);
}

const TIME_GETTERS: Readonly<Record<string, (t: LocalTime) => number>> = {
  getFullYear: (t) => t.year,
  getMonth: (t) => t.month,
  getDate: (t) => t.day,
  getDayOfMonth: (t) => t.day - 1,
  getDayOfWeek: (t) => t.weekday,
  getDayOfYear: dayOfYear,
  getHours: (t) => t.hour,
  getMinutes: (t) => t.minute,
  getSeconds: (t) => t.second,
  getMilliseconds: (t) => t.ms,
};

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

const TS = 'google.protobuf.Timestamp';
const DUR = 'google.protobuf.Duration';

function registerCore(env: Environment): void {
  replaceBuiltinFunction(env, 'has(ast): bool', hasMacro as never);

  // numbers
  env.registerFunction('int(uint): int', (u: UnsignedInt) => {
    if (u.valueOf() > MAX_INT) fail('range error converting uint to int');
    return u.valueOf();
  });
  replaceBuiltinFunction(env, 'int(double): int', intFromDouble);
  // Parsed as Go's strconv does (cel-go): the library takes "" as 0 and "0b1", "0o7" or "0x10"
  // through BigInt/Number.
  replaceBuiltinFunction(env, 'int(string): int', (s: string) => {
    const v = goParseInt64(s);
    return v ?? fail(`type conversion error from 'string' to 'int'`);
  });
  replaceBuiltinFunction(env, 'uint(string): uint', (s: string) => {
    const v = /^[0-9]+$/.test(s) ? BigInt(s) : undefined;
    if (v === undefined || v > MAX_UINT) fail(`type conversion error from 'string' to 'uint'`);
    return new UnsignedInt(v);
  });
  replaceBuiltinFunction(env, 'double(string): double', (s: string) => {
    const v = goParseFloat64(s);
    return v ?? fail(`type conversion error from 'string' to 'double'`);
  });
  replaceBuiltinFunction(env, `timestamp(int): ${TS}`, (i: bigint) => checkedTimestamp(i * NS_PER_S, 0));
  // Go's time.Parse(time.RFC3339, s): nanoseconds, the offset kept, lower-case t/z refused.
  replaceBuiltinFunction(env, `timestamp(string): ${TS}`, (s: string) => {
    const t = parseRfc3339(s);
    if (!t) fail(`type conversion error from 'string' to '${TS}'`);
    return checkedTimestamp(t.ns, t.offsetSeconds);
  });
  replaceBuiltinFunction(env, 'uint(int): uint', (i: bigint) => {
    if (i < 0n) fail('unsigned integer overflow');
    return new UnsignedInt(i);
  });
  replaceBuiltinFunction(env, 'uint(double): uint', uintFromDouble);
  replaceBuiltinOperator(env, '-_int: int', (a: bigint) => checkedInt(-a));
  replaceBuiltinOperator(env, 'int / int: int', (a: bigint, b: bigint) => {
    if (b === 0n) fail('division by zero');
    return checkedInt(a / b);
  });
  // cel-go's wording (the library says "modulo by zero").
  replaceBuiltinOperator(env, 'uint % uint: uint', (a: UnsignedInt, b: UnsignedInt) => {
    if (b.valueOf() === 0n) fail('modulus by zero');
    return new UnsignedInt(a.valueOf() % b.valueOf());
  });
  replaceBuiltinOperator(env, 'int % int: int', (a: bigint, b: bigint) => {
    if (b === 0n) fail('modulus by zero');
    if (a === MIN_INT && b === -1n) fail('integer overflow');
    return a % b;
  });
  for (const [l, r] of NUMERIC_PAIRS) {
    for (const [op, test] of Object.entries(RELATIONS)) {
      replaceBuiltinOperator(env, `${l} ${op} ${r}: bool`, (a: number, b: number) =>
        test(ordered(compareNumbers(a, b))),
      );
    }
  }
  const equal = (a: unknown, b: unknown) => celEquals(a, b);
  replaceBuiltinOperator(env, 'list<V> == list<V>: bool', equal);
  replaceBuiltinOperator(env, 'map<K, V> == map<K, V>: bool', equal);
  replaceBuiltinOperator(env, 'V in list<V>: bool', (v: unknown, list: Iterable<unknown>) => {
    for (const e of list) if (celEquals(v, e)) return true;
    return false;
  });
  replaceBuiltinOperator(env, 'K in map<K, V>: bool', (k: unknown, m: object) => mapLookup(m, k).found);

  // concatenation: sizes go to the evaluation budget before anything is allocated
  replaceBuiltinOperator(env, 'string + string: string', (a: string, b: string) => {
    chargeString(a.length + b.length);
    return a + b;
  });
  replaceBuiltinOperator(env, 'list<V> + list<V>: list<V>', (a: unknown[], b: unknown[]) => {
    chargeList(a.length + b.length);
    return a.concat(b);
  });
  replaceBuiltinOperator(env, 'bytes + bytes: bytes', (a: Uint8Array, b: Uint8Array) => {
    chargeString(a.length + b.length);
    const out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  });

  // bytes
  for (const [op, test] of Object.entries(RELATIONS)) {
    env.registerOperator(`bytes ${op} bytes`, (a: Uint8Array, b: Uint8Array) => test(compareBytes(a, b)));
    // cel-go orders strings by code point (Go compares UTF-8 bytes); JavaScript's `<` compares
    // UTF-16 code units, which puts "😀" before "ｚ".
    replaceBuiltinOperator(env, `string ${op} string: bool`, (a: string, b: string) =>
      test(compareStrings(a, b)),
    );
  }
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  replaceBuiltinFunction(env, 'string(bytes): string', (b: Uint8Array) => {
    try {
      return strictUtf8.decode(b);
    } catch {
      fail('invalid UTF-8 in bytes, cannot convert to string');
    }
  });

  // null_type
  const TypeValue = typeValueConstructor(env);
  const nullType = new TypeValue('null_type');
  replaceBuiltinFunction(env, 'type(null): type', () => nullType);
  const { registry } = internalsOf(env);
  (registry as unknown as { deleteVariable(n: string): void }).deleteVariable('null_type');
  env.registerConstant('null_type', 'type', nullType);

  // timestamps and durations: kro-gen's Timestamp values are the library's timestamp type
  const types = (registry as unknown as { objectTypesByConstructor: Map<unknown, unknown> })
    .objectTypesByConstructor;
  types.set(Timestamp, types.get(Date));
  env.registerFunction(`string(${TS}): string`, (t: Date) => formatRfc3339Nano(t));
  env.registerFunction(`string(${DUR}): string`, (d: Duration) => formatValue(d));
  env.registerFunction(`int(${TS}): int`, unixSeconds);
  env.registerFunction(`int(${DUR}): int`, (d: Duration) => durationNanos(d));
  env.registerFunction(`timestamp(${TS}): ${TS}`, (t: Date) => t);
  env.registerFunction(`duration(${DUR}): ${DUR}`, (d: Duration) => d);
  replaceBuiltinFunction(env, `duration(string): ${DUR}`, (s: string) => {
    const ns = parseGoDuration(s);
    if (ns === undefined) fail(`type conversion error from 'string' to '${DUR}'`);
    return durationFromNanos(ns);
  });
  replaceBuiltinOperator(env, `${TS} + ${DUR}: ${TS}`, (t: Date, d: Duration) =>
    shiftTimestamp(t, durationNanos(d)),
  );
  replaceBuiltinOperator(
    env,
    `${DUR} + ${TS}: ${DUR}`,
    (d: Duration, t: Date) => shiftTimestamp(t, durationNanos(d)),
    TS,
  );
  replaceBuiltinOperator(env, `${TS} - ${DUR}: ${TS}`, (t: Date, d: Duration) => {
    const ns = durationNanos(d);
    if (ns === MIN_INT) fail('integer overflow');
    return shiftTimestamp(t, -ns);
  });
  replaceBuiltinOperator(env, `${TS} - ${TS}: ${DUR}`, timestampDifference);
  replaceBuiltinOperator(env, `${TS} == ${TS}: bool`, (a: Date, b: Date) => compareTimestamps(a, b) === 0);
  for (const [op, test] of Object.entries(RELATIONS)) {
    replaceBuiltinOperator(env, `${TS} ${op} ${TS}: bool`, (a: Date, b: Date) =>
      test(compareTimestamps(a, b)),
    );
  }
  replaceBuiltinOperator(env, `${DUR} + ${DUR}: ${DUR}`, (a: Duration, b: Duration) =>
    durationFromNanos(durationNanos(a) + durationNanos(b)),
  );
  replaceBuiltinOperator(env, `${DUR} - ${DUR}: ${DUR}`, (a: Duration, b: Duration) =>
    durationFromNanos(durationNanos(a) - durationNanos(b)),
  );
  const units: Readonly<Record<string, bigint>> = {
    getHours: 3_600_000_000_000n,
    getMinutes: 60_000_000_000n,
    getSeconds: NS_PER_S,
  };
  for (const [name, unit] of Object.entries(units)) {
    replaceBuiltinFunction(env, `${DUR}.${name}(): int`, (d: Duration) =>
      durationUnits(durationNanos(d), unit),
    );
  }
  // Go's Duration.Milliseconds truncates toward zero.
  replaceBuiltinFunction(
    env,
    `${DUR}.getMilliseconds(): int`,
    (d: Duration) => durationNanos(d) / 1_000_000n,
  );
  for (const [name, get] of Object.entries(TIME_GETTERS)) {
    replaceBuiltinFunction(env, `${TS}.${name}(): int`, (t: Date) => BigInt(get(localTime(t))));
    replaceBuiltinFunction(env, `${TS}.${name}(string): int`, (t: Date, tz: string) =>
      BigInt(get(localTime(t, tz))),
    );
  }
}

export const coreLibrary: CelLibrary = {
  name: 'CEL core semantics aligned with cel-go',
  register: registerCore,
};
