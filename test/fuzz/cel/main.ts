// `npm run fuzz:cel -- --count N --seed S [--out DIR]`: the differential run against kro's own
// CEL environment (docs/cel.md). Writes one reproducer file per unexplained difference into
// --out (default test/fuzz/cel/.cache/differences) and exits 1 when there are any.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureOracle, kroOverloads, ORACLE_CACHE, Oracle } from './oracle.js';
import { loadAllowList, runFuzz } from './run.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(ORACLE_CACHE, 'differences') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: npm run fuzz:cel -- [--count N] [--seed S] [--out DIR]\n');
  process.exit(0);
}
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  process.stderr.write('error: --count must be a positive integer and --seed an integer\n');
  process.exit(2);
}

const build = await ensureOracle((line) => process.stderr.write(`[cel-oracle] ${line}\n`));
const oracle = new Oracle(build.binary);
const started = Date.now();
try {
  const report = await runFuzz({
    count,
    seed,
    oracle,
    overloads: kroOverloads(),
    allow: loadAllowList(),
    progress: (done, diffs, unexplained) => {
      if (done % 5000 === 0 || done === count)
        process.stderr.write(`  ${done}/${count} cases, ${diffs} differences, ${unexplained} unexplained\n`);
    },
  });
  rmSync(values.out, { recursive: true, force: true });
  mkdirSync(values.out, { recursive: true });
  report.unexplained.forEach((d, i) => {
    writeFileSync(join(values.out, `difference-${i + 1}.json`), `${JSON.stringify(d, null, 2)}\n`);
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const kroBugs = report.differences.filter((d) => d.allowed?.kind === 'kro-bug').length;
  process.stdout.write(
    `${report.cases} cases (seed ${seed}) in ${seconds}s; kro outcomes ${JSON.stringify(report.outcomes)}\n` +
      `${report.differences.length} differences: ${kroBugs} kro bugs (allow-listed), ${report.open.length} open kro-gen bugs (listed), ${report.unexplained.length} unexplained\n`,
  );
  for (const d of report.open) process.stdout.write(`  open: ${d.case.expr}  (${d.allowed?.reason})\n`);
  for (const d of report.unexplained) {
    process.stdout.write(
      `  ${d.case.expr}\n    kro-gen: ${JSON.stringify(d.kroGen)}\n    kro:     ${JSON.stringify(d.kro)}\n`,
    );
  }
  if (report.unexplained.length > 0) process.stdout.write(`reproducers in ${values.out}\n`);
  process.exitCode = report.unexplained.length > 0 ? 1 : 0;
} finally {
  await oracle.close();
}
