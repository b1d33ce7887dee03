// Aggregate literals as cel-go builds them:
// - optional elements and entries, `[a, ?b]` and `{?'k': v}` (cel.OptionalTypes): an element or
//   entry whose optional value is empty is left out;
// - maps whose keys are not all strings (`{1: 'a', true: 'b'}`) become Map values with their
//   typed keys (the library turned every key into a string property), keys must be int, uint,
//   bool or string, and a repeated key is an error (cel-go: "Failed with repeated key").
//
// The library's parser has no hook for the `?` prefix, so its parser prototype is extended once:
// a leading `?` is consumed and remembered for the expression that follows, and list and map
// literals that need the semantics above get a macro (the library's per-node evaluation hook).
// Only parsers of kro-gen environments are affected; the library's own environments keep their
// behaviour, and a `?` in any other position is still a parse error.
import { type ASTNode, type Environment, Optional, ParseError } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { checkerOf, internalsOf, isKroRegistry } from '../registration.js';
import { celEquals, celKind, celTypeName, makeCelMap } from '../values.js';
import type { CelType, Checker, Evaluator, Scope } from './comprehensions.js';

interface PatchableParser {
  type: number | null;
  pos: number | null;
  input: string | null;
  readonly registry: object;
  readonly lexer: { reset(input: string): string; nextToken(): { tokenType: number } };
  consume(tokenType: number): number;
  parse(input: string): ASTNode;
  parseExpression(): ASTNode;
  parseList(): ASTNode;
  parseMap(): ASTNode;
}

interface NodeWithMeta {
  setMeta(key: string, value: unknown): NodeWithMeta;
}

// The `?` positions of optional elements/entries parsed in the current `parse` call.
const optionalMarks = new WeakMap<ASTNode, number>();
let pendingMarks: ASTNode[] | undefined;

let installed = false;

function install(parser: PatchableParser): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(parser) as PatchableParser;
  parser.lexer.reset('?');
  const QUESTION = parser.lexer.nextToken().tokenType;
  const origParse = proto.parse;
  const origExpression = proto.parseExpression;
  const origList = proto.parseList;
  const origMap = proto.parseMap;

  proto.parse = function (this: PatchableParser, input: string): ASTNode {
    const outer = pendingMarks;
    pendingMarks = undefined;
    try {
      const ast = origParse.call(this, input);
      const stray = pendingMarks?.[0];
      if (stray) {
        const pos = optionalMarks.get(stray) as number;
        throw new ParseError({
          code: 'unexpected_token',
          message:
            "Unexpected token: '?' (optional markers are only allowed on list elements and map entries)",
          node: { pos, start: pos, end: pos + 1, input },
        });
      }
      return ast;
    } finally {
      pendingMarks = outer;
    }
  };

  proto.parseExpression = function (this: PatchableParser): ASTNode {
    if (this.type !== QUESTION || !isKroRegistry(this.registry)) return origExpression.call(this);
    const pos = this.pos as number;
    this.consume(QUESTION);
    const node = origExpression.call(this);
    optionalMarks.set(node, pos);
    pendingMarks ??= [];
    pendingMarks.push(node);
    return node;
  };

  proto.parseList = function (this: PatchableParser): ASTNode {
    const node = origList.call(this);
    if (!pendingMarks?.length) return node;
    const elements = node.args as ASTNode[];
    const optional = elements.map((e) => claimMark(e));
    if (optional.some(Boolean)) attachListMacro(node, optional);
    return node;
  };

  proto.parseMap = function (this: PatchableParser): ASTNode {
    const node = origMap.call(this);
    const entries = node.args as [ASTNode, ASTNode][];
    const optional = pendingMarks?.length ? entries.map(([k]) => claimMark(k)) : entries.map(() => false);
    if (optional.some(Boolean) || (needsTypedMap(entries) && isKroRegistry(this.registry))) {
      attachMapMacro(node, optional);
    }
    return node;
  };
}

/** Whether `node` is an optional element, or the key of an optional entry, of a literal (`[?x]`, `{?k: v}`). */
export function isOptionalMarked(node: ASTNode): boolean {
  return optionalMarks.has(node);
}

function claimMark(node: ASTNode): boolean {
  if (!pendingMarks || !optionalMarks.has(node)) return false;
  const i = pendingMarks.indexOf(node);
  if (i < 0) return false;
  pendingMarks.splice(i, 1);
  return true;
}

function isStringLiteral(node: ASTNode): boolean {
  return node.op === 'value' && typeof node.args === 'string';
}

// String-literal keys without repeats are what the library handles itself.
function needsTypedMap(entries: readonly [ASTNode, ASTNode][]): boolean {
  const seen = new Set<string>();
  for (const [k] of entries) {
    if (!isStringLiteral(k)) return true;
    const key = k.args as string;
    // The library builds string-keyed literals as plain objects, where `__proto__` is no data.
    if (seen.has(key) || key === '__proto__') return true;
    seen.add(key);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Checking and evaluating the literals
// ---------------------------------------------------------------------------------------------

function optionalValueType(checker: Checker, t: CelType, node: ASTNode): CelType {
  if (t.kind === 'optional') return t.valueType ?? checker.dynType;
  if (t.kind === 'dyn') return checker.dynType;
  throw checker.createError(
    'optional_expected',
    `optional element or entry must be optional, got '${checker.formatType(t)}'`,
    node,
  );
}

function unifyAll(checker: Checker, types: readonly CelType[]): CelType {
  let out: CelType | undefined;
  for (const t of types) {
    const c = t.kind === 'param' ? checker.dynType : t;
    // The later element first: cel-go's literal join keeps it where neither is less specific
    // (`[obj, null]` is a list(null)), which only null-assignability.ts's joins tell apart.
    out = out ? (c.unify(checker.registry, out) ?? checker.dynType) : c;
  }
  return out ?? checker.dynType;
}

function attachListMacro(node: ASTNode, optional: readonly boolean[]): void {
  const elements = node.args as ASTNode[];
  (node as unknown as NodeWithMeta).setMeta('async', false).setMeta('macro', {
    async: false,
    typeCheck(checker: Checker, _m: unknown, scope: Scope): CelType {
      const types = elements.map((e, i) => {
        const t = checker.check(e, scope);
        return optional[i] ? optionalValueType(checker, t, e) : t;
      });
      return checker.registry.getListType(unifyAll(checker, types));
    },
    evaluate(ev: Evaluator, _m: unknown, scope: Scope): unknown {
      const out: unknown[] = [];
      for (let i = 0; i < elements.length; i++) {
        const v = ev.run(elements[i] as ASTNode, scope);
        if (!optional[i]) out.push(v);
        else if (!(v instanceof Optional)) throw notOptional(ev, v, elements[i] as ASTNode);
        else if (v.hasValue()) out.push(v.value());
      }
      return out;
    },
  });
}

function notOptional(ev: Evaluator, v: unknown, node: ASTNode): Error {
  return ev.createError(
    'optional_expected',
    `optional element or entry must be optional, got '${celTypeName(v)}'`,
    node,
  );
}

const KEY_KINDS = new Set(['int', 'uint', 'bool', 'string']);

function checkKeyType(checker: Checker, t: CelType, node: ASTNode): void {
  if (t.kind === 'dyn' || t.kind === 'param' || KEY_KINDS.has(t.name)) return;
  throw checker.createError(
    'unsupported_map_key_type',
    `unsupported map key type: '${checker.formatType(t)}'`,
    node,
  );
}

function attachMapMacro(node: ASTNode, optional: readonly boolean[]): void {
  const entries = node.args as [ASTNode, ASTNode][];
  (node as unknown as NodeWithMeta).setMeta('async', false).setMeta('macro', {
    async: false,
    typeCheck(checker: Checker, _m: unknown, scope: Scope): CelType {
      const keys: CelType[] = [];
      const values: CelType[] = [];
      entries.forEach(([k, v], i) => {
        const kt = checker.check(k, scope);
        checkKeyType(checker, kt, k);
        keys.push(kt);
        const vt = checker.check(v, scope);
        values.push(optional[i] ? optionalValueType(checker, vt, v) : vt);
      });
      return checker.registry.getMapType(unifyAll(checker, keys), unifyAll(checker, values));
    },
    evaluate(ev: Evaluator, _m: unknown, scope: Scope): unknown {
      const out = new Map<unknown, unknown>();
      for (let i = 0; i < entries.length; i++) {
        const [kn, vn] = entries[i] as [ASTNode, ASTNode];
        const k = ev.run(kn, scope);
        if (!KEY_KINDS.has(celKind(k))) {
          throw ev.createError('unsupported_map_key_type', `unsupported map key type: ${celTypeName(k)}`, kn);
        }
        for (const existing of out.keys()) {
          if (celEquals(existing, k)) throw ev.createError('repeated_key', `Failed with repeated key`, kn);
        }
        let v = ev.run(vn, scope);
        if (optional[i]) {
          if (!(v instanceof Optional)) throw notOptional(ev, v, vn);
          if (!v.hasValue()) continue;
          v = v.value();
        }
        out.set(k, v);
      }
      return makeCelMap(out);
    },
  });
}

// The empty literals `[]` and `{}` (and `optional.none()`) have element types that are still
// type parameters; cel-go treats an unresolved parameter as dyn when it is selected or indexed,
// the library's checker rejected it ("Cannot index type").
interface PatchableChecker {
  readonly registry: object;
  readonly dynType: CelType;
  checkAccessOnType(node: ASTNode, scope: unknown, leftType: CelType, allowMissing?: boolean): CelType;
}

let checkerPatched = false;

function patchChecker(env: Environment): void {
  if (checkerPatched) return;
  const proto = Object.getPrototypeOf(checkerOf(env)) as PatchableChecker;
  checkerPatched = true;
  const original = proto.checkAccessOnType;
  proto.checkAccessOnType = function (this: PatchableChecker, node, scope, leftType, allowMissing) {
    if (leftType.kind === 'param' && isKroRegistry(this.registry)) return this.dynType;
    return original.call(this, node, scope, leftType, allowMissing);
  };
}

function registerLiterals(env: Environment): void {
  install(internalsOf(env).parser as unknown as PatchableParser);
  patchChecker(env);
}

export const literalsLibrary: CelLibrary = {
  name: 'cel-go aggregate literals (optional elements/entries, typed map keys)',
  register: registerLiterals,
};
