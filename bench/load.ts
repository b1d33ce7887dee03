// Loading a large RGD file (parse, duplicate-key and alias checks, JSON, positions, model,
// validation) in this process: one 4 MiB file mixing a ConfigMap with many keys, many small
// resources, and many uses of one anchor. Loading is linear in the file size, so MB/s is the
// figure to watch. The yardstick, timed on the same file in the same run: kubectl's YAML-to-JSON
// (sigs.k8s.io/yaml's YAMLToJSONStrict in tools/yaml-oracle, Go), which keeps no positions;
// skipped with a note when Go is absent. Both sides are medians of PASSES conversions, in CPU time
// (the headline: the machine is shared, and wall time there measures the other users) and wall.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFastYaml } from '../src/rgd/fast-yaml.js';
import { loadRgds } from '../src/rgd/load.js';
import { DEFAULT_YAML_LIMITS } from '../src/rgd/yaml.js';
import { median } from './measure.js';

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

interface Seconds {
  readonly wall: number;
  readonly cpu: number;
}

/** Median wall and CPU seconds per conversion by kubectl's reader, or undefined without Go. */
function kubectlSeconds(text: string): Seconds | undefined {
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
    const [wall, cpu] = out.trim().split(/\s+/).map(Number) as [number, number];
    return { wall, cpu };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<string[]> {
  const text = largeRgd(TARGET_BYTES);
  const mb = Buffer.byteLength(text) / (1024 * 1024);
  loadRgds([{ path: 'warmup.yaml', text: largeRgd(256 * 1024) }]);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < PASSES; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const result = loadRgds([{ path: 'big.yaml', text }]);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1e6);
    wall.push((performance.now() - start) / 1000);
    if (result.rgds.length !== 1)
      throw new Error(`the generated RGD did not load: ${result.diagnostics[0]?.message}`);
  }
  const ours: Seconds = { wall: median(wall), cpu: median(cpu) };
  // Which of the loader's two readers took the file (src/rgd/yaml.ts): the figure means little otherwise.
  const reader = readFastYaml(text, DEFAULT_YAML_LIMITS) ? 'fast reader' : 'full loader';
  const kubectl = kubectlSeconds(text);
  const yardstick =
    kubectl === undefined
      ? "kubectl's YAML-to-JSON skipped (no Go toolchain on PATH)"
      : `kubectl's YAML-to-JSON (sigs.k8s.io/yaml, no positions) ${(mb / kubectl.cpu).toFixed(1)} MB/s CPU (${(mb / kubectl.wall).toFixed(1)} wall) on the same file, ours ${(kubectl.cpu / ours.cpu).toFixed(2)}x its speed`;
  return [
    `bench load: ${(mb / ours.cpu).toFixed(1)} MB/s YAML with positions, CPU time (${(mb / ours.wall).toFixed(1)} MB/s wall; one ${mb.toFixed(1)} MiB RGD file, ${reader}, ${ours.cpu.toFixed(2)} s CPU, median of ${PASSES}; load average ${loadavg()[0]?.toFixed(1)}; target 10 MB/s); ${yardstick}`,
  ];
}
