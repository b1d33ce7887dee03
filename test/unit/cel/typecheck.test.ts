import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { type CelType, celTypeFromSchema, formatCelType, listOf } from '../../../src/cel/types.js';

const deployment = celTypeFromSchema(
  {
    type: 'object',
    properties: {
      metadata: {
        type: 'object',
        properties: { name: { type: 'string' }, creationTimestamp: { type: 'string', format: 'date-time' } },
      },
      spec: { type: 'object', properties: { replicas: { type: 'integer' }, paused: { type: 'boolean' } } },
      status: {
        type: 'object',
        properties: {
          availableReplicas: { type: 'integer' },
          conditions: {
            type: 'array',
            items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
          },
        },
      },
    },
  },
  '__type_deployment',
);

const SPEC = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
};

function env(extra: [string, CelType][] = []): TypeEnv {
  return TypeEnv.create(new Map<string, CelType>([['deployment', deployment], ...extra]));
}

function typeOf(e: TypeEnv, src: string): string {
  const r = e.check(src);
  if (!r.ok) throw new Error(r.message);
  return formatCelType(r.type);
}

describe('TypeEnv', () => {
  it('types field selections from the schema', () => {
    const e = env();
    expect(typeOf(e, 'deployment.status.availableReplicas')).toBe('int');
    expect(typeOf(e, 'deployment.status.conditions')).toBe('list(__type_deployment.status.conditions.@idx)');
    expect(typeOf(e, 'deployment.status.conditions.map(c, c.type)')).toBe('list(string)');
    expect(typeOf(e, 'deployment.?spec.replicas')).toBe('optional_type(int)');
  });

  it("reports an unknown field in cel-go's words, with its offset", () => {
    const r = env().check('deployment.spec.replicaz > 1');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toBe("undefined field 'replicaz'");
    expect(r.start).toBe(16);
  });

  it('reports selecting a field of a scalar', () => {
    const r = env().check('deployment.metadata.name.first');
    expect(!r.ok && r.message).toBe("type 'string' does not support field selection");
  });

  it('allows comparing messages and timestamps with null, as cel-go does', () => {
    const e = env();
    expect(typeOf(e, 'deployment.status != null')).toBe('bool');
    expect(typeOf(e, 'deployment.metadata.creationTimestamp != null')).toBe('bool');
    expect(e.check('deployment.spec.replicas == null').ok).toBe(false);
  });

  // Verdicts and messages are cel-go's (kro v0.9.3's environment, the CEL oracle of docs/cel.md, on
  // the same expressions with `schema` typed from a SimpleSchema): its `_==_` and `_!=_` take any two
  // operands of one type, dyn standing for any type and null for an object.
  it.each([
    'deployment.spec == deployment.spec',
    'deployment.spec != deployment.spec',
    'deployment.metadata == deployment.metadata',
    'deployment == deployment',
    'deployment.spec == dyn(deployment.spec)',
    'dyn(deployment.spec) != deployment.spec',
    'deployment.spec != dyn(1)',
    'deployment.spec == null',
    '(deployment.spec == deployment.spec ? 1 : 2) == 1',
    'deployment.status.conditions.exists(c, c == deployment.status.conditions[0])',
    'deployment.spec in [deployment.spec, deployment.spec]',
    '[deployment.spec] == [deployment.spec]',
    "{'k': deployment.spec} == {'k': deployment.spec}",
    '(true ? deployment.spec : deployment.spec) == deployment.spec',
    "{'a': deployment.spec}['a'] != deployment.spec",
  ])('checks %s as bool, as cel-go compares two values of one object type', (src) => {
    expect(typeOf(env(), src)).toBe('bool');
  });

  it.each([
    ['deployment.spec == deployment.status', '_==_', '(__type_deployment.spec, __type_deployment.status)'],
    ['deployment.spec != deployment', '_!=_', '(__type_deployment.spec, __type_deployment)'],
    ['deployment.spec == {}', '_==_', '(__type_deployment.spec, map(dyn, dyn))'],
    ["{'replicas': 1} == deployment.spec", '_==_', '(map(string, int), __type_deployment.spec)'],
    ['deployment.spec == 1', '_==_', '(__type_deployment.spec, int)'],
    ["'a' != deployment.spec", '_!=_', '(string, __type_deployment.spec)'],
    [
      'deployment.spec == optional.of(deployment.spec)',
      '_==_',
      '(__type_deployment.spec, optional_type(__type_deployment.spec))',
    ],
    [
      'deployment.spec in [deployment.status]',
      '@in',
      '(__type_deployment.spec, list(__type_deployment.status))',
    ],
  ])('refuses %s as cel-go does (no overload of %s for %s)', (src, fn, args) => {
    const r = env().check(src);
    expect(!r.ok && r.message).toBe(`found no matching overload for '${fn}' applied to '${args}'`);
  });

  it('checks lists, maps and conditionals of one object type as before', () => {
    const e = env();
    expect(typeOf(e, '[deployment.spec, deployment.spec]')).toBe('list(__type_deployment.spec)');
    expect(typeOf(e, "{'a': deployment.spec, 'b': deployment.spec}")).toBe(
      'map(string, __type_deployment.spec)',
    );
    expect(typeOf(e, 'true ? deployment.spec : deployment.spec')).toBe('__type_deployment.spec');
    expect(typeOf(e, 'has(deployment.spec.replicas) && deployment.spec == deployment.spec')).toBe('bool');
  });

  it('keeps the equality it adds to one environment out of the others', () => {
    const first = env();
    expect(first.check('deployment.spec == deployment.spec').ok).toBe(true);
    const child = first.extend(new Map([['other', deployment]]));
    expect(typeOf(child, 'other.status != deployment.status')).toBe('bool');
    expect(child.check('other.status == deployment.spec').ok).toBe(false);
    expect(env().check('deployment.spec == 1').ok).toBe(false);
  });

  it('extends with iterator variables without disturbing the parent', () => {
    const parent = env();
    const child = parent.extend(new Map([['region', listOf(deployment)]]));
    expect(typeOf(child, 'region.size()')).toBe('int');
    expect(parent.check('region').ok).toBe(false);
    expect(typeOf(parent, 'deployment.spec.paused')).toBe('bool');
  });

  it('types type() of declared object types, which share one overload (KroEnvironment.declareObjectTypes)', () => {
    const e = env([['pods', listOf(deployment)]]);
    expect(typeOf(e, 'type(deployment)')).toBe('type(__type_deployment)');
    expect(typeOf(e, 'type(deployment.status.conditions[0])')).toBe(
      'type(__type_deployment.status.conditions.@idx)',
    );
    expect(typeOf(e, 'type(pods)')).toBe('type(list(__type_deployment))');
    expect(typeOf(e, 'type(optional.of(deployment.spec))')).toBe(
      'type(optional_type(__type_deployment.spec))',
    );
    expect(typeOf(e, 'type(deployment.spec.replicas)')).toBe('type(int)');
    expect(typeOf(e, 'type(deployment.metadata) == type(deployment.spec)')).toBe('bool');
    expect(typeOf(e, '[deployment.spec].map(x, type(x))')).toBe('list(type)');
    expect(outcome(e, 'string(type(deployment.spec))')).toMatchObject({
      message: "found no matching overload for 'string' applied to '(type)'",
    });
  });

  it('declares object types without an overload each, so declaring them is linear', () => {
    // The library registers and checks a `type(T)` overload per type against all earlier ones
    // unless declareObjectTypes keeps it from doing so; then the function list stays the base's.
    const functions = (e: TypeEnv) => e.kro.raw.getDefinitions().functions.length;
    const empty = TypeEnv.create(new Map());
    const many = TypeEnv.create(
      new Map(
        Array.from({ length: 50 }, (_, i): [string, CelType] => [
          `r${i}`,
          celTypeFromSchema(SPEC, `__type_r${i}`),
        ]),
      ),
    );
    expect(many.table.size).toBe(100);
    expect(functions(many)).toBe(functions(empty));
    expect(typeOf(many, 'r49.spec.replicas')).toBe('int');
    expect(typeOf(many, 'type(r49.spec)')).toBe('type(__type_r49.spec)');
  });

  it('declares object types in bulk only in typing environments', () => {
    expect(() => createKroEnvironment().declareObjectTypes(() => undefined)).toThrow(/typing environment/);
  });

  it('marks parse errors as such', () => {
    const r = env().check('deployment.spec.(');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.parseError).toBe(true);
  });
});

// A check's result type, or its error as reported.
function outcome(e: TypeEnv, src: string) {
  const r = e.check(src);
  return r.ok ? formatCelType(r.type) : { message: r.message, start: r.start, parseError: r.parseError };
}

/** One test per source: `partial` checks it as `whole` does. */
function checksAsWhole(partial: () => TypeEnv, whole: () => TypeEnv, sources: readonly string[]): void {
  it.each(sources)('checks %s as the whole types do', (src) => {
    expect(outcome(partial(), src)).toEqual(outcome(whole(), src));
  });
}

// With `uses`, only the parts of the types the listed paths reach are declared; every result must
// be what checking against the whole types gives, including for expressions reading other paths.
describe('TypeEnv with declared uses', () => {
  const uses = new Map([['deployment', [['status', 'availableReplicas'], ['spec']]]]);
  const partial = () => TypeEnv.create(new Map<string, CelType>([['deployment', deployment]]), { uses });
  const sources = [
    'deployment.status.availableReplicas',
    'deployment.spec',
    'deployment.spec.replicas + 1',
    'deployment.?spec.replicas',
    'deployment.status.availableReplicaz',
    // outside the declared paths: checked against the whole types
    'deployment.status',
    'deployment.status.conditions.map(c, c.type)',
    'deployment.metadata.name',
    'deployment',
    'deployment.metadata.name.first',
    'deployment.status != null',
    'deployment.spec == deployment.spec',
    'deployment.status != dyn(deployment.status)',
    'deployment.status == deployment.spec',
    'deployment.spec.(',
  ];
  checksAsWhole(partial, () => env(), sources);

  it('reads result types back whole', () => {
    const r = partial().check('deployment.spec');
    expect(r.ok && r.type).toEqual(deployment.kind === 'object' ? deployment.fields['spec'] : undefined);
  });

  it('checks extended and library environments the same way', () => {
    const child = partial().extend(new Map([['each', deployment]]));
    const whole = env().extend(new Map([['each', deployment]]));
    for (const src of ['each.status.availableReplicas', 'each.status.conditions[0].type', 'each.metadata'])
      expect(outcome(child, src)).toEqual(outcome(whole, src));
  });
});

// A collection (a list of a kind) that the expressions only count is declared by its shape, without
// the kind's fields; everything else is checked against the whole types, with the same results.
describe('TypeEnv with a counted collection', () => {
  const uses = new Map([['pods', [[]]]]);
  const vars = () => new Map<string, CelType>([['pods', listOf(deployment)]]);
  const partial = () => TypeEnv.create(vars(), { uses });
  const whole = () => TypeEnv.create(vars());
  const sources = [
    'pods.size()',
    'size(pods)',
    'string(pods.size())',
    'pods.size() > 0 ? pods[0].metadata.name : ""',
    'pods.map(p, p.metadata.name)',
    'pods.map(p, p.metadata.nam)',
    'pods',
    'pods[0]',
    'pods[0].status.conditions',
    '[1].map(pods, pods.size())',
    'pods.size(1)',
    'pods.all(p, p.spec.replicas > 0)',
  ];
  checksAsWhole(partial, whole, sources);

  it('reads a whole collection back whole', () => {
    const r = partial().check('pods');
    expect(r.ok && r.type).toEqual(listOf(deployment));
  });
});
