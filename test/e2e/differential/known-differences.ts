/**
 * The allow-list of differences between kro and kro-gen that are understood
 * and explained in docs/kro-differences.md. The differential test fails on any
 * difference without an entry here, and on any entry that matched nothing in
 * a run that compared its fixture (a stale entry hides nothing and misleads).
 */
import { readFileSync } from 'node:fs';
import { parsePath, pathMatches, type Segment } from './diff.js';
import { repoPath } from './kro-gen.js';

export const KNOWN_DIFFERENCES_FILE = repoPath('test/e2e/differential/known-differences.json');
export const DIFFERENCES_DOC = repoPath('docs/kro-differences.md');

/** What a difference is compared in. */
export type Subject = 'crd' | 'child' | 'dry-run' | 'order' | 'server-set';

export interface KnownDifference {
  /** Fixture name, as the test prints it (`examples/web-app`, `chainsaw/check-instance-creation`). */
  fixture: string;
  subject: Subject;
  /** For a child or a dry-run: `Kind namespace/name` (`Deployment kro-e2e-web-app/web-app-1`). */
  object?: string;
  /** A path as the test prints it; `*` matches any one segment. */
  path: string;
  /** The heading (without `#`) of the section of docs/kro-differences.md that explains it. */
  section: string;
  /** Whose doing: kro's bug, kro-gen's bug (not yet fixed), or a deliberate difference. */
  cause: 'kro' | 'kro-gen' | 'deliberate';
  /** One line for the log. */
  summary: string;
}

export interface Observed {
  fixture: string;
  subject: Subject;
  object?: string;
  path: string;
}

export function loadKnownDifferences(file = KNOWN_DIFFERENCES_FILE): KnownDifference[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const entries =
    typeof parsed === 'object' && parsed !== null && 'differences' in parsed ? parsed.differences : undefined;
  if (!Array.isArray(entries)) throw new Error(`${file}: expected {"differences": [...]}`);
  return entries as KnownDifference[];
}

/** Problems with the entries themselves (bad fields, unparsable paths). */
export function validateEntries(entries: readonly KnownDifference[]): string[] {
  const problems: string[] = [];
  entries.forEach((e, i) => {
    const where = `entry ${i} (${e.fixture} ${e.path})`;
    for (const field of ['fixture', 'subject', 'path', 'section', 'cause', 'summary'] as const) {
      if (typeof e[field] !== 'string' || e[field] === '') problems.push(`${where}: ${field} is missing`);
    }
    if (!['crd', 'child', 'dry-run', 'order', 'server-set'].includes(e.subject))
      problems.push(`${where}: unknown subject ${e.subject}`);
    if (!['kro', 'kro-gen', 'deliberate'].includes(e.cause))
      problems.push(`${where}: unknown cause ${e.cause}`);
    if (e.subject === 'child' && !e.object) problems.push(`${where}: a child entry names its object`);
    try {
      parsePath(e.path);
    } catch (err) {
      problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return problems;
}

/** The section headings (`## ...` to `#### ...`) of a Markdown text, without the hashes. */
export function headingsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m?.[1]) out.add(m[1]);
  }
  return out;
}

export class KnownDifferences {
  private readonly parsed: { entry: KnownDifference; pattern: Segment[] }[];
  private readonly used = new Set<KnownDifference>();

  constructor(readonly entries: readonly KnownDifference[]) {
    this.parsed = entries.map((entry) => ({ entry, pattern: parsePath(entry.path) }));
  }

  /** The entry explaining an observed difference, if any; `record` marks it used. */
  explain(observed: Observed, record = true): KnownDifference | undefined {
    const segments = parsePath(observed.path);
    const hit = this.parsed.find(
      ({ entry, pattern }) =>
        entry.fixture === observed.fixture &&
        entry.subject === observed.subject &&
        (entry.object === undefined || entry.object === observed.object) &&
        pathMatches(pattern, segments),
    )?.entry;
    if (hit && record) this.used.add(hit);
    return hit;
  }

  /** Entries for the given (fixture, subject) pairs that explained nothing. */
  unused(compared: ReadonlySet<string>): KnownDifference[] {
    return this.entries.filter((e) => !this.used.has(e) && compared.has(`${e.fixture}\0${e.subject}`));
  }
}

/** The key `unused()` expects for a comparison that ran. */
export const comparedKey = (fixture: string, subject: Subject): string => `${fixture}\0${subject}`;
