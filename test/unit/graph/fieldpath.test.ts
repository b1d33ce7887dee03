import { describe, expect, it } from 'vitest';
import {
  buildFieldPath,
  formatSegment,
  indexedSegment,
  joinPathAndFieldName,
  namedSegment,
  parseFieldPath,
} from '../../../src/graph/fieldpath.js';

describe('parseFieldPath quirks kept from kro', () => {
  it('parses [-1] and [+2] the way Go strconv.Atoi does', () => {
    // -1 is kro's "not an index" marker, so [-1] becomes an empty key segment.
    expect(parseFieldPath('a[-1]')).toEqual({ ok: true, value: [namedSegment('a'), namedSegment('')] });
    expect(parseFieldPath('a[+2]')).toEqual({ ok: true, value: [namedSegment('a'), indexedSegment(2)] });
    expect(parseFieldPath('a[007]')).toEqual({ ok: true, value: [namedSegment('a'), indexedSegment(7)] });
  });

  it('rejects indexes Atoi rejects', () => {
    expect(parseFieldPath('a[ 1]')).toEqual({ ok: false, error: "invalid array index ' 1' at position 2" });
    expect(parseFieldPath('a[]')).toEqual({ ok: false, error: "invalid array index '' at position 2" });
    expect(parseFieldPath('a[1_0]').ok).toBe(false);
    expect(parseFieldPath('a[9223372036854775808]').ok).toBe(false);
    expect(parseFieldPath('a[9223372036854775807]').ok).toBe(true);
  });

  it('reports kro error texts with positions', () => {
    expect(parseFieldPath('.field')).toEqual({ ok: false, error: 'empty field name at position 0' });
    expect(parseFieldPath('a..b')).toEqual({ ok: false, error: 'empty field name at position 2' });
    expect(parseFieldPath('a["b"x')).toEqual({
      ok: false,
      error: 'expected closing bracket after quote at position 5',
    });
    expect(parseFieldPath('a["b')).toEqual({
      ok: false,
      error: 'unterminated quoted string starting at position 3',
    });
    expect(parseFieldPath('a[1')).toEqual({ ok: false, error: 'unterminated array index at position 2' });
  });

  it('does not unescape quoted keys and ends them at the first quote', () => {
    expect(parseFieldPath('a["x\\"]')).toEqual({ ok: true, value: [namedSegment('a'), namedSegment('x\\')] });
  });

  it('accepts a name right after a quoted key, and the empty path', () => {
    expect(parseFieldPath('a["b.c"]d')).toEqual({
      ok: true,
      value: [namedSegment('a'), namedSegment('b.c'), namedSegment('d')],
    });
    expect(parseFieldPath('')).toEqual({ ok: true, value: [] });
  });

  it('keeps keys that are not identifiers', () => {
    expect(parseFieldPath('metadata.labels.app/name')).toEqual({
      ok: true,
      value: [namedSegment('metadata'), namedSegment('labels'), namedSegment('app/name')],
    });
  });
});

describe('buildFieldPath and joinPathAndFieldName', () => {
  it('quotes dotted keys with Go %q in build, but not in join', () => {
    expect(buildFieldPath([namedSegment('a'), namedSegment('x".y')])).toBe('a["x\\".y"]');
    expect(joinPathAndFieldName('a', 'x".y')).toBe('a["x".y"]');
  });

  it('round-trips what the walker writes', () => {
    const segments = [
      namedSegment('spec'),
      namedSegment('a.b'),
      indexedSegment(3),
      namedSegment(''),
      namedSegment('c'),
    ];
    const built = buildFieldPath(segments);
    expect(built).toBe('spec["a.b"][3][""].c');
    expect(parseFieldPath(built)).toEqual({ ok: true, value: segments });
  });

  it('formats segments like Go %v of the struct', () => {
    expect(formatSegment(namedSegment('name'))).toBe('{name -1}');
    expect(formatSegment(indexedSegment(0))).toBe('{ 0}');
  });
});
