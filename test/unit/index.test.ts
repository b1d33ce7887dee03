// The programmatic API end to end on the seed example: what a library user would write.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, templateFile } from '../../src/codegen/templates.js';
import {
  buildCrd,
  buildGraph,
  generateConstructs,
  hasErrors,
  loadRgds,
  renderInstance,
} from '../../src/index.js';

const path = 'examples/web-app/rgd.yaml';
const { rgds, diagnostics } = loadRgds([{ path, text: readFileSync(path, 'utf8') }]);

describe('kro-gen as a library', () => {
  it('loads, builds the graph and renders an instance in dependency order', () => {
    expect(hasErrors(diagnostics)).toBe(false);
    const rgd = rgds[0]!;
    const { graph, diagnostics: graphDiags } = buildGraph(rgd);
    expect(hasErrors(graphDiags)).toBe(false);
    expect(graph.topologicalOrder).toEqual(['deployment', 'service']);

    const instance = {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'Application',
      metadata: { name: 'demo', namespace: 'team-a' },
      spec: { name: 'demo' },
    };
    const result = renderInstance(graph, rgd, instance, { annotations: [] });
    expect(result.diagnostics).toEqual([]);
    const [deployment, service] = result.manifests.map((m) => m.object);
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'demo', namespace: 'team-a' },
      spec: { replicas: 1, template: { spec: { containers: [{ image: 'httpd:latest' }] } } },
    });
    expect(service).toMatchObject({
      kind: 'Service',
      spec: { type: 'ClusterIP', selector: { app: 'demo' } },
    });
  });

  it('builds the CRD with status types inferred from the graph', () => {
    const rgd = rgds[0]!;
    const { graph } = buildGraph(rgd);
    const { crd } = buildCrd(rgd, { statusSchema: graph.instance.statusSchema });
    const status = (
      crd as { spec: { versions: { schema: { openAPIV3Schema: { properties: { status: unknown } } } }[] } }
    ).spec.versions[0]!.schema.openAPIV3Schema.properties.status;
    expect(status).toMatchObject({ properties: { availableReplicas: { type: 'integer' } } });
  });

  it('generates a construct module per RGD plus a barrel', () => {
    const templates = Object.fromEntries(
      TEMPLATE_NAMES.map((n) => [n, readFileSync(`templates/${templateFile(n)}`, 'utf8')]),
    ) as Record<(typeof TEMPLATE_NAMES)[number], string>;
    const result = generateConstructs(rgds, { templates, version: 'test' });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['application.ts', 'index.ts']);
    expect(result.files[0]?.content).toContain(
      'export class Application extends kro.KroConstruct<ApplicationSpec, ApplicationResourceId>',
    );
  });
});
