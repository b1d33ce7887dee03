// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import { OMIT } from '../../../src/cel/omit.js';
import { parseSchemalessResource } from '../../../src/cel/template.js';
import { deepCopyJson } from '../../../src/json.js';
import {
  cleanOmitSentinels,
  getValueFromPath,
  resolve,
  resolveField,
  setValueAtPath,
} from '../../../src/synth/paths.js';

describe('getValueFromPath errors (kro texts)', () => {
  const resource = { a: { b: [1, { c: 'x' }] }, s: 'str' };
  it.each([
    ['a.z', 'key not found: z'],
    ['a.b[5]', 'array index out of bounds: 5'],
    ['s.x', 'expected map at path segment: {x -1}'],
    ['a[0]', 'expected array at path segment: { 0}'],
    ['a..b', "invalid path 'a..b': empty field name at position 2"],
  ])('%s', (path, error) => {
    expect(getValueFromPath(resource, path)).toEqual({ ok: false, error });
  });

  it('reads null values and does not see inherited members', () => {
    expect(getValueFromPath({ n: null }, 'n')).toEqual({ ok: true, value: null });
    expect(getValueFromPath({}, 'toString')).toEqual({ ok: false, error: 'key not found: toString' });
  });
});

describe('setValueAtPath', () => {
  it('reports kro texts for wrong containers', () => {
    expect(setValueAtPath({ a: 's' }, 'a[0]', 1)).toEqual({
      ok: false,
      error: 'expected array at segment { 0}, got string',
    });
    expect(setValueAtPath({ a: { b: 1 } }, 'a[0]', 1)).toEqual({
      ok: false,
      error: 'expected array at segment { 0}, got map[string]interface {}',
    });
    expect(setValueAtPath({ a: [1.5] }, 'a[0].b', 1)).toEqual({
      ok: false,
      error: 'expected map at path segment: {b -1}',
    });
  });

  it('copies only the containers on the path', () => {
    const input = { keep: { deep: [1] }, spec: { list: [{ a: 1 }, { b: 2 }] } };
    const r = setValueAtPath(input, 'spec.list[1].b', 3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({ keep: { deep: [1] }, spec: { list: [{ a: 1 }, { b: 3 }] } });
    expect(input.spec.list[1]).toEqual({ b: 2 });
    expect(r.value.keep).toBe(input.keep);
    expect(r.value.spec.list[0]).toBe(input.spec.list[0]);
    expect(r.value.spec).not.toBe(input.spec);
  });

  it('writes a __proto__ key as data, never as the prototype', () => {
    const r = setValueAtPath<Record<string, unknown>>({}, '__proto__.polluted', true);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.hasOwn(r.value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('resolve', () => {
  it('fills a template from walker output and drops omitted values', () => {
    const template = {
      metadata: { name: 'web-${schema.spec.name}', labels: { tier: '${tier}' } },
      spec: { replicas: '${schema.spec.replicas}', args: ['${first}', 'fixed', '${second}'] },
    };
    const walk = parseSchemalessResource(template);
    const data = new Map<string, unknown>([
      ['"web-" + (schema.spec.name)', 'web-app'],
      ['tier', OMIT],
      ['schema.spec.replicas', 3],
      ['first', OMIT],
      ['second', { nested: [OMIT, 'kept'] }],
    ]);
    const snapshot = structuredClone(template);
    const { resource, summary } = resolve(template, walk.expressions, data);
    expect(resource).toEqual({
      metadata: { name: 'web-app', labels: {} },
      spec: { replicas: 3, args: ['fixed', { nested: ['kept'] }] },
    });
    expect(summary).toMatchObject({ totalExpressions: 5, resolvedExpressions: 5, errors: [] });
    // Neither the template nor the evaluated values are modified.
    expect(template).toEqual(snapshot);
    expect(data.get('second')).toEqual({ nested: [OMIT, 'kept'] });
  });

  it("names a template by its text when its value is missing (kro's UserExpression)", () => {
    const template = { a: 'x-${v}', b: '${w}' };
    const { summary, resource } = resolve(template, parseSchemalessResource(template).expressions, new Map());
    expect(summary.errors).toEqual([
      'no data provided for expression: x-${v}',
      'no data provided for expression: w',
    ]);
    expect(resource).toEqual(template);
  });

  it('uses key segments when given, so keys kro cannot spell as a path still resolve', () => {
    // `a".b` needs quoting with a quote inside, which kro's path parser cannot read back.
    const template = { m: { 'a".b': '${v}' } };
    const [field] = parseSchemalessResource(template).expressions;
    expect(field!.path).toBe('m["a".b"]');
    const data = new Map([['v', 1]]);
    expect(resolve(template, [field!], data).resource).toEqual({ m: { 'a".b': 1 } });
    const byPath = resolve(template, [{ path: field!.path, expression: 'v' }], data);
    expect(byPath.summary.errors).toEqual([
      `error getting value: invalid path 'm["a".b"]': expected closing bracket after quote at position 5`,
    ]);
  });

  it('treats a value present as null as resolved', () => {
    const r = resolveField({ a: '${v}' }, { path: 'a', expression: 'v' }, new Map([['v', null]]));
    expect(r.result).toEqual({ path: 'a', resolved: true, replaced: null });
    expect(r.resource).toEqual({ a: null });
  });
});

describe('cleanOmitSentinels', () => {
  it('returns the same objects when nothing is omitted', () => {
    const v = { a: [1, { b: 2 }], c: 'x' };
    expect(cleanOmitSentinels(v)).toBe(v);
  });

  it('shares untouched subtrees and leaves its input alone', () => {
    const keep = { k: [1] };
    const v = { keep, drop: OMIT, list: [OMIT, { x: OMIT, y: 1 }] };
    const out = cleanOmitSentinels(v);
    expect(out).toEqual({ keep: { k: [1] }, list: [{ y: 1 }] });
    expect(out.keep).toBe(keep);
    expect(v.list).toHaveLength(2);
    expect(v.drop).toBe(OMIT);
  });

  it('leaves a bare sentinel or scalar as it is', () => {
    expect(cleanOmitSentinels(OMIT)).toBe(OMIT);
    expect(cleanOmitSentinels(5)).toBe(5);
  });
});

describe('deepCopyJson', () => {
  it('copies maps and lists', () => {
    const v = { a: [{ b: 1 }] };
    const c = deepCopyJson(v);
    expect(c).toEqual(v);
    expect(c.a).not.toBe(v.a);
    expect(c.a[0]).not.toBe(v.a[0]);
  });
});
