// Differential test: kro-gen's YAML loader against kubectl's own reader. tools/yaml-oracle is a small
// Go program around sigs.k8s.io/yaml (pinned in its go.mod), built here into a git-ignored cache;
// for every scalar of the corpus, as a value and as a key, both must give the same JSON, or both
// refuse the document.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../../src/diagnostics.js';
import { parseJsonExact, stringifyJson } from '../../../src/json.js';
import { MAYBE_NOT_STRING, resolvePlainScalar } from '../../../src/rgd/kubectl-scalars.js';
import { parseYamlFile } from '../../../src/rgd/yaml.js';
import { toYamlDocument } from '../../../src/synth/yaml.js';

const ORACLE_DIR = fileURLToPath(new URL('../../../tools/yaml-oracle/', import.meta.url));
const CACHE = `${ORACLE_DIR}.cache`;
const ORACLE = `${CACHE}/yaml-oracle`;

const { scalars } = JSON.parse(
  readFileSync(new URL('./kubectl-scalars/corpus.json', import.meta.url), 'utf8'),
) as { scalars: string[] };

/** Whole documents for rules beyond single scalars. */
const DOCUMENTS = [
  'v: "a\\0b"\n', // an escaped NUL is a character kubectl accepts
  'v: a\u0000b\n', // a raw one is not
  'v: a\u007fb\n',
  'v: a\u0085b\n',
  'v: "tab\there"\n',
  '[a, b]: x\n',
  '{a: 1}: x\n',
  '? - a\n  - b\n: x\n',
  '? |\n  block\n: x\n',
  '"quoted": 0x10\n',
  "'1e3': x\n",
  '"1e3": x\n',
  '!!str 1e3: x\n',
  'v: !!str 0x1F\n',
  'v: !!float 1\n',
  'v: !!float "2"\n',
  'v: !!int "0x1F"\n',
  'v: !!int 1.5\n',
  'v: !!bool yes\n',
  'v: !!bool "off"\n',
  'v: !!bool 1\n',
  'v: !!null ~\n',
  'v: !!null x\n',
  'v: !!str true\n',
  'v: !!int e10\n',
  '!!int 12: x\n',
  '!!float 1: x\n',
  'v: "\u2028"\n',
  'v: a\u2028b\n',
  'v: a\u2029b\n',
  '"a\u007fb": x\n',
  'v: "\x7f"\n',
  'a: &x 0x1F\nb: *x\n',
  '&k 1e3: a\nb: *k\n',
  'base: &b {a: 1}\nm:\n  <<: *b\n  c: 2\n',
  'v: 1\n  2\n',
  'v: e10\n  20\n',
  '~: x\n',
  'null: x\n',
  ': x\n',
  '0x1F: a\n31: b\n',
  'true: a\nyes: b\n',
  '1.5: a\n1.50: b\n',
];

type Verdict = { json: string } | { error: string };

function documentsFor(s: string): string[] {
  return [`v: ${s}\n`, `${s}: v\n`];
}

/** Strings beyond the corpus for synth's YAML writer: quotes, escapes, line breaks, indentation. */
const WRITER_STRINGS = [
  'a "b" c',
  "it's",
  `'"`,
  'back\\slash',
  'x\ty',
  ' lead',
  'trail ',
  'a: b',
  'a #b',
  'a\u2028b',
  'a\u0085b',
  '\u007f',
  '\ufeffx',
  'ünïcödé',
  'line 1\nline 2\n',
  'line 1\nline 2',
  'tail\n\n',
  '\nlead',
  'multi\n  indented\n',
  'trailing space \nx',
  'cr\r\nlf',
  '10Gi',
  '1h30m',
  '12t',
];

/**
 * Documents synth's YAML writer makes for `s` as a string: a value, a key, a list item, and a
 * value nested under a sequence item (where literal blocks are indented deeper).
 */
function writerDocumentsFor(s: string): string[] {
  return [
    toYamlDocument({ v: s }),
    toYamlDocument({ [s]: 'v' }),
    toYamlDocument({ v: [s] }),
    toYamlDocument({ v: [{ w: [{ x: s }] }] }),
  ];
}

const writerStrings = (): string[] => [...scalars, ...WRITER_STRINGS];

let verdicts: Map<string, Verdict>;

beforeAll(() => {
  mkdirSync(CACHE, { recursive: true });
  // Offline: .ci/run downloads the module once; a test never does.
  execFileSync('go', ['build', '-trimpath', '-o', ORACLE, '.'], {
    cwd: ORACLE_DIR,
    env: { ...process.env, GOFLAGS: '-mod=readonly', GOPROXY: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const docs = [
    ...new Set([
      ...scalars.flatMap(documentsFor),
      ...DOCUMENTS,
      ...writerStrings().flatMap(writerDocumentsFor),
    ]),
  ];
  const out = JSON.parse(
    execFileSync(ORACLE, { input: JSON.stringify(docs), maxBuffer: 64 << 20 }).toString('utf8'),
  ) as Verdict[];
  verdicts = new Map(docs.map((d, i) => [d, out[i] as Verdict]));
}, 300_000);

function load(text: string): { value?: unknown; error?: string } {
  const r = parseYamlFile({ path: 't.yaml', text });
  if (hasErrors(r.diagnostics)) return { error: r.diagnostics.map((d) => d.message).join('; ') };
  return { value: r.documents[0]?.value };
}

/** Where kro-gen and kubectl disagree on `doc`, or undefined. */
function disagreement(doc: string): string | undefined {
  const want = verdicts.get(doc) as Verdict;
  const got = load(doc);
  if ('error' in want) {
    return got.error === undefined
      ? `kubectl refuses (${want.error}), kro-gen reads ${stringifyJson(got.value)}`
      : undefined;
  }
  // Deliberately stricter: integers outside int64 are refused rather than rounded (docs/kro-differences.md).
  if (got.error?.includes('outside int64')) return undefined;
  if (got.error !== undefined) return `kubectl reads ${want.json}, kro-gen refuses: ${got.error}`;
  // Exact: int64s beyond 2^53 are bigints on both sides.
  const expected = parseJsonExact(want.json);
  try {
    expect(got.value).toStrictEqual(expected);
  } catch {
    return `kubectl reads ${want.json}, kro-gen ${stringifyJson(got.value)}${Object.is(got.value, -0) ? ' (-0)' : ''}`;
  }
  return undefined;
}

describe('YAML scalars as kubectl reads them (sigs.k8s.io/yaml v1.6.0)', () => {
  it('the corpus is large enough to mean something', () => {
    expect(scalars.length).toBeGreaterThanOrEqual(500);
  });

  it('every scalar of the corpus gives the same JSON as a value and as a key', () => {
    const problems: string[] = [];
    for (const s of scalars) {
      for (const doc of documentsFor(s)) {
        const d = disagreement(doc);
        if (d) problems.push(`${JSON.stringify(doc)}: ${d}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents probing keys, tags, aliases, merges and control characters agree too', () => {
    const problems = DOCUMENTS.flatMap((doc) => {
      const d = disagreement(doc);
      return d ? [`${JSON.stringify(doc)}: ${d}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('is stricter than kubectl on keys that only collide once converted to JSON', () => {
    // go-yaml sees the int 1 and the string "1" as distinct keys; the JSON object then silently
    // keeps one of them. kro-gen refuses the document instead (docs/kro-differences.md).
    expect(load('1: a\n"1": b\n').error).toBe('duplicate key "1" (map keys must be unique)');
  });

  it('refuses U+0085 even quoted, where kubectl folds it into a space and other readers keep it', () => {
    expect(load('v: "a\u0085b"\n').error).toMatch(/^character U\+0085 \(NEL\) is a line break/);
  });

  it('the issue`s examples: e10, E5, .e1 and e-1 are strings; 1_000, 0x1F, +12 and .5 numbers', () => {
    const values = ['e10', 'E5', '.e1', 'e-1', '1_000', '0x1F', '+12', '.5'].map(
      (s) => (load(`v: ${s}\n`).value as { v: unknown }).v,
    );
    expect(values).toEqual(['e10', 'E5', '.e1', 'e-1', 1000, 31, 12, 0.5]);
  });
});

describe('MAYBE_NOT_STRING, the readers` test before resolving a plain scalar', () => {
  it('lets through every word go-yaml reads as something else than a string', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const words: string[] = [];
    // Every word of up to three letters, and every upper/lower-case spelling of the longer
    // booleans and nulls with one letter more or less.
    const grow = (prefix: string) => {
      for (const c of letters) {
        words.push(prefix + c);
        if (prefix.length < 2) grow(prefix + c);
      }
    };
    grow('');
    const spellings = (word: string): string[] =>
      word === ''
        ? ['']
        : spellings(word.slice(1)).flatMap((rest) => [
            word[0]!.toLowerCase() + rest,
            word[0]!.toUpperCase() + rest,
          ]);
    for (const word of ['true', 'false', 'null', 'yes', 'off', 'type', 'name', 'trues', 'fals', 'nulls']) {
      words.push(...spellings(word));
    }
    const missed = words.filter((w) => !MAYBE_NOT_STRING.test(w) && resolvePlainScalar(w).kind !== 'string');
    expect(missed).toEqual([]);
    // And it does not send common keys and values down the slow path.
    expect(
      ['type', 'name', 'tags', 'items', 'object', 'string', 'Yesterday'].filter((w) =>
        MAYBE_NOT_STRING.test(w),
      ),
    ).toEqual([]);
  });
});

describe('synth`s YAML writer as kubectl reads it (sigs.k8s.io/yaml v1.6.0)', () => {
  it('writes every corpus scalar and awkward string so that kubectl reads back that string', () => {
    const problems: string[] = [];
    for (const s of writerStrings()) {
      const [value, key, item, nested] = writerDocumentsFor(s).map((doc) => {
        const v = verdicts.get(doc) as Verdict;
        return 'json' in v ? parseJsonExact(v.json) : v.error;
      });
      const expected = [{ v: s }, { [s]: 'v' }, { v: [s] }, { v: [{ w: [{ x: s }] }] }];
      [value, key, item, nested].forEach((got, i) => {
        try {
          expect(got).toStrictEqual(expected[i]);
        } catch {
          problems.push(
            `${JSON.stringify(s)} (${['value', 'key', 'item', 'nested'][i]}): kubectl reads ${JSON.stringify(got)}`,
          );
        }
      });
    }
    expect(problems).toEqual([]);
  });
});
