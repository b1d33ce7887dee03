// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
/**
 * The cases of the RGD-update differential (docs/e2e.md, "RGD updates"): an old RGD, the new RGD
 * that replaces it, and instances created under the old one. `expected` is kro v0.9.3's decision on
 * the new RGD as read from its code (pkg/client/crd.go: `cannot update CRD <name>: breaking changes
 * detected: <report>`, the report texts of pkg/graph/crd/compat/changes.go; the RGD CRD's
 * `x-kubernetes-validations` make schema.kind, group and apiVersion immutable), written down by
 * hand and checked against what the cluster does.
 */

export type Decision = 'accepted' | 'refused';

export interface DiffCase {
  readonly name: string;
  /** What the case covers (the compat category, or the graph change). */
  readonly covers: string;
  readonly old: RgdParts;
  readonly new: RgdParts;
  /** Instance specs (each instance named `i<index>`). */
  readonly instances: readonly Record<string, unknown>[];
  readonly expected: {
    readonly decision: Decision;
    /** Who refuses: kro (its CRD compatibility check) or the API server (the RGD CRD's rules). */
    readonly by?: 'kro' | 'apiserver';
    /** Words of the refusal message. */
    readonly message?: string;
    /** Words each instance's plan must have among its errors (kro-gen's prediction). */
    readonly instanceErrors?: readonly string[];
    /** Words the instance's Ready condition must carry once kro has applied the new RGD. */
    readonly instanceReports?: string;
  };
}

export interface RgdParts {
  readonly spec: Record<string, unknown>;
  readonly resources: readonly Record<string, unknown>[];
  readonly annotations?: Record<string, string>;
  /** Replaces the case's kind (a kind rename). */
  readonly kind?: string;
}

const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}, id = 'cm', suffix = 'cm') => ({
  id,
  template: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `\${schema.spec.name}-${suffix}` },
    data,
  },
  ...extra,
});

const deployment = (app: string) => ({
  id: 'deploy',
  template: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: '${schema.spec.name}' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  },
});

const NAME = { name: 'string' };
const BASE = [cm({ app: '${schema.spec.name}' })];
const ALLOW = { 'kro.run/allow-breaking-changes': 'true' };

/** Same resources, schema changed: only the CRD decision and the instances' validity move. */
function schemaCase(
  name: string,
  covers: string,
  oldField: Record<string, unknown>,
  newField: Record<string, unknown>,
  instance: Record<string, unknown>,
  expected: DiffCase['expected'],
): DiffCase {
  return {
    name,
    covers,
    old: { spec: { ...NAME, ...oldField }, resources: BASE },
    new: { spec: { ...NAME, ...newField }, resources: BASE },
    instances: [{ name: 'one', ...instance }],
    expected,
  };
}

const refusedBecause = (message: string): DiffCase['expected'] => ({
  decision: 'refused',
  by: 'kro',
  message,
});

export const CASES: readonly DiffCase[] = [
  schemaCase(
    'removed-property',
    'a property removed',
    { color: 'string' },
    {},
    { color: 'red' },
    { ...refusedBecause('breaking changes detected: Property color was removed'), instanceErrors: ['color'] },
  ),
  schemaCase(
    'type-change',
    'a property changes type',
    { size: 'string' },
    { size: 'integer' },
    { size: 'big' },
    { ...refusedBecause('Type changed from string to integer'), instanceErrors: ['spec.size'] },
  ),
  schemaCase(
    'required-added',
    'a new required field without default',
    {},
    { owner: 'string | required=true' },
    {},
    // kro's text says "Optional" for this breaking change: Change.Description compares the new
    // value "required=true" that compareProperties records with "required" (changes.go).
    {
      ...refusedBecause('breaking changes detected: Optional property owner was added'),
      instanceErrors: ['owner'],
    },
  ),
  schemaCase(
    'enum-removed',
    'an enum value removed that the instance uses',
    { color: 'string | enum="red,blue"' },
    { color: 'string | enum="red"' },
    { color: 'blue' },
    { ...refusedBecause('Enum value "blue" was removed'), instanceErrors: ['spec.color'] },
  ),
  schemaCase(
    'pattern-added',
    'a validation pattern added',
    { code: 'string' },
    { code: 'string | pattern="^[a-z]+$"' },
    { code: 'abc' },
    refusedBecause('Validation pattern ^[a-z]+$ was added'),
  ),
  schemaCase(
    'bounds-tightened',
    'a maximum lowered',
    { replicas: 'integer | maximum=10' },
    { replicas: 'integer | maximum=5' },
    { replicas: 3 },
    refusedBecause('Maximum was decreased from 10 to 5'),
  ),
  schemaCase(
    'items-changed',
    "an array's items schema changes",
    { tags: '[]string' },
    { tags: '[]integer' },
    { tags: [] },
    refusedBecause('Type changed from string to integer'),
  ),
  {
    name: 'compatible-additions',
    covers: 'an optional field with a default and an enum value added (compatible), used by the template',
    old: { spec: { ...NAME, color: 'string | enum="red"' }, resources: BASE },
    new: {
      spec: { ...NAME, color: 'string | enum="red,green"', tier: 'string | default="gold"' },
      resources: [cm({ app: '${schema.spec.name}', tier: '${schema.spec.tier}' })],
    },
    instances: [{ name: 'one', color: 'red' }],
    expected: { decision: 'accepted' },
  },
  {
    name: 'removed-resource',
    covers: 'a resource removed: kro prunes its objects',
    old: { spec: NAME, resources: [...BASE, cm({ k: 'v' }, {}, 'extra', 'extra')] },
    new: { spec: NAME, resources: BASE },
    instances: [{ name: 'one' }, { name: 'two' }],
    expected: { decision: 'accepted' },
  },
  {
    name: 'renamed-id',
    covers: 'a resource id renamed, same template: the object is kept',
    old: { spec: NAME, resources: BASE },
    new: { spec: NAME, resources: [cm({ app: '${schema.spec.name}' }, {}, 'config')] },
    instances: [{ name: 'one' }],
    expected: { decision: 'accepted' },
  },
  {
    name: 'include-when-flipped',
    covers: 'an includeWhen turned false for the instance: its object is pruned',
    old: {
      spec: { ...NAME, enabled: 'boolean | default=true' },
      resources: [...BASE, cm({ k: 'v' }, { includeWhen: ['${schema.spec.enabled}'] }, 'extra', 'extra')],
    },
    new: {
      spec: { ...NAME, enabled: 'boolean | default=true' },
      resources: [...BASE, cm({ k: 'v' }, { includeWhen: ['${!schema.spec.enabled}'] }, 'extra', 'extra')],
    },
    instances: [{ name: 'one' }],
    expected: { decision: 'accepted' },
  },
  {
    name: 'for-each-shrunk',
    covers: 'a forEach list shrunk: the dropped objects are pruned',
    old: {
      spec: { ...NAME, zones: '[]string' },
      resources: [
        cm({ zone: '${zone}' }, { forEach: [{ zone: '${schema.spec.zones}' }] }, 'perZone', '${zone}'),
      ],
    },
    new: {
      spec: { ...NAME, zones: '[]string' },
      resources: [
        cm(
          { zone: '${zone}' },
          { forEach: [{ zone: '${schema.spec.zones.filter(z, z != "c")}' }] },
          'perZone',
          '${zone}',
        ),
      ],
    },
    instances: [{ name: 'one', zones: ['a', 'b', 'c'] }],
    expected: { decision: 'accepted' },
  },
  {
    name: 'template-change',
    covers: 'a template field changes, one is added, one removed: an update with field changes',
    old: { spec: NAME, resources: [cm({ app: '${schema.spec.name}', mode: 'slow', dropped: 'gone' })] },
    new: { spec: NAME, resources: [cm({ app: '${schema.spec.name}', mode: 'fast', added: 'new' })] },
    instances: [{ name: 'one' }],
    expected: { decision: 'accepted' },
  },
  {
    name: 'immutable-selector',
    covers: "a Deployment's selector changes: the API server refuses kro's apply",
    old: { spec: NAME, resources: [deployment('web')] },
    new: { spec: NAME, resources: [deployment('web-v2')] },
    instances: [{ name: 'one' }],
    expected: {
      decision: 'accepted',
      instanceErrors: ['spec.selector'],
      instanceReports: 'field is immutable',
    },
  },
  {
    name: 'allow-breaking',
    covers: 'a property removed under kro.run/allow-breaking-changes: accepted, the template stops using it',
    old: {
      spec: { ...NAME, color: 'string' },
      resources: [cm({ app: '${schema.spec.name}', color: '${schema.spec.color}' })],
    },
    new: { spec: NAME, resources: BASE, annotations: ALLOW },
    instances: [{ name: 'one', color: 'red' }],
    expected: { decision: 'accepted', instanceErrors: ['color'] },
  },
  {
    name: 'kind-rename',
    covers: 'schema.kind renamed: the API server refuses the RGD update',
    old: { spec: NAME, resources: BASE },
    new: { spec: NAME, resources: BASE, kind: 'DiffCaseKindRenamed' },
    instances: [{ name: 'one' }],
    expected: {
      decision: 'refused',
      by: 'apiserver',
      message: 'kind is immutable',
      instanceErrors: ['refuses the RGD update'],
    },
  },
  schemaCase(
    'required-with-default',
    'a new required field with a default (compatible)',
    {},
    { owner: 'string | required=true default="ops"' },
    {},
    { decision: 'accepted' },
  ),
];

const pascal = (s: string) =>
  s
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

export const caseNamespace = (c: DiffCase) => `kro-e2e-diff-${c.name}`;
export const caseRgdName = (c: DiffCase) => `diff-${c.name}`;
export const caseKind = (c: DiffCase) => `DiffCase${pascal(c.name)}`;

export function caseRgd(c: DiffCase, which: 'old' | 'new'): Record<string, unknown> {
  const parts = c[which];
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: caseRgdName(c), ...(parts.annotations ? { annotations: parts.annotations } : {}) },
    spec: {
      schema: { apiVersion: 'v1alpha1', kind: parts.kind ?? caseKind(c), spec: parts.spec },
      resources: parts.resources,
    },
  };
}

export function caseInstances(c: DiffCase): Record<string, unknown>[] {
  return c.instances.map((spec) => ({
    apiVersion: 'kro.run/v1alpha1',
    kind: caseKind(c),
    metadata: { name: String(spec.name), namespace: caseNamespace(c) },
    spec,
  }));
}
