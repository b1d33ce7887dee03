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

/**
 * The supplied objects by kind, and by kind and name, each list in the order supplied: a lookup
 * reads only the objects of its kind (or name), so rendering n instances that read each other
 * (they stand in as externals for one another) stays linear. Built once per array of objects.
 */
interface ExternalIndex {
  /** How many objects were indexed (an array that grew since is indexed again). */
  readonly size: number;
  readonly byKind: Map<string, JsonObject[]>;
  readonly byName: Map<string, JsonObject[]>;
}

const indexes = new WeakMap<readonly JsonObject[], ExternalIndex>();

const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;

function push(map: Map<string, JsonObject[]>, key: string, obj: JsonObject): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [obj]);
  else list.push(obj);
}

function indexOf(supplied: readonly JsonObject[]): ExternalIndex {
  let index = indexes.get(supplied);
  if (index === undefined || index.size !== supplied.length) {
    index = { size: supplied.length, byKind: new Map(), byName: new Map() };
    for (const obj of supplied) {
      const id = identityOf(obj);
      const kind = kindKey(id.apiVersion, id.kind);
      push(index.byKind, kind, obj);
      push(index.byName, `${kind}\u0000${id.name}`, obj);
    }
    indexes.set(supplied, index);
  }
  return index;
}

/** The supplied objects of one kind, in the order supplied. */
export function externalsOfKind(
  supplied: readonly JsonObject[],
  apiVersion: string,
  kind: string,
): readonly JsonObject[] {
  return indexOf(supplied).byKind.get(kindKey(apiVersion, kind)) ?? [];
}

/** The supplied objects of one kind and name, in the order supplied. */
export function externalsNamed(
  supplied: readonly JsonObject[],
  apiVersion: string,
  kind: string,
  name: string,
): readonly JsonObject[] {
  return indexOf(supplied).byName.get(`${kindKey(apiVersion, kind)}\u0000${name}`) ?? [];
}

/**
 * The supplied object a by-name reference points at. A supplied object that names no namespace
 * matches any namespace (its manifest may rely on the applier's default namespace).
 */
export function findExternal(
  supplied: readonly JsonObject[],
  ref: { apiVersion: string; kind: string; name: string; namespace: string },
): JsonObject | undefined {
  return externalsNamed(supplied, ref.apiVersion, ref.kind, ref.name).find((obj) => {
    const ns = identityOf(obj).namespace;
    return ns === '' || ref.namespace === '' || ns === ref.namespace;
  });
}

/** The supplied objects a selector reference lists, sorted by namespace then name. */
export function listExternals(
  supplied: readonly JsonObject[],
  ref: { apiVersion: string; kind: string; namespace: string; selector: JsonObject },
): JsonObject[] {
  return externalsOfKind(supplied, ref.apiVersion, ref.kind)
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
