// Whole-process CPU and wall time of one `kro-gen` command for two or more built kro-gen trees
// (git worktrees of other commits, each built with `npm run build`), the trees taking turns run by
// run so that all meet the same neighbours on a shared machine; prints the medians per tree and
// each tree's change against the first.
//   node --import tsx bench/ab/cold.ts /tmp/before . [--runs 11] -- validate a.yaml b.yaml
// Each tree runs its own bin (dist/bin/kro-gen.js) with a code cache of its own, written by one
// untimed run first, as a user's first run writes it. Relative file arguments are read from the
// current directory, so every tree reads the same inputs. A `{out}` argument becomes a fresh
// directory per run (for `generate --out {out}`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CPU_PROBE, cpuMicroseconds, median, useNodeDefaults } from '../measure.js';

const argv = process.argv.slice(2);
const note = useNodeDefaults();
const dash = argv.indexOf('--');
if (dash < 0 || dash + 1 >= argv.length) {
  process.stderr.write(
    'usage: node --import tsx bench/ab/cold.ts TREE TREE... [--runs N] -- COMMAND ARGS...\n',
  );
  process.exit(2);
}
const own = argv.slice(0, dash);
const command = argv.slice(dash + 1);
const runsAt = own.indexOf('--runs');
const runs = runsAt >= 0 ? Number(own.splice(runsAt, 2)[1]) : 11;
const trees = own.map((t) => resolve(t));
if (trees.length < 2 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('need two or more trees and a positive --runs\n');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'kro-gen-ab-cold-'));
const probe = join(work, 'cpu.cjs');
writeFileSync(probe, CPU_PROBE);

function once(tree: string, k: number): { cpu: number; wall: number } {
  const out = join(work, `out-${k}`);
  rmSync(out, { recursive: true, force: true });
  const args = command.map((a) => (a === '{out}' ? out : a));
  const env = { ...process.env, XDG_CACHE_HOME: join(work, `cache-${k}`), KRO_GEN_NO_COMPILE_CACHE: '' };
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', probe, join(tree, 'dist', 'bin', 'kro-gen.js'), ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${tree}: exited ${r.status}: ${r.stderr}`);
  return { cpu: cpuMicroseconds(r.stderr) / 1000, wall };
}

try {
  for (const [k, t] of trees.entries()) once(t, k);
  const cpu = trees.map((): number[] => []);
  const wall = trees.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    trees.forEach((t, k) => {
      const r = once(t, k);
      cpu[k]?.push(r.cpu);
      wall[k]?.push(r.wall);
    });
  }
  // Both changes: wall time is what a change that spreads work over threads is about, CPU time is
  // what the machine's other load disturbs least.
  const baseCpu = median(cpu[0] ?? []);
  const baseWall = median(wall[0] ?? []);
  const percent = (x: number, base: number) => `${(((x - base) / base) * 100).toFixed(1)}%`;
  trees.forEach((t, k) => {
    const c = median(cpu[k] ?? []);
    const w = median(wall[k] ?? []);
    const change =
      k === 0 ? '' : `, ${percent(c, baseCpu)} CPU and ${percent(w, baseWall)} wall against the first`;
    process.stdout.write(
      `${t}: median of ${runs}: ${c.toFixed(1)} ms CPU, ${w.toFixed(1)} ms wall${change}\n`,
    );
  });
  if (note !== '') process.stdout.write(`${note.slice(2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
