import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { buildCrd } from '../../../src/schema/crd.js';
import { defaultConditionsSchema } from '../../../src/schema/crd-defaults.js';
import { statusSchemaFromTemplate } from '../../../src/schema/status.js';
import { rgdFromYaml } from './fixtures.js';

function at(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((cur, k) => (cur as Record<string, unknown> | undefined)?.[k], doc);
}

const openAPI = (crd: JsonObject) =>
  (
    (crd['spec'] as { versions: { schema: { openAPIV3Schema: JsonObject } }[] }).versions[0] as {
      schema: { openAPIV3Schema: JsonObject };
    }
  ).schema.openAPIV3Schema;

describe('the web-app example', () => {
  const file = 'examples/web-app/rgd.yaml';
  const rgd = rgdFromYaml(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8'), file);
  const built = buildCrd(rgd);

  it('builds without diagnostics', () => {
    expect(built.diagnostics).toEqual([]);
  });

  it('is named after the plural of its kind in kro.run', () => {
    expect(at(built.crd, 'metadata.name')).toBe('applications.kro.run');
    expect(at(built.crd, 'spec.names')).toEqual({
      plural: 'applications',
      singular: 'application',
      kind: 'Application',
      listKind: 'ApplicationList',
    });
  });

  it('carries the SimpleSchema defaults, and `{}` on spec', () => {
    const spec = at(openAPI(built.crd), 'properties.spec') as JsonObject;
    expect(spec['default']).toEqual({});
    expect(at(spec, 'properties.image.default')).toBe('httpd:latest');
    expect(at(spec, 'properties.replicas.default')).toBe(1);
    expect(at(spec, 'properties.replicas.minimum')).toBe(0);
    expect(at(spec, 'properties.svcType.default')).toBe('ClusterIP');
    expect(at(spec, 'properties.svcType.enum')).toEqual(['ClusterIP', 'NodePort', 'LoadBalancer']);
    expect(at(spec, 'required')).toBeUndefined();
  });

  it('returns the schema model it used', () => {
    expect(built.schema.spec.fields.map((f) => f.name)).toEqual(['name', 'image', 'replicas', 'svcType']);
  });

  it('leaves status fields open until their types are known', () => {
    const status = at(openAPI(built.crd), 'properties.status.properties') as JsonObject;
    expect(status['availableReplicas']).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(status['deploymentConditions']).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(status['state']).toEqual({ type: 'string' });
    expect(status['conditions']).toEqual(defaultConditionsSchema());
  });
});

const tiny = `
apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: tiny
spec:
  schema:
    apiVersion: v1
    kind: Widget
    group: example.com
    scope: Cluster
    shortNames: [wd]
    categories: [all]
    metadata:
      labels: {team: b, app: a}
      annotations: {note: x}
    additionalPrinterColumns:
      - jsonPath: .spec.size
        priority: 0
        type: integer
        name: Size
    spec:
      size: integer | default=2
    status:
      ready: \${thing.status.ready}
`;

describe('buildCrd', () => {
  it('writes every key in Kubernetes/Go order', () => {
    const { crd, diagnostics } = buildCrd(rgdFromYaml(tiny));
    expect(diagnostics).toEqual([]);
    const expected = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com', labels: { app: 'a', team: 'b' }, annotations: { note: 'x' } },
      spec: {
        group: 'example.com',
        names: {
          plural: 'widgets',
          singular: 'widget',
          shortNames: ['wd'],
          kind: 'Widget',
          listKind: 'WidgetList',
          categories: ['all'],
        },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  apiVersion: { type: 'string' },
                  kind: { type: 'string' },
                  metadata: { type: 'object' },
                  spec: {
                    type: 'object',
                    default: {},
                    properties: { size: { type: 'integer', default: 2 } },
                  },
                  status: {
                    type: 'object',
                    properties: {
                      conditions: defaultConditionsSchema(),
                      ready: { 'x-kubernetes-preserve-unknown-fields': true },
                      state: { type: 'string' },
                    },
                  },
                },
              },
            },
            subresources: { status: {} },
            additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
          },
        ],
      },
    };
    expect(JSON.stringify(crd, null, 1)).toBe(JSON.stringify(expected, null, 1));
  });

  it('uses a given status schema, in canonical order, adding state and conditions when missing', () => {
    const statusSchema: JsonObject = {
      properties: { z: { type: 'integer' }, a: { items: { type: 'string' }, type: 'array' } },
      type: 'object',
    };
    const status = at(
      openAPI(buildCrd(rgdFromYaml(tiny), { statusSchema }).crd),
      'properties.status',
    ) as JsonObject;
    expect(JSON.stringify(status)).toBe(
      JSON.stringify({
        type: 'object',
        properties: {
          a: { type: 'array', items: { type: 'string' } },
          conditions: defaultConditionsSchema(),
          state: { type: 'string' },
          z: { type: 'integer' },
        },
      }),
    );
    const own = { type: 'object', properties: { state: { type: 'integer' } } };
    const withState = buildCrd(rgdFromYaml(tiny), { statusSchema: own }).crd;
    expect(at(openAPI(withState), 'properties.status.properties.state')).toEqual({ type: 'integer' });
  });

  it('adds ownership labels on request, so kro adopts a CRD applied before it', () => {
    const { crd } = buildCrd(rgdFromYaml(tiny), { kroOwnedLabels: true });
    expect(at(crd, 'metadata.labels')).toEqual({
      app: 'a',
      'kro.run/owned': 'true',
      'kro.run/resource-graph-definition-name': 'tiny',
      team: 'b',
    });
  });

  it('defaults scope and group as kro does and leaves out empty names and metadata', () => {
    const { crd } = buildCrd(
      rgdFromYaml('metadata: {name: x}\nspec:\n  schema:\n    apiVersion: v1alpha1\n    kind: Policy\n'),
    );
    expect(at(crd, 'metadata')).toEqual({ name: 'policies.kro.run' });
    expect(at(crd, 'spec.scope')).toBe('Namespaced');
    expect(Object.keys(at(crd, 'spec.names') as object)).toEqual(['plural', 'singular', 'kind', 'listKind']);
    expect(at(openAPI(crd), 'properties.spec')).toEqual({ type: 'object' });
  });

  it('reports a kind whose kro plural is not a valid name', () => {
    const text = 'metadata: {name: x}\nspec:\n  schema:\n    apiVersion: v1\n    kind: Dns\n';
    const { diagnostics } = buildCrd(rgdFromYaml(text));
    expect(diagnostics.map((d) => [d.code, d.pos?.line, d.pos?.col])).toEqual([
      ['crd/invalid-plural', 5, 11],
    ]);
    expect(diagnostics[0]?.message).toContain('"dnsDNSes"');
  });

  it('reports printer columns without name, type or jsonPath', () => {
    const text = [
      'metadata: {name: x}',
      'spec:',
      '  schema:',
      '    apiVersion: v1',
      '    kind: Thing',
      '    additionalPrinterColumns:',
      '      - name: A',
      '        type: string',
      '        jsonPath: .a',
      '      - name: B',
      '',
    ].join('\n');
    const { crd, diagnostics } = buildCrd(rgdFromYaml(text));
    expect(diagnostics.map((d) => [d.code, d.pos?.line, d.message])).toEqual([
      [
        'crd/invalid-printer-column',
        10,
        'additionalPrinterColumns[1]: type, jsonPath must be set to a non-empty string',
      ],
    ]);
    expect(at(crd, 'spec.versions')).toMatchObject([{ additionalPrinterColumns: [{ name: 'A' }] }]);
  });

  it('reports a printer column problem at the offending field, or at the column when it lacks one', () => {
    const text = [
      'metadata: {name: x}',
      'spec:',
      '  schema:',
      '    apiVersion: v1',
      '    kind: Thing',
      '    additionalPrinterColumns:',
      '      - name: A',
      '        type: weird',
      '        jsonPath: .a',
      '      - name: B',
      '        type: string',
      '        format: nope',
      '        jsonPath: "{{{"',
      '      - name: ""',
      '        type: string',
      '        jsonPath: .a',
      '      - name: D',
      '        jsonPath: .a',
      '',
    ].join('\n');
    const { diagnostics } = buildCrd(rgdFromYaml(text));
    expect(diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message.split(':')[0]}`)).toEqual([
      '8:15 additionalPrinterColumns[0].type',
      '12:17 additionalPrinterColumns[1].format',
      '13:19 additionalPrinterColumns[1].jsonPath',
      '14:15 additionalPrinterColumns[2]',
      '17:9 additionalPrinterColumns[3]',
    ]);
  });

  it('passes schema diagnostics through', () => {
    const text =
      'metadata: {name: x}\nspec:\n  schema:\n    apiVersion: v1\n    kind: Thing\n    spec:\n      a: nope\n';
    const { diagnostics } = buildCrd(rgdFromYaml(text));
    expect(diagnostics.map((d) => [d.code, d.message, d.pos?.line, d.pos?.col])).toEqual([
      ['schema/unknown-type', 'spec.a: unknown type: nope', 7, 10],
    ]);
  });
});

// A `${...}` expression string (spelled out so it is not mistaken for a template literal).
const expr = (e: string) => ['$', '{', e, '}'].join('');

describe('status schema from the template', () => {
  it('follows nested maps and lists, leaves leaves open, and drops conditions', () => {
    expect(
      statusSchemaFromTemplate({
        url: expr('svc.status.url'),
        conditions: [expr('x')],
        nested: { a: expr('a'), empty: {} },
        list: [{ name: expr('n') }, { port: expr('p') }],
        plain: [expr('q')],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        url: { 'x-kubernetes-preserve-unknown-fields': true },
        nested: { type: 'object', properties: { a: { 'x-kubernetes-preserve-unknown-fields': true } } },
        list: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { 'x-kubernetes-preserve-unknown-fields': true },
              port: { 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
        plain: { type: 'array', items: { 'x-kubernetes-preserve-unknown-fields': true } },
      },
    });
    expect(statusSchemaFromTemplate(null)).toEqual({ type: 'object', properties: {} });
  });
});
