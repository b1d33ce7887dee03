// Values: JSON -> CEL by OpenAPI schema (kro's UnstructuredToVal), CEL -> JSON (kro's
// GoNativeType + EnsureJSONSafe), cel-go equality/ordering, Go duration formats, and Go's
// float formatting. Expected strings for Go formats are what Go's strconv/time print.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import {
  formatExponent,
  formatFixed,
  formatGeneral,
  formatShortestFixed,
} from '../../../src/cel/lib/go-numbers.js';
import {
  celEquals,
  celKind,
  celToJson,
  compareNumbers,
  Duration,
  formatGoDuration,
  inferCel,
  JsonConversionError,
  jsonToCel,
  mapEntries,
  Optional,
  parseGoDuration,
  UnsignedInt,
} from '../../../src/cel/values.js';

const env = createKroEnvironment({ unlistedVariablesAreDyn: true });

describe('jsonToCel', () => {
  const schema = {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      ratio: { type: 'number' },
      name: { type: 'string' },
      on: { type: 'boolean' },
      port: { 'x-kubernetes-int-or-string': true },
      timeout: { type: 'string', format: 'duration' },
      at: { type: 'string', format: 'date-time' },
      blob: { type: 'string', format: 'byte' },
      labels: { type: 'object', additionalProperties: { type: 'integer' } },
      items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  } as const;

  it('types values by schema', () => {
    const { value, issues } = jsonToCel(
      {
        replicas: 3,
        ratio: 2,
        name: 'web',
        on: true,
        port: 8080,
        timeout: '1m30s',
        at: '2024-01-02T03:04:05Z',
        blob: 'aGk=',
        labels: { a: 1 },
        items: [{ n: 1 }],
        extra: { x: 1, y: 1.5, z: [2] },
        pruned: 'gone',
      },
      schema,
    );
    expect(issues).toEqual([]);
    const v = value as Record<string, unknown>;
    expect(v['replicas']).toBe(3n);
    expect(v['ratio']).toBe(2);
    expect(v['port']).toBe(8080n);
    expect(v['timeout']).toBeInstanceOf(Duration);
    expect(String(v['timeout'])).toBe('90s');
    expect((v['at'] as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(v['blob']).toEqual(new Uint8Array([104, 105]));
    expect(v['labels']).toEqual({ a: 1n });
    expect(v['items']).toEqual([{ n: 1n }]);
    expect(v['extra']).toEqual({ x: 1n, y: 1.5, z: [2n] });
    expect('pruned' in v).toBe(false);
  });

  it('makes `replicas + 1` an int expression, as kro does', () => {
    const { value } = jsonToCel({ spec: { replicas: 3 } }, { type: 'object', properties: { spec: schema } });
    expect(env.evaluate('schema.spec.replicas + 1', { schema: value })).toBe(4n);
  });

  it('reports mismatches and keeps an inferred value', () => {
    const { value, issues } = jsonToCel({ replicas: 1.5, name: 7, port: true }, schema);
    expect(issues.map((i) => i.path)).toEqual(['replicas', 'name', 'port']);
    expect((value as Record<string, unknown>)['replicas']).toBe(1.5);
    expect(jsonToCel(null, { type: 'string' }).issues).toHaveLength(1);
    expect(jsonToCel(null, { type: 'string', nullable: true }).issues).toHaveLength(0);
  });

  it('infers integral numbers as int without a schema', () => {
    expect(inferCel({ a: 1, b: 1.5, c: [2, 'x', null, true] })).toEqual({
      a: 1n,
      b: 1.5,
      c: [2n, 'x', null, true],
    });
    expect(jsonToCel({ a: 1 }).value).toEqual({ a: 1n });
  });
});

describe('celToJson', () => {
  it('writes CEL values as kro writes them into manifests', () => {
    expect(
      celToJson({
        i: 3n,
        u: new UnsignedInt(4n),
        d: 1.5,
        s: 'x',
        l: [true, null],
        o: Optional.of(1n),
        n: Optional.none(),
        dur: new Duration(5400n, 0),
        ts: new Date('2024-01-02T03:04:05.678Z'),
      }),
    ).toEqual({
      i: 3,
      u: 4,
      d: 1.5,
      s: 'x',
      l: [true, null],
      o: 1,
      n: null,
      dur: '1h30m0s',
      ts: '2024-01-02T03:04:05Z',
    });
  });

  it('rejects what kro rejects, naming the path', () => {
    expect(() => celToJson({ a: [new Uint8Array([1])] })).toThrow(/a\[0\]: unsupported type: bytes value/);
    expect(() => celToJson(new UnsignedInt(2n ** 63n))).toThrow(/overflows int64; convert it explicitly/);
    expect(() => celToJson(env.evaluate('{1: "a"}'))).toThrow(/map key must be string, got int64/);
    expect(() => celToJson(2n ** 60n)).toThrow(JsonConversionError);
    expect(() => celToJson(Number.NaN)).toThrow(/cannot be written as JSON/);
  });

  it('writes schema-declared objects with their present fields only', () => {
    const typed = createKroEnvironment().declareObject('d', { spec: { replicas: 'int', name: 'string' } });
    expect(celToJson(typed.evaluate('d.spec', { d: { spec: { replicas: 3n } } }))).toEqual({ replicas: 3 });
  });

  it("writes Go's zero time as null and keeps a `__proto__` key as data", () => {
    expect(celToJson(new Date('0001-01-01T00:00:00Z'))).toBeNull();
    const out = celToJson(new Map([['__proto__', 1n]])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('passes sentinels through untouched', () => {
    const sentinel = Symbol('omit');
    expect(celToJson({ a: sentinel }, { passThrough: (v) => v === sentinel })).toEqual({ a: sentinel });
  });
});

describe('cel-go value semantics', () => {
  it('kinds', () => {
    expect(celKind(1n)).toBe('int');
    expect(celKind(new UnsignedInt(1n))).toBe('uint');
    expect(celKind(env.evaluate('type(1)'))).toBe('type');
    expect(celKind(new Map())).toBe('map');
  });

  it('equality across numeric kinds and containers', () => {
    expect(celEquals(1n, 1.0)).toBe(true);
    expect(celEquals(new UnsignedInt(2n), 2n)).toBe(true);
    expect(celEquals(Number.NaN, Number.NaN)).toBe(false);
    expect(celEquals([1n, 'a'], [1.0, 'a'])).toBe(true);
    expect(celEquals({ a: 1n }, new Map([['a', 1.0]]))).toBe(true);
    expect(celEquals('1', 1n)).toBe(false);
  });

  // What kro's run time answers (the CEL oracle, docs/cel.md) for objects of a typed schema that
  // kro-gen's checker lets through (`schema.spec.sub == schema.spec.sub`, `x in [obj]`).
  it('compares schema objects by value, whatever the order of their fields', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        n: { type: 'integer' },
        tags: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } },
      },
    };
    const obj = (data: unknown) => jsonToCel(data, schema).value;
    const x = obj({ a: 'q', n: 1, tags: [{ k: 'v' }] });
    const vars = (b: unknown) => ({ x, y: b });
    expect(env.evaluate('x == y', vars(obj({ tags: [{ k: 'v' }], n: 1, a: 'q' })))).toBe(true);
    expect(env.evaluate('x != y', vars(obj({ tags: [{ k: 'v' }], n: 1, a: 'q' })))).toBe(false);
    expect(env.evaluate('x == y', vars(obj({ a: 'q', n: 1, tags: [{ k: 'w' }] })))).toBe(false);
    expect(env.evaluate('x == y', vars(obj({ a: 'q', n: 1 })))).toBe(false);
    expect(env.evaluate('x != y', vars(obj({ a: 'q', n: 2, tags: [{ k: 'v' }] })))).toBe(true);
    expect(env.evaluate("x == {'a': 'q', 'n': 1.0, 'tags': [{'k': 'v'}]}", vars(null))).toBe(true);
    expect(env.evaluate('x in [y, x]', vars(obj({})))).toBe(true);
    expect(env.evaluate('x in [y]', vars(obj({ a: 'q' })))).toBe(false);
    expect(env.evaluate('[x, x] == [y, x]', vars(obj({ a: 'q', n: 1, tags: [{ k: 'v' }] })))).toBe(true);
    expect(env.evaluate('x == y', vars(null))).toBe(false);
  });

  it('ordering converts the integer to a double against a double', () => {
    expect(compareNumbers(9223372036854775807n, 2 ** 63)).toBe(0);
    expect(compareNumbers(-1n, new UnsignedInt(0n))).toBe(-1);
    expect(compareNumbers(new UnsignedInt(5n), 4.5)).toBe(1);
    expect(compareNumbers(Number.NaN, 1n)).toBeNaN();
  });

  it('typed map keys survive iteration', () => {
    expect(mapEntries(env.evaluate('{1: "a", true: "b"}') as object)).toEqual([
      [1n, 'a'],
      [true, 'b'],
    ]);
  });
});

describe('Go duration and float formats', () => {
  it('parses and prints Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseGoDuration('-1.5s')).toBe(-1_500_000_000n);
    expect(parseGoDuration('300ms')).toBe(300_000_000n);
    expect(parseGoDuration('1x')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
    expect(formatGoDuration(0n)).toBe('0s');
    expect(formatGoDuration(1_500_000_000n)).toBe('1.5s');
    expect(formatGoDuration(3_600_000_000_000n)).toBe('1h0m0s');
    expect(formatGoDuration(1_500_000n)).toBe('1.5ms');
    expect(formatGoDuration(2_000n)).toBe('2µs');
    expect(formatGoDuration(-61_000_000_000n)).toBe('-1m1s');
  });

  it('prints floats like Go strconv (ties to even on the exact value)', () => {
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(1e21, 1)).toBe('1000000000000000000000.0');
    expect(formatFixed(-0.001, 2)).toBe('-0.00');
    expect(formatExponent(0, 2)).toBe('0.00e+00');
    expect(formatExponent(1e-300, 3)).toBe('1.000e-300');
    expect(formatExponent(9.9999999, 2)).toBe('1.00e+01');
    expect(formatShortestFixed(1e-7)).toBe('0.0000001');
    expect(formatShortestFixed(123.456)).toBe('123.456');
    expect(formatGeneral(1e21)).toBe('1e+21');
    expect(formatGeneral(-0.00001)).toBe('-1e-05');
  });
});
