// `kro-gen generate` against `cdk8s import`, whole processes, in the same run: one built-CLI
// generate over the example RGDs (examples/*/rgd.yaml) versus one `cdk8s import` of the CRDs
// `kro-gen crd` makes from the same RGDs (offline: --no-check-upgrade --no-save). Each is run three
// times and the median is reported. A second line does the same over kro's example RGDs (one per
// kind and group, as one generate can hold).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRgds } from '../src/rgd/load.js';
import { instanceSchemaOf } from '../src/schema/build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;

function check(r: ReturnType<typeof spawnSync>, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${String(r.stderr).slice(0, 2000)}`);
}

/** Median wall time, in seconds, of running `argv` RUNS times in `cwd`. */
function time(argv: readonly string[], cwd: string, what: string, before?: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    check(r, what);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

interface Comparison {
  readonly schemas: number;
  readonly generate: number;
  readonly cdk8s: number;
}

function compare(rgdFiles: readonly string[]): Comparison {
  const work = mkdtempSync(join(tmpdir(), 'kro-gen-bench-generate-'));
  try {
    const cli = join(root, 'dist', 'cli', 'main.js');
    const crd = spawnSync(process.execPath, [cli, 'crd', ...rgdFiles], { cwd: root, encoding: 'utf8' });
    check(crd, 'kro-gen crd');
    writeFileSync(join(work, 'crds.yaml'), crd.stdout);
    const schemas = (crd.stdout.match(/^kind: CustomResourceDefinition$/gm) ?? []).length;
    const out = join(work, 'generated');
    const generate = time(
      [process.execPath, cli, 'generate', ...rgdFiles, '--out', out],
      root,
      'kro-gen generate',
      () => rmSync(out, { recursive: true, force: true }),
    );
    const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
    const imported = join(work, 'imports');
    const cdk8sTime = time(
      [cdk8s, 'import', 'crds.yaml', '-l', 'typescript', '--no-check-upgrade', '--no-save'],
      work,
      'cdk8s import',
      () => rmSync(imported, { recursive: true, force: true }),
    );
    if (readdirSync(imported).length === 0) throw new Error('cdk8s import wrote nothing');
    return { schemas, generate, cdk8s: cdk8sTime };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function line(label: string, c: Comparison): string {
  const per = (s: number) => (s / c.schemas) * 1000;
  return (
    `bench ${label}: ${c.schemas} schemas in ${c.generate.toFixed(2)} s, ${per(c.generate).toFixed(0)} ms/schema ` +
    `vs cdk8s import ${c.cdk8s.toFixed(2)} s, ${per(c.cdk8s).toFixed(0)} ms/schema, ` +
    (c.generate <= c.cdk8s
      ? `${(c.cdk8s / c.generate).toFixed(1)}x faster than cdk8s import`
      : `${(c.generate / c.cdk8s).toFixed(1)}x slower than cdk8s import`)
  );
}

/** kro's example RGD files whose RGD and schema are valid, the first per kind (any case) and group. */
function kroExamples(): string[] {
  const dir = join(root, 'test', 'conformance', 'kro');
  const index = JSON.parse(readFileSync(join(dir, 'examples', 'index.json'), 'utf8')) as { path: string }[];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { path } of index) {
    const file = join(dir, path);
    const loaded = loadRgds([{ path: file, text: readFileSync(file, 'utf8') }]);
    const rgd = loaded.rgds[0];
    if (!rgd || loaded.rgds.length !== 1 || loaded.diagnostics.some((d) => d.severity === 'error')) continue;
    if (instanceSchemaOf(rgd).diagnostics.some((d) => d.severity === 'error')) continue;
    // cdk8s import merges kinds that differ only in case (EKSCluster, EksCluster) and then fails.
    const key = `${rgd.schema.group}/${rgd.schema.kind.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(relative(root, file));
  }
  return out;
}

export async function run(): Promise<string[]> {
  // tsc emits even when some other part of the tree has type errors, so only the output matters.
  spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(root, 'examples', d.name)).includes('rgd.yaml'))
    .map((d) => `examples/${d.name}/rgd.yaml`)
    .sort();
  const lines = [line('generate', compare(examples))];
  lines.push(line('generate (kro examples)', compare(kroExamples())));
  return lines;
}
