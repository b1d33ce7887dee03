// `bench synth`'s figures for two or more built kro-gen trees (git worktrees of other commits, each
// built with `npm run build`), the trees taking turns run by run so that all meet the same
// neighbours on a shared machine; prints each run and the medians per tree, with each tree's change
// against the first.
//   node --import tsx bench/ab/synth.ts /work/base . [--runs 9] [--instances 1000]
// Each run of a tree is two fresh processes, as bench/synth.ts runs them: in-process (the first
// pass of synthesize() + YAML, cold JIT, and the median of the warm passes) and the whole
// `kro-gen synth` process (the tree's own code cache, written by one untimed run first). Both
// trees synthesize the same instance files with this tree's bench RGD.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median, useNodeDefaults } from '../measure.js';
import { inProcessOnce, processOnce, type SynthRun, setUp } from '../synth.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '9' },
    instances: { type: 'string', default: '1000' },
  },
});
const runs = Number(values.runs);
const instances = Number(values.instances);
const trees = positionals.map((t) => resolve(t));
if (trees.length < 2 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(instances)) {
  process.stderr.write(
    'usage: node --import tsx bench/ab/synth.ts TREE TREE... [--runs N] [--instances N]\n',
  );
  process.exit(2);
}

const note = useNodeDefaults();
const rate = (r: SynthRun): number => r.manifests / r.cpu;

const dir = setUp();
try {
  const envs = trees.map((_, k) => ({ ...process.env, XDG_CACHE_HOME: join(dir, `cache-${k}`) }));
  const main = (t: string): string => join(t, 'dist', 'bin', 'kro-gen.js');
  for (const [k, t] of trees.entries()) processOnce(main(t), dir, instances, envs[k]);
  const got = trees.map(() => ({
    first: [] as number[],
    warm: [] as number[],
    proc: [] as number[],
    rss: [] as number[],
  }));
  for (let run = 1; run <= runs; run++) {
    trees.forEach((t, k) => {
      const g = got[k] as (typeof got)[number];
      const inProc = inProcessOnce(dir, instances, t);
      const proc = processOnce(main(t), dir, instances, envs[k]);
      g.first.push(rate(inProc.cold));
      g.warm.push(rate(inProc.warm));
      g.proc.push(rate(proc));
      g.rss.push(proc.rssMiB);
      process.stdout.write(
        `run ${run} ${t}: first pass ${Math.round(rate(inProc.cold))}/s, warm ${Math.round(rate(inProc.warm))}/s, whole process ${Math.round(rate(proc))}/s, ${Math.round(proc.rssMiB)} MiB\n`,
      );
    });
  }
  const base = got[0] as (typeof got)[number];
  const change = (k: number, of: (g: (typeof got)[number]) => number[]): string =>
    k === 0
      ? ''
      : ` (${((median(of(got[k] as (typeof got)[number])) / median(of(base)) - 1) * 100).toFixed(1)}%)`;
  trees.forEach((t, k) => {
    const g = got[k] as (typeof got)[number];
    process.stdout.write(
      `${t}: medians of ${runs}, ${instances} instances, manifests/s of CPU: first pass ${Math.round(median(g.first))}${change(k, (x) => x.first)}, warm ${Math.round(median(g.warm))}${change(k, (x) => x.warm)}, whole process ${Math.round(median(g.proc))}${change(k, (x) => x.proc)}, peak RSS ${Math.round(median(g.rss))} MiB\n`,
    );
  });
  if (note !== '') process.stdout.write(`${note.slice(2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
