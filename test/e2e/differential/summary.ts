/**
 * Summary lines of the e2e run (`e2e: ...`, `validate: ...`): printed by the test
 * that measures them and appended to the file summary-reporter.ts prints after
 * vitest's own summary. Appended, because each test file adds its own line.
 */
import { appendFileSync } from 'node:fs';

export function reportSummaryLine(line: string): void {
  const target = process.env.KRO_GEN_E2E_SUMMARY;
  if (target) appendFileSync(target, `${line}\n`);
  console.log(line);
}
