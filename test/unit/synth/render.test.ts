// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// renderInstance: kro's runtime semantics offline, one rule per test.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { compileGraph, DEPENDS_ON, renderInstance, SYNC_WAVE } from '../../../src/synth/index.js';
import { docFrom, instance, rgdFrom, rgdYaml } from './helpers.js';

const objects = (r: ReturnType<typeof renderInstance>) => r.manifests.map((m) => m.object);
const meta = (o: JsonObject | undefined) => (o?.metadata ?? {}) as Record<string, unknown>;
const annotations = (o: JsonObject | undefined) => (meta(o).annotations ?? {}) as Record<string, string>;
const labels = (o: JsonObject | undefined) => (meta(o).labels ?? {}) as Record<string, string>;
const errors = (r: ReturnType<typeof renderInstance>) => r.diagnostics.filter((d) => d.severity === 'error');

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

describe('the seed web-app example', () => {
  const text = readFileSync(new URL('../../../examples/web-app/rgd.yaml', import.meta.url), 'utf8');
  const { rgd, graph } = rgdFrom(text, 'examples/web-app/rgd.yaml');

  it('web-app-1: a Deployment, then its Service with the Deployment as dependency and a later wave', () => {
    const r = renderInstance(
      graph,
      rgd,
      instance(
        'web-app-1',
        { name: 'web-app-1', image: 'httpd:2.4', replicas: 3, svcType: 'NodePort' },
        { kind: 'Application' },
      ),
    );
    expect(errors(r)).toEqual([]);
    const [deployment, service, ...rest] = objects(r);
    expect(rest).toEqual([]);
    expect(deployment?.kind).toBe('Deployment');
    expect(meta(deployment).name).toBe('web-app-1');
    const dspec = deployment?.spec as JsonObject;
    expect(dspec.replicas).toBe(3);
    expect(dspec.selector).toEqual({ matchLabels: { app: 'web-app-1' } });
    expect(JSON.stringify(dspec.template)).toContain('"image":"httpd:2.4"');

    expect(service?.kind).toBe('Service');
    expect(meta(service).name).toBe('web-app-1-service');
    const sspec = service?.spec as JsonObject;
    expect(sspec.type).toBe('NodePort');
    expect(sspec.selector).toEqual(dspec.selector && (dspec.selector as JsonObject).matchLabels);
    expect(annotations(service)[DEPENDS_ON]).toBe('apps/namespaces/default/Deployment/web-app-1');
    expect(annotations(deployment)[DEPENDS_ON]).toBeUndefined();
    expect(Number(annotations(service)[SYNC_WAVE])).toBeGreaterThan(
      Number(annotations(deployment)[SYNC_WAVE]),
    );
  });

  it('web-app-2 takes the schema defaults: one replica, ClusterIP', () => {
    const r = renderInstance(
      graph,
      rgd,
      instance('web-app-2', { name: 'web-app-2', image: 'nginx' }, { kind: 'Application' }),
    );
    expect(errors(r)).toEqual([]);
    const [deployment, service] = objects(r);
    expect(((deployment as JsonObject).spec as JsonObject).replicas).toBe(1);
    expect(((service as JsonObject).spec as JsonObject).type).toBe('ClusterIP');
  });

  it('gives the same objects, key order included, every time', () => {
    const inst = instance('web-app-1', { name: 'web-app-1' }, { kind: 'Application' });
    const a = JSON.stringify(objects(renderInstance(graph, rgd, inst)));
    const b = JSON.stringify(objects(renderInstance(graph, rgd, inst)));
    expect(a).toBe(b);
    // The template's key order, with the inherited namespace right after the name.
    const [deployment] = objects(renderInstance(graph, rgd, inst));
    expect(Object.keys(deployment ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(meta(deployment))).toEqual(['name', 'namespace', 'labels', 'annotations']);
  });

  it('compiles each graph once and reuses it for every instance', () => {
    expect(compileGraph(graph)).toBe(compileGraph(graph));
  });

  it('never emits kro.run labels', () => {
    const r = renderInstance(graph, rgd, instance('x', { name: 'x' }, { kind: 'Application' }));
    for (const o of objects(r)) {
      expect(Object.keys(labels(o)).filter((k) => k.startsWith('kro.run/'))).toEqual([]);
      expect(labels(o)['kro-gen.dev/instance-name']).toBe('x');
    }
  });
});

describe('expressions', () => {
  const { rgd, graph } = rgdFrom(
    rgdYaml({
      spec: [
        'name: string | default="app"',
        'replicas: integer | default=3',
        'ratio: float | default=3',
        'extra: "map[string]string"',
      ].join('\n'),
      resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.spec.name}-cm
      labels: \${schema.spec.extra}
    data:
      half: \${string(schema.spec.replicas / 2)}
      ratio: \${string(schema.spec.ratio / 2.0)}
      joined: "\${schema.spec.name}/\${string(schema.spec.replicas)}"
      escaped: \${"\${VAR}"}
    immutable: \${schema.spec.replicas > 2}`,
    }),
  );

  it('standalone expressions keep their type; string templates concatenate; ints stay ints', () => {
    const r = renderInstance(graph, rgd, instance('a', { extra: { x: 'y' } }));
    expect(errors(r)).toEqual([]);
    const [cm] = objects(r);
    expect(cm?.data).toEqual({ half: '1', ratio: '1.5', joined: 'app/3', escaped: `\${VAR}` });
    expect(meta(cm).labels).toMatchObject({ x: 'y' });
    expect(cm?.immutable).toBe(true);
  });

  it('a string template part that is not a string is an error at that part', () => {
    const text = rgdYaml({
      spec: 'replicas: integer | default=3',
      resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm-\${dyn(schema.spec.replicas)}`,
    });
    const t = rgdFrom(text);
    const r = renderInstance(t.graph, t.rgd, instance('a'));
    expect(r.manifests).toEqual([]);
    expect(errors(r)[0]?.message).toMatch(/must give a string, got int/);
    expect(errors(r)[0]?.pos).toMatchObject({ file: 'rgd.yaml', ...positionOf(text, `\${dyn(`) });
  });
});

describe('run-time values', () => {
  const text = rgdYaml({
    resources: `
- id: deployment
  template:
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: \${schema.spec.name}
    spec:
      selector:
        matchLabels:
          app: x
      template:
        metadata:
          labels:
            app: x
        spec:
          containers:
            - name: c
              image: nginx
- id: service
  template:
    apiVersion: v1
    kind: Service
    metadata:
      name: svc
    spec:
      selector: \${deployment.spec.selector.matchLabels}
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm
    data:
      ready: \${string(deployment.status.availableReplicas)}`,
  });
  const { rgd, graph } = rgdFrom(text);

  it('reading status fails, naming the expression, its position, the instance and bundle mode', () => {
    const { object, loc } = docFrom(
      'apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata:\n  name: one\n',
      'one.yaml',
    );
    const r = renderInstance(graph, rgd, object, { instanceLoc: loc });
    expect(r.manifests).toEqual([]);
    const [e] = errors(r);
    expect(e?.message).toContain(`\${string(deployment.status.availableReplicas)}`);
    expect(e?.message).toContain('TestApp default/one (one.yaml:1:1)');
    expect(e?.message).toContain('--mode bundle');
    expect(e?.pos).toMatchObject({ file: 'rgd.yaml', ...positionOf(text, `\${string(deployment.status`) });
  });

  it('server-set fields are not known either: metadata.uid, a Service clusterIP the template does not set', () => {
    for (const expr of ['deployment.metadata.uid', 'service.spec.clusterIP']) {
      const t = rgdFrom(text.replace('string(deployment.status.availableReplicas)', expr));
      const r = renderInstance(t.graph, t.rgd, instance('one'));
      expect(errors(r)[0]?.message).toMatch(/No such key: (uid|clusterIP).*--mode bundle/);
    }
  });

  it('an optional with a default takes the default', () => {
    const t = rgdFrom(
      text.replace(
        'string(deployment.status.availableReplicas)',
        'string(deployment.?status.?availableReplicas.orValue(0))',
      ),
    );
    const r = renderInstance(t.graph, t.rgd, instance('one'));
    expect(errors(r)).toEqual([]);
    expect(objects(r)[2]?.data).toEqual({ ready: '0' });
  });

  it('references resolve against the rendered desired objects of dependencies', () => {
    const t = rgdFrom(
      text.replace(
        'string(deployment.status.availableReplicas)',
        'deployment.metadata.name + "/" + deployment.metadata.namespace',
      ),
    );
    const r = renderInstance(t.graph, t.rgd, instance('one', { name: 'web' }, { namespace: 'prod' }));
    expect(errors(r)).toEqual([]);
    expect(objects(r)[2]?.data).toEqual({ ready: 'web/prod' });
    expect(objects(r)[1]?.spec).toEqual({ selector: { app: 'x' } });
  });

  it('an unset field without a default is reported as the instance leaving it out', () => {
    const t = rgdFrom(
      rgdYaml({
        spec: 'owner: string',
        resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.spec.owner}`,
      }),
    );
    const r = renderInstance(t.graph, t.rgd, instance('one'));
    expect(errors(r)[0]?.message).toMatch(/No such key: owner: the instance does not set it/);
  });
});

describe('schema: the instance, defaulted, without status', () => {
  const { rgd, graph } = rgdFrom(
    rgdYaml({
      spec: [
        'db:',
        '  host: string | default="db"',
        '  port: integer | default=5432',
        'endpoints: "[]Endpoint"',
        'limits: "map[string]Limit"',
      ].join('\n'),
      resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}
      labels:
        team: \${schema.metadata.labels.team}
    data:
      spec: \${json.marshal(schema.spec)}
      namespace: \${schema.metadata.namespace}`,
    }).replace(
      '    spec:\n      db:',
      '    types:\n      Endpoint:\n        url: string\n        timeout: integer | default=30\n      Limit:\n        cpu: string | default="100m"\n    spec:\n      db:',
    ),
  );

  it('applies defaults like the API server: nested objects, array items and map values', () => {
    const r = renderInstance(graph, rgd, {
      ...instance('one', { endpoints: [{ url: 'a' }], limits: { small: {} } }),
      metadata: { name: 'one', labels: { team: 'x' } },
      status: { ignored: true },
    });
    expect(errors(r)).toEqual([]);
    const [cm] = objects(r);
    expect(JSON.parse(((cm as JsonObject).data as Record<string, string>).spec as string)).toEqual({
      db: { host: 'db', port: 5432 },
      endpoints: [{ timeout: 30, url: 'a' }],
      limits: { small: { cpu: '100m' } },
    });
    expect(((cm as JsonObject).data as Record<string, string>).namespace).toBe('default');
    expect(meta(cm).labels).toMatchObject({ team: 'x' });
    expect(r.instance?.object.status).toBeUndefined();
  });

  it('rejects an instance the API server would refuse, at the offending field', () => {
    const { object, loc } = docFrom(
      'apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata:\n  name: one\nspec:\n  db:\n    port: high\n',
    );
    const r = renderInstance(graph, rgd, object, { instanceLoc: loc });
    expect(r.manifests).toEqual([]);
    expect(errors(r)[0]).toMatchObject({
      message: 'spec.db.port: expected integer, got string',
      pos: { file: 'instance.yaml', line: 7, col: 11 },
    });
  });

  it('rejects an instance of another kind', () => {
    const r = renderInstance(graph, rgd, instance('one', {}, { kind: 'Other' }));
    expect(errors(r)[0]?.message).toMatch(
      /instance is kro.run\/v1alpha1 Other, but RGD test defines kro.run\/v1alpha1 TestApp/,
    );
  });
});

describe('includeWhen', () => {
  const { rgd, graph } = rgdFrom(
    rgdYaml({
      spec: 'enabled: boolean | default=false',
      resources: `
- id: base
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: base
- id: extra
  includeWhen:
    - \${schema.spec.enabled}
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: optional
- id: downstream
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${extra.metadata.name}-child`,
    }),
  );

  it('false excludes the resource and everything downstream of it', () => {
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)).toEqual([]);
    expect(objects(r).map((o) => meta(o).name)).toEqual(['base']);
    expect(r.excluded).toEqual(['extra', 'downstream']);
  });

  it('true includes both', () => {
    const r = renderInstance(graph, rgd, instance('one', { enabled: true }));
    expect(objects(r).map((o) => meta(o).name)).toEqual(['base', 'optional', 'optional-child']);
  });
});

describe('forEach', () => {
  const collection = (dims: string, name: string, extra = '') =>
    rgdFrom(
      rgdYaml({
        spec: ['regions: "[]string"', 'tiers: "[]string"', 'count: integer | default=2'].join('\n'),
        resources: `
- id: cms
  forEach:
${dims}
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: ${name}
- id: summary
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: summary
    data:
      names: \${cms.map(c, c.metadata.name).join(",")}${extra}`,
      }),
    );

  it('expands the cartesian product, first iterator outermost, items in index order', () => {
    const { rgd, graph } = collection(
      `    - region: \${schema.spec.regions}\n    - tier: \${schema.spec.tiers}`,
      `\${region}-\${tier}`,
    );
    const r = renderInstance(graph, rgd, instance('one', { regions: ['eu', 'us'], tiers: ['web', 'db'] }));
    expect(errors(r)).toEqual([]);
    const names = objects(r).map((o) => meta(o).name);
    expect(names).toEqual(['eu-web', 'eu-db', 'us-web', 'us-db', 'summary']);
    expect(r.manifests.slice(0, 4).map((m) => m.collectionIndex)).toEqual([0, 1, 2, 3]);
    expect(labels(objects(r)[3])['kro-gen.dev/collection-index']).toBe('3');
    // A collection is a list to the resources that read it, and each item is a dependency.
    expect(objects(r)[4]?.data).toEqual({ names: 'eu-web,eu-db,us-web,us-db' });
    expect(annotations(objects(r)[4])[DEPENDS_ON]?.split(',')).toHaveLength(4);
  });

  it('an empty list gives no objects', () => {
    const { rgd, graph } = collection(`    - region: \${schema.spec.regions}`, `\${region}`);
    const r = renderInstance(graph, rgd, instance('one', { regions: [] }));
    expect(errors(r)).toEqual([]);
    expect(objects(r).map((o) => meta(o).name)).toEqual(['summary']);
    expect(objects(r)[0]?.data).toEqual({ names: '' });
  });

  it('more than 1000 items is an error', () => {
    const { rgd, graph } = collection(
      `    - region: \${schema.spec.regions}\n    - tier: \${schema.spec.tiers}`,
      `\${region}-\${tier}`,
    );
    const many = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const r = renderInstance(graph, rgd, instance('one', { regions: many, tiers: many }));
    expect(errors(r)[0]?.message).toMatch(
      /collection size of 1600 is over the maximum collection size of 1000/,
    );
    const small = renderInstance(graph, rgd, instance('one', { regions: many, tiers: many }), {
      maxCollectionSize: 2000,
    });
    expect(errors(small)).toEqual([]);
  });

  it('items with the same identity are an error', () => {
    const { rgd, graph } = collection(
      `    - region: \${schema.spec.regions}`,
      `same-\${string(size(region))}`,
    );
    const r = renderInstance(graph, rgd, instance('one', { regions: ['eu', 'us'] }));
    expect(errors(r)[0]?.message).toMatch(/duplicate identity: \/v1\/ConfigMap\/default\/same-2/);
  });
});

describe('namespaces', () => {
  const resources = `
- id: plain
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: plain
- id: explicit
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: explicit
      namespace: other
- id: ns
  template:
    apiVersion: v1
    kind: Namespace
    metadata:
      name: created
- id: custom
  template:
    apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: widget`;

  it('namespaced children take the instance namespace; cluster-scoped kinds never get one; unknown kinds count as namespaced', () => {
    const { rgd, graph } = rgdFrom(rgdYaml({ resources }));
    const r = renderInstance(graph, rgd, instance('one', {}, { namespace: 'team' }));
    expect(errors(r)).toEqual([]);
    expect(objects(r).map((o) => meta(o).namespace)).toEqual(['team', 'other', undefined, 'team']);
    expect(labels(objects(r)[0])['kro-gen.dev/instance-namespace']).toBe('team');
  });

  it('a cluster-scoped instance needs a namespace on namespaced children that resolves to one', () => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        scope: 'Cluster',
        resources:
          resources
            .split('- id: ns')[0]
            ?.replace(
              '- id: plain\n  template:\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: plain\n',
              '',
            ) ?? '',
      }),
    );
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)).toEqual([]);
    expect(objects(r).map((o) => meta(o).namespace)).toEqual(['other']);
    expect(labels(objects(r)[0])['kro-gen.dev/instance-namespace']).toBeUndefined();

    const bad = rgdFrom(
      rgdYaml({
        scope: 'Cluster',
        spec: 'ns: string | default=""',
        resources: `
- id: plain
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: x
      namespace: \${schema.spec.ns}`,
      }),
    );
    const b = renderInstance(bad.graph, bad.rgd, instance('one'));
    expect(errors(b)[0]?.message).toMatch(
      /node "plain" is namespaced and must resolve metadata.namespace when the instance is cluster-scoped/,
    );
  });
});

describe('external references', () => {
  const text = rgdYaml({
    resources: `
- id: input
  externalRef:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
- id: pool
  externalRef:
    apiVersion: v1
    kind: Secret
    metadata:
      selector:
        matchLabels:
          pool: a
- id: owned
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: owned
    data:
      value: \${input.data.value}
      secrets: \${pool.map(s, s.metadata.name).join(",")}`,
  });
  const { rgd, graph } = rgdFrom(text);
  const settings = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'default' },
    data: { value: 'v' },
  };
  const secret = (name: string, pool: string, namespace = 'default') => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { pool } },
  });

  it('reads supplied objects: by name, and by selector as a sorted list; they are not emitted', () => {
    const r = renderInstance(graph, rgd, instance('one'), {
      externals: [secret('s2', 'a'), settings, secret('s1', 'a'), secret('s3', 'b')],
    });
    expect(errors(r)).toEqual([]);
    expect(objects(r).map((o) => meta(o).name)).toEqual(['owned']);
    expect(objects(r)[0]?.data).toEqual({ value: 'v', secrets: 's1,s2' });
  });

  it('a missing external object is an error suggesting --external', () => {
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)[0]?.message).toMatch(
      /reads external resource "input" \(v1 ConfigMap default\/settings\), which was not supplied: pass the object with --external FILE/,
    );
    expect(errors(r)[0]?.pos).toMatchObject(positionOf(text, `\${input.data.value}`));
  });
});

describe('omit() without the feature gate', () => {
  it('is an unknown function, as in kro by default (render-omit.test.ts has the gate on)', () => {
    const text = rgdYaml({
      resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm
    binaryData: \${omit()}`,
    });
    expect(() => rgdFrom(text)).toThrow(/omit/);
  });
});

describe('options', () => {
  const text = readFileSync(new URL('../../../examples/web-app/rgd.yaml', import.meta.url), 'utf8');
  const { rgd, graph } = rgdFrom(text);
  const inst = instance('w', { name: 'w' }, { kind: 'Application' });

  it('annotations [] and labels false leave the objects as kro renders them', () => {
    const r = renderInstance(graph, rgd, inst, { annotations: [], labels: false });
    expect(objects(r).map((o) => Object.keys(meta(o)))).toEqual([
      ['name', 'namespace'],
      ['name', 'namespace'],
    ]);
    // Ordering facts are still reported to the caller.
    expect(r.manifests[1]?.dependsOn).toEqual(['apps/namespaces/default/Deployment/w']);
    expect(r.manifests.map((m) => m.wave)).toEqual([0, 1]);
  });

  it('waveOffset shifts every wave; defaultNamespace names the namespace', () => {
    const r = renderInstance(graph, rgd, inst, { waveOffset: 5, defaultNamespace: 'apps' });
    expect(r.manifests.map((m) => m.wave)).toEqual([5, 6]);
    expect(objects(r).map((o) => meta(o).namespace)).toEqual(['apps', 'apps']);
  });
});

describe('values kro writes or refuses at apply (issue 18 items 1, 4, 5)', () => {
  const cm = (data: string, kind = 'ConfigMap') =>
    rgdFrom(
      rgdYaml({
        spec: 'seed: string | default="s"\nb64: string | default="fw=="',
        resources: `
- id: obj
  template:
    apiVersion: v1
    kind: ${kind}
    metadata:
      name: x
    data:
${data}`,
      }),
    );

  it('bytes are written as base64, as Go encodes the []byte kro sets', () => {
    const { rgd, graph } = cm('      raw: ${bytes(schema.spec.seed)}\n      two: ${b"\\x00\\xff"}', 'Secret');
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)).toEqual([]);
    expect(objects(r)[0]?.data).toEqual({ raw: 'cw==', two: 'AP8=' });
  });

  it('DEL and C1 control characters are refused: the API server cannot decode them from kro', () => {
    const { rgd, graph } = cm('      v: ${string(base64.decode(schema.spec.b64))}');
    const del = renderInstance(graph, rgd, instance('one'));
    expect(errors(del)[0]?.message).toContain(
      'holds the control character U+007F, which kro cannot apply: the API server refuses it (error converting YAML to JSON: yaml: control characters are not allowed)',
    );
    const c1 = renderInstance(graph, rgd, instance('one', { b64: 'wps=' }));
    expect(errors(c1)[0]?.message).toContain('U+009B');
    // ESC is escaped by JSON and NEL is allowed: both reach kro's objects.
    for (const [b64, text] of [
      ['Gw==', '\u001b'],
      ['woU=', '\u0085'],
    ] as const) {
      const ok = renderInstance(graph, rgd, instance('one', { b64 }));
      expect(errors(ok)).toEqual([]);
      expect(objects(ok)[0]?.data).toEqual({ v: text });
    }
  });

  it('a control character inside a string template or a map key is refused too', () => {
    const inString = cm('      v: "a-${string(base64.decode(schema.spec.b64))}"');
    expect(errors(renderInstance(inString.graph, inString.rgd, instance('one')))[0]?.message).toContain(
      'U+007F',
    );
    const key = rgdFrom(
      rgdYaml({
        spec: 'b64: string | default="fw=="',
        resources: `
- id: obj
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: x
    data: '\${ {string(base64.decode(schema.spec.b64)): "1"} }'`,
      }),
    );
    expect(errors(renderInstance(key.graph, key.rgd, instance('one')))[0]?.message).toContain(
      'its value at ["\\u007f"] holds the control character U+007F',
    );
  });

  it('metadata.generateName without a name is refused: kro applies by name', () => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        resources: `
- id: obj
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      generateName: m11-`,
      }),
    );
    expect(errors(renderInstance(graph, rgd, instance('one')))[0]?.message).toBe(
      'resource "obj" for TestApp default/one: metadata.name is required: kro does not create objects from metadata.generateName (its apply fails with "name is required")',
    );
  });
});

describe('a map an expression returns with a field the kind does not declare (issue 18 item 6)', () => {
  it('is refused at the expression, as the API server refuses kro apply', () => {
    const text = rgdYaml({
      spec: 'cpu: string | default="1"',
      resources: `
- id: pod
  template:
    apiVersion: v1
    kind: Pod
    metadata:
      name: p
    spec:
      containers:
        - name: c
          image: nginx
          resources: '\${ {"limits": {"cpu": schema.spec.cpu}, "limit": {"cpu": schema.spec.cpu}} }'`,
    });
    const { rgd, graph } = rgdFrom(text);
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r).map((d) => d.message)).toEqual([
      `resource "pod" for TestApp default/one: .spec.containers[0].resources.limit: field not declared in schema (the API server's server-side apply refuses it)`,
    ]);
    expect(errors(r)[0]?.pos?.line).toBe(positionOf(text, 'resources: ').line);
  });

  it('maps and free-form objects take any key', () => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: c
      labels: '\${ {"any-key": "v"} }'
    data: '\${ {"x": "1", "y.z": "2"} }'`,
      }),
    );
    expect(errors(renderInstance(graph, rgd, instance('one')))).toEqual([]);
  });
});

describe('quantities as the API server stores them (issue 18 item 2)', () => {
  const text = (size: string) =>
    rgdYaml({
      spec: `size: string | default="${size}"`,
      resources: `
- id: pvc
  template:
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: \${schema.spec.size}
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: echo
    data:
      storage: \${string(pvc.spec.resources.requests.storage)}`,
    });

  it.each([
    ['1024Mi', '1Gi'],
    ['0.5', '500m'],
    ['1000m', '1'],
    ['2000000000', '2G'],
    ['10Gi', '10Gi'],
  ])('%s is rendered and read back as %s', (size, stored) => {
    const { rgd, graph } = rgdFrom(text(size));
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)).toEqual([]);
    const [pvc, cm] = objects(r);
    const pvcSpec = pvc?.spec as { resources: { requests: { storage: string } } } | undefined;
    expect(pvcSpec?.resources.requests.storage).toBe(stored);
    expect(cm?.data).toEqual({ storage: stored });
  });

  it('a number in a quantity field is stored as its canonical string', () => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        resources: `
- id: pod
  template:
    apiVersion: v1
    kind: Pod
    metadata:
      name: p
    spec:
      containers:
        - name: c
          image: nginx
          resources:
            limits:
              cpu: \${1.5}
              memory: \${2000000000}`,
      }),
    );
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)).toEqual([]);
    const spec = objects(r)[0]?.spec as { containers: { resources: unknown }[] };
    expect(spec.containers[0]?.resources).toEqual({ limits: { cpu: '1500m', memory: '2G' } });
  });

  it('a value the API server cannot parse as a quantity is an error at its expression', () => {
    const { rgd, graph } = rgdFrom(text('lots'));
    const r = renderInstance(graph, rgd, instance('one'));
    expect(errors(r)[0]?.message).toMatch(
      /^resource "pvc" for TestApp default\/one: \.spec\.resources\.requests\.storage: quantities must match/,
    );
  });
});

describe('labels and annotations kro adds (issue 18 item 3)', () => {
  const render = (expr: string) => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        resources: `
- id: a
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
      labels: {app: web}
- id: b
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: b
    data:
      v: '${expr}'`,
      }),
    );
    return renderInstance(graph, rgd, instance('one'));
  };

  it.each([
    ['${string(size(schema.metadata.?labels.orValue({})))}', 'schema.metadata.?labels'],
    ['${a.metadata.labels.map(k, k).sort().join(",")}', 'a.metadata.labels'],
    ['${a.metadata.labels["kro.run/instance-id"]}', 'a.metadata.labels["kro.run/instance-id"]'],
    [
      '${a.metadata.labels["kro.run/resource-graph-definition-name"]}',
      'a.metadata.labels["kro.run/resource-graph-definition-name"]',
    ],
    [
      '${schema.metadata.labels["kro.run/resource-graph-definition-id"]}',
      'schema.metadata.labels["kro.run/resource-graph-definition-id"]',
    ],
    [
      '${schema.metadata.annotations["applyset.kubernetes.io/contains-group-kinds"]}',
      'schema.metadata.annotations["applyset.kubernetes.io/contains-group-kinds"]',
    ],
    [
      '${a.metadata.annotations["applyset.kubernetes.io/tooling"]}',
      'a.metadata.annotations["applyset.kubernetes.io/tooling"]',
    ],
    ['${string(has(a.metadata.annotations))}', 'a.metadata.annotations'],
  ])('%s is a run-time-only read', (expr, read) => {
    expect(errors(render(expr))[0]?.message).toContain(
      `it reads ${read}, which holds the labels and annotations kro adds to what it applies`,
    );
  });

  it('a whole metadata map is a run-time-only read', () => {
    for (const read of ['schema.metadata', 'a.metadata', 'a.?metadata']) {
      expect(errors(render(`\${json.marshal(${read})}`))[0]?.message).toContain(
        `it reads ${read} as a whole, which holds what the API server sets`,
      );
    }
    expect(errors(render('${schema.metadata.name + a.?metadata.name.orValue("")}'))).toEqual([]);
  });

  it('a label of the template itself renders', () => {
    const r = render('${a.metadata.labels.app + "-" + a.metadata.labels["app"]}');
    expect(errors(r)).toEqual([]);
    expect(objects(r)[1]?.data).toEqual({ v: 'web-web' });
  });

  // Values kro v0.9.3 writes, checked against the real kro by test/e2e/differential/parity/kro-labels.
  it.each([
    ['schema.metadata.labels["kro.run/owned"]', 'true'],
    ['schema.metadata.labels["kro.run/kro-version"]', 'v0.9.3'],
    ['schema.metadata.labels["kro.run/resource-graph-definition-name"]', 'test'],
    // base64url(sha256("one.default.TestApp.kro.run")), unpadded
    ['schema.metadata.labels["applyset.kubernetes.io/id"]', applySet('one.default.TestApp.kro.run')],
    ['schema.metadata.annotations["applyset.kubernetes.io/tooling"]', 'kro/v0.9.3'],
    ['a.metadata.labels["kro.run/owned"]', 'true'],
    ['a.metadata.labels["kro.run/instance-name"]', 'one'],
    ['a.metadata.labels["kro.run/instance-namespace"]', 'default'],
    ['a.metadata.labels["kro.run/instance-kind"]', 'TestApp'],
    ['a.metadata.labels["kro.run/instance-group"]', 'kro.run'],
    ['a.metadata.labels["kro.run/instance-version"]', 'v1alpha1'],
    ['a.metadata.labels["kro.run/node-id"]', 'a'],
    ['a.metadata.labels["app.kubernetes.io/managed-by"]', 'kro'],
    ['a.metadata.labels["applyset.kubernetes.io/part-of"]', applySet('one.default.TestApp.kro.run')],
  ])("${%s} renders kro's value", (read, value) => {
    const r = render(`\${${read}}`);
    expect(errors(r)).toEqual([]);
    expect(objects(r)[1]?.data).toEqual({ v: value });
  });

  it('the labels kro adds are not written into the output', () => {
    const r = render('${a.metadata.labels["kro.run/owned"]}');
    expect(objects(r)[0]?.metadata).toMatchObject({ labels: { app: 'web' } });
    expect(JSON.stringify(objects(r))).not.toContain('kro.run/owned');
    expect(r.instance?.object.metadata).toEqual({ name: 'one', namespace: 'default' });
  });
});

function applySet(gknn: string): string {
  return `applyset-${createHash('sha256').update(gknn).digest('base64url')}-v1`;
}

describe('guarded reads of fields the API server fills in (issue 18 item 2)', () => {
  const render = (data: string) => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        resources: `
- id: svc
  template:
    apiVersion: v1
    kind: Service
    metadata:
      name: s
    spec:
      selector: {app: a}
      ports: [{port: 80, protocol: UDP}]
- id: dep
  template:
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: d
    spec:
      selector: {matchLabels: {app: a}}
      template:
        metadata: {labels: {app: a}}
        spec:
          containers: [{name: c, image: nginx}]
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm
    data:
      v: '${data}'`,
      }),
    );
    return renderInstance(graph, rgd, instance('one'));
  };

  it.each([
    [
      '${svc.spec.?clusterIP.orValue("none")}',
      'svc.spec.?clusterIP',
      'the template of "svc" leaves out spec.clusterIP',
    ],
    [
      '${string(has(dep.spec.template.spec.volumes[0].emptyDir))}',
      'dep.spec.template.spec.volumes[0].emptyDir',
      'the template of "dep" leaves out spec.template.spec.volumes[].emptyDir',
    ],
    [
      '${string(svc.spec.ports[0].?targetPort.orValue(1))}',
      'svc.spec.ports[0].?targetPort',
      'the template of "svc" leaves out spec.ports[].targetPort',
    ],
    [
      '${dep.spec.template.spec.containers[0].?imagePullPolicy.orValue("IfNotPresent")}',
      'dep.spec.template.spec.containers[0].?imagePullPolicy',
      'the template of "dep" leaves out spec.template.spec.containers[].imagePullPolicy',
    ],
    ['${schema.metadata.?uid.orValue("")}', 'schema.metadata.?uid', 'the instance leaves out metadata.uid'],
    [
      '${svc.metadata.?resourceVersion.orValue("")}',
      'svc.metadata.?resourceVersion',
      'the template of "svc" leaves out metadata.resourceVersion',
    ],
  ])('%s is an error while the template leaves the field out', (expr, read, where) => {
    const message = errors(render(expr))[0]?.message;
    expect(message).toContain(`it reads ${read}, and ${where}, which the API server fills in`);
  });

  it.each([
    ['${string(has(dep.spec.strategy))}', 'true'],
    ['${string(dep.spec.?replicas.orValue(7))}', '1'],
    ['${string(dep.spec.replicas)}', '1'],
    ['${dep.spec.strategy.rollingUpdate.maxSurge}', '25%'],
    ['${dep.spec.template.spec.?restartPolicy.orValue("")}', 'Always'],
    ['${dep.spec.template.spec.containers[0].terminationMessagePath}', '/dev/termination-log'],
    ['${string(has(dep.spec.template.spec.containers[0].resources))}', 'true'],
  ])('%s reads the constant the API server writes, as kro does', (expr, value) => {
    const r = render(expr);
    expect(errors(r)).toEqual([]);
    expect(objects(r)[2]?.data).toEqual({ v: value });
    // The emitted manifest stays as written: only what expressions read carries the defaults.
    expect(objects(r)[1]?.spec).not.toHaveProperty('replicas');
  });

  it('reads of fields the template sets, or the server does not default, render', () => {
    const r = render('${svc.spec.ports[0].?protocol.orValue("TCP") + string(has(svc.spec.selector))}');
    expect(errors(r)).toEqual([]);
    expect(objects(r)[2]?.data).toEqual({ v: 'UDPtrue' });
    const n = render('${svc.spec.?loadBalancerClass.orValue("none")}');
    expect(objects(n)[2]?.data).toEqual({ v: 'none' });
  });
});
