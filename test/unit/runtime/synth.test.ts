// Generated constructs inside ordinary cdk8s apps: bundle and expanded synthesis through
// Testing.synth / app.synthYaml, the mode switch, dependencies and their annotations, and
// rendering errors surfacing at synth time.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Application, WordPress } from '../../../generated/index.js';
import {
  ANNOTATIONS_CONTEXT_KEY,
  ANNOTATIONS_ENV,
  MODE_CONTEXT_KEY,
  MODE_ENV,
  modeOf,
  RGD_CHART_ID,
  setMode,
} from '../../../src/runtime/index.js';
import { constructFor, definitionOf } from './helpers.js';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

const DEPENDS_ON = 'config.kubernetes.io/depends-on';
const WAVE = 'argocd.argoproj.io/sync-wave';

function bundleApp(): App {
  const app = Testing.app();
  app.node.setContext(MODE_CONTEXT_KEY, 'bundle');
  return app;
}

/** What `app.synthYaml()` writes, parsed: all charts, in cdk8s's order. */
function objectsOf(app: App): Obj[] {
  return parseAllDocuments(app.synthYaml()).map((d) => d.toJS() as Obj);
}

function ids(objects: Obj[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

afterEach(() => {
  delete process.env[MODE_ENV];
  delete process.env[ANNOTATIONS_ENV];
});

describe('mode', () => {
  it('is expanded by default, else the nearest construct context, else the environment', () => {
    const app = Testing.app();
    const plain = new Chart(app, 'plain');
    const bundled = new Chart(app, 'bundled');
    setMode(bundled, 'bundle');
    expect(modeOf(plain)).toBe('expanded');
    expect(modeOf(bundled)).toBe('bundle');
    expect(modeOf(plain, { [MODE_ENV]: 'bundle' })).toBe('bundle');
    expect(modeOf(bundled, { [MODE_ENV]: 'expanded' })).toBe('bundle');
  });

  it('refuses values it does not know, saying where they came from', () => {
    const chart = Testing.chart();
    expect(() => modeOf(chart, { [MODE_ENV]: 'flat' })).toThrowError(
      'environment variable KRO_GEN_MODE is "flat": expected one of expanded, bundle',
    );
    chart.node.setContext(MODE_CONTEXT_KEY, 'x');
    expect(() => new Application(chart, 'a')).toThrowError(
      `construct context 'kro-gen:mode' is "x": expected one of expanded, bundle`,
    );
  });

  it('follows KRO_GEN_MODE when no context sets it', () => {
    process.env[MODE_ENV] = 'bundle';
    const chart = Testing.chart();
    const a = new Application(chart, 'a', { metadata: { name: 'a' } });
    expect(a.mode).toBe('bundle');
    expect(ids(Testing.synth(chart) as Obj[])).toEqual(['Application/a']);
  });
});

describe('bundle mode', () => {
  it('writes each RGD once, in a chart every instance chart comes after, then the instances', () => {
    const app = bundleApp();
    const web = new Chart(app, 'web');
    new Application(web, 'one', { metadata: { name: 'one' }, spec: { name: 'one' } });
    new Application(web, 'two', { metadata: { name: 'two' }, spec: { name: 'two', replicas: 2 } });
    const blog = new Chart(app, 'blog', { namespace: 'sites' });
    new WordPress(blog, 'site', {
      metadata: { name: 'site' },
      spec: { siteName: 'site', databaseSecret: 'site-db' },
    });
    expect(app.charts.map((c) => c.node.id)).toEqual([RGD_CHART_ID, 'web', 'blog']);
    const objects = objectsOf(app);
    expect(ids(objects)).toEqual([
      'ResourceGraphDefinition/web-app',
      'ResourceGraphDefinition/wordpress',
      'Application/one',
      'Application/two',
      'WordPress/site',
    ]);
    const [rgd, , one, , site] = objects;
    expect(rgd?.metadata).toEqual({ name: 'web-app', annotations: { [WAVE]: '0' } });
    expect(one).toEqual({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'one',
        // No namespace in the metadata or the chart: `default`, as `kro-gen synth` writes it.
        namespace: 'default',
        annotations: {
          'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
          [WAVE]: '1',
          [DEPENDS_ON]: 'kro.run/ResourceGraphDefinition/web-app',
        },
      },
      spec: { image: 'httpd:latest', name: 'one', replicas: 1, svcType: 'ClusterIP' },
    });
    // The chart's namespace applies to the (namespaced) instance.
    expect(site?.metadata.namespace).toBe('sites');
    expect(site?.metadata.annotations?.[DEPENDS_ON]).toBe('kro.run/ResourceGraphDefinition/wordpress');
  });

  it('makes the instance object the default child, for escape hatches', () => {
    const app = bundleApp();
    const chart = new Chart(app, 'c');
    const a = new Application(chart, 'a', { metadata: { name: 'a' } });
    ApiObject.of(a).metadata.addLabel('team', 'web');
    expect(
      (Testing.synth(chart) as { metadata: { labels?: Record<string, string> } }[])[0]?.metadata.labels,
    ).toEqual({
      team: 'web',
    });
  });

  it('derives the instance name from the construct path when none is given', () => {
    const app = bundleApp();
    const chart = new Chart(app, 'c');
    const a = new Application(chart, 'web');
    const [obj] = Testing.synth(chart) as Obj[];
    expect(obj?.metadata.name).toMatch(/^c-web-[0-9a-f]{8}$/);
    expect(a.name).toBe(obj?.metadata.name);
  });

  it('leaves the namespace off cluster-scoped kinds and orders an RGD after an RGD whose kind it uses', () => {
    const cluster = constructFor(
      definitionOf(
        'team.yaml',
        `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: team
spec:
  schema:
    apiVersion: v1alpha1
    kind: Team
    scope: Cluster
    spec:
      name: string | default=t
  resources:
    - id: app
      template:
        apiVersion: kro.run/v1alpha1
        kind: Application
        metadata:
          name: \${schema.spec.name}
          namespace: default
        spec:
          name: \${schema.spec.name}
`,
      ),
    );
    const app = bundleApp();
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    new cluster(chart, 'team', { metadata: { name: 'team' } });
    new Application(chart, 'web', { metadata: { name: 'web' } });
    const objects = objectsOf(app);
    expect(ids(objects)).toEqual([
      'ResourceGraphDefinition/web-app',
      'ResourceGraphDefinition/team',
      'Team/team',
      'Application/web',
    ]);
    expect(objects[1]?.metadata.annotations).toEqual({
      [WAVE]: '1',
      [DEPENDS_ON]: 'kro.run/ResourceGraphDefinition/web-app',
    });
    expect(objects[2]?.metadata.namespace).toBeUndefined();
    expect(objects[3]?.metadata.namespace).toBe('ns');
  });

  it('refuses two different RGDs with one name in one app', () => {
    const text = (field: string) => `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: same
spec:
  schema:
    apiVersion: v1alpha1
    kind: Same
    spec:
      ${field}: string
`;
    const A = constructFor(definitionOf('a.yaml', text('a')));
    const B = constructFor(definitionOf('b.yaml', text('b')));
    const chart = new Chart(bundleApp(), 'c');
    new A(chart, 'a');
    expect(() => new B(chart, 'b')).toThrowError(
      'two different RGDs are named same (from a.yaml and b.yaml); a cluster holds one RGD per name',
    );
  });
});

describe('dependencies', () => {
  it('order instances and show in the annotations, with plain ApiObjects too (bundle)', () => {
    const app = bundleApp();
    const chart = new Chart(app, 'c');
    const site = new WordPress(chart, 'site', {
      metadata: { name: 'site' },
      spec: { siteName: 'site', databaseSecret: 'site-db' },
    });
    const web = new Application(chart, 'web', { metadata: { name: 'web' } });
    const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
    site.addDependency(web);
    web.addDependency(cm);
    const objects = Testing.synth(chart) as Obj[];
    expect(ids(objects)).toEqual(['ConfigMap/cfg', 'Application/web', 'WordPress/site']);
    expect(objects[1]?.metadata.annotations?.[DEPENDS_ON]).toBe(
      '/ConfigMap/cfg,kro.run/ResourceGraphDefinition/web-app',
    );
    expect(objects[2]?.metadata.annotations?.[DEPENDS_ON]).toBe(
      'kro.run/ResourceGraphDefinition/wordpress,kro.run/namespaces/default/Application/web',
    );
    expect(objects.map((o) => o.metadata.annotations?.[WAVE])).toEqual([undefined, '1', '2']);
  });

  it('place a dependent instance after every object of the one it depends on (expanded)', () => {
    const chart = Testing.chart();
    const web = new Application(chart, 'web', { metadata: { name: 'web' }, spec: { name: 'web' } });
    const site = new WordPress(chart, 'site', {
      metadata: { name: 'site' },
      spec: { siteName: 'site', databaseSecret: 'site-db' },
    });
    site.addDependency(web);
    const objects = Testing.synth(chart) as Obj[];
    expect(ids(objects).slice(0, 3)).toEqual(['Deployment/web', 'Service/web-service', 'Service/site-mysql']);
    const first = objects[2]!;
    // The instance's first objects name what the instance depends on; waves continue after it.
    expect(first.metadata.annotations).toEqual({
      [WAVE]: '2',
      [DEPENDS_ON]: '/namespaces/default/Service/web-service,apps/namespaces/default/Deployment/web',
    });
    const mysql = objects.find((o) => o.kind === 'StatefulSet')!;
    expect(mysql.metadata.annotations).toEqual({
      [WAVE]: '3',
      [DEPENDS_ON]: '/namespaces/default/Service/site-mysql',
    });
  });
});

describe('expanded mode', () => {
  it('renders an instance into its resources, in dependency order, annotated', () => {
    const chart = Testing.chart();
    new Application(chart, 'web-app-1', {
      metadata: { name: 'web-app-1' },
      spec: { name: 'web-app-1', image: 'httpd:2.4', replicas: 3, svcType: 'NodePort' },
    });
    const labels = (node: string) => ({
      'kro-gen.dev/instance-group': 'kro.run',
      'kro-gen.dev/instance-kind': 'Application',
      'kro-gen.dev/instance-name': 'web-app-1',
      'kro-gen.dev/instance-namespace': 'default',
      'kro-gen.dev/node-id': node,
    });
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          annotations: { [WAVE]: '0' },
          labels: labels('deployment'),
          name: 'web-app-1',
          namespace: 'default',
        },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web-app-1' } },
          template: {
            metadata: { labels: { app: 'web-app-1' } },
            spec: { containers: [{ image: 'httpd:2.4', name: 'web-app-1', ports: [{ containerPort: 80 }] }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          annotations: { [WAVE]: '1', [DEPENDS_ON]: 'apps/namespaces/default/Deployment/web-app-1' },
          labels: labels('service'),
          name: 'web-app-1-service',
          namespace: 'default',
        },
        spec: {
          ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
          selector: { app: 'web-app-1' },
          type: 'NodePort',
        },
      },
    ]);
  });

  it("keeps kro's order, uses the chart's namespace, and honours includeWhen", () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'blog', { namespace: 'sites' });
    new WordPress(chart, 'blog', {
      metadata: { name: 'blog' },
      spec: { siteName: 'blog', databaseSecret: 'blog-db' },
    });
    new WordPress(chart, 'shop', {
      metadata: { name: 'shop' },
      spec: { siteName: 'shop', databaseSecret: 'shop-db', ingress: { enabled: true } },
    });
    const objects = Testing.synth(chart) as Obj[];
    const order = ['Service', 'StatefulSet', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'Service'];
    expect(objects.map((o) => o.kind)).toEqual([...order, ...order, 'Ingress']);
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['sites']));
    expect(app.synthYaml()).toContain('name: shop-mysql');
  });

  it('reports what cannot be rendered at synth time, with the expression, its position and a hint', () => {
    const Lb = constructFor(
      definitionOf(
        'rgds/lb.yaml',
        `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: lb
spec:
  schema:
    apiVersion: v1alpha1
    kind: Lb
    spec:
      name: string | default=lb
  resources:
    - id: svc
      template:
        apiVersion: v1
        kind: Service
        metadata:
          name: \${schema.spec.name}
        spec:
          type: LoadBalancer
          ports:
            - port: 80
    - id: address
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-address
        data:
          ip: \${svc.status.loadBalancer.ingress[0].ip}
`,
      ),
    );
    const chart = Testing.chart();
    new Lb(chart, 'lb', { metadata: { name: 'front' } });
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = String(e);
    }
    // cdk8s's heading, then one line per problem: the construct path, the RGD position, the hint.
    const lines = message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Error: Validation failed with the following errors:');
    expect(lines[1]).toMatch(
      /^ {2}\[test\/lb\] rgds\/lb\.yaml:29:15: error: cannot render Lb "front" in expanded mode: cannot evaluate \$\{svc\.status\.loadBalancer\.ingress\[0\]\.ip\}/,
    );
    expect(lines[1]).toMatch(
      /; for bundle mode, where kro evaluates it in the cluster, set construct context 'kro-gen:mode' to 'bundle' on its App or Chart, or KRO_GEN_MODE=bundle$/,
    );
    // The same construct in bundle mode synthesizes.
    const bundled = new Chart(bundleApp(), 'c');
    new Lb(bundled, 'lb', { metadata: { name: 'front' } });
    expect(ids(Testing.synth(bundled) as Obj[])).toEqual(['Lb/front']);
  });
});

describe('annotation styles', () => {
  const annotationsOf = (chart: Chart) =>
    (Testing.synth(chart) as Obj[]).map((o) => o.metadata.annotations ?? {});

  it('follow construct context, then KRO_GEN_ANNOTATIONS', () => {
    const app = Testing.app();
    const none = new Chart(app, 'none');
    none.node.setContext(ANNOTATIONS_CONTEXT_KEY, 'none');
    new Application(none, 'a', { metadata: { name: 'a' }, spec: { name: 'a' } });
    expect(annotationsOf(none)).toEqual([{}, {}]);

    process.env[ANNOTATIONS_ENV] = 'kapp';
    const kapp = new Chart(app, 'kapp');
    new Application(kapp, 'b', { metadata: { name: 'b' }, spec: { name: 'b' } });
    expect(annotationsOf(kapp)).toEqual([
      { 'kapp.k14s.io/change-group': 'kro-gen.dev/application.default.b.deployment' },
      {
        'kapp.k14s.io/change-group': 'kro-gen.dev/application.default.b.service',
        'kapp.k14s.io/change-rule': 'upsert after upserting kro-gen.dev/application.default.b.deployment',
      },
    ]);
  });

  it('refuse unknown styles', () => {
    const chart = Testing.chart();
    chart.node.setContext(ANNOTATIONS_CONTEXT_KEY, 'helm');
    expect(() => new Application(chart, 'a')).toThrowError(
      `construct context 'kro-gen:annotations' is "helm": expected a comma list of depends-on, argocd, kapp, or none`,
    );
  });
});

describe('collections', () => {
  it('give one object per item, named by node and index, in order', () => {
    const Shards = constructFor(
      definitionOf(
        'shards.yaml',
        `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: shards
spec:
  schema:
    apiVersion: v1alpha1
    kind: Shards
    spec:
      names: "[]string"
  resources:
    - id: shard
      forEach:
        - name: \${schema.spec.names}
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${name}
    - id: index
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: index
        data:
          count: \${string(size(shard))}
`,
      ),
    );
    const chart = Testing.chart();
    const s = new Shards(chart, 's', { spec: { names: ['a', 'b'] } });
    expect(s.apiObjects.map((o) => o.node.id)).toEqual(['shard-0', 'shard-1', 'index']);
    const objects = Testing.synth(chart) as (Obj & { data?: Record<string, string> })[];
    expect(ids(objects)).toEqual(['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/index']);
    expect(objects[2]?.data).toEqual({ count: '2' });
    expect(objects[2]?.metadata.annotations?.[DEPENDS_ON]).toBe(
      '/namespaces/default/ConfigMap/a,/namespaces/default/ConfigMap/b',
    );
    // The escape hatch for a collection: all its objects, in index order; resource(id) says so.
    expect(s.resources('shard').map((o) => o.name)).toEqual(['a', 'b']);
    expect(() => s.resource('shard')).toThrowError(
      `resource "shard" of Shards "${s.name}" gives 2 objects: use resources("shard")`,
    );
    expect(s.resource('index').name).toBe('index');
  });
});
