/**
 * Vitest reporter that makes `npm run test:e2e` end with the summary lines of
 * the differential tests (`e2e: N fixtures, ...`, `validate: N RGDs, ...`),
 * after vitest's own summary. The test workers append their lines to the file
 * named by KRO_GEN_E2E_SUMMARY (summary.ts), which this reporter sets before
 * the workers start.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter } from 'vitest/reporters';

export default class SummaryReporter implements Reporter {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kro-gen-e2e-summary-'));
  private readonly file = join(this.dir, 'summary.txt');

  onInit(): void {
    process.env.KRO_GEN_E2E_SUMMARY = this.file;
  }

  async onFinished(): Promise<void> {
    // Let the default reporter print its summary first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (existsSync(this.file)) process.stdout.write(`\n${readFileSync(this.file, 'utf8')}`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
