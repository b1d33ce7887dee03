// Objects the user supplies for `externalRef` resources: kro reads them from the cluster, kro-gen
// from files. A reference by name matches apiVersion, kind, name and namespace; a reference by
// selector matches every supplied object of the kind whose labels satisfy the selector, in one
// namespace or, when the namespace is empty, in all of them (as kro lists them).

import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import { compareText, identityOf } from './annotate.js';

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labelsOf(obj: JsonObject): Record<string, string> {
  const m = isMap(obj.metadata) ? obj.metadata : {};
  const out: Record<string, string> = {};
  if (isMap(m.labels))
    for (const [k, v] of Object.entries(m.labels)) if (typeof v === 'string') setOwn(out, k, v);
  return out;
}

/** Whether `labels` satisfy a metav1.LabelSelector (matchLabels and matchExpressions). */
export function selectorMatches(selector: JsonObject, labels: Readonly<Record<string, string>>): boolean {
  if (isMap(selector.matchLabels)) {
    for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions) {
      if (!isMap(e) || typeof e.key !== 'string') return false;
      const has = Object.hasOwn(labels, e.key);
      const values = Array.isArray(e.values) ? e.values.filter((v) => typeof v === 'string') : [];
      const value = labels[e.key];
      switch (e.operator) {
        case 'In':
          if (!has || !values.includes(value as string)) return false;
          break;
        case 'NotIn':
          if (has && values.includes(value as string)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

/** Items by kind, and by kind and name, each list in input order. */
export interface KindNameIndex<T> {
  ofKind(apiVersion: string, kind: string): readonly T[];
  named(apiVersion: string, kind: string, name: string): readonly T[];
}

/**
 * Indexes `items` by the kind and name `identity` gives each: a lookup reads only the items of its
 * kind (or name), so rendering n instances that read each other (they stand in as externals for
 * one another, and are ordered by the references between them) stays linear.
 */
export function indexByKindAndName<T>(
  items: readonly T[],
  identity: (item: T) => { apiVersion: string; kind: string; name: string },
): KindNameIndex<T> {
  const byKind = new Map<string, T[]>();
  const byName = new Map<string, T[]>();
  const push = (map: Map<string, T[]>, key: string, item: T): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [item]);
    else list.push(item);
  };
  const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;
  for (const item of items) {
    const id = identity(item);
    const kind = kindKey(id.apiVersion, id.kind);
    push(byKind, kind, item);
    push(byName, `${kind}\u0000${id.name}`, item);
  }
  return {
    ofKind: (apiVersion, kind) => byKind.get(kindKey(apiVersion, kind)) ?? [],
    named: (apiVersion, kind, name) => byName.get(`${kindKey(apiVersion, kind)}\u0000${name}`) ?? [],
  };
}

// The index of each array of supplied objects, built once (again if the array has grown since).
const indexes = new WeakMap<readonly JsonObject[], { size: number; index: KindNameIndex<JsonObject> }>();

function suppliedIndex(supplied: readonly JsonObject[]): KindNameIndex<JsonObject> {
  const cached = indexes.get(supplied);
  if (cached !== undefined && cached.size === supplied.length) return cached.index;
  const index = indexByKindAndName(supplied, identityOf);
  indexes.set(supplied, { size: supplied.length, index });
  return index;
}

/**
 * The supplied object a by-name reference points at. A supplied object that names no namespace
 * matches any namespace (its manifest may rely on the applier's default namespace).
 */
export function findExternal(
  supplied: readonly JsonObject[],
  ref: { apiVersion: string; kind: string; name: string; namespace: string },
): JsonObject | undefined {
  return suppliedIndex(supplied)
    .named(ref.apiVersion, ref.kind, ref.name)
    .find((obj) => {
      const ns = identityOf(obj).namespace;
      return ns === '' || ref.namespace === '' || ns === ref.namespace;
    });
}

/** The supplied objects a selector reference lists, sorted by namespace then name. */
export function listExternals(
  supplied: readonly JsonObject[],
  ref: { apiVersion: string; kind: string; namespace: string; selector: JsonObject },
): JsonObject[] {
  return suppliedIndex(supplied)
    .ofKind(ref.apiVersion, ref.kind)
    .filter((obj) => {
      const id = identityOf(obj);
      if (ref.namespace !== '' && id.namespace !== '' && id.namespace !== ref.namespace) return false;
      return selectorMatches(ref.selector, labelsOf(obj));
    })
    .sort((a, b) => {
      const x = identityOf(a);
      const y = identityOf(b);
      return compareText(x.namespace, y.namespace) || compareText(x.name, y.name);
    });
}
