// Expanded rendering: one instance of an RGD -> the objects kro would apply for it, in kro's
// order, each stamped with the ordering metadata other tools read.
//
// kro's runtime semantics, offline (pkg/runtime):
//   - nodes are visited in the graph's topological order; `schema` is the instance without status;
//   - a node whose dependency is excluded is excluded too (contagious), and a false `includeWhen`
//     excludes it;
//   - a collection's forEach dimensions form a cartesian product, first iterator outermost; an
//     empty dimension means no objects; more than 1000 combinations is an error;
//   - each template field takes its expression's value (standalone keeps the type, templates
//     concatenate strings), then omit() sentinels are removed;
//   - namespaced objects without a namespace take the instance's (an error for cluster-scoped
//     instances), and a collection's items must have distinct identities.
// An object whose kind is another RGD's instance kind (a chained RGD) is, unless turned off,
// replaced by what that RGD renders for it, recursively (Expander below): expanded output is for
// clusters without kro, where nobody would reconcile the instance.
// Where kro reads the *observed* object of a dependency, we read its *desired* object: the
// rendered template. What only exists at run time (status, server-set fields) is absent there,
// so an expression reading it fails with a message suggesting bundle mode, unless it guards with
// `.?field.orValue(default)`.
import { createHash } from 'node:crypto';
import { type Diagnostic, error, excerpt, type SourcePos, warning } from '../diagnostics.js';
import type { Graph, GraphResource } from '../graph/model.js';
import { deepCopyJson, setOwn } from '../json.js';
import type { DocPath, JsonObject, JsonValue, Locator, Rgd } from '../rgd/model.js';
import {
  type AnnotationStyle,
  COLLECTION_INDEX_LABEL,
  DEFAULT_ANNOTATIONS,
  dependsOnRef,
  groupOf,
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
  stamp,
} from './annotate.js';
import {
  fieldPath,
  missingNameProblem,
  undeclaredField,
  unsendableMessage,
  unsendableText,
} from './apply-checks.js';
import { type ChainedLookup, chainedGraph, chainedLookup, MAX_CHAIN_DEPTH } from './chained.js';
import { findExternal, listExternals } from './external.js';
import { DEFAULT_NAMESPACE, formatPos, type NormalizedInstance, normalizeInstance } from './instance.js';
import { kroMetadataMessage } from './kro-metadata.js';
import { sortedUnique } from './order.js';
import { cleanOmitSentinels } from './paths.js';
import {
  type CompiledField,
  type CompiledGraph,
  type CompiledNode,
  type CompiledSource,
  compileGraph,
} from './program.js';
import { instanceModel, instanceOpenApi, type SchemaSources, schemaLookup } from './schemas.js';
import { storedForm } from './stored.js';
import { ConversionError, celToJson, jsonToCel } from './values.js';

/** kro's defaults for `--rgd-max-collection-size` and `--rgd-max-collection-dimension-size`. */
export const MAX_COLLECTION_SIZE = 1000;
export const MAX_COLLECTION_DIMENSIONS = 10;

export interface RenderOptions {
  /** Ordering metadata to stamp (default depends-on and argocd); `[]` for none. */
  readonly annotations?: readonly AnnotationStyle[];
  /** Stamp the `kro-gen.dev/*` identification labels (default true). */
  readonly labels?: boolean;
  /** Objects standing in for what `externalRef` resources read from the cluster. */
  readonly externals?: readonly JsonObject[];
  /** Where kind schemas come from (built-in kinds by default; add CRDs and chained RGDs). */
  readonly schemas?: SchemaSources;
  /** kro's `CELOmitFunction` feature gate; must match the graph's. */
  readonly omit?: boolean;
  /** Namespace of an instance that names none (default `default`). */
  readonly defaultNamespace?: string;
  /** Added to every sync wave (to place this instance after others). */
  readonly waveOffset?: number;
  /**
   * What the whole instance comes after (objects of other instances): added to the depends-on
   * references and kapp rules of the objects that depend on nothing else in the instance.
   */
  readonly after?: { readonly dependsOn: readonly string[]; readonly changeGroups: readonly string[] };
  /** Positions in the instance's file, for messages about the instance. */
  readonly instanceLoc?: Locator;
  readonly maxCollectionSize?: number;
  readonly maxCollectionDimensions?: number;
  /**
   * Replace each object whose kind is the instance kind of an RGD in `schemas.rgds` (a chained
   * RGD) by that RGD's own rendered resources, recursively, as kro would once it reconciles the
   * instance (default true). False emits the instance objects, for a cluster whose kro expands them.
   */
  readonly expandChained?: boolean;
  /** Graphs of RGDs in `schemas.rgds`, when already built (the others are built when needed). */
  readonly graphs?: ReadonlyMap<Rgd, Graph>;
  /** How deeply chained instances may nest (default 10; an instance creating one is depth 1). */
  readonly maxChainDepth?: number;
}

export interface RenderedManifest {
  /** The object to apply, stamped. */
  readonly object: JsonObject;
  /** The RGD resource id it comes from (in the chained RGD, for objects of a chained instance). */
  readonly nodeId: string;
  /**
   * The node's path, unique in the result: its id for the instance's own resources; for those of
   * a chained instance, the creating node's path, its index if a collection, `/`, the id
   * (`env/quota`, `apps[1]/deployment`).
   */
  readonly nodePath: string;
  /** Position in its collection (collections only). */
  readonly collectionIndex?: number;
  /** depends-on references of the objects of its direct dependencies, sorted. */
  readonly dependsOn: readonly string[];
  /** Paths of the nodes it directly depends on (externals replaced by what they depend on). */
  readonly dependsOnNodes: readonly string[];
  readonly wave: number;
  /** Its kapp change group. */
  readonly changeGroup: string;
  /** Its kind is known to be cluster-scoped. */
  readonly clusterScoped: boolean;
  /** For objects of a chained instance: that instance (as rendered) and its RGD's name. */
  readonly chainedInstance?: { readonly rgd: string; readonly identity: ObjectIdentity };
}

/** Where an `externalRef` points, once rendered. */
export interface ExternalReference extends ObjectIdentity {
  readonly nodeId: string;
  readonly selector?: JsonObject;
}

export interface RenderResult {
  /** In kro's order; empty when there are errors. */
  readonly manifests: readonly RenderedManifest[];
  /** The instance as kro sees it (defaults applied), when it is valid. */
  readonly instance?: NormalizedInstance;
  /** Paths of the nodes left out by includeWhen, directly or through a dependency. */
  readonly excluded: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const KAPP_PREFIX = 'kro-gen.dev/';
// kapp wants a qualified name: one `/`, and at most 63 characters after it.
const QUALIFIED_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A kapp change group name under kro-gen's prefix; long or odd names are shortened with a hash. */
export function kappGroup(parts: readonly string[]): string {
  const readable = parts.join('.');
  if (QUALIFIED_NAME.test(readable)) return KAPP_PREFIX + readable;
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 10);
  const head = readable
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, 52)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return `${KAPP_PREFIX}${head === '' ? '' : `${head}-`}${hash}`;
}

/** The kapp change group of one node of one instance. */
export function nodeChangeGroup(
  instance: { kind: string; namespace: string; name: string },
  nodeId: string,
): string {
  return kappGroup([
    instance.kind.toLowerCase(),
    ...(instance.namespace ? [instance.namespace] : []),
    instance.name,
    nodeId,
  ]);
}

/** An instance of a chained RGD that a resource creates, as the API server would store it. */
interface ChainedInstance {
  readonly rgd: Rgd;
  readonly graph: Graph;
  readonly inst: NormalizedInstance;
}

/** Where the renderer hands instances of chained RGDs to be checked and normalized. */
interface ChainedHook {
  readonly lookup: ChainedLookup;
  /** The instance normalized, or undefined with the reasons pushed onto `diags`. */
  accept(
    r: GraphResource,
    rgds: readonly Rgd[],
    object: JsonObject,
    index: number | undefined,
    diags: Diagnostic[],
  ): ChainedInstance | undefined;
}

type NodeState =
  | {
      readonly status: 'rendered';
      readonly objects: readonly JsonObject[];
      readonly list: boolean;
      /** For a resource creating instances of a chained RGD that is expanded: those instances. */
      readonly chained?: readonly ChainedInstance[];
    }
  | { readonly status: 'excluded' }
  | { readonly status: 'failed' }
  /** An external reference nobody supplied. */
  | { readonly status: 'missing'; readonly what: string };

type Evaluated = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function isMap(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class InstanceRenderer {
  readonly #compiled: CompiledGraph;
  readonly #rgd: Rgd;
  readonly #inst: NormalizedInstance;
  readonly #opts: RenderOptions;
  readonly #diags: Diagnostic[] = [];
  readonly #states = new Map<string, NodeState>();
  /** CEL values of the variables: `schema` and rendered nodes, converted on first use. */
  readonly #vars: Record<string, unknown> = {};
  /** Values of expressions without iterators: the same text is evaluated once per instance. */
  readonly #static = new Map<string, unknown>();
  readonly #lookup;

  readonly #chained: ChainedHook | undefined;

  constructor(
    compiled: CompiledGraph,
    rgd: Rgd,
    inst: NormalizedInstance,
    opts: RenderOptions,
    chained?: ChainedHook,
  ) {
    this.#compiled = compiled;
    this.#rgd = rgd;
    this.#inst = inst;
    this.#opts = opts;
    this.#chained = chained;
    this.#lookup = schemaLookup(opts.schemas);
    this.#vars.schema = jsonToCel(inst.object, instanceOpenApi(rgd));
  }

  get diagnostics(): Diagnostic[] {
    return this.#diags;
  }

  get states(): ReadonlyMap<string, NodeState> {
    return this.#states;
  }

  run(): void {
    const graph = this.#compiled.graph;
    for (const id of graph.topologicalOrder) {
      const node = this.#compiled.nodes.get(id);
      if (!node) continue;
      const before = this.#diags.length;
      const state = this.#renderNode(node);
      this.#states.set(id, state);
      // A failure is reported where it happens, or is a failed dependency's; never silent.
      const quiet = state.status === 'failed' && this.#diags.length === before;
      if (quiet && !node.resource.dependencies.some((d) => this.#states.get(d)?.status === 'failed')) {
        this.#fail(`resource "${id}" could not be rendered for ${this.#instanceText()}`, node.resource.pos);
      }
    }
  }

  // --- messages ------------------------------------------------------------------------------

  #instanceText(): string {
    return `${this.#inst.display}${this.#inst.where ? ` (${this.#inst.where})` : ''}`;
  }

  #fail(message: string, pos: SourcePos | undefined): void {
    this.#diags.push(error(message, pos ?? this.#rgd.loc.at([]), 'synth/evaluate'));
  }

  #evalError(src: CompiledSource, e: unknown, resource: GraphResource): void {
    const err = e as { code?: string; summary?: string; message?: string };
    const summary = err.summary ?? (err.message ?? String(e)).split('\n')[0] ?? String(e);
    const expr = `\${${excerpt(src.source)}}`;
    if (err.code === 'no_such_key') {
      const onlySchema = src.references.every((r) => r === 'schema' || !this.#compiled.nodes.has(r));
      const hint = onlySchema
        ? `the instance does not set it and the schema has no default (kro would wait for it forever); set it in the instance, or guard with .?field.orValue(default)`
        : `the value is not known offline: references resolve against the rendered desired objects, and status or server-set fields (metadata.uid, spec.clusterIP, ...) exist only once the cluster has the object; guard with .?field.orValue(default), or use --mode bundle to let kro evaluate it in the cluster`;
      this.#fail(
        `cannot evaluate ${expr} of resource "${resource.id}" for ${this.#instanceText()}: ${summary}: ${hint}`,
        src.pos,
      );
      return;
    }
    if (e instanceof ConversionError) {
      this.#fail(`${expr} of resource "${resource.id}" for ${this.#instanceText()}: ${e.reason}`, src.pos);
      return;
    }
    this.#fail(
      `cannot evaluate ${expr} of resource "${resource.id}" for ${this.#instanceText()}: ${summary}`,
      src.pos,
    );
  }

  // --- evaluation ----------------------------------------------------------------------------

  /** Makes sure every resource `src` reads has a CEL value; false (reported) when one cannot. */
  #bind(src: CompiledSource, resource: GraphResource): boolean {
    for (const ref of src.references) {
      // Iterators are bound per item by the caller; only resources need values here.
      if (ref === 'schema' || Object.hasOwn(this.#vars, ref) || !this.#compiled.nodes.has(ref)) continue;
      const state = this.#states.get(ref);
      if (!state || state.status === 'failed' || state.status === 'excluded') return false;
      if (state.status === 'missing') {
        this.#fail(
          `cannot evaluate \${${excerpt(src.source)}} of resource "${resource.id}" for ${this.#instanceText()}: it reads external resource "${ref}" (${state.what}), which was not supplied: pass the object with --external FILE, or use --mode bundle to let kro read it from the cluster`,
          src.pos,
        );
        return false;
      }
      const refNode = this.#compiled.nodes.get(ref);
      const r = refNode?.resource;
      const schema = r ? this.#lookup(r.apiVersion, r.kind) : undefined;
      this.#vars[ref] = state.list
        ? state.objects.map((o) => jsonToCel(o, schema))
        : jsonToCel(state.objects[0], schema);
    }
    return true;
  }

  #evaluate(src: CompiledSource, resource: GraphResource, iter?: Record<string, unknown>): Evaluated {
    if (src.program === undefined) {
      this.#fail(
        `cannot compile \${${excerpt(src.source)}} of resource "${resource.id}": ${src.parseError ?? 'invalid expression'}`,
        src.pos,
      );
      return { ok: false };
    }
    if (src.kroMetadata !== undefined) {
      this.#fail(
        `cannot evaluate \${${excerpt(src.source)}} of resource "${resource.id}" for ${this.#instanceText()}: ${kroMetadataMessage(src.kroMetadata)}`,
        src.pos,
      );
      return { ok: false };
    }
    if (!this.#bind(src, resource)) return { ok: false };
    if (iter === undefined && this.#static.has(src.source))
      return { ok: true, value: this.#static.get(src.source) };
    try {
      const value = src.program.evaluate(iter === undefined ? this.#vars : { ...this.#vars, ...iter });
      if (iter === undefined) this.#static.set(src.source, value);
      return { ok: true, value };
    } catch (e) {
      this.#evalError(src, e, resource);
      return { ok: false };
    }
  }

  /** A field's value as kro writes it: a standalone result converted, or the concatenated string. */
  #fieldValue(f: CompiledField, resource: GraphResource, iter?: Record<string, unknown>): Evaluated {
    if (f.standalone) {
      const part = f.parts[0];
      if (!part) return { ok: false };
      const r = this.#evaluate(part, resource, f.iteration ? iter : undefined);
      if (!r.ok) return r;
      try {
        const value = celToJson(r.value);
        return this.#sendable(value, part, resource) ? { ok: true, value } : { ok: false };
      } catch (e) {
        this.#evalError(part, e, resource);
        return { ok: false };
      }
    }
    let out = f.literals[0] ?? '';
    for (let i = 0; i < f.parts.length; i++) {
      const part = f.parts[i] as CompiledSource;
      const r = this.#evaluate(part, resource, f.iteration ? iter : undefined);
      if (!r.ok) return r;
      if (typeof r.value !== 'string') {
        this.#fail(
          `cannot evaluate \${${excerpt(part.source)}} of resource "${resource.id}" for ${this.#instanceText()}: inside a string template it must give a string, got ${celKindName(r.value)} (no such overload for string + ${celKindName(r.value)})`,
          part.pos,
        );
        return { ok: false };
      }
      if (!this.#sendable(r.value, part, resource)) return { ok: false };
      out += r.value + (f.literals[i + 1] ?? '');
    }
    return { ok: true, value: out };
  }

  /** Where the expression sits whose value holds `path` (as undeclaredField writes it), if one does. */
  #fieldPos(node: CompiledNode, path: string): SourcePos | undefined {
    let best: CompiledField | undefined;
    let bestLength = -1;
    for (const f of node.fields) {
      const at = fieldPath(f.segments);
      const under = path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);
      if (under && at.length > bestLength) {
        best = f;
        bestLength = at.length;
      }
    }
    return best?.parts[0]?.pos;
  }

  /** False (reported) when `value` holds text kro's apply cannot send. */
  #sendable(value: unknown, src: CompiledSource, resource: GraphResource): boolean {
    const found = unsendableText(value);
    if (!found) return true;
    this.#fail(
      `\${${excerpt(src.source)}} of resource "${resource.id}" for ${this.#instanceText()}: ${unsendableMessage(found)}`,
      src.pos,
    );
    return false;
  }

  // --- nodes ---------------------------------------------------------------------------------

  #renderNode(node: CompiledNode): NodeState {
    const r = node.resource;
    for (const dep of r.dependencies) {
      const s = this.#states.get(dep);
      if (s?.status === 'excluded') return { status: 'excluded' };
    }
    for (const cond of node.includeWhen) {
      const v = this.#evaluate(cond, r);
      if (!v.ok) return { status: 'failed' };
      if (v.value === null) return { status: 'excluded' };
      if (typeof v.value !== 'boolean') {
        this.#fail(
          `includeWhen \${${excerpt(cond.source)}} of resource "${r.id}" did not return bool for ${this.#instanceText()}`,
          cond.pos,
        );
        return { status: 'failed' };
      }
      if (!v.value) return { status: 'excluded' };
    }
    if (r.type === 'external' || r.type === 'externalCollection') return this.#resolveExternal(node);

    let iterations: Record<string, unknown>[] | undefined;
    if (node.forEach.length > 0) {
      const product = this.#forEach(node);
      if (product === undefined) return { status: 'failed' };
      iterations = product;
    }
    const objects: JsonObject[] = [];
    for (const iter of iterations ?? [undefined]) {
      const obj = this.#renderObject(node, iter);
      if (obj === undefined) return { status: 'failed' };
      objects.push(obj);
    }
    if (iterations !== undefined && !this.#uniqueIdentities(node, objects)) return { status: 'failed' };
    const list = r.type === 'collection';
    const rgds = this.#chained?.lookup(r.apiVersion, r.kind);
    if (rgds !== undefined && this.#chained) {
      // What the API server stores (defaults applied) is what other resources read, as in kro.
      const chained: ChainedInstance[] = [];
      for (const [i, o] of objects.entries()) {
        const c = this.#chained.accept(r, rgds, o, list ? i : undefined, this.#diags);
        if (!c) return { status: 'failed' };
        chained.push(c);
      }
      return { status: 'rendered', objects: chained.map((c) => c.inst.object), list, chained };
    }
    return { status: 'rendered', objects, list };
  }

  #forEach(node: CompiledNode): Record<string, unknown>[] | undefined {
    const r = node.resource;
    const maxDims = this.#opts.maxCollectionDimensions ?? MAX_COLLECTION_DIMENSIONS;
    if (node.forEach.length > maxDims) {
      this.#fail(
        `resource "${r.id}" has ${node.forEach.length} forEach dimensions; at most ${maxDims} are allowed`,
        r.pos,
      );
      return undefined;
    }
    const dims: { name: string; values: unknown[] }[] = [];
    for (const d of node.forEach) {
      const v = this.#evaluate(d.list, r);
      if (!v.ok) return undefined;
      if (v.value === null) {
        this.#fail(
          `forEach ${d.name}: \${${excerpt(d.list.source)}} returned null, expected list, for ${this.#instanceText()}`,
          d.list.pos,
        );
        return undefined;
      }
      if (!Array.isArray(v.value)) {
        this.#fail(
          `forEach ${d.name}: \${${excerpt(d.list.source)}} did not return a list for ${this.#instanceText()}`,
          d.list.pos,
        );
        return undefined;
      }
      if (v.value.length === 0) return [];
      dims.push({ name: d.name, values: v.value });
    }
    const max = this.#opts.maxCollectionSize ?? MAX_COLLECTION_SIZE;
    let total = 1;
    for (const d of dims) {
      total *= d.values.length;
      if (total > max) {
        this.#fail(
          `resource "${r.id}" for ${this.#instanceText()}: collection size of ${total} is over the maximum collection size of ${max}`,
          node.forEach[0]?.list.pos ?? r.pos,
        );
        return undefined;
      }
    }
    // Odometer order: the last dimension varies fastest, so the first iterator is the outer loop.
    const out: Record<string, unknown>[] = [];
    const idx = dims.map(() => 0);
    for (;;) {
      const combo: Record<string, unknown> = {};
      dims.forEach((d, i) => {
        combo[d.name] = d.values[idx[i] as number];
      });
      out.push(combo);
      let i = dims.length - 1;
      while (i >= 0) {
        idx[i] = (idx[i] as number) + 1;
        if ((idx[i] as number) < (dims[i] as { values: unknown[] }).values.length) break;
        idx[i] = 0;
        i--;
      }
      if (i < 0) break;
    }
    return out;
  }

  #renderObject(node: CompiledNode, iter: Record<string, unknown> | undefined): JsonObject | undefined {
    const r = node.resource;
    const data = new Map<string, unknown>();
    for (const f of node.fields) {
      const v = this.#fieldValue(f, r, iter);
      if (!v.ok) return undefined;
      data.set(f.variable.expression, v.value);
    }
    // kro's Resolve: every field of a private copy of the template takes its value, then omit()
    // sentinels are removed. The walker found each path in this template, so it exists.
    const obj = deepCopyJson(node.object ?? {}) as JsonObject;
    for (const f of node.fields) setExisting(obj, f.segments, data.get(f.variable.expression));
    const resolved = this.#opts.omit ? cleanOmitSentinels(obj) : obj;
    // Instances of RGD kinds are checked against their RGD's schema when expanded (chained.ts).
    const chainedKind = this.#chained?.lookup(r.apiVersion, r.kind) !== undefined;
    if (r.type !== 'external' && r.type !== 'externalCollection') {
      const problem = missingNameProblem(resolved.metadata);
      if (problem) {
        this.#fail(`resource "${r.id}" for ${this.#instanceText()}: ${problem}`, r.pos);
        return undefined;
      }
      const schema = chainedKind ? undefined : this.#lookup(r.apiVersion, r.kind);
      const undeclared = undeclaredField(resolved, schema);
      if (undeclared) {
        this.#fail(
          `resource "${r.id}" for ${this.#instanceText()}: ${undeclared}: field not declared in schema (the API server's server-side apply refuses it)`,
          this.#fieldPos(node, undeclared) ?? r.pos,
        );
        return undefined;
      }
      const stored = storedForm(resolved, schema);
      if (!stored.ok) {
        this.#fail(
          `resource "${r.id}" for ${this.#instanceText()}: ${stored.message}`,
          this.#fieldPos(node, stored.path) ?? r.pos,
        );
        return undefined;
      }
      return this.#normalizeNamespace(r, stored.value as JsonObject);
    }
    return this.#normalizeNamespace(r, resolved);
  }

  /** kro's normalizeNamespaces: namespaced objects without one take the instance's. */
  #normalizeNamespace(r: GraphResource, obj: JsonObject): JsonObject | undefined {
    // Unknown kinds are taken to be namespaced, as most custom kinds are.
    if (r.namespaced === false || r.type === 'externalCollection') return obj;
    const metadata = isMap(obj.metadata) ? obj.metadata : undefined;
    const ns = metadata?.namespace;
    if (typeof ns === 'string' && ns !== '') return obj;
    if (this.#inst.namespace === '') {
      this.#fail(
        `node "${r.id}" is namespaced and must resolve metadata.namespace when the instance is cluster-scoped (${this.#instanceText()})`,
        r.pos,
      );
      return undefined;
    }
    const newMeta: JsonObject = {};
    let placed = false;
    for (const [k, v] of Object.entries(metadata ?? {})) {
      if (k === 'namespace') continue;
      setOwn(newMeta, k, v);
      if (k === 'name') {
        newMeta.namespace = this.#inst.namespace;
        placed = true;
      }
    }
    if (!placed) newMeta.namespace = this.#inst.namespace;
    return { ...obj, metadata: newMeta };
  }

  #uniqueIdentities(node: CompiledNode, objects: readonly JsonObject[]): boolean {
    const seen = new Set<string>();
    for (const o of objects) {
      const id = identityOf(o);
      const version = id.apiVersion.includes('/')
        ? id.apiVersion.slice(id.apiVersion.indexOf('/') + 1)
        : id.apiVersion;
      const key = `${groupOf(id.apiVersion)}/${version}/${id.kind}/${id.namespace}/${id.name}`;
      if (seen.has(key)) {
        this.#fail(
          `node "${node.resource.id}" identity collision for ${this.#instanceText()}: duplicate identity: ${key}`,
          node.resource.pos,
        );
        return false;
      }
      seen.add(key);
    }
    return true;
  }

  /** The identities external references point at, where the instance alone decides them. */
  externalRefs(): ExternalReference[] {
    const out: ExternalReference[] = [];
    for (const id of this.#compiled.graph.topologicalOrder) {
      const node = this.#compiled.nodes.get(id);
      const r = node?.resource;
      if (!node || !r || (r.type !== 'external' && r.type !== 'externalCollection')) continue;
      if (node.fields.some((f) => f.parts.some((p) => p.references.some((ref) => ref !== 'schema'))))
        continue;
      const ref = this.#renderObject(node, undefined);
      if (ref === undefined) continue;
      const metadata = isMap(ref.metadata) ? ref.metadata : {};
      out.push({
        nodeId: id,
        ...identityOf(ref),
        ...(isMap(metadata.selector) ? { selector: metadata.selector } : {}),
      });
    }
    return out;
  }

  #resolveExternal(node: CompiledNode): NodeState {
    const r = node.resource;
    const ref = this.#renderObject(node, undefined);
    if (ref === undefined) return { status: 'failed' };
    const id = identityOf(ref);
    const supplied = this.#opts.externals ?? [];
    const metadata = isMap(ref.metadata) ? ref.metadata : {};
    if (r.type === 'externalCollection') {
      const selector = isMap(metadata.selector) ? metadata.selector : {};
      const objects = listExternals(supplied, { ...id, selector });
      return { status: 'rendered', objects, list: true };
    }
    const found = findExternal(supplied, id);
    if (!found) {
      const where = id.namespace === '' ? id.name : `${id.namespace}/${id.name}`;
      return { status: 'missing', what: `${id.apiVersion} ${id.kind} ${where}` };
    }
    return { status: 'rendered', objects: [found], list: false };
  }
}

/** Writes `value` at `segments` inside `root`, whose containers along the path exist. */
function setExisting(root: JsonObject, segments: readonly (string | number)[], value: unknown): void {
  let cur: unknown = root;
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) {
    cur = (cur as Record<string | number, unknown>)[segments[i] as string | number];
    if (typeof cur !== 'object' || cur === null) return;
  }
  const key = segments[last];
  if (key === undefined) return;
  setOwn(cur as Record<string, unknown>, String(key), value);
}

function celKindName(v: unknown): string {
  if (v === null) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : typeof v;
}

/** Direct dependencies of a node for ordering: externals are not emitted, so look through them. */
function orderingDependencies(graph: Graph, id: string, byId: ReadonlyMap<string, GraphResource>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (deps: readonly string[]) => {
    for (const d of deps) {
      if (seen.has(d)) continue;
      seen.add(d);
      const r = byId.get(d);
      if (!r) continue;
      if (r.type === 'external' || r.type === 'externalCollection') visit(r.dependencies);
      else out.push(d);
    }
  };
  visit(byId.get(id)?.dependencies ?? []);
  void graph;
  return out;
}

interface GraphFacts {
  readonly waves: ReadonlyMap<string, number>;
  readonly byId: ReadonlyMap<string, GraphResource>;
  readonly orderDeps: ReadonlyMap<string, readonly string[]>;
}

const facts = new WeakMap<Graph, GraphFacts>();

/** What every instance of a graph shares for ordering, worked out once per graph. */
function graphFacts(graph: Graph): GraphFacts {
  let f = facts.get(graph);
  if (!f) {
    const byId = new Map(graph.resources.map((r) => [r.id, r]));
    const orderDeps = new Map(graph.resources.map((r) => [r.id, orderingDependencies(graph, r.id, byId)]));
    // Waves count emitted objects only: external references are not applied, so they take none.
    const waves = new Map<string, number>();
    for (const id of graph.topologicalOrder) {
      let w = 0;
      for (const d of orderDeps.get(id) ?? []) w = Math.max(w, (waves.get(d) ?? 0) + 1);
      waves.set(id, w);
    }
    f = { waves, byId, orderDeps };
    facts.set(graph, f);
  }
  return f;
}

/**
 * Each node's sync wave before any offset: 0 without dependencies, else one past its deepest
 * dependency, looking through external references (they are read, never applied).
 */
export function nodeWaves(graph: Graph): ReadonlyMap<string, number> {
  return graphFacts(graph).waves;
}

/** The nodes each node waits for when applied: its dependencies, externals replaced by theirs. */
export function orderingDependenciesOf(graph: Graph): ReadonlyMap<string, readonly string[]> {
  return graphFacts(graph).orderDeps;
}

/**
 * Renders one instance of an RGD into the objects kro would create for it, in kro's order, each
 * stamped with ordering annotations and identification labels. Never throws for bad input.
 */
export function renderInstance(
  graph: Graph,
  rgd: Rgd,
  instance: JsonValue,
  opts: RenderOptions = {},
): RenderResult {
  const { model } = instanceModel(rgd);
  const normalized = normalizeInstance(
    rgd,
    model,
    { object: instance, ...(opts.instanceLoc ? { loc: opts.instanceLoc } : {}) },
    {
      ...(opts.defaultNamespace !== undefined ? { defaultNamespace: opts.defaultNamespace } : {}),
      omit: opts.omit ?? false,
    },
  );
  const inst = normalized.instance;
  if (!inst || normalized.diagnostics.some((d) => d.severity === 'error')) {
    return {
      manifests: [],
      ...(inst ? { instance: inst } : {}),
      excluded: [],
      diagnostics: normalized.diagnostics,
    };
  }
  const result = renderNormalized(graph, rgd, inst, opts);
  return normalized.diagnostics.length === 0
    ? result
    : { ...result, diagnostics: [...normalized.diagnostics, ...result.diagnostics] };
}

/** renderInstance for an instance normalizeInstance has already accepted. */
export function renderNormalized(
  graph: Graph,
  rgd: Rgd,
  inst: NormalizedInstance,
  opts: RenderOptions = {},
): RenderResult {
  const expander = new Expander(opts, inst, rgd);
  const after = opts.after;
  expander.level({
    graph,
    rgd,
    inst,
    prefix: '',
    outer: {
      refs: after?.dependsOn ?? [],
      groups: after?.changeGroups ?? [],
      paths: [],
      wave: opts.waveOffset ?? 0,
    },
    chain: [],
    ...(opts.instanceLoc ? { labelPos: opts.instanceLoc.at(['metadata']) } : {}),
  });
  const { diagnostics, excluded } = expander;
  if (diagnostics.some((d) => d.severity === 'error'))
    return { manifests: [], instance: inst, excluded, diagnostics };
  return { manifests: expander.manifests, instance: inst, excluded, diagnostics };
}

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
  /** Where label warnings point. */
  readonly labelPos?: SourcePos;
}

/** Labels naming `inst` (an RGD instance) under `keys`; values that are not label values warned. */
function identificationLabels(
  keys: readonly [string, string, string, string],
  group: string,
  kind: string,
  inst: NormalizedInstance,
  pos: SourcePos | undefined,
  diagnostics: Diagnostic[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const candidates: [string, string][] = [
    [keys[0], group],
    [keys[1], kind],
    [keys[2], inst.name],
    ...(inst.namespace !== '' ? ([[keys[3], inst.namespace]] as [string, string][]) : []),
  ];
  for (const [k, v] of candidates) {
    if (isLabelValue(v)) setOwn(out, k, v);
    else
      diagnostics.push(
        warning(
          `label ${k} left out for ${inst.display}: ${JSON.stringify(v)} is not a valid label value`,
          pos,
          'synth/label',
        ),
      );
  }
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
class Expander {
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

  /** Renders one level into `manifests`; what depending on all of it waits for, or undefined. */
  level(lv: Level): Waited | undefined {
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

    const styles = this.#styles;
    const { byId, orderDeps } = graphFacts(graph);
    const who = { kind: rgd.schema.kind, namespace: inst.namespace, name: inst.name };
    const nested = lv.chain.length > 0;
    const baseLabels: Record<string, string> =
      opts.labels === false
        ? {}
        : {
            ...identificationLabels(
              INSTANCE_LABELS,
              rgd.schema.group,
              rgd.schema.kind,
              inst,
              lv.labelPos,
              diagnostics,
            ),
          };
    const rootLabels = nested && opts.labels !== false ? this.#rootIdentification() : undefined;
    const chainedInstance = nested ? { rgd: rgd.name, identity: identityOf(inst.object) } : undefined;

    // What each rendered node's dependents wait for.
    const waited = new Map<string, Waited>();
    const all = { refs: [] as string[], groups: [] as string[], paths: [] as string[], wave: lv.outer.wave };
    let ok = true;
    for (const id of graph.topologicalOrder) {
      const state = states.get(id);
      const r = byId.get(id);
      if (!r || state?.status !== 'rendered' || r.type === 'external' || r.type === 'externalCollection')
        continue;
      const deps = (orderDeps.get(id) ?? []).filter((d) => states.get(d)?.status === 'rendered');
      let wait: Waited;
      if (deps.length === 0) wait = lv.outer;
      else {
        const refs: string[] = [];
        const groups: string[] = [];
        const paths: string[] = [];
        let wave = 0;
        for (const d of deps) {
          const w = waited.get(d);
          if (!w) continue;
          refs.push(...w.refs);
          groups.push(...w.groups);
          paths.push(...w.paths);
          wave = Math.max(wave, w.wave + 1);
        }
        wait = { refs, groups, paths, wave };
      }
      const sorted = wait.refs.length === 0 ? [] : sortedUnique(wait.refs);
      if (state.chained !== undefined) {
        // Each instance it creates is replaced by its own resources, in this node's place.
        const inner = {
          refs: [] as string[],
          groups: [] as string[],
          paths: [] as string[],
          wave: wait.wave,
        };
        const outer: Waited = { refs: sorted, groups: wait.groups, paths: wait.paths, wave: wait.wave };
        state.chained.forEach((c, index) => {
          const w = this.level({
            graph: c.graph,
            rgd: c.rgd,
            inst: c.inst,
            prefix: `${prefix}${id}${r.type === 'collection' ? `[${index}]` : ''}/`,
            outer,
            chain: [...lv.chain, { rgd, inst }],
            labelPos: templateLocator(rgd, r.index).at(['metadata']),
          });
          if (!w) {
            ok = false;
            return;
          }
          inner.refs.push(...w.refs);
          inner.groups.push(...w.groups);
          inner.paths.push(...w.paths);
          inner.wave = Math.max(inner.wave, w.wave);
        });
        waited.set(id, inner);
        all.refs.push(...inner.refs);
        all.groups.push(...inner.groups);
        all.paths.push(...inner.paths);
        all.wave = Math.max(all.wave, inner.wave);
        continue;
      }
      const path = prefix + id;
      const changeGroup = nodeChangeGroup(who, id);
      const clusterScoped = r.namespaced === false;
      const refs: string[] = [];
      state.objects.forEach((object, index) => {
        const labels: Record<string, string> =
          opts.labels === false
            ? {}
            : {
                ...baseLabels,
                [NODE_ID_LABEL]: id,
                ...(r.type === 'collection' ? { [COLLECTION_INDEX_LABEL]: String(index) } : {}),
                ...rootLabels,
              };
        const stamped = stamp(object, {
          styles,
          dependsOn: sorted,
          wave: wait.wave,
          changeGroup,
          dependsOnGroups: wait.groups,
          labels,
        });
        refs.push(dependsOnRef(identityOf(object)));
        this.manifests.push({
          object: stamped,
          nodeId: id,
          nodePath: path,
          ...(r.type === 'collection' ? { collectionIndex: index } : {}),
          dependsOn: sorted,
          dependsOnNodes: wait.paths,
          wave: wait.wave,
          changeGroup,
          clusterScoped,
          ...(chainedInstance ? { chainedInstance } : {}),
        });
      });
      waited.set(id, { refs, groups: [changeGroup], paths: [path], wave: wait.wave });
      all.refs.push(...refs);
      all.groups.push(changeGroup);
      all.paths.push(path);
      all.wave = Math.max(all.wave, wait.wave);
    }
    return ok ? all : undefined;
  }

  /** The root instance's identification, for objects of chained instances (computed once). */
  #rootIdentification(): Readonly<Record<string, string>> {
    if (this.#rootLabels === undefined) {
      const { rgd, inst } = this.#root;
      this.#rootLabels = identificationLabels(
        ROOT_LABELS,
        rgd.schema.group,
        rgd.schema.kind,
        inst,
        this.#opts.instanceLoc?.at(['metadata']),
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

/**
 * The objects an instance's external references point at, where the instance alone decides them
 * (names and selectors built from `schema` only). Used to order instances that read each other.
 */
export function externalReferences(
  graph: Graph,
  rgd: Rgd,
  instance: JsonValue | NormalizedInstance,
  opts: RenderOptions = {},
): ExternalReference[] {
  if (!graph.resources.some((r) => r.type === 'external' || r.type === 'externalCollection')) return [];
  let inst: NormalizedInstance | undefined;
  if (isNormalized(instance)) inst = instance;
  else {
    inst = normalizeInstance(
      rgd,
      instanceModel(rgd).model,
      { object: instance },
      {
        ...(opts.defaultNamespace !== undefined ? { defaultNamespace: opts.defaultNamespace } : {}),
      },
    ).instance;
  }
  if (!inst) return [];
  const compiled = compileGraph(graph, { omit: opts.omit ?? false });
  return new InstanceRenderer(compiled, rgd, inst, opts).externalRefs();
}

function isNormalized(v: JsonValue | NormalizedInstance): v is NormalizedInstance {
  return (
    isMap(v) &&
    isMap((v as { object?: unknown }).object) &&
    typeof (v as { display?: unknown }).display === 'string'
  );
}

export { formatPos };
