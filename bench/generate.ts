// `kro-gen generate` against `cdk8s import`, whole processes, in the same run: one built-CLI
// generate over the example RGDs (examples/*/rgd.yaml) versus `cdk8s import` of the CRDs
// `kro-gen crd` makes from the same RGDs (offline: --no-check-upgrade --no-save), measured two
// ways:
//   - all at once (the headline, target >= 5x): one `cdk8s import` of a single file holding every
//     CRD, which is how a user imports a set of CRDs;
//   - per schema (secondary): one `cdk8s import` process per CRD file, summed over the files.
// All-at-once timings are medians of RUNS runs, generate and cdk8s import taking turns so that a
// shared machine's load falls on both alike; each gives wall time and, on Linux, CPU time (user +
// system of the process and everything it waited for, from /proc/self/stat), which moves far less
// with the load than wall time does. A per-CRD run is one pass over all the CRD files (median of
// three passes for sets of up to five schemas; 45 processes per pass take a while). A second line
// does the same over kro's example RGDs (one per kind and group, as one generate can hold).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph } from '../src/graph/build.js';
import { loadRgds } from '../src/rgd/load.js';
import type { Rgd } from '../src/rgd/model.js';
import { instanceSchemaOf } from '../src/schema/build.js';
import { median, useNodeDefaults } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 5;

function check(r: ReturnType<typeof spawnSync>, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${String(r.stderr).slice(0, 2000)}`);
}

// Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture Node runs on).
const TICKS_PER_SECOND = 100;

/** CPU seconds of this process's waited-for children so far (Linux), or undefined elsewhere. */
function childrenCpu(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: cutime is field 16.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

interface Timing {
  /** Median wall seconds. */
  readonly wall: number;
  /** Median CPU seconds, NaN where the platform does not tell. */
  readonly cpu: number;
}

interface Run {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly what: string;
  readonly before?: () => void;
}

/** Runs each of `runs` RUNS times, taking turns, and returns their median timings. */
function timeInTurns(runs: readonly Run[]): Timing[] {
  const walls = runs.map((): number[] => []);
  const cpus = runs.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) {
    runs.forEach((run, k) => {
      run.before?.();
      const cpuBefore = childrenCpu();
      const start = process.hrtime.bigint();
      const r = spawnSync(run.argv[0] as string, run.argv.slice(1), { cwd: run.cwd, encoding: 'utf8' });
      walls[k]?.push(Number(process.hrtime.bigint() - start) / 1e9);
      const cpuAfter = childrenCpu();
      cpus[k]?.push(cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : cpuAfter - cpuBefore);
      check(r, run.what);
    });
  }
  return runs.map((_, k) => ({ wall: median(walls[k] ?? []), cpu: median(cpus[k] ?? []) }));
}

interface Comparison {
  readonly schemas: number;
  readonly generate: Timing;
  /** Sum over the CRD files of one `cdk8s import` process each (median over perCrdRuns passes). */
  readonly cdk8sPerCrd: number;
  readonly perCrdRuns: number;
  /** One `cdk8s import` of all the CRDs. */
  readonly cdk8sAll: Timing;
}

const MAX_SCHEMAS_FOR_REPEATED_PER_CRD = 5;
const PER_CRD_RUNS = 3;

function compare(rgdFiles: readonly string[]): Comparison {
  const work = mkdtempSync(join(tmpdir(), 'kro-gen-bench-generate-'));
  try {
    const cli = join(root, 'dist', 'bin', 'kro-gen.js');
    const crd = spawnSync(process.execPath, [cli, 'crd', ...rgdFiles], { cwd: root, encoding: 'utf8' });
    check(crd, 'kro-gen crd');
    writeFileSync(join(work, 'crds.yaml'), crd.stdout);
    const schemas = (crd.stdout.match(/^kind: CustomResourceDefinition$/gm) ?? []).length;
    // The same CRDs one per file, as `kro-gen crd --out` writes them.
    const split = spawnSync(process.execPath, [cli, 'crd', ...rgdFiles, '--out', join(work, 'crds')], {
      cwd: root,
      encoding: 'utf8',
    });
    check(split, 'kro-gen crd --out');
    const crdFiles = readdirSync(join(work, 'crds')).sort();
    if (crdFiles.length !== schemas) throw new Error(`expected ${schemas} CRD files, got ${crdFiles.length}`);

    const out = join(work, 'generated');
    const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
    const imported = join(work, 'imports');
    const importArgs = ['-l', 'typescript', '--no-check-upgrade', '--no-save'];
    const [generate, cdk8sAll] = timeInTurns([
      {
        argv: [process.execPath, cli, 'generate', ...rgdFiles, '--out', out],
        cwd: root,
        what: 'kro-gen generate',
        before: () => rmSync(out, { recursive: true, force: true }),
      },
      {
        argv: [cdk8s, 'import', 'crds.yaml', ...importArgs],
        cwd: work,
        what: 'cdk8s import',
        before: () => rmSync(imported, { recursive: true, force: true }),
      },
    ]) as [Timing, Timing];
    if (readdirSync(imported).length === 0) throw new Error('cdk8s import wrote nothing');

    const perCrdRuns = schemas > MAX_SCHEMAS_FOR_REPEATED_PER_CRD ? 1 : PER_CRD_RUNS;
    const passes: number[] = [];
    for (let run = 0; run < perCrdRuns; run++) {
      let total = 0;
      for (const file of crdFiles) {
        rmSync(imported, { recursive: true, force: true });
        const start = process.hrtime.bigint();
        const r = spawnSync(cdk8s, ['import', join('crds', file), ...importArgs], {
          cwd: work,
          encoding: 'utf8',
        });
        total += Number(process.hrtime.bigint() - start) / 1e9;
        check(r, `cdk8s import ${file}`);
        if (readdirSync(imported).length === 0) throw new Error(`cdk8s import ${file} wrote nothing`);
      }
      passes.push(total);
    }
    const cdk8sPerCrd = passes.sort((a, b) => a - b)[Math.floor(passes.length / 2)] as number;
    return { schemas, generate, cdk8sPerCrd, perCrdRuns, cdk8sAll };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ratio(kroGen: number, cdk8s: number): string {
  return kroGen <= cdk8s
    ? `${(cdk8s / kroGen).toFixed(1)}x faster`
    : `${(kroGen / cdk8s).toFixed(1)}x slower`;
}

const TARGET = 5;

function line(label: string, c: Comparison, note: string): string {
  const per = (s: number) => `${((s / c.schemas) * 1000).toFixed(0)} ms/schema`;
  const runs = c.perCrdRuns === 1 ? 'one pass' : `median of ${c.perCrdRuns} passes`;
  const met = c.cdk8sAll.wall / c.generate.wall >= TARGET ? 'met' : 'NOT MET';
  const cpu = (t: Timing) => (Number.isNaN(t.cpu) ? '' : ` (${t.cpu.toFixed(2)} s CPU)`);
  const cpuRatio = Number.isNaN(c.generate.cpu)
    ? ''
    : `; in CPU time ${ratio(c.generate.cpu, c.cdk8sAll.cpu)}`;
  return (
    `bench ${label}: ${c.schemas} schemas in ${c.generate.wall.toFixed(2)} s${cpu(c.generate)}, ${per(c.generate.wall)}; ` +
    `one cdk8s import of all CRDs ${c.cdk8sAll.wall.toFixed(2)} s${cpu(c.cdk8sAll)}: ` +
    `${ratio(c.generate.wall, c.cdk8sAll.wall)} than one cdk8s import of all CRDs ` +
    `(target ${TARGET}x, ${met}${cpuRatio}; medians of ${RUNS}, taking turns); per schema, vs one cdk8s import process per CRD file ` +
    `${c.cdk8sPerCrd.toFixed(2)} s, ${per(c.cdk8sPerCrd)} (${runs}): ${ratio(c.generate.wall, c.cdk8sPerCrd)}${note}`
  );
}

/**
 * kro's example RGD files that kro accepts (valid RGD, schema and graph, with all examples' RGDs
 * known so chained kinds resolve), the first per kind (any case) and group.
 */
export function kroExamples(): string[] {
  const dir = join(root, 'test', 'conformance', 'kro');
  const index = JSON.parse(readFileSync(join(dir, 'examples', 'index.json'), 'utf8')) as { path: string }[];
  const candidates: { file: string; rgd: Rgd }[] = [];
  for (const { path } of index) {
    const file = join(dir, path);
    const loaded = loadRgds([{ path: file, text: readFileSync(file, 'utf8') }]);
    const rgd = loaded.rgds[0];
    if (!rgd || loaded.rgds.length !== 1 || loaded.diagnostics.some((d) => d.severity === 'error')) continue;
    if (instanceSchemaOf(rgd).diagnostics.some((d) => d.severity === 'error')) continue;
    candidates.push({ file, rgd });
  }
  // One file per kind (cdk8s import merges kinds that differ only in case, EKSCluster and EksCluster,
  // and then fails); chained kinds then resolve against the files kept, as in the one kro-gen run.
  const seen = new Set<string>();
  let kept = candidates.filter(({ rgd }) => {
    const key = `${rgd.schema.group}/${rgd.schema.kind.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Drop what kro refuses, until every kept graph builds with the others kept (a refusal can
  // remove a kind another file needs).
  for (let changed = true; changed; ) {
    const rgds = kept.map((c) => c.rgd);
    const next = kept.filter(({ rgd }) => {
      const ctx = { rgds: rgds.filter((r) => r !== rgd) };
      return !buildGraph(rgd, ctx).diagnostics.some((d) => d.severity === 'error');
    });
    changed = next.length !== kept.length;
    kept = next;
  }
  return kept.map((c) => relative(root, c.file));
}

export async function run(): Promise<string[]> {
  // tsc emits even when some other part of the tree has type errors, so only the output matters.
  spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const note = useNodeDefaults();
  const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(root, 'examples', d.name)).includes('rgd.yaml'))
    .map((d) => `examples/${d.name}/rgd.yaml`)
    .sort();
  const lines = [line('generate', compare(examples), note)];
  lines.push(line('generate (kro examples)', compare(kroExamples()), note));
  return lines;
}
