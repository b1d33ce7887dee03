// Overloads chosen by the static types kro checks with: kro declares `schema` from its schema, so a
// call whose result type depends on a free type parameter (`min()` of a list(A)) takes the field's
// element type, where an evaluation with `schema` dyn binds A to the first overload (int). The
// expected values are kro's, checked with the CEL oracle (test/fuzz/cel/oracle).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { renderInstance } from '../../../src/synth/index.js';
import { instance, rgdFrom, rgdYaml } from './helpers.js';

// The diagnostics and the ConfigMap's data of one instance of an RGD with `spec` and `data` lines.
function render(spec: string, data: string, values: JsonObject) {
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
      ${data}`,
    }),
  );
  const r = renderInstance(graph, rgd, instance('one', values));
  return { errors: r.diagnostics.map((d) => d.message), data: r.manifests[0]?.object.data };
}

describe('evaluation with the static types of schema fields', () => {
  it('types min() of a list(string) field as string, as kro does', () => {
    const r = render(
      'names: "[]string"',
      `first: \${lists.removeAtIndex(schema.spec.names, 0).min().upperAscii()}`,
      { names: ['zed', 'bob', 'amy'] },
    );
    expect(r).toEqual({ errors: [], data: { first: 'AMY' } });
  });

  it('types a list literal joined with a float field as list(double)', () => {
    const r = render(
      'f3: float',
      `sum: \${string(optional.of([]).orValue([0.0, schema.spec.f3]).sum() + 0.5)}`,
      {
        f3: 2.5,
      },
    );
    // optional.of([]) holds the empty list, whose sum is the double 0 (an int with schema dyn,
    // which finds no `+` with 0.5).
    expect(r).toEqual({ errors: [], data: { sum: '0.5' } });
  });

  it('leaves a field read through dyn() dynamic: min() is int and refuses the strings, as in kro', () => {
    const r = render(
      'names: "[]string"',
      `first: \${string(lists.removeAtIndex(dyn(schema.spec.names), 0).min())}`,
      { names: ['zed', 'bob', 'amy'] },
    );
    expect(r.errors.join('\n')).toContain('no such overload');
  });
});
