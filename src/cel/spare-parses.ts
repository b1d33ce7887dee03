// One parse per expression text where the library would have us parse it twice.
//
// The graph builder reads each expression before any types exist (what it reads: the DAG's edges,
// src/graph/inspector.ts) and type-checks it afterwards in an environment declaring those types.
// The library checks only a tree its own environment parsed (`parse()` binds the checker to the
// tree) and writes what the check finds onto the tree's nodes, so one tree cannot serve both, and
// every expression used to be parsed twice (about a tenth of a cold `kro-gen validate`).
//
// Whoever parsed a tree and no longer holds it may leave it here as a spare. The next parse of the
// same text by a parser that parses exactly alike takes the spare instead of parsing: the parsers'
// prototype (shared by every environment) is taught once to look here first. Two parsers parse
// alike when their registries share one function index (the parser reads the registry only for
// macros, which are functions, and for optional syntax) and their limits are the same: every
// environment cloned from one base that registered no function of its own. A spare is taken once,
// so no two callers ever hold one tree.
import type { ASTNode } from '@marcbachmann/cel-js';
import { functionIndexToken, type InternalParser } from './registration.js';

interface Spare {
  readonly ast: ASTNode;
  readonly index: object;
  readonly optional: boolean;
  readonly limits: unknown;
}

// A long-lived process may leave spares nobody takes (an expression checked in an environment
// with more functions, a build stopped early): past this many the spares start over.
const SPARE_LIMIT = 20_000;
const spares = new Map<string, Spare>();

interface Parser extends InternalParser {
  readonly limits: unknown;
  parse(text: string): ASTNode;
}

/** Leaves `ast`, parsed by `parser` from exactly `text`, for the next parse of `text` alike. */
export function leaveSpare(parser: InternalParser, text: string, ast: ASTNode): void {
  const p = parser as Parser;
  if (spares.size >= SPARE_LIMIT) spares.clear();
  spares.set(text, {
    ast,
    index: functionIndexToken(p.registry),
    optional: p.registry.enableOptionalTypes,
    limits: p.limits,
  });
}

const taught = new WeakSet<object>();

/** Teaches the library's parsers (all share `parser`'s prototype) to take spares; idempotent. */
export function takeSpareParses(parser: InternalParser): void {
  const proto = Object.getPrototypeOf(parser) as Parser;
  if (taught.has(proto)) return;
  taught.add(proto);
  const parse = proto.parse;
  proto.parse = function (this: Parser, text: string): ASTNode {
    const spare = spares.size > 0 ? spares.get(text) : undefined;
    if (
      spare !== undefined &&
      spare.index === functionIndexToken(this.registry) &&
      spare.optional === this.registry.enableOptionalTypes &&
      spare.limits === this.limits
    ) {
      spares.delete(text);
      return spare.ast;
    }
    return parse.call(this, text);
  };
}
