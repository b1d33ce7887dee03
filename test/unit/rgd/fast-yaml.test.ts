// Differential test of the fast reader (src/rgd/fast-yaml.ts): for every YAML file of the
// repository's examples and test fixtures, generated variants of them, and hand-written corner
// cases, parseYamlFile must give exactly what the full loader gives (parseYamlFileWithLibrary):
// the same documents, values (key order included), diagnostics, and positions for every path.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALIAS, MAP, NEXT, SEQ, STRIDE } from '../../../src/rgd/fast-positions.js';
import { readFastYaml } from '../../../src/rgd/fast-yaml.js';
import type { DocPath, JsonValue } from '../../../src/rgd/model.js';
import {
  DEFAULT_YAML_LIMITS,
  parseYamlFile,
  parseYamlFileWithLibrary,
  type SourceFile,
  type YamlLimits,
  type YamlParseResult,
} from '../../../src/rgd/yaml.js';
import { REPO_ROOT, yamlFilesUnder } from '../../helpers/yaml-files.js';

/** JSON text with the key order kept, bigints marked and own `__proto__` keys included. */
function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (Object.getPrototypeOf(v) !== Object.prototype) return 'not a plain object';
  return `{${Object.keys(v)
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(',')}}`;
}

/** Every path of a value, with a string's length where there is one. */
function paths(v: JsonValue, path: DocPath, out: { path: DocPath; text?: string }[]): void {
  out.push(typeof v === 'string' ? { path, text: v } : { path });
  if (out.length > 3000) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      paths(x, [...path, i], out);
    });
  } else if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) paths(v[k] as JsonValue, [...path, k], out);
  }
}

/** Offsets into a string to ask positions for: all of a short one, a sample of a long one. */
function offsets(text: string): number[] {
  if (text.length <= 40) return Array.from({ length: text.length + 2 }, (_, i) => i);
  const out = [0, 1, text.length - 1, text.length, text.length + 1];
  for (let i = text.indexOf('${'); i >= 0 && out.length < 20; i = text.indexOf('${', i + 1))
    out.push(i, i + 2);
  return out;
}

/** Every difference between the two readers' results, as text (empty when they agree). */
function differences(fast: YamlParseResult, slow: YamlParseResult, thorough: boolean): string[] {
  const out: string[] = [];
  const diags = (r: YamlParseResult) => JSON.stringify(r.diagnostics);
  if (diags(fast) !== diags(slow)) out.push(`diagnostics ${diags(fast)} vs ${diags(slow)}`);
  if (fast.documents.length !== slow.documents.length) {
    out.push(`documents ${fast.documents.length} vs ${slow.documents.length}`);
    return out;
  }
  fast.documents.forEach((f, i) => {
    const s = slow.documents[i]!;
    if (f.index !== s.index) out.push(`index ${f.index} vs ${s.index}`);
    if (canonical(f.value) !== canonical(s.value)) {
      out.push(
        `value of document ${i}: ${canonical(f.value).slice(0, 300)} vs ${canonical(s.value).slice(0, 300)}`,
      );
      return;
    }
    const all: { path: DocPath; text?: string }[] = [];
    if (s.value !== undefined) paths(s.value, [], all);
    for (const { path, text } of all) {
      const probes: [string, () => unknown][] = [
        ['at', () => [f.loc.at(path), s.loc.at(path)]],
        ['at key', () => [f.loc.at(path, 'key'), s.loc.at(path, 'key')]],
        ['readAs', () => [f.loc.readAs?.(path), s.loc.readAs?.(path)]],
        ['missing', () => [f.loc.at([...path, 'missing-x']), s.loc.at([...path, 'missing-x'])]],
        ['missing index', () => [f.loc.at([...path, 99_999]), s.loc.at([...path, 99_999])]],
      ];
      if (!thorough) probes.splice(2);
      if (text !== undefined && thorough) {
        for (const k of offsets(text))
          probes.push([`inString ${k}`, () => [f.loc.inString(path, k), s.loc.inString(path, k)]]);
      }
      for (const [what, probe] of probes) {
        const [a, b] = probe() as [unknown, unknown];
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          out.push(`${what} ${JSON.stringify(path)}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
          if (out.length > 5) return;
        }
      }
    }
  });
  return out;
}

function compare(
  file: SourceFile,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  thorough = true,
): { handled: boolean; diffs: string[] } {
  const handled = readFastYaml(file.text, limits) !== undefined;
  return {
    handled,
    diffs: differences(parseYamlFile(file, limits), parseYamlFileWithLibrary(file, limits), thorough),
  };
}

/** Variants of a file that take other routes through the reader. */
function variants(text: string): [string, string][] {
  const out: [string, string][] = [
    ['no final line break', text.replace(/\n+$/, '')],
    ['indented by two more', text.replace(/^(?=[^\n])/gm, '  ').replace(/^ {2}(---|\.\.\.)/gm, '$1')],
    ['trailing spaces and comments', text.replace(/^([^#\n]*[^\s|>\-:#'"])$/gm, '$1   # note')],
    ['explicit start', `---\n${text}`],
  ];
  const slow = parseYamlFileWithLibrary({ path: 'v.yaml', text });
  const values = slow.documents.map((d) => d.value);
  if (slow.diagnostics.length === 0 && values.every((v) => v !== undefined)) {
    const json = (space: number) =>
      values
        .map((v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? Number(x) : x), space))
        .join('\n---\n');
    out.push(['as indented JSON', json(2)], ['as one-line JSON', json(0)]);
  }
  return out;
}

/** Corners of the subset the fast reader takes, and just outside it (where it must give up). */
const CASES: string[] = [
  // merges, duplicates, special keys
  'base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n',
  'm:\n  b: 0\n  <<: *b\n',
  'a: &a {x: 1}\nb: &b {x: 2, y: 3}\nm:\n  <<: [*a, *b]\n  z: 4\n',
  'a: &a {x: 1}\nm:\n  <<: *a\n  <<: {y: 1}\n',
  'a: &a [1]\nm:\n  <<: *a\n',
  'a: &a {x: 1}\nm:\n  "<<": *a\n',
  'a: &a {x: 1}\nm: {<<: *a}\n',
  'a: 1\na: 2\n',
  'yes: 1\ntrue: 2\n',
  '1: a\n01: b\n',
  '1.0: a\n1: b\n',
  '__proto__: {polluted: true}\nconstructor: x\ntoString: y\n',
  'a: {__proto__: 1}\n',
  'null: x\n',
  '~: x\n',
  '18446744073709551615: x\n',
  '1:20: x\n',
  'm:\n  <<: *b\n  <<: *b\n',
  // empty values and documents
  'a:\nb:\n',
  'a:',
  'a:    \nb: 1',
  'a: # c\nb: 1\n',
  'a: # c\n  b: 1\n',
  '- \n- b\n',
  '-\n',
  '- # c\n- b\n',
  '',
  '\n\n# only a comment\n',
  '---\n',
  '---',
  '--- \n',
  '---\n---\n',
  'a: 1\n---\n',
  'a: 1\n---\nb: 2\n',
  '--- # c\na: 1\n',
  '---\na: 1\n...\n',
  '--- a\n',
  '--- |\n  x\n',
  '# c\n---\na: 1\n---\n# c\n',
  'k:\n- a\n- b\nz: 1\n',
  // block scalars
  'a: |\n  one\n  two\n\n  three\n\n\nb: 1\n',
  'a: |-\n  one\n  two\n',
  'a: |+\n  one\n\n',
  'a: >\n  one\n  two\n\n  three\n    more\n  four\n',
  'a: >-\n  one\n  two\n',
  'a: >\n\n  lead\n',
  'a: |\n\n  lead\n',
  'a: |\n    \n  x\n',
  'a: |\n  x\n    \n  y\n',
  'a: |2\n   x\n',
  'a: |\nb: 1\n',
  'a: |\n  x',
  'a: | # c\n  x\n  # not a comment\n',
  '- |\n  x\n- >-\n  y\n  z\n',
  '|\n x\n',
  `a: |\n  \${schema.spec.name}\n  second \${x}\n`,
  'a: >\n  x\n\n\n',
  'a: |-\n one\n  two\n  ',
  'a: |-\n one\n ',
  'a: |\n  x\n     \nb: 1\n',
  'a: |\n  x\n\n  y\n   \n  \nb: 1\n',
  'a: >-\n\n  one\n\n   two\n  three\n\n\nb: 1\n',
  '- |\n    deep\n  - x\n',
  // literal blocks read at once (LITERAL_BODY), and the lines after them
  'a: |-\n  x\n  \n  y\nb: 1\n',
  'a: |-\n  x\n \n  y\nb: 1\n',
  'a: |\n  x\n\n\n    y\n  z\n\nb: 1\n',
  'a: |-\n  x\n     \nb: 1\n',
  'a: |-\n  x\n \n',
  'a: |-\n  x\n  y',
  'a: |-\n  x\n\n  y\n   ',
  'a: |-\n    x\n  y\n',
  'a:\n  b: |\n    x\n  c: |-\n      y\n\n      z\nd: >-\n  e\n',
  // lines ENTRY reads, and lines just outside what it reads
  'a: b\nc: d\ne:\n  f: g\n  h: i\nj: k\n',
  'a: b\n  c\nd: e\n',
  'a: b\n\n  c\nd: e\n',
  'a: b\n# c\nd: e\n',
  'a: b\n  # c\nd: e\n',
  'a: b\n\nc: d\n',
  'a: b  \nc:  d\ne: f # g\n',
  'a: b\n- c\n',
  'a: b\n---\nc: d\n',
  'a: b\n...\n',
  'a: b\n  c: d\n',
  'a: b\nC: d\n_e: f\n',
  'a: "b"\nc: \'d\'\ne: "f\\"g"\nh: \'\'\ni: ""\n',
  'a: "b"\n  c\n',
  'a: "b" \nc: d\n',
  'a: yes\nb: 0x1F\nc: 1.5\nd: _x\ne: $y\nf: ~\ng: null\nh: Off\ni: 1e3\nj: false\n',
  'yes: a\nno: b\non: c\nnull: d\nnames: e\n',
  'a:\n  - b\nc:\n- d\ne:\n  f:\n    g: h\n',
  'a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g: 1\n',
  'a:\n  b: 1\n c: 2\n',
  'a:\n  b: 1\n   c: 2\n',
  'a: b\n c: d\n',
  'a: b: c\n',
  'a: b\nc',
  'a: b\nc: d',
  'a:\n',
  'a: |-\n  x\nb: "y"\nc: z\n',
  'key.with/slash-and_under: v\napp.kubernetes.io/name: x\n',
  // plain scalars over lines
  'a: foo\n  bar\n\n  baz\nb: 1\n',
  '- foo\n  bar\n- x\n',
  'a: foo\n  - bar\n',
  'a: foo\n  # c\n  bar\n',
  'a: foo\n  b: c\n',
  'a: foo # c\n  bar\n',
  'foo\nbar\n',
  // quoted scalars
  'a: "t\\tn\\nu\\u00e9x\\x41U\\U0001F600 \\"q\\" \\\\ \\/"\n',
  'a: "\\N\\_\\L\\P"\n',
  'a: "\\ud83d"\n',
  "a: 'it''s'\n",
  '"a b": 1\n\'c\': 2\n"": 3\n',
  'a: "multi\n  line"\n',
  "a: 'multi\n  line'\n",
  'a: "x\\\n  y"\n',
  'a: "one   \n   two  \n\n  three\n\n\n  four  "\n',
  'a: "one\\\n   two\\n\\t\n  \\ x"\n',
  'a: "one\\ \n  two"\n',
  'a: "one\\\n\n  two"\n',
  'a: "x\\\n#y"\n',
  'a: "one\n  #two"\n',
  '"one\n two"\n',
  "a: 'one\n  two''s\n\n  three'\n",
  'a: "one\n  two\n"\n',
  'a: "one\ntwo"\n',
  '- "one\n  two"\n- x\n',
  'a:\n  b: "one\n   two"\n  c: 1\n',
  'a:\n  b: "one\n  two"\n',
  '"a": "b" # c\n',
  '"a" : b\n',
  'a: "b": c\n',
  // flow collections
  'a: {b: 1, c: [1, 2, {d: e}], f: "g", h: \'i\'}\n',
  'a: []\nb: {}\n',
  'a: [a, ]\n',
  'a: [a,]\nb: {c: 1, }\n',
  'a:\n  [\n    "x",\n    "y",\n  ]\nb: 1\n',
  'a: [a, , ]\n',
  'a: {b: 1,,}\n',
  'a: {b: }\n',
  'a: {b}\n',
  'a: [b: c]\n',
  'a: [\n  1,\n  2\n]\n',
  'a: [\n1]\n',
  'a: {\n  "b": 1, # c\n  "c": [true, null, 1.5]\n  }\n',
  '{"a":1,"b":[1,2],"c":{"d":"e"}}\n',
  '{"a": {"b": [\n  1\n]}}\n',
  'a: {b: http://x:80/y, c: a:b}\n',
  'a: [a b, c  d ]\n',
  'a: [multi\n  line]\n',
  'a: &x {b: 1}\nc: [*x, *x]\nd: {e: *x}\n',
  'a: [1] # c\n',
  'a: [1] x\n',
  'a:\n  ---\nb: ...\nc: --- x\n',
  // duplicate keys: reported as the full loader reports them, the document left without a value
  'a: 1\na: 2\n',
  'a:\n  b: 1\n  b: 2\na: 3\n',
  '"a": 1\na: 2\n\'a\': 3\n',
  'yes: 1\n"true": 2\n',
  '"": 1\n"": 2\n',
  'x: 1\n---\ny: 1\ny: 2\n---\nz: 1\n',
  'base: &b {a: 1}\nm:\n  <<: *b\n  a: 2\n  a: 3\n',
  `${Array.from({ length: 12 }, (_, i) => `k: ${i}`).join('\n')}\n`,
  `- ${Array.from({ length: 6 }, () => 'a: 1').join('\n  ')}\n- ${Array.from({ length: 7 }, () => 'b: 1').join('\n  ')}\n`,
  // anchors and aliases
  'a: &a x\nb: *a\n',
  'a: &a\n  b: 1\nc: *a\n',
  'a: &a\n  - 1\nc: *a\n',
  'a: &a 1\na2: &a 2\nb: *a\n',
  'b: *missing\n',
  'a: &a 1\n*a : b\n',
  '&k a: b\n',
  '- &x a: 1\n',
  'a: &a [*a]\n',
  'a: &a\nb: 1\n',
  'a: *a*\n',
  'a: &b: 1\n',
  '- &a: 1\n',
  // scalars kubectl reads its own way
  'v: [0x1F, 1e3, .5, +12, 1_000, 08, 0o17, 0b101, -0b101, 1:20, 2001-12-14, e10, y, n, ~, null, Off]\n',
  'v: 9223372036854775807\nw: -9223372036854775808\n',
  'v: 9223372036854775808\n',
  'v: 1e400\n',
  'v: .inf\n',
  'v: .nan\n',
  'v: 1e17\n',
  // layout
  '- - a\n  - b\n- - c\n',
  '- a: 1\n  b: 2\n- c: 3\n',
  '-   a: 1\n    b: 2\n',
  'a:\n    b: 1\n    c: 2\n',
  'a:\n  b: 1\n c: 2\n',
  'a:\n  - 1\n  - 2\n',
  'a:\n- 1\n  - 2\n',
  'a b: c\na#b: d\nurl: http://x/y#z\n',
  'a: value # comment\nb: value#not\n',
  'a:\n  b: 1\n# comment at column 0\n  c: 2\n',
  '   a: 1\n   b: 2\n',
  'a: 1\n b: 2\n',
  '- a\nb: 1\n',
  'a: b: c\n',
  'a: - b\n',
  '? a\n: b\n',
  'a: !!str 1\n',
  '%YAML 1.1\n---\na: 1\n',
  'a: @x\n',
  'a: `x`\n',
  '-a: 1\n-b: -c\n',
  ':a: 1\n',
  'a: :b\n',
  '? : x\n',
  `ключ: значение 😀 \${x}\n"é": "😀\${y}"\n`,
  'a:\tb\n',
  'a: 1\r\nb: 2\r\n',
  '\uFEFFa: 1\n',
  `${'['.repeat(300)}${']'.repeat(300)}\n`,
  `${'- '.repeat(150)}x\n`,
  'a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
  // a bomb of 10^30 nodes: both must refuse it without expanding it
  Array.from({ length: 31 }, (_, i) =>
    i === 0
      ? 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]'
      : `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
  ).join('\n'),
];

const FILES = yamlFilesUnder('examples', 'test');
/** Files whose variants are compared too: not the hostile corpus, not the largest CRD bundles. */
const VARIED = FILES.filter((f) => !f.includes('/hostile/') && statSync(f).size < 40_000);

/** Lets the test runner's messages through between two files of a long test. */
function yieldToRunner(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `items` in groups of `size` (one test each, so the runner hears from the worker in between). */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const counts = { files: 0, handled: 0, variants: 0, variantsHandled: 0 };

// Minutes on a loaded machine: every file is read twice and every position asked of both.
describe('the fast YAML reader gives what the full loader gives', { timeout: 300_000 }, () => {
  it('finds the files', () => {
    expect(FILES.length).toBeGreaterThan(600);
    expect(VARIED.length).toBeGreaterThan(200);
  });

  for (const group of chunks(FILES, 40)) {
    it(`on ${group[0]?.slice(REPO_ROOT.length)} and the next ${group.length - 1} files`, async () => {
      const failures: string[] = [];
      for (const path of group) {
        await yieldToRunner();
        const r = compare({ path: 'f.yaml', text: readFileSync(path, 'utf8') });
        counts.files++;
        if (r.handled) counts.handled++;
        if (r.diffs.length > 0) failures.push(`${path.slice(REPO_ROOT.length)}: ${r.diffs.join('\n  ')}`);
      }
      expect(failures).toEqual([]);
    });
  }

  for (const group of chunks(VARIED, 20)) {
    it(`on variants of ${group[0]?.slice(REPO_ROOT.length)} and the next ${group.length - 1} files`, async () => {
      const failures: string[] = [];
      for (const path of group) {
        await yieldToRunner();
        for (const [name, text] of variants(readFileSync(path, 'utf8'))) {
          // Values, diagnostics and node positions (strings were probed on the originals).
          const r = compare({ path: 'f.yaml', text }, DEFAULT_YAML_LIMITS, false);
          counts.variants++;
          if (r.handled) counts.variantsHandled++;
          if (r.diffs.length > 0)
            failures.push(`${path.slice(REPO_ROOT.length)} (${name}): ${r.diffs.join('\n  ')}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('on corner cases', () => {
    const failures: string[] = [];
    let handled = 0;
    for (const text of CASES) {
      const r = compare({ path: 'f.yaml', text });
      if (r.handled) handled++;
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    expect(handled).toBeGreaterThan(CASES.length / 3);
  });

  // The reader reads the text's character codes from a typed array: bytes for printable ASCII
  // (parseYamlFile says so), UTF-16 units otherwise; past the end of either it reads undefined.
  // Each of these must be read by the fast reader itself, and as the full loader reads it.
  const CODES_CASES: string[] = [
    'name: café\nnote: "naïve ✓"\nlist:\n  - ü\n  - {k: ñ, l: [é, ß]}\n',
    "emoji: 😀 smile\nquoted: \"😀\"\nsingle: 'it''s 😀'\nkey: v\n",
    'ключ: значение\nдругой:\n  вложенный: да\n',
    'd: |\n  línea 1\n\n  línea 2\ne: >-\n  plié\n  relevé\n',
    'd: a é\n  b ü\n\n  c\nnext: x\n',
    'a: b',
    'a: é',
    'a:\n  b: c',
    'a:\n  - b\n  -',
    'a: "x\n  é"',
    'a: 1\n---\nb: é\n---\n',
    '---\na: 1\n---\n',
    'a:\n---\nb:\n',
    'k: v\n&x\nm: 1\n',
    'a: &x é\nb: *x\n',
    'a: 1\nb:\n  a: 1\n  a: 2\n',
    'a: 1\nm:\n  <<: {a: 1}\n  a: 2\n',
    'first: 1\nfirst: 2\n',
  ];

  it('on the character codes: non-ASCII text, the end of the text, the end of a document', () => {
    const failures: string[] = [];
    for (const text of CODES_CASES) {
      const r = compare({ path: 'f.yaml', text });
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    // All but the stray anchor line are read by the fast reader (not left to the full loader).
    const handled = CODES_CASES.filter((text) => readFastYaml(text, DEFAULT_YAML_LIMITS) !== undefined);
    expect(handled.length).toBe(CODES_CASES.length - 1);
  });

  // A `key: value` line read by ENTRY takes kubectl's words (booleans, null) from a table by first
  // character and length for keys and values starting with a lowercase letter: every such word,
  // its other spellings, and words of the same first character and length that are strings.
  it('reads the words kubectl takes for booleans and null, and their neighbours, on ENTRY lines', () => {
    const words = ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null'];
    const others = ['Y', 'N', 'Yes', 'YES', 'No', 'NO', 'True', 'TRUE', 'False', 'FALSE', 'On', 'ON'];
    const near = [
      'x',
      'm',
      'yet',
      'na',
      'type',
      'tags',
      'fails',
      'ox',
      'ofs',
      'name',
      'nulls',
      'nul',
      'array',
    ];
    const failures: string[] = [];
    let handled = 0;
    const texts: string[] = [];
    for (const w of [...words, ...others, ...near]) {
      texts.push(`${w}: v\nk: ${w}\n`, `a: 1\n${w}: ${w}\nb: 2\n`, `m:\n  ${w}: x\n  z: ${w}\n`);
    }
    for (const text of texts) {
      const r = compare({ path: 'f.yaml', text });
      if (r.handled) handled++;
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    // All but the three with a `null` key, which kubectl refuses (left to the full loader).
    expect(handled).toBe(texts.length - 3);
    const read = readFastYaml(
      'yes: on\ntype: null\nno: off\nname: n\nnot: array\n',
      DEFAULT_YAML_LIMITS,
      true,
    );
    expect(canonical(read?.documents[0]?.value)).toBe(
      '{"true":true,"type":null,"false":false,"name":false,"not":"array"}',
    );
  });

  // A literal block read at once (LITERAL_BODY) keeps its last line break by slicing it with the
  // text, unless stripped; headers with spaces or a comment after them take restOfLine.
  it('reads literal blocks, kept and stripped, as the full loader does', () => {
    const texts = [
      'a: |\n  x\n  y\nb: 1\n',
      'a: |-\n  x\n  y\nb: 1\n',
      'a: |\n  x\n\n  y\n\n\nb: 1\n',
      'a: |-\n  x\n\n  y\n\nb: 1\n',
      'a: |  \n    x\n      y\n',
      'a: |- # note\n    x\n    y\n',
      'l:\n  - |\n    one\n     two\n  - |-\n    three\n',
      'a: |\n  x\n  \n  y\nb: |\n  z\n',
    ];
    const failures: string[] = [];
    for (const text of texts) {
      expect(readFastYaml(text, DEFAULT_YAML_LIMITS, true)).toBeDefined();
      const r = compare({ path: 'f.yaml', text });
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    const read = readFastYaml('a: |\n  x\n  y\nb: |-\n  x\n  y\n', DEFAULT_YAML_LIMITS, true);
    expect(read?.documents[0]?.value).toEqual({ a: 'x\ny\n', b: 'x\ny' });
  });

  // parseYamlFile tells printable ASCII text (line breaks and 0x20-0x7E) by how far a run of such
  // characters reaches: a character outside it anywhere, first or last included, takes the other way.
  it('tells printable ASCII text from text with another character anywhere', () => {
    const texts = [
      '',
      'a: b',
      'a: b\n',
      '\x7fa: b\n',
      'a: b\x7f',
      'a: b\n\t',
      '\ta: b\n',
      'a: é',
      'é: a\n',
      'a: b\r\n',
    ];
    const failures: string[] = [];
    for (const text of texts) {
      const r = compare({ path: 'f.yaml', text });
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    const codes = (text: string) => parseYamlFile({ path: 'f.yaml', text }).diagnostics.map((d) => d.code);
    expect(codes('a: b\x7f')).toEqual(['yaml/control-character']);
    expect(codes('\x01a: b\n')).toEqual(['yaml/control-character']);
    expect(codes('a: b\n')).toEqual([]);
  });

  // A scalar's or an alias's NEXT is left 0 in FastPositions.ints (its next node is the one after
  // it); `next` and `children` answer as if it were written, and collections' are.
  it('records the node after each scalar and collection', () => {
    const text = 'a: 1\nb: [x, {c: d}, []]\nl:\n  - p\n  - q: r\n    s: &t t\n  - *t\nm: {}\ne:\nz: |\n  z\n';
    const read = readFastYaml(text, DEFAULT_YAML_LIMITS, true);
    expect(read).toBeDefined();
    const pos = read!.positions;
    const shape = (i: number): unknown => {
      const kind = pos.kind(i);
      if (kind !== MAP && kind !== SEQ) {
        expect(pos.next(i)).toBe(i + 1);
        expect(pos.ints[i * STRIDE + NEXT]).toBe(0);
        return kind === ALIAS ? `*${pos.text(pos.deref(i))}` : pos.text(i);
      }
      const kids = pos.children(i).map(shape);
      if (kind === SEQ) return kids;
      return Object.fromEntries(kids.flatMap((k, j) => (j % 2 === 0 ? [[k, kids[j + 1]]] : [])));
    };
    expect(shape(read!.documents[0]!.root)).toEqual({
      a: '1',
      b: ['x', { c: 'd' }, []],
      l: ['p', { q: 'r', s: 't' }, '*t'],
      m: {},
      e: '',
      z: 'z\n',
    });
    expect(pos.next(read!.documents[0]!.root)).toBe(pos.count);
  });

  it('reads ASCII text the same from its bytes as from its UTF-16 units', () => {
    for (const text of [...CASES, ...CODES_CASES]) {
      if (/[^\n\x20-\x7e]/.test(text)) continue;
      const units = readFastYaml(text, DEFAULT_YAML_LIMITS, false);
      const bytes = readFastYaml(text, DEFAULT_YAML_LIMITS, true);
      expect(bytes === undefined).toBe(units === undefined);
      if (units === undefined || bytes === undefined) continue;
      expect(bytes.documents.map((d) => canonical(d.value))).toEqual(
        units.documents.map((d) => canonical(d.value)),
      );
      expect(Array.from(bytes.positions.ints.subarray(0, bytes.positions.count * 4))).toEqual(
        Array.from(units.positions.ints.subarray(0, units.positions.count * 4)),
      );
    }
  });

  it('under tight alias and nesting limits', () => {
    const limits = { ...DEFAULT_YAML_LIMITS, maxAliasNodes: 20, maxDepth: 6 };
    const failures: string[] = [];
    for (const text of CASES) {
      const r = compare({ path: 'f.yaml', text }, limits);
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('on seeded mutations of the corner cases and the examples', async () => {
    // Text cut and pasted at random (a fixed seed, so a failure reproduces): the fast reader
    // must either give up or agree, on values, diagnostics and node positions.
    let seed = 20261207;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bases = [
      ...CASES.filter((c) => c.length < 3000),
      ...VARIED.slice(0, 40).map((f) => readFileSync(f, 'utf8')),
    ];
    const pieces = [
      ' ',
      '  ',
      '\n',
      '\n  ',
      ':',
      ': ',
      '- ',
      '#',
      ' #',
      '"',
      "'",
      '\\',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&a ',
      '*a',
      '<<: ',
      '|',
      '>-',
      '---',
      '...',
      '? ',
      '!',
      '0x1F',
      'yes',
      '~',
      '__proto__',
      '\\n',
      '"a\n  b"',
      'é',
      `\${x}`,
    ];
    const failures: string[] = [];
    let handled = 0;
    for (let i = 0; i < 1500; i++) {
      if (i % 100 === 0) await yieldToRunner();
      let text = bases[random(bases.length)] as string;
      for (let e = 1 + random(4); e > 0; e--) {
        let at = random(text.length + 1);
        if (random(2) === 0) at = text.lastIndexOf('\n', at) + 1;
        text =
          random(3) === 0
            ? text.slice(0, at) + text.slice(at + 1 + random(3))
            : text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
      }
      const r = compare({ path: 'f.yaml', text }, DEFAULT_YAML_LIMITS, false);
      if (r.handled) handled++;
      if (r.diffs.length > 0) failures.push(`${JSON.stringify(text)}: ${r.diffs.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    expect(handled).toBeGreaterThan(300);
  });

  it('read most of them itself (the hostile corpus mostly not, by design)', () => {
    expect(counts.files).toBe(FILES.length);
    expect(counts.handled).toBeGreaterThan(FILES.length * 0.6);
    expect(counts.variantsHandled).toBeGreaterThan(counts.variants * 0.6);
  });
});
