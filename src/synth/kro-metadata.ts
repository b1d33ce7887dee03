// The labels and annotations kro adds to what it applies, as expressions read them. kro labels
// the instance (kro.run/owned, kro-version, resource-graph-definition-*, the applyset id) and
// annotates it as an applyset parent, and labels every object it creates (instance-*, node-id,
// managed-by, the applyset's part-of, ...). Where the value is known offline, the objects that
// expressions read carry it, so a rendered value equals kro's. Some values exist only in the
// cluster (uids), and the applyset's group-kind and namespace lists depend on what kro finds: an
// expression reading one of those keys, or a whole labels/annotations map (which holds them), is
// a run-time-only read, never a guessed value.
import { hash } from 'node:crypto';
import type { ASTNode } from '@marcbachmann/cel-js';
import { setOwn } from '../json.js';
import type { JsonObject, Rgd } from '../rgd/model.js';
import type { NormalizedInstance } from './instance.js';

/** The kro release kro-gen matches (kro.run/kro-version, the applyset tooling annotation). */
export const KRO_VERSION = 'v0.9.3';

const KRO_PREFIXES = ['kro.run/', 'internal.kro.run/', 'applyset.kubernetes.io/'];
const KRO_KEYS = new Set(['app.kubernetes.io/managed-by']);

// Keys whose values kro-gen knows, by what is read: the instance (`schema`) or an object kro created.
const INSTANCE_LABELS = new Set([
  'kro.run/owned',
  'kro.run/kro-version',
  'kro.run/resource-graph-definition-name',
  'applyset.kubernetes.io/id',
]);
const INSTANCE_ANNOTATIONS = new Set(['applyset.kubernetes.io/tooling']);
// kro labels its children with the instance's labeler, not the RGD's: no resource-graph-definition-*.
const CHILD_LABELS = new Set([
  'kro.run/owned',
  'kro.run/kro-version',
  'kro.run/instance-name',
  'kro.run/instance-namespace',
  'kro.run/instance-group',
  'kro.run/instance-version',
  'kro.run/instance-kind',
  'kro.run/node-id',
  'kro.run/collection-index',
  'kro.run/collection-size',
  'app.kubernetes.io/managed-by',
  'applyset.kubernetes.io/part-of',
]);

function isKroKey(key: string): boolean {
  return KRO_KEYS.has(key) || KRO_PREFIXES.some((p) => key.startsWith(p));
}

function isKnown(key: string, field: 'labels' | 'annotations', ofInstance: boolean): boolean {
  if (field === 'annotations') return ofInstance && INSTANCE_ANNOTATIONS.has(key);
  return (ofInstance ? INSTANCE_LABELS : CHILD_LABELS).has(key);
}

/**
 * The applyset id of an instance (KEP-3659, as kro computes it): the unpadded URL-safe base64 of
 * the sha256 of `<name>.<namespace>.<kind>.<group>`, in `applyset-<hash>-v1`.
 */
export function applySetId(name: string, namespace: string, kind: string, group: string): string {
  const text = `${name}.${namespace}.${kind}.${group}`;
  // The renderer asks for one instance's id once per object it reads, one call after another.
  if (text !== lastApplySet.text) {
    // crypto.hash: one call, without a Hash object (createHash's set-up cost more than the digest).
    lastApplySet = { text, id: `applyset-${hash('sha256', text, 'base64url')}-v1` };
  }
  return lastApplySet.id;
}
let lastApplySet = { text: '', id: '' };

function merged(base: unknown, added: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  if (typeof base === 'object' && base !== null && !Array.isArray(base)) {
    const map = base as JsonObject;
    for (const k of Object.keys(map)) setOwn(out, k, map[k] as JsonObject[string]);
  }
  for (const k of Object.keys(added)) setOwn(out, k, added[k]);
  return out;
}

const NO_ANNOTATIONS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function withMetadata(
  obj: JsonObject,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): JsonObject {
  const meta = merged(obj.metadata, {});
  setOwn(meta, 'labels', merged(meta.labels, labels));
  if (Object.keys(annotations).length > 0) setOwn(meta, 'annotations', merged(meta.annotations, annotations));
  const out = merged(obj, {});
  setOwn(out, 'metadata', meta);
  return out;
}

/** The instance as kro's expressions see it once kro has labelled and annotated it. */
export function instanceAsKroSeesIt(rgd: Rgd, inst: NormalizedInstance): JsonObject {
  const s = rgd.schema;
  return withMetadata(
    inst.object,
    {
      'kro.run/owned': 'true',
      'kro.run/kro-version': KRO_VERSION,
      'kro.run/resource-graph-definition-name': rgd.name,
      'applyset.kubernetes.io/id': applySetId(inst.name, inst.namespace, s.kind, s.group),
    },
    { 'applyset.kubernetes.io/tooling': `kro/${KRO_VERSION}` },
  );
}

/** An object kro created for node `nodeId` of the instance, with the labels kro applies. */
export function childAsKroSeesIt(
  rgd: Rgd,
  inst: NormalizedInstance,
  nodeId: string,
  obj: JsonObject,
  collection?: { readonly index: number; readonly size: number },
): JsonObject {
  const s = rgd.schema;
  const labels: Record<string, string> = {
    'kro.run/owned': 'true',
    'kro.run/kro-version': KRO_VERSION,
    'kro.run/instance-name': inst.name,
    'kro.run/instance-group': s.group,
    'kro.run/instance-version': s.apiVersion,
    'kro.run/instance-kind': s.kind,
  };
  if (inst.namespace !== '') labels['kro.run/instance-namespace'] = inst.namespace;
  labels['app.kubernetes.io/managed-by'] = 'kro';
  labels['kro.run/node-id'] = nodeId;
  if (collection) {
    labels['kro.run/collection-index'] = String(collection.index);
    labels['kro.run/collection-size'] = String(collection.size);
  }
  labels['applyset.kubernetes.io/part-of'] = applySetId(inst.name, inst.namespace, s.kind, s.group);
  return withMetadata(obj, labels, NO_ANNOTATIONS);
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

// `<x>.metadata.labels` / `.annotations` (either select may be optional): the field and whether
// `<x>` is the instance (`schema`), else undefined.
function metadataMap(node: ASTNode): { field: 'labels' | 'annotations'; ofInstance: boolean } | undefined {
  if (node.op !== '.' && node.op !== '.?') return undefined;
  const [base, field] = node.args as [ASTNode, string];
  if (field !== 'labels' && field !== 'annotations') return undefined;
  if ((base.op !== '.' && base.op !== '.?') || (base.args as [ASTNode, string])[1] !== 'metadata')
    return undefined;
  const owner = (base.args as [ASTNode, string])[0];
  return { field, ofInstance: owner.op === 'id' && owner.args === 'schema' };
}

// `<x>.metadata` (the select may be optional).
function isMetadata(node: ASTNode): boolean {
  return (node.op === '.' || node.op === '.?') && (node.args as [ASTNode, string])[1] === 'metadata';
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
 * The text of the first read in `ast` (of `source`) of kro's labels or annotations whose value
 * kro-gen cannot know (a uid, the applyset's lists, a key it does not model, or a whole map, e.g.
 * `a.metadata.labels`), or undefined.
 */
export function kroMetadataRead(ast: ASTNode, source: string): string | undefined {
  let found: string | undefined;
  const visit = (node: ASTNode, parent: ASTNode | undefined): void => {
    if (found) return;
    // `x.metadata` as a whole holds kro's labels and what the API server sets (uid, ...).
    if (isMetadata(node) && keyRead(parent, node) === undefined) {
      found = source.slice(node.start, node.end);
      return;
    }
    const map = metadataMap(node);
    if (map) {
      const key = keyRead(parent, node);
      if (key === undefined || (isKroKey(key) && !isKnown(key, map.field, map.ofInstance))) {
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
  if (/metadata$/.test(read))
    return `it reads ${read} as a whole, which holds what the API server sets (uid, creationTimestamp, ...) and the labels and annotations kro adds; read its fields, or use --mode bundle to let kro evaluate it`;
  return `it reads ${read}, which holds the labels and annotations kro adds to what it applies (kro.run/*, applyset.kubernetes.io/*, app.kubernetes.io/managed-by), some with values only the cluster knows (uids, the applyset's group kinds and namespaces); read a key of your own or one kro-gen models (docs/kro-differences.md), or use --mode bundle to let kro evaluate it`;
}
