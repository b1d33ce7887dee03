// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatCelType } from '../../../src/cel/types.js';
import type { Diagnostic } from '../../../src/diagnostics.js';
import { type BuildResult, buildGraph, type GraphContext } from '../../../src/graph/build.js';
import { loadRgds } from '../../../src/rgd/load.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function build(text: string, file = 'rgd.yaml', ctx: GraphContext = {}): BuildResult {
  const loaded = loadRgds([{ path: file, text }]);
  expect(loaded.diagnostics).toEqual([]);
  const rgd = loaded.rgds[0];
  if (!rgd) throw new Error('no RGD');
  return buildGraph(rgd, ctx);
}

function example(path: string): BuildResult {
  return build(readFileSync(root + path, 'utf8'), path);
}

const errors = (d: readonly Diagnostic[]) => d.filter((x) => x.severity === 'error');
const where = (d: Diagnostic) => `${d.pos?.line}:${d.pos?.col}`;

describe('examples/web-app', () => {
  const { graph, diagnostics } = example('examples/web-app/rgd.yaml');

  it('builds without diagnostics', () => {
    expect(diagnostics).toEqual([]);
  });

  it('orders the deployment before the service that reads it', () => {
    expect(graph.topologicalOrder).toEqual(['deployment', 'service']);
    expect(graph.layers).toEqual([['deployment'], ['service']]);
    expect(graph.resources.map((r) => [r.id, r.dependencies])).toEqual([
      ['deployment', []],
      ['service', ['deployment']],
    ]);
    // kro numbers deletion waves from the leaves: the service goes first.
    expect(graph.applyOrders).toEqual({ service: 2, deployment: 1 });
  });

  it('reads as plain data: every key in its place, parts made when read made once', () => {
    const { graph: fresh } = example('examples/web-app/rgd.yaml');
    expect(Object.keys(fresh)).toEqual([
      'name',
      'file',
      'instance',
      'resources',
      'topologicalOrder',
      'layers',
      'applyOrders',
    ]);
    const resources = fresh.resources;
    expect(fresh.resources).toBe(resources);
    expect(fresh.topologicalOrder).toBe(fresh.topologicalOrder);
    const copy = JSON.parse(JSON.stringify(fresh)) as typeof fresh;
    expect(copy.topologicalOrder).toEqual(['deployment', 'service']);
    expect(copy.resources.map((r) => r.id)).toEqual(['deployment', 'service']);
    expect({ ...fresh }.resources).toBe(resources);
  });

  it('classifies variables and locates them', () => {
    const service = graph.resources[1];
    const selector = service?.variables.find((v) => v.path === 'spec.selector');
    expect(selector).toMatchObject({
      expression: 'deployment.spec.selector.matchLabels',
      kind: 'dynamic',
      standalone: true,
    });
    expect(selector?.pos).toEqual({ file: 'examples/web-app/rgd.yaml', line: 50, col: 21 });
    const name = service?.variables.find((v) => v.path === 'metadata.name');
    expect(name).toMatchObject({
      expression: '(schema.spec.name) + "-service"',
      kind: 'static',
      standalone: false,
    });
  });

  it('infers the status schema from the Deployment status types', () => {
    const status = graph.instance.statusSchema as {
      properties: Record<
        string,
        { type?: string; items?: { type?: string; properties?: Record<string, { type?: string }> } }
      >;
    };
    expect(status.properties.availableReplicas).toEqual({ type: 'integer' });
    const conditions = status.properties.deploymentConditions;
    expect(conditions?.type).toBe('array');
    expect(conditions?.items?.type).toBe('object');
    expect(conditions?.items?.properties?.type).toEqual({ type: 'string' });
    expect(conditions?.items?.properties?.status).toEqual({ type: 'string' });
  });

  it('is plain data', () => {
    expect(JSON.parse(JSON.stringify(graph))).toEqual(graph);
  });
});

describe('examples/wordpress', () => {
  const { graph, diagnostics } = example('examples/wordpress/rgd.yaml');

  it('builds without errors', () => {
    expect(errors(diagnostics)).toEqual([]);
  });

  it("follows kro's order: dependencies first, otherwise declaration order", () => {
    expect(graph.topologicalOrder).toEqual([
      'mysqlService',
      'mysql',
      'config',
      'content',
      'wordpress',
      'service',
      'ingress',
    ]);
    expect(graph.layers).toEqual([
      ['mysqlService', 'content'],
      ['mysql', 'config'],
      ['wordpress'],
      ['service'],
      ['ingress'],
    ]);
    const wordpress = graph.resources.find((r) => r.id === 'wordpress');
    expect(wordpress?.dependencies).toEqual(['mysql', 'config', 'content']);
  });
});

describe('expected types and status records', () => {
  // `count` reads a kind without a schema: its value is dyn, which any field accepts.
  const { graph, diagnostics } = build(`apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: expected
spec:
  schema:
    apiVersion: v1alpha1
    kind: Expected
    spec:
      name: string
    status:
      replicas: \${deployment.spec.replicas}
      label: "app-\${schema.spec.name}"
  resources:
    - id: thing
      template:
        apiVersion: example.com/v1
        kind: Thing
        metadata:
          name: \${schema.spec.name}
    - id: deployment
      template:
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \${schema.spec.name}
        spec:
          replicas: \${thing.spec.count}
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: web
                  image: \${thing.spec.image}
`);

  it('records the type each field of a known kind expects, whatever its value returns', () => {
    expect(errors(diagnostics)).toEqual([]);
    const deployment = graph.resources.find((r) => r.id === 'deployment');
    const expected = Object.fromEntries(
      (deployment?.variables ?? []).map((v) => [v.path, v.expectedType && formatCelType(v.expectedType)]),
    );
    expect(expected).toEqual({
      'metadata.name': 'string',
      'spec.replicas': 'int',
      'spec.template.spec.containers[0].image': 'string',
    });
    const thing = graph.resources.find((r) => r.id === 'thing');
    expect(thing?.variables.map((v) => v.expectedType)).toEqual([undefined]);
  });

  it('makes the status records once, in their place among the keys', () => {
    expect(Object.keys(graph.instance)).toEqual([
      'group',
      'version',
      'apiVersion',
      'kind',
      'namespaced',
      'schemaType',
      'specSchema',
      'statusVariables',
      'conditions',
      'dependencies',
      'statusSchema',
    ]);
    const vars = graph.instance.statusVariables;
    expect(graph.instance.statusVariables).toBe(vars);
    expect(
      vars.map((v) => [
        v.path,
        v.standalone,
        v.references,
        v.parts.map((p) => p.type && formatCelType(p.type)),
      ]),
    ).toEqual([
      ['replicas', true, ['deployment'], ['int']],
      ['label', false, ['schema'], ['string']],
    ]);
    expect(vars[0]?.pos).toMatchObject({ line: 12 });
  });
});

// A small RGD; the variants below each break one thing.
const base = (
  deploymentExtra: string,
  serviceName = '${deployment.metadata.name}-svc',
) => `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: broken
spec:
  schema:
    apiVersion: v1alpha1
    kind: Broken
    spec:
      name: string
      replicas: integer | default=1
  resources:
    - id: deployment
${deploymentExtra}      template:
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \${schema.spec.name}
        spec:
          replicas: \${schema.spec.replicas}
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: web
                  image: nginx
    - id: service
      template:
        apiVersion: v1
        kind: Service
        metadata:
          name: ${serviceName}
        spec:
          selector:
            app: web
`;

describe('broken RGDs are reported once, at the expression', () => {
  it('the base RGD is fine', () => {
    expect(build(base('')).diagnostics).toEqual([]);
  });

  it('a misspelled resource id', () => {
    const { diagnostics } = build(base('', '${deploymnet.metadata.name}-svc'));
    const errs = errors(diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain('references unknown identifiers: [deploymnet]');
    expect(errs[0]?.message).toContain('did you mean "deployment"');
    // Line 37 is `name: ${deploymnet...}`; the identifier starts right after `${`.
    expect(where(errs[0] as Diagnostic)).toBe('37:19');
  });

  it('a cycle names the whole cycle', () => {
    const text = base('').replace('name: ${schema.spec.name}', 'name: ${service.metadata.name}');
    const { diagnostics, graph } = build(text);
    const errs = errors(diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain('graph contains a cycle: service -> deployment -> service');
    expect(where(errs[0] as Diagnostic)).toBe('37:19');
    expect(graph.topologicalOrder).toEqual([]);
  });

  it('a string expression in an integer field', () => {
    const text = base('').replace('replicas: ${schema.spec.replicas}', 'replicas: ${schema.spec.name}');
    const errs = errors(build(text).diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain('type mismatch in resource "deployment" at path "spec.replicas"');
    expect(errs[0]?.message).toContain('returns type "string" but expected "int"');
    expect(where(errs[0] as Diagnostic)).toBe('20:23');
  });

  it('an includeWhen that returns a string', () => {
    const errs = errors(build(base('      includeWhen:\n        - ${schema.spec.name}\n')).diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain('must return bool or optional_type(bool), but returns "string"');
    expect(where(errs[0] as Diagnostic)).toBe('15:13');
  });

  it('a field the kind does not have', () => {
    const text = base('').replace(
      'replicas: ${schema.spec.replicas}',
      'replicas: ${schema.spec.replicaCount}',
    );
    const errs = errors(build(text).diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain("undefined field 'replicaCount'");
    expect(where(errs[0] as Diagnostic)).toBe('20:35');
  });

  it('one text checked at two sites: an error at each', () => {
    // (Each environment checks a text once; every site still gets its own diagnostic.)
    const text = base('', '${schema.spec.nam}').replace(
      'name: ${schema.spec.name}',
      'name: ${schema.spec.nam}',
    );
    const errs = errors(build(text).diagnostics);
    expect(errs.map((e) => [e.message.includes("undefined field 'nam'"), where(e)])).toEqual([
      [true, '18:31'],
      [true, '37:31'],
    ]);
  });

  it('readyWhen may read only the resource itself, and adds no edge', () => {
    const { diagnostics, graph } = build(
      base('      readyWhen:\n        - ${service.metadata.name != ""}\n'),
    );
    const errs = errors(diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain(
      'resource "deployment" readyWhen: references unknown identifiers: [service]',
    );
    expect(graph.resources[0]?.dependencies).toEqual([]);
  });

  it('includeWhen on another resource adds an edge', () => {
    const text = base('')
      .replace(
        '    - id: service\n',
        '    - id: service\n      includeWhen:\n        - ${deployment.spec.replicas > 0}\n',
      )
      .replace('${deployment.metadata.name}-svc', 'svc');
    const { diagnostics, graph } = build(text);
    expect(errors(diagnostics)).toEqual([]);
    expect(graph.resources[1]?.dependencies).toEqual(['deployment']);
  });

  it('runtime is rejected outside status conditions', () => {
    const text = base('').replace('${deployment.metadata.name}-svc', '${runtime.foo}');
    const errs = errors(build(text).diagnostics);
    expect(errs.map((e) => e.message)).toContainEqual(
      expect.stringContaining('runtime is only available in status.conditions expressions'),
    );
  });

  it('an unknown kind is a warning and its fields are dyn', () => {
    const text = base('')
      .replace('kind: Service', 'kind: Widget')
      .replace('apiVersion: v1\n        kind: Widget', 'apiVersion: example.com/v1\n        kind: Widget');
    const { diagnostics, graph } = build(text);
    expect(errors(diagnostics)).toEqual([]);
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('no schema for Widget (example.com/v1)');
    expect(warnings[0]?.message).toContain('--crd');
    expect(graph.resources[1]?.kindSource).toBeUndefined();
  });
});

describe('forEach collections', () => {
  const text = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: regions
spec:
  schema:
    apiVersion: v1alpha1
    kind: Regions
    spec:
      regions: '[]string'
    status:
      names: \${maps.map(m, m.metadata.name)}
  resources:
    - id: maps
      forEach:
        - region: \${schema.spec.regions}
      readyWhen:
        - \${each.metadata.name != ""}
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cfg-\${region}
        data:
          region: \${region}
`;

  it('types the iterator from the list and collections as lists', () => {
    const { graph, diagnostics } = build(text);
    expect(diagnostics).toEqual([]);
    const maps = graph.resources[0];
    expect(maps?.type).toBe('collection');
    expect(maps?.forEach[0]?.elementType).toEqual({ kind: 'primitive', name: 'string' });
    expect(maps?.variables.map((v) => v.kind)).toEqual(['iteration', 'iteration']);
    expect(graph.instance.statusSchema).toEqual({
      type: 'object',
      properties: { names: { type: 'array', items: { type: 'string' } } },
    });
  });

  it('requires every iterator in the identity', () => {
    const { diagnostics } = build(text.replace('name: cfg-${region}', 'name: cfg'));
    expect(errors(diagnostics).map((d) => d.message)).toEqual([
      'node "maps": all forEach dimensions must be used to produce a unique resource identity, missing: [region]',
    ]);
  });

  it('a forEach must return a list', () => {
    const { diagnostics } = build(
      text.replace('region: ${schema.spec.regions}', 'region: ${schema.spec.regions[0]}'),
    );
    expect(errors(diagnostics).map((d) => d.message)).toEqual([
      'node "maps": forEach iterator "region" must return a list, got "string"',
    ]);
  });
});

describe("kro's e2e RGDs", () => {
  interface E2eTest {
    dir: string;
    rgdFiles: string[];
    asserts?: { expectTopologicalOrder?: string[] }[];
  }
  const e2eDir = `${root}test/conformance/kro/e2e/`;
  const index = JSON.parse(readFileSync(`${e2eDir}index.json`, 'utf8')) as { tests: E2eTest[] };
  const withOrder = index.tests.flatMap((t) =>
    (t.asserts ?? []).flatMap((a) =>
      a.expectTopologicalOrder ? [{ t, order: a.expectTopologicalOrder }] : [],
    ),
  );

  it('has the ordering assertions to check', () => {
    expect(withOrder.length).toBe(7);
  });

  for (const { t, order } of withOrder) {
    it(`${t.dir}: the order kro published, without errors`, () => {
      const path = `test/conformance/kro/e2e/${t.dir}/${t.rgdFiles[0]}`;
      const { graph, diagnostics } = example(path);
      expect(errors(diagnostics)).toEqual([]);
      expect(graph.topologicalOrder).toEqual(order);
    });
  }
});

describe('kinds from CRD files and from other RGDs', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'buckets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Bucket', plural: 'buckets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' } } },
                status: { type: 'object', properties: { url: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
  const user = (field: string) => `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: user
spec:
  schema:
    apiVersion: v1alpha1
    kind: User
    spec:
      name: string
    status:
      out: \${${field}}
  resources:
    - id: bucket
      template:
        apiVersion: example.com/v1
        kind: Bucket
        metadata:
          name: \${schema.spec.name}
        spec:
          size: 3
`;

  it('types a CRD kind from its schema, with the metadata every object has', () => {
    const ok = build(user('bucket.status.url'), 'user.yaml', { crds: [crd] });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.graph.resources[0]?.kindSource).toBe('crd');
    expect(ok.graph.instance.statusSchema).toEqual({
      type: 'object',
      properties: { out: { type: 'string' } },
    });
    expect(errors(build(user('bucket.metadata.labels'), 'user.yaml', { crds: [crd] }).diagnostics)).toEqual(
      [],
    );
    const bad = errors(build(user('bucket.status.uri'), 'user.yaml', { crds: [crd] }).diagnostics);
    expect(bad.map((d) => d.message)).toEqual([
      'failed to type-check status expression "${bucket.status.uri}" at path "out": undefined field \'uri\'',
    ]);
  });

  it("types another RGD's instances from its spec and inferred status", () => {
    const network = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: network
spec:
  schema:
    apiVersion: v1alpha1
    kind: Network
    spec:
      cidr: string
    status:
      subnetCount: \${size(cfg.data)}
  resources:
    - id: cfg
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: net
        data:
          cidr: \${schema.spec.cidr}
`;
    const app = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: app
spec:
  schema:
    apiVersion: v1alpha1
    kind: App
    status:
      subnets: \${net.status.subnetCount}
      cidr: \${net.spec.cidr}
      state: \${net.status.state}
  resources:
    - id: net
      template:
        apiVersion: kro.run/v1alpha1
        kind: Network
        metadata:
          name: net
        spec:
          cidr: 10.0.0.0/16
`;
    const loaded = loadRgds([
      { path: 'network.yaml', text: network },
      { path: 'app.yaml', text: app },
    ]);
    expect(loaded.diagnostics).toEqual([]);
    const [net, appRgd] = loaded.rgds;
    if (!net || !appRgd) throw new Error('missing RGD');
    const { graph, diagnostics } = buildGraph(appRgd, { rgds: loaded.rgds });
    expect(diagnostics).toEqual([]);
    expect(graph.resources[0]?.kindSource).toBe('rgd');
    expect(graph.instance.statusSchema).toEqual({
      type: 'object',
      properties: { subnets: { type: 'integer' }, cidr: { type: 'string' }, state: { type: 'string' } },
    });
    const typo = loadRgds([{ path: 'app.yaml', text: app.replace('net.spec.cidr}', 'net.spec.cidrs}') }])
      .rgds[0];
    if (!typo) throw new Error('missing RGD');
    const wrong = errors(buildGraph(typo, { rgds: [net, typo] }).diagnostics);
    expect(wrong.map((d) => d.message)).toEqual([
      'failed to type-check status expression "${net.spec.cidrs}" at path "cidr": undefined field \'cidrs\'',
    ]);
  });
});

describe('namespace rules, from the scope the kind resolver finds (kro validateTemplateConstraints)', () => {
  const text = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1alpha1
    kind: Thing
    scope: Cluster
    spec: {ns: string}
  resources:
    - id: ns
      template: {apiVersion: v1, kind: Namespace, metadata: {name: a, namespace: b}}
    - id: cm
      template: {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
    - id: blank
      template: {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: " "}}
    - id: ok
      template: {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: "\${schema.spec.ns}"}}
    - id: many
      externalRef: {apiVersion: v1, kind: ConfigMap, metadata: {selector: {}}}
    - id: unknown
      template: {apiVersion: x.io/v1, kind: Widget, metadata: {name: a}}
`;

  it('refuse a namespace on cluster-scoped kinds and require one on namespaced kinds of a cluster-scoped instance', () => {
    const { diagnostics } = build(text);
    expect(errors(diagnostics).map((d) => `${where(d)} ${d.message}`)).toEqual([
      '13:71 resource "ns" is cluster-scoped and must not set metadata.namespace',
      '15:51 resource "cm" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped',
      '17:71 resource "blank" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped',
    ]);
  });

  it('a namespaced instance may leave the namespace to kro', () => {
    const { diagnostics } = build(text.replace('    scope: Cluster\n', ''));
    expect(errors(diagnostics).map((d) => d.message)).toEqual([
      'resource "ns" is cluster-scoped and must not set metadata.namespace',
    ]);
  });
});

describe("expressions kro's checker refuses (issue 18)", () => {
  const rgd = (scope: string, expr: string) => `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1alpha1
    kind: Thing
    scope: ${scope}
    spec: {x: integer}
  resources:
    - id: cm
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a, namespace: default}
        data:
          a: '\${${expr}}'
`;
  const first = (scope: string, expr: string) => errors(build(rgd(scope, expr)).diagnostics)[0]?.message;

  it('schema.metadata has no namespace in a cluster-scoped RGD, so an optional select of it is an undefined field', () => {
    expect(first('Cluster', 'schema.metadata.?namespace.orValue("x")')).toMatch(
      /undefined field 'namespace'$/,
    );
    expect(first('Namespaced', 'schema.metadata.?namespace.orValue("x")')).toBeUndefined();
  });

  it('math is not a namespace of kro: its functions name an unknown identifier', () => {
    expect(first('Namespaced', 'string(math.least(1, 2))')).toBe(
      'resource "cm": references unknown identifiers: [math]',
    );
  });

  it('a cross-type ordering in a template is refused with cel-go words', () => {
    expect(first('Namespaced', 'string(schema.spec.x < 1.5)')).toMatch(
      /found no matching overload for '_<_' applied to '\(int, double\)'$/,
    );
  });
});

describe('kinds of built-in groups (issue 18 item 15)', () => {
  const withKind = (apiVersion: string, kind: string) => `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1alpha1
    kind: Thing
  resources:
    - id: cm
      template:
        apiVersion: ${apiVersion}
        kind: ${kind}
        metadata: {name: a}
`;

  it('a kind the bundle does not list in a built-in group does not exist: an error in the resolver words kro passes on', () => {
    const core = build(withKind('v1', 'configmap')).diagnostics;
    expect(core.map((d) => `${d.severity} ${where(d)} ${d.message}`)).toEqual([
      'error 13:15 failed to get schema for resource cm: cannot resolve group version kind "/v1, Kind=configmap": schema not found',
    ]);
    expect(errors(build(withKind('apps/v1', 'Deploy')).diagnostics)[0]?.message).toBe(
      'failed to get schema for resource cm: cannot resolve group version kind "apps/v1, Kind=Deploy": schema not found',
    );
  });

  it('a version a built-in group does not serve is an error too', () => {
    expect(errors(build(withKind('apps/v2', 'Deployment')).diagnostics)[0]?.message).toBe(
      'failed to get schema for resource cm: cannot resolve group version "apps/v2": schema not found',
    );
  });

  it('a kind of another group stays a warning: its CRD may simply not have been given', () => {
    const d = build(withKind('example.com/v1', 'Widget')).diagnostics;
    expect(d.map((x) => x.severity)).toEqual(['warning']);
  });
});

describe('status fields (issue 18)', () => {
  const withStatus = (status: string) => `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1alpha1
    kind: Thing
    spec:
      namespace: string
      in: string
      my-field: string
      dotted.key: string
      addr: string
    status:
${status}
  resources:
    - id: pod
      template:
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
            - name: c
              image: nginx
              env:
                - name: X
                  valueFrom:
                    resourceFieldRef: {resource: limits.cpu}
`;
  const props = (s: unknown) => (s as { properties: Record<string, unknown> }).properties;

  it('a uint status value is a warning: kro cannot deep-copy it into the status', () => {
    const { diagnostics } = build(withStatus('      count: ${uint(1) + uint(size(schema.spec.addr))}'));
    expect(diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual([
      `warning status field "count" holds a uint (uint): kro's reconcile cannot copy it into the instance status (cannot deep copy uint64) and the instance never gets its status; convert it, e.g. int(...)`,
    ]);
  });

  it("field names are escaped as kro's CEL declarations write them", () => {
    const { graph } = build(withStatus('      echo: ${schema.spec}'));
    expect(Object.keys(props(props(graph.instance.statusSchema)['echo'])).sort()).toEqual([
      '__in__',
      '__namespace__',
      'addr',
      'dotted__dot__key',
      'my__dash__field',
    ]);
  });

  it('untyped fields (a single Quantity) are left out, empty objects have no properties, opaque types are unknown', () => {
    const { graph } = build(
      withStatus(
        [
          '      ref: ${pod.spec.containers[0].env[0].valueFrom.resourceFieldRef}',
          '      mf: ${pod.metadata.managedFields}',
          '      ip: ${ip(schema.spec.addr)}',
          '      net: ${cidr(schema.spec.addr)}',
          '      kind: ${type(schema.spec.addr)}',
          '      kinds: ${type([schema.spec.addr])}',
        ].join('\n'),
      ),
    );
    const status = props(graph.instance.statusSchema);
    expect(Object.keys(props(status['ref'])).sort()).toEqual(['containerName', 'resource']);
    const entry = (status['mf'] as { items: unknown }).items;
    expect(props(entry)['fieldsV1']).toEqual({ type: 'object' });
    expect(status['ip']).toEqual({
      description: 'unknown CEL type: net.IP',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(status['net']).toEqual({
      description: 'unknown CEL type: net.CIDR',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    // kro names the type a type(...) holds, in cel-go's spelling.
    expect(status['kind']).toEqual({
      description: 'unknown CEL type: type(string)',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(status['kinds']).toEqual({
      description: 'unknown CEL type: type(list(string))',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });
});
