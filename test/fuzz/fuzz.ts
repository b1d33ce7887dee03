// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the splices are kro expressions, not JS templates
// A mutation fuzzer over the examples and kro's vendored examples: each input is a seed RGD (with an
// instance when the seed has one) changed by a few random mutations (delete, duplicate, swap,
// retype, splice `${...}`, truncate), run through the library (load, graph, CRD, synth) and, for a
// sample, through the CLI in-process. Each run is classified; internal errors and hangs are written
// to test/fuzz/failures as minimal reproducers. `npm run fuzz -- --count N --seed S`.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../../src/diagnostics.js';
import { buildGraph } from '../../src/graph/build.js';
import { loadRgds } from '../../src/rgd/load.js';
import type { JsonObject } from '../../src/rgd/model.js';
import { parseYamlFile } from '../../src/rgd/yaml.js';
import { buildCrd } from '../../src/schema/crd.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { runCli } from '../helpers/cli.js';

export type Outcome = 'ok' | 'invalid-input' | 'usage' | 'internal-error' | 'hang' | 'crash';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A run slower than this counts as a hang (the work is synchronous, so it is measured, not cut). */
const HANG_MS = 5_000;

interface Seed {
  readonly name: string;
  readonly rgd: string;
  readonly instance?: string;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return n.endsWith('.yaml') || n.endsWith('.yml') ? [p] : [];
    });
}

export function seeds(): Seed[] {
  const out: Seed[] = [];
  for (const ex of ['web-app', 'wordpress']) {
    const rgd = readFileSync(join(ROOT, 'examples', ex, 'rgd.yaml'), 'utf8');
    for (const i of yamlFiles(join(ROOT, 'examples', ex, 'instances'))) {
      out.push({ name: `${ex}/${i.split('/').pop()}`, rgd, instance: readFileSync(i, 'utf8') });
    }
  }
  for (const f of yamlFiles(join(ROOT, 'test/conformance/kro/examples'))) {
    const text = readFileSync(f, 'utf8');
    if (text.includes('ResourceGraphDefinition')) out.push({ name: f.slice(ROOT.length), rgd: text });
  }
  return out;
}

/** mulberry32: small, seedable, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPLICES = [
  '${schema.spec.name}',
  '${',
  '}',
  '${${x}}',
  '${schema.spec.name + 1}',
  '${a.b.c[0]}',
  '${!!!!x}',
  '${schema.metadata.name}',
  '${"\\u0000"}',
  '${size(schema.spec)}',
  '${1/0}',
  '${[1,2,3].map(x, x*x)}',
  '${schema.spec.name == "x" ? 1 : "a"}',
  '${has(schema.spec.x)}',
  '${' + 'a.'.repeat(50) + 'b}',
  '$${x}',
];
const VALUES = [
  '~',
  '[]',
  '{}',
  '0',
  '-1',
  '1e3',
  'true',
  '"x"',
  'yes',
  '0x1F',
  '[a, b]',
  '{a: 1}',
  '""',
  '.nan',
  'string | default=1',
  'integer | minimum=5 maximum=1',
  '__proto__',
];

/** One random change to the text of a YAML document, working on lines so it stays mostly YAML. */
export function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(r() * lines.length);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  switch (Math.floor(r() * 6)) {
    case 0: // delete
      lines.splice(at, 1 + Math.floor(r() * 3));
      break;
    case 1: // duplicate
      lines.splice(at, 0, ...lines.slice(at, at + 1 + Math.floor(r() * 3)));
      break;
    case 2: {
      // swap two lines
      const other = Math.floor(r() * lines.length);
      [lines[at], lines[other]] = [lines[other] as string, lines[at] as string];
      break;
    }
    case 3: {
      // retype a value
      const line = lines[at] ?? '';
      const colon = line.indexOf(': ');
      if (colon >= 0) lines[at] = `${line.slice(0, colon + 2)}${pick(VALUES)}`;
      else lines[at] = `${line.match(/^\s*(- )?/)?.[0] ?? ''}${pick(VALUES)}`;
      break;
    }
    case 4: {
      // splice an expression into a line
      const line = lines[at] ?? '';
      const pos = Math.floor(r() * (line.length + 1));
      lines[at] = line.slice(0, pos) + pick(SPLICES) + line.slice(pos);
      break;
    }
    default:
      // truncate
      return text.slice(0, Math.floor(r() * text.length));
  }
  return lines.join('\n');
}

/** Runs one input through the library; throws only for kro-gen bugs. */
export function runLibrary(rgdText: string, instanceText: string | undefined): Outcome {
  const loaded = loadRgds([{ path: 'rgd.yaml', text: rgdText }]);
  let invalid = hasErrors(loaded.diagnostics);
  // Later stages take only RGDs the loader found valid (docs/architecture.md).
  for (const rgd of loaded.rgds) {
    const graph = buildGraph(rgd, { rgds: loaded.rgds });
    buildCrd(rgd);
    if (hasErrors(graph.diagnostics)) invalid = true;
    if (instanceText === undefined || hasErrors(graph.diagnostics)) continue;
    const docs = parseYamlFile({ path: 'app.yaml', text: instanceText });
    const instances = docs.documents
      .filter((d) => d.value && typeof d.value === 'object' && !Array.isArray(d.value))
      .map((d) => ({ rgd, graph: graph.graph, object: d.value as JsonObject, loc: d.loc }));
    const result = synthesize(instances, { rgds: loaded.rgds });
    if (hasErrors(result.diagnostics) || hasErrors(docs.diagnostics)) invalid = true;
  }
  return invalid ? 'invalid-input' : 'ok';
}

export interface FuzzFailure {
  readonly seed: string;
  readonly outcome: Outcome;
  readonly message: string;
  readonly rgd: string;
  readonly instance?: string;
}

export interface FuzzReport {
  readonly counts: Record<Outcome, number>;
  readonly cliRuns: number;
  readonly failures: FuzzFailure[];
  readonly ms: number;
}

function classify(fn: () => Outcome): { outcome: Outcome; message: string } {
  const start = performance.now();
  try {
    const outcome = fn();
    const ms = performance.now() - start;
    return ms > HANG_MS
      ? { outcome: 'hang', message: `took ${Math.round(ms)} ms` }
      : { outcome, message: '' };
  } catch (e) {
    return { outcome: 'internal-error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** Deletes lines while the failure stays the same outcome: a small reproducer. */
function minimize(f: FuzzFailure): FuzzFailure {
  let lines = f.rgd.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const shorter = [...lines.slice(0, i), ...lines.slice(i + 1)];
    if (classify(() => runLibrary(shorter.join('\n'), f.instance)).outcome === f.outcome) lines = shorter;
  }
  return { ...f, rgd: lines.join('\n') };
}

export async function fuzz(opts: {
  count: number;
  seed: number;
  cliEvery?: number;
  failuresDir?: string;
  log?: (s: string) => void;
}): Promise<FuzzReport> {
  const start = performance.now();
  const all = seeds();
  const r = rng(opts.seed);
  const counts: Record<Outcome, number> = {
    ok: 0,
    'invalid-input': 0,
    usage: 0,
    'internal-error': 0,
    hang: 0,
    crash: 0,
  };
  const failures: FuzzFailure[] = [];
  const cliEvery = opts.cliEvery ?? 50;
  let cliRuns = 0;
  let cliDir: string | undefined;
  for (let i = 0; i < opts.count; i++) {
    const s = all[Math.floor(r() * all.length)] as Seed;
    let rgd = s.rgd;
    let instance = s.instance;
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      if (instance !== undefined && r() < 0.3) instance = mutate(instance, r);
      else rgd = mutate(rgd, r);
    }
    const got = classify(() => runLibrary(rgd, instance));
    counts[got.outcome]++;
    if (got.outcome === 'internal-error' || got.outcome === 'hang') {
      failures.push({
        seed: `${opts.seed}:${i}:${s.name}`,
        outcome: got.outcome,
        message: got.message,
        rgd,
        ...(instance !== undefined ? { instance } : {}),
      });
    }
    if (i % cliEvery === 0) {
      // A sample through the CLI: exit codes 0, 1 and 2 are fine, 70 is a bug.
      cliDir ??= await mkdtemp(join(ROOT, 'test/fuzz/.cache-'));
      const dir = cliDir;
      writeFileSync(join(dir, 'rgd.yaml'), rgd);
      writeFileSync(join(dir, 'app.yaml'), instance ?? '');
      for (const argv of [
        ['validate', 'rgd.yaml'],
        ['crd', 'rgd.yaml'],
        ...(instance ? [['synth', 'rgd.yaml', '--instance', 'app.yaml']] : []),
      ]) {
        cliRuns++;
        const res = await runCli(dir, argv);
        if (res.code === 70) {
          counts['internal-error']++;
          failures.push({
            seed: `${opts.seed}:${i}:${s.name}:cli ${argv.join(' ')}`,
            outcome: 'internal-error',
            message: res.err,
            rgd,
            ...(instance !== undefined ? { instance } : {}),
          });
        }
      }
    }
    if (opts.log && (i + 1) % 5000 === 0) opts.log(`${i + 1}/${opts.count} ${JSON.stringify(counts)}`);
  }
  if (cliDir)
    await import('node:fs/promises').then((fs) => fs.rm(cliDir as string, { recursive: true, force: true }));
  const minimal = failures.slice(0, 20).map(minimize);
  if (opts.failuresDir && minimal.length > 0) {
    mkdirSync(opts.failuresDir, { recursive: true });
    minimal.forEach((f, k) => {
      const base = join(opts.failuresDir as string, `${opts.seed}-${k}`);
      writeFileSync(`${base}.rgd.yaml`, `# ${f.outcome} (${f.seed}): ${f.message.split('\n')[0]}\n${f.rgd}`);
      if (f.instance !== undefined) writeFileSync(`${base}.instance.yaml`, f.instance);
    });
  }
  return { counts, cliRuns, failures: minimal, ms: performance.now() - start };
}
