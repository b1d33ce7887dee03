import { describe, expect, it } from 'vitest';
import {
  DEFAULT_YAML_LIMITS,
  firstNotAllowed,
  parseYamlFile,
  type YamlStats,
} from '../../../src/rgd/yaml.js';

const parse = (text: string, limits?: Parameters<typeof parseYamlFile>[1]) =>
  parseYamlFile({ path: 'f.yaml', text }, limits);

describe('parseYamlFile', () => {
  it('returns one JSON value per document, empty documents included', () => {
    const r = parse('a: 1\n---\n---\nb: [x, z]\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => d.value)).toEqual([{ a: 1 }, null, { b: ['x', 'z'] }]);
    expect(r.documents.map((d) => d.index)).toEqual([0, 1, 2]);
  });

  it('reads scalars as kubectl does (YAML 1.1 booleans and octals, but no timestamps or sexagesimals)', () => {
    const r = parse('a: yes\nb: off\nc: 0755\nd: 2024-01-01\ne: 1:20\nf: "yes"\ng: 1_000\nh: ~\n');
    expect(r.documents[0]?.value).toEqual({
      a: true,
      b: false,
      c: 493,
      d: '2024-01-01',
      e: '1:20',
      f: 'yes',
      g: 1000,
      h: null,
    });
  });

  it('turns YAML 1.1 boolean keys into "true"/"false", as go-yaml v2 does', () => {
    const r = parse('y: 1\nn: 2\nx: 3\n');
    expect(r.documents[0]?.value).toEqual({ true: 1, false: 2, x: 3 });
  });

  it('expands merge keys', () => {
    const r = parse('base: &b {p: 1, q: 2}\nuse:\n  <<: *b\n  q: 3\n');
    expect(r.documents[0]?.value).toEqual({ base: { p: 1, q: 2 }, use: { p: 1, q: 3 } });
  });

  it('reports a syntax error at its line and column, and leaves other documents usable', () => {
    const r = parse('ok: 1\n---\nfoo: [1, 2\nbar: 3\n');
    expect(r.documents[0]?.value).toEqual({ ok: 1 });
    expect(r.documents[1]?.value).toBeUndefined();
    const first = r.diagnostics[0]!;
    expect(first.severity).toBe('error');
    expect(first.code).toBe('yaml/syntax');
    expect(first.pos?.file).toBe('f.yaml');
    expect(first.pos?.line).toBeGreaterThanOrEqual(3);
    expect(first.message).not.toContain('\n');
  });

  it('reports a bad indentation at the offending line', () => {
    const r = parse('a:\n  b: 1\n c: 2\n');
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0]?.pos?.line).toBe(3);
  });

  it('rejects duplicate keys, pointing at the second one', () => {
    const r = parse('a: 1\nb:\n  c: 1\n  c: 2\n');
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        message: 'duplicate key "c" (map keys must be unique)',
        pos: { file: 'f.yaml', line: 4, col: 3 },
        code: 'yaml/duplicate-key',
      },
    ]);
    expect(r.documents[0]?.value).toBeUndefined();
  });

  it('rejects keys that become the same JSON key, at each repetition, with the key as written', () => {
    const r = parse(
      'a:\n  1: x\n  "1": y\nb: {"q r": 1, q r: 2}\nc: &k z\nd:\n  z: 1\n  *k : 2\ne:\n  y: 1\n  true: 2\n  yes: 3\n',
    );
    expect(r.documents[0]?.value).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.code} ${d.message}`)).toEqual([
      '3:3 yaml/duplicate-key duplicate key "1" (map keys must be unique)',
      '4:15 yaml/duplicate-key duplicate key "q r" (map keys must be unique)',
      '8:3 yaml/duplicate-key duplicate key "z" (map keys must be unique)',
      '11:3 yaml/duplicate-key duplicate key "true" (map keys must be unique)',
      '12:3 yaml/duplicate-key duplicate key "yes" (map keys must be unique)',
    ]);
  });

  it('keeps merge keys apart from duplicates: several merges and overrides are fine', () => {
    const r = parse('b: &b {p: 1, q: 1}\nc: &c {q: 2, r: 2}\nu:\n  s: 0\n  <<: *b\n  <<: *c\n  p: 3\n');
    expect(r.diagnostics).toEqual([]);
    // Merged keys take the place of the merge; the map's own later key keeps that place.
    expect(JSON.stringify(r.documents[0]?.value)).toContain('"u":{"s":0,"p":3,"q":1,"r":2}');
  });

  it('reports duplicate keys among syntax errors in document order', () => {
    const r = parse('x:\n  a: 1\n  a: 2\n y: 3\n');
    expect(r.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.code}`)).toEqual([
      '3:3 yaml/duplicate-key',
      '4:1 yaml/syntax',
    ]);
  });

  it('does work linear in the number of keys and aliases (counted, not timed)', () => {
    const steps = (text: string): number => {
      const stats: YamlStats = { steps: 0 };
      const r = parseYamlFile({ path: 'f.yaml', text }, DEFAULT_YAML_LIMITS, stats);
      expect(r.diagnostics).toEqual([]);
      return stats.steps;
    };
    const wide = (n: number) =>
      `data:\n${Array.from({ length: n }, (_, i) => `  key-${i}: v${i}\n`).join('')}`;
    const aliased = (n: number) =>
      `l: &l {app: web}\nr:\n${Array.from({ length: n }, (_, i) => `  - {name: r${i}, labels: *l}\n`).join('')}`;
    for (const make of [wide, aliased]) {
      const [one, two, eight] = [steps(make(1000)), steps(make(2000)), steps(make(8000))];
      // steps = a*n + b exactly: what n more keys cost does not depend on how many came before.
      expect(eight - one).toBe(7 * (two - one));
      expect(two - one).toBeGreaterThan(0);
    }
  });

  it('refuses an alias bomb at the alias that takes it past the budget, without expanding it', () => {
    // a has 10 nodes, b stands for 91, c for 820, d for 7381, e for 66430: the first *e pushes
    // the nodes aliases add past 100,000.
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const r = parse(`${lines.join('\n')}\n`);
    expect(r.documents[0]?.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'yaml/alias-limit',
      pos: { file: 'f.yaml', line: 6, col: 8 },
    });
    expect(r.diagnostics[0]?.message).toMatch(/^alias \*e expands the document past 100000 added nodes/);
  });

  it('measures a bomb of 10^30 nodes in a few hundred steps', () => {
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 30; i++)
      lines.push(
        `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const stats: YamlStats = { steps: 0 };
    const r = parseYamlFile({ path: 'f.yaml', text: `${lines.join('\n')}\n` }, DEFAULT_YAML_LIMITS, stats);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml/alias-limit']);
    expect(r.diagnostics[0]?.pos).toEqual({ file: 'f.yaml', line: 5, col: 45 });
    expect(stats.steps).toBeLessThan(1000);
  });

  it('accepts hundreds of uses of a small anchor, as kubectl does', () => {
    const resources = Array.from(
      { length: 120 },
      (_, i) => `  - id: r${i}\n    template:\n      metadata:\n        labels: *l\n`,
    );
    const r = parse(`labels: &l {app: web, team: core}\nresources:\n${resources.join('')}`);
    expect(r.diagnostics).toEqual([]);
    const value = r.documents[0]?.value as { resources: { template: { metadata: { labels: unknown } } }[] };
    expect(value.resources).toHaveLength(120);
    expect(value.resources[119]?.template.metadata.labels).toEqual({ app: 'web', team: 'core' });
    // Each use is a copy: changing one leaves the others alone.
    expect(value.resources[0]?.template.metadata.labels).not.toBe(
      value.resources[1]?.template.metadata.labels,
    );
  });

  it('lets a document larger than the floor grow by its own size through aliases', () => {
    // 3,000 written entries (6,000 nodes), a 149-node anchor, and n uses of it adding 148 each.
    const filler = Array.from({ length: 3000 }, (_, i) => `k${i}: v\n`).join('');
    const big = `{${Array.from({ length: 74 }, (_, i) => `f${i}: v`).join(', ')}}`;
    const doc = (n: number) =>
      `${filler}anchor: &big ${big}\n${Array.from({ length: n }, (_, i) => `u${i}: *big\n`).join('')}`;
    const limits = { ...DEFAULT_YAML_LIMITS, maxAliasNodes: 1000 };
    // 40 uses add 5,920 nodes to 6,231 written: within maxAliasRatio (1) times the document.
    const fits = parse(doc(40), limits);
    expect(fits.diagnostics).toEqual([]);
    expect(Object.keys(fits.documents[0]?.value as object)).toHaveLength(3041);
    // 45 uses add 6,660 to 6,241: the 43rd use is the one that crosses.
    const over = parse(doc(45), limits);
    expect(over.diagnostics).toEqual([
      expect.objectContaining({ code: 'yaml/alias-limit', pos: { file: 'f.yaml', line: 3044, col: 6 } }),
    ]);
    expect(over.diagnostics[0]?.message).toContain(
      'past 6241 added nodes (the limit for 6241 written nodes)',
    );
  });

  it('refuses aliases that nest the expanded document too deeply, at that alias', () => {
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i <= 20; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    const r = parse(`${lines.join('\n')}\n`, { ...DEFAULT_YAML_LIMITS, maxDepth: 10 });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'yaml/too-deep', pos: { file: 'f.yaml', line: 10, col: 10 } }),
    ]);
    expect(r.diagnostics[0]?.message).toContain('*a8');
  });

  it('reports an alias without an anchor, or inside its own anchor, at the alias', () => {
    const r = parse('a: *nope\n---\nb: &b [1, *b]\n');
    expect(r.documents.map((d) => d.value)).toEqual([undefined, undefined]);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        message: 'alias *nope has no anchor &nope before it',
        pos: { file: 'f.yaml', line: 1, col: 4 },
        code: 'yaml/syntax',
      },
      {
        severity: 'error',
        message: 'alias *b is inside the node it refers to: a recursive structure has no JSON form',
        pos: { file: 'f.yaml', line: 3, col: 11 },
        code: 'yaml/unsupported-value',
      },
    ]);
  });

  it('allows a few aliases', () => {
    const r = parse('a: &a {x: 1}\nb: *a\nc: *a\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]?.value).toEqual({ a: { x: 1 }, b: { x: 1 }, c: { x: 1 } });
  });

  it('refuses files above the size cap without parsing them', () => {
    const r = parse('a: 1\n'.repeat(100), {
      ...DEFAULT_YAML_LIMITS,
      maxFileBytes: 100,
    });
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: 'yaml/too-large',
      pos: { file: 'f.yaml', line: 1, col: 1 },
    });
    expect(r.diagnostics[0]?.message).toContain('500 bytes');
  });

  it('counts the size cap in UTF-8 bytes, also where a text is too short to need counting', () => {
    const limits = { ...DEFAULT_YAML_LIMITS, maxFileBytes: 100 };
    // 37 UTF-16 units, 103 bytes: refused, with the bytes counted.
    const euros = parse(`a: ${'€'.repeat(33)}\n`, limits);
    expect(euros.diagnostics.map((d) => d.code)).toEqual(['yaml/too-large']);
    expect(euros.diagnostics[0]?.message).toContain('103 bytes');
    // 44 units, 84 bytes: read.
    const accents = parse(`a: ${'é'.repeat(40)}\n`, limits);
    expect(accents.diagnostics).toEqual([]);
    expect(accents.documents[0]?.value).toEqual({ a: 'é'.repeat(40) });
    // 33 units, at most 99 bytes whatever they are: read without counting; 34 ASCII units too.
    for (const text of [`a: ${'€'.repeat(29)}\n`, `a: ${'x'.repeat(30)}\n`]) {
      const r = parse(text, limits);
      expect(r.diagnostics).toEqual([]);
      expect(r.documents).toHaveLength(1);
    }
  });

  it('refuses absurd nesting with a diagnostic, not a crash', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const r = parse(deep);
    expect(r.documents.every((d) => d.value === undefined)).toBe(true);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('refuses values JSON cannot hold, at their position', () => {
    const r = parse('a:\n  b: .nan\n');
    expect(r.documents[0]?.value).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'yaml/unsupported-value', pos: { file: 'f.yaml', line: 2, col: 6 } }),
    ]);
  });
});

describe('error floods', () => {
  it('reports the first errors of a file and summarises the rest in one line', () => {
    const helm = Array.from({ length: 40 }, (_, i) => `{{- $v${i} := .Values.v${i} -}}`).join('\n');
    const r = parseYamlFile({ path: 'chart.yaml', text: `${helm}\n` });
    expect(r.diagnostics).toHaveLength(11);
    expect(r.diagnostics[10]?.message).toMatch(/^\d+ more YAML errors in this file not shown$/);
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.pos?.file === 'chart.yaml')).toBe(true);
  });
});

// firstNotAllowed searches UTF-16 code units (no `u` flag, which made V8 decode code points) and
// checks surrogate pairs itself: it must find what the code-point form finds, at the same offset.
describe('firstNotAllowed', () => {
  const BY_CODE_POINT = /[^\t\n\r\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
  // Code units on both sides of every range's bounds, surrogates alone and paired, and text.
  const UNITS = [
    0x00, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x1f, 0x20, 0x41, 0x7e, 0x7f, 0x85, 0x9f, 0xa0, 0xe9,
    0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xfffe, 0xffff,
  ];
  const PIECES = [...UNITS.map((u) => String.fromCharCode(u)), '\u{1F600}', '\u{10FFFF}', 'ab', '\n  '];

  it('finds what the code-point form finds, at the same offset', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = PIECES.flatMap((a) => PIECES.map((b) => a + b));
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let k = random(8); k >= 0; k--) text += PIECES[random(PIECES.length)];
      texts.push(text);
    }
    const reference = (text: string) => {
      const m = BY_CODE_POINT.exec(text);
      return m === null ? null : [m.index, m[0]];
    };
    const found = (text: string) => {
      const f = firstNotAllowed(text);
      return f === undefined ? null : [f.index, f.char];
    };
    const failures = texts.filter((t) => JSON.stringify(found(t)) !== JSON.stringify(reference(t)));
    expect(failures.map((t) => JSON.stringify(t))).toEqual([]);
    expect(found('a\uD800')).toEqual([1, '\uD800']);
    expect(found('a\u{1F600}\uDC00')).toEqual([3, '\uDC00']);
    expect(found('é\u0085')).toEqual([1, '\u0085']);
  });
});
