// Loading a large RGD file (parse, duplicate-key and alias checks, JSON, model, validation) in this
// process: one 4 MiB file mixing a ConfigMap with many keys, many small resources, and many uses of
// one anchor. Loading is linear in the file size, so MB/s is the figure to watch.
import { loadRgds } from '../src/rgd/load.js';

const TARGET_BYTES = 4 * 1024 * 1024;

/** About a third of the bytes each: wide `data`, then resources, each using the `labels` anchor. */
export function largeRgd(bytes: number): string {
  const parts = [
    'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata:\n  name: big\n',
    '  labels: &labels {app: big, team: platform}\n',
    'spec:\n  schema:\n    apiVersion: v1alpha1\n    kind: Big\n    spec:\n      name: string\n',
    '  resources:\n    - id: data\n      template:\n        apiVersion: v1\n        kind: ConfigMap\n',
    `        metadata:\n          name: \${schema.spec.name}-data\n        data:\n`,
  ];
  let size = parts.reduce((n, p) => n + p.length, 0);
  for (let i = 0; size < bytes / 3; i++) {
    const line = `          key-${i}: "value ${i} of the data map"\n`;
    parts.push(line);
    size += line.length;
  }
  for (let i = 0; size < bytes; i++) {
    const resource = [
      `    - id: cm${i}`,
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        metadata:',
      `          name: \${schema.spec.name}-${i}`,
      '          labels: *labels',
      '        data:',
      `          index: "${i}"`,
      '          mode: {a: "1", b: "2"}',
      '',
    ].join('\n');
    parts.push(resource);
    size += resource.length;
  }
  return parts.join('');
}

export async function run(): Promise<string[]> {
  const text = largeRgd(TARGET_BYTES);
  const mb = Buffer.byteLength(text) / (1024 * 1024);
  loadRgds([{ path: 'warmup.yaml', text: largeRgd(256 * 1024) }]);
  const start = performance.now();
  const result = loadRgds([{ path: 'big.yaml', text }]);
  const seconds = (performance.now() - start) / 1000;
  if (result.rgds.length !== 1)
    throw new Error(`the generated RGD did not load: ${result.diagnostics[0]?.message}`);
  return [
    `bench load: ${(mb / seconds).toFixed(1)} MB/s (one ${mb.toFixed(1)} MiB RGD file in ${seconds.toFixed(2)} s)`,
  ];
}
