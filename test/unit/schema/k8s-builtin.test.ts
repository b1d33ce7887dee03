import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../../../src/cel/types.js';
import {
  builtinDefinition,
  builtinKubernetesVersion,
  builtinModuleVersions,
  isBuiltinNamespaced,
  listBuiltinKinds,
  lookupBuiltinKind,
  resolveBuiltinSchema,
} from '../../../src/schema/k8s-builtin.js';

function kindSchema(apiVersion: string, kind: string): OpenApiSchema {
  const k = lookupBuiltinKind(apiVersion, kind);
  if (!k) throw new Error(`${apiVersion}/${kind} is not bundled`);
  return k.schema;
}

// Descends a resolved schema: property names, `[]` for array items, `{}` for map values.
function at(schema: OpenApiSchema, ...path: string[]): OpenApiSchema {
  let s = schema;
  for (const seg of path) {
    const next = seg === '[]' ? s.items : seg === '{}' ? s.additionalProperties : s.properties?.[seg];
    if (!next || typeof next !== 'object' || Array.isArray(next)) {
      throw new Error(`no ${seg} under ${path.join('.')}`);
    }
    s = next as OpenApiSchema;
  }
  return s;
}

// Every `$ref` anywhere in a raw definition, including inside allOf/anyOf/oneOf.
function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) refsIn(n, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else if (k !== 'default' && k !== 'enum') refsIn(v, out);
    }
  }
  return out;
}

describe('bundled built-in Kubernetes kinds', () => {
  it('records the pinned Kubernetes release and module versions', () => {
    expect(builtinKubernetesVersion()).toMatch(/^1\.36\.\d+$/);
    expect(builtinModuleVersions()['k8s.io/api']).toMatch(/^v0\.36\.\d+$/);
    expect(builtinModuleVersions()['k8s.io/kubernetes']).toBe(`v${builtinKubernetesVersion()}`);
  });

  it('knows Deployment: namespaced, int32 replicas, ObjectMeta metadata', () => {
    const d = lookupBuiltinKind('apps/v1', 'Deployment');
    expect(d?.namespaced).toBe(true);
    expect(d?.definition).toBe('io.k8s.api.apps.v1.Deployment');
    expect(d?.resource).toBe('deployments');
    expect(d?.servedByDefault).toBe(true);
    const schema = kindSchema('apps/v1', 'Deployment');
    expect(at(schema, 'spec', 'replicas')).toMatchObject({ type: 'integer', format: 'int32' });
    expect(at(schema, 'spec')).toMatchObject({ required: ['selector', 'template'] });
    const meta = at(schema, 'metadata');
    expect(meta.$ref).toBeUndefined();
    expect(at(meta, 'namespace')).toEqual({ type: 'string' });
    expect(at(meta, 'labels', '{}')).toMatchObject({ type: 'string' });
    // The resolved ObjectMeta is the same one for every kind.
    expect(at(kindSchema('v1', 'ConfigMap'), 'metadata', 'labels')).toBe(at(meta, 'labels'));
  });

  it('follows references through items and nested definitions', () => {
    const container = at(kindSchema('apps/v1', 'Deployment'), 'spec', 'template', 'spec', 'containers', '[]');
    expect(container.required).toEqual(['name']);
    expect(at(container, 'ports', '[]', 'containerPort')).toMatchObject({ type: 'integer', format: 'int32' });
    expect(at(container, 'resources', 'limits', '{}').oneOf).toEqual([
      { type: 'string' },
      { type: 'number' },
    ]);
  });

  it.each([
    ['v1', 'Namespace'],
    ['v1', 'PersistentVolume'],
    ['v1', 'Node'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['storage.k8s.io/v1', 'StorageClass'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['networking.k8s.io/v1', 'IngressClass'],
    ['apiregistration.k8s.io/v1', 'APIService'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ])('%s %s is cluster-scoped', (apiVersion, kind) => {
    expect(isBuiltinNamespaced(apiVersion, kind)).toBe(false);
    expect(lookupBuiltinKind(apiVersion, kind)?.namespaced).toBe(false);
  });

  it.each([
    ['v1', 'Pod'],
    ['v1', 'Service'],
    ['v1', 'ConfigMap'],
    ['v1', 'PersistentVolumeClaim'],
    ['batch/v1', 'CronJob'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['resource.k8s.io/v1', 'ResourceClaim'],
  ])('%s %s is namespaced', (apiVersion, kind) => {
    expect(isBuiltinNamespaced(apiVersion, kind)).toBe(true);
  });

  it('does not know removed versions, custom kinds or a group-qualified core version', () => {
    expect(lookupBuiltinKind('extensions/v1beta1', 'Deployment')).toBeUndefined();
    expect(isBuiltinNamespaced('networking.k8s.io/v1beta1', 'Ingress')).toBeUndefined();
    expect(isBuiltinNamespaced('example.com/v1', 'Widget')).toBeUndefined();
    expect(isBuiltinNamespaced('core/v1', 'Pod')).toBeUndefined();
    expect(lookupBuiltinKind('v1', 'toString')).toBeUndefined();
  });

  it('tells default-served versions from ones a cluster must enable', () => {
    expect(lookupBuiltinKind('resource.k8s.io/v1', 'DeviceClass')?.servedByDefault).toBe(true);
    expect(lookupBuiltinKind('resource.k8s.io/v1beta2', 'DeviceClass')?.servedByDefault).toBe(false);
  });

  it('marks Service targetPort as int-or-string', () => {
    const targetPort = at(kindSchema('v1', 'Service'), 'spec', 'ports', '[]', 'targetPort');
    expect(targetPort['x-kubernetes-int-or-string']).toBe(true);
    expect(targetPort.format).toBe('int-or-string');
  });

  it('types ConfigMap data as a map of strings and binaryData as bytes', () => {
    const schema = kindSchema('v1', 'ConfigMap');
    expect(at(schema, 'data')).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(at(schema, 'binaryData', '{}')).toMatchObject({ type: 'string', format: 'byte' });
  });

  it('keeps list and enum metadata', () => {
    const ports = at(kindSchema('v1', 'Service'), 'spec', 'ports');
    expect(ports['x-kubernetes-list-type']).toBe('map');
    expect(ports['x-kubernetes-list-map-keys']).toEqual(['port', 'protocol']);
    expect(at(ports, '[]', 'protocol')).toMatchObject({ default: 'TCP', enum: ['SCTP', 'TCP', 'UDP'] });
  });

  it('cuts the JSONSchemaProps cycle in the CRD schema the way kro does', () => {
    const props = at(
      kindSchema('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
      'spec',
      'versions',
      '[]',
      'schema',
      'openAPIV3Schema',
    );
    expect(at(props, 'type')).toEqual({ type: 'string' });
    expect(at(props, 'properties', '{}')).toEqual({ type: 'object' });
    expect(() => JSON.stringify(props)).not.toThrow();
  });

  it('resolves every $ref of every definition, and every kind', () => {
    const kinds = listBuiltinKinds();
    expect(kinds.length).toBeGreaterThan(80);
    const seen = new Set<string>();
    const pending = kinds.map((k) => lookupBuiltinKind(k.apiVersion, k.kind)?.definition ?? '');
    while (pending.length > 0) {
      const name = pending.pop() ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      const def = builtinDefinition(name);
      expect(def, name).toBeDefined();
      for (const ref of refsIn(def)) {
        expect(ref.startsWith('#/definitions/'), ref).toBe(true);
        pending.push(ref.slice('#/definitions/'.length));
      }
    }
    for (const { apiVersion, kind } of kinds) {
      const schema = kindSchema(apiVersion, kind);
      expect(schema.type, `${apiVersion}/${kind}`).toBe('object');
      expect(at(schema, 'kind'), `${apiVersion}/${kind}`).toEqual({ type: 'string' });
    }
  });

  it('gives for every kind what resolving every reference at once gives', () => {
    // The schemas are resolved as they are read; this resolves them whole, the plain way.
    const eager = (node: OpenApiSchema, visiting: readonly string[]): unknown => {
      const refIn = (n: OpenApiSchema): unknown => n.$ref ?? n.allOf?.find((p) => p.$ref)?.$ref;
      const ref = refIn(node);
      if (typeof ref === 'string') {
        if (visiting.includes(ref)) return { type: 'object' };
        const { $ref: _r, allOf: _a, ...siblings } = node;
        const target = builtinDefinition(ref) as OpenApiSchema;
        return { ...(eager(target, [...visiting, ref]) as object), ...siblings };
      }
      const out: Record<string, unknown> = { ...node };
      if (node.properties) {
        out.properties = Object.fromEntries(
          Object.entries(node.properties).map(([k, v]) => [k, eager(v, visiting)]),
        );
      }
      for (const key of ['items', 'additionalProperties'] as const) {
        const child = node[key];
        if (child && typeof child === 'object' && !Array.isArray(child)) {
          out[key] = eager(child as OpenApiSchema, visiting);
        }
      }
      return out;
    };
    for (const { apiVersion, kind } of listBuiltinKinds()) {
      const definition = lookupBuiltinKind(apiVersion, kind)?.definition ?? '';
      const whole = eager({ $ref: `#/definitions/${definition}` }, []);
      expect(JSON.stringify(kindSchema(apiVersion, kind)), `${apiVersion}/${kind}`).toBe(
        JSON.stringify(whole),
      );
    }
  });

  it('resolves a $ref handed in directly and rejects an unknown one', () => {
    expect(resolveBuiltinSchema({ $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time' })).toEqual(
      {
        type: 'string',
        format: 'date-time',
      },
    );
    expect(() => resolveBuiltinSchema({ $ref: '#/definitions/io.k8s.nope' })).toThrow(/unresolvable/);
  });

  it('returns frozen, memoized results', () => {
    const a = lookupBuiltinKind('v1', 'Pod');
    expect(lookupBuiltinKind('v1', 'Pod')).toBe(a);
    expect(Object.isFrozen(a?.schema)).toBe(true);
  });

  it('gives a property map whose values are frozen, the same on every read, in the definition order', () => {
    const podSpec = at(kindSchema('v1', 'Pod'), 'spec');
    const props = podSpec.properties as Record<string, OpenApiSchema>;
    expect(Object.isFrozen(props)).toBe(true);
    expect(Object.keys(props)).toEqual(
      Object.keys(builtinDefinition('io.k8s.api.core.v1.PodSpec')?.properties ?? {}),
    );
    const containers = props.containers;
    expect(props.containers).toBe(containers);
    expect(Object.isFrozen(containers)).toBe(true);
    expect(at(podSpec, 'containers', '[]', 'image')).toEqual({ type: 'string' });
    // Spread and JSON see the values, not how they are read.
    const copy = { ...props };
    expect(copy.containers).toBe(containers);
    expect(JSON.parse(JSON.stringify(props)).containers.type).toBe('array');
    // The same property reached from another kind is the same object.
    expect(at(kindSchema('apps/v1', 'Deployment'), 'spec', 'template', 'spec', 'containers')).toBe(
      containers,
    );
  });
});
