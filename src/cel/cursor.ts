// What sits at a position inside a CEL expression's text, read lexically: an editor asks while
// the text is being typed and often does not parse (`schema.spec.` has no field yet), so the
// select chain around the position is read from the characters, not from an AST. Offsets are
// string indexes into the expression text.

/** A select chain such as `deployment.spec.template` or `items[0].name`. */
export interface Chain {
  /** The root identifier. */
  readonly root: string;
  /** Segments after the root: field names, `[]` (INDEX in fields.ts) for an index. */
  readonly path: readonly string[];
  /** Offsets of the root and of each segment (start, end); an index's span covers its brackets. */
  readonly spans: readonly (readonly [number, number])[];
  /** Whether the chain is called: `name(` or `x.name(`. */
  readonly called: boolean;
}

export interface ChainAt extends Chain {
  /** Which span (0 = root) the position is in. */
  readonly at: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

/** Offsets inside double- or single-quoted CEL strings are not code. */
export function inStringLiteral(text: string, offset: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}

function identEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && IDENT.test(text[j] as string)) j++;
  return j;
}

function identStart(text: string, i: number): number {
  let j = i;
  while (j > 0 && IDENT.test(text[j - 1] as string)) j--;
  return j;
}

/** The offset of the `[` matching the `]` just before `end`, or -1. */
function openBracket(text: string, end: number): number {
  let depth = 0;
  for (let i = end - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ']') depth++;
    else if (c === '[' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The chain that ends at `end` (just after its last segment), read backwards: identifiers
 * joined by `.`, `.?` and `[...]`. Undefined when no identifier ends there.
 */
function chainEndingAt(text: string, end: number): Chain | undefined {
  const spans: [number, number][] = [];
  const names: string[] = [];
  let i = end;
  for (;;) {
    if (text[i - 1] === ']') {
      const open = openBracket(text, i);
      if (open < 0) return undefined;
      spans.push([open, i]);
      names.push('[]');
      i = open;
      continue;
    }
    const start = identStart(text, i);
    if (start === i || !IDENT_START.test(text[start] as string)) return undefined;
    spans.push([start, i]);
    names.push(text.slice(start, i));
    i = start;
    if (text[i - 1] === '?' && text[i - 2] === '.') i -= 2;
    else if (text[i - 1] === '.') i -= 1;
    else if (text[i - 1] === ']') continue;
    else break;
    // A number before a dot (`1.5`) is no chain.
    if (i === 0 || !(IDENT.test(text[i - 1] as string) || text[i - 1] === ']')) return undefined;
  }
  names.reverse();
  spans.reverse();
  if (names[0] === '[]' || /^[0-9]/.test(names[0] as string)) return undefined;
  let after = end;
  while (text[after] === ' ') after++;
  return { root: names[0] as string, path: names.slice(1), spans, called: text[after] === '(' };
}

/** The chain a position touches (on or just after one of its identifiers), up to that identifier's end. */
export function chainAt(text: string, offset: number): ChainAt | undefined {
  if (inStringLiteral(text, offset)) return undefined;
  let end = identEnd(text, offset);
  if (end === offset && identStart(text, offset) === offset) return undefined;
  if (end === offset) end = offset;
  const chain = chainEndingAt(text, end);
  if (!chain) return undefined;
  return { ...chain, at: chain.spans.length - 1 };
}

/** What is being typed at `offset`: the chain before the last `.` (if any) and the partial name after it. */
export interface Typing {
  /** The chain the new segment selects from; undefined at the start of an operand. */
  readonly base?: Chain;
  /** The identifier typed so far, and where it starts. */
  readonly partial: string;
  readonly partialStart: number;
}

export function typingAt(text: string, offset: number): Typing | undefined {
  if (inStringLiteral(text, offset)) return undefined;
  const partialStart = identStart(text, offset);
  const partial = text.slice(partialStart, offset);
  if (partial !== '' && !IDENT_START.test(partial[0] as string)) return undefined;
  let dot = partialStart;
  if (text[dot - 1] === '?' && text[dot - 2] === '.') dot -= 1;
  if (text[dot - 1] !== '.') return { partial, partialStart };
  const base = chainEndingAt(text, dot - 1);
  // After a dot that follows no chain (a call's result, a literal): nothing to offer.
  return base ? { base, partial, partialStart } : undefined;
}
