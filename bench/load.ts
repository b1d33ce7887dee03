// Loading a large RGD file (parse, duplicate-key and alias checks, JSON, model, validation) in this
// process: one 4 MiB file mixing a ConfigMap with many keys, many small resources, and many uses of
// one anchor. Loading is linear in the file size, so MB/s is the figure to watch. The yardstick,
// timed on the same file in the same run: kubectl's YAML-to-JSON (sigs.k8s.io/yaml's
// YAMLToJSONStrict in tools/yaml-oracle, Go), which keeps no positions; skipped with a note
// when Go is absent. Both figures are medians of PASSES conversions.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRgds } from '../src/rgd/load.js';

const ORACLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'yaml-oracle');
const PASSES = 5;

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

/** Seconds per conversion by kubectl's reader, or undefined without Go. */
function kubectlSeconds(text: string): number | undefined {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const cache = join(ORACLE_DIR, '.cache');
  mkdirSync(cache, { recursive: true });
  const oracle = join(cache, 'yaml-oracle');
  execFileSync('go', ['build', '-o', oracle, '.'], { cwd: ORACLE_DIR, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bench-load-'));
  try {
    writeFileSync(join(dir, 'big.yaml'), text);
    const out = execFileSync(oracle, ['-time', join(dir, 'big.yaml'), '-passes', String(PASSES)], {
      encoding: 'utf8',
    });
    return Number(out.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<string[]> {
  const text = largeRgd(TARGET_BYTES);
  const mb = Buffer.byteLength(text) / (1024 * 1024);
  loadRgds([{ path: 'warmup.yaml', text: largeRgd(256 * 1024) }]);
  const times: number[] = [];
  for (let i = 0; i < PASSES; i++) {
    const start = performance.now();
    const result = loadRgds([{ path: 'big.yaml', text }]);
    times.push((performance.now() - start) / 1000);
    if (result.rgds.length !== 1)
      throw new Error(`the generated RGD did not load: ${result.diagnostics[0]?.message}`);
  }
  const seconds = times.sort((a, b) => a - b)[Math.floor(PASSES / 2)] as number;
  const kubectl = kubectlSeconds(text);
  const yardstick =
    kubectl === undefined
      ? "kubectl's YAML-to-JSON skipped (no Go toolchain on PATH)"
      : `kubectl's YAML-to-JSON (sigs.k8s.io/yaml, no positions) ${(mb / kubectl).toFixed(1)} MB/s on the same file, ours ${(kubectl / seconds).toFixed(2)}x its speed`;
  return [
    `bench load: ${(mb / seconds).toFixed(1)} MB/s YAML with positions (one ${mb.toFixed(1)} MiB RGD file in ${seconds.toFixed(2)} s, median of ${PASSES}; target 10 MB/s); ${yardstick}`,
  ];
}
