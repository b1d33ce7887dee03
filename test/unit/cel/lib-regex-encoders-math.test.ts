// RE2 `matches` (Go regexp semantics), ext.Encoders (Go base64) and the opt-in ext.Math.
// Expected values follow Go's regexp/encoding/base64 behaviour and cel-go's ext/math.go.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { mathLibrary } from '../../../src/cel/lib/math.js';
import { compileRe2, Re2SyntaxError } from '../../../src/cel/re2.js';
import { ev } from '../../helpers/kro-env.js';

describe('matches (RE2)', () => {
  it('matches anywhere in the string, member and global forms', () => {
    expect(ev('"abc123".matches("^[a-z]+[0-9]+$")')).toBe(true);
    expect(ev('"hello".matches("ell")')).toBe(true);
    expect(ev('matches("hello", "^ell")')).toBe(false);
    expect(ev('"😀".matches("^.$")')).toBe(true);
  });

  it('rejects lookaround and backreferences like Go', () => {
    expect(() => ev('"a".matches("(?=a)")')).toThrow(
      /error parsing regexp: invalid or unsupported Perl syntax/,
    );
    expect(() => ev('"aa".matches("(a)\\\\1")')).toThrow(/error parsing regexp: invalid escape sequence/);
    expect(() => compileRe2('(?<=a)b')).toThrow(Re2SyntaxError);
  });

  it('stays linear on patterns that make backtracking engines explode', () => {
    const input = `${'a'.repeat(5000)}!`;
    expect(ev('s.matches("(a+)+$")', { s: input })).toBe(false);
    expect(ev('s.matches("^(a|aa)+$")', { s: input })).toBe(false);
  });

  it('caches compiled patterns', () => {
    expect(compileRe2('x+y')).toBe(compileRe2('x+y'));
  });
});

describe('base64', () => {
  it('encodes and decodes with and without padding', () => {
    expect(ev("base64.encode(b'hello')")).toBe('aGVsbG8=');
    expect(ev("base64.decode('aGVsbG8=')")).toEqual(new Uint8Array(Buffer.from('hello')));
    expect(ev("base64.decode('aGVsbG8')")).toEqual(new Uint8Array(Buffer.from('hello')));
    expect(ev("base64.decode(base64.encode(b'Hello World!')) == b'Hello World!'")).toBe(true);
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => ev("base64.decode('aGVs*bG8=')")).toThrow(/illegal base64 data/);
    expect(() => ev("base64.decode('a')")).toThrow(/illegal base64 data/);
    expect(() => ev("base64.decode('aGVsbG8=a')")).toThrow(/illegal base64 data/);
  });
});

describe('math extension (opt-in)', () => {
  it('is not part of kro environment', () => {
    expect(() => ev('math.abs(-1)')).toThrow();
  });

  const m = createKroEnvironment({ unlistedVariablesAreDyn: true });
  mathLibrary.register(m.raw, { omit: false });
  const mev = (expr: string) => m.evaluate(expr);

  it('greatest/least over arguments and lists, keeping the winner type', () => {
    expect(mev('math.greatest(1, 2, 3)')).toBe(3n);
    expect(mev('math.least([4, 2])')).toBe(2n);
    expect(mev('math.greatest(1, 2.5)')).toBe(2.5);
    expect(mev('type(math.greatest([5.4, 10u, 3u, -5.0, 3.5])) == uint')).toBe(true);
    expect(mev('math.greatest([5.4, 10u, 3u, -5.0, 3.5]) == 10u')).toBe(true);
    expect(() => mev('math.least([])')).toThrow(/must not be empty/);
  });

  it('rounding, abs, sign, bits', () => {
    expect(mev('math.round(-1.5)')).toBe(-2);
    expect(mev('math.round(1.5)')).toBe(2);
    expect(mev('math.round(-1.4)')).toBe(-1);
    expect(mev('math.ceil(1.2)')).toBe(2);
    expect(mev('math.trunc(-1.2)')).toBe(-1);
    expect(() => mev('math.abs(-9223372036854775808)')).toThrow(/overflow/);
    expect(mev('math.sign(-11)')).toBe(-1n);
    expect(mev('math.bitXor(4, -2)')).toBe(-6n);
    expect(mev('math.bitShiftRight(-1, 60)')).toBe(15n);
    expect(mev('math.bitShiftLeft(1, 63)')).toBe(-9223372036854775808n);
    expect(mev('math.bitNot(1u) == 18446744073709551614u')).toBe(true);
  });
});
