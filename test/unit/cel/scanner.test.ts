// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import { goQuote, isGoPrint } from '../../../src/cel/goquote.js';
import {
  buildStringTemplate,
  extractExpressions,
  isStandaloneExpression,
  NESTED_EXPRESSION_MESSAGE,
  NOT_STANDALONE_MESSAGE,
  unwrapExpression,
  unwrapExpressions,
} from '../../../src/cel/scanner.js';

function matches(str: string): { expr: string; start: number; end: number }[] {
  const r = extractExpressions(str);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.map(({ expr, start, end }) => ({ expr, start, end }));
}

describe('extractExpressions edge cases from kro cel.go', () => {
  it('does not track single quotes: a } inside them closes the expression', () => {
    expect(matches("${'}'}")).toEqual([{ expr: "'", start: 0, end: 4 }]);
    expect(isStandaloneExpression("${'}'}")).toEqual({ ok: true, value: false });
  });

  it('yields the literal ${VAR} through a quoted CEL string', () => {
    expect(matches('${"${VAR}"}')).toEqual([{ expr: '"${VAR}"', start: 0, end: 11 }]);
    expect(isStandaloneExpression('${"${VAR}"}')).toEqual({ ok: true, value: true });
  });

  it('allows a nested ${ right after a closing quote (kro checks only the previous byte)', () => {
    expect(matches('${a + "b"${c}}')).toEqual([{ expr: 'a + "b"${c}', start: 0, end: 14 }]);
  });

  it('honours backslash escapes only inside double-quoted strings', () => {
    expect(matches('${"a\\"}"}')).toEqual([{ expr: '"a\\"}"', start: 0, end: 9 }]);
    // Outside a string a backslash is an ordinary character, so the first } closes.
    expect(matches('${a\\}b}')).toEqual([{ expr: 'a\\', start: 0, end: 5 }]);
  });

  it('treats an unterminated ${ as text and resumes right after its $', () => {
    // The first ${ swallows the rest inside its open string and never closes; the ${ inside
    // that string is then found on its own.
    expect(matches('${"${x}')).toEqual([{ expr: 'x', start: 3, end: 7 }]);
    expect(matches('$${x}')).toEqual([{ expr: 'x', start: 1, end: 5 }]);
    expect(matches('}{${x}')).toEqual([{ expr: 'x', start: 2, end: 6 }]);
  });

  it('ends an expression without quotes or braces at its first }, whatever follows it', () => {
    expect(matches('${a.b}-"x"-{y}-${c}')).toEqual([
      { expr: 'a.b', start: 0, end: 6 },
      { expr: 'c', start: 15, end: 19 },
    ]);
    expect(matches('${}${ $x }')).toEqual([
      { expr: '', start: 0, end: 3 },
      { expr: ' $x ', start: 3, end: 10 },
    ]);
  });

  it('still balances braces and strings that come before the first }', () => {
    expect(matches('${ {"k": 1}["k"] }!')).toEqual([{ expr: ' {"k": 1}["k"] ', start: 0, end: 18 }]);
    expect(matches('${"}" + a}')).toEqual([{ expr: '"}" + a', start: 0, end: 10 }]);
  });

  it('reports the offset of a nested ${', () => {
    const r = extractExpressions('ab ${a ${b}}');
    expect(r).toEqual({
      ok: false,
      error: { code: 'nested-expression', message: NESTED_EXPRESSION_MESSAGE, offset: 7 },
    });
  });

  it('keeps inner offsets for pointing into the CEL text', () => {
    const r = extractExpressions('x-${ a.b }');
    expect(r.ok && r.value[0]).toEqual({ expr: ' a.b ', start: 2, end: 10, innerStart: 4, innerEnd: 9 });
  });

  it('counts offsets in UTF-16 code units', () => {
    expect(matches('é😀${x}')).toEqual([{ expr: 'x', start: 3, end: 7 }]);
  });

  it('accepts the empty expression', () => {
    expect(matches('${}')).toEqual([{ expr: '', start: 0, end: 3 }]);
  });
});

describe('unwrapExpressions', () => {
  it('returns the inner text of each standalone entry', () => {
    expect(unwrapExpressions(['${a}', '${b == "}"}'])).toEqual({ ok: true, value: ['a', 'b == "}"'] });
  });

  it('names the first bad entry', () => {
    expect(unwrapExpressions(['${a}', 'x${b}', '${c}${d}'])).toEqual({
      ok: false,
      error: { code: 'not-standalone', message: NOT_STANDALONE_MESSAGE, offset: 0, index: 1 },
    });
    const nested = unwrapExpressions(['${a}', '${a(${b})}']);
    expect(nested.ok).toBe(false);
    if (!nested.ok) {
      expect(nested.error.code).toBe('nested-expression');
      expect(nested.error.index).toBe(1);
      expect(nested.error.offset).toBe(4);
    }
  });

  it('rejects plain text and the empty string', () => {
    expect(unwrapExpression('plain').ok).toBe(false);
    expect(unwrapExpression('').ok).toBe(false);
  });
});

describe('buildStringTemplate', () => {
  function template(str: string): string {
    const r = extractExpressions(str);
    if (!r.ok) throw new Error(r.error.message);
    return buildStringTemplate(str, r.value);
  }

  it('quotes literal parts like Go, including escapes and non-printable characters', () => {
    expect(template('a\n"b"\t${x}\u00a0é')).toBe('"a\\n\\"b\\"\\t" + (x) + "\\u00a0é"');
    expect(template('$${x}')).toBe('"$" + (x)');
  });

  it('is the quoted literal alone when there is no expression', () => {
    expect(buildStringTemplate('abc', [])).toBe('"abc"');
    expect(buildStringTemplate('', [])).toBe('');
  });
});

describe('goQuote matches Go strconv.Quote', () => {
  // Pairs produced by Go 1.26.8's strconv.Quote (the reference, run outside this project).
  const vectors: [string, string][] = JSON.parse(
    String.raw`[["say \"hi\"\n\t\u00a0\u00e9\u00ad\ud83e\udee9\u007f\u0000\u2603\u2028\\","\"say \\\"hi\\\"\\n\\t\\u00a0\u00e9\\u00ad\\U0001fae9\\x7f\\x00\u2603\\u2028\\\\\""],["","\"\""],["plain","\"plain\""],["-","\"-\""],["a\\b","\"a\\\\b\""],["\u0007\b\f\n\r\t\u000b","\"\\a\\b\\f\\n\\r\\t\\v\""],["\u0001\u001f","\"\\x01\\x1f\""],["\u0085\u00a0\u00a1\u00ff","\"\\u0085\\u00a0\u00a1\u00ff\""],["\u200b\u200e\ufeff","\"\\u200b\\u200e\\ufeff\""],["\u3000","\"\\u3000\""],["\u65e5\u672c\u8a9e","\"\u65e5\u672c\u8a9e\""],["\ud83d\ude00","\"\ud83d\ude00\""],["\udb40\udc01","\"\\U000e0001\""],["\udbff\udfff","\"\\U0010ffff\""],["\ufffd","\"\ufffd\""],["\u0300","\"\u0300\""],["\u2e7f","\"\\u2e7f\""],["\ud83d\udedc","\"\ud83d\udedc\""],["'single'","\"'single'\""],["${'$'}{x}","\"${'$'}{x}\""],["tab\there","\"tab\\there\""]]`,
  );

  it.each(vectors)('quotes %j', (input, quoted) => {
    expect(goQuote(input)).toBe(quoted);
  });

  it('treats a lone surrogate as U+FFFD, as Go sees it after JSON decoding', () => {
    expect(goQuote('a\ud800b')).toBe('"a\ufffdb"');
  });

  it('uses Unicode 15.0 printability, not the JS engine data', () => {
    // U+1FAE9 was assigned in Unicode 16, so Go 1.26 escapes it.
    expect(isGoPrint(0x1fae9)).toBe(false);
    expect(isGoPrint(0x1f6dc)).toBe(true);
    // Every code point Go prints is a letter, mark, number, punctuation or symbol to JS too.
    const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
    let disagreements = 0;
    for (let cp = 0x100; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (isGoPrint(cp) && !printable.test(String.fromCodePoint(cp))) disagreements++;
    }
    expect(disagreements).toBe(0);
  });
});
