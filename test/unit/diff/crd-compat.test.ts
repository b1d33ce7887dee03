// The texts and orders kro's tables do not pin down: report sentences (kro's Change.Description),
// the three-change summary, number formatting and the deterministic walk order.
import { describe, expect, it } from 'vitest';
import {
  compareSchemas,
  compareVersions,
  describeChange,
  formatFloat,
  rawJson,
  summarizeReport,
} from '../../../src/diff/crd-compat.js';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});

describe('kro report texts', () => {
  it('names a removed property by its last path component', () => {
    const r = compareSchemas(
      obj({ spec: obj({ name: { type: 'string' }, port: { type: 'integer' } }) }),
      obj({ spec: obj({ name: { type: 'string' } }) }),
    );
    expect(r.breaking).toEqual([
      { path: '.properties.spec.properties.port', type: 'PROPERTY_REMOVED', oldValue: '', newValue: '' },
    ]);
    expect(describeChange(r.breaking[0]!)).toBe('Property port was removed');
  });

  it('says "Optional property" even for a required one without default, as kro does', () => {
    const r = compareSchemas(
      obj({ a: { type: 'string' } }),
      obj({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['b'] }),
    );
    expect(r.breaking.map(describeChange)).toEqual(['Optional property b was added']);
  });

  it('quotes enum values and defaults as raw JSON', () => {
    const r = compareSchemas(
      { type: 'string', enum: ['a', 'b'], default: 'a' },
      { type: 'string', enum: ['a', 'c'], default: 'c' },
    );
    expect(r.breaking.map(describeChange)).toEqual(['Enum value "b" was removed']);
    expect(r.nonBreaking.map(describeChange)).toEqual([
      'Default value was changed from "a" to "c"',
      'Enum value "c" was added',
    ]);
  });

  it('describes every constraint change', () => {
    const r = compareSchemas(
      { type: 'integer', minimum: 1, maximum: 10 },
      { type: 'integer', minimum: 2.5, maximum: 5 },
    );
    expect(r.breaking.map(describeChange)).toEqual([
      'Minimum was increased from 1 to 2.5',
      'Maximum was decreased from 10 to 5',
    ]);
    const s = compareSchemas(
      { type: 'string' },
      { type: 'string', minLength: 3, maxLength: 9, pattern: '^a' },
    );
    expect(s.breaking.map(describeChange)).toEqual([
      'Validation pattern ^a was added',
      'MinLength constraint 3 was added',
      'MaxLength constraint 9 was added',
    ]);
  });

  it('stops at a type change, as kro does', () => {
    const r = compareSchemas({ type: 'string', minLength: 1 }, { type: 'integer', minimum: 1 });
    expect(r.breaking.map(describeChange)).toEqual(['Type changed from string to integer']);
    expect(r.nonBreaking).toEqual([]);
  });

  it('summarizes three breaking changes and counts the rest', () => {
    const r = compareSchemas(obj({ a: {}, b: {}, c: {}, d: {}, e: {} }), obj({}));
    expect(summarizeReport(r)).toBe(
      'Property a was removed; Property b was removed; Property c was removed; and 2 more changes',
    );
    expect(summarizeReport({ breaking: [], nonBreaking: [] })).toBe('no breaking changes');
  });

  it('walks properties in Go string order (upper case before lower case)', () => {
    const r = compareSchemas(obj({ b: {}, B: {}, a: {} }), obj({}));
    expect(r.breaking.map((c) => c.path)).toEqual(['.properties.B', '.properties.a', '.properties.b']);
  });
});

describe('versions', () => {
  const version = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    served: true,
    schema: { openAPIV3Schema: { type: 'object' } },
    subresources: { status: {} },
    ...extra,
  });
  it('a renamed version is one breaking type change', () => {
    const r = compareVersions([version('v1alpha1')], [version('v1')]);
    expect('report' in r && r.report.breaking.map(describeChange)).toEqual([
      'Type changed from v1alpha1 to v1',
    ]);
  });
  it('no longer served or without status subresource breaks', () => {
    const r = compareVersions([version('v1')], [version('v1', { served: false, subresources: {} })]);
    expect('report' in r && r.report.breaking.map((c) => c.path)).toEqual([
      'version.served',
      'version.subresources.status',
    ]);
  });
});

describe('Go formatting', () => {
  it('formats floats as strconv.FormatFloat(f, f, -1, 64)', () => {
    expect(formatFloat(5)).toBe('5');
    expect(formatFloat(0.5)).toBe('0.5');
    expect(formatFloat(1e21)).toBe('1000000000000000000000');
    expect(formatFloat(1.5e-7)).toBe('0.00000015');
    expect(formatFloat(-2.5e22)).toBe('-25000000000000000000000');
  });
  it('writes JSON as Go does: sorted keys, HTML escaped', () => {
    expect(rawJson({ b: 1, a: '<x>' })).toBe('{"a":"\\u003cx\\u003e","b":1}');
  });
});
