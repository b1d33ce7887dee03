// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the RGD text holds kro expressions, not JS templates
// Instance problems point at the whole offending token: an unknown field at its key (also when the
// key holds dots), a bad value at the value, a rule failure at the field the rule is on.
import { describe, expect, it } from 'vitest';
import { instanceSchemaOf } from '../../../src/schema/index.js';
import { normalizeInstance } from '../../../src/synth/instance.js';
import { renderInstance } from '../../../src/synth/render.js';
import { docFrom, rgdFrom, rgdYaml } from './helpers.js';

const { rgd } = rgdFrom(
  rgdYaml({
    spec: [
      'name: string | default="app"',
      'labels: "map[string]string"',
      'sizes: "map[string]integer"',
      'ports: "[]integer"',
      'inner:',
      '  port: integer | validation="self > 0"',
    ].join('\n'),
    resources:
      '- id: cm\n  template:\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: ${schema.spec.name}\n',
  }),
);

function problems(spec: string): string[] {
  const doc = docFrom(
    `apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata:\n  name: a\n  namespace: n\nspec:\n${spec}`,
  );
  const { diagnostics } = normalizeInstance(rgd, instanceSchemaOf(rgd).schema, doc);
  return diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`);
}

describe('instance problem positions', () => {
  it('an unknown field with dots in its key is at that key', () => {
    expect(problems('  name: x\n  a.b.c: 1\n')).toEqual(['8:3 spec.a.b.c: unknown field']);
  });

  it('a bad value under a dotted map key is at the value', () => {
    expect(problems('  sizes:\n    "x.y": "big"\n')).toEqual([
      '8:12 spec.sizes.x.y: expected integer, got string',
    ]);
  });

  it('a rule failure is at the field, a list item at the item', () => {
    expect(problems('  inner:\n    port: 0\n  ports: [1, "two"]\n')).toEqual([
      '9:14 spec.ports[1]: expected integer, got string',
    ]);
    expect(problems('  inner:\n    port: 0\n')).toEqual([
      '8:11 spec.inner.port: validation failed (rule "self > 0")',
    ]);
  });

  it('a multi-line key is at its first character', () => {
    expect(problems('  ? |-\n    two\n    lines\n  : 1\n')).toEqual([
      '7:5 spec["two\\nlines"]: unknown field',
    ]);
  });
});

describe('identification label warnings', () => {
  it('a name that is no label value leaves its label out, with a warning at the instance metadata', () => {
    const labelled = rgdFrom(
      rgdYaml({
        resources:
          '- id: cm\n  template:\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cm-${schema.metadata.name}\n',
      }),
    );
    const long = 'a'.repeat(70);
    const doc = docFrom(
      `apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata:\n  name: ${long}\n  namespace: team\n`,
    );
    const r = renderInstance(labelled.graph, labelled.rgd, doc.object, { instanceLoc: doc.loc });
    const warnings = r.diagnostics.filter((d) => d.code === 'synth/label');
    expect(warnings.map((d) => `${d.pos?.file}:${d.pos?.line}:${d.pos?.col}`)).toEqual(['instance.yaml:4:3']);
    const metadata = r.manifests[0]?.object.metadata as { labels?: Record<string, string> } | undefined;
    const labels = metadata?.labels ?? {};
    expect(labels['kro-gen.dev/instance-name']).toBeUndefined();
    expect(labels['kro-gen.dev/instance-namespace']).toBe('team');
  });
});
