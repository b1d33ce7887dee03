// Reads of the labels and annotations kro adds to what it applies. kro labels every object it
// creates (kro.run/owned, kro-version, instance-* and resource-graph-definition-* labels,
// app.kubernetes.io/managed-by, the applyset's part-of) and the instance (applyset id,
// annotations of the applyset); some values are uids and applyset ids that exist only in the
// cluster. An expression that reads such a map as a whole, or one of those keys, would see
// something kro-gen cannot know offline, so it is a run-time-only read, never a guessed value.
import type { ASTNode } from '@marcbachmann/cel-js';

const KRO_PREFIXES = ['kro.run/', 'internal.kro.run/', 'applyset.kubernetes.io/'];
const KRO_KEYS = new Set(['app.kubernetes.io/managed-by']);

function isKroKey(key: string): boolean {
  return KRO_KEYS.has(key) || KRO_PREFIXES.some((p) => key.startsWith(p));
}

function isNode(v: unknown): v is ASTNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v;
}

function children(node: ASTNode): ASTNode[] {
  if (node.op === 'value' || node.op === 'id') return [];
  const out: ASTNode[] = [];
  const collect = (v: unknown): void => {
    if (isNode(v)) out.push(v);
    else if (Array.isArray(v)) for (const x of v) collect(x);
  };
  collect(node.args);
  return out;
}

// `<x>.metadata.labels` / `.annotations` (either select may be optional): the field name, else undefined.
function metadataMap(node: ASTNode): string | undefined {
  if (node.op !== '.' && node.op !== '.?') return undefined;
  const [base, field] = node.args as [ASTNode, string];
  if (field !== 'labels' && field !== 'annotations') return undefined;
  if ((base.op !== '.' && base.op !== '.?') || (base.args as [ASTNode, string])[1] !== 'metadata')
    return undefined;
  return field;
}

// The key a parent node reads from `child`, when it reads one fixed key.
function keyRead(parent: ASTNode | undefined, child: ASTNode): string | undefined {
  if (!parent) return undefined;
  if ((parent.op === '.' || parent.op === '.?') && parent.args[0] === child) return parent.args[1] as string;
  if (parent.op === '[]' || parent.op === '[?]') {
    const [target, index] = parent.args as [ASTNode, ASTNode];
    if (target === child && index.op === 'value' && typeof index.args === 'string') return index.args;
  }
  return undefined;
}

/**
 * The text of the first read in `ast` (of `source`) that depends on labels or annotations kro
 * adds, e.g. `a.metadata.labels`, or undefined.
 */
export function kroMetadataRead(ast: ASTNode, source: string): string | undefined {
  let found: string | undefined;
  const visit = (node: ASTNode, parent: ASTNode | undefined): void => {
    if (found) return;
    if (metadataMap(node)) {
      const key = keyRead(parent, node);
      if (key === undefined || isKroKey(key)) {
        found = source.slice(node.start, (key === undefined ? node : (parent as ASTNode)).end);
        return;
      }
    }
    for (const c of children(node)) visit(c, node);
  };
  visit(ast, undefined);
  return found;
}

/** Why such a read cannot be rendered offline. */
export function kroMetadataMessage(read: string): string {
  return `it reads ${read}, which holds the labels and annotations kro adds to what it applies (kro.run/*, applyset.kubernetes.io/*, app.kubernetes.io/managed-by), some with values only the cluster knows (uids, applyset ids); read a key of your own, or use --mode bundle to let kro evaluate it`;
}
