/**
 * What the differential run found, per fixture, and the one summary line.
 */
import { type Difference, formatDifference } from './diff.js';
import type { KnownDifference, Subject } from './known-differences.js';

export interface Finding {
  subject: Subject;
  /** `Kind namespace/name` of the object (children and dry runs) or of the CRD. */
  object: string;
  difference: Difference;
  /** The allow-list entry explaining it, if any. */
  known?: KnownDifference | undefined;
}

export class FixtureResult {
  crdCompared = 0;
  crdEqual = 0;
  childrenCompared = 0;
  childrenEqual = 0;
  dryRunSent = 0;
  dryRunAccepted = 0;
  /** Fields the API server added to kro-gen's built-in objects on dry runs, and how many the table predicted. */
  serverFieldsAdded = 0;
  serverFieldsPredicted = 0;
  readonly findings: Finding[] = [];
  /** Problems that are not differences: a timeout, an RGD kro never activated, a kro-gen error. */
  readonly failures: string[] = [];
  /** Informational lines for the log (stand-ins, normalisations). */
  readonly notes: string[] = [];

  constructor(readonly fixture: string) {}

  get crdAllEqual(): boolean {
    return this.crdCompared > 0 && this.crdEqual === this.crdCompared;
  }

  unexplained(): Finding[] {
    return this.findings.filter((f) => !f.known);
  }

  /** The log of this fixture: every difference with both values, explained or not. */
  format(): string {
    const lines = [
      `${this.fixture}: CRD ${this.crdEqual}/${this.crdCompared} equal, children ${this.childrenEqual}/${this.childrenCompared} equal, dry-run ${this.dryRunAccepted}/${this.dryRunSent} accepted`,
    ];
    for (const f of this.findings) {
      const why = f.known
        ? `known (${f.known.cause}; docs/kro-differences.md "${f.known.section}")`
        : 'UNEXPLAINED';
      lines.push(`  [${f.subject}] ${f.object} ${formatDifference(f.difference)}  -- ${why}`);
    }
    for (const failure of this.failures) lines.push(`  FAILED: ${failure}`);
    for (const note of this.notes) lines.push(`  note: ${note}`);
    return lines.join('\n');
  }
}

export function summaryLine(results: readonly FixtureResult[], fixtureCount: number): string {
  const sum = (f: (r: FixtureResult) => number): number => results.reduce((n, r) => n + f(r), 0);
  const crdEqual = results.filter((r) => r.crdAllEqual).length;
  return (
    `e2e: ${fixtureCount} fixtures, CRD equal ${crdEqual}/${fixtureCount}, ` +
    `children equal ${sum((r) => r.childrenEqual)}/${sum((r) => r.childrenCompared)}, ` +
    `dry-run accepted ${sum((r) => r.dryRunAccepted)}/${sum((r) => r.dryRunSent)}, ` +
    `server-set fields predicted ${sum((r) => r.serverFieldsPredicted)}/${sum((r) => r.serverFieldsAdded)}`
  );
}
