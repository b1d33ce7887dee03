// What of each variable a graph's expressions can observe, so that only that is made a CEL value.
//
// Converting a rendered dependency to CEL (its stored form, kro's labels, the schema-driven
// conversion) is per instance and per dependency; most expressions read a field or two of it
// (`deployment.metadata.name`). Where every use of a variable in every expression of the graph is
// a chain of field selects (`x.a.b`, `x.?a`, `has(x.a.b)`), the expressions can only observe the
// values at the chains' ends and which keys exist along the way: an object keeping just those
// keys (each end's value whole) evaluates exactly as the whole object does. Any other use (the
// variable passed whole, indexed, iterated, compared) reads the whole object.
//
// Pruning commutes with what the renderer does to an object before converting it: the API
// server's constant defaults fill a key by its absence and descend by its presence (a pruned
// object lacks only keys no chain names), kro's labels are added to metadata, and the conversion
// converts each key on its own. An object holding a `constructor` key is kept whole, since the
// conversion turns it into a Map (values.ts), and a pruned copy would not be one.
import type { ASTNode } from '@marcbachmann/cel-js';
import { childNodes, selectChain } from '../cel/references.js';
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

/** The keys read below one point of a variable; `undefined` children means the value whole. */
export interface ReadTree {
  children?: Map<string, ReadTree>;
}

/** A variable read whole (also what a variable no expression reads gets: nothing to gain). */
const WHOLE: ReadTree = Object.freeze({}) as ReadTree;

/** Records that `fields` of a variable are read, below `tree` (undefined: nothing recorded yet). */
function addPath(tree: ReadTree | undefined, fields: readonly string[], at: number): ReadTree {
  if (tree === WHOLE || at === fields.length) return WHOLE;
  const out: ReadTree = tree ?? { children: new Map() };
  const children = out.children as Map<string, ReadTree>;
  const key = fields[at] as string;
  children.set(key, addPath(children.get(key), fields, at + 1));
  return out;
}

/**
 * Per variable, the read tree of everything `asts` read of it: WHOLE where some use is not a
 * select chain. Variables no expression names are absent.
 */
export function readTrees(asts: Iterable<ASTNode>): Map<string, ReadTree> {
  const trees = new Map<string, ReadTree>();
  const pending: ASTNode[] = [...asts];
  while (pending.length > 0) {
    const node = pending.pop() as ASTNode;
    const chain = node.op === '.' || node.op === '.?' || node.op === 'id' ? selectChain(node) : undefined;
    if (chain !== undefined) {
      // The outermost select of a chain is met first: the selects inside it are this read.
      trees.set(chain.root, addPath(trees.get(chain.root), chain.path, 0));
      continue;
    }
    pending.push(...childNodes(node));
  }
  return trees;
}

/** `value` with only what `tree` reads (shared with `value` below each chain's end). */
export function pruned<T extends JsonValue | undefined>(value: T, tree: ReadTree | undefined): T {
  const children = tree?.children;
  if (children === undefined || typeof value !== 'object' || value === null || Array.isArray(value))
    return value;
  const obj = value as JsonObject;
  if (Object.hasOwn(obj, 'constructor')) return value;
  const out: JsonObject = {};
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const below = children.get(key);
    if (below !== undefined) setOwn(out, key, pruned(obj[key], below));
  }
  return out as T;
}

/** Whether `tree` observes anything at or below `path` (a tree reading the value whole does). */
export function observes(tree: ReadTree | undefined, path: readonly string[]): boolean {
  let cur = tree;
  for (const key of path) {
    if (cur?.children === undefined) return true;
    cur = cur.children.get(key);
    if (cur === undefined) return false;
  }
  return true;
}
