// omit() behind kro's CELOmitFunction feature gate. In a file of its own: environments with and
// without the gate are built from separate CEL bases, and this file only ever needs the gated one.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { renderInstance } from '../../../src/synth/index.js';
import { instance, rgdFrom, rgdYaml } from './helpers.js';

const text = rgdYaml({
  spec: 'note: string | default=""',
  resources: `
- id: cm
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cm
    data:
      note: '\${schema.spec.note == "" ? omit() : schema.spec.note}'
      kept: x
    binaryData: \${omit()}`,
});

describe('omit()', () => {
  it('removes the map key or list item holding it, when the feature gate is on', () => {
    const { rgd, graph } = rgdFrom(text, 'rgd.yaml', { omit: true });
    const r = renderInstance(graph, rgd, instance('one'), { omit: true });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const cm = r.manifests[0]?.object as JsonObject;
    expect(cm.data).toEqual({ kept: 'x' });
    expect(Object.hasOwn(cm, 'binaryData')).toBe(false);
    const set = renderInstance(graph, rgd, instance('one', { note: 'n' }), { omit: true });
    expect(set.manifests[0]?.object.data).toEqual({ note: 'n', kept: 'x' });
  });
});
