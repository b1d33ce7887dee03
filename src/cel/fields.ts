// Field selection on CEL types, for tools that ask "what is `deployment.spec.replicas`?" or "what
// can follow `schema.spec.`?" without type-checking a whole expression (an editor's text is often
// incomplete). It follows the same rules as the checker: object fields, map values by key, list
// elements by index; dyn stays dyn.
import { type CelType, DYN } from './types.js';

/** A path segment: a field name, or INDEX for `[...]`. */
export const INDEX = '[]';

/** The type reached by selecting `path` from a value of type `t`; undefined when a field does not exist. */
export function selectType(t: CelType, path: readonly string[]): CelType | undefined {
  let cur: CelType = t;
  for (const seg of path) {
    if (cur.kind === 'optional') cur = cur.inner;
    switch (cur.kind) {
      case 'dyn':
        return DYN;
      case 'object': {
        if (seg === INDEX) return cur.preserveUnknown ? DYN : undefined;
        const f = Object.hasOwn(cur.fields, seg) ? cur.fields[seg] : undefined;
        if (f === undefined) return cur.preserveUnknown ? DYN : undefined;
        cur = f;
        break;
      }
      case 'map':
        cur = cur.value;
        break;
      case 'list':
        if (seg !== INDEX) return undefined;
        cur = cur.elem;
        break;
      default:
        return undefined;
    }
  }
  return cur;
}

/** The field names a value of type `t` has, in declaration order (none for maps, lists, scalars). */
export function fieldNames(t: CelType): string[] {
  const cur = t.kind === 'optional' ? t.inner : t;
  return cur.kind === 'object' ? Object.keys(cur.fields) : [];
}
