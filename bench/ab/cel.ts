// `bench cel`'s CPU time per operation for two or more kro-gen trees (git worktrees of other
// commits, each with its node_modules), the trees alternating pass by pass so that all meet the
// same neighbours on a shared machine; prints each pass and the median per tree.
//   node --import tsx bench/ab/cel.ts /tmp/before . [--passes 8] [--count 20000]
// Each pass is a fresh process that loads the tree's own src/cel/environment.ts (compiled by this
// tree's tsx) and runs this tree's expressions (bench/cel.ts), so every tree does the same work.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuPerOperation, VARS } from '../cel.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    passes: { type: 'string', default: '8' },
    count: { type: 'string', default: '20000' },
    one: { type: 'string' },
  },
});
const count = Number(values.count);

if (values.one !== undefined) {
  const url = pathToFileURL(join(resolve(values.one), 'src/cel/environment.ts')).href;
  const { createKroEnvironment } = (await import(url)) as typeof import('../../src/cel/environment.js');
  const env = createKroEnvironment().declare('schema', 'dyn');
  process.stdout.write(`${cpuPerOperation((e) => env.evaluate(e, VARS), count)}\n`);
} else {
  if (positionals.length < 2) {
    process.stderr.write('usage: node --import tsx bench/ab/cel.ts TREE TREE... [--passes N] [--count N]\n');
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const runs = new Map<string, number[]>(positionals.map((t) => [t, []]));
  for (let pass = 1; pass <= Number(values.passes); pass++) {
    for (const [tree, got] of runs) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', self, '--one', tree, '--count', String(count)],
        {
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(`${tree}: ${r.stderr}`);
      got.push(Number(r.stdout.trim()));
      process.stdout.write(`pass ${pass} ${tree}: ${got.at(-1)?.toFixed(2)} µs\n`);
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  };
  for (const [tree, got] of runs) {
    process.stdout.write(
      `${tree}: median ${median(got).toFixed(2)} µs CPU per operation (${got.length} passes)\n`,
    );
  }
}
