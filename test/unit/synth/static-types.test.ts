// Overloads chosen by the static types kro checks with: kro declares `schema` from its schema, so a
// call whose result type depends on a free type parameter (`min()` of a list(A)) takes the field's
// element type, where an evaluation with `schema` dyn binds A to the first overload (int). The
// expected values are kro's, checked with the CEL oracle (test/fuzz/cel/oracle).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { renderInstance } from '../../../src/synth/index.js';
import { instance, rgdFrom, rgdYaml } from './helpers.js';

function render(spec: string, data: string, values: JsonObject): JsonObject | undefined {
  const { rgd, graph } = rgdFrom(
    rgdYaml({
      spec,
      resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm
    data:
${data
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}`,
    }),
  );
  const r = renderInstance(graph, rgd, instance('one', values));
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return r.manifests[0]?.object.data as JsonObject | undefined;
}

describe('evaluation with the static types of schema fields', () => {
  it('types min() of a list(string) field as string, as kro does', () => {
    const data = render(
      'names: "[]string"',
      `first: \${lists.removeAtIndex(schema.spec.names, 0).min().upperAscii()}`,
      { names: ['zed', 'bob', 'amy'] },
    );
    expect(data).toEqual({ first: 'AMY' });
  });

  it('types a list literal joined with a float field as list(double)', () => {
    const data = render(
      'f3: float',
      `sum: \${string(optional.of([]).orValue([0.0, schema.spec.f3]).sum())}`,
      {
        f3: 2.5,
      },
    );
    // optional.of([]) holds the empty list, whose sum is the double 0 (int 0 with schema dyn).
    expect(data).toEqual({ sum: '0' });
  });

  it('leaves a field read through dyn() dynamic: min() is int and refuses the strings, as in kro', () => {
    const { rgd, graph } = rgdFrom(
      rgdYaml({
        spec: 'names: "[]string"',
        resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm
    data:
      first: \${string(lists.removeAtIndex(dyn(schema.spec.names), 0).min())}`,
      }),
    );
    const r = renderInstance(graph, rgd, instance('one', { names: ['zed', 'bob', 'amy'] }));
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('no such overload');
  });
});
