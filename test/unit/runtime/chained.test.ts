// Generated constructs whose RGD creates another generated RGD's kind (chained RGDs): expanded
// mode renders the inner RGD's resources in place of its instance, through the same renderer as
// `kro-gen synth`; construct context or KRO_GEN_EXPAND_CHAINED keeps the instance object instead.
import { Chart, Testing } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXPAND_CHAINED_CONTEXT_KEY,
  EXPAND_CHAINED_ENV,
  expandChainedOf,
} from '../../../src/runtime/index.js';
import { synthesize } from '../../../src/synth/index.js';
import { constructFor, definitionOf } from './helpers.js';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
};

const DEPENDS_ON = 'config.kubernetes.io/depends-on';
const WAVE = 'argocd.argoproj.io/sync-wave';

const cacheDef = definitionOf(
  'cache.yaml',
  `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: rt-cache
spec:
  schema:
    apiVersion: v1alpha1
    kind: RtCache
    spec:
      size: integer | default=3
  resources:
    - id: cm
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.metadata.name}
        data:
          size: \${string(schema.spec.size)}
    - id: sa
      template:
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: \${cm.metadata.name}-sa
`,
);
const siteDef = definitionOf(
  'site.yaml',
  `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: rt-site
spec:
  schema:
    apiVersion: v1alpha1
    kind: RtSite
    spec:
      size: integer | default=4
  resources:
    - id: cfg
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.metadata.name}-cfg
    - id: store
      template:
        apiVersion: kro.run/v1alpha1
        kind: RtCache
        metadata:
          name: \${cfg.metadata.name}-cache
        spec:
          size: \${schema.spec.size}
    - id: app
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.metadata.name}-app
        data:
          cache: \${store.metadata.name}
`,
);
const Site = constructFor(siteDef);

afterEach(() => {
  delete process.env[EXPAND_CHAINED_ENV];
});

describe('chained RGDs in expanded mode (cdk8s)', () => {
  it("renders the inner RGD's resources in place of its instance, ordered and annotated", () => {
    const chart = Testing.chart();
    new Site(chart, 'site', { metadata: { name: 'blog', namespace: 'shop' } });
    const objects = Testing.synth(chart) as Obj[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ConfigMap/shop/blog-cfg',
      'ConfigMap/shop/blog-cfg-cache',
      'ServiceAccount/shop/blog-cfg-cache-sa',
      'ConfigMap/shop/blog-app',
    ]);
    const [cfg, cm, sa, app] = objects as [Obj, Obj, Obj, Obj];
    expect(cm.data).toEqual({ size: '4' });
    expect(app.data).toEqual({ cache: 'blog-cfg-cache' });
    expect(cm.metadata.labels?.['kro-gen.dev/instance-kind']).toBe('RtCache');
    expect(cm.metadata.labels?.['kro-gen.dev/root-instance-kind']).toBe('RtSite');
    expect([cfg, cm, sa, app].map((o) => o.metadata.annotations?.[WAVE])).toEqual(['0', '1', '2', '3']);
    expect(cm.metadata.annotations?.[DEPENDS_ON]).toBe('/namespaces/shop/ConfigMap/blog-cfg');
    expect(app.metadata.annotations?.[DEPENDS_ON]).toBe(
      '/namespaces/shop/ConfigMap/blog-cfg-cache,/namespaces/shop/ServiceAccount/blog-cfg-cache-sa',
    );
  });

  it('gives the same objects as kro-gen synth', () => {
    const chart = Testing.chart();
    new Site(chart, 'site', { metadata: { name: 'blog', namespace: 'shop' } });
    const fromApp = Testing.synth(chart) as Obj[];
    const fromSynth = synthesize(
      [
        {
          rgd: siteDef.rgd,
          graph: siteDef.graph.graph,
          object: {
            apiVersion: 'kro.run/v1alpha1',
            kind: 'RtSite',
            metadata: { name: 'blog', namespace: 'shop' },
            spec: {},
          },
        },
      ],
      { schemas: { rgds: [siteDef.rgd, cacheDef.rgd] } },
    );
    expect(fromSynth.diagnostics).toEqual([]);
    // cdk8s sorts keys; compare the objects, not their text.
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
            )
          : v;
    expect(fromApp.map(sortDeep)).toEqual(fromSynth.manifests.map((m) => sortDeep(m.object)));
  });

  it('construct context false (or KRO_GEN_EXPAND_CHAINED=false) emits the instance object for kro', () => {
    const chart = Testing.chart();
    chart.node.setContext(EXPAND_CHAINED_CONTEXT_KEY, false);
    new Site(chart, 'site', { metadata: { name: 'blog', namespace: 'shop' } });
    const objects = Testing.synth(chart) as Obj[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/blog-cfg',
      'RtCache/blog-cfg-cache',
      'ConfigMap/blog-app',
    ]);
    expect(objects[1]?.spec).toEqual({ size: 4 });

    process.env[EXPAND_CHAINED_ENV] = 'false';
    const other = Testing.chart();
    new Site(other, 'site', { metadata: { name: 'blog' } });
    expect((Testing.synth(other) as Obj[]).map((o) => o.kind)).toEqual(['ConfigMap', 'RtCache', 'ConfigMap']);
  });

  it('refuses values other than true and false, saying where they came from', () => {
    const chart = Testing.chart();
    expect(expandChainedOf(chart, {})).toBe(true);
    expect(expandChainedOf(chart, { [EXPAND_CHAINED_ENV]: 'false' })).toBe(false);
    expect(() => expandChainedOf(chart, { [EXPAND_CHAINED_ENV]: 'no' })).toThrowError(
      'environment variable KRO_GEN_EXPAND_CHAINED is "no": expected true or false',
    );
    const inChart = new Chart(Testing.app(), 'c');
    inChart.node.setContext(EXPAND_CHAINED_CONTEXT_KEY, 'true');
    expect(expandChainedOf(inChart, { [EXPAND_CHAINED_ENV]: 'false' })).toBe(true);
  });
});
