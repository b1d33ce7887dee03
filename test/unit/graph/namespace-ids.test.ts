// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// Resource ids spelled like a CEL function namespace or type (`optional`, `random`, `json`, `map`,
// `ip`, `int`): kro accepts them (they are not in its reserved words) and cel-go reads
// `optional.of(...)` as the namespaced function and `optional.spec.x` as the variable, so both
// uses work in one expression. kro's dependency extraction skips the target of a known namespaced
// call, so `random.seededString(...)` inside resource `random` is no self-reference.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics.js';
import { buildGraph } from '../../../src/graph/build.js';
import { loadRgds } from '../../../src/rgd/load.js';
import type { Rgd } from '../../../src/rgd/model.js';
import { renderInstance } from '../../../src/synth/render.js';

const RGD = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: namespace-ids
spec:
  schema:
    apiVersion: v1alpha1
    kind: NamespaceIds
    spec:
      name: string | default="demo"
    status:
      first: \${optional.metadata.name}
      wrapped: \${optional.of(optional.data.a).orValue("none")}
      marshalled: \${json.marshal(json.data)}
  resources:
    - id: optional
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}
        data:
          a: "x"
    - id: json
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${optional.metadata.name + "-json"}
        data:
          b: '\${optional.?data.?a.orValue("none") + "y"}'
    - id: random
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${json.metadata.name + "-random"}
        data:
          seeded: \${random.seededString(4, "x")}
          both: '\${optional.of(json.data.b).orValue("") + optional.none().orValue(optional.data.a)}'
          marshalled: '\${json.marshal({"b": json.data.b})}'
    - id: map
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${optional.metadata.name + "-map"}
        data:
          c: "z"
    - id: ip
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: '\${ip.isCanonical("10.0.0.1") ? map.metadata.name + "-ip" : "no"}'
          labels:
            family: \${string(ip("10.0.0.1").family())}
        data:
          size: \${string(size(map.data))}
`;

function load(text: string): Rgd {
  const loaded = loadRgds([{ path: 'rgd.yaml', text }]);
  expect(loaded.diagnostics).toEqual([]);
  const rgd = loaded.rgds[0];
  if (!rgd) throw new Error('no RGD');
  return rgd;
}

const messages = (d: readonly Diagnostic[]) =>
  d.map((x) => `${x.pos?.line}:${x.pos?.col}: ${x.severity}: ${x.message}`);

describe('resource ids named like CEL namespaces and types', () => {
  const rgd = load(RGD);
  const { graph, diagnostics } = buildGraph(rgd);

  it('builds without diagnostics', () => {
    expect(messages(diagnostics)).toEqual([]);
  });

  it('counts variable uses as dependencies and namespaced calls as none', () => {
    expect(graph.resources.map((r) => [r.id, r.dependencies])).toEqual([
      ['optional', []],
      ['json', ['optional']],
      ['random', ['json', 'optional']],
      ['map', ['optional']],
      ['ip', ['map']],
    ]);
    expect(graph.topologicalOrder).toEqual(['optional', 'json', 'random', 'map', 'ip']);
    expect(graph.instance.dependencies).toEqual(['optional', 'json']);
  });

  it('type-checks expressions reading such variables', () => {
    expect(graph.instance.statusSchema).toEqual({
      type: 'object',
      properties: {
        first: { type: 'string' },
        wrapped: { type: 'string' },
        marshalled: { type: 'string' },
      },
    });
    const bad = buildGraph(
      load(RGD.replace('${optional.metadata.name + "-json"}', '${optional.metadata.nope}')),
    );
    expect(messages(bad.diagnostics)).toEqual([
      expect.stringMatching(/^29:37: error: .*"\$\{optional\.metadata\.nope\}".*undefined field 'nope'$/),
    ]);
    const wrongType = buildGraph(load(RGD.replace('${string(size(map.data))}', '${size(map.data)}')));
    expect(messages(wrongType.diagnostics)).toEqual([
      expect.stringMatching(/^59:19: error: type mismatch .* returns type "int" but expected "string"/),
    ]);
  });

  it('renders both uses in one expression', () => {
    const r = renderInstance(
      graph,
      rgd,
      {
        apiVersion: 'kro.run/v1alpha1',
        kind: 'NamespaceIds',
        metadata: { name: 'one', namespace: 'default' },
        spec: {},
      },
      { annotations: [], labels: false },
    );
    expect(messages(r.diagnostics)).toEqual([]);
    const byId = Object.fromEntries(r.manifests.map((m) => [m.nodeId, m.object]));
    expect(byId['json']).toMatchObject({ metadata: { name: 'demo-json' }, data: { b: 'xy' } });
    expect(byId['random']).toMatchObject({
      metadata: { name: 'demo-json-random' },
      // random.seededString(4, "x") as kro evaluates it
      data: { seeded: 'iot1', both: 'xyx', marshalled: '{"b":"xy"}' },
    });
    expect(byId['map']).toMatchObject({ metadata: { name: 'demo-map' }, data: { c: 'z' } });
    expect(byId['ip']).toMatchObject({
      metadata: { name: 'demo-map-ip', labels: { family: '4' } },
      data: { size: '1' },
    });
  });
});
