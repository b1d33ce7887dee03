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

function chainedStatusSchema(ctx: GraphContext, rgd: Rgd, build: GraphBuilder): JsonObject | undefined {
  let cache = statusCache.get(ctx);
  if (!cache) {
    cache = new Map();
    statusCache.set(ctx, cache);
  }
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
