// How deeply a CEL expression nests, measured on its tokens before any parser sees it.
//
// Every stage after parsing (reference walker, type checker, evaluator, codegen) walks the AST
// recursively, and the library's parser recurses on unary operators. cel-go bounds this in its
// parser (parser.MaxRecursionDepth, default 250, and the 100,000 code point size limit); kro uses
// the defaults, so an expression nesting deeper than that never reaches kro's cluster. We measure
// the same shape up front, so no later walk can overflow the JavaScript stack:
//
// - each bracket level `(`, `[`, `{` (calls, lists, maps, parentheses, indexes) is one level;
// - inside one level, left-associative chains add one level per operator: `a + b + c` is two
//   deeper than `a`, as are `a.b.c` and `x ? y : z ? v : w`; a lower-precedence operator wraps
//   the chains of higher precedence (`a*b + c*d` is two levels, not three);
// - `&&` and `||` chains count as cel-go builds them, balanced (log2 of their length), but the
//   library builds them left-deep, so their length also counts toward MAX_AST_DEPTH;
// - a run of `!` is folded as cel-go folds it (`!!x` is `x`): pairs become spaces, so positions
//   stay where they were. A run of unary `-` counts one level per `-`.
//
// The measure follows cel-go's at the common shapes (a chain of 250 `+` terms passes, 260 fail;
// 250 nested parentheses fail, 240 pass) without replaying its grammar rule by rule.

/** cel-go's parser.MaxRecursionDepth default. */
export const MAX_EXPRESSION_NESTING = 250;
/** cel-go's parser.ExpressionSizeCodePointLimit default. */
export const MAX_EXPRESSION_CODE_POINTS = 100_000;
/** The deepest tree the library may build (left-deep `&&`/`||` chains included). */
export const MAX_AST_DEPTH = 1_000;

export interface NestingProblem {
  readonly message: string;
  /** UTF-16 offset of the token that went too deep. */
  readonly offset: number;
}

/** The error thrown by KroEnvironment.parse for such expressions; shaped like a library ParseError. */
export class ExpressionLimitError extends Error {
  override readonly name = 'ParseError';
  readonly code = 'expression_limit';
  readonly summary: string;
  readonly range: { readonly start: number; readonly end: number };
  constructor(problem: NestingProblem) {
    super(problem.message);
    this.summary = problem.message;
    this.range = { start: problem.offset, end: problem.offset + 1 };
  }
}

interface Level {
  /** Opened by a call or index on an operand: closing it extends the operand's member chain. */
  postfix: boolean;
  ternary: number;
  or: number;
  and: number;
  relation: number;
  add: number;
  mul: number;
  member: number;
  unary: number;
}

const fresh = (postfix = false): Level => ({
  postfix,
  ternary: 0,
  or: 0,
  and: 0,
  relation: 0,
  add: 0,
  mul: 0,
  member: 0,
  unary: 0,
});

const log2ceil = (n: number): number => (n === 0 ? 0 : Math.ceil(Math.log2(n + 1)));

function depthOf(l: Level): number {
  return 1 + l.ternary + log2ceil(l.or) + log2ceil(l.and) + l.relation + l.add + l.mul + l.member + l.unary;
}

function treeDepthOf(l: Level): number {
  return depthOf(l) - log2ceil(l.or) - log2ceil(l.and) + l.or + l.and;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/**
 * Checks `source` against the limits above. Returns the text to parse (runs of `!` folded) or the
 * first limit it passes.
 */
export function guardExpression(source: string): { text: string } | { problem: NestingProblem } {
  // Every token below adds at most one level to either measure, and the outermost level starts at
  // one, so a text shorter than the nesting limit cannot pass either limit; without a `!` there is
  // nothing to fold. Most expressions (`schema.spec.name`) are such texts, and each distinct
  // text used to be tokenised here once per process.
  if (source.length < MAX_EXPRESSION_NESTING && !source.includes('!')) return { text: source };
  // Counting code points only when the code units could be too many (a string iterator per
  // expression was a visible share of a cold run).
  let codePoints = 0;
  if (source.length > MAX_EXPRESSION_CODE_POINTS)
    for (const _ of source) if (++codePoints > MAX_EXPRESSION_CODE_POINTS) break;
  if (codePoints > MAX_EXPRESSION_CODE_POINTS) {
    return {
      problem: {
        message: `expression is longer than ${MAX_EXPRESSION_CODE_POINTS} code points (cel-go's size limit)`,
        offset: 0,
      },
    };
  }
  const stack: Level[] = [fresh()];
  // Depth of the levels below the innermost one, kept so each step costs O(1).
  let outer = 0;
  let outerTree = 0;
  // Whether the previous token ends an operand (so `-` is binary and `.` selects).
  let afterOperand = false;
  let folded: string[] | undefined;
  const n = source.length;
  let i = 0;

  const top = (): Level => stack[stack.length - 1] as Level;
  const check = (at: number): NestingProblem | undefined => {
    const l = top();
    if (outer + depthOf(l) > MAX_EXPRESSION_NESTING) {
      return {
        message: `expression nests more than ${MAX_EXPRESSION_NESTING} levels deep (cel-go's parser recursion limit)`,
        offset: at,
      };
    }
    if (outerTree + treeDepthOf(l) > MAX_AST_DEPTH) {
      return { message: `expression nests more than ${MAX_AST_DEPTH} operators deep`, offset: at };
    }
    return undefined;
  };
  // A binary operator of precedence `rank` (0 ternary, 1 ||, 2 &&, 3 relation, 4 add, 5 mul).
  const binary = (rank: number, at: number): NestingProblem | undefined => {
    const l = top();
    if (rank === 0) l.ternary++;
    else if (rank === 1) l.or++;
    else if (rank === 2) l.and++;
    else if (rank === 3) l.relation++;
    else if (rank === 4) l.add++;
    else l.mul++;
    if (rank < 1) l.or = 0;
    if (rank < 2) l.and = 0;
    if (rank < 3) l.relation = 0;
    if (rank < 4) l.add = 0;
    if (rank < 5) l.mul = 0;
    l.member = 0;
    l.unary = 0;
    afterOperand = false;
    return check(at);
  };

  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    // String and bytes literals, with r/b prefixes and triple quotes.
    const quoteAt = stringStart(source, i);
    if (quoteAt >= 0) {
      i = skipString(source, i, quoteAt);
      afterOperand = true;
      top().unary = 0;
      continue;
    }
    if (IDENT_START.test(c)) {
      const start = i;
      while (i < n && IDENT_PART.test(source[i] as string)) i++;
      if (source.slice(start, i) === 'in' && afterOperand) {
        const p = binary(3, start);
        if (p) return { problem: p };
        continue;
      }
      afterOperand = true;
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && !afterOperand && next !== undefined && DIGIT.test(next))) {
      i = skipNumber(source, i);
      afterOperand = true;
      continue;
    }
    const at = i;
    const two = source.slice(i, i + 2);
    let problem: NestingProblem | undefined;
    if (two === '&&' || two === '||') {
      problem = binary(two === '||' ? 1 : 2, at);
      i += 2;
    } else if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      problem = binary(3, at);
      i += 2;
    } else if (c === '<' || c === '>') {
      problem = binary(3, at);
      i++;
    } else if (c === '+' || (c === '-' && afterOperand)) {
      problem = binary(4, at);
      i++;
    } else if (c === '*' || c === '/' || c === '%') {
      problem = binary(5, at);
      i++;
    } else if (c === '?' && !(next === '.' || next === '[')) {
      problem = binary(0, at);
      i++;
    } else if (c === ':') {
      // The else branch of a ternary, or a map value: both start a fresh operand at this level.
      const l = top();
      l.or = l.and = l.relation = l.add = l.mul = l.member = l.unary = 0;
      afterOperand = false;
      i++;
    } else if (c === '!') {
      let j = i;
      const bangs: number[] = [];
      while (j < n) {
        const d = source[j];
        if (d === '!' && source[j + 1] !== '=') bangs.push(j);
        else if (d !== ' ' && d !== '\t' && d !== '\n' && d !== '\r') break;
        j++;
      }
      if (bangs.length === 0) {
        // A stray `!=` without a left operand: let the parser report it.
        i++;
        continue;
      }
      const pairs = bangs.length - (bangs.length % 2);
      if (pairs > 0) {
        // UTF-16 units: `!` is one unit, so replacing it keeps every other offset.
        folded ??= source.split('');
        for (const b of bangs.slice(0, pairs)) folded[b] = ' ';
      }
      if (bangs.length % 2 === 1) {
        top().unary++;
        problem = check(bangs[bangs.length - 1] as number);
      }
      i = (bangs[bangs.length - 1] as number) + 1;
      afterOperand = false;
    } else if (c === '-') {
      top().unary++;
      problem = check(at);
      i++;
    } else if (c === '.' || (c === '?' && next === '.')) {
      top().member++;
      problem = check(at);
      i += c === '?' ? 2 : 1;
      afterOperand = false;
    } else if (c === '(' || c === '[' || c === '{' || (c === '?' && next === '[')) {
      const l = top();
      outer += depthOf(l);
      outerTree += treeDepthOf(l);
      stack.push(fresh(afterOperand));
      problem = check(at);
      i += c === '?' ? 2 : 1;
      afterOperand = false;
    } else if (c === ')' || c === ']' || c === '}') {
      if (stack.length > 1) {
        const closed = stack.pop() as Level;
        outer -= depthOf(top());
        outerTree -= treeDepthOf(top());
        // A call or index applied to an operand extends its member chain: `a[0][0]`, `f().g()`.
        if (closed.postfix) {
          top().member++;
          problem = check(at);
        }
      }
      afterOperand = true;
      i++;
    } else if (c === ',') {
      const l = top();
      Object.assign(l, fresh(l.postfix));
      afterOperand = false;
      i++;
    } else {
      // Anything else is a syntax error the parser reports with its own message.
      afterOperand = false;
      i++;
    }
    if (problem) return { problem };
  }
  return { text: folded === undefined ? source : folded.join('') };
}

// The offset of the opening quote when a string or bytes literal starts at `i`, else -1.
function stringStart(s: string, i: number): number {
  let j = i;
  while (j < s.length && j - i < 2 && /[rRbB]/.test(s[j] as string)) j++;
  if (s[j] === '"' || s[j] === "'") {
    // A prefix must be only r/b letters that are not part of a longer identifier.
    if (j > i && i > 0 && IDENT_PART.test(s[i - 1] as string)) return -1;
    return j;
  }
  return -1;
}

function skipString(s: string, start: number, quoteAt: number): number {
  const raw = /[rR]/.test(s.slice(start, quoteAt));
  const q = s[quoteAt] as string;
  const triple = s.slice(quoteAt, quoteAt + 3) === q.repeat(3);
  const close = triple ? q.repeat(3) : q;
  let i = quoteAt + close.length;
  while (i < s.length) {
    if (!raw && s[i] === '\\') {
      i += 2;
      continue;
    }
    if (s.startsWith(close, i)) return i + close.length;
    if (!triple && s[i] === '\n') return i;
    i++;
  }
  return i;
}

function skipNumber(s: string, i: number): number {
  let j = i;
  if (s[j] === '0' && (s[j + 1] === 'x' || s[j + 1] === 'X')) {
    j += 2;
    while (j < s.length && /[0-9a-fA-F]/.test(s[j] as string)) j++;
  } else {
    while (j < s.length && DIGIT.test(s[j] as string)) j++;
    if (s[j] === '.' && DIGIT.test(s[j + 1] ?? '')) {
      j++;
      while (j < s.length && DIGIT.test(s[j] as string)) j++;
    }
    if (s[j] === 'e' || s[j] === 'E') {
      let k = j + 1;
      if (s[k] === '+' || s[k] === '-') k++;
      if (DIGIT.test(s[k] ?? '')) {
        j = k;
        while (j < s.length && DIGIT.test(s[j] as string)) j++;
      }
    }
  }
  if (s[j] === 'u' || s[j] === 'U') j++;
  return j;
}
