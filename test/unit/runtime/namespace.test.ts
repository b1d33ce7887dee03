// The namespace of an instance is the same whichever way it is synthesized: the generated construct
// in expanded or bundle mode, and `synthesize` (what `kro-gen synth` runs) on the same instance.
// Without a namespace in the metadata or the chart, all of them use `default` (or the one set).
import { App, Chart } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Application } from '../../../generated/index.js';
import {
  defaultNamespaceOf,
  MODE_CONTEXT_KEY,
  NAMESPACE_CONTEXT_KEY,
  NAMESPACE_ENV,
} from '../../../src/runtime/index.js';
import { synthesize } from '../../../src/synth/synthesize.js';

type Mode = 'expanded' | 'bundle';

const SPEC = { name: 'web-app-1', image: 'httpd:2.4', replicas: 3, svcType: 'NodePort' } as const;

interface Setup {
  readonly chartNamespace?: string;
  readonly instanceNamespace?: string;
  /** `kro-gen:namespace` on the app, and the same as `synthesize`'s defaultNamespace. */
  readonly defaultNamespace?: string;
}

function viaConstructs(mode: Mode, setup: Setup): unknown[] {
  const app = new App({ outdir: '/nonexistent' });
  app.node.setContext(MODE_CONTEXT_KEY, mode);
  if (setup.defaultNamespace !== undefined)
    app.node.setContext(NAMESPACE_CONTEXT_KEY, setup.defaultNamespace);
  const chart = new Chart(
    app,
    'chart',
    setup.chartNamespace !== undefined ? { namespace: setup.chartNamespace } : {},
  );
  new Application(chart, 'web-app-1', {
    metadata: {
      name: 'web-app-1',
      ...(setup.instanceNamespace !== undefined ? { namespace: setup.instanceNamespace } : {}),
    },
    spec: SPEC,
  });
  return parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
}

function viaSynthesize(mode: Mode, setup: Setup): unknown[] {
  // The instance file a user would write for the same app: a chart namespace is where it goes.
  const namespace = setup.instanceNamespace ?? setup.chartNamespace;
  const result = synthesize(
    [
      {
        rgd: Application.RGD.rgd,
        object: {
          apiVersion: 'kro.run/v1alpha1',
          kind: 'Application',
          metadata: { name: 'web-app-1', ...(namespace !== undefined ? { namespace } : {}) },
          spec: SPEC,
        },
      },
    ],
    { mode, ...(setup.defaultNamespace !== undefined ? { defaultNamespace: setup.defaultNamespace } : {}) },
  );
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // Through YAML like the constructs' output, so both sides are plain parsed objects.
  return parseAllDocuments(result.manifests.map((m) => JSON.stringify(m.object)).join('\n---\n')).map((d) =>
    d.toJS(),
  );
}

const namespaces = (objects: unknown[]) =>
  objects.map((o) => {
    const { kind, metadata } = o as { kind: string; metadata: { namespace?: string } };
    return `${kind}:${metadata.namespace ?? '-'}`;
  });

afterEach(() => {
  delete process.env[NAMESPACE_ENV];
});

describe('instance namespace: constructs and synthesize agree', () => {
  const setups: [string, Setup, string][] = [
    ['a chart without a namespace', {}, 'default'],
    ['a chart namespace', { chartNamespace: 'sites' }, 'sites'],
    [
      'the instance namespace over the chart one',
      { chartNamespace: 'sites', instanceNamespace: 'shop' },
      'shop',
    ],
    ['the kro-gen:namespace context', { defaultNamespace: 'team-a' }, 'team-a'],
  ];
  for (const [what, setup, expected] of setups) {
    it(`uses ${what} (${expected}) in expanded mode`, () => {
      const objects = viaConstructs('expanded', setup);
      expect(namespaces(objects)).toEqual([`Deployment:${expected}`, `Service:${expected}`]);
      expect(objects).toEqual(viaSynthesize('expanded', setup));
    });
    it(`uses ${what} (${expected}) in bundle mode`, () => {
      const objects = viaConstructs('bundle', setup);
      expect(namespaces(objects)).toEqual(['ResourceGraphDefinition:-', `Application:${expected}`]);
      expect(objects).toEqual(viaSynthesize('bundle', setup));
    });
  }

  it('takes the default from KRO_GEN_NAMESPACE when no context sets it, and checks it', () => {
    const app = new App({ outdir: '/nonexistent' });
    process.env[NAMESPACE_ENV] = 'from-env';
    expect(defaultNamespaceOf(app)).toBe('from-env');
    app.node.setContext(NAMESPACE_CONTEXT_KEY, 'from-context');
    expect(defaultNamespaceOf(app)).toBe('from-context');
    app.node.setContext(NAMESPACE_CONTEXT_KEY, 'Not_A_Namespace');
    expect(() => defaultNamespaceOf(app)).toThrowError(
      `construct context '${NAMESPACE_CONTEXT_KEY}' is "Not_A_Namespace": expected a namespace name (a DNS-1123 label)`,
    );
    expect(defaultNamespaceOf(new App({ outdir: '/nonexistent' }), {})).toBe('default');
  });
});
