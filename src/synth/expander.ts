// Expanding an instance: its own objects and, in place of each resource creating an instance of a
// chained RGD, that instance's objects (recursively), each ordered and stamped.
import { type Diagnostic, error, type SourcePos, warning } from '../diagnostics.js';
import type { Graph, GraphResource } from '../graph/model.js';
import { setOwn } from '../json.js';
import type { DocPath, JsonObject, Locator, Rgd } from '../rgd/model.js';
import {
  type AnnotationStyle,
  COLLECTION_INDEX_LABEL,
  DEFAULT_ANNOTATIONS,
  dependsOnRef,
  INSTANCE_GROUP_LABEL,
  INSTANCE_KIND_LABEL,
  INSTANCE_NAME_LABEL,
  INSTANCE_NAMESPACE_LABEL,
  identityOf,
  isLabelValue,
  NODE_ID_LABEL,
  type ObjectIdentity,
  ROOT_INSTANCE_GROUP_LABEL,
  ROOT_INSTANCE_KIND_LABEL,
  ROOT_INSTANCE_NAME_LABEL,
  ROOT_INSTANCE_NAMESPACE_LABEL,
  stampOwned,
} from './annotate.js';
import { type ChainedLookup, chainedGraph, chainedLookup, MAX_CHAIN_DEPTH } from './chained.js';
import { DEFAULT_NAMESPACE, type NormalizedInstance, normalizeInstance } from './instance.js';
import { InstanceRenderer } from './instance-renderer.js';
import { nodeChangeGroup } from './kapp-groups.js';
import { graphFacts } from './node-ordering.js';
import { sortedUnique } from './order.js';
import { compileGraph } from './program.js';
import type { ChainedInstance, NodeState, RenderedManifest, RenderOptions } from './render-model.js';
import { instanceModel } from './schemas.js';

/** What the nodes depending on something wait for: its objects, kapp groups, paths, last wave. */
interface Waited {
  readonly refs: readonly string[];
  readonly groups: readonly string[];
  readonly paths: readonly string[];
  /** Roots: their wave; otherwise the last wave of what is waited for. */
  readonly wave: number;
}

/** An instance being expanded: the given one, or a chained instance one of its resources creates. */
interface Level {
  readonly graph: Graph;
  readonly rgd: Rgd;
  readonly inst: NormalizedInstance;
  /** Prepended to node ids to make paths unique in the result: `` or `<node>[<i>]/`. */
  readonly prefix: string;
  /** What the level's objects without dependencies inside it wait for. */
  readonly outer: Waited;
  /** The enclosing instances, outermost first. */
  readonly chain: readonly { readonly rgd: Rgd; readonly inst: NormalizedInstance }[];
  /** Where label warnings point; looked up only for a warning (a lookup per instance adds up). */
  readonly labelPos?: () => SourcePos;
}

/** Labels naming `inst` (an RGD instance) under `keys`; values that are not label values warned. */
function identificationLabels(
  keys: readonly [string, string, string, string],
  group: string,
  kind: string,
  inst: NormalizedInstance,
  pos: (() => SourcePos) | undefined,
  diagnostics: Diagnostic[],
): Record<string, string> {
  const out: Record<string, string> = {};
  // Once per instance: straight-line, not a loop over a list of pairs.
  addLabel(out, keys[0], group, inst, pos, diagnostics);
  addLabel(out, keys[1], kind, inst, pos, diagnostics);
  addLabel(out, keys[2], inst.name, inst, pos, diagnostics);
  if (inst.namespace !== '') addLabel(out, keys[3], inst.namespace, inst, pos, diagnostics);
  return out;
}

function addLabel(
  out: Record<string, string>,
  key: string,
  value: string,
  inst: NormalizedInstance,
  pos: (() => SourcePos) | undefined,
  diagnostics: Diagnostic[],
): void {
  if (isLabelValue(value)) setOwn(out, key, value);
  else
    diagnostics.push(
      warning(
        `label ${key} left out for ${inst.display}: ${JSON.stringify(value)} is not a valid label value`,
        pos?.(),
        'synth/label',
      ),
    );
}

/** An object's identification labels: the instance's, its node, its item, the root instance's. */
function objectLabels(
  base: Readonly<Record<string, string>>,
  nodeId: string,
  index: number | undefined,
  root: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  // One copy in a step (the base holds kro-gen's own label keys only), then the object's own.
  const out: Record<string, string> = { ...base };
  out[NODE_ID_LABEL] = nodeId;
  if (index !== undefined) out[COLLECTION_INDEX_LABEL] = String(index);
  if (root !== undefined) for (const k in root) if (Object.hasOwn(root, k)) setOwn(out, k, root[k] as string);
  return out;
}

const INSTANCE_LABELS = [
  INSTANCE_GROUP_LABEL,
  INSTANCE_KIND_LABEL,
  INSTANCE_NAME_LABEL,
  INSTANCE_NAMESPACE_LABEL,
] as const;
const ROOT_LABELS = [
  ROOT_INSTANCE_GROUP_LABEL,
  ROOT_INSTANCE_KIND_LABEL,
  ROOT_INSTANCE_NAME_LABEL,
  ROOT_INSTANCE_NAMESPACE_LABEL,
] as const;

/** What every object of one level is stamped with, besides its node's own. */
interface Emit {
  readonly who: { readonly kind: string; readonly namespace: string; readonly name: string };
  /** The instance's identification labels; undefined when labels are off. */
  readonly baseLabels: Readonly<Record<string, string>> | undefined;
  readonly rootLabels: Readonly<Record<string, string>> | undefined;
  readonly chainedInstance: { readonly rgd: string; readonly identity: ObjectIdentity } | undefined;
}

/** What a node waits for: `outer` without rendered dependencies, else what they are waited for by. */
function waitOf(
  deps: readonly string[],
  states: ReadonlyMap<string, NodeState>,
  waited: ReadonlyMap<string, Waited>,
  outer: Waited,
): Waited {
  let any = false;
  const refs: string[] = [];
  const groups: string[] = [];
  const paths: string[] = [];
  let wave = 0;
  for (const d of deps) {
    if (states.get(d)?.status !== 'rendered') continue;
    any = true;
    const w = waited.get(d);
    if (!w) continue;
    refs.push(...w.refs);
    groups.push(...w.groups);
    paths.push(...w.paths);
    wave = Math.max(wave, w.wave + 1);
  }
  return any ? { refs, groups, paths, wave } : outer;
}

/** Positions inside the template of resource `index` of `rgd`, for a chained instance it renders. */
function templateLocator(rgd: Rgd, index: number): Locator {
  const base: DocPath = ['spec', 'resources', index, 'template'];
  return {
    file: rgd.loc.file,
    at: (path, part) => rgd.loc.at([...base, ...path], part),
    inString: (path, offset) => rgd.loc.inString([...base, ...path], offset),
  };
}

/**
 * Renders an instance and, in place of each resource that creates an instance of a chained RGD,
 * that instance's own resources (recursively), then orders and stamps every object.
 */
export class Expander {
  readonly manifests: RenderedManifest[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly excluded: string[] = [];
  readonly #opts: RenderOptions;
  readonly #styles: readonly AnnotationStyle[];
  readonly #chained: ChainedLookup | undefined;
  #rootLabels: Readonly<Record<string, string>> | undefined;
  readonly #root: { readonly rgd: Rgd; readonly inst: NormalizedInstance };
  /** Graph errors already reported, by RGD (each once per render). */
  readonly #reported = new Set<Rgd>();

  constructor(opts: RenderOptions, root: NormalizedInstance, rootRgd: Rgd) {
    this.#opts = opts;
    this.#styles = opts.annotations ?? DEFAULT_ANNOTATIONS;
    this.#chained = opts.expandChained === false ? undefined : chainedLookup(opts.schemas);
    this.#root = { rgd: rootRgd, inst: root };
  }

  /**
   * Renders one level into `manifests`; what depending on all of it waits for (worked out for a
   * nested level only: nothing waits for the instance given), or undefined when it failed.
   */
  level(lv: Level): Waited | undefined {
    const states = this.#render(lv);
    if (states === undefined) return undefined;
    const { graph, rgd, inst } = lv;
    const opts = this.#opts;
    const { byId, orderDeps, waitedFor } = graphFacts(graph);
    const nested = lv.chain.length > 0;
    const emit: Emit = {
      who: { kind: rgd.schema.kind, namespace: inst.namespace, name: inst.name },
      baseLabels:
        opts.labels === false
          ? undefined
          : identificationLabels(
              INSTANCE_LABELS,
              rgd.schema.group,
              rgd.schema.kind,
              inst,
              lv.labelPos,
              this.diagnostics,
            ),
      rootLabels: nested && opts.labels !== false ? this.#rootIdentification() : undefined,
      chainedInstance: nested ? { rgd: rgd.name, identity: identityOf(inst.object) } : undefined,
    };

    // What each rendered node's dependents wait for.
    const waited = new Map<string, Waited>();
    const all = { refs: [] as string[], groups: [] as string[], paths: [] as string[], wave: lv.outer.wave };
    let ok = true;
    for (const id of graph.topologicalOrder) {
      const state = states.get(id);
      const r = byId.get(id);
      if (!r || state?.status !== 'rendered' || r.type === 'external' || r.type === 'externalCollection')
        continue;
      const wait = waitOf(orderDeps.get(id) ?? [], states, waited, lv.outer);
      let w: Waited;
      if (state.chained !== undefined) {
        const expanded = this.#expandChained(lv, id, r, state.chained, wait);
        ok &&= expanded.ok;
        w = expanded.waited;
      } else w = this.#emit(lv, id, r, state.objects, wait, emit, nested || waitedFor.has(id));
      waited.set(id, w);
      if (!nested) continue;
      all.refs.push(...w.refs);
      all.groups.push(...w.groups);
      all.paths.push(...w.paths);
      all.wave = Math.max(all.wave, w.wave);
    }
    return ok ? all : undefined;
  }

  /** Renders the level's nodes: their states, or undefined (reported) when any failed. */
  #render(lv: Level): ReadonlyMap<string, NodeState> | undefined {
    const { graph, rgd, inst, prefix } = lv;
    const diagnostics = this.diagnostics;
    if (graph.topologicalOrder.length !== graph.resources.length) {
      diagnostics.push(
        error(`RGD ${rgd.name} has a dependency cycle; it cannot be rendered`, rgd.loc.at([]), 'synth/cycle'),
      );
      return undefined;
    }
    const opts = this.#opts;
    const compiled = compileGraph(graph, { omit: opts.omit ?? false });
    const lookup = this.#chained;
    const renderer = new InstanceRenderer(
      compiled,
      rgd,
      inst,
      opts,
      lookup
        ? {
            lookup,
            accept: (r, rgds, object, index, diags) => this.#accept(lv, r, rgds, object, index, diags),
          }
        : undefined,
    );
    renderer.run();
    diagnostics.push(...renderer.diagnostics);
    const states = renderer.states;
    for (const id of graph.topologicalOrder)
      if (states.get(id)?.status === 'excluded') this.excluded.push(prefix + id);
    if (renderer.diagnostics.some((d) => d.severity === 'error')) return undefined;
    return states;
  }

  /**
   * Each instance node `id` creates, replaced by its own resources, in the node's place: what
   * depending on the node waits for, and whether every instance expanded (all are tried).
   */
  #expandChained(
    lv: Level,
    id: string,
    r: GraphResource,
    chained: readonly ChainedInstance[],
    wait: Waited,
  ): { readonly waited: Waited; readonly ok: boolean } {
    const inner = { refs: [] as string[], groups: [] as string[], paths: [] as string[], wave: wait.wave };
    const outer: Waited = {
      refs: wait.refs.length === 0 ? [] : sortedUnique(wait.refs),
      groups: wait.groups,
      paths: wait.paths,
      wave: wait.wave,
    };
    const { rgd, inst, prefix } = lv;
    let ok = true;
    for (const [index, c] of chained.entries()) {
      const w = this.level({
        graph: c.graph,
        rgd: c.rgd,
        inst: c.inst,
        prefix: `${prefix}${id}${r.type === 'collection' ? `[${index}]` : ''}/`,
        outer,
        chain: [...lv.chain, { rgd, inst }],
        labelPos: () => templateLocator(rgd, r.index).at(['metadata']),
      });
      if (!w) {
        ok = false;
        continue;
      }
      inner.refs.push(...w.refs);
      inner.groups.push(...w.groups);
      inner.paths.push(...w.paths);
      inner.wave = Math.max(inner.wave, w.wave);
    }
    return { waited: inner, ok };
  }

  /**
   * Stamps node `id`'s objects into `manifests`; what its dependents wait for (the objects'
   * depends-on references only when `waitedOn`: something may wait for them).
   */
  #emit(
    lv: Level,
    id: string,
    r: GraphResource,
    objects: readonly JsonObject[],
    wait: Waited,
    emit: Emit,
    waitedOn: boolean,
  ): Waited {
    const styles = this.#styles;
    const sorted = wait.refs.length === 0 ? [] : sortedUnique(wait.refs);
    const path = lv.prefix + id;
    const changeGroup = nodeChangeGroup(emit.who, id);
    const clusterScoped = r.namespaced === false;
    const collection = r.type === 'collection';
    const refs: string[] = [];
    // The same for every object of the node but its labels.
    const stamp = { styles, dependsOn: sorted, wave: wait.wave, changeGroup, dependsOnGroups: wait.groups };
    for (let index = 0; index < objects.length; index++) {
      const object = objects[index] as JsonObject;
      // Never empty: it holds the node id at least.
      const labels =
        emit.baseLabels === undefined
          ? undefined
          : objectLabels(emit.baseLabels, id, collection ? index : undefined, emit.rootLabels);
      // The renderer made this object for this manifest alone: stamped in place.
      const stamped = stampOwned(object, stamp, labels);
      if (waitedOn) refs.push(dependsOnRef(identityOf(object)));
      this.manifests.push(
        // The common case as one literal, without spreading: the same keys in the same order.
        !collection && emit.chainedInstance === undefined
          ? {
              object: stamped,
              nodeId: id,
              nodePath: path,
              dependsOn: sorted,
              dependsOnNodes: wait.paths,
              wave: wait.wave,
              changeGroup,
              clusterScoped,
            }
          : {
              object: stamped,
              nodeId: id,
              nodePath: path,
              ...(collection ? { collectionIndex: index } : {}),
              dependsOn: sorted,
              dependsOnNodes: wait.paths,
              wave: wait.wave,
              changeGroup,
              clusterScoped,
              ...(emit.chainedInstance ? { chainedInstance: emit.chainedInstance } : {}),
            },
      );
    }
    return { refs, groups: [changeGroup], paths: [path], wave: wait.wave };
  }

  /** The root instance's identification, for objects of chained instances (computed once). */
  #rootIdentification(): Readonly<Record<string, string>> {
    if (this.#rootLabels === undefined) {
      const { rgd, inst } = this.#root;
      const loc = this.#opts.instanceLoc;
      this.#rootLabels = identificationLabels(
        ROOT_LABELS,
        rgd.schema.group,
        rgd.schema.kind,
        inst,
        loc ? () => loc.at(['metadata']) : undefined,
        this.diagnostics,
      );
    }
    return this.#rootLabels;
  }

  /**
   * Checks the instance `object` of a chained RGD that resource `r` of `lv` creates (one RGD for
   * the kind, no cycle, depth, its graph) and normalizes it as the API server would, with
   * problems positioned in the template that creates it.
   */
  #accept(
    lv: Level,
    r: GraphResource,
    rgds: readonly Rgd[],
    object: JsonObject,
    index: number | undefined,
    diags: Diagnostic[],
  ): ChainedInstance | undefined {
    const opts = this.#opts;
    const id = identityOf(object);
    const where = id.namespace === '' ? id.name : `${id.namespace}/${id.name}`;
    const creator = `resource "${r.id}"${index === undefined ? '' : ` (item ${index})`} of ${lv.inst.display}`;
    const subject = `${id.kind} ${where}, created by ${creator}`;
    if (rgds.length !== 1) {
      diags.push(
        error(
          `cannot expand ${subject}: ${rgds.length} RGDs define ${id.apiVersion} ${id.kind} (${rgds.map((x) => x.name).join(', ')})`,
          r.pos,
          'synth/chained-ambiguous',
        ),
      );
      return undefined;
    }
    const rgd = rgds[0] as Rgd;
    const enclosing = [...lv.chain.map((c) => c.rgd), lv.rgd];
    if (enclosing.includes(rgd)) {
      const kinds = [...enclosing.slice(enclosing.indexOf(rgd)), rgd].map(
        (x) => `${x.schema.kind} (${x.name})`,
      );
      diags.push(
        error(
          `chained RGDs create each other's instances in a cycle: ${kinds.join(' -> ')}; ${creator} creates a ${rgd.schema.kind} inside a ${rgd.schema.kind}, which could never be expanded (nor installed: kro needs each RGD's CRD before the other)`,
          r.pos,
          'synth/chained-cycle',
        ),
      );
      return undefined;
    }
    const max = opts.maxChainDepth ?? MAX_CHAIN_DEPTH;
    if (lv.chain.length + 1 > max) {
      const path = [...lv.chain.map((c) => c.inst.display), lv.inst.display, `${id.kind} ${where}`];
      diags.push(
        error(
          `chained instances nest deeper than ${max} levels: ${path.join(' -> ')}`,
          r.pos,
          'synth/chained-depth',
        ),
      );
      return undefined;
    }
    const built = chainedGraph(rgd, opts.schemas ?? {}, opts.graphs, opts.omit ?? false);
    if (built.diagnostics.length > 0) {
      if (!this.#reported.has(rgd)) {
        this.#reported.add(rgd);
        diags.push(...built.diagnostics);
      }
      diags.push(error(`cannot expand ${subject}: RGD ${rgd.name} has errors`, r.pos, 'synth/chained-rgd'));
      return undefined;
    }
    const normalized = normalizeInstance(
      rgd,
      instanceModel(rgd).model,
      { object, loc: templateLocator(lv.rgd, r.index) },
      {
        // A namespaced kind got the enclosing instance's namespace when the template was rendered.
        defaultNamespace: lv.inst.namespace || (opts.defaultNamespace ?? DEFAULT_NAMESPACE),
        omit: opts.omit ?? false,
      },
    );
    for (const d of normalized.diagnostics) diags.push({ ...d, message: `${subject}: ${d.message}` });
    const inst = normalized.instance;
    if (!inst || normalized.diagnostics.some((d) => d.severity === 'error')) return undefined;
    return {
      rgd,
      graph: built.graph,
      inst: { ...inst, where: `${inst.where ?? lv.rgd.file}, created by ${creator}` },
    };
  }
}
