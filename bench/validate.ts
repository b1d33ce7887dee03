// `bench validate`: load + validate + graph per RGD, warm, in this process, against kro v0.9.3's
// own graph builder (bench/kro-builder, Go) on the same YAML files in the same run. The RGDs are
// kro's three benchmark RGDs (pkg/graph/builder_bench_test.go, written as YAML in
// bench/kro-builder/rgds) and kro's example RGDs whose kinds are all built in. Both sides resolve
// kinds from data/k8s-openapi/builtin.json; a second line repeats kro's three benchmarks with
// kro's own fake resolver (its small hand-written Pod), which is how kro's benchmarks run.
// kro's figure leaves out YAML decoding, ours includes it. The two are timed in alternating passes
// per file and compared by CPU time per build (on a shared machine the wall clock mostly measures
// the neighbours; both figures are printed). Without Go the comparison is skipped with a note.
//
// Also `kro-gen validate` of all kro examples, cold, as one process (target <= 0.3 s), and
// start-up: `kro-gen --version` and `kro-gen validate` of one small RGD against `node -e 0`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildGraph } from '../src/graph/build.js';
import { loadRgds } from '../src/rgd/load.js';
import { validateRgd } from '../src/rgd/validate.js';
import { ensureGoBinary, goEnv } from '../test/e2e/cluster/build.js';
import { CPU_PROBE, cpuMicroseconds, median, useNodeDefaults } from './measure.js';

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

interface Pass {
  /** Wall and CPU time per build, in ns. */
  readonly wall: number;
  readonly cpu: number;
}

/** kro-gen's load + validate + graph of one file, as a function, or its first error. */
function kroGenBuild(file: string): { build?: () => void; error?: string } {
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
  return { build: once };
}

/** One timed pass of `build`: about PASS_MS of builds, wall and CPU time per build. */
function timePass(build: () => void): Pass {
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < PASS_MS) {
    build();
    n++;
  }
  const wall = ((performance.now() - start) * 1e6) / n;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: ((used.user + used.system) * 1e3) / n };
}

interface KroPass {
  readonly file: string;
  readonly nsPerBuild?: number;
  readonly cpuNsPerBuild?: number;
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

/** A running kro-builder: one timed pass per file asked for. */
class KroBuilder {
  readonly #child;
  readonly #lines: AsyncIterator<string>;
  constructor(binary: string, resolver: 'bundled' | 'fake') {
    this.#child = spawn(binary, ['-resolver', resolver, '-openapi', OPENAPI, '-ms', String(PASS_MS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }
  async pass(file: string): Promise<KroPass> {
    this.#child.stdin.write(`${file}\n`);
    const next = await this.#lines.next();
    if (next.done) throw new Error('kro-builder stopped');
    return JSON.parse(next.value) as KroPass;
  }
  close(): void {
    this.#child.stdin.end();
  }
}

interface Row {
  readonly file: string;
  /** Medians over the passes, ns per build. */
  readonly ours: Pass;
  readonly kro: Pass;
}

/**
 * Alternates one pass of kro's builder and one of kro-gen per file, PASSES times, so both meet
 * the same neighbours; medians per file. Files either side refuses are returned apart.
 */
async function compare(
  kro: KroBuilder,
  files: readonly string[],
): Promise<{ rows: Row[]; refused: string[] }> {
  const rows: Row[] = [];
  const refused: string[] = [];
  for (const file of files) {
    const ours = kroGenBuild(file);
    const first = await kro.pass(file);
    if (first.error !== undefined || !ours.build) {
      refused.push(`${name(file)} (${first.error !== undefined ? 'kro refuses it' : 'kro-gen refuses it'})`);
      continue;
    }
    const kroPasses: Pass[] = [{ wall: first.nsPerBuild ?? 0, cpu: first.cpuNsPerBuild ?? 0 }];
    const ourPasses: Pass[] = [];
    for (let p = 0; p < PASSES; p++) {
      ourPasses.push(timePass(ours.build));
      if (p + 1 < PASSES) {
        const k = await kro.pass(file);
        kroPasses.push({ wall: k.nsPerBuild ?? 0, cpu: k.cpuNsPerBuild ?? 0 });
      }
    }
    const med = (ps: Pass[]): Pass => ({
      wall: median(ps.map((x) => x.wall)),
      cpu: median(ps.map((x) => x.cpu)),
    });
    rows.push({ file, ours: med(ourPasses), kro: med(kroPasses) });
  }
  return { rows, refused };
}

const us = (ns: number): string => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${Math.round(ns / 1e3)} µs`);
const name = (file: string): string => relative(root, file).replace(/^test\/conformance\/kro\//, '');

/** The comparison line: kro's CPU time / ours per RGD, the worst and the geometric mean. */
function comparison(label: string, rows: readonly Row[], left: string): string {
  const ratios = rows.map((r) => ({ r, x: r.kro.cpu / r.ours.cpu }));
  const worst = ratios.reduce((a, b) => (b.x < a.x ? b : a));
  const geo = Math.exp(ratios.reduce((s, { x }) => s + Math.log(x), 0) / ratios.length);
  return (
    `bench validate: ${label}: ${rows.length} RGDs, load + validate + graph warm in-process, CPU time per build; ` +
    `geometric mean ${geo.toFixed(2)}x, worst ${worst.x.toFixed(2)}x kro's Go graph builder ` +
    `(${name(worst.r.file)}: ours ${us(worst.r.ours.cpu)}, kro ${us(worst.r.kro.cpu)})${left}`
  );
}

function details(rows: readonly Row[]): string[] {
  return rows.map(
    (r) =>
      `  ${name(r.file)}: CPU ours ${us(r.ours.cpu)}, kro ${us(r.kro.cpu)}, ${(r.kro.cpu / r.ours.cpu).toFixed(2)}x; ` +
      `wall ours ${us(r.ours.wall)}, kro ${us(r.kro.wall)}, ${(r.kro.wall / r.ours.wall).toFixed(2)}x`,
  );
}

/** Medians over `runs` runs of a whole node process: wall and CPU seconds. */
function processTime(
  args: readonly string[],
  runs: number,
  probe: string,
  env: NodeJS.ProcessEnv = process.env,
): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-r', probe, ...args], { cwd: root, encoding: 'utf8', env });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    cpus.push(cpuMicroseconds(r.stderr) / 1e6);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function coldAndStartup(examples: readonly string[]): string[] {
  spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const note = useNodeDefaults();
  // The binary users run (package.json `bin`: the launcher and bundle tools/build-cli.mjs makes).
  const cli = join(root, 'dist', 'bin', 'kro-gen.js');
  const RUNS = 7;
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bench-validate-'));
  try {
    const probe = join(dir, 'cpu.cjs');
    writeFileSync(probe, CPU_PROBE);
    // The launcher's code cache (src/cli/compile-cache.ts) in a directory of the bench's own: one
    // untimed run of each command writes it, as a user's first run does; the timed runs use it.
    // The same runs with the cache turned off are printed beside them.
    const cached = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), KRO_GEN_NO_COMPILE_CACHE: '' };
    const uncached = { ...process.env, KRO_GEN_NO_COMPILE_CACHE: '1' };
    const all = [cli, 'validate', ...examples];
    const version = [cli, '--version'];
    const small = [cli, 'validate', KRO_BENCHMARKS[0] as string];
    for (const args of [all, version, small]) processTime(args, 1, probe, cached);
    const bare = processTime(['-e', '0'], RUNS, probe);
    const times = [all, version, small].map((args) => ({
      on: processTime(args, RUNS, probe, cached),
      off: processTime(args, RUNS, probe, uncached),
    }));
    const [allT, versionT, smallT] = times as [(typeof times)[0], (typeof times)[0], (typeof times)[0]];
    const ms = (s: number) => `${Math.round(s * 1000)} ms`;
    const fig = (t: { wall: number; cpu: number }) => `${ms(t.wall)} wall, ${ms(t.cpu)} CPU`;
    const both = (t: (typeof times)[0]) => `${fig(t.on)} (without the code cache ${fig(t.off)})`;
    const met = allT.on.wall <= 0.3 ? 'met' : 'NOT MET';
    return [
      `bench validate (cold): kro-gen validate of all ${examples.length} kro example RGD files, one process: ${allT.on.wall.toFixed(2)} s wall, ${allT.on.cpu.toFixed(2)} s CPU (target 0.3 s, ${met}; without the code cache ${allT.off.wall.toFixed(2)} s wall, ${allT.off.cpu.toFixed(2)} s CPU; medians of ${RUNS}${note})`,
      `bench start-up: node -e 0 ${fig(bare)}; kro-gen --version ${both(versionT)}; kro-gen validate of one small RGD ${both(smallT)} (medians of ${RUNS}${note})`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Only the whole-process figures: `node --import tsx -e "import('./bench/validate.ts').then((m) => console.log(m.startup().join('\\n')))"`. */
export function startup(): string[] {
  return coldAndStartup(allExamples());
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
  if (!hasGo()) {
    const times = files.flatMap((f) => {
      const b = kroGenBuild(f).build;
      return b ? [median(Array.from({ length: PASSES }, () => timePass(b).cpu))] : [];
    });
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    lines.push(
      `bench validate: ${times.length} RGDs, mean ${us(mean)} CPU per RGD warm in-process; kro's Go graph builder skipped (no Go toolchain on PATH)`,
    );
  } else {
    // Warm every code path first: the first file timed would otherwise pay for the JIT.
    for (const f of files) {
      const b = kroGenBuild(f).build;
      if (b) timePass(b);
    }
    const binary = await kroBuilder();
    const bundled = new KroBuilder(binary, 'bundled');
    const same = await compare(bundled, files);
    bundled.close();
    const left = same.refused.length > 0 ? `; left out, refused: ${same.refused.join(', ')}` : '';
    lines.push(comparison('same bundled OpenAPI', same.rows, left), ...details(same.rows));
    const fake = new KroBuilder(binary, 'fake');
    const own = await compare(fake, KRO_BENCHMARKS);
    fake.close();
    lines.push(
      comparison("kro's benchmarks, kro with its fake resolver", own.rows, ''),
      ...details(own.rows),
    );
  }
  lines.push(...coldAndStartup(allExamples()));
  return lines;
}
