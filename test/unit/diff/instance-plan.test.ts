// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import { planInstances } from '../../../src/diff/instance-plan.js';
import { parseYamlFile } from '../../../src/rgd/yaml.js';
import { rgdFrom, rgdYaml } from '../synth/helpers.js';

const CM = `- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: "\${schema.spec.name}-cm"}
    data: {color: "\${schema.spec.color}"}`;

const DEPLOY = (selector: string, image = 'nginx:1.25') => `- id: deploy
  template:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: "\${schema.spec.name}"}
    spec:
      selector: {matchLabels: {app: ${selector}}}
      template:
        metadata: {labels: {app: ${selector}}}
        spec: {containers: [{name: app, image: "${image}"}]}`;

const INSTANCE = `apiVersion: kro.run/v1alpha1
kind: TestApp
metadata:
  name: one
  namespace: ns1
spec:
  name: one
  color: blue
`;

function plan(oldYaml: string, newYaml: string, text = INSTANCE) {
  const o = rgdFrom(oldYaml, 'old.yaml');
  const n = rgdFrom(newYaml, 'new.yaml');
  return planInstances({
    oldRgd: o.rgd,
    newRgd: n.rgd,
    oldGraph: o.graph,
    newGraph: n.graph,
    instances: parseYamlFile({ path: 'inst.yaml', text }).documents,
  });
}

const SPEC = 'name: string\ncolor: string | default="red"';

describe('planInstances', () => {
  it('lists every object unchanged when the RGD does not change', () => {
    const y = rgdYaml({ spec: SPEC, resources: CM });
    const r = plan(y, y);
    expect(r.diagnostics).toEqual([]);
    expect(r.plans).toEqual([
      {
        instance: { apiVersion: 'kro.run/v1alpha1', kind: 'TestApp', namespace: 'ns1', name: 'one' },
        errors: [],
        objects: [
          {
            action: 'unchanged',
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: 'ns1',
            name: 'one-cm',
            changes: [],
            immutable: [],
          },
        ],
      },
    ]);
  });

  it('gives field-level changes of an update, and creates and deletes by identity', () => {
    const oldY = rgdYaml({ spec: SPEC, resources: CM });
    const newY = rgdYaml({
      spec: SPEC,
      resources: `${CM.replace('data: {color: "${schema.spec.color}"}', 'data: {colour: "${schema.spec.color}", size: "L"}')}
- id: extra
  template:
    apiVersion: v1
    kind: Secret
    metadata: {name: "\${schema.spec.name}-s"}
    stringData: {k: v}`,
    });
    const r = plan(oldY, newY);
    expect(r.diagnostics).toEqual([]);
    const [p] = r.plans;
    expect(p?.errors).toEqual([]);
    expect(p?.objects.map((o) => [o.action, o.kind, o.name])).toEqual([
      ['update', 'ConfigMap', 'one-cm'],
      ['create', 'Secret', 'one-s'],
    ]);
    expect(p?.objects[0]?.changes).toEqual([
      { path: 'data.colour', to: 'blue' },
      { path: 'data.size', to: 'L' },
      { path: 'data.color', from: 'blue' },
    ]);
    // The reverse: the Secret is pruned.
    const back = plan(newY, oldY);
    expect(back.plans[0]?.objects.map((o) => [o.action, o.kind])).toEqual([
      ['update', 'ConfigMap'],
      ['delete', 'Secret'],
    ]);
  });

  it('keeps an object whose resource id is renamed', () => {
    const oldY = rgdYaml({ spec: SPEC, resources: CM });
    const newY = rgdYaml({ spec: SPEC, resources: CM.replace('- id: cm', '- id: config') });
    expect(plan(oldY, newY).plans[0]?.objects.map((o) => o.action)).toEqual(['unchanged']);
  });

  it('deletes what an includeWhen turned off and what a shrunk forEach drops, dependents first', () => {
    const oldY = rgdYaml({
      spec: `${SPEC}\nitems: '[]string | default=["a","b","c"]'`,
      resources: `${CM}
- id: perItem
  forEach:
  - it: \${schema.spec.items}
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: "\${schema.spec.name}-\${it}"}
    data: {from: "\${cm.metadata.name}"}`,
    });
    // The stored instance keeps the old default list: the RGD shrinks what it iterates over.
    const newY = oldY.replace('- it: ${schema.spec.items}', '- it: ${schema.spec.items.filter(x, x == "a")}');
    expect(newY).not.toBe(oldY);
    const objs = plan(oldY, newY).plans[0]?.objects ?? [];
    expect(objs.map((o) => [o.action, o.name])).toEqual([
      ['unchanged', 'one-cm'],
      ['unchanged', 'one-a'],
      ['delete', 'one-c'],
      ['delete', 'one-b'],
    ]);
    const gated = rgdYaml({
      spec: SPEC,
      resources: `${CM}\n  includeWhen:\n  - \${schema.spec.color == "green"}`,
    });
    expect(
      plan(rgdYaml({ spec: SPEC, resources: CM }), gated).plans[0]?.objects.map((o) => o.action),
    ).toEqual(['delete']);
  });

  it('uses the defaults stored with the old schema, and the new defaults for fields still missing', () => {
    const oldY = rgdYaml({ spec: 'name: string\ncolor: string | default="red"', resources: CM });
    const newY = rgdYaml({ spec: 'name: string\ncolor: string | default="green"', resources: CM });
    const text = 'apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata: {name: two}\nspec: {name: two}\n';
    // The instance was stored with color "red": the new default does not replace it.
    expect(plan(oldY, newY, text).plans[0]?.objects.map((o) => o.action)).toEqual(['unchanged']);
    const added = rgdYaml({
      spec: 'name: string\ncolor: string | default="red"\nsize: string | default="M"',
      resources: CM.replace('data: {color: "${schema.spec.color}"}', 'data: {size: "${schema.spec.size}"}'),
    });
    expect(plan(oldY, added, text).plans[0]?.objects[0]?.changes).toEqual([
      { path: 'data.size', to: 'M' },
      { path: 'data.color', from: 'red' },
    ]);
  });

  it('reports an instance the new schema refuses, at the field in the instance file', () => {
    const oldY = rgdYaml({ spec: 'name: string\ncolor: string | enum="red,blue"', resources: CM });
    const newY = rgdYaml({ spec: 'name: string\ncolor: string | enum="red"', resources: CM });
    const p = plan(oldY, newY).plans[0];
    expect(p?.errors).toHaveLength(1);
    expect(p?.errors[0]?.message).toBe(
      'no longer valid under the new schema: spec.color: must be one of "red"',
    );
    expect(p?.errors[0]?.pos).toEqual({ file: 'inst.yaml', line: 8, col: 10 });
    // kro still renders the stored instance: the objects stay.
    expect(p?.objects.map((o) => o.action)).toEqual(['unchanged']);
  });

  it('flags an update of an immutable field at the instance', () => {
    const oldY = rgdYaml({ spec: SPEC, resources: DEPLOY('web') });
    const newY = rgdYaml({ spec: SPEC, resources: DEPLOY('web2', 'nginx:1.26') });
    const p = plan(oldY, newY).plans[0];
    expect(p?.objects[0]?.action).toBe('update');
    expect(p?.objects[0]?.immutable).toEqual(['spec.selector']);
    expect(p?.errors).toEqual([
      {
        message:
          "Deployment ns1/one: the update changes immutable field spec.selector: the API server refuses kro's apply, the instance goes to ERROR and nothing is pruned",
        pos: { file: 'inst.yaml', line: 4, col: 9 },
      },
    ]);
    // Only the image: a mutable change.
    const image = plan(oldY, rgdYaml({ spec: SPEC, resources: DEPLOY('web', 'nginx:1.26') })).plans[0];
    expect(image?.errors).toEqual([]);
    expect(image?.objects[0]?.changes).toEqual([
      { path: 'spec.template.spec.containers[0].image', from: 'nginx:1.25', to: 'nginx:1.26' },
    ]);
  });

  it('says the API server refuses a change of the defined kind', () => {
    const oldY = rgdYaml({ spec: SPEC, resources: CM });
    const newY = rgdYaml({ spec: SPEC, resources: CM, kind: 'OtherApp' });
    const p = plan(oldY, newY).plans[0];
    expect(p?.errors[0]?.message).toContain('from kro.run/v1alpha1 TestApp to kro.run/v1alpha1 OtherApp');
    expect(p?.objects.map((o) => o.action)).toEqual(['unchanged']);
  });

  it('plans only documents of the old kind; an instance the old RGD refuses is a diagnostic', () => {
    const y = rgdYaml({ spec: 'name: string\ncolor: string | enum="red,blue"', resources: CM });
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n';
    const r = plan(
      y,
      y,
      `${other}${INSTANCE}---\n${INSTANCE.replace('one', 'two').replace('blue', 'green')}`,
    );
    expect(r.plans.map((p) => p.instance.name)).toEqual(['one']);
    expect(r.diagnostics.map((d) => [d.message, d.pos?.line])).toEqual([
      ['spec.color: must be one of "red", "blue"', 21],
    ]);
  });
});

describe('servedUnder', () => {
  it('prunes fields the new schema lacks, at any depth, and fills in its defaults', async () => {
    const { servedUnder } = await import('../../../src/diff/instance-stored.js');
    const { instanceModel } = await import('../../../src/synth/schemas.js');
    const { rgd } = rgdFrom(
      rgdYaml({
        spec: 'name: string\ndb:\n  port: integer | default=5432\nitems: "[]Item"\nopen: object',
        resources: CM.replace('${schema.spec.color}', 'x'),
      }).replace('  resources:', '    types:\n      Item:\n        id: string\n  resources:'),
    );
    const spec = instanceModel(rgd).model.spec;
    const stored = {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'TestApp',
      metadata: { name: 'a' },
      spec: { gone: 1, name: 'a', db: { host: 'h' }, items: [{ id: 'x', extra: true }], open: { any: 1 } },
    };
    expect(servedUnder(spec, stored).spec).toEqual({
      name: 'a',
      db: { port: 5432 },
      items: [{ id: 'x' }],
      open: { any: 1 },
    });
  });
});
