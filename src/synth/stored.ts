// What the API server stores of an object kro applies, where it differs from what kro sent and an
// expression of another resource could read it: kro reads its resources back from the cluster.
// The API server decodes every resource.Quantity field of a built-in kind and writes it back in
// canonical form (`1024Mi` -> `1Gi`, `0.5` -> `500m`, the number 2e9 -> `2G`), so the rendered
// object carries that form.

import { formatQuantity, parseQuantity, QuantityParseError } from '../cel/lib/k8s-resource-quantity.js';
import type { OpenApiSchema } from '../cel/types.js';
import { flattened, segment } from './apply-checks.js';

// The resolved schema of io.k8s.apimachinery.pkg.api.resource.Quantity in the bundled OpenAPI.
function isQuantitySchema(s: OpenApiSchema): boolean {
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
export function storedForm(value: unknown, schema: OpenApiSchema | undefined, path = ''): Stored {
  if (!schema) return { ok: true, value };
  if (isQuantitySchema(schema)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint')
      return { ok: true, value };
    try {
      return { ok: true, value: formatQuantity(parseQuantity(String(value).trim())) };
    } catch (e) {
      if (!(e instanceof QuantityParseError)) throw e;
      return { ok: false, path, message: `${path}: ${e.message}` };
    }
  }
  const s = flattened(schema);
  if (Array.isArray(value)) {
    const items = s.items;
    if (!items || Array.isArray(items)) return { ok: true, value };
    let out: unknown[] | undefined;
    for (const [i, v] of value.entries()) {
      const r = storedForm(v, items as OpenApiSchema, `${path}[${i}]`);
      if (!r.ok) return r;
      if (r.value !== v) {
        out ??= [...value];
        out[i] = r.value;
      }
    }
    return { ok: true, value: out ?? value };
  }
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const child =
      s.properties && Object.hasOwn(s.properties, k)
        ? s.properties[k]
        : typeof s.additionalProperties === 'object'
          ? s.additionalProperties
          : undefined;
    const r = storedForm(v, child, `${path}${segment(k)}`);
    if (!r.ok) return r;
    if (r.value !== v) {
      out ??= { ...(value as Record<string, unknown>) };
      out[k] = r.value;
    }
  }
  return { ok: true, value: out ?? value };
}
