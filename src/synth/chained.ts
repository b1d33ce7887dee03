// Chained RGDs in expanded mode. A template whose kind is another RGD's instance kind makes kro
// create that instance, which kro then reconciles into the other RGD's resources. Expanded output
// is for clusters without kro, where nobody would reconcile it, so the renderer replaces such an
// instance by what its own RGD renders for it (render.ts). This module finds which RGD defines a
// kind and the graph to render it with; both are worked out once per set of schema sources.
import type { Diagnostic } from '../diagnostics.js';
import { buildGraph, type GraphContext } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import type { Rgd } from '../rgd/model.js';
import { KindMap } from './kind-map.js';
import type { SchemaSources } from './schemas.js';

/** How deeply chained instances may nest by default (an instance of A creating B is depth 1). */
export const MAX_CHAIN_DEPTH = 10;

/** The RGDs that define a kind: one, or several (ambiguous, reported by the caller). */
export type ChainedLookup = (apiVersion: string, kind: string) => readonly Rgd[] | undefined;

interface Built {
  readonly graph: Graph;
  /** Errors of a graph built here (a graph the caller gave carries its own diagnostics). */
  readonly diagnostics: readonly Diagnostic[];
}

interface SourceCache {
  readonly lookup: ChainedLookup;
  /** Graphs built here, without and with the omit() gate. */
  readonly built: readonly [Map<Rgd, Built>, Map<Rgd, Built>];
}

const caches = new WeakMap<SchemaSources, SourceCache>();

function cacheOf(sources: SchemaSources): SourceCache {
  let c = caches.get(sources);
  if (!c) {
    const byKind = new KindMap<Rgd[]>();
    for (const rgd of sources.rgds ?? []) {
      const apiVersion = `${rgd.schema.group}/${rgd.schema.apiVersion}`;
      const list = byKind.get(apiVersion, rgd.schema.kind) ?? [];
      // The same RGD given twice (by two inputs) is one definition.
      if (!list.some((r) => r === rgd || r.name === rgd.name)) list.push(rgd);
      byKind.set(apiVersion, rgd.schema.kind, list);
    }
    c = { lookup: (apiVersion, kind) => byKind.get(apiVersion, kind), built: [new Map(), new Map()] };
    caches.set(sources, c);
  }
  return c;
}

/** Which RGDs of `sources` define `apiVersion` `kind`; undefined when none does. */
export function chainedLookup(sources: SchemaSources | undefined): ChainedLookup | undefined {
  if (!sources?.rgds || sources.rgds.length === 0) return undefined;
  return cacheOf(sources).lookup;
}

/**
 * The graph of a chained RGD: the caller's when it gave one, else built from the same schema
 * sources the renderer reads objects through (cached per sources object and omit gate).
 */
export function chainedGraph(
  rgd: Rgd,
  sources: SchemaSources,
  given: ReadonlyMap<Rgd, Graph> | undefined,
  omit: boolean,
): Built {
  const graph = given?.get(rgd);
  if (graph) return { graph, diagnostics: [] };
  const cache = cacheOf(sources).built[omit ? 1 : 0];
  let hit = cache.get(rgd);
  if (!hit) {
    const ctx: GraphContext = {
      ...(sources.kinds ? { kinds: sources.kinds } : {}),
      ...(sources.crds ? { crds: sources.crds } : {}),
      ...(sources.rgds ? { rgds: sources.rgds } : {}),
      ...(sources.builtin === false ? { builtin: false as const } : {}),
      omit,
    };
    const result = buildGraph(rgd, ctx);
    hit = { graph: result.graph, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
    cache.set(rgd, hit);
  }
  return hit;
}
