// Many instances at once, in either mode:
//
//   expanded  every instance rendered into the objects kro would create (renderInstance), the
//             instances one after another in dependency order; an instance's waves start past
//             the last wave of every instance it depends on.
//   bundle    what a cluster running kro needs: each RGD once, then the instance objects (spec
//             with the schema's defaults applied, as the API server stores it); kro
//             expands them in the cluster. RGDs come first (an RGD whose resources create or read
//             another RGD's kind after that RGD, since kro needs the CRD to accept it), instances
//             after all RGDs.
//
// Instances are ordered by dependencies: the ones the caller gives (`dependsOn`, e.g. the cdk8s
// side's addDependency edges) and the ones the instances themselves imply, i.e. an instance
// whose RGD has an externalRef that points at another instance (by name, or by selector
// matching its labels). Otherwise input order is kept.
import { type Diagnostic, error, hasErrors, quoted } from '../diagnostics.js';
import { buildGraph, type GraphContext } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue, Locator, Rgd } from '../rgd/model.js';
import {
  type AnnotationStyle,
  DEFAULT_ANNOTATIONS,
  dependsOnRef,
  identityOf,
  type ObjectIdentity,
  SYNC_OPTIONS,
  stamp,
} from './annotate.js';
import { indexByKindAndName, type KindNameIndex, selectorMatches } from './external.js';
import { DEFAULT_NAMESPACE, type NormalizedInstance, normalizeInstance } from './instance.js';
import { kappGroup } from './kapp-groups.js';
import { objectMetaProblems } from './object-meta.js';
import { orderByDependencies } from './order.js';
import { externalReferences, renderNormalized } from './render.js';
import type { ExternalReference, RenderedManifest, RenderOptions } from './render-model.js';
import { instanceModel } from './schemas.js';

export type SynthMode = 'expanded' | 'bundle';

export interface SynthInstance {
  readonly rgd: Rgd;
  /** The RGD's graph; built from `graphContext` when absent. */
  readonly graph?: Graph;
  readonly object: JsonValue;
  /** Positions in the instance's file. */
  readonly loc?: Locator;
  /** The key `dependsOn` entries use; `<apiVersion>/<kind>/<namespace>/<name>` by default. */
  readonly id?: string;
  /** Ids of instances this one must come after. */
  readonly dependsOn?: readonly string[];
}

export interface SynthOptions extends Omit<RenderOptions, 'waveOffset' | 'instanceLoc' | 'annotations'> {
  readonly mode?: SynthMode;
  readonly annotations?: readonly AnnotationStyle[];
  /** RGDs to put in a bundle even when no instance uses them. */
  readonly rgds?: readonly Rgd[];
  /** For building graphs that were not given (CRDs, chained RGDs, unknown-kind policy). */
  readonly graphContext?: GraphContext;
}

export interface SynthManifest {
  readonly object: JsonObject;
  /**
   * What the object is: an RGD (bundle), an instance (bundle), a rendered resource (expanded), or
   * part of kro's own install (bundle with kro, src/deploy).
   */
  readonly source: 'rgd' | 'instance' | 'resource' | 'kro';
  /** Name of the RGD it belongs to (for an object of a chained instance, the chained RGD). */
  readonly rgd: string;
  /** Id of the instance it belongs to (instances and resources): the instance given. */
  readonly instance?: string;
  readonly nodeId?: string;
  /** Resources: the node's path (`RenderedManifest.nodePath`). */
  readonly nodePath?: string;
  /** Resources of a chained instance expanded in place: that instance. */
  readonly chainedInstance?: ObjectIdentity;
  readonly collectionIndex?: number;
  readonly wave: number;
}

export interface SynthResult {
  /** In apply order; empty when there are errors. */
  readonly manifests: readonly SynthManifest[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The default id of an instance: `<apiVersion>/<kind>/<namespace>/<name>`. */
export function instanceId(id: ObjectIdentity): string {
  return `${id.apiVersion}/${id.kind}/${id.namespace}/${id.name}`;
}

interface Prepared {
  readonly input: SynthInstance;
  readonly graph: Graph;
  readonly id: string;
  readonly identity: ObjectIdentity;
  /** The object with namespace filled in (bundle output; external for other instances). */
  readonly object: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly normalized: NormalizedInstance;
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function graphOf(
  rgd: Rgd,
  ctx: GraphContext | undefined,
  cache: Map<Rgd, { graph: Graph; diagnostics: Diagnostic[] }>,
) {
  let hit = cache.get(rgd);
  if (!hit) {
    const built = buildGraph(rgd, ctx ?? {});
    hit = { graph: built.graph, diagnostics: built.diagnostics };
    cache.set(rgd, hit);
  }
  return hit;
}

function pointsAt(ref: ExternalReference, target: Prepared): boolean {
  const t = target.identity;
  if (ref.apiVersion !== t.apiVersion || ref.kind !== t.kind) return false;
  if (ref.selector !== undefined) {
    if (ref.namespace !== '' && ref.namespace !== t.namespace) return false;
    return selectorMatches(ref.selector, target.labels);
  }
  return ref.name === t.name && (ref.namespace === '' || t.namespace === '' || ref.namespace === t.namespace);
}

/**
 * The indexes of the instances an external reference may point at, in input order. The index is
 * built on the first reference: most RGDs have no external references.
 */
function instanceCandidates(prepared: readonly Prepared[]): (ref: ExternalReference) => readonly number[] {
  let index: KindNameIndex<number> | undefined;
  return (ref) => {
    index ??= indexByKindAndName(
      prepared.map((_, i) => i),
      (i) => (prepared[i] as Prepared).identity,
    );
    return ref.selector !== undefined
      ? index.ofKind(ref.apiVersion, ref.kind)
      : index.named(ref.apiVersion, ref.kind, ref.name);
  };
}

/** The kinds an RGD creates or reads (templates and external references), as `apiVersion\0kind`. */
export function kindsUsed(rgd: Rgd): Set<string> {
  const out = new Set<string>();
  for (const r of rgd.resources) {
    const o = (r.template ?? r.externalRef) as JsonObject | null;
    if (o && typeof o.apiVersion === 'string' && typeof o.kind === 'string')
      out.add(`${o.apiVersion}\u0000${o.kind}`);
  }
  return out;
}

/** The kind an RGD defines, keyed as `kindsUsed` keys kinds. */
export function instanceKindKey(rgd: Rgd): string {
  return `${rgd.schema.group}/${rgd.schema.apiVersion}\u0000${rgd.schema.kind}`;
}

/**
 * Synthesizes manifests for many instances, in expanded or bundle mode (see the file comment).
 * Never throws for bad input: problems are diagnostics, and then no manifests are returned.
 */
export function synthesize(instances: readonly SynthInstance[], opts: SynthOptions = {}): SynthResult {
  const mode = opts.mode ?? 'expanded';
  const styles = opts.annotations ?? DEFAULT_ANNOTATIONS;
  const diagnostics: Diagnostic[] = [];
  const graphs = new Map<Rgd, { graph: Graph; diagnostics: Diagnostic[] }>();
  const defaultNamespace = opts.defaultNamespace ?? DEFAULT_NAMESPACE;

  // 1. Normalize every instance (kind, scope, schema, defaults) and give it an id.
  const prepared: Prepared[] = [];
  const byId = new Map<string, number>();
  for (const input of instances) {
    const g = input.graph
      ? { graph: input.graph, diagnostics: [] }
      : graphOf(input.rgd, opts.graphContext, graphs);
    const n = normalizeInstance(
      input.rgd,
      instanceModel(input.rgd).model,
      { object: input.object, ...(input.loc ? { loc: input.loc } : {}) },
      { defaultNamespace, omit: opts.omit ?? false },
    );
    diagnostics.push(...n.diagnostics);
    if (!n.instance) continue;
    // As the API server stores it: defaults applied, namespace filled in, no status. The bundle
    // carries this, so what is applied is what was checked, and the cdk8s constructs agree.
    const object = n.instance.object;
    const refused = objectMetaProblems(object, input.rgd.schema.scope !== 'Cluster');
    for (const pr of refused)
      diagnostics.push(
        error(`instance ${pr.message}`, input.loc?.at([...pr.path]), 'synth/invalid-object-meta'),
      );
    if (refused.length > 0) continue;
    const identity = identityOf(object);
    const id = input.id ?? instanceId(identity);
    if (byId.has(id)) {
      diagnostics.push(
        error(
          `instance ${n.instance.display} is given twice`,
          input.loc?.at(['metadata', 'name']),
          'synth/duplicate-instance',
        ),
      );
      continue;
    }
    const meta = isMap(object.metadata) ? object.metadata : {};
    const labels: Record<string, string> = {};
    if (isMap(meta.labels))
      for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') setOwn(labels, k, v);
    byId.set(id, prepared.length);
    prepared.push({ input, graph: g.graph, id, identity, object, labels, normalized: n.instance });
  }
  for (const { diagnostics: d } of graphs.values()) diagnostics.push(...d);
  if (hasErrors(diagnostics)) return { manifests: [], diagnostics };

  // 2. Order the instances. An external reference is matched against the instances of its kind
  // (of its kind and name, for a reference by name) only: n instances reading each other stay linear.
  const candidates = instanceCandidates(prepared);
  const deps: number[][] = prepared.map(() => []);
  prepared.forEach((p, i) => {
    for (const d of p.input.dependsOn ?? []) {
      const j = byId.get(d);
      if (j === undefined) {
        diagnostics.push(
          error(
            `instance ${p.id} depends on unknown instance ${d}`,
            p.input.loc?.at([]),
            'synth/unknown-dependency',
          ),
        );
      } else (deps[i] as number[]).push(j);
    }
    for (const ref of externalReferences(p.graph, p.input.rgd, p.normalized, opts)) {
      for (const j of candidates(ref))
        if (j !== i && pointsAt(ref, prepared[j] as Prepared)) (deps[i] as number[]).push(j);
    }
  });
  const ordered = orderByDependencies(prepared.length, deps);
  if (!ordered.ok) {
    const names = ordered.cycle.map((i) => prepared[i]?.id ?? '?');
    diagnostics.push(
      error(
        `instances depend on each other in a cycle: ${names.join(' -> ')}`,
        undefined,
        'synth/instance-cycle',
      ),
    );
    return { manifests: [], diagnostics };
  }
  if (hasErrors(diagnostics)) return { manifests: [], diagnostics };

  return mode === 'bundle'
    ? bundleManifests(prepared, deps, ordered.order, ordered.layers, styles, opts, diagnostics)
    : expandedManifests(prepared, deps, ordered.order, styles, opts, diagnostics);
}

function expandedManifests(
  prepared: readonly Prepared[],
  deps: readonly (readonly number[])[],
  order: readonly number[],
  styles: readonly AnnotationStyle[],
  opts: SynthOptions,
  diagnostics: Diagnostic[],
): SynthResult {
  // Other instances stand in for what an externalRef to them reads (their spec, no status).
  const externals = [...(opts.externals ?? []), ...prepared.map((p) => p.object)];
  // Chained RGDs that are also given instances render with the graph built for those.
  const graphs = new Map<Rgd, Graph>(opts.graphs ?? []);
  for (const p of prepared) if (!graphs.has(p.input.rgd)) graphs.set(p.input.rgd, p.graph);
  const nextWave = new Array<number>(prepared.length).fill(0);
  // The objects nothing else in an instance depends on: depending on them covers the instance
  // (worked out only for the instances others depend on).
  const dependedOn = new Set(deps.flat());
  const leaves = new Map<number, { dependsOn: string[]; changeGroups: string[] }>();
  const manifests: SynthManifest[] = [];
  for (const i of order) {
    const p = prepared[i] as Prepared;
    let offset = 0;
    const after = { dependsOn: [] as string[], changeGroups: [] as string[] };
    for (const d of deps[i] ?? []) {
      offset = Math.max(offset, nextWave[d] as number);
      after.dependsOn.push(...(leaves.get(d)?.dependsOn ?? []));
      after.changeGroups.push(...(leaves.get(d)?.changeGroups ?? []));
    }
    const result = renderNormalized(p.graph, p.input.rgd, p.normalized, {
      ...opts,
      annotations: styles,
      externals,
      graphs,
      waveOffset: offset,
      ...(after.dependsOn.length + after.changeGroups.length > 0 ? { after } : {}),
      ...(p.input.loc ? { instanceLoc: p.input.loc } : {}),
    });
    diagnostics.push(...result.diagnostics);
    let last = offset - 1;
    for (const m of result.manifests) {
      const refused = refusedMeta(m, p);
      if (refused.length > 0) diagnostics.push(...refused);
      last = Math.max(last, m.wave);
      manifests.push(resourceManifest(m, p));
    }
    if (dependedOn.has(i)) {
      const needed = new Set(result.manifests.flatMap((m) => m.dependsOnNodes));
      const leaf = { dependsOn: [] as string[], changeGroups: [] as string[] };
      for (const m of result.manifests) {
        if (needed.has(m.nodePath)) continue;
        leaf.dependsOn.push(dependsOnRef(identityOf(m.object)));
        leaf.changeGroups.push(m.changeGroup);
      }
      leaves.set(i, leaf);
    }
    nextWave[i] = last + 1;
  }
  if (hasErrors(diagnostics)) return { manifests: [], diagnostics };
  return { manifests, diagnostics };
}

// A rendered object the API server would refuse for its metadata: positioned at the template's
// field (or, for an object of a chained instance, at the instance).
function refusedMeta(m: RenderedManifest, p: Prepared): Diagnostic[] {
  const problems = objectMetaProblems(m.object, !m.clusterScoped);
  if (problems.length === 0) return [];
  const rgd = p.input.rgd;
  const index = m.chainedInstance ? -1 : rgd.resources.findIndex((r) => r.id === m.nodeId);
  return problems.map((pr) =>
    error(
      `resource ${quoted(m.nodePath)}: ${pr.message}`,
      index >= 0
        ? rgd.loc.at(['spec', 'resources', index, 'template', ...pr.path])
        : p.input.loc?.at(['metadata', 'name']),
      'synth/invalid-object-meta',
    ),
  );
}

function resourceManifest(m: RenderedManifest, p: Prepared): SynthManifest {
  // Nearly every manifest has neither optional field: one literal, without spreading (the same keys
  // in the same order as below).
  if (m.chainedInstance === undefined && m.collectionIndex === undefined)
    return {
      object: m.object,
      source: 'resource',
      rgd: p.input.rgd.name,
      instance: p.id,
      nodeId: m.nodeId,
      nodePath: m.nodePath,
      wave: m.wave,
    };
  return {
    object: m.object,
    source: 'resource',
    rgd: m.chainedInstance?.rgd ?? p.input.rgd.name,
    instance: p.id,
    nodeId: m.nodeId,
    nodePath: m.nodePath,
    ...(m.chainedInstance ? { chainedInstance: m.chainedInstance.identity } : {}),
    ...(m.collectionIndex !== undefined ? { collectionIndex: m.collectionIndex } : {}),
    wave: m.wave,
  };
}

function rgdRef(rgd: Rgd): string {
  return dependsOnRef({
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    name: rgd.name,
    namespace: '',
  });
}

function rgdGroup(rgd: Rgd): string {
  return kappGroup(['rgd', rgd.name]);
}

function instanceGroup(id: ObjectIdentity): string {
  return kappGroup([id.kind.toLowerCase(), ...(id.namespace ? [id.namespace] : []), id.name]);
}

function bundleManifests(
  prepared: readonly Prepared[],
  deps: readonly (readonly number[])[],
  order: readonly number[],
  layers: readonly number[],
  styles: readonly AnnotationStyle[],
  opts: SynthOptions,
  diagnostics: Diagnostic[],
): SynthResult {
  // Every RGD once: those given first, then those of instances, in first-seen order.
  const rgds: Rgd[] = [];
  const seen = new Set<string>();
  for (const rgd of [...(opts.rgds ?? []), ...prepared.map((p) => p.input.rgd)]) {
    if (seen.has(rgd.name)) continue;
    seen.add(rgd.name);
    rgds.push(rgd);
  }
  // An RGD that creates or reads another RGD's kind waits for that RGD (kro needs its CRD).
  const producers = new Map<string, number>();
  rgds.forEach((r, i) => {
    producers.set(instanceKindKey(r), i);
  });
  const rgdDeps = rgds.map((r, i) => {
    const out: number[] = [];
    for (const k of kindsUsed(r)) {
      const j = producers.get(k);
      if (j !== undefined && j !== i) out.push(j);
    }
    return out;
  });
  const rgdOrder = orderByDependencies(rgds.length, rgdDeps);
  if (!rgdOrder.ok) {
    const names = rgdOrder.cycle.map((i) => rgds[i]?.name ?? '?');
    diagnostics.push(
      error(`RGDs use each other's kinds in a cycle: ${names.join(' -> ')}`, undefined, 'synth/rgd-cycle'),
    );
    return { manifests: [], diagnostics };
  }
  const manifests: SynthManifest[] = [];
  let instanceBase = 0;
  for (const i of rgdOrder.order) {
    const rgd = rgds[i] as Rgd;
    const wave = rgdOrder.layers[i] as number;
    instanceBase = Math.max(instanceBase, wave + 1);
    const depRgds = (rgdDeps[i] ?? []).map((j) => rgds[j] as Rgd);
    manifests.push({
      object: stamp(rgd.raw, {
        styles,
        dependsOn: depRgds.map(rgdRef),
        wave,
        changeGroup: rgdGroup(rgd),
        dependsOnGroups: depRgds.map(rgdGroup),
      }),
      source: 'rgd',
      rgd: rgd.name,
      wave,
    });
  }
  for (const i of order) {
    const p = prepared[i] as Prepared;
    const wave = instanceBase + (layers[i] as number);
    const depInstances = (deps[i] ?? []).map((j) => prepared[j] as Prepared);
    manifests.push({
      object: stamp(p.object, {
        styles,
        dependsOn: [rgdRef(p.input.rgd), ...depInstances.map((q) => dependsOnRef(q.identity))],
        wave,
        changeGroup: instanceGroup(p.identity),
        dependsOnGroups: [rgdGroup(p.input.rgd), ...depInstances.map((q) => instanceGroup(q.identity))],
        // The instance's CRD exists only once kro has processed the RGD: Argo CD's dry run would fail.
        ...(styles.includes('argocd')
          ? { annotations: { [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' } }
          : {}),
      }),
      source: 'instance',
      rgd: p.input.rgd.name,
      instance: p.id,
      wave,
    });
  }
  return { manifests, diagnostics };
}
