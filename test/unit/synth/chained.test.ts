// Expanded mode with chained RGDs: an instance of another RGD that a resource creates is replaced
// by that RGD's own resources, recursively; ordering, labels, references, errors and the opt-out.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics.js';
import type { JsonObject } from '../../../src/rgd/model.js';
import {
  DEPENDS_ON,
  KAPP_CHANGE_GROUP,
  renderInstance,
  SYNC_WAVE,
  synthesize,
} from '../../../src/synth/index.js';
import { docFrom, instance, rgdFrom, rgdYaml } from './helpers.js';

const meta = (o: JsonObject | undefined) => (o?.metadata ?? {}) as Record<string, unknown>;
const labels = (o: JsonObject | undefined) => (meta(o).labels ?? {}) as Record<string, string>;
const annotations = (o: JsonObject | undefined) => (meta(o).annotations ?? {}) as Record<string, string>;
const name = (o: JsonObject) => `${o.kind}/${meta(o).name}`;
const errors = (r: { diagnostics: readonly Diagnostic[] }) =>
  r.diagnostics.filter((d) => d.severity === 'error');

// B: a Cache, two objects, the second reading the first; a defaulted field; a status field.
const cache = rgdFrom(
  rgdYaml({
    kind: 'Cache',
    name: 'cache',
    spec: 'size: integer | default=3 minimum=1\nmode: string | default="lru"',
    resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}
    data:
      size: \${string(schema.spec.size)}
      mode: \${schema.spec.mode}
- id: secret
  template:
    apiVersion: v1
    kind: Secret
    metadata:
      name: \${cm.metadata.name}-auth
    stringData:
      user: \${cm.data.mode}`,
  }).replace('    spec:\n', `    status:\n      endpoint: \${cm.metadata.name}\n    spec:\n`),
  'cache.yaml',
);

// A: a Site with a config, the Cache (reading the config), and an app reading the Cache instance.
const siteYaml = rgdYaml({
  kind: 'Site',
  name: 'site',
  spec: 'name: string | default="site"\nsize: integer | default=2',
  resources: `
- id: cfg
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-cfg
- id: store
  template:
    apiVersion: kro.run/v1alpha1
    kind: Cache
    metadata:
      name: \${schema.metadata.name}-cache
      labels:
        owner: \${cfg.metadata.name}
    spec:
      size: \${schema.spec.size}
- id: app
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-app
    data:
      cacheName: \${store.metadata.name}
      cacheNamespace: \${store.metadata.namespace}
      cacheMode: \${store.spec.mode}`,
});
const site = rgdFrom(siteYaml, 'site.yaml', { rgds: [cache.rgd] });
const schemas = { rgds: [cache.rgd] };

describe('two-level chain', () => {
  const r = synthesize(
    [{ ...site, object: instance('blog', { size: 5 }, { kind: 'Site', namespace: 'shop' }) }],
    {
      schemas,
      annotations: ['depends-on', 'argocd', 'kapp'],
    },
  );
  const objects = r.manifests.map((m) => m.object);
  const byName = new Map(objects.map((o) => [name(o), o]));

  it('replaces the Cache instance by its resources, in its place, in the Cache RGD order', () => {
    expect(errors(r)).toEqual([]);
    expect(objects.map(name)).toEqual([
      'ConfigMap/blog-cfg',
      'ConfigMap/blog-cache',
      'Secret/blog-cache-auth',
      'ConfigMap/blog-app',
    ]);
    expect(objects.some((o) => o.kind === 'Cache')).toBe(false);
  });

  it('renders the Cache as a top-level instance: defaults, the namespace the Site gave it', () => {
    const cm = byName.get('ConfigMap/blog-cache');
    expect(cm?.data).toEqual({ size: '5', mode: 'lru' });
    expect(meta(cm).namespace).toBe('shop');
    expect(meta(byName.get('Secret/blog-cache-auth')).namespace).toBe('shop');
    expect(byName.get('Secret/blog-cache-auth')?.stringData).toEqual({ user: 'lru' });
  });

  it('resolves references to the Cache node against the Cache instance, defaults included', () => {
    expect(byName.get('ConfigMap/blog-app')?.data).toEqual({
      cacheName: 'blog-cache',
      cacheNamespace: 'shop',
      cacheMode: 'lru',
    });
  });

  it("labels the Cache's objects with the Cache instance, and the Site as the root", () => {
    expect(labels(byName.get('ConfigMap/blog-cache'))).toEqual({
      'kro-gen.dev/instance-group': 'kro.run',
      'kro-gen.dev/instance-kind': 'Cache',
      'kro-gen.dev/instance-name': 'blog-cache',
      'kro-gen.dev/instance-namespace': 'shop',
      'kro-gen.dev/node-id': 'cm',
      'kro-gen.dev/root-instance-group': 'kro.run',
      'kro-gen.dev/root-instance-kind': 'Site',
      'kro-gen.dev/root-instance-name': 'blog',
      'kro-gen.dev/root-instance-namespace': 'shop',
    });
    // The Site's own objects carry no root labels.
    expect(labels(byName.get('ConfigMap/blog-app'))).toEqual({
      'kro-gen.dev/instance-group': 'kro.run',
      'kro-gen.dev/instance-kind': 'Site',
      'kro-gen.dev/instance-name': 'blog',
      'kro-gen.dev/instance-namespace': 'shop',
      'kro-gen.dev/node-id': 'app',
    });
  });

  it('orders: the Cache objects wait for what the Cache node waited for; its dependents wait for all of them', () => {
    const wave = (n: string) => Number(annotations(byName.get(n))[SYNC_WAVE]);
    expect(
      ['ConfigMap/blog-cfg', 'ConfigMap/blog-cache', 'Secret/blog-cache-auth', 'ConfigMap/blog-app'].map(
        wave,
      ),
    ).toEqual([0, 1, 2, 3]);
    const dependsOn = (n: string) => annotations(byName.get(n))[DEPENDS_ON];
    expect(dependsOn('ConfigMap/blog-cfg')).toBeUndefined();
    // The Cache's first object depends on the Site's config (the Cache node read it).
    expect(dependsOn('ConfigMap/blog-cache')).toBe('/namespaces/shop/ConfigMap/blog-cfg');
    expect(dependsOn('Secret/blog-cache-auth')).toBe('/namespaces/shop/ConfigMap/blog-cache');
    expect(dependsOn('ConfigMap/blog-app')).toBe(
      '/namespaces/shop/ConfigMap/blog-cache,/namespaces/shop/Secret/blog-cache-auth',
    );
    const group = (n: string) => annotations(byName.get(n))[KAPP_CHANGE_GROUP];
    expect(group('Secret/blog-cache-auth')).toBe('kro-gen.dev/cache.shop.blog-cache.secret');
    const rules = Object.entries(annotations(byName.get('ConfigMap/blog-app')))
      .filter(([k]) => k.startsWith('kapp.k14s.io/change-rule'))
      .map(([, v]) => v);
    expect(rules).toEqual([
      'upsert after upserting kro-gen.dev/cache.shop.blog-cache.cm',
      'upsert after upserting kro-gen.dev/cache.shop.blog-cache.secret',
    ]);
  });

  it('reports paths, the chained instance and its RGD on each manifest', () => {
    expect(r.manifests.map((m) => [m.rgd, m.nodeId, m.nodePath])).toEqual([
      ['site', 'cfg', 'cfg'],
      ['cache', 'cm', 'store/cm'],
      ['cache', 'secret', 'store/secret'],
      ['site', 'app', 'app'],
    ]);
    expect(r.manifests[1]?.chainedInstance).toEqual({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'Cache',
      name: 'blog-cache',
      namespace: 'shop',
    });
    expect(r.manifests[0]?.chainedInstance).toBeUndefined();
  });

  it('expandChained false keeps the Cache instance object, as before', () => {
    // References then see the instance as the template rendered it (no defaults of its schema).
    const plain = rgdFrom(siteYaml.replace(/\n\s+cacheMode: .*$/m, ''), 'site.yaml', { rgds: [cache.rgd] });
    const kept = synthesize(
      [{ ...plain, object: instance('blog', { size: 5 }, { kind: 'Site', namespace: 'shop' }) }],
      {
        schemas,
        expandChained: false,
      },
    );
    expect(errors(kept)).toEqual([]);
    const cacheObject = kept.manifests.map((m) => m.object);
    expect(cacheObject.map(name)).toEqual(['ConfigMap/blog-cfg', 'Cache/blog-cache', 'ConfigMap/blog-app']);
    // As the template rendered it (kro's API server would default it).
    expect(cacheObject[1]?.spec).toEqual({ size: 5 });
    expect(labels(cacheObject[1])['owner']).toBe('blog-cfg');
  });

  it('orders a second instance after the leaves of the first, through its chained objects', () => {
    const two = synthesize(
      [
        { ...site, object: instance('a', {}, { kind: 'Site' }), id: 'a' },
        { ...site, object: instance('b', {}, { kind: 'Site' }), id: 'b', dependsOn: ['a'] },
      ],
      { schemas },
    );
    expect(errors(two)).toEqual([]);
    const first = two.manifests.find((m) => m.instance === 'b');
    // b's first object waits for a's leaf (its app), which already waits for a's Cache objects.
    expect(annotations(first?.object)[DEPENDS_ON]).toBe('/namespaces/default/ConfigMap/a-app');
    expect(first?.wave).toBe(4);
  });
});

describe('reading the chained instance', () => {
  it('its status is not known offline, as for any resource', () => {
    const reader = rgdFrom(
      rgdYaml({
        kind: 'Reader',
        name: 'reader',
        resources: `
- id: store
  template:
    apiVersion: kro.run/v1alpha1
    kind: Cache
    metadata:
      name: \${schema.metadata.name}
- id: app
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-app
    data:
      endpoint: \${store.status.endpoint}
      guarded: \${store.?status.?endpoint.orValue("none")}`,
      }),
      'reader.yaml',
      { rgds: [cache.rgd] },
    );
    const r = renderInstance(reader.graph, reader.rgd, instance('x', {}, { kind: 'Reader' }), { schemas });
    expect(r.manifests).toEqual([]);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]).toMatchObject({
      message: expect.stringMatching(
        /cannot evaluate \$\{store\.status\.endpoint\}.*not known offline.*--mode bundle/,
      ),
      pos: { file: 'reader.yaml' },
    });
  });
});

describe('errors in a chained instance', () => {
  it('validates it against its RGD schema, positioned at the template that creates it', () => {
    const r = synthesize([{ ...site, object: instance('blog', { size: 0 }, { kind: 'Site' }) }], { schemas });
    expect(r.manifests).toEqual([]);
    const [e] = errors(r);
    expect(e?.message).toBe(
      'Cache default/blog-cache, created by resource "store" of Site default/blog: spec.size: must be greater than or equal to 1',
    );
    // `size: ${schema.spec.size}` in the Site's template.
    const line = siteYaml.split('\n').findIndex((l) => l.trim() === `size: \${schema.spec.size}`) + 1;
    expect(e?.pos).toMatchObject({ file: 'site.yaml', line });
  });

  it("names the chained instance and where it was created in the Cache's own expression errors", () => {
    const strict = rgdFrom(
      rgdYaml({
        kind: 'Cache',
        name: 'cache',
        spec: 'size: integer | default=3\nmode: string | default="lru"',
        resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}
    data:
      bad: \${string(1 / (schema.spec.size - 2))}`,
      }),
      'strict.yaml',
    );
    const r = renderInstance(site.graph, site.rgd, instance('blog', {}, { kind: 'Site' }), {
      schemas: { rgds: [strict.rgd] },
    });
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]?.message).toMatch(
      /^cannot evaluate .* of resource "cm" for Cache default\/blog-cache \(site\.yaml:\d+:\d+, created by resource "store" of Site default\/blog\): division by zero/,
    );
    expect(errors(r)[0]?.pos?.file).toBe('strict.yaml');
  });
});

// C: a Leaf; B: a Mid creating a Leaf and reading it; A: a Top creating Mids in a forEach.
const leaf = rgdFrom(
  rgdYaml({
    kind: 'Leaf',
    name: 'leaf',
    spec: 'color: string | default="green"',
    resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-leaf
    data:
      color: \${schema.spec.color}`,
  }),
  'leaf.yaml',
);
const mid = rgdFrom(
  rgdYaml({
    kind: 'Mid',
    name: 'mid',
    spec: 'color: string | default="blue"',
    resources: `
- id: leafy
  template:
    apiVersion: kro.run/v1alpha1
    kind: Leaf
    metadata:
      name: \${schema.metadata.name}
    spec:
      color: \${schema.spec.color}
- id: sa
  template:
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: \${leafy.metadata.name}-sa`,
  }),
  'mid.yaml',
  { rgds: [leaf.rgd] },
);
const top = rgdFrom(
  rgdYaml({
    kind: 'Top',
    name: 'top',
    spec: 'colors: "[]string"',
    resources: `
- id: mids
  forEach:
    - color: \${schema.spec.colors}
  template:
    apiVersion: kro.run/v1alpha1
    kind: Mid
    metadata:
      name: \${schema.metadata.name}-\${color}
    spec:
      color: \${color}
- id: summary
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-summary
    data:
      mids: \${mids.map(m, m.metadata.name).join(",")}`,
  }),
  'top.yaml',
  { rgds: [leaf.rgd, mid.rgd] },
);
const chain3 = { rgds: [top.rgd, mid.rgd, leaf.rgd] };

describe('three-level chain', () => {
  const r = synthesize([{ ...top, object: instance('t', { colors: ['red', 'gold'] }, { kind: 'Top' }) }], {
    schemas: chain3,
  });

  it('expands every level, each collection item in index order, in place', () => {
    expect(errors(r)).toEqual([]);
    expect(r.manifests.map((m) => [name(m.object), m.nodePath])).toEqual([
      ['ConfigMap/t-red-leaf', 'mids[0]/leafy/cm'],
      ['ServiceAccount/t-red-sa', 'mids[0]/sa'],
      ['ConfigMap/t-gold-leaf', 'mids[1]/leafy/cm'],
      ['ServiceAccount/t-gold-sa', 'mids[1]/sa'],
      ['ConfigMap/t-summary', 'summary'],
    ]);
    expect(r.manifests[0]?.object.data).toEqual({ color: 'red' });
    expect(r.manifests[4]?.object.data).toEqual({ mids: 't-red,t-gold' });
  });

  it('labels each object with its own instance and the Top as the root', () => {
    const l = labels(r.manifests[0]?.object);
    expect(l['kro-gen.dev/instance-kind']).toBe('Leaf');
    expect(l['kro-gen.dev/instance-name']).toBe('t-red');
    expect(l['kro-gen.dev/root-instance-kind']).toBe('Top');
    expect(l['kro-gen.dev/root-instance-name']).toBe('t');
    expect(l['kro-gen.dev/collection-index']).toBeUndefined();
    expect(labels(r.manifests[1]?.object)['kro-gen.dev/instance-kind']).toBe('Mid');
  });

  it('a node depending on the collection waits for every object expanded from it', () => {
    expect(r.manifests.map((m) => m.wave)).toEqual([0, 1, 0, 1, 2]);
    expect(annotations(r.manifests[1]?.object)[DEPENDS_ON]).toBe('/namespaces/default/ConfigMap/t-red-leaf');
    expect(annotations(r.manifests[4]?.object)[DEPENDS_ON]).toBe(
      [
        '/namespaces/default/ConfigMap/t-gold-leaf',
        '/namespaces/default/ConfigMap/t-red-leaf',
        '/namespaces/default/ServiceAccount/t-gold-sa',
        '/namespaces/default/ServiceAccount/t-red-sa',
      ].join(','),
    );
    expect(r.manifests[4]?.chainedInstance).toBeUndefined();
    expect(r.manifests[0]?.chainedInstance?.kind).toBe('Leaf');
  });

  it('an empty collection expands to nothing, and its dependents still render', () => {
    const empty = synthesize([{ ...top, object: instance('t', { colors: [] }, { kind: 'Top' }) }], {
      schemas: chain3,
    });
    expect(errors(empty)).toEqual([]);
    expect(empty.manifests.map((m) => name(m.object))).toEqual(['ConfigMap/t-summary']);
  });

  it('refuses chains deeper than maxChainDepth', () => {
    const deep = renderInstance(top.graph, top.rgd, instance('t', { colors: ['red'] }, { kind: 'Top' }), {
      schemas: chain3,
      maxChainDepth: 1,
    });
    expect(deep.manifests).toEqual([]);
    expect(errors(deep).map((d) => d.message)).toEqual([
      'chained instances nest deeper than 1 levels: Top default/t -> Mid default/t-red -> Leaf default/t-red',
    ]);
    expect(errors(deep)[0]).toMatchObject({ code: 'synth/chained-depth', pos: { file: 'mid.yaml' } });
  });
});

describe('cycles and ambiguity', () => {
  it('refuses RGDs that create each other', () => {
    const ping = rgdYaml({
      kind: 'Ping',
      name: 'ping',
      resources: `
- id: pong
  template:
    apiVersion: kro.run/v1alpha1
    kind: Pong
    metadata:
      name: \${schema.metadata.name}`,
    });
    const pong = rgdYaml({
      kind: 'Pong',
      name: 'pong',
      resources: `
- id: ping
  template:
    apiVersion: kro.run/v1alpha1
    kind: Ping
    metadata:
      name: \${schema.metadata.name}-again`,
    });
    const a = rgdFrom(ping, 'ping.yaml');
    const b = rgdFrom(pong, 'pong.yaml');
    const graphs = { rgds: [a.rgd, b.rgd] };
    const r = synthesize([{ rgd: a.rgd, object: instance('p', {}, { kind: 'Ping' }) }], {
      schemas: graphs,
      graphContext: graphs,
    });
    expect(r.manifests).toEqual([]);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]).toMatchObject({
      code: 'synth/chained-cycle',
      pos: { file: 'pong.yaml' },
      message: expect.stringContaining(
        `chained RGDs create each other's instances in a cycle: Ping (ping) -> Pong (pong) -> Ping (ping); resource "ping" of Pong default/p creates a Ping inside a Ping`,
      ),
    });
    // Left to kro, the same RGDs are fine offline (kro itself would refuse to install them).
    const kept = synthesize([{ rgd: a.rgd, object: instance('p', {}, { kind: 'Ping' }) }], {
      schemas: graphs,
      graphContext: graphs,
      expandChained: false,
    });
    expect(kept.manifests.map((m) => name(m.object))).toEqual(['Pong/p']);
  });

  it('refuses to pick between two RGDs defining the kind', () => {
    const other = rgdFrom(
      rgdYaml({
        kind: 'Cache',
        name: 'other-cache',
        resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: x`,
      }),
    );
    const r = renderInstance(site.graph, site.rgd, instance('blog', {}, { kind: 'Site' }), {
      schemas: { rgds: [cache.rgd, other.rgd] },
    });
    expect(errors(r).map((d) => d.message)).toEqual([
      'cannot expand Cache default/blog-cache, created by resource "store" of Site default/blog: 2 RGDs define kro.run/v1alpha1 Cache (cache, other-cache)',
    ]);
  });
});

describe('an instance file position', () => {
  it('is where problems with the root label values point', () => {
    const long = 'x'.repeat(70);
    const { object, loc } = docFrom(
      `apiVersion: kro.run/v1alpha1\nkind: Site\nmetadata:\n  name: ${long}\n`,
      'long.yaml',
    );
    const r = renderInstance(site.graph, site.rgd, object, { schemas, instanceLoc: loc });
    expect(errors(r)).toEqual([]);
    const warned = r.diagnostics.filter((d) => d.message.includes('root-instance-name'));
    expect(warned).toHaveLength(1);
    expect(warned[0]?.pos?.file).toBe('long.yaml');
  });
});
