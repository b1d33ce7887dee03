// kro-gen's verdict on a row of the rule cost table (test/e2e/validation/rule-cost-table.ts):
// `kro-gen validate` on the row's RGD, its errors read as the API server's cost errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { costVerdict, type RuleCostCase, ruleCostRgd } from '../e2e/validation/rule-cost-table.js';
import { runCli } from './cli.js';

export async function kroGenCostVerdict(c: RuleCostCase): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-rule-cost-'));
  try {
    writeFileSync(join(dir, 'rgd.yaml'), stringify(ruleCostRgd(c)));
    const r = await runCli(dir, ['validate', 'rgd.yaml'], { NO_COLOR: '1' });
    // validate prints its diagnostics on stdout and the summary on stderr.
    const errors = `${r.out}\n${r.err}`
      .split('\n')
      .filter((l) => l.includes(': error: '))
      .map((l) => l.slice(l.indexOf(': error: ') + ': error: '.length));
    if (r.code > 1) errors.push(`exit ${r.code}: ${r.err}`);
    return costVerdict(errors);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
