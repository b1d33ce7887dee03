// Expected values follow cel-go's ext/strings.go (its documented examples and Go's strings
// package semantics: rune indices, strings.Replace/SplitN/TrimSpace) and formatting v2.
import { describe, expect, it } from 'vitest';
import { env, ev } from '../../helpers/kro-env.js';

describe('charAt', () => {
  it('indexes code points, returns "" at the end and fails beyond it', () => {
    expect(ev("'hello'.charAt(4)")).toBe('o');
    expect(ev("'hello'.charAt(5)")).toBe('');
    expect(() => ev("'hello'.charAt(6)")).toThrow(/index out of range: 6/);
    expect(() => ev("'hello'.charAt(-1)")).toThrow(/index out of range/);
    expect(ev("'a😀b'.charAt(1)")).toBe('😀');
    expect(ev("'a😀b'.charAt(2)")).toBe('b');
  });
});

describe('indexOf / lastIndexOf / substring use code point positions', () => {
  it('indexOf', () => {
    expect(ev("'hello mellow'.indexOf('')")).toBe(0n);
    expect(ev("'hello mellow'.indexOf('ello')")).toBe(1n);
    expect(ev("'hello mellow'.indexOf('jello')")).toBe(-1n);
    expect(ev("'hello mellow'.indexOf('', 2)")).toBe(2n);
    expect(ev("'hello mellow'.indexOf('ello', 2)")).toBe(7n);
    expect(ev("'hello mellow'.indexOf('ello', 20)")).toBe(-1n);
    expect(() => ev("'hello mellow'.indexOf('ello', -1)")).toThrow(/index out of range/);
    expect(ev("'😀😀x'.indexOf('x')")).toBe(2n);
  });

  it('lastIndexOf', () => {
    expect(ev("'hello mellow'.lastIndexOf('')")).toBe(12n);
    expect(ev("'hello mellow'.lastIndexOf('ello')")).toBe(7n);
    expect(ev("'hello mellow'.lastIndexOf('ello', 6)")).toBe(1n);
    expect(ev("'hello mellow'.lastIndexOf('ello', 20)")).toBe(-1n);
    expect(ev("'bananananana'.lastIndexOf('nana', 7)")).toBe(6n);
    expect(ev("'😀a😀a'.lastIndexOf('a')")).toBe(3n);
  });

  it('substring', () => {
    expect(ev("'tacocat'.substring(4)")).toBe('cat');
    expect(ev("'tacocat'.substring(0, 4)")).toBe('taco');
    expect(ev("'a😀bc'.substring(1, 3)")).toBe('😀b');
    expect(() => ev("'tacocat'.substring(-1)")).toThrow(/index out of range/);
    expect(() => ev("'tacocat'.substring(2, 1)")).toThrow(/invalid substring range/);
  });
});

describe('replace', () => {
  it('replaces all, a limited number, or none', () => {
    expect(ev("'hello hello'.replace('he', 'we')")).toBe('wello wello');
    expect(ev("'hello hello'.replace('he', 'we', -1)")).toBe('wello wello');
    expect(ev("'hello hello'.replace('he', 'we', 1)")).toBe('wello hello');
    expect(ev("'hello hello'.replace('he', 'we', 0)")).toBe('hello hello');
    expect(ev("'hello hello'.replace('h', '')")).toBe('ello ello');
  });

  it('an empty search string matches around every code point, as Go strings.Replace', () => {
    expect(ev("'hello hello'.replace('', '_')")).toBe('_h_e_l_l_o_ _h_e_l_l_o_');
    expect(ev("'ab'.replace('', '_', 2)")).toBe('_a_b');
    expect(ev("'😀'.replace('', '-')")).toBe('-😀-');
  });
});

describe('split and join', () => {
  it('splits like Go strings.SplitN', () => {
    expect(ev("'hello hello hello'.split(' ')")).toEqual(['hello', 'hello', 'hello']);
    expect(ev("'hello hello hello'.split(' ', 0)")).toEqual([]);
    expect(ev("'hello hello hello'.split(' ', 1)")).toEqual(['hello hello hello']);
    expect(ev("'hello hello hello'.split(' ', 2)")).toEqual(['hello', 'hello hello']);
    expect(ev("'hello hello hello'.split(' ', -1)")).toEqual(['hello', 'hello', 'hello']);
    expect(ev("'a😀b'.split('')")).toEqual(['a', '😀', 'b']);
    expect(ev("'abc'.split('', 2)")).toEqual(['a', 'bc']);
  });

  it('joins strings and rejects other elements', () => {
    expect(ev("['hello', 'mellow'].join()")).toBe('hellomellow');
    expect(ev("['hello', 'mellow'].join(' ')")).toBe('hello mellow');
    expect(ev('[].join()')).toBe('');
    expect(() => ev("dyn(['a', 1]).join()")).toThrow(/join: invalid input/);
  });
});

describe('casing, trim, reverse, quote', () => {
  it('lowerAscii/upperAscii change ASCII letters only', () => {
    expect(ev("'TacoCÆt Xii'.lowerAscii()")).toBe('tacocÆt xii');
    expect(ev("'TacoCÆt Xii'.upperAscii()")).toBe('TACOCÆT XII');
    expect(ev("'tacoCαt'.upperAscii()")).toBe('TACOCαT');
  });

  it('trim removes Go white space (incl. U+0085, U+00A0) but not zero-width characters', () => {
    expect(ev("'  \\ttrim\\n    '.trim()")).toBe('trim');
    expect(ev("'\\u0085\\u00a0\\u1680text\\u3000'.trim()")).toBe('text');
    expect(ev("'\\u200btext\\ufeff'.trim()")).toBe('\u200btext\ufeff');
  });

  it('reverse works on code points', () => {
    expect(ev("'gums'.reverse()")).toBe('smug');
    expect(ev("'John Smith'.reverse()")).toBe('htimS nhoJ');
    expect(ev("'a😀b'.reverse()")).toBe('b😀a');
  });

  it('strings.quote escapes like a CEL string literal', () => {
    expect(ev('strings.quote(\'single-quote with "double quote"\')')).toBe(
      '"single-quote with \\"double quote\\""',
    );
    expect(ev('strings.quote("two escape sequences \\\\a\\\\n")')).toBe('"two escape sequences \\\\a\\\\n"');
    expect(ev('strings.quote("bell\\a tab\\t nl\\n")')).toBe('"bell\\a tab\\t nl\\n"');
    expect(ev('strings.quote("")')).toBe('""');
    expect(ev('strings.quote("завтра😀")')).toBe('"завтра😀"');
    expect(env.check('strings.quote("x")')).toMatchObject({ valid: true, type: 'string' });
  });
});

describe('format', () => {
  it('substitutes %s for every kind of value', () => {
    expect(ev('"this is a string: %s\\nand an integer: %d".format(["str", 42])')).toBe(
      'this is a string: str\nand an integer: 42',
    );
    expect(ev('"a double substituted with %%s: %s".format([64.2])')).toBe(
      'a double substituted with %s: 64.2',
    );
    expect(ev('"string type: %s".format([type("test string")])')).toBe('string type: string');
    expect(ev('"%s".format([type(string)])')).toBe('type');
    expect(ev('"%s".format([timestamp("2023-02-03T23:31:20+00:00")])')).toBe('2023-02-03T23:31:20Z');
    expect(ev('"%s".format([duration("1h45m47s")])')).toBe('6347s');
    expect(ev('"%s".format([null])')).toBe('null');
    expect(ev('"%s".format([b"xyz"])')).toBe('xyz');
    expect(ev('"%s %s".format([true, 2u])')).toBe('true 2');
    expect(ev('"%s".format([[1, "a", [2.5]]])')).toBe('[1, a, [2.5]]');
    expect(ev('"%s".format([{"b": 1, "a": 2.0}])')).toBe('{a: 2, b: 1}');
    expect(ev('"%s".format([{6: duration("422s"), "strKey": "x", true: 42}])')).toBe(
      '{6: 422s, strKey: x, true: 42}',
    );
    expect(ev('"%s".format([1e21])')).toBe('1000000000000000000000');
    expect(ev('"%s".format([[double("NaN"), double("Infinity"), double("-Infinity")]])')).toBe(
      '[NaN, Infinity, -Infinity]',
    );
  });

  it('formats numbers with %d %f %e %b %o %x %X', () => {
    expect(ev('"%d %d".format([-7, 8u])')).toBe('-7 8');
    expect(ev('"%d".format([1.5])')).toBe('1.5');
    expect(ev('"%f".format([3.14])')).toBe('3.140000');
    expect(ev('"%.3f".format([1.2345])')).toBe('1.234');
    expect(ev('"%.0f %.0f %.2f".format([0.5, 2.5, 0.125])')).toBe('0 2 0.12');
    expect(ev('"%.2f".format([2])')).toBe('2.00');
    expect(ev('"%e".format([2.71828])')).toBe('2.718280e+00');
    expect(ev('"%.6e".format([1052.032911275])')).toBe('1.052033e+03');
    expect(ev('"%e".format([double("NaN")])')).toBe('NaN');
    expect(ev('"%f".format([double("-Infinity")])')).toBe('-Infinity');
    expect(ev('"%b %b %b".format([5, 64u, true])')).toBe('101 1000000 1');
    expect(ev('"%o %o".format([11, 65535u])')).toBe('13 177777');
    expect(ev('"%x %X %x".format([30, 30, -26])')).toBe('1e 1E -1a');
    expect(ev('"%x".format(["Hello world!"])')).toBe('48656c6c6f20776f726c6421');
    expect(ev('"%X".format([b"byte string"])')).toBe('6279746520737472696E67');
  });

  it('reports cel-go errors', () => {
    expect(() => ev('"%a".format([1])')).toThrow(/unrecognized formatting clause "a"/);
    expect(() => ev('"%d %d %d".format([0, 1])')).toThrow(/index 2 out of range/);
    expect(() => ev('"%b".format(["abc"])')).toThrow(
      /only ints, uints, and bools can be formatted as binary/,
    );
    expect(() => ev('"%d".format([duration("30m2s")])')).toThrow(/decimal clause can only be used on ints/);
    expect(() => ev('"%x".format([0.5])')).toThrow(/can be formatted as hex, was given double/);
    expect(() => ev('"%s".format([optional.none()])')).toThrow(/string clause can only be used on/);
    expect(() => ev('"%.101f".format([1.0])')).toThrow(/exceeds maximum allowed precision 100/);
    expect(() => ev('"%.3".format([1.0])')).toThrow(/could not find end of precision specifier/);
  });
});

describe('format checks constant templates at check time, as cel-go does', () => {
  it('rejects wrong argument types and counts before evaluation', () => {
    const check = (expr: string) => env.check(expr);
    expect(check('"%d".format(["x"])').error?.message).toMatch(/decimal clause can only be used on ints/);
    expect(check('"%s %s".format([1])').error?.message).toMatch(/index 1 out of range/);
    expect(check('"%s".format([1, 2])').error?.message).toMatch(
      /too many arguments supplied to string.format \(expected 1, got 2\)/,
    );
    expect(check('"%z".format([1])').error?.message).toMatch(/unrecognized formatting clause "z"/);
    expect(check('"%s".format([[optional.none()]])').error?.message).toMatch(
      /string clause can only be used on/,
    );
    expect(check('"%x %s".format(["a", [1, {"k": 2}]])')).toMatchObject({ valid: true, type: 'string' });
  });

  it('leaves non-constant templates and argument lists to evaluation', () => {
    expect(env.check('t.format(["x"])')).toMatchObject({ valid: true, type: 'string' });
    expect(env.check('"%d".format(l)')).toMatchObject({ valid: true, type: 'string' });
    expect(() => ev('t.format(["x"])', { t: '%d' })).toThrow(/decimal clause can only be used on ints/);
    expect(env.check('1.format([1])').valid).toBe(false);
  });
});

describe('string(double) prints like Go %g', () => {
  it('switches to an exponent at 1e6 and below 1e-4', () => {
    expect(ev('string(1.5)')).toBe('1.5');
    expect(ev('string(100000.0)')).toBe('100000');
    expect(ev('string(1000000.0)')).toBe('1e+06');
    expect(ev('string(123456789.0)')).toBe('1.23456789e+08');
    expect(ev('string(0.0001)')).toBe('0.0001');
    expect(ev('string(0.00001)')).toBe('1e-05');
    expect(ev("string(double('Infinity'))")).toBe('+Inf');
  });
});

describe('an empty substring with an offset (found by differential fuzzing)', () => {
  it('is found at the offset, whatever it is, as cel-go answers', () => {
    expect(ev('"".indexOf("", 1)')).toBe(1n);
    expect(ev('"abc".indexOf("", -3)')).toBe(-3n);
    expect(ev('"😀".lastIndexOf("", 9007199254740993)')).toBe(9007199254740993n);
  });
});
