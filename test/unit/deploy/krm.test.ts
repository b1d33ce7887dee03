// `kro-gen krm`: the KRM function protocol (a ResourceList on stdin, one on stdout, problems as
// results), as kpt and kustomize exec functions call it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read field by field
type Loose = any;
const yamlDocs = (path: string): Loose[] =>
  parseAllDocuments(readFileSync(join(ROOT, path), 'utf8')).map((d) => d.toJS());

async function krm(list: unknown) {
  const text = JSON.stringify(list);
  const r = await runCli(ROOT, ['krm'], {}, async function* () {
    yield text;
  });
  return { ...r, list: parse(r.out) as Loose };
}

const rgd = yamlDocs('examples/kustomize/base/rgd.yaml')[0];
const greeter = yamlDocs('examples/kustomize/base/greeter.yaml')[0];
const withPath = (o: Loose, path: string) => ({
  ...o,
  metadata: {
    ...o.metadata,
    annotations: { 'internal.config.kubernetes.io/path': path, 'config.kubernetes.io/index': '0' },
  },
});
const other = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kept' }, stringData: { a: 'b' } };

describe('kro-gen krm', () => {
  it('replaces RGDs and instances by the rendered objects and passes other items through', async () => {
    const r = await krm({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [withPath(rgd, 'rgd.yaml'), withPath(greeter, 'greeter.yaml'), other],
      functionConfig: {
        apiVersion: 'kro-gen.dev/v1alpha1',
        kind: 'KroGen',
        metadata: { name: 'x' },
        spec: { namespace: 'web', annotations: 'none' },
      },
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.list.kind).toBe('ResourceList');
    expect(r.list.results).toBeUndefined();
    expect(
      r.list.items.map((o: Loose) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    ).toEqual(['Secret//kept', 'ConfigMap/web/hello-page', 'Deployment/web/hello']);
    // The runner's bookkeeping annotations of the instance never reach the rendered objects.
    expect(r.list.items[1].metadata.annotations).toBeUndefined();
    expect(r.list.items[1].data).toEqual({ 'index.html': 'hello from kro-gen' });
  });

  it('a ConfigMap functionConfig sets the mode: bundle keeps RGDs and instances', async () => {
    const r = await krm({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [rgd, greeter],
      functionConfig: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
        data: { mode: 'bundle', namespace: 'web' },
      },
    });
    expect(r.code).toBe(0);
    expect(r.list.items.map((o: Loose) => o.kind)).toEqual(['ResourceGraphDefinition', 'Greeter']);
  });

  it('reports problems as results naming the item and its file, exit 1, items unchanged', async () => {
    const bad = withPath({ ...greeter, spec: { replicas: 'three' } }, 'overlays/greeter.yaml');
    const r = await krm({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [rgd, bad] });
    expect(r.code).toBe(1);
    expect(r.list.results).toEqual([
      {
        message: 'spec.replicas: expected integer, got string',
        severity: 'error',
        resourceRef: { apiVersion: 'kro.run/v1alpha1', kind: 'Greeter', name: 'hello' },
        file: { path: 'overlays/greeter.yaml' },
      },
    ]);
    expect(r.list.items).toHaveLength(2);
  });

  it('refuses what is not a ResourceList, and unknown settings', async () => {
    const notList = await krm({ kind: 'List', items: [] });
    expect(notList.code).toBe(1);
    expect(notList.list.results[0].message).toContain('stdin must be a ResourceList');
    const unknown = await krm({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [rgd],
      functionConfig: { kind: 'KroGen', spec: { withKro: 'yes' } },
    });
    expect(unknown.code).toBe(1);
    expect(unknown.list.results[0].message).toContain('functionConfig: unknown setting withKro');
  });
});
