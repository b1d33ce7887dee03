// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import {
  classifyString,
  type OpenApiSchema,
  parseResource,
  parseSchemalessResource,
} from '../../../src/cel/template.js';

const str: OpenApiSchema = { type: 'string' };
const int: OpenApiSchema = { type: 'integer' };

function object(properties: Record<string, OpenApiSchema>, extra: OpenApiSchema = {}): OpenApiSchema {
  return { type: 'object', properties, ...extra };
}

function messages(walk: { errors: readonly { message: string }[] }): string[] {
  return walk.errors.map((e) => e.message);
}

describe('classifyString', () => {
  it('tells plain text, standalone expressions and templates apart', () => {
    expect(classifyString('hello')).toEqual({ ok: true, value: { kind: 'plain' } });
    const standalone = classifyString('${a.b}');
    expect(standalone.ok && standalone.value).toMatchObject({ kind: 'standalone', expression: 'a.b' });
    const template = classifyString('x-${a}');
    expect(template.ok && template.value).toMatchObject({ kind: 'template', expression: '"x-" + (a)' });
    expect(classifyString('${a(${b})}').ok).toBe(false);
  });
});

describe('parseSchemalessResource', () => {
  it('gives kro paths, key segments and offsets for each expression', () => {
    const walk = parseSchemalessResource({
      metadata: { annotations: { 'a.b/c': 'v-${x}', '': '${y}' } },
      list: [{ n: '${z}' }],
    });
    expect(walk.errors).toEqual([]);
    expect(walk.expressions).toEqual([
      {
        path: 'metadata.annotations["a.b/c"]',
        segments: ['metadata', 'annotations', 'a.b/c'],
        kind: 'template',
        expression: '"v-" + (x)',
        template: 'v-${x}',
        matches: [{ expr: 'x', start: 2, end: 6, innerStart: 4, innerEnd: 5 }],
      },
      {
        path: 'metadata.annotations[""]',
        segments: ['metadata', 'annotations', ''],
        kind: 'standalone',
        expression: 'y',
        matches: [{ expr: 'y', start: 0, end: 4, innerStart: 2, innerEnd: 3 }],
      },
      {
        path: 'list[0].n',
        segments: ['list', 0, 'n'],
        kind: 'standalone',
        expression: 'z',
        matches: [{ expr: 'z', start: 0, end: 4, innerStart: 2, innerEnd: 3 }],
      },
    ]);
  });

  it('never scans map keys and counts null as a plain field', () => {
    const walk = parseSchemalessResource({ '${key}': 'v', n: null });
    expect(walk.expressions).toEqual([]);
    expect(walk.plainFields.map((f) => f.path)).toEqual(['${key}', 'n']);
    expect(walk.plainFields[1]!.segments).toEqual(['n']);
  });

  it('reports every nested expression with its field and offset, keeping the good fields', () => {
    const walk = parseSchemalessResource({ a: 'x ${f(${g})}', b: '${ok}', c: ['${h(${i})}'] });
    expect(walk.errors).toEqual([
      {
        message: 'nested expressions are not allowed unless inside string literals',
        path: 'a',
        segments: ['a'],
        offset: 6,
      },
      {
        message: 'nested expressions are not allowed unless inside string literals',
        path: 'c[0]',
        segments: ['c', 0],
        offset: 4,
      },
    ]);
    expect(walk.expressions.map((e) => e.path)).toEqual(['b']);
  });

  it('builds each path right when walking back up and into siblings', () => {
    const walk = parseSchemalessResource({
      a: { b: '${x}', 'c.d': { e: '${y}', f: 1 }, g: '${z}' },
      h: ['${w}', { i: '${v}', j: [null, '${u}'] }],
      k: 2,
    });
    expect(walk.expressions.map((e) => e.path)).toEqual([
      'a.b',
      'a["c.d"].e',
      'a.g',
      'h[0]',
      'h[1].i',
      'h[1].j[1]',
    ]);
    expect(walk.plainFields.map((f) => f.path)).toEqual(['a["c.d"].f', 'h[1].j[0]', 'k']);
  });

  it('without plain fields finds the same expressions and errors, and nothing in a value without `${`', () => {
    const value = {
      a: { b: 'plain', '${key}': 'v', c: [1, null, true, { d: 'x ${f(${g})}' }] },
      e: ['${w}', { f: 'n-${v}' }],
    };
    const full = parseSchemalessResource(value);
    const lean = parseSchemalessResource(value, { plainFields: false });
    expect(lean.expressions).toEqual(full.expressions);
    expect(lean.errors).toEqual(full.errors);
    expect(lean.errors).toHaveLength(1);
    expect(lean.plainFields).toEqual([]);
    const none = parseSchemalessResource({ '${key}': ['a', { b: '$ {x}', c: 3n }] }, { plainFields: false });
    expect(none).toEqual({ expressions: [], plainFields: [], errors: [] });
  });

  it('without plain fields finds an expression under a key named like a prototype property', () => {
    // A loaded document may have a `__proto__` key: an own property, read like any other.
    const inner: Record<string, unknown> = {};
    Object.defineProperty(inner, '__proto__', {
      value: 'x-${y}',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const lean = parseSchemalessResource({ a: inner }, { plainFields: false });
    expect(lean.expressions.map((e) => e.path)).toEqual(
      parseSchemalessResource({ a: inner }).expressions.map((e) => e.path),
    );
    expect(lean.expressions).toHaveLength(1);
  });

  it('prefixes a base path', () => {
    const walk = parseSchemalessResource({ a: '${x}' }, { path: 'status' });
    expect(walk.expressions[0]!.path).toBe('status.a');
    expect(walk.expressions[0]!.segments).toEqual(['a']);
  });
});

describe('parseResource', () => {
  it('lets a standalone expression stand in any typed field, but not a template', () => {
    const schema = object({ n: int, s: str });
    expect(messages(parseResource({ n: '${x}', s: '${y}' }, schema))).toEqual([]);
    expect(messages(parseResource({ n: 'a-${x}' }, schema))).toEqual([
      'expected integer type for path n, got string',
    ]);
  });

  it('attaches the field schema to each expression', () => {
    const schema = object({ n: int });
    const walk = parseResource({ n: '${x}' }, schema);
    expect(walk.expressions[0]!.schema).toBe(schema.properties!['n']);
  });

  it('leaves the schema off expressions found in preserve-unknown-fields subtrees', () => {
    const schema = object({ free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    const walk = parseResource({ free: { a: ['${x}'] } }, schema);
    expect(walk.expressions).toMatchObject([{ path: 'free.a[0]', expression: 'x' }]);
    expect(walk.expressions[0]!.schema).toBeUndefined();
  });

  it('reports every problem, with kro texts, and keeps the valid expressions', () => {
    const schema = object({ n: int, s: str, o: object({ b: { type: 'boolean' } }) });
    const walk = parseResource(
      { n: 3.5, s: 7, o: { b: 'yes', extra: 1 }, ok: 1, good: '${x}' },
      object({
        ...schema.properties,
        good: str,
      }),
    );
    expect(messages(walk)).toEqual([
      'expected integer type for path n, got float64',
      'expected string type for path s, got integer',
      'expected boolean type for path o.b, got string',
      'error getting field schema for path o.extra: schema not found for field extra',
      'error getting field schema for path .ok: schema not found for field ok',
    ]);
    expect(walk.errors[3]!.segments).toEqual(['o', 'extra']);
    expect(walk.expressions.map((e) => e.path)).toEqual(['good']);
  });

  it('reports a field whose schema has no type whatever plain leaf it holds', () => {
    const schema = object({ a: {}, b: {}, c: {}, d: str });
    expect(messages(parseResource({ a: 'plain', b: 1, c: null, d: 'fine' }, schema))).toEqual([
      'schema at path a has no valid type, OneOf, AnyOf, or AdditionalProperties',
      'schema at path b has no valid type, OneOf, AnyOf, or AdditionalProperties',
      'schema at path c has no valid type, OneOf, AnyOf, or AdditionalProperties',
    ]);
    expect(
      messages(parseResource({ list: ['x', 2, null] }, object({ list: { type: 'array', items: {} } }))),
    ).toEqual([
      'schema at path list[0] has no valid type, OneOf, AnyOf, or AdditionalProperties',
      'schema at path list[1] has no valid type, OneOf, AnyOf, or AdditionalProperties',
      'schema at path list[2] has no valid type, OneOf, AnyOf, or AdditionalProperties',
    ]);
  });

  it('accepts integral numbers as integers and any number as number', () => {
    const schema = object({ i: int, f: { type: 'number' } });
    expect(messages(parseResource({ i: 3.0, f: 2 }, schema))).toEqual([]);
    expect(messages(parseResource({ f: true }, schema))).toEqual([
      'expected number type for path f, got boolean',
    ]);
  });

  it('walks int-or-string fields as string or integer', () => {
    const schema = object({
      port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    });
    expect(messages(parseResource({ port: 'http-${x}' }, schema))).toEqual([]);
    expect(messages(parseResource({ port: 80 }, schema))).toEqual([]);
    expect(messages(parseResource({ port: 1.5 }, schema))).toEqual([
      'expected string or integer type for path port, got float64',
    ]);
    // Like kro, the extension alone is not a type: the schema needs type, anyOf or oneOf as well.
    expect(
      messages(parseResource({ port: 80 }, object({ port: { 'x-kubernetes-int-or-string': true } }))),
    ).toEqual(['schema at path port has no valid type, OneOf, AnyOf, or AdditionalProperties']);
  });

  it('follows additionalProperties the way kro does', () => {
    // A schema: used for every key.
    expect(messages(parseResource({ a: 'x' }, { type: 'object', additionalProperties: str }))).toEqual([]);
    // `true` stands for the empty schema, which kro then rejects.
    expect(messages(parseResource({ a: 'x' }, { type: 'object', additionalProperties: true }))).toEqual([
      'schema at path a has no valid type, OneOf, AnyOf, or AdditionalProperties',
    ]);
    // `false`: no schema for unknown keys.
    expect(messages(parseResource({ a: 'x' }, { type: 'object', additionalProperties: false }))).toEqual([
      'error getting field schema for path .a: schema not found for field a',
    ]);
    // Without a type, additionalProperties makes the field untyped ("any"), which is not "array".
    expect(messages(parseResource({ a: [1] }, object({ a: { additionalProperties: str } })))).toEqual([
      'expected any type for path a, got array',
    ]);
  });

  it('does not mistake inherited object members for declared properties', () => {
    expect(messages(parseResource({ constructor: 'x', toString: 'y' }, object({})))).toEqual([
      'error getting field schema for path .constructor: schema not found for field constructor',
      'error getting field schema for path .toString: schema not found for field toString',
    ]);
  });

  it('needs a single items schema for lists', () => {
    expect(messages(parseResource(['a'], { type: 'array', items: [str] }))).toEqual([
      'invalid array schema for path : neither Items.Schema nor Properties are defined',
    ]);
    expect(messages(parseResource(['a', '${x}'], { type: 'array', items: str }))).toEqual([]);
  });

  it('ignores allOf, like kro', () => {
    expect(messages(parseResource('x', { allOf: [str] }))).toEqual([
      'schema at path  has no valid type, OneOf, AnyOf, or AdditionalProperties',
    ]);
  });

  it('reports an untypeable schema and skips null values', () => {
    expect(messages(parseResource('x', { type: '' }))).toEqual(['unknown schema type']);
    expect(messages(parseResource({ a: null }, object({ a: int })))).toEqual([]);
  });

  it('accepts a list of types', () => {
    expect(messages(parseResource({ a: 'x' }, object({ a: { type: ['integer', 'string'] } })))).toEqual([]);
    expect(messages(parseResource({ a: false }, object({ a: { type: ['integer', 'string'] } })))).toEqual([
      'expected integer or string type for path a, got boolean',
    ]);
  });
});
