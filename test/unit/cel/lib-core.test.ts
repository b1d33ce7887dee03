// Expected values follow cel-go's common/types (int.go, double.go, compare.go, bytes.go,
// timestamp.go, duration.go) and the cel-spec conformance files for the same cases.
import { describe, expect, it } from 'vitest';
import { ev } from '../../helpers/kro-env.js';

describe('numbers', () => {
  it('converts with range checks', () => {
    expect(ev('int(42u)')).toBe(42n);
    expect(() => ev('int(18446744073709551615u)')).toThrow(/range/);
    expect(ev('int(2.9)')).toBe(2n);
    expect(() => ev('int(1e20)')).toThrow(/range/);
    expect(() => ev('int(-9223372036854775808.0)')).toThrow(/range/);
    expect(() => ev("int(double('NaN'))")).toThrow(/range/);
    expect(() => ev('uint(-1.0)')).toThrow(/range/);
    expect(() => ev('uint(18446744073709551616.0)')).toThrow(/range/);
  });

  it('detects int64 overflow of negation and division', () => {
    expect(() => ev('-(-9223372036854775808)')).toThrow(/overflow/);
    expect(() => ev('(-9223372036854775808) / -1')).toThrow(/overflow/);
    expect(() => ev('(-9223372036854775808) % -1')).toThrow(/overflow/);
    expect(ev('-7 / 2')).toBe(-3n);
    expect(ev('-7 % 2')).toBe(-1n);
  });

  it('orders int/uint/double like cel-go (double conversion for int vs double)', () => {
    expect(ev('1 < 1.5')).toBe(true);
    expect(ev('dyn(9223372036854775807) < 9223372036854775808.0')).toBe(false);
    expect(ev('dyn(9223372036854775807) >= 9223372036854775808.0')).toBe(true);
    expect(ev('dyn(1u) < 2')).toBe(true);
    expect(ev('dyn(-1) < 0u')).toBe(true);
    expect(() => ev("double('NaN') < 1.0")).toThrow(/NaN values cannot be ordered/);
  });

  it('uses heterogeneous equality inside lists, maps and `in`', () => {
    expect(ev('[1.0, 2.0, 3] == [1u, 2, 3u]')).toBe(true);
    expect(ev('{1: 1.0, 2u: 3u} == {1u: 1, 2: 3.0}')).toBe(true);
    expect(ev('dyn(3u) in [5, 4, 3]')).toBe(true);
    expect(ev('dyn(3.0) in [5u, 4u, 3u]')).toBe(true);
    expect(ev('dyn(1) == 1.0')).toBe(true);
  });
});

describe('bytes and null_type', () => {
  it('orders bytes lexicographically', () => {
    expect(ev("b'a' < b'b'")).toBe(true);
    expect(ev("b'abc' < b'abc'")).toBe(false);
    expect(ev("b'' < b' '")).toBe(true);
    expect(ev("b' ' >= b''")).toBe(true);
  });

  it('rejects invalid UTF-8 in string(bytes)', () => {
    expect(ev("string(b'abc')")).toBe('abc');
    expect(() => ev("string(b'\\000\\xff')")).toThrow(/invalid UTF-8/);
  });

  it('names the null type null_type', () => {
    expect(ev('type(null) == null_type')).toBe(true);
    expect(ev('"%s".format([type(null)])')).toBe('null_type');
  });
});

describe('timestamps and durations', () => {
  it('converts to string and int', () => {
    expect(ev("string(timestamp('2009-02-13T23:31:30Z'))")).toBe('2009-02-13T23:31:30Z');
    expect(ev("string(timestamp('2009-02-13T23:31:30.120Z'))")).toBe('2009-02-13T23:31:30.12Z');
    expect(ev("int(timestamp('2009-02-13T23:31:30Z'))")).toBe(1234567890n);
    expect(ev("string(duration('1000000s'))")).toBe('1000000s');
    expect(ev("string(duration('1.5s'))")).toBe('1.5s');
    expect(ev("string(duration('-90m'))")).toBe('-5400s');
    expect(ev("int(duration('1s'))")).toBe(1000000000n);
    expect(ev("duration(duration('100s')) == duration('100s')")).toBe(true);
    expect(ev('timestamp(timestamp(1000000000)) == timestamp(1000000000)')).toBe(true);
  });

  it('reads fields in fixed-offset and named time zones', () => {
    expect(ev("timestamp('2009-02-13T23:31:30Z').getDayOfMonth('+11:00')")).toBe(13n);
    expect(ev("timestamp('2009-02-13T02:00:00Z').getDayOfMonth('-02:30')")).toBe(11n);
    expect(ev("timestamp('2009-02-13T23:31:30Z').getHours('02:00')")).toBe(1n);
    expect(ev("timestamp('2009-02-13T23:31:30Z').getFullYear('-09:30')")).toBe(2009n);
    expect(ev("timestamp('2024-01-01T12:00:00Z').getHours('America/New_York')")).toBe(7n);
    expect(ev("timestamp('2024-03-01T00:00:00Z').getDayOfYear()")).toBe(60n);
    // cel-go reads an offset with strconv.Atoi on each side and no range check (values from kro,
    // checked against the oracle of test/fuzz/cel).
    expect(ev("timestamp('2024-01-01T12:00:00Z').getHours('+01:75')")).toBe(14n);
    expect(ev("timestamp('1969-12-31T23:59:59.999Z').getHours('+01:-30')")).toBe(0n);
    expect(ev("timestamp('1969-12-31T23:59:59.999Z').getHours('153722867280912930:00')")).toBe(23n);
    expect(() => ev("timestamp('2024-01-01T12:00:00Z').getHours('1x:00')")).toThrow(
      'strconv.Atoi: parsing "1x": invalid syntax',
    );
    expect(() => ev("timestamp('2024-01-01T12:00:00Z').getHours('9223372036854775808:00')")).toThrow(
      'strconv.Atoi: parsing "9223372036854775808": value out of range',
    );
    expect(() => ev("timestamp('2024-01-01T12:00:00Z').getHours('Mars/Olympus')")).toThrow(/time zone/);
  });

  it('does arithmetic on exact nanoseconds with cel-go ranges', () => {
    expect(ev("duration('-1.5s') + duration('0s') == duration('-1500ms')")).toBe(true);
    expect(
      ev("duration('120s') + timestamp('2009-02-13T23:01:00Z') == timestamp('2009-02-13T23:03:00Z')"),
    ).toBe(true);
    expect(() => ev("timestamp('9999-12-31T23:59:59Z') + duration('1s')")).toThrow(/timestamp overflow/);
    expect(() => ev("timestamp('0001-01-01T00:00:00Z') - duration('1s')")).toThrow(/timestamp overflow/);
    expect(() => ev("duration('320000000000s')")).toThrow(/type conversion error/);
    expect(ev("duration('5000000000s')")).toBeDefined();
    expect(() => ev("duration('5000000000s') + duration('5000000000s')")).toThrow(/integer overflow/);
    expect(() => ev("timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')")).toThrow(
      /integer overflow/,
    );
  });
});

describe('timestamps with nanoseconds and zone offsets (found by differential fuzzing)', () => {
  it('keep nanoseconds through parsing, arithmetic, comparison and string()', () => {
    const t = "timestamp('2009-02-13T23:31:30.123456789-08:00')";
    expect(ev(`string(${t})`)).toBe('2009-02-13T23:31:30.123456789-08:00');
    expect(ev(`string(${t} + duration('1ns'))`)).toBe('2009-02-13T23:31:30.12345679-08:00');
    expect(ev(`string(timestamp('2009-02-13T23:31:30.1-08:00') - duration('1ns'))`)).toBe(
      '2009-02-13T23:31:30.099999999-08:00',
    );
    expect(ev(`${t} == timestamp('2009-02-14T07:31:30.123456789Z')`)).toBe(true);
    expect(
      ev("timestamp('2000-01-01T00:00:00.000000002Z') > timestamp('2000-01-01T00:00:00.000000001Z')"),
    ).toBe(true);
    expect(
      ev(
        "timestamp('2000-01-01T00:00:00.000000001Z') - timestamp('2000-01-01T00:00:00Z') == duration('1ns')",
      ),
    ).toBe(true);
    expect(ev("int(timestamp('1969-12-31T23:59:59.999999999Z'))")).toBe(-1n);
  });

  it('read fields in UTC unless a zone is given, and format %s in UTC', () => {
    const t = "timestamp('2009-02-13T23:31:30.999999999-08:00')";
    expect(ev(`${t}.getHours()`)).toBe(7n);
    expect(ev(`${t}.getMilliseconds()`)).toBe(999n);
    expect(ev(`${t}.getHours('-08:00')`)).toBe(23n);
    expect(ev(`"%s".format([${t}])`)).toBe('2009-02-14T07:31:30.999999999Z');
  });

  it("parse as Go's time.Parse with the RFC 3339 layout", () => {
    for (const bad of [
      '2009-02-13t23:31:30Z',
      '2009-02-13T23:31:30z',
      '2009-02-29T00:00:00Z',
      '2009-02-13T24:00:00Z',
    ]) {
      expect(() => ev(`timestamp('${bad}')`)).toThrow(/type conversion error/);
    }
    expect(ev("string(timestamp('2009-02-13T3:31:30,5Z'))")).toBe('2009-02-13T03:31:30.5Z');
    expect(ev("string(timestamp('2009-02-13T23:31:30+24:00'))")).toBe('2009-02-13T23:31:30+24:00');
    expect(() => ev("timestamp('0001-01-01T00:00:00+01:00')")).toThrow(/timestamp overflow/);
    expect(ev("string(timestamp('9999-12-31T23:59:59.999999999Z'))")).toBe('9999-12-31T23:59:59.999999999Z');
  });
});

describe("durations as Go's time package reads them (found by differential fuzzing)", () => {
  it("parses as Go's time.ParseDuration", () => {
    for (const zero of ['0', '-0', '+0']) expect(ev(`duration('${zero}') == duration('0s')`)).toBe(true);
    for (const bad of ['.s', '1h2', '9223372036854775808ns', '']) {
      expect(() => ev(`duration('${bad}')`)).toThrow(/type conversion error/);
    }
    expect(ev("duration('1.s') == duration('1s')")).toBe(true);
    expect(ev("duration('-9223372036854775808ns') == duration('-2562047h47m16.854775808s')")).toBe(true);
    expect(ev("duration('1μs') == duration('1µs')")).toBe(true);
  });

  it('reads units as Go does (milliseconds truncated toward zero)', () => {
    expect(ev("duration('-2562047h47m16.854775808s').getMilliseconds()")).toBe(-9223372036854n);
    expect(ev("duration('-1.5s').getSeconds()")).toBe(-1n);
  });
});

describe('string ordering', () => {
  // cel-go compares strings as Go does, by UTF-8 bytes = code points; UTF-16 code units would
  // put astral characters (surrogate pairs) before U+E000..U+FFFF.
  it('orders by code point, also against the private-use and fullwidth ranges', () => {
    expect(ev('"😀" > "ｚ"')).toBe(true);
    expect(ev('"😀" >= "\uffff"')).toBe(true);
    expect(ev('"ｚ" < "😀"')).toBe(true);
    expect(ev('"ｚ" <= "😀"')).toBe(true);
    expect(ev('"a😀" < "aｚ"')).toBe(false);
    expect(ev('"ab" < "abc"')).toBe(true);
    expect(ev('"" < "a"')).toBe(true);
    expect(ev('"é" > "z"')).toBe(true);
  });

  it('sorts, and takes min and max, in the same order', () => {
    expect(ev('["😀", "ｚ", "a"].sort()')).toEqual(['a', 'ｚ', '😀']);
    expect(ev('["😀", "ｚ"].max()')).toBe('😀');
    expect(ev('["😀", "ｚ"].min()')).toBe('ｚ');
    expect(ev('["😀", "ｚ"].sortBy(s, s)')).toEqual(['ｚ', '😀']);
    expect(ev('["ｚ", "😀"].isSorted()')).toBe(true);
    expect(ev('json.marshal({"😀": 1, "ｚ": 2})')).toBe('{"ｚ":2,"😀":1}');
  });
});

describe('found by differential fuzzing against kro', () => {
  it('words a uint modulus by zero as cel-go does', () => {
    expect(() => ev('2u % 0u')).toThrow(/modulus by zero/);
    expect(String(ev('18446744073709551615u % 10u'))).toBe('5');
  });

  it('reads an empty time zone name as UTC (Go LoadLocation(""))', () => {
    expect(ev('timestamp("2023-06-15T10:00:00+05:30").getHours("")')).toBe(4n);
    expect(ev('timestamp("2023-06-15T10:00:00+05:30").getHours("")')).toBe(
      ev('timestamp("2023-06-15T10:00:00+05:30").getHours()'),
    );
  });
});

describe('string to number conversions parse as Go strconv does', () => {
  it('rejects empty strings and base prefixes the library let through', () => {
    for (const e of [
      'int("")',
      'uint("")',
      'int("0b1")',
      'int("0x10")',
      'uint("+5")',
      'double("0x10")',
      'double("")',
    ]) {
      expect(() => ev(e), e).toThrow(/type conversion error/);
    }
    expect(ev('int("+5")')).toBe(5n);
    expect(String(ev('uint("18446744073709551615")'))).toBe('18446744073709551615');
    expect(ev('double("0x1p-2")')).toBe(0.25);
    expect(ev('double("-inf")')).toBe(Number.NEGATIVE_INFINITY);
    expect(() => ev('uint(-1)')).toThrow(/unsigned integer overflow/);
  });
});

// kro's results (checked against the oracle of test/fuzz/cel): cel-go scales the whole seconds
// apart to nanoseconds with an overflow check before adding the nanoseconds.
describe('timestamp - timestamp overflows as cel-go subtractTimeChecked', () => {
  const epoch = 'timestamp("1970-01-01T00:00:00Z")';
  it('a difference of exactly the int64 minimum overflows', () => {
    expect(() =>
      ev(`${epoch} - duration("1ns") - (${epoch} + duration("2562047h47m16.854775807s"))`),
    ).toThrow(/overflow/);
  });
  it('ordinary differences borrow across the second', () => {
    expect(String(ev('timestamp("2000-01-01T00:00:00.3Z") - timestamp("1999-01-01T00:00:00.7Z")'))).toBe(
      String(ev('duration("31535999.6s")')),
    );
    expect(String(ev(`${epoch} - timestamp("1970-01-01T00:00:01.5Z")`))).toBe(
      String(ev('duration("-1.5s")')),
    );
  });
});
