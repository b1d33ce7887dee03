// What the API server stores of an object kro applies, where it differs from what kro sent and an
// expression of another resource could read it: kro reads its resources back from the cluster.
// The API server decodes every resource.Quantity field of a built-in kind and writes it back in
// canonical form (`1024Mi` -> `1Gi`, `0.5` -> `500m`, the number 2e9 -> `2G`), so the rendered
// object carries that form.

import { formatQuantity, parseQuantity, QuantityParseError } from '../cel/lib/k8s-resource-quantity.js';
import type { OpenApiSchema } from '../cel/types.js';
import { fieldPath, flattened } from './apply-checks.js';

// The resolved schema of io.k8s.apimachinery.pkg.api.resource.Quantity in the bundled OpenAPI.
export function isQuantitySchema(s: OpenApiSchema): boolean {
  const oneOf = s['oneOf'];
  if (!Array.isArray(oneOf) || oneOf.length !== 2) return false;
  const types = new Set((oneOf as OpenApiSchema[]).map((o) => o.type));
  return types.has('string') && types.has('number') && s['x-kubernetes-int-or-string'] !== true;
}

export type Stored =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly path: string; readonly message: string };

/**
 * `value` as the API server stores it under `schema` (a built-in kind's resolved schema): every
 * quantity in canonical form. A quantity the server cannot parse is an error (it refuses the object).
 */
export function storedForm(value: unknown, schema: OpenApiSchema | undefined): Stored {
  // Every object written is walked: the path is kept as keys and spelled out only for an error.
  const at: (string | number)[] = [];
  const r = stored(value, schema, at);
  if (r instanceof QuantityParseError) {
    const path = fieldPath(at);
    return { ok: false, path, message: `${path}: ${r.message}` };
  }
  return { ok: true, value: r };
}

/** The stored form of `value`, or the error of the quantity at `at`. */
export function stored(value: unknown, schema: OpenApiSchema | undefined, at: (string | number)[]): unknown {
  if (!schema || typeof value === 'boolean' || value === null || value === undefined) return value;
  if (isQuantitySchema(schema)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return value;
    try {
      return formatQuantity(parseQuantity(String(value).trim()));
    } catch (e) {
      if (!(e instanceof QuantityParseError)) throw e;
      return e;
    }
  }
  if (typeof value !== 'object') return value;
  const s = flattened(schema);
  if (Array.isArray(value)) {
    const items = s.items;
    if (!items || Array.isArray(items)) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      at.push(i);
      const r = stored(v, items as OpenApiSchema, at);
      if (r instanceof QuantityParseError) return r;
      at.pop();
      if (r !== v) {
        out ??= [...value];
        out[i] = r;
      }
    }
    return out ?? value;
  }
  const map = value as Record<string, unknown>;
  const props = s.properties;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (!props && !additional) return value;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(map)) {
    const v = map[k];
    const child = props && Object.hasOwn(props, k) ? props[k] : additional;
    if (child === undefined) continue;
    at.push(k);
    const r = stored(v, child, at);
    if (r instanceof QuantityParseError) return r;
    at.pop();
    if (r !== v) {
      out ??= { ...map };
      out[k] = r;
    }
  }
  return out ?? value;
}
