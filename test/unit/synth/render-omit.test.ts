// omit() behind kro's CELOmitFunction feature gate. Environments with and without the gate come
// from separate CEL bases; test/unit/cel/env-bases.test.ts checks that both work in one process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { renderInstance } from '../../../src/synth/index.js';
import { runCli } from '../../helpers/cli.js';
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

describe('kro-gen synth --omit', () => {
  it('turns the gate on for the graph and the renderer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kro-gen-omit-'));
    try {
      writeFileSync(join(dir, 'rgd.yaml'), text);
      writeFileSync(
        join(dir, 'one.yaml'),
        'apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata: {name: one}\n',
      );
      const { code, out } = await runCli(dir, [
        'synth',
        'rgd.yaml',
        '-i',
        'one.yaml',
        '--omit',
        '--annotations',
        'none',
      ]);
      expect(code).toBe(0);
      expect(out).toContain('data:\n  kept: x\n');
      expect(out).not.toContain('binaryData');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
