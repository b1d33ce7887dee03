// `bench validate`: load + validate + graph per RGD, warm, in this process, against kro v0.9.3's
// own graph builder (bench/kro-builder, Go) on the same YAML files in the same run. The RGDs are
// kro's three benchmark RGDs (pkg/graph/builder_bench_test.go, written as YAML in
// bench/kro-builder/rgds) and kro's example RGDs whose kinds are all built in. Both sides resolve
// kinds from data/k8s-openapi/builtin.json; a second line repeats kro's three benchmarks with
// kro's own fake resolver (its small hand-written Pod), which is how kro's benchmarks run.
// kro's figure leaves out YAML decoding, ours includes it. Without Go the comparison is skipped
// with a note and only kro-gen's figures are printed.
//
// Also `kro-gen validate` of all kro examples, cold, as one process (target <= 0.3 s), and
// start-up: `kro-gen --version` and `kro-gen validate` of one small RGD against `node -e 0`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph } from '../src/graph/build.js';
import { loadRgds } from '../src/rgd/load.js';
import { validateRgd } from '../src/rgd/validate.js';
import { ensureGoBinary, goEnv } from '../test/e2e/cluster/build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = join(root, 'bench', 'kro-builder');
const CACHE = join(MODULE, '.cache');
const OPENAPI = join(root, 'data', 'k8s-openapi', 'builtin.json');
const PASSES = 5;
const PASS_MS = 150;
const KRO_BENCHMARKS = ['simple-pod-and-config', 'many-pods', 'with-collections'].map((n) =>
  join(MODULE, 'rgds', `${n}.yaml`),
);

/** kro's example RGDs whose every kind is built in (index.json lists each file's kinds). */
export function builtinOnlyExamples(): string[] {
  const dir = join(root, 'test', 'conformance', 'kro');
  const builtin = (JSON.parse(readFileSync(OPENAPI, 'utf8')) as { kinds: Record<string, unknown> }).kinds;
  const index = JSON.parse(readFileSync(join(dir, 'examples', 'index.json'), 'utf8')) as {
    path: string;
    rgdKind?: string;
    apis?: string[];
  }[];
  return index
    .filter((e) => e.rgdKind === 'ResourceGraphDefinition' && e.apis?.every((a) => Object.hasOwn(builtin, a)))
    .map((e) => join(dir, e.path));
}

/** kro-gen's median time per load + validate + graph of `file`, in ns, or its first error. */
function timeKroGen(file: string): { ns?: number; error?: string } {
  const text = readFileSync(file, 'utf8');
  const once = (): string | undefined => {
    const loaded = loadRgds([{ path: file, text }]);
    const rgd = loaded.rgds[0];
    if (!rgd) return loaded.diagnostics[0]?.message ?? 'no RGD';
    const diags = [...loaded.diagnostics, ...validateRgd(rgd), ...buildGraph(rgd, {}).diagnostics];
    return diags.find((d) => d.severity === 'error')?.message;
  };
  const error = once();
  if (error !== undefined) return { error };
  for (let i = 0; i < 3; i++) once();
  const per: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < PASS_MS) {
      once();
      n++;
    }
    per.push(((performance.now() - start) * 1e6) / n);
  }
  return { ns: median(per) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface KroResult {
  readonly file: string;
  readonly nsPerBuild?: number;
  readonly error?: string;
}

function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

async function kroBuilder(): Promise<string> {
  const goVersion = await goEnv('GOVERSION', MODULE);
  await ensureGoBinary(
    { name: 'kro-builder', moduleDir: MODULE, pkg: '.', sourceDir: '.', ldflags: '-s -w' },
    CACHE,
    goVersion,
    { log: (line) => process.stderr.write(`[kro-builder] ${line}\n`) },
  );
  return join(CACHE, 'kro-builder');
}

function runKro(
  binary: string,
  resolver: 'bundled' | 'fake',
  files: readonly string[],
): Map<string, KroResult> {
  const out = execFileSync(
    binary,
    ['-resolver', resolver, '-openapi', OPENAPI, '-passes', String(PASSES), '-ms', String(PASS_MS), ...files],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const results = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as KroResult);
  return new Map(results.map((r) => [r.file, r]));
}

const us = (ns: number): string => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${Math.round(ns / 1e3)} µs`);
const name = (file: string): string => relative(root, file).replace(/^test\/conformance\/kro\//, '');

interface Row {
  readonly file: string;
  readonly ours: number;
  readonly kro: number;
}

/** The comparison line: RGDs both accept, kro's time / ours per RGD, the worst and the geometric mean. */
function comparison(label: string, rows: readonly Row[], left: string): string {
  const ratios = rows.map((r) => ({ r, x: r.kro / r.ours }));
  const worst = ratios.reduce((a, b) => (b.x < a.x ? b : a));
  const geo = Math.exp(ratios.reduce((s, { x }) => s + Math.log(x), 0) / ratios.length);
  return (
    `bench validate: ${label}: ${rows.length} RGDs, load + validate + graph warm in-process; ` +
    `geometric mean ${geo.toFixed(1)}x, worst ${worst.x.toFixed(2)}x kro's Go graph builder ` +
    `(${name(worst.r.file)}: ours ${us(worst.r.ours)}, kro ${us(worst.r.kro)})${left}`
  );
}

function details(rows: readonly Row[]): string[] {
  return rows.map(
    (r) => `  ${name(r.file)}: ours ${us(r.ours)}, kro ${us(r.kro)}, ${(r.kro / r.ours).toFixed(2)}x`,
  );
}

/** Median wall time in seconds of a whole process, over `runs` runs. */
function processTime(argv: readonly string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: root, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

function coldAndStartup(examples: readonly string[]): string[] {
  spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const cli = join(root, 'dist', 'cli', 'main.js');
  const node = process.execPath;
  const RUNS = 7;
  const all = processTime([node, cli, 'validate', ...examples], RUNS);
  const bare = processTime([node, '-e', '0'], RUNS);
  const version = processTime([node, cli, '--version'], RUNS);
  const small = processTime([node, cli, 'validate', KRO_BENCHMARKS[0] as string], RUNS);
  const ms = (s: number) => `${Math.round(s * 1000)} ms`;
  return [
    `bench validate (cold): kro-gen validate of all ${examples.length} kro example RGD files, one process: ${all.toFixed(2)} s (target 0.3 s${all <= 0.3 ? ', met' : ', NOT MET'}; median of ${RUNS})`,
    `bench start-up: node -e 0 ${ms(bare)}; kro-gen --version ${ms(version)} (+${ms(version - bare)}); kro-gen validate of one small RGD ${ms(small)} (+${ms(small - bare)}) (medians of ${RUNS})`,
  ];
}

/** Every example RGD file of kro's (index.json), for the cold run. */
function allExamples(): string[] {
  const dir = join(root, 'test', 'conformance', 'kro');
  const index = JSON.parse(readFileSync(join(dir, 'examples', 'index.json'), 'utf8')) as {
    path: string;
    rgdKind?: string;
  }[];
  return index.filter((e) => e.rgdKind !== undefined).map((e) => relative(root, join(dir, e.path)));
}

export async function run(): Promise<string[]> {
  const files = [...KRO_BENCHMARKS, ...builtinOnlyExamples()];
  const lines: string[] = [];
  const ours = new Map(files.map((f) => [f, timeKroGen(f)]));
  if (!hasGo()) {
    const timed = files.filter((f) => ours.get(f)?.ns !== undefined);
    const mean = timed.reduce((s, f) => s + (ours.get(f)?.ns ?? 0), 0) / timed.length;
    lines.push(
      `bench validate: ${timed.length} RGDs, mean ${us(mean)} per RGD warm in-process; kro's Go graph builder skipped (no Go toolchain on PATH)`,
    );
  } else {
    const binary = await kroBuilder();
    // Ours is timed again right after kro's, so both meet the same neighbours on a shared machine.
    const kro = runKro(binary, 'bundled', files);
    for (const f of files) ours.set(f, timeKroGen(f));
    const rows: Row[] = [];
    const refused: string[] = [];
    for (const f of files) {
      const o = ours.get(f);
      const k = kro.get(f);
      if (o?.ns !== undefined && k?.nsPerBuild !== undefined)
        rows.push({ file: f, ours: o.ns, kro: k.nsPerBuild });
      else refused.push(`${name(f)} (${k?.error ? 'kro refuses it' : 'kro-gen refuses it'})`);
    }
    const left = refused.length > 0 ? `; left out, refused: ${refused.join(', ')}` : '';
    lines.push(comparison('same bundled OpenAPI', rows, left), ...details(rows));
    const fake = runKro(binary, 'fake', KRO_BENCHMARKS);
    const fakeRows: Row[] = [];
    for (const f of KRO_BENCHMARKS) {
      const o = timeKroGen(f);
      const k = fake.get(f);
      if (o.ns !== undefined && k?.nsPerBuild !== undefined)
        fakeRows.push({ file: f, ours: o.ns, kro: k.nsPerBuild });
    }
    lines.push(comparison("kro's benchmarks with kro's fake resolver", fakeRows, ''), ...details(fakeRows));
  }
  lines.push(...coldAndStartup(allExamples()));
  return lines;
}
