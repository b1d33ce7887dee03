// JSON <-> CEL as kro's runtime converts: through the kind's schema on the way in, GoNativeType +
// EnsureJSONSafe on the way out; and the API server's structural defaulting of instances.
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { describe, expect, it } from 'vitest';
import { OMIT } from '../../../src/cel/omit.js';
import { formatGoDuration as goDurationString, Optional } from '../../../src/cel/values.js';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import {
  applyDefaults,
  celToJson,
  jsonToCel,
  nativeToCel,
  renderInstance,
} from '../../../src/synth/index.js';
import { checkRules } from '../../../src/synth/rules.js';
import { docFrom, rgdFrom, rgdYaml } from './helpers.js';

describe('jsonToCel', () => {
  it('reads integers as int and numbers as double, whatever JSON wrote', () => {
    const schema = {
      type: 'object',
      properties: { i: { type: 'integer' }, d: { type: 'number' }, s: { type: 'string' } },
    };
    expect(jsonToCel({ i: 3, d: 3, s: 'x' }, schema)).toEqual({ i: 3n, d: 3, s: 'x' });
    expect(typeof (jsonToCel({ d: 3 }, schema) as { d: unknown }).d).toBe('number');
  });

  it('without a schema, whole numbers are ints (decoded Kubernetes JSON) and the rest doubles', () => {
    expect(nativeToCel({ a: 1, b: 1.5, c: [2, 'x', null, true] })).toEqual({
      a: 1n,
      b: 1.5,
      c: [2n, 'x', null, true],
    });
    expect(jsonToCel({ a: 1 }, undefined)).toEqual({ a: 1n });
  });

  it('follows items, additionalProperties and one-element allOf wrappers', () => {
    const schema = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'number' } },
        map: { type: 'object', additionalProperties: { type: 'integer' } },
        wrapped: { allOf: [{ type: 'number' }], default: 1 },
      },
    };
    expect(jsonToCel({ list: [1, 2], map: { a: 1 }, wrapped: 2 }, schema)).toEqual({
      list: [1, 2],
      map: { a: 1n },
      wrapped: 2,
    });
  });

  it('decodes formats as Kubernetes does: byte, date-time, duration; int-or-string stays either', () => {
    const schema = {
      type: 'object',
      properties: {
        b: { type: 'string', format: 'byte' },
        t: { type: 'string', format: 'date-time' },
        d: { type: 'string', format: 'duration' },
        p: { 'x-kubernetes-int-or-string': true },
        q: { 'x-kubernetes-int-or-string': true },
      },
    };
    const v = jsonToCel(
      { b: 'aGk=', t: '2024-01-02T03:04:05Z', d: '1m30s', p: 8080, q: 'http' },
      schema,
    ) as Record<string, unknown>;
    expect(v.b).toEqual(new Uint8Array([104, 105]));
    expect((v.t as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect((v.d as Duration).seconds).toBe(90n);
    expect(v.p).toBe(8080n);
    expect(v.q).toBe('http');
  });

  it('preserve-unknown objects and free-form fields fall back to schemaless values', () => {
    const schema = {
      type: 'object',
      properties: { x: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    };
    expect(jsonToCel({ x: { n: 2, deep: { m: 1.5 } } }, schema)).toEqual({ x: { n: 2n, deep: { m: 1.5 } } });
  });
});

describe('celToJson', () => {
  it('writes ints as numbers, keeps key order and unwraps optionals', () => {
    const out = celToJson({ z: 1n, a: [2n, 'x'], o: Optional.of(3n), none: Optional.none() });
    expect(out).toEqual({ z: 1, a: [2, 'x'], o: 3, none: null });
    expect(Object.keys(out as object)).toEqual(['z', 'a', 'o', 'none']);
  });

  it('keeps int64 beyond 2^53 exact', () => {
    expect(celToJson(9223372036854775807n)).toBe(9223372036854775807n);
  });

  it('converts uint to int and refuses one that overflows int64, with kro wording', () => {
    expect(celToJson(new UnsignedInt(5n))).toBe(5);
    expect(() => celToJson(new UnsignedInt(2n ** 64n - 1n))).toThrow(
      /overflows int64; convert it explicitly/,
    );
  });

  it('writes bytes as standard base64, as Go encodes the []byte kro puts into an object', () => {
    expect(celToJson(new Uint8Array([0x73]))).toBe('cw==');
    expect(celToJson([new Uint8Array([0, 255])])).toEqual(['AP8=']);
  });

  it('writes timestamps and durations in their Kubernetes string forms', () => {
    expect(celToJson(new Date('2024-01-02T03:04:05.678Z'))).toBe('2024-01-02T03:04:05Z');
    expect(celToJson(new Duration(3723n, 500_000_000))).toBe('1h2m3.5s');
    expect(goDurationString(1_500_000n)).toBe('1.5ms');
    expect(goDurationString(0n)).toBe('0s');
    expect(goDurationString(-90_000_000_000n)).toBe('-1m30s');
  });

  it('requires string map keys and passes the omit sentinel through for the resolver', () => {
    expect(() => celToJson(new Map([[1n, 'x']]))).toThrow(/map key must be string, got int/);
    expect(celToJson({ a: OMIT })).toEqual({ a: OMIT });
  });
});

describe('applyDefaults (structural defaulting)', () => {
  const { schema } = buildInstanceSchema({
    spec: {
      name: 'string',
      replicas: 'integer | default=1',
      db: { host: 'string | default="db"', tls: { enabled: 'boolean | default=true' } },
      ports: '[]Port',
      tags: 'map[string]Tag',
      free: 'object',
    },
    types: {
      Port: { number: 'integer | default=80', name: 'string' },
      Tag: { value: 'string | default="v"' },
    },
  });

  it('fills missing fields, then the defaults of defaulted objects, at any depth', () => {
    expect(applyDefaults(schema.spec, {})).toEqual({
      replicas: 1,
      db: { host: 'db', tls: { enabled: true } },
    });
  });

  it('keeps what the user wrote first, then appends defaults in schema order', () => {
    const out = applyDefaults(schema.spec, { name: 'n', db: { tls: {} } }) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['name', 'db', 'replicas']);
    expect(out.db).toEqual({ tls: { enabled: true }, host: 'db' });
  });

  it('defaults inside array items and map values', () => {
    expect(
      applyDefaults(schema.spec, { ports: [{ name: 'a' }, { number: 8 }], tags: { x: {} } }),
    ).toMatchObject({
      ports: [{ name: 'a', number: 80 }, { number: 8 }],
      tags: { x: { value: 'v' } },
    });
  });

  it('a null field takes the default, or is dropped without one; free-form objects are left alone', () => {
    expect(applyDefaults(schema.spec, { replicas: null, name: null, free: { a: null } })).toEqual({
      replicas: 1,
      free: { a: null },
      db: { host: 'db', tls: { enabled: true } },
    });
  });

  it('never modifies its input', () => {
    const input = { db: {} };
    applyDefaults(schema.spec, input);
    expect(input).toEqual({ db: {} });
  });
});

describe('the CRD validation rules of an instance', () => {
  const { schema } = buildInstanceSchema({
    spec: {
      replicas: 'integer | default=1 validation="self <= 10 || self % 2 == 0"',
      name: 'string | immutable=true validation="self.startsWith(\'app-\')"',
      ports: '[]integer | validation="self.all(p, p > 1024)"',
    },
  });

  it('are checked on create with self bound to the field; transition rules (oldSelf) are not', () => {
    expect(checkRules(schema.spec, { replicas: 12, name: 'app-x', ports: [2000] })).toEqual([]);
    expect(checkRules(schema.spec, { replicas: 11, name: 'x', ports: [80, 2000] })).toEqual([
      {
        at: 'replicas',
        segments: ['replicas'],
        message: 'validation failed (rule "self <= 10 || self % 2 == 0")',
      },
      { at: 'name', segments: ['name'], message: `validation failed (rule "self.startsWith('app-')")` },
      { at: 'ports', segments: ['ports'], message: 'validation failed (rule "self.all(p, p > 1024)")' },
    ]);
  });

  it('reject an instance with a positioned error', () => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        spec: 'replicas: integer | default=1 validation="self <= 10 || self % 2 == 0"',
        resources: '[]',
      }),
    );
    const { object, loc } = docFrom(
      'apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata: {name: a}\nspec:\n  replicas: 11\n',
    );
    const r = renderInstance(graph, rgd, object, { instanceLoc: loc });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: 'spec.replicas: validation failed (rule "self <= 10 || self % 2 == 0")',
        pos: { file: 'instance.yaml', line: 5, col: 13 },
      }),
    ]);
  });
});
