import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../../src/rgd/yaml.js';

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

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const r = parse(`${lines.join('\n')}\n`);
    expect(r.documents[0]?.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.code).toBe('yaml/alias-limit');
    expect(r.diagnostics[0]?.message).toMatch(/alias/);
  });

  it('allows a few aliases', () => {
    const r = parse('a: &a {x: 1}\nb: *a\nc: *a\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]?.value).toEqual({ a: { x: 1 }, b: { x: 1 }, c: { x: 1 } });
  });

  it('refuses files above the size cap without parsing them', () => {
    const r = parse('a: 1\n'.repeat(100), { maxFileBytes: 100, maxAliasCount: 100, maxDepth: 64 });
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: 'yaml/too-large',
      pos: { file: 'f.yaml', line: 1, col: 1 },
    });
    expect(r.diagnostics[0]?.message).toContain('500 bytes');
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
