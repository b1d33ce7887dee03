// `bench scale`: one RGD of 5,000 ConfigMaps (issue 12's target: validate, generate and synth each
// within 5 s), half in one chain (each reads the one before it) and half in a fan (each reads the
// first), through the CLI in-process as a user runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.js';

const RESOURCES = 5000;
const TARGET_MS = 5000;

/** The RGD: `r0` reads the instance; r1..r2499 each read the previous one; the rest read r0. */
export function scaleRgd(n: number): string {
  const chain = Math.floor(n / 2);
  const lines = [
    'apiVersion: kro.run/v1alpha1',
    'kind: ResourceGraphDefinition',
    'metadata:',
    '  name: scale',
    'spec:',
    '  schema:',
    '    apiVersion: v1alpha1',
    '    kind: Scale',
    '    spec:',
    '      prefix: string | default="s"',
    '  resources:',
  ];
  for (let i = 0; i < n; i++) {
    const from = i === 0 ? 'schema.spec.prefix' : i < chain ? `r${i - 1}.metadata.name` : 'r0.metadata.name';
    lines.push(
      `    - id: r${i}`,
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        metadata:',
      `          name: \${schema.metadata.name}-r${i}`,
      '        data:',
      `          from: \${${from}}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// One CLI command in this process: wall and CPU milliseconds; throws if it fails.
async function timed(dir: string, argv: string[]): Promise<{ ms: number; cpuMs: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const r = await runCli(dir, argv);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (r.code !== 0) throw new Error(`${argv[0]} exited ${r.code}: ${r.err.split('\n')[0]}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The three commands on an RGD of `resources` ConfigMaps, then (with `linearity`) validate of that
 * RGD and of one twice its size, both warm in the same process: their ratio is about 2 when
 * validate is linear (declaring each resource's types was once quadratic).
 */
export async function run(resources = RESOURCES, linearity = true): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bench-scale-'));
  try {
    writeFileSync(join(dir, 'rgd.yaml'), scaleRgd(resources));
    writeFileSync(
      join(dir, 'app.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: Scale\nmetadata:\n  name: big\nspec: {}\n',
    );
    const figures: string[] = [];
    let slow = false;
    for (const argv of [
      ['validate', 'rgd.yaml'],
      ['generate', 'rgd.yaml', '--out', 'gen'],
      ['synth', 'rgd.yaml', '--instance', 'app.yaml', '--out', 'out'],
    ]) {
      const { ms, cpuMs } = await timed(dir, argv);
      if (ms > TARGET_MS) slow = true;
      // CPU time too: on a shared machine the wall clock also measures the neighbours.
      figures.push(`${argv[0]} ${seconds(ms)} (cpu ${seconds(cpuMs)})`);
    }
    const lines = [
      `bench scale: ${resources} resources (chain + fan): ${figures.join(', ')} (target ${TARGET_MS / 1000} s each)${slow ? ' SLOWER THAN TARGET' : ''}`,
    ];
    if (linearity) {
      writeFileSync(join(dir, 'double.yaml'), scaleRgd(2 * resources));
      const once = await timed(dir, ['validate', 'rgd.yaml']);
      const twice = await timed(dir, ['validate', 'double.yaml']);
      lines.push(
        `bench scale: validate warm, ${resources} resources cpu ${seconds(once.cpuMs)}, ${2 * resources} cpu ${seconds(twice.cpuMs)}: ${(twice.cpuMs / once.cpuMs).toFixed(2)}x for twice the resources (linear: 2x)`,
      );
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
