// synthesize: many instances in dependency order, in expanded and bundle mode.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import {
  DEPENDS_ON,
  orderByDependencies,
  SYNC_OPTIONS,
  SYNC_WAVE,
  synthesize,
} from '../../../src/synth/index.js';
import { instance, rgdFrom, rgdYaml } from './helpers.js';

const meta = (o: JsonObject | undefined) => (o?.metadata ?? {}) as Record<string, unknown>;
const annotations = (o: JsonObject | undefined) => (meta(o).annotations ?? {}) as Record<string, string>;
const names = (r: ReturnType<typeof synthesize>) =>
  r.manifests.map((m) => `${m.object.kind}/${meta(m.object).name}`);

const webApp = rgdFrom(
  readFileSync(new URL('../../../examples/web-app/rgd.yaml', import.meta.url), 'utf8'),
  'examples/web-app/rgd.yaml',
);
const app = (name: string) => instance(name, { name }, { kind: 'Application' });

describe('orderByDependencies', () => {
  it('puts dependencies first, keeps input order otherwise, and layers by depth', () => {
    expect(orderByDependencies(4, [[], [3], [], []])).toEqual({
      ok: true,
      order: [0, 2, 3, 1],
      layers: [0, 1, 0, 0],
    });
  });

  it('always takes the smallest ready index next, with many ready at once', () => {
    // Item i depends on a few earlier items chosen by a fixed pseudo-random sequence: a DAG.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const n = 300;
    const deps = Array.from({ length: n }, (_, i) =>
      i === 0 ? [] : [next() % i, next() % i].slice(0, next() % 3),
    );
    // The definition, spelled out: among the items whose dependencies are all placed, the smallest.
    const placed = new Set<number>();
    const expected: number[] = [];
    while (expected.length < n) {
      for (let i = 0; i < n; i++) {
        if (!placed.has(i) && (deps[i] as number[]).every((d) => placed.has(d))) {
          placed.add(i);
          expected.push(i);
          break;
        }
      }
    }
    const r = orderByDependencies(n, deps);
    expect(r.ok && r.order).toEqual(expected);
  });

  it('reports a cycle', () => {
    const r = orderByDependencies(3, [[1], [2], [1]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.cycle).toEqual([1, 2, 1]);
  });
});

describe('expanded mode', () => {
  it('renders instances in input order without dependencies; each starts at wave 0', () => {
    const r = synthesize([
      { ...webApp, object: app('b') },
      { ...webApp, object: app('a') },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(names(r)).toEqual(['Deployment/b', 'Service/b-service', 'Deployment/a', 'Service/a-service']);
    expect(r.manifests.map((m) => m.wave)).toEqual([0, 1, 0, 1]);
    expect(r.manifests.map((m) => m.instance)).toEqual([
      'kro.run/v1alpha1/Application/default/b',
      'kro.run/v1alpha1/Application/default/b',
      'kro.run/v1alpha1/Application/default/a',
      'kro.run/v1alpha1/Application/default/a',
    ]);
  });

  it('an instance that depends on another comes after all of it: later waves, depends-on its leaves', () => {
    const r = synthesize([
      { ...webApp, object: app('b'), dependsOn: ['a'] },
      { ...webApp, object: app('a'), id: 'a' },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(names(r)).toEqual(['Deployment/a', 'Service/a-service', 'Deployment/b', 'Service/b-service']);
    expect(r.manifests.map((m) => m.wave)).toEqual([0, 1, 2, 3]);
    expect(annotations(r.manifests[2]?.object)[DEPENDS_ON]).toBe('/namespaces/default/Service/a-service');
  });

  it('rejects unknown dependencies, dependency cycles and duplicate instances', () => {
    expect(
      synthesize([{ ...webApp, object: app('a'), dependsOn: ['nope'] }]).diagnostics[0]?.message,
    ).toMatch(/depends on unknown instance nope/);
    const cycle = synthesize([
      { ...webApp, object: app('a'), id: 'a', dependsOn: ['b'] },
      { ...webApp, object: app('b'), id: 'b', dependsOn: ['a'] },
    ]);
    expect(cycle.manifests).toEqual([]);
    expect(cycle.diagnostics[0]?.message).toMatch(/in a cycle: a -> b -> a/);
    expect(
      synthesize([
        { ...webApp, object: app('a') },
        { ...webApp, object: app('a') },
      ]).diagnostics[0]?.message,
    ).toMatch(/given twice/);
  });

  it('returns nothing when one instance fails', () => {
    const r = synthesize([
      { ...webApp, object: app('a') },
      { ...webApp, object: { ...app('b'), spec: { replicas: 'x' } } },
    ]);
    expect(r.manifests).toEqual([]);
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('instances that read each other', () => {
  // A Database instance, and an App whose RGD reads that Database through an externalRef.
  const db = rgdFrom(
    rgdYaml({
      kind: 'Database',
      name: 'database',
      resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-db`,
    }),
  );
  const consumer = rgdFrom(
    rgdYaml({
      kind: 'Consumer',
      name: 'consumer',
      spec: 'database: string',
      resources: `
- id: db
  externalRef:
    apiVersion: kro.run/v1alpha1
    kind: Database
    metadata:
      name: \${schema.spec.database}
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}-uses-\${db.metadata.name}`,
    }),
    'consumer.yaml',
    { rgds: [db.rgd] },
  );
  const inputs = [
    { ...consumer, object: instance('app', { database: 'main' }, { kind: 'Consumer' }) },
    { ...db, object: instance('main', {}, { kind: 'Database' }) },
  ];

  it('expanded: the instance read comes first, and stands in for the external object', () => {
    const r = synthesize(inputs, { schemas: { rgds: [db.rgd] } });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(names(r)).toEqual(['ConfigMap/main-db', 'ConfigMap/app-uses-main']);
    expect(r.manifests.map((m) => m.wave)).toEqual([0, 1]);
  });

  it('bundle: RGDs first (the one whose kind the other reads before it), then instances in dependency order', () => {
    const r = synthesize(inputs, { mode: 'bundle', annotations: ['depends-on', 'argocd'] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(names(r)).toEqual([
      'ResourceGraphDefinition/database',
      'ResourceGraphDefinition/consumer',
      'Database/main',
      'Consumer/app',
    ]);
    expect(r.manifests.map((m) => m.wave)).toEqual([0, 1, 2, 3]);
    expect(annotations(r.manifests[1]?.object)[DEPENDS_ON]).toBe('kro.run/ResourceGraphDefinition/database');
    expect(annotations(r.manifests[3]?.object)[DEPENDS_ON]).toBe(
      'kro.run/ResourceGraphDefinition/consumer,kro.run/namespaces/default/Database/main',
    );
  });
});

describe('bundle mode', () => {
  const r = synthesize(
    [
      { ...webApp, object: { ...app('a'), status: { state: 'ACTIVE' } } },
      { ...webApp, object: app('b') },
    ],
    { mode: 'bundle' },
  );

  it('has each RGD once, before every instance', () => {
    expect(r.diagnostics).toEqual([]);
    expect(names(r)).toEqual(['ResourceGraphDefinition/web-app', 'Application/a', 'Application/b']);
    expect(r.manifests.map((m) => m.source)).toEqual(['rgd', 'instance', 'instance']);
    expect(r.manifests.map((m) => annotations(m.object)[SYNC_WAVE])).toEqual(['0', '1', '1']);
  });

  it('instances carry their spec with defaults (as the API server stores it), a namespace, no status; after their RGD, skipping the Argo CD dry run', () => {
    const a = r.manifests[1]?.object;
    expect(a?.spec).toEqual({ name: 'a', image: 'httpd:latest', replicas: 1, svcType: 'ClusterIP' });
    expect(a?.status).toBeUndefined();
    expect(meta(a).namespace).toBe('default');
    expect(annotations(a)[DEPENDS_ON]).toBe('kro.run/ResourceGraphDefinition/web-app');
    expect(annotations(a)[SYNC_OPTIONS]).toBe('SkipDryRunOnMissingResource=true');
    // The RGD is the user's, unchanged apart from the annotations.
    const rgdObject = r.manifests[0]?.object ?? {};
    expect((rgdObject.spec as JsonObject).resources).toEqual((webApp.rgd.raw.spec as JsonObject).resources);
  });

  it('includes RGDs without instances when asked', () => {
    const other = rgdFrom(rgdYaml({ name: 'other', resources: '[]' }));
    const only = synthesize([], { mode: 'bundle', rgds: [other.rgd] });
    expect(names(only)).toEqual(['ResourceGraphDefinition/other']);
  });

  it('still validates instances', () => {
    const bad = synthesize([{ ...webApp, object: { ...app('a'), spec: { replicas: -1 } } }], {
      mode: 'bundle',
    });
    expect(bad.manifests).toEqual([]);
    expect(bad.diagnostics[0]?.message).toMatch(/spec.replicas: must be greater than or equal to 0/);
  });
});

describe('chained RGDs', () => {
  it('expanded with expandChained false: a resource of another RGD kind is emitted as that instance object, for kro to expand', () => {
    const inner = rgdFrom(
      rgdYaml({
        kind: 'Cache',
        name: 'cache',
        resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: \${schema.metadata.name}`,
      }),
    );
    const outer = rgdFrom(
      rgdYaml({
        kind: 'Site',
        name: 'site',
        resources: `
- id: cache
  template:
    apiVersion: kro.run/v1alpha1
    kind: Cache
    metadata:
      name: \${schema.metadata.name}-cache
    spec:
      name: cached`,
      }),
      'site.yaml',
      { rgds: [inner.rgd] },
    );
    const r = synthesize([{ ...outer, object: instance('blog', {}, { kind: 'Site' }) }], {
      schemas: { rgds: [inner.rgd] },
      expandChained: false,
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(names(r)).toEqual(['Cache/blog-cache']);
    expect(meta(r.manifests[0]?.object).namespace).toBe('default');

    const bundle = synthesize([{ ...outer, object: instance('blog', {}, { kind: 'Site' }) }], {
      mode: 'bundle',
      rgds: [outer.rgd, inner.rgd],
    });
    // The RGD that creates Cache objects waits for the RGD that defines Cache.
    expect(names(bundle)).toEqual([
      'ResourceGraphDefinition/cache',
      'ResourceGraphDefinition/site',
      'Site/blog',
    ]);
    expect(bundle.manifests.map((m) => m.wave)).toEqual([0, 1, 2]);
  });
});
