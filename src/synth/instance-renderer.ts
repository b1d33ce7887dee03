// One instance of one RGD rendered node by node, as kro's runtime evaluates it (see render.ts):
// expressions bound to `schema` and the rendered dependencies, includeWhen, forEach, templates.
import type { CompiledExpression } from '../cel/environment.js';
import type { OpenApiSchema } from '../cel/types.js';
import { type Diagnostic, error, excerpt, type SourcePos } from '../diagnostics.js';
import type { GraphResource } from '../graph/model.js';
import { setOwn } from '../json.js';
import type { JsonObject, Rgd } from '../rgd/model.js';
import { groupOf, identityOf } from './annotate.js';
import {
  fieldPath,
  holdsUnsendable,
  missingNameProblem,
  undeclaredField,
  unsendableMessage,
  unsendableText,
} from './apply-checks.js';
import { type CheckPlan, checkPlan, storedUnchanged, undeclaredSkippable } from './check-plan.js';
import { findExternal, listExternals } from './external.js';
import type { NormalizedInstance } from './instance.js';
import { childAsKroSeesIt, instanceAsKroSeesIt, kroMetadataMessage } from './kro-metadata.js';
import { cleanOmitSentinels } from './paths.js';
import {
  type CompiledField,
  type CompiledGraph,
  type CompiledNode,
  type CompiledSource,
  inputsKey,
  keepResult,
  NOT_DIRECT,
  selectChain,
} from './program.js';
import { observes, pruned, type ReadTree } from './read-paths.js';
import {
  type ChainedHook,
  type ChainedInstance,
  type ExternalReference,
  MAX_COLLECTION_DIMENSIONS,
  MAX_COLLECTION_SIZE,
  type NodeState,
  type RenderOptions,
} from './render-model.js';
import { instanceOpenApi, type SchemaLookup, schemaLookup } from './schemas.js';
import { defaultedMessage, defaultsUnderReads, setsField, withServerDefaults } from './server-defaults.js';
import { storedForm } from './stored.js';
import { fillTemplate } from './template-copy.js';
import { ConversionError, celToJson, jsonToCel } from './values.js';

/**
 * What evaluating gives when it failed (reported): a value no expression can produce. A plain
 * value otherwise, so that the tens of thousands of evaluations of a run allocate no result objects.
 */
const FAILED: unique symbol = Symbol('failed');
type Evaluated = unknown;

export function isMap(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class InstanceRenderer {
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
    // Expressions read the instance and the objects kro created as they are in the cluster:
    // with the labels and annotations kro adds (kro-metadata.ts).
    // Only what the graph's expressions read of each object is converted (read-paths.ts).
    const reads = compiled.reads.get('schema');
    const seen = addsKroMetadata(inst.object, reads, true) ? instanceAsKroSeesIt(rgd, inst) : inst.object;
    this.#vars.schema = jsonToCel(pruned(seen, reads), instanceOpenApi(rgd));
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
    // Run for every expression, and nearly always finds its variables bound: the conversion is a
    // method of its own, so that this loop stays small when V8 optimizes it.
    const refs = src.references;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i] as string;
      // Iterators are bound per item by the caller; only resources need values here.
      if (ref === 'schema' || Object.hasOwn(this.#vars, ref) || !this.#compiled.nodes.has(ref)) continue;
      if (!this.#bindResource(ref, src, resource)) return false;
    }
    return true;
  }

  /** Gives resource `ref` its CEL value, once per instance; false (reported) when it cannot. */
  #bindResource(ref: string, src: CompiledSource, resource: GraphResource): boolean {
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
    if (refNode === undefined) return false;
    const f = this.#bindFacts(refNode);
    if (state.list) {
      this.#vars[ref] = this.#listValue(ref, state.objects, f.created, f.schema);
      return true;
    }
    const o = state.objects[0];
    if (o === undefined) {
      this.#vars[ref] = jsonToCel(undefined, f.schema);
      return true;
    }
    // Only what the graph's expressions read of it is defaulted, labelled and converted.
    let seen = f.defaulted ? withServerDefaults(o, f.kind, f.reads) : o;
    if (f.created && f.metadata && (f.labels || !isMap(seen.metadata)))
      seen = childAsKroSeesIt(this.#rgd, this.#inst, ref, seen);
    this.#vars[ref] = jsonToCel(pruned(seen, f.reads), f.schema);
    return true;
  }

  /** The facts binding `node`'s objects needs: the same for every instance, worked out once. */
  #bindFacts(node: CompiledNode): BindFacts {
    let hit = bindFacts.get(node);
    if (hit?.lookup !== this.#lookup) {
      const r = node.resource;
      const reads = this.#compiled.reads.get(r.id);
      const created = r.type !== 'external' && r.type !== 'externalCollection';
      const kind = `${r.apiVersion}/${r.kind}`;
      hit = {
        lookup: this.#lookup,
        schema: this.#lookup(r.apiVersion, r.kind),
        created,
        kind,
        reads,
        defaulted: created && defaultsUnderReads(kind, reads),
        metadata: observes(reads, ['metadata']),
        labels: observes(reads, ['metadata', 'labels']),
      };
      bindFacts.set(node, hit);
    }
    return hit;
  }

  /** The CEL value of a collection (or external collection) `ref`: each object whole. */
  #listValue(
    ref: string,
    objects: readonly JsonObject[],
    created: boolean,
    schema: OpenApiSchema | undefined,
  ): unknown[] {
    const size = objects.length;
    return objects.map((o, index) =>
      jsonToCel(
        created ? childAsKroSeesIt(this.#rgd, this.#inst, ref, this.#stored(ref, o), { index, size }) : o,
        schema,
      ),
    );
  }

  /** A rendered object of node `id` with the constant defaults the API server adds when storing it. */
  #stored(id: string, o: JsonObject, reads?: ReadTree): JsonObject {
    const r = this.#compiled.nodes.get(id)?.resource;
    return r ? withServerDefaults(o, `${r.apiVersion}/${r.kind}`, reads) : o;
  }

  #evaluate(src: CompiledSource, resource: GraphResource, iter?: Record<string, unknown>): Evaluated {
    if (src.program === undefined) {
      this.#fail(
        `cannot compile \${${excerpt(src.source)}} of resource "${resource.id}": ${src.parseError ?? 'invalid expression'}`,
        src.pos,
      );
      return FAILED;
    }
    if (src.kroMetadata !== undefined) {
      this.#fail(
        `cannot evaluate \${${excerpt(src.source)}} of resource "${resource.id}" for ${this.#instanceText()}: ${kroMetadataMessage(src.kroMetadata)}`,
        src.pos,
      );
      return FAILED;
    }
    if (!this.#bind(src, resource)) return FAILED;
    if (src.defaulted !== undefined && !this.#defaultsKnown(src, resource)) return FAILED;
    try {
      // A plain chain is read directly: cheaper than remembering its value.
      if (src.chain !== undefined) {
        const direct = selectChain(src.chain, this.#vars, iter);
        if (direct !== NOT_DIRECT) return direct;
      }
      if (iter === undefined && this.#static.has(src.source)) return this.#static.get(src.source);
      const value = this.#run(src, src.program, iter);
      if (iter === undefined) this.#static.set(src.source, value);
      return value;
    } catch (e) {
      this.#evalError(src, e, resource);
      return FAILED;
    }
  }

  /**
   * Runs the evaluator; a result already computed for the same input values (by any instance) is
   * taken instead: the expression reads nothing else, and CEL has no side effects.
   */
  #run(src: CompiledSource, program: CompiledExpression, iter: Record<string, unknown> | undefined): unknown {
    const { inputs, results } = src;
    const key = inputs === undefined ? undefined : inputsKey(inputs, this.#vars, iter);
    const vars = iter === undefined ? this.#vars : undefined;
    if (key === undefined || results === undefined)
      return program.evaluate(vars ?? { ...this.#vars, ...iter });
    if (results.has(key)) return results.get(key);
    const value = program.evaluate(vars ?? { ...this.#vars, ...iter });
    keepResult(results, key, value);
    return value;
  }

  /**
   * False (reported) when an object `src` reads with a guard lacks a field the API server fills
   * in with a value not known offline (server-defaults.ts).
   */
  #defaultsKnown(src: CompiledSource, resource: GraphResource): boolean {
    for (const read of src.defaulted ?? []) {
      const state = this.#states.get(read.root);
      const objects =
        read.root === 'schema'
          ? [this.#inst.object]
          : state?.status === 'rendered' && !state.list
            ? state.objects
            : [];
      if (objects.some((o) => !setsField(this.#stored(read.root, o), read.segments))) {
        this.#fail(
          `cannot evaluate \${${excerpt(src.source)}} of resource "${resource.id}" for ${this.#instanceText()}: ${defaultedMessage(read)}`,
          src.pos,
        );
        return false;
      }
    }
    return true;
  }

  /** A field's value as kro writes it: a standalone result converted, or the concatenated string. */
  #fieldValue(f: CompiledField, resource: GraphResource, iter?: Record<string, unknown>): Evaluated {
    if (f.standalone) {
      const part = f.parts[0];
      if (!part) return FAILED;
      const r = this.#evaluate(part, resource, f.iteration ? iter : undefined);
      if (r === FAILED) return r;
      try {
        const value = celToJson(r);
        return this.#sendable(value, part, resource) ? value : FAILED;
      } catch (e) {
        this.#evalError(part, e, resource);
        return FAILED;
      }
    }
    let out = f.literals[0] ?? '';
    for (let i = 0; i < f.parts.length; i++) {
      const part = f.parts[i] as CompiledSource;
      const r = this.#evaluate(part, resource, f.iteration ? iter : undefined);
      if (r === FAILED) return r;
      if (typeof r !== 'string') {
        this.#fail(
          `cannot evaluate \${${excerpt(part.source)}} of resource "${resource.id}" for ${this.#instanceText()}: inside a string template it must give a string, got ${celKindName(r)} (no such overload for string + ${celKindName(r)})`,
          part.pos,
        );
        return FAILED;
      }
      if (!this.#sendable(r, part, resource)) return FAILED;
      out += r + (f.literals[i + 1] ?? '');
    }
    return out;
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
    // Nearly every value holds none (a string: one regex test); the path is worked out for one that does.
    if (!holdsUnsendable(value)) return true;
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
      if (v === FAILED) return { status: 'failed' };
      if (v === null) return { status: 'excluded' };
      if (typeof v !== 'boolean') {
        this.#fail(
          `includeWhen \${${excerpt(cond.source)}} of resource "${r.id}" did not return bool for ${this.#instanceText()}`,
          cond.pos,
        );
        return { status: 'failed' };
      }
      if (!v) return { status: 'excluded' };
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
      if (v === FAILED) return undefined;
      if (v === null) {
        this.#fail(
          `forEach ${d.name}: \${${excerpt(d.list.source)}} returned null, expected list, for ${this.#instanceText()}`,
          d.list.pos,
        );
        return undefined;
      }
      if (!Array.isArray(v)) {
        this.#fail(
          `forEach ${d.name}: \${${excerpt(d.list.source)}} did not return a list for ${this.#instanceText()}`,
          d.list.pos,
        );
        return undefined;
      }
      if (v.length === 0) return [];
      dims.push({ name: d.name, values: v });
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
    const values: unknown[] = [];
    for (const f of node.fields) {
      const v = this.#fieldValue(f, r, iter);
      if (v === FAILED) return undefined;
      values.push(v);
    }
    // kro's Resolve: every field of a private copy of the template takes its value, then omit()
    // sentinels are removed. The walker found each path in this template, so it exists.
    const obj = fillTemplate(node.object ?? {}, node.paths, values);
    const resolved = this.#opts.omit ? cleanOmitSentinels(obj) : obj;
    if (r.type === 'external' || r.type === 'externalCollection')
      return this.#normalizeNamespace(r, resolved);
    const stored = this.#applied(node, resolved, values);
    return stored === undefined ? undefined : this.#normalizeNamespace(r, stored);
  }

  /**
   * A rendered object as the API server stores it from kro's apply (its stored form), or
   * undefined (reported) when the apply would be refused: no name, a field the kind does not
   * declare, a value its schema refuses.
   */
  #applied(node: CompiledNode, resolved: JsonObject, values: readonly unknown[]): JsonObject | undefined {
    const r = node.resource;
    const problem = missingNameProblem(resolved.metadata);
    if (problem) {
      this.#fail(`resource "${r.id}" for ${this.#instanceText()}: ${problem}`, r.pos);
      return undefined;
    }
    // Instances of RGD kinds are checked against their RGD's schema when expanded (chained.ts).
    const chainedKind = this.#chained?.lookup(r.apiVersion, r.kind) !== undefined;
    const schema = chainedKind ? undefined : this.#lookup(r.apiVersion, r.kind);
    // Without omit() the object is the template with the values in place: the plan applies.
    const plan = schema && !this.#opts.omit && node.object ? planOf(node, node.object, schema) : undefined;
    const undeclared =
      plan && undeclaredSkippable(plan, values) ? undefined : undeclaredField(resolved, schema);
    if (undeclared) {
      this.#fail(
        `resource "${r.id}" for ${this.#instanceText()}: ${undeclared}: field not declared in schema (the API server's server-side apply refuses it)`,
        this.#fieldPos(node, undeclared) ?? r.pos,
      );
      return undefined;
    }
    if (plan && storedUnchanged(plan, values)) return resolved;
    const stored = storedForm(resolved, schema);
    if (!stored.ok) {
      this.#fail(
        `resource "${r.id}" for ${this.#instanceText()}: ${stored.message}`,
        this.#fieldPos(node, stored.path) ?? r.pos,
      );
      return undefined;
    }
    return stored.value as JsonObject;
  }

  /**
   * kro's normalizeNamespaces: namespaced objects without one take the instance's. `obj` is this
   * render's own (a private copy of the template, or the stored form of one): changed in place.
   */
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
    if (metadata !== undefined && nameIsLast(metadata)) {
      // Nearly always: the namespace goes last, after the name, and nothing needs moving.
      metadata.namespace = this.#inst.namespace;
      return obj;
    }
    const newMeta: JsonObject = {};
    let placed = false;
    if (metadata !== undefined)
      for (const k in metadata) {
        if (!Object.hasOwn(metadata, k) || k === 'namespace') continue;
        setOwn(newMeta, k, metadata[k]);
        if (k === 'name') {
          newMeta.namespace = this.#inst.namespace;
          placed = true;
        }
      }
    if (!placed) newMeta.namespace = this.#inst.namespace;
    obj.metadata = newMeta;
    return obj;
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

/**
 * Whether expressions reading `reads` of `o` can see the labels and annotations kro adds (the
 * instance's or a created object's), or the metadata map kro would add to an object without one.
 */
function addsKroMetadata(o: JsonObject, reads: ReadTree | undefined, ofInstance: boolean): boolean {
  if (!observes(reads, ['metadata'])) return false;
  return (
    !isMap(o.metadata) ||
    observes(reads, ['metadata', 'labels']) ||
    (ofInstance && observes(reads, ['metadata', 'annotations']))
  );
}

/**
 * Whether `metadata` has no namespace key and its name, if it has one, is its last key: then the
 * namespace can be added in place where kro's normalization puts it (right after the name).
 */
function nameIsLast(metadata: JsonObject): boolean {
  let afterName = false;
  for (const k in metadata) {
    if (!Object.hasOwn(metadata, k)) continue;
    if (afterName || k === 'namespace') return false;
    if (k === 'name') afterName = true;
  }
  return true;
}

/** What binding a node's objects as a variable needs (InstanceRenderer.#bindFacts). */
interface BindFacts {
  /** The schema lookup the facts were worked out with. */
  readonly lookup: SchemaLookup;
  readonly schema: OpenApiSchema | undefined;
  /** Created by kro (not an external reference): read back with server defaults and kro's labels. */
  readonly created: boolean;
  /** `apiVersion/kind`. */
  readonly kind: string;
  readonly reads: ReadTree | undefined;
  /** Whether a constant server default lies under what is read (else withServerDefaults is a no-op). */
  readonly defaulted: boolean;
  /** Whether expressions observe the object's metadata, and its labels (addsKroMetadata). */
  readonly metadata: boolean;
  readonly labels: boolean;
}

const bindFacts = new WeakMap<CompiledNode, BindFacts>();

const plans = new WeakMap<CompiledNode, { readonly schema: OpenApiSchema; readonly plan: CheckPlan }>();

/** The node's check plan under `schema` (its kind's schema; worked out once per node). */
function planOf(node: CompiledNode, template: JsonObject, schema: OpenApiSchema): CheckPlan {
  let hit = plans.get(node);
  if (hit?.schema !== schema) {
    hit = {
      schema,
      plan: checkPlan(
        template,
        node.fields.map((f) => f.segments),
        schema,
      ),
    };
    plans.set(node, hit);
  }
  return hit.plan;
}

function celKindName(v: unknown): string {
  if (v === null) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : typeof v;
}
