// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../../src/rgd/yaml.js';

const text = [
  'apiVersion: kro.run/v1alpha1', // 1
  'metadata:', // 2
  '  name: demo', // 3
  'spec:', // 4
  '  items:', // 5
  '    - plain ${a.b}', // 6
  "    - 'it''s ${x}'", // 7
  '    - "tab\\there ${y}"', // 8
  '    - |', // 9
  '      first', // 10
  '      second ${z}', // 11
  '  empty:', // 12
  '  flow: {k: v}', // 13
  '',
].join('\n');

function locator(source = text, doc = 0) {
  const r = parseYamlFile({ path: 'x.yaml', text: source });
  expect(r.diagnostics).toEqual([]);
  return r.documents[doc]!.loc;
}

const pos = (line: number, col: number) => ({ file: 'x.yaml', line, col });

describe('YamlLocator.at', () => {
  const loc = locator();

  it('finds keys and values', () => {
    expect(loc.at(['apiVersion'], 'key')).toEqual(pos(1, 1));
    expect(loc.at(['apiVersion'])).toEqual(pos(1, 13));
    expect(loc.at(['metadata', 'name'], 'key')).toEqual(pos(3, 3));
    expect(loc.at(['metadata', 'name'])).toEqual(pos(3, 9));
    expect(loc.at(['spec', 'flow', 'k'], 'key')).toEqual(pos(13, 10));
    expect(loc.at(['spec', 'flow', 'k'])).toEqual(pos(13, 13));
  });

  it('finds list items, which have no key', () => {
    expect(loc.at(['spec', 'items', 0])).toEqual(pos(6, 7));
    expect(loc.at(['spec', 'items', 1], 'key')).toEqual(pos(7, 7));
  });

  it('points just after the colon for an empty value', () => {
    expect(loc.at(['spec', 'empty'])).toEqual(pos(12, 9));
  });

  it('falls back to the key of the nearest existing ancestor', () => {
    expect(loc.at(['metadata', 'labels'])).toEqual(pos(2, 1));
    expect(loc.at(['spec', 'missing', 'deep'], 'value')).toEqual(pos(4, 1));
    expect(loc.at(['spec', 'items', 9])).toEqual(pos(5, 3));
    expect(loc.at(['apiVersion', 'notAMap'])).toEqual(pos(1, 1));
  });

  it('reports positions in the whole file for later documents', () => {
    const l = locator('a: 1\n---\nb:\n  c: 2\n', 1);
    expect(l.at(['b', 'c'])).toEqual(pos(4, 6));
    expect(l.file).toBe('x.yaml');
  });

  it('follows aliases and merge keys to where the value is written', () => {
    const l = locator('base: &b\n  image: nginx\nuse: *b\nmerged:\n  <<: *b\n  own: 1\n');
    expect(l.at(['use', 'image'])).toEqual(pos(2, 10));
    expect(l.at(['merged', 'image'])).toEqual(pos(2, 10));
    expect(l.at(['merged', 'own'])).toEqual(pos(6, 8));
  });
});

describe('YamlLocator.inString', () => {
  const loc = locator();

  it('is exact in a plain scalar', () => {
    expect(loc.inString(['spec', 'items', 0], 6)).toEqual(pos(6, 13));
  });

  it("skips the quote and counts '' as one character in a single-quoted scalar", () => {
    expect(loc.inString(['spec', 'items', 1], 5)).toEqual(pos(7, 14));
  });

  it('counts an escape sequence as one character in a double-quoted scalar', () => {
    expect(loc.inString(['spec', 'items', 2], 9)).toEqual(pos(8, 18));
  });

  it('maps into the lines of a literal block', () => {
    expect(loc.inString(['spec', 'items', 3], 'first\nsecond '.length)).toEqual(pos(11, 14));
    expect(loc.inString(['spec', 'items', 3], 0)).toEqual(pos(10, 7));
  });

  it('counts \\u and \\x escapes as one unit each', () => {
    const l = locator('v: "\\u00e9\\x41${e}"\n');
    expect(l.inString(['v'], 2)).toEqual(pos(1, 15));
  });

  it('falls back to the scalar start for folded blocks and for non-strings', () => {
    const l = locator('f: >\n  one\n  two ${x}\nnum: 5\n');
    expect(l.inString(['f'], 8)).toEqual(pos(1, 4));
    expect(l.inString(['num'], 3)).toEqual(pos(4, 6));
  });

  it('clamps offsets past the end of the value', () => {
    expect(loc.inString(['spec', 'items', 0], 1000)).toEqual(pos(6, 7 + 'plain ${a.b}'.length));
  });
});
