// Plain select chains (`schema.spec.name`): an identifier followed by field selections, nothing
// else. Most of kro's expressions are one, and the same texts come back in every RGD, so the type
// checker (TypeEnv) and reference finding answer them from the text, without the library's parser.
// A chain is taken only where the parser certainly reads it as written: no word it reserves or
// reads as a literal or operator, and shorter than anything the expression limits refuse.
import { boundedMemo } from '../bounded-memo.js';
import { CEL_RESERVED_WORDS } from '../rgd/names.js';
import { MAX_EXPRESSION_NESTING } from './nesting.js';

// An identifier followed by field selections (no spaces, calls, indexes or `.?`).
const SELECT_CHAIN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Field names left to the library: the words its lexer reads as literals or an operator, and the
 * two names its parser treats apart.
 */
export const NOT_FIELD_NAMES: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  '__proto__',
  'prototype',
]);

/** Words no variable name can be: CEL's reserved words and the names above. */
export const RESERVED_IDENTIFIERS: ReadonlySet<string> = new Set([...CEL_RESERVED_WORDS, ...NOT_FIELD_NAMES]);

/**
 * `source` split at its dots if it is a plain select chain the parser reads as written (root
 * first), else undefined. The same array for the same text: callers only read it.
 */
export function plainSelectChain(source: string): readonly string[] | undefined {
  return chainOnce(source);
}

// Once per text and process: the type checker asks for every expression of every environment,
// and the same texts recur across RGDs.
const chainOnce = boundedMemo(20_000, chainParts);

function chainParts(source: string): readonly string[] | undefined {
  // Shorter than any text the expression limits (nesting.ts) can refuse.
  if (source.length >= MAX_EXPRESSION_NESTING || !SELECT_CHAIN.test(source)) return undefined;
  const parts = source.split('.');
  if (RESERVED_IDENTIFIERS.has(parts[0] as string)) return undefined;
  // Indexed: this runs for most expressions, in code V8 has not optimized.
  for (let i = 1; i < parts.length; i++) if (NOT_FIELD_NAMES.has(parts[i] as string)) return undefined;
  return Object.freeze(parts);
}
