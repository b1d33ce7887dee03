/**
 * The allow-list is only as good as its explanations: every entry must be well
 * formed and point at a section of docs/kro-differences.md that exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allFixtures } from './fixtures.js';
import {
  DIFFERENCES_DOC,
  headingsOf,
  KnownDifferences,
  loadKnownDifferences,
  validateEntries,
} from './known-differences.js';

const entries = loadKnownDifferences();

describe('known-differences.json', () => {
  it('entries are well formed', () => {
    expect(validateEntries(entries)).toEqual([]);
  });

  it('every entry names a fixture the differential test runs', () => {
    const names = new Set(allFixtures().map((f) => f.name));
    expect(entries.filter((e) => !names.has(e.fixture)).map((e) => e.fixture)).toEqual([]);
  });

  it('every entry points at a section of docs/kro-differences.md', () => {
    const headings = headingsOf(readFileSync(DIFFERENCES_DOC, 'utf8'));
    const missing = entries
      .filter((e) => !headings.has(e.section))
      .map((e) => `${e.fixture}: "${e.section}"`);
    expect(missing).toEqual([]);
  });

  it('headingsOf reads Markdown headings, not fenced code', () => {
    const headings = headingsOf('# A\ntext\n## B c ##\n```\n# not\n```\n### D\n');
    expect([...headings]).toEqual(['A', 'B c', 'D']);
  });

  it('matching: fixture, subject, object and path must all agree; unused entries are found', () => {
    const known = new KnownDifferences([
      {
        fixture: 'f',
        subject: 'child',
        object: 'Deployment ns/x',
        path: '$.spec.template.spec.containers[*].image',
        section: 's',
        cause: 'kro',
        summary: 'x',
      },
      { fixture: 'f', subject: 'crd', path: '$.spec.names.plural', section: 's', cause: 'kro', summary: 'y' },
    ]);
    const base = { fixture: 'f', subject: 'child' as const, object: 'Deployment ns/x' };
    expect(known.explain({ ...base, path: '$.spec.template.spec.containers[0].image' })).toBeDefined();
    expect(known.explain({ ...base, path: '$.spec.replicas' })).toBeUndefined();
    expect(
      known.explain({ ...base, object: 'Deployment ns/y', path: '$.spec.template.spec.containers[0].image' }),
    ).toBeUndefined();
    expect(
      known.explain({ ...base, fixture: 'g', path: '$.spec.template.spec.containers[0].image' }),
    ).toBeUndefined();
    expect(known.unused(new Set(['f\0crd', 'f\0child'])).map((e) => e.path)).toEqual(['$.spec.names.plural']);
    expect(known.unused(new Set())).toEqual([]);
  });
});
