// A resource graph compiled for rendering: every `${...}` parsed once per graph and shared by
// every instance rendered from it (kro caches compiled programs per graph the same way).
//
// String templates are kept as their literal pieces and expression parts rather than kro's
// concatenated CEL text: the result is the same string, and a failing part can be pointed at
// exactly. Each part must still produce a string, as kro's `"lit" + (e)` requires.
//
// Expressions are evaluated with every variable declared `dyn`, as kro's runtime activation
// does; the graph builder has already type-checked them against the real schemas. The static types
// kro's checker chooses overloads by are carried to the evaluation where they are scalars or lists
// and maps of scalars (lib/static-types.ts).
import type { ASTNode } from '@marcbachmann/cel-js';
import { type CompiledExpression, createKroEnvironment, type KroEnvironment } from '../cel/environment.js';
import { annotateStaticTypes } from '../cel/lib/static-types.js';
import { childNodes, selectChain as referenceChain } from '../cel/references.js';
import type { CelType } from '../cel/types.js';
import type { SourcePos } from '../diagnostics.js';
import type { FieldVariable, Graph, GraphExpression, GraphResource } from '../graph/model.js';
import type { DocPath, JsonObject, JsonValue } from '../rgd/model.js';
import { kroMetadataRead } from './kro-metadata.js';
import { type ReadTree, readTrees } from './read-paths.js';
import { type DefaultedRead, defaultedReads } from './server-defaults.js';

/** One expression, parsed (or the reason it could not be). */
export interface CompiledSource {
  readonly source: string;
  readonly program?: CompiledExpression;
  readonly parseError?: string;
  /** Identifiers it reads (resource ids, `schema`, iterators). */
  readonly references: readonly string[];
  readonly pos?: SourcePos;
  /** A read of the labels or annotations kro adds (kro-metadata.ts): not known offline. */
  readonly kroMetadata?: string;
  /** Guarded reads of fields the API server may fill in (server-defaults.ts), judged per object. */
  readonly defaulted?: readonly DefaultedRead[];
  /**
   * For a plain select chain (`schema.spec.name`: a variable, then fields): the variable and the
   * fields, which the renderer reads directly (selectChain) instead of running the evaluator.
   */
  readonly chain?: readonly string[];
  /**
   * When the expression reads its variables only through select chains (library namespaces
   * aside): those chains. Its value is then a function of the values at their ends, and the
   * renderer keeps the scalar results per distinct input (`results`, shared by every instance).
   */
  readonly inputs?: readonly (readonly string[])[];
  readonly results?: Map<string, unknown>;
}

export interface CompiledField {
  readonly variable: FieldVariable;
  readonly segments: DocPath;
  readonly standalone: boolean;
  /** For string templates: the text around the parts (`literals.length === parts.length + 1`). */
  readonly literals: readonly string[];
  readonly parts: readonly CompiledSource[];
  /** Reads a forEach iterator: evaluated per collection item, never cached across items. */
  readonly iteration: boolean;
}

export interface CompiledNode {
  readonly resource: GraphResource;
  /** The template, or for external references the `externalRef` object (its identity fields). */
  readonly object: JsonObject | null;
  readonly fields: readonly CompiledField[];
  /** The fields' paths (`fields[i].segments`), one array per node (fillTemplate lays it out once). */
  readonly paths: readonly DocPath[];
  readonly includeWhen: readonly CompiledSource[];
  readonly forEach: readonly { readonly name: string; readonly list: CompiledSource }[];
}

export interface CompiledGraph {
  readonly graph: Graph;
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  readonly env: KroEnvironment;
  /** What the expressions read of each variable (read-paths.ts): all that is made a CEL value. */
  readonly reads: ReadonlyMap<string, ReadTree>;
}

export interface CompileOptions {
  /** kro's `CELOmitFunction` feature gate; must match the one the graph was built with. */
  readonly omit?: boolean;
}

const cache = new WeakMap<Graph, Map<string, CompiledGraph>>();

function valueAt(root: JsonValue | null, segments: DocPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root ?? undefined;
  for (const s of segments) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[s as number] : (cur as JsonObject)[s as string];
  }
  return cur;
}

class Compiler {
  readonly env: KroEnvironment;
  readonly #programs = new Map<
    string,
    {
      program?: CompiledExpression;
      parseError?: string;
      kroMetadata?: string;
      defaulted?: readonly DefaultedRead[];
      chain?: readonly string[];
      inputs?: readonly (readonly string[])[];
      results?: Map<string, unknown>;
    }
  >();
  /** `apiVersion/kind` of each resource id; `schema` is the instance. */
  readonly #kinds = new Map<string, string>([['schema', 'instance']]);
  /** The types the graph builder checked the variables with (iterators stay dyn). */
  readonly #types: ReadonlyMap<string, CelType>;

  constructor(graph: Graph, opts: CompileOptions) {
    this.env = createKroEnvironment({ omit: opts.omit ?? false });
    this.#types = new Map([['schema', graph.instance.schemaType]]);
    const names = new Set<string>(['schema']);
    for (const r of graph.resources) {
      this.#kinds.set(r.id, `${r.apiVersion}/${r.kind}`);
      names.add(r.id);
      for (const d of r.forEach) names.add(d.name);
    }
    // A name the library also uses (`optional`, `json`, `map`) reads the variable, as in cel-go.
    for (const name of names) this.env.declare(name);
  }

  compile(source: string, references: readonly string[], pos: SourcePos | undefined): CompiledSource {
    let entry = this.#programs.get(source);
    if (entry === undefined) {
      try {
        const program = this.env.compile(source);
        annotateStaticTypes(program.ast, this.#types);
        const read = kroMetadataRead(program.ast, source);
        const defaulted = defaultedReads(program.ast, source, (id) => this.#kinds.get(id));
        const chain = selectChainOf(program.ast);
        // A plain chain is read directly (selectChain): nothing to keep.
        const inputs = chain === undefined ? inputChainsOf(program.ast) : undefined;
        entry = {
          program,
          ...(read !== undefined ? { kroMetadata: read } : {}),
          ...(defaulted.length > 0 ? { defaulted } : {}),
          ...(chain !== undefined ? { chain } : {}),
          ...(inputs !== undefined ? { inputs, results: new Map<string, unknown>() } : {}),
        };
      } catch (e) {
        const err = e as { summary?: string; message?: string };
        entry = { parseError: err.summary ?? (err.message ?? String(e)).split('\n')[0] ?? '' };
      }
      this.#programs.set(source, entry);
    }
    return { source, ...entry, references, ...(pos ? { pos } : {}) };
  }

  condition(e: GraphExpression): CompiledSource {
    return this.compile(e.expression, e.references, e.pos);
  }
}

/** `[variable, field, ...]` when `ast` is `variable.field...` and nothing else. */
function selectChainOf(ast: ASTNode): string[] | undefined {
  const fields: string[] = [];
  let node = ast;
  while (node.op === '.') {
    const [base, field] = node.args as [ASTNode, unknown];
    if (typeof field !== 'string') return undefined;
    fields.push(field);
    node = base;
  }
  if (node.op !== 'id' || typeof node.args !== 'string' || fields.length === 0) return undefined;
  return [node.args, ...fields.reverse()];
}

/**
 * The select chains (`[variable, field, ...]`, a bare variable as `[variable]`) through which
 * `ast` reads variables, or undefined when it reads none. Library namespaces (`random.` in
 * `random.seededString(...)`) are not variables. Any other identifier (a comprehension's own
 * variable) is a chain too: the renderer finds no variable for it and does not keep the result.
 */
function inputChainsOf(ast: ASTNode): string[][] | undefined {
  const chains = new Map<string, string[]>();
  const pending: ASTNode[] = [ast];
  while (pending.length > 0) {
    const node = pending.pop() as ASTNode;
    const c = node.op === '.' || node.op === '.?' || node.op === 'id' ? referenceChain(node) : undefined;
    if (c === undefined) {
      pending.push(...childNodes(node));
      continue;
    }
    if (c.root.startsWith('@')) continue;
    const chain = [c.root, ...c.path];
    chains.set(chain.join('\u0000'), chain);
  }
  return chains.size === 0 ? undefined : [...chains.values()];
}

/** At most this many results are kept per expression (per graph): inputs that all differ gain nothing. */
const MAX_RESULTS = 256;

/**
 * The key of the inputs' values for `src.results` (the values' types and values), or undefined
 * when one is not a scalar read directly (a map, a list, a missing key, a comprehension variable).
 */
export function inputsKey(
  inputs: readonly (readonly string[])[],
  vars: Readonly<Record<string, unknown>>,
  iter: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  let key = '';
  for (let i = 0; i < inputs.length; i++) {
    const v = selectChain(inputs[i] as readonly string[], vars, iter);
    switch (typeof v) {
      case 'string':
        key += `s${v.length}:${v}`;
        break;
      case 'bigint':
        key += `i${v};`;
        break;
      case 'number':
        key += `d${Object.is(v, -0) ? '-0' : String(v)};`;
        break;
      case 'boolean':
        key += v ? 't' : 'f';
        break;
      default:
        if (v !== null) return undefined;
        key += 'n';
    }
  }
  return key;
}

/** Keeps a scalar result of `src` for the inputs `key` (while there is room). */
export function keepResult(results: Map<string, unknown>, key: string, value: unknown): void {
  if (
    results.size < MAX_RESULTS &&
    (value === null || (typeof value !== 'object' && typeof value !== 'function'))
  )
    results.set(key, value);
}

/** What selectChain returns when the direct read does not apply; the evaluator then decides. */
export const NOT_DIRECT: unique symbol = Symbol('not direct');

/**
 * The value of a select chain read directly from the variables, as cel-js's field access reads
 * it (an own, defined property of a plain object or a Map's entry); NOT_DIRECT for anything else
 * (a missing variable or key, a list, a typed object), where the evaluator gives the value or the
 * exact error. Most template expressions are such chains, and they are evaluated per instance.
 */
export function selectChain(
  chain: readonly string[],
  vars: Readonly<Record<string, unknown>>,
  iter: Readonly<Record<string, unknown>> | undefined,
): unknown {
  const root = chain[0] as string;
  let value: unknown =
    iter !== undefined && Object.hasOwn(iter, root)
      ? iter[root]
      : Object.hasOwn(vars, root)
        ? vars[root]
        : undefined;
  for (let i = 1; i < chain.length; i++) {
    if (typeof value !== 'object' || value === null) return NOT_DIRECT;
    const key = chain[i] as string;
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    } else if (value instanceof Map) value = value.get(key);
    else return NOT_DIRECT;
    if (value === undefined) return NOT_DIRECT;
  }
  return value === undefined || typeof value === 'function' ? NOT_DIRECT : value;
}

function compileNode(c: Compiler, r: GraphResource): CompiledNode {
  const object = r.template ?? (r.externalRef as unknown as JsonObject | null);
  const iterators = new Set(r.forEach.map((d) => d.name));
  const fields = r.variables.map((v): CompiledField => {
    const iteration = v.kind === 'iteration' || v.references.some((ref) => iterators.has(ref));
    const parts = v.parts.map((p) => c.compile(p.expression, v.references, p.pos ?? v.pos));
    const literals: string[] = [];
    if (!v.standalone) {
      const text = valueAt(object, v.segments);
      const s = typeof text === 'string' ? text : '';
      let at = 0;
      for (const p of v.parts) {
        literals.push(s.slice(at, p.start));
        at = p.end;
      }
      literals.push(s.slice(at));
    }
    return { variable: v, segments: v.segments, standalone: v.standalone, literals, parts, iteration };
  });
  return {
    resource: r,
    object,
    fields,
    paths: fields.map((f) => f.segments),
    includeWhen: r.includeWhen.map((e) => c.condition(e)),
    forEach: r.forEach.map((d) => ({ name: d.name, list: c.condition(d.expression) })),
  };
}

/** The parsed expressions of `nodes`: fields, includeWhen conditions, forEach lists. */
function* programAsts(nodes: Iterable<CompiledNode>): Generator<ASTNode> {
  for (const n of nodes) {
    const sources = [...n.fields.flatMap((f) => f.parts), ...n.includeWhen, ...n.forEach.map((d) => d.list)];
    for (const s of sources) if (s.program !== undefined) yield s.program.ast;
  }
}

/** The graph compiled for rendering; cached, so each graph is compiled once per option set. */
export function compileGraph(graph: Graph, opts: CompileOptions = {}): CompiledGraph {
  const key = opts.omit ? 'omit' : 'plain';
  let perGraph = cache.get(graph);
  if (perGraph === undefined) {
    perGraph = new Map();
    cache.set(graph, perGraph);
  }
  const hit = perGraph.get(key);
  if (hit) return hit;
  const c = new Compiler(graph, opts);
  const nodes = new Map<string, CompiledNode>();
  for (const r of graph.resources) nodes.set(r.id, compileNode(c, r));
  const compiled: CompiledGraph = { graph, nodes, env: c.env, reads: readTrees(programAsts(nodes.values())) };
  perGraph.set(key, compiled);
  return compiled;
}
