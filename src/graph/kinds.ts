// Where the kinds of a graph's resources come from, for a graph context: the bundled built-in
// kinds, CRD files, schemas handed in, and other RGDs' instance kinds (chained RGDs), whose spec
// type comes from their SimpleSchema and whose status type from building their graph. The graph
// builder types expressions with it; editors (src/lsp) ask it for the same types and schemas.
import { celTypeFromSchema, type OpenApiSchema } from '../cel/types.js';
import type { JsonObject, Rgd } from '../rgd/model.js';
import { instanceSchemaOf } from '../schema/build.js';
import { lookupBuiltinKind } from '../schema/k8s-builtin.js';
import { celTypeFromSchemaNode, KindResolver } from '../schema/resolver.js';
import type { BuildResult, GraphContext } from './context.js';

/** Builds another RGD's graph in a context (buildGraph; passed in to keep the modules acyclic). */
export type GraphBuilder = (rgd: Rgd, ctx: GraphContext) => BuildResult;

/** What the builds of one context share about chained RGDs. */
interface Chained {
  /** Each chained RGD's status schema, or 'building' while its graph is being built. */
  readonly statuses: Map<Rgd, JsonObject | 'building'>;
  /** How many times a build met an RGD still being built (a cycle of chained kinds). */
  cycles: number;
  /** Builds made for a chained kind that met no such cycle, until buildGraph asks for them. */
  readonly builds: Map<Rgd, BuildResult>;
}

const chainedOf = new WeakMap<GraphContext, Chained>();

function chained(ctx: GraphContext): Chained {
  let c = chainedOf.get(ctx);
  if (!c) {
    c = { statuses: new Map(), cycles: 0, builds: new Map() };
    chainedOf.set(ctx, c);
  }
  return c;
}

/**
 * After any build of `rgd` in `ctx`: its status schema is what an RGD chaining to it gets, unless
 * the cache already has one. It has one exactly when this build was itself for a chained kind, or
 * when it reached `rgd` again through a cycle of chained kinds (and then the entry from inside the
 * cycle stands, as before). Otherwise the build just made is the one a chained lookup would make,
 * and an RGD built once per process (generate, validate) is not built a second time for its chain.
 */
export function rememberStatus(ctx: GraphContext, rgd: Rgd, status: JsonObject): void {
  const cache = chained(ctx).statuses;
  if (!cache.has(rgd)) cache.set(rgd, status);
}

/**
 * The build of `rgd` made earlier in `ctx` for an RGD chaining to it, once (validate builds every
 * RGD it is given, often after another RGD needed its status). Only a build that met no cycle of
 * chained kinds is kept: everything else it read was final, so building again would give the same.
 */
export function takeChainedBuild(ctx: GraphContext, rgd: Rgd): BuildResult | undefined {
  const builds = chainedOf.get(ctx)?.builds;
  const found = builds?.get(rgd);
  if (found) builds?.delete(rgd);
  return found;
}

function chainedStatusSchema(ctx: GraphContext, rgd: Rgd, build: GraphBuilder): JsonObject | undefined {
  const c = chained(ctx);
  const hit = c.statuses.get(rgd);
  if (hit === 'building') {
    c.cycles++;
    return undefined;
  }
  if (hit) return hit;
  c.statuses.set(rgd, 'building');
  const cyclesBefore = c.cycles;
  const result = build(rgd, ctx);
  const status = result.graph.instance.statusSchema;
  c.statuses.set(rgd, status);
  if (c.cycles === cyclesBefore) c.builds.set(rgd, result);
  return status;
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
        // The model does not depend on the locator, which only positions its diagnostics.
        instanceSchemaOf(other).schema.spec,
        typeName,
      ),
    rgdStatus: (other, typeName) => {
      const s = chainedStatusSchema(ctx, other, build);
      return s ? celTypeFromSchema(s as OpenApiSchema, typeName) : undefined;
    },
  });
}
