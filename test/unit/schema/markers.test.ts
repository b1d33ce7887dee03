import { describe, expect, it } from 'vitest';
import { goTrimSpace, isGoSpace } from '../../../src/schema/gostrconv.js';
import { parseMarkers } from '../../../src/schema/markers.js';

function values(text: string) {
  const r = parseMarkers(text);
  if (r.error) throw new Error(r.error.message);
  return r.markers.map((m) => [m.key, m.value]);
}

function failure(text: string) {
  const r = parseMarkers(text);
  if (!r.error) throw new Error(`expected an error for ${text}`);
  return r.error;
}

describe('marker lexer', () => {
  it('splits on whitespace and removes quotes', () => {
    expect(values('required=true   description="a b  c"')).toEqual([
      ['required', 'true'],
      ['description', 'a b  c'],
    ]);
  });

  it('unescapes only \\" and \\\\ inside quotes, keeping other backslashes', () => {
    expect(values(String.raw`description="say \"hi\" \\ \n \d"`)).toEqual([
      ['description', String.raw`say "hi" \ \n \d`],
    ]);
  });

  it('groups {} and [] outside quotes, spaces included, and keeps the text verbatim', () => {
    expect(values('default={"a": [1, 2]} required=true')).toEqual([
      ['default', '{"a": [1, 2]}'],
      ['required', 'true'],
    ]);
    expect(values('default=["x", "y"]')).toEqual([['default', '["x", "y"]']]);
  });

  it('does not treat brackets inside quotes as grouping', () => {
    expect(values('pattern="^[a-z]{2,}$"')).toEqual([['pattern', '^[a-z]{2,}$']]);
  });

  it('keeps `=` in a value and single quotes literally', () => {
    expect(values("validation=self.a=='x'")).toEqual([['validation', "self.a=='x'"]]);
  });

  it('keeps quotes of a value that is only partly quoted', () => {
    expect(values('default="a"b')).toEqual([['default', '"a"b']]);
  });

  it('treats any Unicode white space as a separator, as Go does', () => {
    expect(values('required=true\u00a0minimum=1\u0085maximum=2')).toEqual([
      ['required', 'true'],
      ['minimum', '1'],
      ['maximum', '2'],
    ]);
  });

  it('records where each key starts', () => {
    const r = parseMarkers(' required=true  default="x"');
    expect(r.markers?.map((m) => m.offset)).toEqual([1, 16]);
  });

  it('rejects unknown keys with kro message, pointing at the key', () => {
    const e = failure('required=true bogus=1');
    expect(e.message).toBe('invalid marker key "bogus": unknown marker: bogus');
    expect(e.offset).toBe(14);
    expect(e.code).toBe('schema/unknown-marker');
  });

  it('reads a second `|` as part of the next key', () => {
    expect(failure('required=true | default=1').message).toBe(
      'invalid marker key "|default": unknown marker: |default',
    );
  });

  it('glues a word without `=` onto the next key', () => {
    expect(failure('optional description="x"').message).toBe(
      'invalid marker key "optionaldescription": unknown marker: optionaldescription',
    );
  });

  it('rejects a trailing word without `=`', () => {
    expect(failure('optional').message).toBe("marker key 'optional' without a value");
    expect(failure('default=5 optional').message).toBe(
      "marker key 'optional' without a value (a value containing spaces must be quoted)",
    );
    // kro's lexer drops the spaces of an unquoted value and reads the rest as one key.
    expect(failure('default=IRSA role for X').message).toMatch(/^marker key 'roleforX' without a value/);
  });

  it('rejects trailing whitespace after the last marker, as kro does', () => {
    expect(failure('required=true ').message).toMatch(/^marker key '' without a value/);
    expect(failure('').message).toMatch(/^marker key '' without a value/);
  });

  it('rejects an empty key', () => {
    const e = failure('required=true =x');
    expect(e.message).toBe('empty marker key');
    expect(e.offset).toBe(14);
  });

  it('reports an unclosed quote at the quote', () => {
    const e = failure('required=true description="abc');
    expect(e.message).toBe('unclosed quote');
    expect(e.offset).toBe(26);
  });

  it('does not end a quote at an escaped quote', () => {
    expect(failure(String.raw`description="abc\"`).message).toBe('unclosed quote');
  });

  it('reports unclosed and unmatched brackets', () => {
    const open = failure('default={"a": 1');
    expect(open.message).toBe('unclosed bracket/brace');
    expect(open.offset).toBe(8);
    const close = failure('default=]');
    expect(close.message).toBe('unmatched closing bracket/brace');
    expect(close.offset).toBe(8);
  });
});

describe('isGoSpace', () => {
  it('answers as Unicode White_Space does, for every character', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      if (isGoSpace(ch) !== /^\p{White_Space}$/u.test(ch)) differ.push(c);
    }
    expect(differ).toEqual([]);
    expect(isGoSpace('\u0085')).toBe(true);
    expect(isGoSpace('\u3000')).toBe(true);
    expect(isGoSpace('\ufeff')).toBe(false);
  });
});

describe('goTrimSpace', () => {
  it("trims what Go's strings.TrimSpace trims: Unicode white space, ASCII or not, mixed", () => {
    const cases: [string, string][] = [
      ['string', 'string'],
      ['string ', 'string'],
      ['\t\n\v\f\r string \r\n', 'string'],
      [' ', ''],
      ['', ''],
      ['\u00a0 x \u0085', 'x'],
      [' \u3000x\u00a0\t', 'x'],
      ['\u2028\u2029', ''],
      ['\ufeffx\ufeff', '\ufeffx\ufeff'],
      ['a b', 'a b'],
      ['\u00e9 ', '\u00e9'],
    ];
    for (const [input, want] of cases) expect(goTrimSpace(input), JSON.stringify(input)).toBe(want);
  });
});
