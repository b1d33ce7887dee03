// The OpenAPI schemas the renderer reads objects through (so `spec.replicas` is an int, Secret
// `data` values bytes), and the instance schema model of each RGD. Both are derived once and
// cached: a graph renders many instances.
import type { OpenApiSchema } from '../cel/types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { JsonValue, Rgd } from '../rgd/model.js';
import { instanceSchemaOf } from '../schema/build.js';
import { lookupBuiltinKind } from '../schema/k8s-builtin.js';
import type { InstanceSchema } from '../schema/model.js';
import { specToOpenAPI } from '../schema/openapi.js';
import { KindResolver, type KnownKind } from '../schema/resolver.js';
import { KindMap } from './kind-map.js';

/** Where kind schemas come from; the same sources the graph builder takes. */
export interface SchemaSources {
  readonly kinds?: readonly KnownKind[];
  /** Parsed CustomResourceDefinition documents. */
  readonly crds?: readonly JsonValue[];
  /** RGDs whose instance kinds other RGDs create. */
  readonly rgds?: readonly Rgd[];
  /** Use the bundled built-in Kubernetes kinds (default true). */
  readonly builtin?: boolean;
}

export type SchemaLookup = (apiVersion: string, kind: string) => OpenApiSchema | undefined;

const builtinLookup = (apiVersion: string, kind: string) => lookupBuiltinKind(apiVersion, kind);

const lookups = new WeakMap<SchemaSources, SchemaLookup>();
const NO_SOURCES: SchemaSources = {};

/** A cached schema lookup over `sources`. */
export function schemaLookup(sources: SchemaSources = NO_SOURCES): SchemaLookup {
  const hit = lookups.get(sources);
  if (hit) return hit;
  const resolver = new KindResolver({
    ...(sources.kinds ? { kinds: sources.kinds } : {}),
    ...(sources.crds ? { crds: sources.crds } : {}),
    ...(sources.builtin === false ? {} : { builtin: builtinLookup }),
  });
  const rgdKinds = new KindMap<Rgd>();
  for (const rgd of sources.rgds ?? []) {
    rgdKinds.set(`${rgd.schema.group}/${rgd.schema.apiVersion}`, rgd.schema.kind, rgd);
  }
  const memo = new KindMap<OpenApiSchema | null>();
  const lookup: SchemaLookup = (apiVersion, kind) => {
    let s = memo.get(apiVersion, kind);
    if (s === undefined) {
      const rgd = rgdKinds.get(apiVersion, kind);
      s = (rgd ? instanceOpenApi(rgd) : resolver.resolve(apiVersion, kind)?.schema) ?? null;
      memo.set(apiVersion, kind, s);
    }
    return s ?? undefined;
  };
  lookups.set(sources, lookup);
  return lookup;
}

interface RgdSchemas {
  readonly model: InstanceSchema;
  readonly diagnostics: readonly Diagnostic[];
  readonly openApi: OpenApiSchema;
}

const rgdSchemas = new WeakMap<Rgd, RgdSchemas>();

function schemasOf(rgd: Rgd): RgdSchemas {
  let s = rgdSchemas.get(rgd);
  if (!s) {
    const built = instanceSchemaOf(rgd);
    s = {
      model: built.schema,
      diagnostics: built.diagnostics,
      openApi: {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: specToOpenAPI(built.schema) as OpenApiSchema,
        },
      },
    };
    rgdSchemas.set(rgd, s);
  }
  return s;
}

/** The schema model of an RGD's instances (cached). */
export function instanceModel(rgd: Rgd): {
  readonly model: InstanceSchema;
  readonly diagnostics: readonly Diagnostic[];
} {
  return schemasOf(rgd);
}

/** The OpenAPI schema of an RGD's instances without status, as kro binds `schema` (cached). */
export function instanceOpenApi(rgd: Rgd): OpenApiSchema {
  return schemasOf(rgd).openApi;
}
