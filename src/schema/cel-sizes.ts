// The sizes the API server assumes for data a CRD's CEL rules read (apiserver's SchemaDeclType and
// apiextensions' cardinality): how long a string, how many items or entries a list or map may hold,
// and the fewest bytes a value takes in JSON. Bounds come from maxLength (times 4: a character may
// take 4 bytes), enum, maxItems; without one, from the largest request the API server accepts
// (3 MiB), divided by the smallest an item can be. The CEL cost estimate (src/cel/cost) multiplies
// these; the numbers are the API server's so that kro-gen refuses exactly the rules it refuses.

import type { SchemaNode } from './model.js';

/** The API server's largest request body (apiserver's MaxRequestSizeBytes). */
export const MAX_REQUEST_BYTES = 3n * 1024n * 1024n;
const utf8 = new TextEncoder();

/** The fewest bytes a value of `node` takes in JSON (the DeclType's MinSerializedSize). */
export function minSerializedSize(node: SchemaNode): bigint {
  const sizes = new Map<SchemaNode, bigint>();
  // Iterative post-order walk: schemas nest up to MAX_SCHEMA_DEPTH, but a walk must not recurse on input.
  const pending: [SchemaNode, boolean][] = [[node, false]];
  while (pending.length > 0) {
    const [n, done] = pending.pop() as [SchemaNode, boolean];
    if (sizes.has(n)) continue;
    if (!done && n.kind === 'struct') {
      pending.push([n, true]);
      for (const f of n.fields) pending.push([f.node, false]);
      continue;
    }
    sizes.set(n, ownMinSize(n, sizes));
  }
  return sizes.get(node) as bigint;
}

function ownMinSize(n: SchemaNode, sizes: ReadonlyMap<SchemaNode, bigint>): bigint {
  switch (n.kind) {
    case 'string':
      return 2n; // ""
    case 'integer':
    case 'float':
      return 1n; // 0
    case 'boolean':
      return 4n; // true
    case 'struct': {
      // {} plus each required field without a default (the API server fills defaults in).
      let size = 2n;
      const required = new Set(n.requiredFields);
      for (const f of n.fields) {
        if (!required.has(f.name) || f.node.default !== undefined) continue;
        size += BigInt(utf8.encode(f.name).length) + (sizes.get(f.node) as bigint) + 4n;
      }
      return size;
    }
    default:
      return 2n; // [] or {}
  }
}

/**
 * The most characters a string, items a list or entries a map of `node` may hold (the DeclType's
 * MaxElements); 0 for other kinds, whose size the estimate does not ask.
 */
export function maxElements(node: SchemaNode): bigint {
  switch (node.kind) {
    case 'string':
      if (node.maxLength !== undefined) return BigInt(Math.max(0, node.maxLength)) * 4n;
      if (node.enum && node.enum.length > 0) {
        return BigInt(Math.max(0, ...node.enum.map((v) => utf8.encode(v).length)));
      }
      return MAX_REQUEST_BYTES - 2n;
    case 'array':
      if (node.maxItems !== undefined) return BigInt(Math.max(0, node.maxItems));
      return (MAX_REQUEST_BYTES - 2n) / (minSerializedSize(node.items) + 1n);
    case 'map':
      // A key at its shortest, `"":`, a comma, and the smallest value.
      return (MAX_REQUEST_BYTES - 2n) / (minSerializedSize(node.values) + 6n);
    default:
      return 0n;
  }
}

/**
 * MaxElements of what a CEL size path leads to from `root` (`self.a.@items.b`: the first element is
 * the variable), or undefined when it leads nowhere in the schema.
 */
export function maxElementsAtCelPath(root: SchemaNode, path: readonly string[]): bigint | undefined {
  let node: SchemaNode | undefined = root;
  for (const step of path.slice(1)) {
    if (!node) return undefined;
    if (step === '@items' || step === '@values') {
      node = node.kind === 'array' ? node.items : node.kind === 'map' ? node.values : undefined;
    } else if (step === '@keys') {
      // Map keys are declared as a plain string, with no bound of their own (MaxElements 0).
      if (node.kind !== 'map') return undefined;
      node = undefined;
      if (step !== path[path.length - 1]) return undefined;
      return 0n;
    } else {
      node = node.kind === 'struct' ? node.fields.find((f) => f.name === step)?.node : undefined;
    }
  }
  return node ? maxElements(node) : undefined;
}

/**
 * How many times a rule on a node may run per object: the product of maxItems of the lists around
 * it (`enclosing`, outermost first; maps have no maxProperties in SimpleSchema), or, when one is
 * unbounded, as many as the smallest such node fits in a request.
 */
export function ruleCardinality(node: SchemaNode, enclosing: readonly SchemaNode[]): bigint {
  let product = 1n;
  for (const n of enclosing) {
    if (n.kind === 'map' || (n.kind === 'array' && n.maxItems === undefined)) {
      return MAX_REQUEST_BYTES / (minSerializedSize(node) + 1n);
    }
    if (n.kind === 'array') product *= BigInt(Math.max(0, n.maxItems as number));
  }
  const maxU64 = (1n << 64n) - 1n;
  return product > maxU64 ? maxU64 : product;
}
