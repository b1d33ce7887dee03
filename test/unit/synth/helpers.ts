// Shared by the synth tests: RGDs from YAML text, their graphs, and instances.
import { type BuildResult, buildGraph, type GraphContext } from '../../../src/graph/build.js';
import { loadRgds } from '../../../src/rgd/load.js';
import type { JsonObject, Rgd } from '../../../src/rgd/model.js';
import { parseYamlFile } from '../../../src/rgd/yaml.js';

export interface Loaded {
  readonly rgd: Rgd;
  readonly graph: BuildResult['graph'];
}

/** One RGD from YAML; fails the test when it has errors. */
export function rgdFrom(text: string, file = 'rgd.yaml', ctx: GraphContext = {}): Loaded {
  const loaded = loadRgds([{ path: file, text }]);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !loaded.rgds[0]) {
    throw new Error(`test RGD is invalid: ${errors.map((d) => d.message).join('; ')}`);
  }
  const rgd = loaded.rgds[0];
  const built = buildGraph(rgd, ctx);
  const graphErrors = built.diagnostics.filter((d) => d.severity === 'error');
  if (graphErrors.length > 0)
    throw new Error(`test RGD graph: ${graphErrors.map((d) => d.message).join('; ')}`);
  return { rgd, graph: built.graph };
}

/** The first YAML document of `text` and its locator. */
export function docFrom(text: string, file = 'instance.yaml') {
  const parsed = parseYamlFile({ path: file, text });
  const doc = parsed.documents[0];
  if (!doc || doc.value === undefined) throw new Error('test document did not parse');
  return { object: doc.value as JsonObject, loc: doc.loc };
}

/** A minimal RGD with the given kind, schema lines (indented for `spec:`) and resources. */
export function rgdYaml(opts: {
  kind?: string;
  scope?: 'Namespaced' | 'Cluster';
  spec?: string;
  resources: string;
  name?: string;
  group?: string;
}): string {
  const indent = (text: string, n: number) =>
    text
      .split('\n')
      .map((l) => (l.trim() === '' ? l : ' '.repeat(n) + l))
      .join('\n');
  return [
    'apiVersion: kro.run/v1alpha1',
    'kind: ResourceGraphDefinition',
    'metadata:',
    `  name: ${opts.name ?? 'test'}`,
    'spec:',
    '  schema:',
    '    apiVersion: v1alpha1',
    `    kind: ${opts.kind ?? 'TestApp'}`,
    ...(opts.group ? [`    group: ${opts.group}`] : []),
    ...(opts.scope ? [`    scope: ${opts.scope}`] : []),
    '    spec:',
    indent(opts.spec ?? 'name: string | default="app"', 6),
    '  resources:',
    indent(opts.resources, 4),
    '',
  ].join('\n');
}

/** An instance object of `kind` (group kro.run). */
export function instance(
  name: string,
  spec: JsonObject = {},
  extra: { namespace?: string; kind?: string } = {},
): JsonObject {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: extra.kind ?? 'TestApp',
    metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}) },
    spec,
  };
}
