// Field-level differences between two renderings of one object: what a server-side apply of the
// new rendering changes in the old one (kro applies with one field manager, so a field the new
// rendering drops is removed). Maps are compared key by key, lists element by element.
import type { JsonObject, JsonValue } from '../rgd/model.js';

export type PathSegment = string | number;

export interface FieldDiff {
  readonly path: readonly PathSegment[];
  /** Absent: the field is added. */
  readonly from?: JsonValue;
  /** Absent: the field is removed. */
  readonly to?: JsonValue;
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}

/** Differences from `from` to `to`, in the order of `to`'s keys, then keys only `from` has. */
export function diffFields(
  from: JsonValue | undefined,
  to: JsonValue | undefined,
  path: readonly PathSegment[] = [],
): FieldDiff[] {
  if (jsonEqual(from, to)) return [];
  if (isMap(from) && isMap(to)) {
    const out: FieldDiff[] = [];
    for (const k of Object.keys(to))
      out.push(...diffFields(Object.hasOwn(from, k) ? from[k] : undefined, to[k], [...path, k]));
    for (const k of Object.keys(from))
      if (!Object.hasOwn(to, k)) out.push(...diffFields(from[k], undefined, [...path, k]));
    return out;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const out: FieldDiff[] = [];
    for (let i = 0; i < Math.max(from.length, to.length); i++)
      out.push(
        ...diffFields(i < from.length ? from[i] : undefined, i < to.length ? to[i] : undefined, [...path, i]),
      );
    return out;
  }
  return [{ path, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.spec.containers[0].image`; keys that are not plain names in brackets: `labels["app.kubernetes.io/name"]`. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
