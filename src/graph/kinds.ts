// Where the kinds of a graph's resources come from, for a graph context: the bundled built-in
// kinds, CRD files, schemas handed in, and other RGDs' instance kinds (chained RGDs), whose spec
// type comes from their SimpleSchema and whose status type from building their graph. The graph
// builder types expressions with it; editors (src/lsp) ask it for the same types and schemas.
import { celTypeFromSchema, type OpenApiSchema } from '../cel/types.js';
import type { JsonObject, Rgd } from '../rgd/model.js';
import { buildInstanceSchema } from '../schema/build.js';
import { lookupBuiltinKind } from '../schema/k8s-builtin.js';
import { celTypeFromSchemaNode, KindResolver } from '../schema/resolver.js';
import type { GraphContext } from './context.js';
import type { Graph } from './model.js';

/** Builds another RGD's graph in a context (buildGraph; passed in to keep the modules acyclic). */
export type GraphBuilder = (rgd: Rgd, ctx: GraphContext) => Graph;

// Chained RGDs: the status type of another RGD comes from building its graph once per context.
const statusCache = new WeakMap<GraphContext, Map<Rgd, JsonObject | 'building'>>();

function statusesOf(ctx: GraphContext): Map<Rgd, JsonObject | 'building'> {
  let cache = statusCache.get(ctx);
  if (!cache) {
    cache = new Map();
    statusCache.set(ctx, cache);
  }
  return cache;
}

/**
 * After any build of `rgd` in `ctx`: its status schema is what an RGD chaining to it gets, unless
 * the cache already has one. It has one exactly when this build was itself for a chained kind, or
 * when it reached `rgd` again through a cycle of chained kinds (and then the entry from inside the
 * cycle stands, as before). Otherwise the build just made is the one a chained lookup would make,
 * and an RGD built once per process (generate, validate) is not built a second time for its chain.
 */
export function rememberStatus(ctx: GraphContext, rgd: Rgd, status: JsonObject): void {
  const cache = statusesOf(ctx);
  if (!cache.has(rgd)) cache.set(rgd, status);
}

function chainedStatusSchema(ctx: GraphContext, rgd: Rgd, build: GraphBuilder): JsonObject | undefined {
  const cache = statusesOf(ctx);
  const hit = cache.get(rgd);
  if (hit === 'building') return undefined;
  if (hit) return hit;
  cache.set(rgd, 'building');
  const graph = build(rgd, ctx);
  cache.set(rgd, graph.instance.statusSchema);
  return graph.instance.statusSchema;
}

/** The kind resolver of a graph context, as buildGraph types resources with it. */
export function graphKindResolver(ctx: GraphContext, build: GraphBuilder): KindResolver {
  return new KindResolver({
    ...(ctx.kinds ? { kinds: ctx.kinds } : {}),
    ...(ctx.crds ? { crds: ctx.crds } : {}),
    ...(ctx.rgds ? { rgds: ctx.rgds } : {}),
    ...(ctx.builtin !== false ? { builtin: ctx.builtin ?? lookupBuiltinKind } : {}),
    rgdSpec: (other, typeName) =>
      celTypeFromSchemaNode(
        buildInstanceSchema({ spec: other.schema.spec, types: other.schema.types }).schema.spec,
        typeName,
      ),
    rgdStatus: (other, typeName) => {
      const s = chainedStatusSchema(ctx, other, build);
      return s ? celTypeFromSchema(s as OpenApiSchema, typeName) : undefined;
    },
  });
}
