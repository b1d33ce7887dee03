// A TypeEnv declares its variables in the library only when an expression needs the library; until
// then it answers from its plan (the table, the registered parts, the names taken). Every answer
// here is compared with the same environment made at once (reading `kro` right after creating it
// declares everything there and then, as TypeEnv always did), so the library is the reference.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment, typingNames } from '../../../src/cel/environment.js';
import { kroRuntimeLibrary } from '../../../src/cel/lib/kro-runtime.js';
import { internalsOf } from '../../../src/cel/registration.js';
import { type CheckResult, TypeEnv } from '../../../src/cel/typecheck.js';
import {
  type CelType,
  celTypeFromSchema,
  listOf,
  type OpenApiSchema,
  STRING,
} from '../../../src/cel/types.js';

const SCHEMA: OpenApiSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        name: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' }, url: { type: 'string' } } },
  },
};

const app = (name: string) => celTypeFromSchema(SCHEMA, `__type_${name}`);

// Names a fresh typing environment already declares: library constants (`json`, `optional`),
// type names (`int`, `map`); `app` twice (the second declaration is refused).
const VARS = (): Map<string, CelType> =>
  new Map<string, CelType>([
    ['app', app('app')],
    ['json', app('json')],
    ['optional', app('optional')],
    ['int', STRING],
    ['map', listOf(app('map'))],
    ['plain', { kind: 'dyn' }],
  ]);

const USES = new Map([
  [
    'app',
    [
      ['spec', 'replicas'],
      ['spec', 'ports'],
    ],
  ],
  ['json', [['status']]],
  ['map', [[]]],
]);

const EXPRESSIONS = [
  'app.spec.replicas',
  'app.spec.replicas + 1',
  'app.spec.name + "-x"',
  'app.status.ready',
  'app.spec.ports.map(p, p.port)',
  'app.spec.ports.size() > 0',
  'app.spec.replicaz',
  'json.status.url',
  'json.encode(app.spec.replicas)',
  'optional.spec.name',
  'optional.of(app.spec.name)',
  'int + "x"',
  'int(app.spec.name)',
  'map[0].spec.tags',
  'map.size()',
  'type(app) == map',
  'plain.anything',
  'missing.x',
  'app.spec.replicas ==',
];

type Answer = { ok: boolean; type?: CelType; message?: string; start?: number; end?: number };

function answer(r: CheckResult): Answer {
  return r.ok
    ? { ok: true, type: r.type }
    : { ok: false, message: r.message, ...(r.start === undefined ? {} : { start: r.start, end: r.end }) };
}

// The same environment made at once: `kro` read (and so every variable declared) on creation.
function atOnce(env: TypeEnv): TypeEnv {
  void env.kro;
  return env;
}

const environments: [string, (made: (e: TypeEnv) => TypeEnv) => TypeEnv][] = [
  ['whole types', (made) => made(TypeEnv.create(VARS()))],
  ['declared uses', (made) => made(TypeEnv.create(VARS(), { uses: USES }))],
  [
    'an extended environment',
    (made) => made(made(TypeEnv.create(new Map([['app', app('app')]]), { uses: USES })).extend(VARS())),
  ],
  [
    'with the runtime library',
    (made) => made(made(TypeEnv.create(VARS())).withLibrary(kroRuntimeLibrary)).extend(VARS()),
  ],
  ['x-kubernetes-validations rules', (made) => made(TypeEnv.create(VARS(), { crdRules: true }))],
];

describe.each(environments)('variables declared when first needed (%s)', (_, make) => {
  it.each(EXPRESSIONS)('%s: as an environment declared at once answers', (expr) => {
    expect(answer(make((e) => e).check(expr))).toEqual(answer(make(atOnce).check(expr)));
  });

  it('refuses the same names', () => {
    expect(make((e) => e).undeclared).toEqual(make(atOnce).undeclared);
  });

  it('answers every expression in turn as one declared at once', () => {
    const deferred = make((e) => e);
    const reference = make(atOnce);
    for (const expr of EXPRESSIONS) {
      expect(answer(deferred.check(expr)), expr).toEqual(answer(reference.check(expr)));
    }
  });
});

describe('variables declared when first needed', () => {
  it('a parent checked after its child was made answers as before', () => {
    const parent = TypeEnv.create(VARS(), { uses: USES });
    const child = parent.extend(new Map([['item', app('item')]]));
    expect(answer(child.check('item.spec.replicas + app.spec.replicas'))).toEqual({
      ok: true,
      type: { kind: 'primitive', name: 'int' },
    });
    expect(answer(parent.check('item.spec.replicas'))).toEqual(
      answer(atOnce(TypeEnv.create(VARS(), { uses: USES })).check('item.spec.replicas')),
    );
    expect(answer(parent.check('app.spec.replicas + 1'))).toEqual({
      ok: true,
      type: { kind: 'primitive', name: 'int' },
    });
  });

  it('a child declares what its parent took, refusing it again', () => {
    const parent = TypeEnv.create(VARS());
    const child = parent.extend(
      new Map<string, CelType>([
        ['json', STRING],
        ['each', STRING],
      ]),
    );
    expect(child.undeclared).toEqual(['json']);
    expect(child.kro.isDeclared('each')).toBe(true);
    expect(answer(child.check('each + json.status.url'))).toEqual({ ok: true, type: STRING });
  });
});

describe('typingNames', () => {
  it.each([
    ['plain', {}],
    ['omit', { omit: true }],
    ['x-kubernetes-validations rules', { crdRules: true }],
  ])('lists what a fresh typing environment declares (%s)', (_, opts) => {
    const fresh = createKroEnvironment({ ...opts, typing: true });
    const names = typingNames(opts);
    expect([...names.declared].sort()).toEqual([...internalsOf(fresh.raw).registry.variables.keys()].sort());
    for (const name of names.declared) {
      expect(fresh.canDeclare(name), name).toBe(names.constants.has(name));
      expect(fresh.isLibraryConstant(name), name).toBe(names.constants.has(name));
    }
  });
});
