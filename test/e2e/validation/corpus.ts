// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the corpus
/**
 * The validation differential's corpus: small RGDs, valid and invalid, each applied
 * to the local kro and given to `kro-gen validate` (see validation.test.ts). Cases
 * 001-012 are issue 18's items 11-15; the rest cover the checks validate claims
 * (structure, ids, SimpleSchema, references, cycles, CEL types and functions).
 * Field names avoid YAML 1.1 booleans (n, y, on, off): kro-gen reads files as
 * kubectl does, so `n:` would be the key false. A case is a compact table row; `corpusRgd` expands it into a full RGD with a
 * name and kind of its own, so all of them can be applied at once.
 */

export interface CorpusCase {
  /** Short kebab-case name; the RGD is `val-NNN-<name>`. */
  name: string;
  /** SimpleSchema spec fields (default: `{ name: 'string | default="x"' }`). */
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  scope?: 'Cluster';
  resources: unknown[];
  /** Extra fields merged into `spec.schema` (e.g. `types`, a bad `apiVersion`). */
  schema?: Record<string, unknown>;
}

/** A v1 resource of `kind` named after the instance and the id, `fields` beside its metadata. */
function v1(
  id: string,
  kind: string,
  fields: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    id,
    template: {
      apiVersion: 'v1',
      kind,
      metadata: { name: `\${schema.spec.name}-${id.toLowerCase()}` },
      ...fields,
    },
    ...extra,
  };
}

/** A ConfigMap resource template; `data` values may hold `${...}` expressions. */
const cm = (id: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown =>
  v1(id, 'ConfigMap', { data }, extra);

/** A Secret resource template. */
const secret = (id: string): unknown => v1(id, 'Secret', { stringData: { k: 'v' } });

/** A ConfigMap whose one data key is the expression given. */
const expr = (e: string, spec?: Record<string, unknown>): Omit<CorpusCase, 'name'> => ({
  ...(spec ? { spec } : {}),
  resources: [cm('cm', { v: `\${${e}}` })],
});

const NUMS = { name: 'string | default="x"', x: 'integer | default=1', r: 'float | default=0.5' };
const CFG = { name: 'string | default="x"', cfg: { host: 'string | default="h"' }, m: 'map[string]string' };
const LIST = { name: 'string | default="x"', items: '[]string | default=["a"]' };
const OBJ = {
  name: 'string | default="x"',
  flag: 'boolean | default=true',
  cfg: { host: 'string | default="h"' },
  other: { port: 'integer | default=1' },
};

export const CORPUS: CorpusCase[] = [
  // Issue 18, items 11-15.
  {
    name: 'cluster-kind-with-namespace',
    resources: [
      {
        id: 'role',
        template: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: '${schema.spec.name}-role', namespace: 'default' },
          rules: [],
        },
      },
    ],
  },
  { name: 'namespaced-without-ns-cluster-scope', scope: 'Cluster', resources: [cm('cm', { a: 'b' })] },
  { name: 'optional-select-undeclared', ...expr("schema.spec.?nosuch.orValue('x')") },
  {
    name: 'metadata-namespace-cluster-scope',
    scope: 'Cluster',
    resources: [cm('cm', { v: "${schema.metadata.?namespace.orValue('d')}" }, {})].map((r) => ({
      ...(r as object),
      template: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: '${schema.spec.name}-cm', namespace: 'default' },
        data: { v: "${schema.metadata.?namespace.orValue('d')}" },
      },
    })),
  },
  { name: 'int-less-than-double', ...expr("schema.spec.x < 1.5 ? 'a' : 'b'", NUMS) },
  { name: 'uint-less-than-int', ...expr("1u < 2 ? 'a' : 'b'") },
  { name: 'double-greater-than-int', ...expr("schema.spec.r > 0 ? 'a' : 'b'", NUMS) },
  { name: 'index-object-with-string', ...expr("schema.spec.cfg['host']", CFG) },
  {
    name: 'lowercase-builtin-kind',
    resources: [{ id: 'cm', template: { apiVersion: 'v1', kind: 'configmap', metadata: { name: 'x' } } }],
  },
  {
    name: 'unknown-builtin-kind',
    resources: [
      { id: 'cm', template: { apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } } },
    ],
  },
  { name: 'int-less-than-int', ...expr("schema.spec.x < 2 ? 'a' : 'b'", NUMS) },
  { name: 'index-map-with-string', ...expr("schema.spec.m['host']", CFG) },

  // Valid RGDs.
  { name: 'valid-plain', resources: [cm('cm', { a: 'b' })] },
  { name: 'valid-string-field', ...expr('schema.spec.name') },
  { name: 'valid-int-to-string', ...expr('string(schema.spec.x)', NUMS) },
  { name: 'valid-double-to-string', ...expr('string(schema.spec.r)', NUMS) },
  { name: 'valid-nested-object', ...expr('schema.spec.cfg.host', CFG) },
  { name: 'valid-ternary', ...expr("schema.spec.x > 1 ? 'big' : 'small'", NUMS) },
  { name: 'valid-list-join', ...expr("schema.spec.items.join(',')", LIST) },
  { name: 'valid-list-size', ...expr('string(size(schema.spec.items))', LIST) },
  { name: 'valid-map-macro', ...expr("schema.spec.items.map(i, i + '!').join(',')", LIST) },
  { name: 'valid-filter-macro', ...expr("schema.spec.items.filter(i, i != 'a').join(',')", LIST) },
  { name: 'valid-exists', ...expr("schema.spec.items.exists(i, i == 'a') ? 'y' : 'n'", LIST) },
  { name: 'valid-optional-declared', ...expr("schema.spec.?name.orValue('d')") },
  { name: 'valid-has-macro', ...expr("has(schema.spec.cfg.host) ? 'y' : 'n'", CFG) },
  { name: 'valid-string-functions', ...expr('schema.spec.name.upperAscii().trim()') },
  { name: 'valid-split-ext', ...expr("schema.spec.name.split('-')[0]") },
  { name: 'valid-format', ...expr("'%s-%d'.format([schema.spec.name, schema.spec.x])", NUMS) },
  { name: 'valid-int-arith', ...expr('string(schema.spec.x * 2 + 1)', NUMS) },
  { name: 'valid-double-arith', ...expr('string(schema.spec.r * 2.0)', NUMS) },
  { name: 'valid-metadata-name', ...expr('schema.metadata.name') },
  { name: 'valid-metadata-namespace', ...expr('schema.metadata.namespace') },
  { name: 'valid-random-string', ...expr('random.seededString(8, schema.metadata.name)') },
  { name: 'valid-base64', ...expr('base64.encode(bytes(schema.spec.name))') },
  { name: 'valid-cel-bind', ...expr('cel.bind(n, schema.spec.name, n + n)') },
  {
    name: 'valid-two-resources-reference',
    resources: [cm('first', { a: 'b' }), cm('second', { v: '${first.data.a}' })],
  },
  {
    name: 'valid-chain-of-three',
    resources: [
      cm('first', { a: 'b' }),
      cm('second', { v: '${first.data.a}' }),
      cm('third', { v: '${second.data.v + first.data.a}' }),
    ],
  },
  {
    name: 'valid-status-field',
    status: { value: '${cm.data.a}' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'valid-include-when',
    spec: { name: 'string | default="x"', enabled: 'boolean | default=true' },
    resources: [cm('cm', { a: 'b' }, { includeWhen: ['${schema.spec.enabled}'] })],
  },
  {
    name: 'valid-ready-when',
    resources: [cm('cm', { a: 'b' }, { readyWhen: ["${cm.data.a == 'b'}"] })],
  },
  {
    name: 'valid-for-each',
    spec: LIST,
    resources: [
      {
        id: 'cms',
        forEach: [{ item: '${schema.spec.items}' }],
        template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${schema.spec.name}-${item}' } },
      },
    ],
  },
  {
    name: 'valid-markers',
    spec: {
      name: 'string | default="x" minLength=1 maxLength=20',
      count: 'integer | default=3 minimum=1 maximum=10',
      e: 'string | default="a" enum="a,b"',
    },
    resources: [cm('cm', { v: '${schema.spec.e}' })],
  },
  {
    name: 'valid-custom-type',
    schema: { types: { Port: { num: 'integer | default=80' } } },
    spec: { name: 'string | default="x"', port: 'Port' },
    resources: [cm('cm', { v: '${string(schema.spec.port.num)}' })],
  },
  {
    name: 'valid-deployment',
    spec: NUMS,
    resources: [
      {
        id: 'deploy',
        template: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: '${schema.spec.name}' },
          spec: {
            replicas: '${schema.spec.x}',
            selector: { matchLabels: { app: 'x' } },
            template: {
              metadata: { labels: { app: 'x' } },
              spec: { containers: [{ name: 'c', image: 'nginx' }] },
            },
          },
        },
      },
    ],
  },
  {
    name: 'valid-service-port-from-int',
    spec: NUMS,
    resources: [
      {
        id: 'svc',
        template: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: '${schema.spec.name}' },
          spec: { ports: [{ port: '${schema.spec.x}' }] },
        },
      },
    ],
  },
  {
    name: 'valid-cluster-scope-with-namespace',
    scope: 'Cluster',
    resources: [cm('cm', { a: 'b' }, {})].map(() => ({
      id: 'cm',
      template: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: '${schema.spec.name}', namespace: 'default' },
      },
    })),
  },
  {
    name: 'valid-cluster-kind',
    resources: [
      {
        id: 'role',
        template: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: '${schema.spec.name}-role' },
          rules: [],
        },
      },
    ],
  },
  { name: 'valid-string-concat', ...expr("schema.spec.name + '-' + schema.metadata.name") },
  { name: 'valid-int-equals', ...expr("schema.spec.x == 1 ? 'one' : 'other'", NUMS) },
  { name: 'valid-in-list', ...expr("'a' in schema.spec.items ? 'y' : 'n'", LIST) },
  { name: 'valid-map-index', ...expr("schema.spec.m.?host.orValue('none')", CFG) },

  // Invalid: references and graph.
  { name: 'unknown-resource-reference', ...expr('nothere.data.a') },
  { name: 'unknown-spec-field', ...expr('schema.spec.nosuch') },
  { name: 'unknown-nested-field', ...expr('schema.spec.cfg.port', CFG) },
  { name: 'self-reference', resources: [cm('cm', { v: '${cm.data.a}' })] },
  {
    name: 'cycle-of-two',
    resources: [cm('first', { v: '${second.data.v}' }), cm('second', { v: '${first.data.v}' })],
  },
  {
    name: 'cycle-of-three',
    resources: [
      cm('first', { v: '${third.data.v}' }),
      cm('second', { v: '${first.data.v}' }),
      cm('third', { v: '${second.data.v}' }),
    ],
  },
  {
    name: 'unknown-status-reference',
    status: { value: '${nothere.data.a}' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'status-without-expression',
    status: { value: 'plain' },
    resources: [cm('cm', { a: 'b' })],
  },

  // Invalid: ids.
  { name: 'duplicate-ids', resources: [cm('cm', { a: 'b' }), cm('cm', { a: 'c' })] },
  { name: 'id-with-dash', resources: [cm('my-cm', { a: 'b' })] },
  { name: 'id-upper-first', resources: [cm('Cm', { a: 'b' })] },
  { name: 'id-reserved-schema', resources: [cm('schema', { a: 'b' })] },
  { name: 'id-reserved-word', resources: [cm('in', { a: 'b' })] },
  {
    name: 'id-missing',
    resources: [{ template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }],
  },

  // Invalid: structure.
  {
    name: 'template-without-kind',
    resources: [{ id: 'cm', template: { apiVersion: 'v1', metadata: { name: 'x' } } }],
  },
  {
    name: 'template-without-apiversion',
    resources: [{ id: 'cm', template: { kind: 'ConfigMap', metadata: { name: 'x' } } }],
  },
  { name: 'resource-without-template', resources: [{ id: 'cm' }] },
  { name: 'lowercase-schema-kind', schema: { kind: 'lowercase' }, resources: [cm('cm', { a: 'b' })] },
  {
    name: 'bad-schema-apiversion',
    schema: { apiVersion: 'v1alpha1beta' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'unknown-template-field',
    resources: [
      { id: 'cm', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dta: {} } },
    ],
  },
  {
    name: 'template-field-wrong-type',
    resources: [
      { id: 'cm', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: 'x' } },
    ],
  },

  // Invalid: SimpleSchema.
  {
    name: 'unknown-simple-type',
    spec: { name: 'string | default="x"', a: 'strng' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'unknown-marker',
    spec: { name: 'string | default="x" foo=bar' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'default-wrong-type',
    spec: { name: 'string | default="x"', count: 'integer | default="a"' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'bad-map-key',
    spec: { name: 'string | default="x"', m: 'map[integer]string' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'minimum-not-number',
    spec: { name: 'string | default="x"', count: 'integer | minimum=abc' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'unknown-custom-type',
    spec: { name: 'string | default="x"', p: 'Port' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'enum-default-outside',
    spec: { name: 'string | default="c" enum="a,b"' },
    resources: [cm('cm', { a: 'b' })],
  },
  {
    name: 'unclosed-list-type',
    spec: { name: 'string | default="x"', l: '[]' },
    resources: [cm('cm', { a: 'b' })],
  },

  // Invalid: CEL types and functions.
  { name: 'int-plus-string', ...expr("schema.spec.x + 'a'", NUMS) },
  { name: 'string-minus', ...expr("schema.spec.name - 'a'") },
  { name: 'int-equals-string', ...expr("schema.spec.x == 'a' ? 'y' : 'n'", NUMS) },
  { name: 'int-equals-double', ...expr("schema.spec.x == 1.0 ? 'y' : 'n'", NUMS) },
  { name: 'unknown-function', ...expr('frobnicate(schema.spec.name)') },
  { name: 'unknown-method', ...expr('schema.spec.name.frobnicate()') },
  { name: 'unknown-namespace-function', ...expr('math.sqrt(4)') },
  { name: 'wrong-arg-count', ...expr("schema.spec.name.startsWith('a', 'b') ? 'y' : 'n'") },
  { name: 'syntax-error', ...expr('schema.spec.name +') },
  { name: 'unbalanced-parens', ...expr('(schema.spec.name') },
  { name: 'size-of-int', ...expr('string(size(schema.spec.x))', NUMS) },
  { name: 'int-in-string-field', ...expr('schema.spec.x', NUMS) },
  { name: 'list-in-string-field', ...expr('schema.spec.items', LIST) },
  {
    name: 'string-in-int-field',
    resources: [
      {
        id: 'deploy',
        template: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'x' },
          spec: {
            replicas: '${schema.spec.name}',
            selector: { matchLabels: { app: 'x' } },
            template: {
              metadata: { labels: { app: 'x' } },
              spec: { containers: [{ name: 'c', image: 'nginx' }] },
            },
          },
        },
      },
    ],
  },
  {
    name: 'include-when-not-bool',
    resources: [cm('cm', { a: 'b' }, { includeWhen: ['${schema.spec.name}'] })],
  },
  { name: 'ready-when-not-bool', resources: [cm('cm', { a: 'b' }, { readyWhen: ['${cm.data.a}'] })] },
  {
    name: 'include-when-resource-ref',
    resources: [
      cm('first', { a: 'b' }),
      cm('second', { a: 'b' }, { includeWhen: ["${first.data.a == 'b'}"] }),
    ],
  },
  {
    name: 'ready-when-other-resource',
    resources: [cm('first', { a: 'b' }), cm('second', { a: 'b' }, { readyWhen: ["${first.data.a == 'b'}"] })],
  },
  {
    name: 'for-each-not-list',
    ...{
      spec: NUMS,
      resources: [
        {
          id: 'cms',
          forEach: [{ item: '${schema.spec.x}' }],
          template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${schema.spec.name}' } },
        },
      ],
    },
  },
  { name: 'ternary-branch-mismatch', ...expr("schema.spec.x > 1 ? 'a' : 1", NUMS) },
  { name: 'uint-literal-in-string', ...expr('string(1u)') },
  { name: 'macro-on-string', ...expr("schema.spec.name.map(c, c).join('')") },
  { name: 'double-to-int-compare', ...expr("schema.spec.r < 1 ? 'a' : 'b'", NUMS) },
  { name: 'index-list-with-string', ...expr("schema.spec.items['a']", LIST) },
  // Issue 12: the API server's CEL cost estimate for x-kubernetes-validations. Nested iterations
  // over an unbounded list or map are far over the limit; over integers bounded by maxItems, or one
  // level deep, they are within it.
  {
    name: 'rule-cost-nested-unbounded-list',
    spec: {
      name: 'string | default="x"',
      tags: '[]string | validation="self.all(x, self.exists(y, x == y))"',
    },
    resources: [cm('cm', { v: 'x' })],
  },
  {
    name: 'rule-cost-nested-unbounded-map',
    spec: {
      name: 'string | default="x"',
      labels: 'map[string]string | validation="self.all(k, self.all(j, k != j || self[k] == self[j]))"',
    },
    resources: [cm('cm', { v: 'x' })],
  },
  {
    name: 'rule-cost-nested-bounded-list',
    spec: {
      name: 'string | default="x"',
      // Integers: comparing two unbounded strings costs their length, which kro-gen does not count.
      tags: '[]integer | maxItems=100 validation="self.all(x, self.exists(y, x == y))"',
    },
    resources: [cm('cm', { v: 'x' })],
  },
  {
    name: 'rule-cost-one-level-unbounded',
    spec: { name: 'string | default="x"', tags: '[]string | validation="self.all(x, x.size() > 0)"' },
    resources: [cm('cm', { v: 'x' })],
  },
  // Equality of object types: cel-go's `_==_` takes two values of one type (or one dyn).
  {
    name: 'valid-object-equals',
    ...expr(
      "schema.spec.cfg == schema.spec.cfg && schema.spec.cfg in [schema.spec.cfg] && schema.metadata != dyn(schema.metadata) ? 'y' : 'n'",
      CFG,
    ),
  },
  {
    name: 'valid-resource-object-equals',
    status: { same: '${first.metadata == first.metadata}' },
    resources: [
      cm('first', { a: 'b' }),
      cm('second', { v: "${first.metadata != first.metadata ? 'y' : 'n'}" }),
    ],
  },
  { name: 'object-equals-map', ...expr("schema.spec.cfg == {'host': 'h'} ? 'y' : 'n'", CFG) },
  { name: 'object-equals-other-object', ...expr("schema.spec.cfg != schema.metadata ? 'y' : 'n'", CFG) },
  // null for an object (cel-go: assignable to objects, timestamps, durations, optionals).
  {
    name: 'valid-object-or-null',
    ...expr(
      '(schema.spec.flag ? schema.spec.cfg : null).host + string(schema.spec.?cfg.orValue(null) == null) + string(schema.spec.cfg in [null, schema.spec.cfg]) + string(([schema.spec.cfg] + [null])[0] != null) + string(schema.spec.flag ? schema.metadata.creationTimestamp : null)',
      OBJ,
    ),
  },
  { name: 'null-first-conditional-select', ...expr('(schema.spec.flag ? null : schema.spec.cfg).host', OBJ) },
  { name: 'null-last-list-select', ...expr('[schema.spec.cfg, null][0].host', OBJ) },
  {
    name: 'optionals-of-two-object-types',
    ...expr("optional.of(schema.spec.cfg) == optional.of(schema.spec.other) ? 'y' : 'n'", OBJ),
  },
  // Objects of two kinds: each resource's types are its own.
  {
    name: 'valid-cross-kind-dyn-equals',
    resources: [
      cm('first', { a: 'b' }),
      secret('sec'),
      cm('third', {
        v: "${dyn(first.metadata) == sec.metadata || first.metadata.labels == sec.metadata.labels ? 'y' : 'n'}",
      }),
    ],
  },
  {
    name: 'cross-kind-object-equals',
    resources: [
      cm('first', { a: 'b' }),
      secret('sec'),
      cm('third', { v: "${first.metadata == sec.metadata ? 'y' : 'n'}" }),
    ],
  },
];

const pad = (n: number): string => String(n + 1).padStart(3, '0');

/** The RGD's name: `val-NNN-<case name>`, NNN the 1-based position in CORPUS. */
export const corpusName = (index: number, c: CorpusCase): string => `val-${pad(index)}-${c.name}`;

/** The full RGD of a case; every case gets its own kind so all can be applied together. */
export function corpusRgd(index: number, c: CorpusCase): Record<string, unknown> {
  const schema: Record<string, unknown> = {
    apiVersion: 'v1alpha1',
    kind: `ValCase${pad(index)}`,
    spec: c.spec ?? { name: 'string | default="x"' },
    ...(c.status ? { status: c.status } : {}),
    ...(c.scope ? { scope: c.scope } : {}),
    ...c.schema,
  };
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: corpusName(index, c) },
    spec: { schema, resources: c.resources },
  };
}
