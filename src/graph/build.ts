// kro's graph builder (pkg/graph/builder.go), offline: finds every expression of an RGD, works
// out what each reads, builds the dependency DAG with kro's ordering, type-checks every
// expression against the schemas of the kinds involved, and infers the instance status schema.
// Problems come back as diagnostics pointing at the expression; the graph is returned even then,
// as complete as the problems allow.
//
// This module runs the steps in kro's order; each step lives in the module named after what it
// does: resource-nodes (drafting a resource), resource-references (what it reads: the edges),
// resource-types (CEL typing), instance-status (status fields and conditions); build-state holds
// what they share.
import { type CelType, celTypeFromSchema, listOf, STRING, TYPE_NAME_PREFIX } from '../cel/types.js';
import { type Diagnostic, error, hasErrors } from '../diagnostics.js';
import type { Rgd } from '../rgd/model.js';
import { instanceSchemaOf } from '../schema/build.js';
import { specToOpenAPI } from '../schema/openapi.js';
import { celTypeFromSchemaNode, type KindResolver, objectMetaSchema } from '../schema/resolver.js';
import { BuildState, definePropertyOnRead } from './build-state.js';
import type { BuildResult, GraphContext } from './context.js';
import { cycleMessage, DirectedAcyclicGraph } from './dag.js';
import { SCHEMA } from './identifiers.js';
import { buildStatus, draftStatus } from './instance-status.js';
import { graphKindResolver, rememberStatus, takeChainedBuild } from './kinds.js';
import type { Graph } from './model.js';
import { draftNode, finishNode, type NodeDraft } from './resource-nodes.js';
import { inspectNode, siteReferencing } from './resource-references.js';
import { checkNode, selectPaths, typeEnv } from './resource-types.js';
import { checkValidationRules } from './validation-rules.js';

export type { BuildResult, GraphContext } from './context.js';
export type { Graph } from './model.js';

// The kinds a graph's resources may have: chained RGDs' statuses come from building their graphs.
// One resolver per context: it depends on nothing else, and every build of the context asks it.
const resolvers = new WeakMap<GraphContext, KindResolver>();

function resolverFor(ctx: GraphContext): KindResolver {
  let resolver = resolvers.get(ctx);
  if (!resolver) {
    resolver = graphKindResolver(ctx, buildGraph);
    resolvers.set(ctx, resolver);
  }
  return resolver;
}

// `schema.metadata`'s type: the same for every RGD of a scope, so made once per process, its fields
// worked out once (every RGD reading `schema.metadata.name` reads them). Types are plain data
// nobody changes, as kindCelType shares them too.
const metadataTypes = new Map<boolean, CelType>();

function schemaMetadataType(namespaced: boolean): CelType {
  let t = metadataTypes.get(namespaced);
  if (t === undefined) {
    t = celTypeFromSchema(objectMetaSchema(namespaced), `${TYPE_NAME_PREFIX}${SCHEMA}.metadata`);
    metadataTypes.set(namespaced, t);
  }
  return t;
}

/** Builds the resource graph of `rgd`. Never throws for bad input. */
export function buildGraph(rgd: Rgd, ctx: GraphContext = {}): BuildResult {
  const made = takeChainedBuild(ctx, rgd);
  if (made) return made;
  const result = new Builder(rgd, ctx).build();
  rememberStatus(ctx, rgd, result.graph.instance.statusSchema);
  return result;
}

class Builder {
  readonly #s: BuildState;
  readonly #resolver: KindResolver;

  constructor(rgd: Rgd, ctx: GraphContext) {
    this.#s = new BuildState(rgd, ctx);
    this.#resolver = resolverFor(ctx);
  }

  build(): BuildResult {
    const s = this.#s;
    const rgd = s.rgd;

    // The `schema` variable: the instance without status.
    const built = instanceSchemaOf(rgd);
    // Indexed loops in this method: cold code (docs/architecture.md).
    for (let i = 0; i < built.diagnostics.length; i++) s.report(built.diagnostics[i] as Diagnostic);
    if (!hasErrors(built.diagnostics)) {
      const problems = checkValidationRules(built.schema.spec, rgd.loc);
      for (let i = 0; i < problems.length; i++) s.report(problems[i] as Diagnostic);
    }
    const schemaName = `${TYPE_NAME_PREFIX}${SCHEMA}`;
    const schemaType: CelType = {
      kind: 'object',
      name: schemaName,
      fields: {
        apiVersion: STRING,
        kind: STRING,
        metadata: schemaMetadataType(s.namespaced),
        // A broken SimpleSchema drops the broken fields; reading them is not a second error.
        spec: hasErrors(built.diagnostics)
          ? { kind: 'object', name: `${schemaName}.spec`, fields: {}, preserveUnknown: true }
          : celTypeFromSchemaNode(built.schema.spec, `${schemaName}.spec`),
      },
      preserveUnknown: false,
    };

    // Each resource: its kind and expression sites, then what they read (the DAG's edges).
    const nodes: NodeDraft[] = [];
    for (let i = 0; i < rgd.resources.length; i++)
      nodes.push(draftNode(s, this.#resolver, rgd.resources[i] as Rgd['resources'][number]));
    for (let i = 0; i < nodes.length; i++) inspectNode(s, nodes[i] as NodeDraft);

    // Dependencies and ordering.
    const dag = new DirectedAcyclicGraph();
    // The DAG refuses the edge that closes a cycle; the order without it would be wrong.
    let cyclic = false;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeDraft;
      dag.addVertex(n.r.id, n.r.index);
    }
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeDraft;
      const err = dag.addDependencies(
        n.r.id,
        n.dependencies.filter((d) => dag.has(d) && d !== n.r.id),
      );
      if (err?.code === 'cycle') {
        cyclic = true;
        const at = err.cycle.indexOf(n.r.id);
        const next = at >= 0 ? err.cycle[at + 1] : undefined;
        const site = next !== undefined ? siteReferencing(s, n, next) : undefined;
        s.report(
          error(
            `failed to build dependency graph: ${cycleMessage(this.#cycleFrom(err.cycle, n.r.id))}`,
            site ? s.pos(site) : rgd.loc.at([...n.base, 'id']),
            'graph/cycle',
          ),
        );
      }
    }

    // Type checking.
    const vars = new Map<string, CelType>([[SCHEMA, schemaType]]);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeDraft;
      vars.set(
        n.r.id,
        n.type === 'collection' || n.type === 'externalCollection' ? listOf(n.celType) : n.celType,
      );
    }
    const statusDraft = draftStatus(s);
    const env = typeEnv(s, vars, selectPaths(s, nodes, statusDraft));
    for (let i = 0; i < nodes.length; i++) checkNode(s, nodes[i] as NodeDraft, env);

    // Status.
    const status = buildStatus(s, env, statusDraft);

    const graph: Graph = {
      name: rgd.name,
      file: rgd.file,
      instance: {
        group: rgd.schema.group,
        version: rgd.schema.apiVersion,
        apiVersion: `${rgd.schema.group}/${rgd.schema.apiVersion}`,
        kind: rgd.schema.kind,
        namespaced: s.namespaced,
        schemaType,
        specSchema: {},
        statusVariables: [],
        conditions: status.conditions,
        dependencies: status.dependencies,
        statusSchema: status.schema,
      },
      resources: [],
      topologicalOrder: [],
      layers: [],
      applyOrders: {},
    };
    // Parts of the graph worked out when first read (definePropertyOnRead), in their places among
    // the keys. No command reads the spec's OpenAPI form (it is for library users), and converting
    // a big SimpleSchema was a noticeable share of validating one; the graph drawing and synth read
    // the layers and apply orders, validation does not (each sorts the DAG again). `generate` reads
    // only the status schema and the diagnostics: the resources' and the status fields' records
    // (an object, a position closure and a part per expression) and the topological order wait
    // to be read too. What they are made of is final by now, and making them reports nothing.
    definePropertyOnRead(graph.instance, 'specSchema', () => specToOpenAPI(built.schema));
    definePropertyOnRead(graph.instance, 'statusVariables', status.variables);
    definePropertyOnRead(graph, 'resources', () => nodes.map((n) => finishNode(s, n)));
    definePropertyOnRead(graph, 'topologicalOrder', () => {
      const topo = dag.topologicalSort();
      return topo.ok && !cyclic ? topo.value : [];
    });
    definePropertyOnRead(graph, 'layers', () => {
      const layers = dag.applyLayers();
      return layers.ok && !cyclic ? layers.value : [];
    });
    definePropertyOnRead(graph, 'applyOrders', () => {
      const orders = dag.applyOrders();
      return orders.ok && !cyclic ? Object.fromEntries(orders.value) : {};
    });
    return { graph, diagnostics: s.diagnostics };
  }

  #cycleFrom(cycle: readonly string[], start: string): string[] {
    const open = cycle.slice(0, -1);
    const i = open.indexOf(start);
    if (i < 0) return [...cycle];
    const rotated = [...open.slice(i), ...open.slice(0, i)];
    return [...rotated, start];
  }
}

/** Whether a build found errors (convenience for callers). */
export function graphHasErrors(result: BuildResult): boolean {
  return hasErrors(result.diagnostics);
}
