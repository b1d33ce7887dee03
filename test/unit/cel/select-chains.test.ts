// TypeEnv.check reads the type of a plain select chain (`schema.spec.name`) off the declared types
// instead of asking the library. Every chain here is also checked in parentheses, which the fast
// path does not take, so the library's answer is the reference.
import { describe, expect, it } from 'vitest';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { type CelType, celTypeFromSchema, type OpenApiSchema } from '../../../src/cel/types.js';

const SCHEMA: OpenApiSchema = {
  type: 'object',
  properties: {
    metadata: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        creationTimestamp: { type: 'string', format: 'date-time' },
      },
    },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        ratio: { type: 'number' },
        paused: { type: 'boolean' },
        data: { type: 'string', format: 'byte' },
        timeout: { type: 'string', format: 'duration' },
        port: { 'x-kubernetes-int-or-string': true },
        untyped: {},
        tags: { type: 'array', items: { type: 'string' } },
        nested: {
          type: 'object',
          properties: { deep: { type: 'object', properties: { value: { type: 'string' } } } },
        },
        groups: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { size: { type: 'integer' } } },
        },
        values: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { log: { type: 'object', properties: { level: { type: 'string' } } } },
        },
        containers: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
    },
    status: {
      type: 'object',
      properties: { ready: { type: 'boolean' }, url: { type: 'string' } },
    },
  },
};

const CHAINS = [
  'app',
  'app.metadata',
  'app.metadata.name',
  'app.metadata.namespace',
  'app.metadata.labels',
  'app.metadata.labels.team',
  'app.metadata.creationTimestamp',
  'app.spec.replicas',
  'app.spec.ratio',
  'app.spec.paused',
  'app.spec.data',
  'app.spec.timeout',
  'app.spec.port',
  'app.spec.port.anything',
  'app.spec.untyped',
  'app.spec.untyped.more.fields',
  'app.spec.tags',
  'app.spec.nested.deep.value',
  'app.spec.groups',
  'app.spec.groups.blue',
  'app.spec.groups.blue.size',
  'app.spec.values',
  'app.spec.values.log',
  'app.spec.values.log.level',
  'app.spec.values.anything.at.all',
  'app.spec.containers',
  'app.status.url',
  'unknown',
  'unknown.metadata.name',
];

// Chains the library refuses or types some other way: answered by the library either way.
const REFUSED = [
  'app.spec.replicaz',
  'app.spec.replicas.x',
  'app.spec.tags.first',
  'app.spec.containers.name',
  'app.spec.nested.deep.value.length',
  'app.spec.groups.blue.sise',
  'missing.field',
  'app.in',
  'app.null',
  'unknown.x.true',
  'app.spec.values.x.in',
  'app.spec.port.prototype',
];

const APP = celTypeFromSchema(SCHEMA, '__type_app');
const vars = (): Map<string, CelType> =>
  new Map<string, CelType>([
    ['app', APP],
    ['unknown', { kind: 'dyn' }],
  ]);

// The chain's answer from the library itself (the fast path takes no parenthesised text).
function reference(env: TypeEnv, chain: string) {
  const r = env.check(`(${chain})`);
  if (!r.ok) return { ok: false, message: r.message };
  return { ok: true, type: r.type };
}

function answer(env: TypeEnv, chain: string) {
  const r = env.check(chain);
  if (!r.ok) return { ok: false, message: r.message };
  return { ok: true, type: r.type };
}

// Whether the answer was read off the declared types: the library's answers carry their tree.
const readOff = (env: TypeEnv, chain: string) => {
  const r = env.check(chain);
  return r.ok && !Object.hasOwn(r, 'ast');
};

const environments: [string, () => TypeEnv][] = [
  ['whole types', () => TypeEnv.create(vars())],
  [
    'declared uses',
    () =>
      TypeEnv.create(vars(), {
        uses: new Map([
          ['app', [['spec', 'replicas'], ['metadata'], ['spec', 'values'], ['spec', 'groups']]],
          ['unknown', [[]]],
        ]),
      }),
  ],
  ['an extended environment', () => TypeEnv.create(new Map()).extend(vars())],
  ['x-kubernetes-validations rules', () => TypeEnv.create(vars(), { crdRules: true })],
];

describe.each(environments)('select chains read off the declared types (%s)', (_, make) => {
  it.each(CHAINS)('%s: as the library types it', (chain) => {
    const env = make();
    expect(answer(env, chain)).toEqual(reference(make(), chain));
  });

  it.each(REFUSED)('%s: as the library answers', (chain) => {
    const env = make();
    expect(answer(env, chain)).toEqual(reference(make(), chain));
    expect(readOff(env, chain)).toBe(false);
  });
});

describe('select chains read off the declared types', () => {
  it('takes the chains of declared objects, maps and dyn without the library', () => {
    const env = TypeEnv.create(vars());
    for (const chain of CHAINS) expect(readOff(env, chain), chain).toBe(true);
  });

  it('still hands over the typed tree when asked for it', () => {
    const r = TypeEnv.create(vars()).check('app.spec.replicas');
    expect(r.ok && r.ast?.op).toBe('.');
    expect(r.ok && (r.ast as unknown as { checkedType?: { name: string } }).checkedType?.name).toBe('int');
  });

  it('types a part of a type not declared in a partial environment as the whole types do', () => {
    const env = TypeEnv.create(vars(), { uses: new Map([['app', [['spec', 'replicas']]]]) });
    expect(readOff(env, 'app.spec.replicas')).toBe(true);
    expect(answer(env, 'app.status.url')).toEqual(reference(TypeEnv.create(vars()), 'app.status.url'));
    expect(answer(env, 'app.status.urls')).toEqual(reference(TypeEnv.create(vars()), 'app.status.urls'));
  });

  it('leaves variables named like a library constant to the library', () => {
    const env = TypeEnv.create(new Map<string, CelType>([['json', APP]]));
    expect(readOff(env, 'json.spec.replicas')).toBe(false);
    expect(answer(env, 'json.spec.replicas')).toEqual({ ok: true, type: { kind: 'primitive', name: 'int' } });
  });
});

// Tests on chains (readyWhen/includeWhen's usual `has(x.status.y)`, `x.status.phase == "Ready"`,
// `x.status.replicas > 0`) are typed off the declared types too: each against the library's
// answer for the same text in parentheses.
const OPERANDS = [
  '"x"',
  "'Ready'",
  '"a b-c.d/e:f"',
  '""',
  '0',
  '3',
  '12',
  '"1"',
  'true',
  'null',
  '1.5',
  '-1',
  '3u',
];
const OTHER_CHAINS = [
  'app.spec.replicas',
  'app.metadata.name',
  'app.spec.ratio',
  'app.spec.port',
  'unknown.x',
];
const OPS = ['==', '<', '<=', '>', '>=', '!='];

const TESTS = [
  ...[...CHAINS, ...REFUSED].flatMap((chain) => [
    `has(${chain})`,
    ...OPS.flatMap((op) => [...OPERANDS, ...OTHER_CHAINS].map((o) => `${chain} ${op} ${o}`)),
  ]),
  'app.spec.replicas==3',
  'app.spec.replicas>0',
  'app.metadata.name=="x"',
  'app.spec.replicas  ==  app.spec.replicas',
  'has( app.spec.replicas)',
  'has(app.spec.replicas) ',
  'app.metadata.name == "x" ',
  'app.metadata.name == "x" + "y"',
  'app.metadata.name == "x" || true',
  'app.spec.replicas > 0 && true',
  'app.spec.replicas > 01',
  'app.spec.replicas > 99999999999999999999',
  'app.spec.replicas > 9223372036854775807',
  'app.metadata.name == "a\\"b"',
  'app.metadata.name == r"x"',
  'app.metadata.name == b"x"',
  'app.metadata.name == """x"""',
  'app.metadata.name == "ü"',
];

describe.each(environments)('tests on select chains read off the declared types (%s)', (_, make) => {
  it('types each as the library does', () => {
    const env = make();
    for (const test of TESTS) expect(answer(env, test), test).toEqual(reference(make(), test));
  });
});

describe('tests on select chains read off the declared types', () => {
  it('takes has(), string equality and int comparisons without the library', () => {
    const env = TypeEnv.create(vars());
    for (const test of [
      'has(app.spec.replicas)',
      'has(app.metadata.labels.team)',
      'has(unknown.x.y)',
      'has(app.spec.values.anything)',
      'app.metadata.name == "x"',
      "app.status.url == 'https://example.com/a?b=c'",
      'app.spec.replicas > 0',
      'app.spec.replicas <= 12',
      'app.spec.replicas == 3',
      'app.spec.replicas == app.spec.groups.blue.size',
      'app.metadata.name == app.status.url',
      'unknown.status.phase == "Ready"',
      'app.spec.values.x > 0',
      'app.spec.port == app.spec.replicas',
      'app.metadata.name == unknown.x',
    ]) {
      expect(readOff(env, test), test).toBe(true);
      expect(answer(env, test), test).toEqual({ ok: true, type: { kind: 'primitive', name: 'bool' } });
    }
  });

  it('leaves anything else to the library', () => {
    const env = TypeEnv.create(vars());
    for (const test of [
      'has(app)',
      'has(app.spec.replicaz)',
      'app.spec.replicas == "3"',
      'app.metadata.name > "x"',
      'app.spec.ratio > 0',
      'app.metadata.name != "x"',
      'app.metadata.name == "x" ',
      'app.spec.replicas == app.spec.ratio',
      'app.spec.paused == app.spec.paused',
      'app.metadata.name == app.spec.replicas',
      'unknown.x == 1.5',
      'unknown.x > "a"',
    ]) {
      expect(readOff(env, test), test).toBe(false);
    }
  });

  it('types a test on a part not declared in a partial environment as the whole types do', () => {
    const env = TypeEnv.create(vars(), { uses: new Map([['app', [['spec', 'replicas']]]]) });
    expect(readOff(env, 'app.spec.replicas > 0')).toBe(true);
    const whole = TypeEnv.create(vars());
    for (const test of ['has(app.status.url)', 'app.status.url == "x"', 'has(app.status.urls)']) {
      expect(answer(env, test), test).toEqual(reference(whole, test));
    }
  });
});
