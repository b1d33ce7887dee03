// Which variables a CEL expression reads, taken from the parsed AST. kro builds its dependency
// edges from the root identifiers of these references, so macro-bound variables (e.g. `x` in
// `items.map(x, x.name)`) and library namespaces (e.g. `random` in `random.seededString(...)`)
// must not count.
import type { ASTNode } from '@marcbachmann/cel-js';
import { plainSelectChain } from './select-chain.js';

export interface Reference {
  /** The root identifier, e.g. `deployment`. */
  readonly root: string;
  /** The selected fields after the root, e.g. `['status', 'availableReplicas']`; stops at the first index or call. */
  readonly path: readonly string[];
  /** Offsets of the whole reference inside the expression text. */
  readonly start: number;
  readonly end: number;
}

// Macros that bind one loop variable (their first argument).
const ONE_VAR_MACROS = new Set(['map', 'filter', 'sortBy', 'optMap', 'optFlatMap']);
// Macros that bind one variable with two arguments and two variables with three.
const ONE_OR_TWO_VAR_MACROS = new Set(['all', 'exists', 'exists_one', 'existsOne']);
// cel-go's two-variable transforms always bind two.
const TWO_VAR_MACROS = new Set(['transformList', 'transformMap', 'transformMapEntry']);

/** How many loop variables macro `name` binds when called with `argCount` arguments (its first ones). */
export function boundCount(name: string, argCount: number): number {
  if (ONE_VAR_MACROS.has(name)) return argCount >= 2 ? 1 : 0;
  if (ONE_OR_TWO_VAR_MACROS.has(name)) return argCount === 3 ? 2 : argCount === 2 ? 1 : 0;
  if (TWO_VAR_MACROS.has(name)) return argCount >= 3 ? 2 : 0;
  return 0;
}

function identName(node: ASTNode): string | undefined {
  return node.op === 'id' ? node.args : undefined;
}

/**
 * All references in `ast`, in source order. `namespaces` are identifiers that name function
 * namespaces (`optional`, `random`, ...) and are never variables. `namespacedFunctions` lists
 * qualified function names (`optional.of`): as in kro, the target of such a call is the namespace,
 * not a reference, even when a variable (a resource id) has the namespace's name.
 */
export function findReferences(
  ast: ASTNode,
  namespaces: ReadonlySet<string>,
  namespacedFunctions: ReadonlySet<string> = NONE,
): Reference[] {
  const out: Reference[] = [];
  walk(ast, NONE, { names: namespaces, functions: namespacedFunctions }, out);
  // Most expressions are one select chain (`schema.spec.name`): one reference, nothing to order.
  if (out.length > 1) out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

const NO_REFERENCES: readonly Reference[] = Object.freeze([]);

/**
 * What `findReferences` finds in the parse of `source` when `source` is a plain select chain
 * (select-chain.ts), read off the text without parsing; undefined for any other text. A chain
 * reads its root (unless the root names a namespace), with the selected fields as its path.
 * Parsing is most of inspecting an expression, and most expressions are such chains.
 */
export function plainChainReferences(
  source: string,
  namespaces: ReadonlySet<string>,
): readonly Reference[] | undefined {
  const parts = plainSelectChain(source);
  if (parts === undefined) return undefined;
  const root = parts[0] as string;
  if (namespaces.has(root)) return NO_REFERENCES;
  return [{ root, path: parts.slice(1), start: 0, end: source.length }];
}

// Never added to: the walk makes a new set for the variables a macro binds.
const NONE: ReadonlySet<string> = new Set();

/** The distinct root identifiers, in order of first appearance. */
export function referencedRoots(
  ast: ASTNode,
  namespaces: ReadonlySet<string>,
  namespacedFunctions: ReadonlySet<string> = NONE,
): string[] {
  return [...new Set(findReferences(ast, namespaces, namespacedFunctions).map((r) => r.root))];
}

interface Namespaces {
  readonly names: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
}

// The loops over arguments are indexed and the argument tuples read by index, not destructured:
// cold code (docs/architecture.md).
function walk(node: ASTNode, bound: ReadonlySet<string>, ns: Namespaces, out: Reference[]): void {
  switch (node.op) {
    case 'value':
      return;
    case 'id':
      if (!bound.has(node.args) && !ns.names.has(node.args)) {
        out.push({ root: node.args, path: [], start: node.start, end: node.end });
      }
      return;
    case '.':
    case '.?': {
      const chain = selectChain(node);
      if (chain && !bound.has(chain.root) && !ns.names.has(chain.root)) {
        out.push({ root: chain.root, path: chain.path, start: node.start, end: node.end });
        return;
      }
      walk(node.args[0], bound, ns, out);
      return;
    }
    case 'call': {
      walkEach(node.args[1], 0, bound, ns, out);
      return;
    }
    case 'rcall': {
      const name = node.args[0];
      const target = node.args[1];
      const args = node.args[2];
      // cel.bind(v, init, body): v is visible in body only.
      if (name === 'bind' && identName(target) === 'cel' && args.length === 3) {
        const v = identName(args[0] as ASTNode);
        walk(args[1] as ASTNode, bound, ns, out);
        walk(args[2] as ASTNode, v ? new Set([...bound, v]) : bound, ns, out);
        return;
      }
      const qualifier = identName(target);
      if (qualifier === undefined || !ns.functions.has(`${qualifier}.${name}`)) walk(target, bound, ns, out);
      const n = boundCount(name, args.length);
      const vars = args.slice(0, n).map(identName);
      if (n > 0 && vars.every((v) => v !== undefined)) {
        const inner = new Set([...bound, ...(vars as string[])]);
        walkEach(args, n, inner, ns, out);
        return;
      }
      walkEach(args, 0, bound, ns, out);
      return;
    }
    case 'list':
      walkEach(node.args, 0, bound, ns, out);
      return;
    case 'map':
      for (let i = 0; i < node.args.length; i++) {
        const entry = node.args[i] as (typeof node.args)[number];
        walk(entry[0], bound, ns, out);
        walk(entry[1], bound, ns, out);
      }
      return;
    case '!_':
    case '-_':
      walk(node.args, bound, ns, out);
      return;
    default:
      walkEach(node.args as readonly ASTNode[], 0, bound, ns, out);
  }
}

// walk on each of `nodes` from index `from` on.
function walkEach(
  nodes: readonly ASTNode[],
  from: number,
  bound: ReadonlySet<string>,
  ns: Namespaces,
  out: Reference[],
): void {
  for (let i = from; i < nodes.length; i++) walk(nodes[i] as ASTNode, bound, ns, out);
}

/** `a.b.c` (with `.` or `.?` selects only) as root and path; undefined when the base is not an identifier. */
export function selectChain(node: ASTNode): { root: string; path: string[] } | undefined {
  const path: string[] = [];
  let cur: ASTNode = node;
  while (cur.op === '.' || cur.op === '.?') {
    path.push(cur.args[1]);
    cur = cur.args[0];
  }
  if (cur.op !== 'id') return undefined;
  path.reverse();
  return { root: cur.args, path };
}

/** The direct sub-expressions of `node`, in source order (a call's target before its arguments). */
export function childNodes(node: ASTNode): readonly ASTNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case 'call':
      return node.args[1];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'list':
      return node.args;
    case 'map':
      return node.args.flat();
    case '!_':
    case '-_':
      return [node.args];
    default:
      return node.args as readonly ASTNode[];
  }
}
