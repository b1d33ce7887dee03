// cel-spec conformance for kro-gen's CEL environment, over the official conformance tests shipped
// in @bufbuild/cel-spec. Only the "no-protobuf" subset runs: tests whose expression, bindings,
// declarations and expected value need no protobuf message or enum (values of well-known types
// such as google.protobuf.Int32Value or Struct count as plain CEL values). Scoring:
// - a test that expects an evaluation error passes on any error other than a parse error;
// - a test with a typed result also needs the checker to deduce that type;
// - values compare strictly by CEL type (int, uint and double are distinct), maps ignore order.
// Per-file pass counts may not drop below test/conformance/cel-spec-baseline.json.
// CEL_SPEC_VERBOSE=1 prints every failing test.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Type } from '@bufbuild/cel-spec/cel/expr/checked_pb.js';
import type { SimpleTest } from '@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js';
import type { Value } from '@bufbuild/cel-spec/cel/expr/value_pb.js';
import {
  getConformanceSuite,
  type IncrementalTest,
  type IncrementalTestSuite,
} from '@bufbuild/cel-spec/testdata/tests.js';
import { createRegistry, type Message } from '@bufbuild/protobuf';
import {
  type Any,
  anyUnpack,
  BoolValueSchema,
  BytesValueSchema,
  DoubleValueSchema,
  DurationSchema,
  FloatValueSchema,
  Int32ValueSchema,
  Int64ValueSchema,
  ListValueSchema,
  StringValueSchema,
  StructSchema,
  TimestampSchema,
  UInt32ValueSchema,
  UInt64ValueSchema,
  ValueSchema,
} from '@bufbuild/protobuf/wkt';
import { Optional, ParseError } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { describe, expect, it } from 'vitest';
import { createKroEnvironment, type KroEnvironment } from '../../src/cel/environment.js';
import { mathLibrary } from '../../src/cel/lib/math.js';
import type { CelLibrary } from '../../src/cel/library.js';

const here = dirname(fileURLToPath(import.meta.url));
const baseline = JSON.parse(readFileSync(join(here, 'cel-spec-baseline.json'), 'utf8')) as {
  files: Record<string, number>;
};
const verbose = process.env['CEL_SPEC_VERBOSE'] === '1';

// ---------------------------------------------------------------------------------------------
// Which tests need protobuf
// ---------------------------------------------------------------------------------------------

const WELL_KNOWN_URL =
  /^type\.googleapis\.com\/google\.protobuf\.(Int32Value|Int64Value|UInt32Value|UInt64Value|FloatValue|DoubleValue|BoolValue|StringValue|BytesValue|Struct|Value|ListValue|Timestamp|Duration)$/;

const WELL_KNOWN_NAME =
  /^google\.protobuf\.(Int32Value|Int64Value|UInt32Value|UInt64Value|FloatValue|DoubleValue|BoolValue|StringValue|BytesValue|Struct|Value|ListValue|Timestamp|Duration)$/;

function valueNeedsProto(v: Value | undefined): boolean {
  const k = v?.kind;
  switch (k?.case) {
    case 'enumValue':
      return true;
    case 'objectValue':
      return !WELL_KNOWN_URL.test(k.value.typeUrl);
    case 'listValue':
      return k.value.values.some(valueNeedsProto);
    case 'mapValue':
      return k.value.entries.some((e) => valueNeedsProto(e.key) || valueNeedsProto(e.value));
    case 'typeValue':
      return /TestAllTypes|google\.protobuf\.(?!Timestamp$|Duration$)|proto[23]/.test(k.value);
    default:
      return false;
  }
}

function typeNeedsProto(t: Type | undefined): boolean {
  const k = t?.typeKind;
  switch (k?.case) {
    case 'messageType':
      return !WELL_KNOWN_NAME.test(k.value);
    case 'wrapper':
      return false;
    case 'wellKnown':
      return k.value === 1; // ANY
    case 'listType':
      return typeNeedsProto(k.value.elemType);
    case 'mapType':
      return typeNeedsProto(k.value.keyType) || typeNeedsProto(k.value.valueType);
    case 'type':
      return typeNeedsProto(k.value);
    case 'abstractType':
      return k.value.parameterTypes.some(typeNeedsProto);
    default:
      return false;
  }
}

const PROTO_NAMES =
  /TestAllTypes|google\.protobuf\.(?!Timestamp\b|Duration\b)|\bproto[23]\b|GlobalEnum|NestedEnum|\bAny\b|\bValue\{|Struct|ListValue/;
// A message literal `Name{...}` (a map literal after `in` is not one).
const MESSAGE_LITERAL = /(^|[^\w.])(?!in\b)[A-Za-z_][\w.]*\s*\{/;

function needsProto(t: SimpleTest): boolean {
  if (PROTO_NAMES.test(t.expr)) return true;
  if (MESSAGE_LITERAL.test(t.expr.replace(/"[^"]*"|'[^']*'/g, "''"))) return true;
  for (const b of Object.values(t.bindings)) {
    if (b.kind.case === 'value' && valueNeedsProto(b.kind.value)) return true;
  }
  for (const d of t.typeEnv) {
    if (d.declKind.case === 'ident' && typeNeedsProto(d.declKind.value.type)) return true;
    if (d.declKind.case === 'function') {
      for (const o of d.declKind.value.overloads) {
        if ([...o.params, o.resultType].some(typeNeedsProto)) return true;
      }
    }
  }
  const rm = t.resultMatcher;
  if (rm.case === 'value' && valueNeedsProto(rm.value)) return true;
  if (rm.case === 'typedResult') {
    return valueNeedsProto(rm.value.result) || typeNeedsProto(rm.value.deducedType);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// cel.expr.Value <-> native values
// ---------------------------------------------------------------------------------------------

class Unsupported extends Error {}

/** An expected `type` value, compared by name with the library's type objects. */
class ExpectedType {
  constructor(readonly name: string) {}
  toString(): string {
    return `Type<${this.name}>`;
  }
}

const wktRegistry = createRegistry(
  BoolValueSchema,
  BytesValueSchema,
  DoubleValueSchema,
  DurationSchema,
  FloatValueSchema,
  Int32ValueSchema,
  Int64ValueSchema,
  ListValueSchema,
  StringValueSchema,
  StructSchema,
  TimestampSchema,
  UInt32ValueSchema,
  UInt64ValueSchema,
  ValueSchema,
);

function jsonToCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonToCel);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonToCel(x)]));
  }
  return v;
}

function protoValueToJson(m: Message): unknown {
  const msg = m as unknown as Record<string, unknown> & { $typeName: string };
  switch (msg.$typeName) {
    case 'google.protobuf.Value': {
      const kind = msg['kind'] as { case?: string; value?: unknown };
      switch (kind.case) {
        case 'nullValue':
          return null;
        case 'structValue':
        case 'listValue':
          return protoValueToJson(kind.value as Message);
        default:
          return kind.value;
      }
    }
    case 'google.protobuf.Struct':
      return Object.fromEntries(
        Object.entries(msg['fields'] as Record<string, Message>).map(([k, x]) => [k, protoValueToJson(x)]),
      );
    case 'google.protobuf.ListValue':
      return (msg['values'] as Message[]).map(protoValueToJson);
    default:
      throw new Unsupported(`unsupported message ${msg.$typeName}`);
  }
}

function unpackWellKnown(any: Any): unknown {
  const m = anyUnpack(any, wktRegistry);
  if (!m) throw new Unsupported(`cannot unpack ${any.typeUrl}`);
  const msg = m as unknown as Record<string, unknown> & { $typeName: string };
  switch (msg.$typeName) {
    case 'google.protobuf.Int32Value':
    case 'google.protobuf.Int64Value':
      return BigInt(msg['value'] as number | bigint);
    case 'google.protobuf.UInt32Value':
    case 'google.protobuf.UInt64Value':
      return new UnsignedInt(BigInt(msg['value'] as number | bigint));
    case 'google.protobuf.FloatValue':
    case 'google.protobuf.DoubleValue':
    case 'google.protobuf.BoolValue':
    case 'google.protobuf.StringValue':
    case 'google.protobuf.BytesValue':
      return msg['value'];
    case 'google.protobuf.Timestamp':
      return new Date(Number(msg['seconds'] as bigint) * 1000 + Math.floor((msg['nanos'] as number) / 1e6));
    case 'google.protobuf.Duration':
      return new Duration(msg['seconds'] as bigint, msg['nanos'] as number);
    default:
      return jsonToCel(protoValueToJson(m));
  }
}

function toNative(v: Value): unknown {
  const k = v.kind;
  switch (k.case) {
    case 'nullValue':
      return null;
    case 'boolValue':
    case 'stringValue':
    case 'doubleValue':
      return k.value;
    case 'int64Value':
      return k.value;
    case 'uint64Value':
      return new UnsignedInt(k.value);
    case 'bytesValue':
      return k.value;
    case 'listValue':
      return k.value.values.map(toNative);
    case 'mapValue': {
      const entries = k.value.entries.map(
        (e) => [toNative(e.key as Value), toNative(e.value as Value)] as const,
      );
      if (entries.every(([key]) => typeof key === 'string')) return Object.fromEntries(entries);
      return new Map(entries);
    }
    case 'objectValue':
      return unpackWellKnown(k.value);
    case 'typeValue':
      return new ExpectedType(k.value);
    default:
      throw new Unsupported(`unsupported value kind ${String(k.case)}`);
  }
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'bigint') return 'int';
  if (typeof x === 'number') return 'double';
  if (typeof x === 'string') return 'string';
  if (typeof x === 'boolean') return 'bool';
  if (x instanceof UnsignedInt) return 'uint';
  if (x instanceof Uint8Array) return 'bytes';
  if (Array.isArray(x)) return 'list';
  if (x instanceof Date) return 'timestamp';
  if (x instanceof Duration) return 'duration';
  if (x instanceof Optional) return 'optional';
  if (
    x instanceof Map ||
    (typeof x === 'object' && (x.constructor === Object || x.constructor === undefined))
  ) {
    return 'map';
  }
  if (x && typeof x === 'object' && 'name' in x && String(x).startsWith('Type<')) return 'type';
  return 'other';
}

function mapEntries(x: unknown): [unknown, unknown][] {
  if (x instanceof Map) return [...x.entries()];
  return Object.entries(x as object);
}

function celEqual(actual: unknown, expected: unknown): boolean {
  const ka = kindOf(actual);
  const ke = kindOf(expected);
  if (ka !== ke) return false;
  switch (ka) {
    case 'double':
      return Number.isNaN(actual) ? Number.isNaN(expected) : actual === expected;
    case 'uint':
      return (actual as UnsignedInt).valueOf() === (expected as UnsignedInt).valueOf();
    case 'bytes': {
      const a = actual as Uint8Array;
      const b = expected as Uint8Array;
      return a.length === b.length && a.every((x, i) => x === b[i]);
    }
    case 'list': {
      const a = actual as unknown[];
      const b = expected as unknown[];
      return a.length === b.length && a.every((x, i) => celEqual(x, b[i]));
    }
    case 'map': {
      const a = mapEntries(actual);
      const b = mapEntries(expected);
      if (a.length !== b.length) return false;
      return b.every(([key, value]) => a.some(([k2, v2]) => celEqual(k2, key) && celEqual(v2, value)));
    }
    case 'timestamp':
      return (actual as Date).getTime() === (expected as Date).getTime();
    case 'duration':
      return String(actual) === String(expected);
    case 'type':
      return String(actual) === String(expected);
    default:
      return actual === expected;
  }
}

function describeValue(x: unknown): string {
  return JSON.stringify(x, (_k, v) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof UnsignedInt) return `${v}u`;
    if (v instanceof Uint8Array) return `b[${[...v].join(',')}]`;
    if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), x]));
    if (v instanceof Optional) return v.hasValue() ? { optional: v.value() } : 'optional.none()';
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

const PRIMITIVE_NAMES = ['', 'bool', 'int', 'uint', 'double', 'string', 'bytes'];

/** cel-go's spelling of a type (`list(int)`, `map(string, dyn)`, `optional_type(int)`). */
function celGoTypeName(t: Type | undefined): string {
  const k = t?.typeKind;
  switch (k?.case) {
    case 'dyn':
      return 'dyn';
    case 'null':
      return 'null_type';
    case 'primitive':
      return PRIMITIVE_NAMES[k.value] ?? '?';
    case 'wellKnown':
      return ['any', 'any', 'google.protobuf.Timestamp', 'google.protobuf.Duration'][k.value] ?? '?';
    case 'listType':
      return `list(${celGoTypeName(k.value.elemType)})`;
    case 'mapType':
      return `map(${celGoTypeName(k.value.keyType)}, ${celGoTypeName(k.value.valueType)})`;
    case 'messageType':
      return k.value;
    case 'typeParam':
      return k.value;
    case 'type':
      return `type(${celGoTypeName(k.value)})`;
    case 'abstractType':
      return `${k.value.name}(${k.value.parameterTypes.map(celGoTypeName).join(', ')})`;
    default:
      return '?';
  }
}

/** The library's spelling of a declared type, or undefined when it has none. */
function libraryTypeName(t: Type | undefined): string | undefined {
  const k = t?.typeKind;
  switch (k?.case) {
    case 'dyn':
      return 'dyn';
    case 'null':
      return 'null';
    case 'primitive':
      return PRIMITIVE_NAMES[k.value] || undefined;
    case 'wellKnown':
      return k.value === 2
        ? 'google.protobuf.Timestamp'
        : k.value === 3
          ? 'google.protobuf.Duration'
          : undefined;
    case 'wrapper':
      return 'dyn';
    case 'messageType':
      if (/^google\.protobuf\.(Timestamp|Duration)$/.test(k.value)) return k.value;
      if (k.value === 'google.protobuf.Struct') return 'map<string, dyn>';
      if (k.value === 'google.protobuf.ListValue') return 'list<dyn>';
      return WELL_KNOWN_NAME.test(k.value) ? 'dyn' : undefined;
    case 'listType': {
      const e = libraryTypeName(k.value.elemType);
      return e && `list<${e}>`;
    }
    case 'mapType': {
      const kt = libraryTypeName(k.value.keyType);
      const vt = libraryTypeName(k.value.valueType);
      return kt && vt && `map<${kt}, ${vt}>`;
    }
    case 'abstractType': {
      if (k.value.name !== 'optional_type' || k.value.parameterTypes.length !== 1) return undefined;
      const inner = libraryTypeName(k.value.parameterTypes[0]);
      return inner && `optional<${inner}>`;
    }
    default:
      return undefined;
  }
}

/** Rewrites the checker's spelling into cel-go's. */
function normaliseCheckedType(name: string): string {
  if (name === 'list') return 'list(dyn)';
  if (name === 'map') return 'map(dyn, dyn)';
  return name
    .replace(/\boptional</g, 'optional_type<')
    .replace(/</g, '(')
    .replace(/>/g, ')')
    .replace(/\bnull\b(?!_)/g, 'null_type');
}

// ---------------------------------------------------------------------------------------------
// Running one test
// ---------------------------------------------------------------------------------------------

// Extensions kro does not enable; their conformance files run with them added.
const OPT_IN: Record<string, readonly CelLibrary[]> = { math_ext: [mathLibrary] };

type Outcome = { pass: true } | { pass: false; reason: string };

function environmentFor(file: string, t: SimpleTest): KroEnvironment {
  const env = createKroEnvironment({ unlistedVariablesAreDyn: true });
  for (const lib of OPT_IN[file] ?? []) lib.register(env.raw, { omit: false });
  for (const d of t.typeEnv) {
    if (d.declKind.case !== 'ident') continue;
    const type = libraryTypeName(d.declKind.value.type);
    if (type === undefined) throw new Unsupported(`declaration ${d.name}`);
    env.declare(d.name, type);
  }
  return env;
}

function runTest(file: string, t: SimpleTest): Outcome {
  let env: KroEnvironment;
  const vars: Record<string, unknown> = {};
  try {
    env = environmentFor(file, t);
    for (const [name, b] of Object.entries(t.bindings)) {
      if (b.kind.case !== 'value') throw new Unsupported(`binding ${name}`);
      vars[name] = toNative(b.kind.value);
    }
  } catch (e) {
    return { pass: false, reason: `setup: ${(e as Error).message}` };
  }

  const rm = t.resultMatcher;
  if (rm.case === 'typedResult' || t.checkOnly) {
    const checked = env.check(t.expr);
    if (!checked.valid)
      return { pass: false, reason: `check error: ${checked.error?.message.split('\n')[0]}` };
    if (rm.case === 'typedResult' && rm.value.deducedType) {
      const want = celGoTypeName(rm.value.deducedType);
      const got = normaliseCheckedType(checked.type ?? '');
      if (got !== want) return { pass: false, reason: `type ${got}, want ${want}` };
    }
    if (t.checkOnly) return { pass: true };
  }

  let result: unknown;
  try {
    result = env.evaluate(t.expr, vars);
  } catch (e) {
    if (e instanceof ParseError) return { pass: false, reason: `parse error: ${e.message.split('\n')[0]}` };
    if (rm.case === 'evalError' || rm.case === 'anyEvalErrors') return { pass: true };
    return { pass: false, reason: `error: ${(e as Error).message.split('\n')[0]}` };
  }
  if (rm.case === 'evalError' || rm.case === 'anyEvalErrors') {
    return { pass: false, reason: `expected an error, got ${describeValue(result)}` };
  }
  let expected: unknown = true;
  try {
    if (rm.case === 'value') expected = toNative(rm.value);
    else if (rm.case === 'typedResult' && rm.value.result) expected = toNative(rm.value.result);
  } catch (e) {
    return { pass: false, reason: `setup: ${(e as Error).message}` };
  }
  if (celEqual(result, expected)) return { pass: true };
  return { pass: false, reason: `got ${describeValue(result)}, want ${describeValue(expected)}` };
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

interface FileResult {
  readonly file: string;
  readonly total: number;
  readonly passed: number;
}

function collect(suite: IncrementalTestSuite, out: IncrementalTest[]): void {
  out.push(...suite.tests);
  for (const s of suite.suites) collect(s, out);
}

function runAll(): FileResult[] {
  const results: FileResult[] = [];
  for (const fileSuite of getConformanceSuite().suites) {
    const tests: IncrementalTest[] = [];
    collect(fileSuite, tests);
    const noProto = tests.filter((t) => !needsProto(t.original));
    if (noProto.length === 0) continue;
    let passed = 0;
    for (const t of noProto) {
      const outcome = runTest(fileSuite.name, t.original);
      if (outcome.pass) passed++;
      else if (verbose)
        console.log(`FAIL ${fileSuite.name}/${t.name}: ${t.original.expr}\n     ${outcome.reason}`);
    }
    results.push({ file: fileSuite.name, total: noProto.length, passed });
  }
  return results;
}

describe('cel-spec conformance (no-protobuf subset)', () => {
  const results = runAll();
  const total = results.reduce((n, r) => n + r.total, 0);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const lines = results.map((r) => `  ${r.file.padEnd(16)} ${String(r.passed).padStart(4)}/${r.total}`);
  console.log(
    `cel-spec conformance, no-protobuf subset:\n${lines.join('\n')}\n  ${'TOTAL'.padEnd(16)} ${passed}/${total} (${((100 * passed) / total).toFixed(1)}%)`,
  );

  it('selects the 1,668 tests that need no protobuf', () => {
    expect(total).toBe(1668);
  });

  for (const r of results) {
    it(`${r.file}: no fewer passes than the baseline`, () => {
      expect(r.passed).toBeGreaterThanOrEqual(baseline.files[r.file] ?? 0);
    });
  }

  it('passes at least 90% overall', () => {
    expect(passed / total).toBeGreaterThanOrEqual(0.9);
  });
});
