import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { JsonObject } from '../../../src/rgd/model.js';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import { fieldOf, type SchemaNode, type StructNode } from '../../../src/schema/model.js';
import { specToOpenAPI } from '../../../src/schema/openapi.js';
import { yamlLocator } from './fixtures.js';

function build(spec: JsonObject | null, types: JsonObject | null = null) {
  return buildInstanceSchema({ spec, types });
}

function ok(spec: JsonObject | null, types: JsonObject | null = null) {
  const r = build(spec, types);
  expect(r.diagnostics).toEqual([]);
  return r.schema;
}

function messages(spec: JsonObject | null, types: JsonObject | null = null): string[] {
  return build(spec, types).diagnostics.map((d) => d.message);
}

function field(node: SchemaNode, ...names: string[]): SchemaNode {
  let cur = node;
  for (const n of names) {
    if (cur.kind !== 'struct') throw new Error(`${n}: not a struct`);
    const next = fieldOf(cur, n);
    if (!next) throw new Error(`no field ${n}`);
    cur = next;
  }
  return cur;
}

describe('schema model', () => {
  it('maps each SimpleSchema type to a node kind', () => {
    const s = ok({
      s: 'string',
      i: 'integer',
      b: 'boolean',
      f: 'float',
      o: 'object',
      a: '[]string',
      m: 'map[string]integer',
      n: { x: 'string' },
    });
    expect(s.spec.fields.map((f) => [f.name, f.node.kind])).toEqual([
      ['s', 'string'],
      ['i', 'integer'],
      ['b', 'boolean'],
      ['f', 'float'],
      ['o', 'object'],
      ['a', 'array'],
      ['m', 'map'],
      ['n', 'struct'],
    ]);
    const a = field(s.spec, 'a');
    expect(a.kind === 'array' && a.items.kind).toBe('string');
    const m = field(s.spec, 'm');
    expect(m.kind === 'map' && m.values.kind).toBe('integer');
  });

  it('does not know number, int or bool', () => {
    expect(messages({ a: 'number', b: 'int', c: 'bool' })).toEqual([
      'spec.a: unknown type: number',
      'spec.b: unknown type: int',
      'spec.c: unknown type: bool',
    ]);
  });

  it('accepts a custom type named like a missing keyword', () => {
    const s = ok({ n: 'number' }, { number: 'float | minimum=0' });
    expect(field(s.spec, 'n')).toMatchObject({ kind: 'float', minimum: 0, typeName: 'number' });
  });

  it('allows 16 levels of nesting and no more', () => {
    expect(build({ a: `${'[]'.repeat(16)}string` }).diagnostics).toEqual([]);
    expect(messages({ a: `${'[]'.repeat(16)}map[string]string` })).toEqual([
      'spec.a: type nesting too deep (max 16): "string"',
    ]);
  });

  it('insists on the exact map[string] spelling', () => {
    expect(messages({ a: 'map[integer]string', b: 'map[string]', c: 'map[ string]x' })).toEqual([
      'spec.a: map key must be string',
      'spec.b: map value type is required',
      'spec.c: map key must be string',
    ]);
    expect(field(ok({ a: 'map[string]  string' }).spec, 'a').kind).toBe('map');
  });

  it('keeps marker values on the node, parsed', () => {
    const s = ok({
      name: 'string | required=true description="The name" pattern="^[a-z]+$" minLength=1 maxLength=63',
      size: 'integer | default=3 minimum=1 maximum=5 enum="1,3,5"',
      ratio: 'float | default=0.5',
      on: 'boolean | default=true',
      tags: '[]string | uniqueItems=true minItems=1 maxItems=3',
      ports: '[]object | listType=map listMapKey=name listMapKey=protocol',
      id: 'string | immutable=true validation="self.size() > 2"',
    });
    expect(field(s.spec, 'name')).toMatchObject({
      kind: 'string',
      required: true,
      description: 'The name',
      pattern: '^[a-z]+$',
      minLength: 1,
      maxLength: 63,
    });
    expect(field(s.spec, 'size')).toMatchObject({ default: 3, minimum: 1, maximum: 5, enum: [1, 3, 5] });
    expect(field(s.spec, 'ratio')).toMatchObject({ default: 0.5 });
    expect(field(s.spec, 'on')).toMatchObject({ default: true });
    expect(field(s.spec, 'tags')).toMatchObject({ listType: 'set', minItems: 1, maxItems: 3 });
    expect(field(s.spec, 'ports')).toMatchObject({ listType: 'map', listMapKeys: ['name', 'protocol'] });
    expect(field(s.spec, 'id')).toMatchObject({
      immutable: true,
      validations: [
        { rule: 'self == oldSelf', message: 'field is immutable' },
        { rule: 'self.size() > 2', message: 'validation failed' },
      ],
    });
    expect(s.spec.requiredFields).toEqual(['name']);
  });

  it('records source paths: the field string, or the type definition for inlined fields', () => {
    const s = buildInstanceSchema({
      spec: { app: 'App', tags: '[]string' },
      types: { App: { port: 'integer' } },
      at: ['spec', 'schema'],
    }).schema;
    expect(field(s.spec, 'app').path).toEqual(['spec', 'schema', 'spec', 'app']);
    expect(field(s.spec, 'app', 'port').path).toEqual(['spec', 'schema', 'types', 'App', 'port']);
    const tags = field(s.spec, 'tags');
    expect(tags.kind === 'array' && tags.items.path).toEqual(['spec', 'schema', 'spec', 'tags']);
    expect(s.spec.path).toEqual(['spec', 'schema', 'spec']);
  });

  it('treats an absent spec as an object without fields', () => {
    const s = ok(null);
    expect(s.spec.fields).toEqual([]);
    expect(specToOpenAPI(s)).toEqual({ type: 'object' });
  });
});

describe('custom types', () => {
  it('inlines struct types and names them', () => {
    const s = ok(
      { db: 'Database', dbs: '[]Database' },
      { Database: { host: 'string', port: 'integer | default=5432' } },
    );
    const db = field(s.spec, 'db');
    expect(db).toMatchObject({ kind: 'struct', typeName: 'Database', default: {} });
    expect(field(db, 'port')).toMatchObject({ default: 5432 });
    const dbs = field(s.spec, 'dbs');
    expect(dbs.kind === 'array' && dbs.items.typeName).toBe('Database');
    expect(s.types.map((t) => t.name)).toEqual(['Database']);
  });

  it('makes fields required when their alias says required=true, but not through [] or maps', () => {
    const s = ok(
      { a: 'Name', b: '[]Name', c: 'map[string]Name', d: 'Alias' },
      { Name: 'string | required=true minLength=1', Alias: 'Name' },
    );
    expect(s.spec.requiredFields).toEqual(['a', 'd']);
    expect(field(s.spec, 'a')).toMatchObject({
      kind: 'string',
      minLength: 1,
      required: true,
      typeName: 'Name',
    });
    expect(field(s.spec, 'b').required).toBe(false);
    expect(s.types.find((t) => t.name === 'Alias')?.node.required).toBe(true);
  });

  it('lists a field once when both its alias and its markers require it', () => {
    expect(ok({ a: 'Name | required=true' }, { Name: 'string | required=true' }).spec.requiredFields).toEqual(
      ['a'],
    );
  });

  it('applies markers at the use site on top of the type, checking them together', () => {
    const types = { Port: 'integer | default=8080 minimum=1', Items: '[]object | uniqueItems=true' };
    const s = ok({ p: 'Port | default=9090 description="port"' }, types);
    expect(field(s.spec, 'p')).toMatchObject({
      default: 9090,
      minimum: 1,
      description: 'port',
      typeName: 'Port',
    });
    // The type keeps its own default; the use site only changed its copy.
    expect(ok({ p: 'Port' }, types).types.find((t) => t.name === 'Port')?.node.default).toBe(8080);
    expect(messages({ i: 'Items | listType=map' }, types)).toEqual([
      'spec.i: listType attempting to overwrite set type of set, this can happen if you set contradictory markers like uniqueItems=true listType=map',
    ]);
  });

  it('resolves types that use types declared later', () => {
    const s = ok({ a: 'A' }, { A: { b: 'B' }, B: { c: '[]C' }, C: 'string' });
    const c = field(s.spec, 'a', 'b', 'c');
    expect(c.kind === 'array' && c.items.typeName).toBe('C');
  });

  it('reports cycles with the path, once per type that closes one', () => {
    expect(messages({ x: 'string' }, { TypeA: 'TypeB', TypeB: 'TypeA' })).toEqual([
      'types.TypeB: cyclic dependency in type TypeB: graph contains a cycle: TypeA -> TypeB -> TypeA',
    ]);
    expect(messages({ x: 'string' }, { A: { b: '[]B' }, B: { c: 'map[string]C' }, C: { a: 'A' } })).toEqual([
      'types.C: cyclic dependency in type C: graph contains a cycle: A -> B -> C -> A',
    ]);
    expect(messages({ x: 'string' }, { Node: { children: '[]Node' } })).toEqual([
      'types.Node.children: type Node refers to itself: self references are not allowed',
    ]);
  });

  it('reports unknown types in definitions and skips what depends on a broken type quietly', () => {
    expect(messages({ a: 'A', b: 'B' }, { A: { x: 'Missing' }, B: { a: 'A' } })).toEqual([
      'types.A.x: unknown type: Missing',
    ]);
  });

  it('reports problems in unused types too, as kro builds every type', () => {
    expect(messages({ a: 'string' }, { Bad: 'string | minLength=abc', Worse: 42 })).toEqual([
      'types.Worse: unexpected type: number (a field is a SimpleSchema type string or a map of fields)',
      'types.Bad: failed to parse minLength value: "abc" is not a valid integer',
    ]);
  });
});

describe('defaults', () => {
  it('gives an object `{}` when a child has a default and nothing is required, up to spec', () => {
    const s = ok({ outer: { inner: { x: 'integer | default=1' }, y: 'string' } });
    expect(s.spec.default).toEqual({});
    expect(field(s.spec, 'outer').default).toEqual({});
    expect(field(s.spec, 'outer', 'inner').default).toEqual({});
  });

  it('gives no `{}` to an object with a required field', () => {
    const s = ok({ outer: { x: 'integer | default=1', y: 'string | required=true' } });
    expect(field(s.spec, 'outer').default).toBeUndefined();
    expect(s.spec.default).toBeUndefined();
  });

  it('keeps string defaults as the exact marker text', () => {
    const s = ok({
      a: String.raw`string | default="say \"hi\""`,
      b: String.raw`string | default="C:\\dir"`,
      c: String.raw`string | default="line\nbreak"`,
      d: 'string | default=""',
      e: 'string | default=plain',
    });
    expect(field(s.spec, 'a').default).toBe('say "hi"');
    expect(field(s.spec, 'b').default).toBe('C:\\dir');
    expect(field(s.spec, 'c').default).toBe('line\\nbreak');
    expect(field(s.spec, 'd').default).toBe('');
    expect(field(s.spec, 'e').default).toBe('plain');
    // In the CRD they are JSON strings, whatever they contain.
    expect(JSON.stringify(specToOpenAPI(s))).toContain(String.raw`"default":"say \"hi\""`);
  });

  it('reads numbers and booleans with Go rules and stores their value', () => {
    const s = ok({
      i: 'integer | default=+5',
      z: 'integer | default=007',
      f: 'float | default=1e3',
      h: 'float | default=0x1p-2',
      t: 'boolean | default=True',
      o: 'boolean | default=0',
    });
    expect(field(s.spec, 'i').default).toBe(5);
    expect(field(s.spec, 'z').default).toBe(7);
    expect(field(s.spec, 'f').default).toBe(1000);
    expect(field(s.spec, 'h').default).toBe(0.25);
    expect(field(s.spec, 't').default).toBe(true);
    expect(field(s.spec, 'o').default).toBe(false);
  });

  it('rejects values Go would not parse, and NaN/Inf, which JSON cannot carry', () => {
    expect(
      messages({
        a: 'integer | default=1.5',
        b: 'integer | default=9223372036854775808',
        c: 'boolean | default=yes',
        d: 'float | default=NaN',
        e: 'float | minimum=inf',
        f: 'float | default=1_000',
      }),
    ).toEqual([
      'spec.a: default value must be a valid integer, got: 1.5',
      'spec.b: default value must be a valid integer, got: 9223372036854775808',
      'spec.c: default value must be a valid boolean, got: yes',
      'spec.d: default value must be a valid number, got: NaN',
      'spec.e: failed to parse minimum value: "inf" is not a valid finite number',
      'spec.f: default value must be a valid number, got: 1_000',
    ]);
  });

  it('parses object, array and custom defaults as JSON and checks them against the schema', () => {
    const s = ok(
      { o: 'object | default={"a": 1}', l: '[]integer | default=[1, 2]', c: 'Cfg | default={"port": 1}' },
      { Cfg: { port: 'integer', host: 'string | default="h"' } },
    );
    expect(field(s.spec, 'o').default).toEqual({ a: 1 });
    expect(field(s.spec, 'l').default).toEqual([1, 2]);
    expect(field(s.spec, 'c').default).toEqual({ port: 1 });
    expect(
      messages(
        {
          bad: 'object | default={a: 1}',
          kind: '[]integer | default={"a": 1}',
          item: '[]integer | default=[1, "x"]',
          enum: 'string | enum="a,b" default="c"',
          unknown: 'Cfg | default={"nope": 1}',
          req: 'Req | default={}',
        },
        { Cfg: { port: 'integer' }, Req: { name: 'string | required=true' } },
      ),
    ).toEqual([
      'spec.bad: default value must be valid JSON, got: {a: 1}',
      'spec.kind: default value expected array, got object',
      'spec.item: default value at [1] expected integer, got string',
      'spec.enum: default value must be one of "a", "b"',
      'spec.unknown: default value at nope unknown field',
      'spec.req: default value missing required field "name"',
    ]);
  });

  it('checks scalar defaults against every marker that bounds them, whatever the order', () => {
    expect(
      messages({
        min: 'integer | default=-1 minimum=0',
        max: 'integer | maximum=5 default=6',
        ienum: 'integer | enum="1,2" default=3',
        fmin: 'float | minimum=1 default=0.5',
        pattern: 'string | default="abc" pattern="^x"',
        short: 'string | minLength=4 default="abc"',
        long: 'string | default="abcdef" maxLength=2',
        smin: 'string | minimum=1 default="a"',
        fine: 'string | default="abc" description="x"',
        flag: 'boolean | default=true',
        n: 'integer | default=7',
      }),
    ).toEqual([
      'spec.min: default value must be greater than or equal to 0',
      'spec.max: default value must be less than or equal to 5',
      'spec.ienum: default value must be one of 1, 2',
      'spec.fmin: default value must be greater than or equal to 1',
      'spec.pattern: default value must match pattern "^x"',
      'spec.short: default value must be at least 4 characters long',
      'spec.long: default value must be at most 2 characters long',
    ]);
  });
});

describe('diagnostics', () => {
  const text = [
    'apiVersion: kro.run/v1alpha1',
    'kind: ResourceGraphDefinition',
    'spec:',
    '  schema:',
    '    spec:',
    '      replicas: integer | minimum=0 default=abc',
    '      name: string | bogus=1',
    '      nested:',
    '        deep: "[]Missing"',
    '      count: 3',
    '    types:',
    '      A: B',
    '      B: A',
    '',
  ].join('\n');
  const raw = parse(text) as { spec: { schema: { spec: JsonObject; types: JsonObject } } };

  it('point at the offending marker, type or value, and report every error', () => {
    const r = buildInstanceSchema({
      spec: raw.spec.schema.spec,
      types: raw.spec.schema.types,
      loc: yamlLocator(text, 'rgd.yaml'),
      at: ['spec', 'schema'],
    });
    const got = r.diagnostics.map((d) => [d.pos?.line, d.pos?.col, d.code, d.message]);
    expect(got).toEqual([
      [
        13,
        7,
        'schema/type-cycle',
        'types.B: cyclic dependency in type B: graph contains a cycle: A -> B -> A',
      ],
      [6, 37, 'schema/invalid-default', 'spec.replicas: default value must be a valid integer, got: abc'],
      [7, 22, 'schema/unknown-marker', 'spec.name: invalid marker key "bogus": unknown marker: bogus'],
      [9, 16, 'schema/unknown-type', 'spec.nested.deep: unknown type: Missing'],
      [
        10,
        14,
        'schema/unexpected-value',
        'spec.count: unexpected type: number (a field is a SimpleSchema type string or a map of fields)',
      ],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.pos?.file === 'rgd.yaml')).toBe(true);
  });

  it('leaves broken fields out of the model and keeps the rest', () => {
    const r = buildInstanceSchema({ spec: raw.spec.schema.spec, types: raw.spec.schema.types });
    expect(r.schema.spec.fields.map((f) => f.name)).toEqual(['replicas', 'nested']);
    expect((field(r.schema.spec, 'nested') as StructNode).fields).toEqual([]);
  });
});
