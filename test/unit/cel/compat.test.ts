import { describe, expect, it } from 'vitest';
import {
  checkAssignment,
  isAssignable,
  isBoolOrOptionalBool,
  structurallyCompatible,
} from '../../../src/cel/compat.js';
import {
  BOOL,
  type CelType,
  celTypeFromSchema,
  DOUBLE,
  DYN,
  formatCelType,
  INT,
  listOf,
  mapOf,
  optionalOf,
  STRING,
} from '../../../src/cel/types.js';

const obj = (name: string, fields: Record<string, CelType>, preserveUnknown = false): CelType => ({
  kind: 'object',
  name,
  fields,
  preserveUnknown,
});

describe('isAssignable (cel-go nominal rule)', () => {
  it('accepts identical types and anything into dyn', () => {
    expect(isAssignable(INT, INT)).toBe(true);
    expect(isAssignable(DYN, listOf(STRING))).toBe(true);
    expect(isAssignable(listOf(DYN), listOf(INT))).toBe(true);
  });
  it('does not accept dyn into a concrete type, nor int into double', () => {
    expect(isAssignable(INT, DYN)).toBe(false);
    expect(isAssignable(DOUBLE, INT)).toBe(false);
    expect(isAssignable(listOf(INT), listOf(DYN))).toBe(false);
  });
});

describe('structural compatibility (kro pkg/cel/compatibility.go)', () => {
  const port = obj('__type_pod.spec.containers.@idx.ports.@idx', { containerPort: INT, name: STRING });
  const container = obj('__type_pod.spec.containers.@idx', {
    name: STRING,
    image: STRING,
    ports: listOf(port),
  });

  it('lets dyn go anywhere and judges an optional by its value type', () => {
    expect(checkAssignment(DYN, INT).ok).toBe(true);
    expect(checkAssignment(optionalOf(INT), INT).ok).toBe(true);
    expect(checkAssignment(optionalOf(STRING), INT).ok).toBe(false);
  });

  it('reports a primitive kind mismatch with both types', () => {
    const r = checkAssignment(STRING, INT);
    expect(r).toEqual({ ok: false, reason: 'type kind mismatch: got "string", expected "int"' });
  });

  it('accepts a struct whose fields are a subset of the target', () => {
    const subset = obj('__type_schema.spec.c', { name: STRING, image: STRING });
    expect(structurallyCompatible(subset, container).ok).toBe(true);
  });

  it('rejects a struct with a field the target lacks, naming the field', () => {
    const extra = obj('__type_schema.spec.c', { name: STRING, cpu: STRING });
    const r = structurallyCompatible(extra, container);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('field "cpu" exists in output but not in expected type');
  });

  it('compares nested lists of structs element-wise', () => {
    const badPort = obj('__type_x.ports.@idx', { containerPort: STRING });
    const r = checkAssignment(listOf(obj('__type_x', { ports: listOf(badPort) })), listOf(container));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('list element type incompatible');
    expect(!r.ok && r.reason).toContain('type kind mismatch: got "string", expected "int"');
  });

  it('lets a string-keyed map fill a struct when its values suit every field', () => {
    const labels = obj('__type_x.labels', { app: STRING, tier: STRING });
    expect(checkAssignment(mapOf(STRING, STRING), labels).ok).toBe(true);
    expect(checkAssignment(mapOf(STRING, STRING), container).ok).toBe(false);
    expect(checkAssignment(mapOf(DYN, DYN), labels).ok).toBe(false);
  });

  it('lets a struct fill a map when every field suits the value type', () => {
    const labels = obj('__type_x.labels', { app: STRING });
    expect(checkAssignment(labels, mapOf(STRING, STRING)).ok).toBe(true);
    expect(checkAssignment(obj('__type_x.n', { n: INT }), mapOf(STRING, STRING)).ok).toBe(false);
  });

  it('accepts anything into a preserve-unknown struct', () => {
    const open = obj('__type_x.open', {}, true);
    expect(checkAssignment(obj('__type_y', { a: INT }), open).ok).toBe(true);
  });

  it('rejects a scalar where a list is expected', () => {
    const r = checkAssignment(STRING, listOf(STRING));
    expect(r).toEqual({ ok: false, reason: 'list parameter count mismatch: got 0, expected 1' });
  });
});

describe('condition results', () => {
  it('accepts bool, optional bool and dyn only', () => {
    expect(isBoolOrOptionalBool(BOOL)).toBe(true);
    expect(isBoolOrOptionalBool(optionalOf(BOOL))).toBe(true);
    expect(isBoolOrOptionalBool(DYN)).toBe(true);
    expect(isBoolOrOptionalBool(STRING)).toBe(false);
    expect(isBoolOrOptionalBool(optionalOf(STRING))).toBe(false);
  });
});

describe('OpenAPI to CEL types (kro pkg/cel/schemas.go)', () => {
  it('maps scalars, formats, int-or-string, maps and lists', () => {
    const t = celTypeFromSchema(
      {
        type: 'object',
        properties: {
          n: { type: 'integer' },
          f: { type: 'number' },
          b: { type: 'boolean' },
          s: { type: 'string' },
          t: { type: 'string', format: 'date-time' },
          raw: { type: 'string', format: 'byte' },
          port: { 'x-kubernetes-int-or-string': true },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
          any: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      '__type_r',
    );
    expect(t.kind).toBe('object');
    if (t.kind !== 'object') return;
    const f = t.fields;
    expect(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, formatCelType(v)]))).toEqual({
      n: 'int',
      f: 'double',
      b: 'bool',
      s: 'string',
      t: 'google.protobuf.Timestamp',
      raw: 'bytes',
      port: 'dyn',
      labels: 'map(string, string)',
      items: 'list(__type_r.items.@idx)',
      any: '__type_r.any',
    });
    expect(f.any?.kind === 'object' && f.any.preserveUnknown).toBe(true);
  });
});
