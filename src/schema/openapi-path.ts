// Walking an OpenAPI schema along a field path, for tools that describe a field (`spec.replicas`
// of a Deployment: its type, format and description) or list what may follow it. Follows
// properties, additionalProperties (any key), items (`[]`), and the one-element allOf that wraps
// Kubernetes' `$ref`s with defaults.
import type { OpenApiSchema } from '../cel/types.js';

const INDEX = '[]';

function unwrap(s: OpenApiSchema): OpenApiSchema {
  const all = s.allOf;
  if (all?.length === 1 && all[0] && !s.properties && s.type === undefined) {
    const { allOf: _drop, ...rest } = s;
    return { ...unwrap(all[0]), ...rest };
  }
  return s;
}

/** The schema at `path` below `schema`; undefined when the schema does not describe it. */
export function openApiAt(schema: OpenApiSchema, path: readonly string[]): OpenApiSchema | undefined {
  let cur = unwrap(schema);
  for (const seg of path) {
    let next: OpenApiSchema | undefined;
    if (seg === INDEX) {
      const items = cur.items;
      if (items && !Array.isArray(items)) next = items as OpenApiSchema;
      else if (typeof cur.additionalProperties === 'object') next = cur.additionalProperties;
    } else if (cur.properties && Object.hasOwn(cur.properties, seg)) {
      next = cur.properties[seg];
    } else if (typeof cur.additionalProperties === 'object') {
      next = cur.additionalProperties;
    }
    if (!next) return undefined;
    cur = unwrap(next);
  }
  return cur;
}

/** The description an OpenAPI schema gives, if any. */
export function openApiDescription(schema: OpenApiSchema | undefined): string | undefined {
  const d = schema?.['description'];
  return typeof d === 'string' && d !== '' ? d : undefined;
}
