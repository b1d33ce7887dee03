// `npm run fuzz [-- --count N --seed S]`: prints the outcome counts; exit 1 if any internal error or hang.
import { parseArgs } from 'node:util';
import { fuzz } from './fuzz.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' } },
});
const count = Number(values.count);
const seed = Number(values.seed);
const report = await fuzz({
  count,
  seed,
  failuresDir: new URL('./failures/', import.meta.url).pathname,
  log: (s) => console.error(s),
});
const c = report.counts;
console.log(
  `fuzz: ${count} inputs (seed ${seed}) in ${(report.ms / 1000).toFixed(1)} s: ok ${c.ok}, invalid-input ${c['invalid-input']}, usage ${c.usage}, internal-error ${c['internal-error']}, hang ${c.hang}, crash ${c.crash}; ${report.cliRuns} CLI runs`,
);
for (const f of report.failures) console.log(`  ${f.outcome} ${f.seed}: ${f.message.split('\n')[0]}`);
process.exitCode = c['internal-error'] + c.hang + c.crash > 0 ? 1 : 0;
