// Builds the CEL oracle ahead of the tests (`.ci/run`); a no-op when the cached binary is current.
import { ensureOracle } from './oracle.js';

const started = Date.now();
const build = await ensureOracle((line) => process.stderr.write(`[cel-oracle] ${line}\n`));
process.stdout.write(
  `cel-oracle ${build.rebuilt ? 'built' : 'up to date'} in ${((Date.now() - started) / 1000).toFixed(1)}s: ${build.binary}\n`,
);
