// kro's graph builder (pkg/graph/builder.go), offline: finds every expression of an RGD, works
// out what each reads, builds the dependency DAG with kro's ordering, type-checks every
// expression against the schemas of the kinds involved, and infers the instance status schema.
// Problems come back as diagnostics pointing at the expression; the graph is returned even then,
// as complete as the problems allow.
import type { ASTNode } from '@marcbachmann/cel-js';
import { checkAssignment, isBoolOrOptionalBool } from '../cel/compat.js';
import {
  createKroEnvironment,
  type KroEnvironment,
  NAMESPACE_IDENTIFIERS,
  namespacedFunctionNames,
} from '../cel/environment.js';
import { kroRuntimeLibrary } from '../cel/lib/kro-runtime.js';
import { findReferences } from '../cel/references.js';
import {
  buildStringTemplate,
  type ExpressionMatch,
  extractExpressions,
  unwrapExpression,
} from '../cel/scanner.js';
import {
  type FieldExpression,
  parseResource,
  parseSchemalessResource,
  type WalkError,
} from '../cel/template.js';
import { TypeEnv } from '../cel/typecheck.js';
import {
  type CelType,
  celTypeFromSchema,
  DYN,
  formatCelType,
  listElementType,
  listOf,
  type SelectPaths,
  STRING,
  TYPE_NAME_PREFIX,
} from '../cel/types.js';
import { type Diagnostic, error, excerpt, hasErrors, type SourcePos, warning } from '../diagnostics.js';
import type { DocPath, JsonObject, JsonValue, Rgd, RgdResource } from '../rgd/model.js';
import { scopeDiagnostics } from '../rgd/validate.js';
import { buildInstanceSchema } from '../schema/build.js';
import { unknownBuiltinKindProblem } from '../schema/k8s-builtin.js';
import { specToOpenAPI } from '../schema/openapi.js';
import {
  type BuiltinLookup,
  celTypeFromSchemaNode,
  type KindResolver as KindResolverClass,
  type KnownKind,
  objectMetaSchema,
  type ResolvedKind,
} from '../schema/resolver.js';
import { inferStatusSchema, type StatusField } from '../schema/status.js';
import {
  extractConditionExpressions,
  isRequiredIdentityField,
  validateConditionEntries,
} from './conditions.js';
import { cycleMessage, DirectedAcyclicGraph } from './dag.js';
import { graphKindResolver } from './kinds.js';
import type {
  ExpressionPart,
  FieldVariable,
  ForEachDimension,
  Graph,
  GraphCondition,
  GraphExpression,
  GraphResource,
  NodeType,
  VariableKind,
} from './model.js';
import { checkValidationRules } from './validation-rules.js';

export type { Graph } from './model.js';

export interface GraphContext {
  /** Schemas handed in directly (tests' fake resolvers, schema bundles). */
  readonly kinds?: readonly KnownKind[];
  /** Parsed CustomResourceDefinition documents (`--crd` files). */
  readonly crds?: readonly JsonValue[];
  /** Other RGDs, whose instance kinds this RGD may create (chained RGDs). */
  readonly rgds?: readonly Rgd[];
  /** Built-in Kubernetes kinds: the bundled 1.36 schemas by default, `false` for none. */
  readonly builtin?: BuiltinLookup | false;
  /** What an unknown kind is: a warning and dyn typing (default), or an error as in kro. */
  readonly unknownKinds?: 'warn' | 'error';
  /** kro's `CELOmitFunction` feature gate (off by default, as in kro). */
  readonly omit?: boolean;
}

export interface BuildResult {
  readonly graph: Graph;
  readonly diagnostics: Diagnostic[];
}

const SCHEMA = 'schema';
const EACH = 'each';
const RUNTIME = 'runtime';
const CRD_GROUP_VERSION = 'apiextensions.k8s.io/v1';

function isMap(v: JsonValue | undefined | null): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Finding expressions
// ---------------------------------------------------------------------------------------------

interface RawField {
  readonly segments: DocPath;
  readonly path: string;
  /** The string value as written. */
  readonly value: string;
  readonly matches: readonly ExpressionMatch[];
}

function rawField(fe: FieldExpression): RawField {
  const value = fe.template ?? `\${${fe.matches[0]?.expr ?? fe.expression}}`;
  return { segments: fe.segments, path: fe.path, value, matches: fe.matches };
}

// ---------------------------------------------------------------------------------------------
// Inspecting expressions
// ---------------------------------------------------------------------------------------------

interface Inspection {
  readonly ast: ASTNode | undefined;
  /** Identifiers read, with offsets inside the expression. */
  readonly refs: readonly {
    readonly root: string;
    /** The fields selected after the root (see Reference.path). */
    readonly path: readonly string[];
    readonly start: number;
    readonly end: number;
  }[];
  readonly unknownFunctions: readonly string[];
  readonly usesOmit: boolean;
  readonly parseError?: { readonly message: string; readonly offset: number };
}

class Inspector {
  readonly #env: KroEnvironment;
  readonly #namespaces: ReadonlySet<string>;
  readonly #namespacedFunctions: ReadonlySet<string>;
  readonly #functions: ReadonlySet<string>;
  // An expression is often inspected more than once (a status field, then its type check).
  readonly #cache = new Map<string, Inspection>();

  constructor(env: KroEnvironment, resourceIds: ReadonlySet<string>, omit: boolean) {
    this.#env = env;
    // `runtime` is read as a variable so it can be rejected outside status conditions.
    // Only namespaces kro's environment declares: `math.least(...)` names an unknown identifier
    // (kro has no math extension), as kro's inspector reports it.
    this.#namespaces = new Set(
      [...NAMESPACE_IDENTIFIERS].filter(
        (n) => n !== RUNTIME && !resourceIds.has(n) && env.raw.hasVariable(n),
      ),
    );
    this.#namespacedFunctions = namespacedFunctionNames({ omit });
    this.#functions = new Set(env.raw.getDefinitions().functions.map((f) => f.name));
  }

  inspect(source: string): Inspection {
    let found = this.#cache.get(source);
    if (found === undefined) {
      found = this.#inspect(source);
      this.#cache.set(source, found);
    }
    return found;
  }

  #inspect(source: string): Inspection {
    let ast: ASTNode;
    try {
      ast = this.#env.compile(source).ast;
    } catch (e) {
      const err = e as { summary?: string; message?: string; range?: { start: number } };
      const message =
        err.summary ?? (err.message ?? 'invalid expression').split('\n')[0] ?? 'invalid expression';
      return {
        ast: undefined,
        refs: [],
        unknownFunctions: [],
        usesOmit: false,
        parseError: { message, offset: err.range?.start ?? 0 },
      };
    }
    // runtime.newCondition({type: ..., status: ...}) takes bare field names, not variables.
    const bareKeys = new Set<number>();
    const pending: ASTNode[] = [ast];
    while (pending.length > 0) {
      const n = pending.pop() as ASTNode;
      if (n.op === 'value' || n.op === 'id') continue;
      if (n.op === 'rcall') {
        const [name, target, args] = n.args;
        if (name === 'newCondition' && target.op === 'id' && target.args === RUNTIME) {
          for (const a of args)
            if (a.op === 'map') for (const [k] of a.args) if (k.op === 'id') bareKeys.add(k.start);
        }
        pending.push(target, ...args);
      } else if (n.op === '.' || n.op === '.?') pending.push(n.args[0]);
      else if (n.op === 'call') pending.push(...n.args[1]);
      else if (n.op === 'list') pending.push(...n.args);
      else if (n.op === 'map') for (const [k, v] of n.args) pending.push(k, v);
      else if (n.op === '!_' || n.op === '-_') pending.push(n.args);
      else pending.push(...(n.args as readonly ASTNode[]));
    }
    const refs = findReferences(ast, this.#namespaces, this.#namespacedFunctions)
      .filter((r) => !bareKeys.has(r.start))
      .map((r) => ({ root: r.root, path: r.path, start: r.start, end: r.end }));
    const unknownFunctions: string[] = [];
    let usesOmit = false;
    const visit = (n: ASTNode): void => {
      if (n.op === 'call') {
        const [name, args] = n.args;
        if (name === 'omit') usesOmit = true;
        else if (!this.#functions.has(name) && !unknownFunctions.includes(name)) unknownFunctions.push(name);
        for (const a of args) visit(a);
        return;
      }
      if (n.op === 'value' || n.op === 'id') return;
      if (n.op === '.' || n.op === '.?') {
        visit(n.args[0]);
        return;
      }
      if (n.op === 'rcall') {
        visit(n.args[1]);
        for (const a of n.args[2]) visit(a);
        return;
      }
      if (n.op === 'list') {
        for (const a of n.args) visit(a);
        return;
      }
      if (n.op === 'map') {
        for (const [k, v] of n.args) {
          visit(k);
          visit(v);
        }
        return;
      }
      if (n.op === '!_' || n.op === '-_') {
        visit(n.args);
        return;
      }
      for (const a of n.args as readonly ASTNode[]) visit(a);
    };
    visit(ast);
    return { ast, refs, unknownFunctions, usesOmit };
  }
}

// ---------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------

type ExprContext = 'template' | 'forEach' | 'includeWhen' | 'readyWhen' | 'status' | 'condition';

/** One CEL text to check, with where it sits. */
interface Site {
  readonly text: string;
  /** DocPath of the string holding it, and the offset of its first CEL character there. */
  readonly docPath: DocPath;
  readonly innerStart: number;
  readonly dollar: number;
}

interface NodeDraft {
  readonly r: RgdResource;
  readonly base: DocPath;
  readonly type: NodeType;
  readonly apiVersion: string;
  readonly kind: string;
  readonly resolved: ResolvedKind | undefined;
  readonly object: JsonObject | null;
  readonly objectBase: DocPath;
  readonly fields: RawField[];
  readonly iterators: readonly string[];
  dependencies: string[];
  variables: MutableVariable[];
  readyWhen: { site: Site; refs: string[]; type?: CelType }[];
  includeWhen: { site: Site; refs: string[]; type?: CelType }[];
  forEach: { name: string; site: Site; refs: string[]; type?: CelType; elementType?: CelType }[];
  /** Expressions that failed inspection: not type-checked again. */
  broken: Set<Site>;
  celType: CelType;
}

interface MutableVariable {
  readonly field: RawField;
  readonly sites: Site[];
  kind: VariableKind;
  references: string[];
  types: (CelType | undefined)[];
  expectedType?: CelType;
}

function levenshtein(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] ?? 0;
      d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] ?? 0;
}

function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const dist = levenshtein(name.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3))
    ? ` (did you mean "${best}"?)`
    : '';
}

/** The type expected at `segments` inside `root`; dyn where the schema says nothing. */
export function expectedTypeAt(root: CelType, segments: readonly (string | number)[]): CelType {
  let cur: CelType = root;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      if (cur.kind !== 'list') return DYN;
      cur = cur.elem;
      continue;
    }
    // kro looks a name up in properties, then additionalProperties, then list items.
    while (cur.kind === 'list') cur = cur.elem;
    if (cur.kind === 'object') {
      const f = cur.fields[seg];
      if (f === undefined) return DYN;
      cur = f;
    } else if (cur.kind === 'map') {
      cur = cur.value;
    } else {
      return DYN;
    }
  }
  return cur;
}

// The kinds a graph's resources may have: chained RGDs' statuses come from building their graphs.
function resolverFor(ctx: GraphContext): KindResolverClass {
  return graphKindResolver(ctx, (rgd, c) => buildGraph(rgd, c).graph);
}

/** Builds the resource graph of `rgd`. Never throws for bad input. */
export function buildGraph(rgd: Rgd, ctx: GraphContext = {}): BuildResult {
  return new Builder(rgd, ctx).build();
}

class Builder {
  readonly #rgd: Rgd;
  readonly #ctx: GraphContext;
  readonly #diags: Diagnostic[] = [];
  readonly #reported = new Set<string>();
  readonly #parseEnv: KroEnvironment;
  readonly #resolver: KindResolverClass;
  readonly #ids: Set<string>;
  #inspector!: Inspector;
  readonly #namespaced: boolean;

  constructor(rgd: Rgd, ctx: GraphContext) {
    this.#rgd = rgd;
    this.#ctx = ctx;
    this.#parseEnv = createKroEnvironment({ omit: ctx.omit ?? false });
    this.#resolver = resolverFor(ctx);
    this.#ids = new Set(rgd.resources.map((r) => r.id));
    this.#namespaced = rgd.schema.scope !== 'Cluster';
  }

  #report(d: Diagnostic): void {
    const k = `${d.pos?.line}:${d.pos?.col}:${d.message}`;
    if (this.#reported.has(k)) return;
    this.#reported.add(k);
    this.#diags.push(d);
  }

  #pos(site: Site, offset = 0): SourcePos {
    return this.#rgd.loc.inString(site.docPath, site.innerStart + offset);
  }

  build(): BuildResult {
    const rgd = this.#rgd;
    this.#inspector = new Inspector(this.#parseEnv, this.#ids, this.#ctx.omit ?? false);

    // The `schema` variable: the instance without status.
    const built = buildInstanceSchema({
      spec: rgd.schema.spec,
      types: rgd.schema.types,
      loc: rgd.loc,
      at: ['spec', 'schema'],
    });
    for (const d of built.diagnostics) this.#report(d);
    if (!hasErrors(built.diagnostics))
      for (const d of checkValidationRules(built.schema.spec, rgd.loc)) this.#report(d);
    const schemaName = `${TYPE_NAME_PREFIX}${SCHEMA}`;
    const schemaType: CelType = {
      kind: 'object',
      name: schemaName,
      fields: {
        apiVersion: STRING,
        kind: STRING,
        metadata: celTypeFromSchema(objectMetaSchema(this.#namespaced), `${schemaName}.metadata`),
        // A broken SimpleSchema drops the broken fields; reading them is not a second error.
        spec: hasErrors(built.diagnostics)
          ? { kind: 'object', name: `${schemaName}.spec`, fields: {}, preserveUnknown: true }
          : celTypeFromSchemaNode(built.schema.spec, `${schemaName}.spec`),
      },
      preserveUnknown: false,
    };

    const nodes = rgd.resources.map((r) => this.#draft(r));
    for (const n of nodes) this.#inspectNode(n);

    // Dependencies and ordering.
    const dag = new DirectedAcyclicGraph();
    // The DAG refuses the edge that closes a cycle; the order without it would be wrong.
    let cyclic = false;
    for (const n of nodes) dag.addVertex(n.r.id, n.r.index);
    for (const n of nodes) {
      const err = dag.addDependencies(
        n.r.id,
        n.dependencies.filter((d) => dag.has(d) && d !== n.r.id),
      );
      if (err?.code === 'cycle') {
        cyclic = true;
        const at = err.cycle.indexOf(n.r.id);
        const next = at >= 0 ? err.cycle[at + 1] : undefined;
        const site = next !== undefined ? this.#siteReferencing(n, next) : undefined;
        this.#report(
          error(
            `failed to build dependency graph: ${cycleMessage(this.#cycleFrom(err.cycle, n.r.id))}`,
            site ? this.#pos(site) : rgd.loc.at([...n.base, 'id']),
            'graph/cycle',
          ),
        );
      }
    }
    const topo = dag.topologicalSort();
    const layers = dag.applyLayers();
    const orders = dag.applyOrders();

    // Type checking.
    const vars = new Map<string, CelType>([[SCHEMA, schemaType]]);
    for (const n of nodes)
      vars.set(
        n.r.id,
        n.type === 'collection' || n.type === 'externalCollection' ? listOf(n.celType) : n.celType,
      );
    const typeEnv = this.#typeEnv(vars, this.#selectPaths());
    for (const n of nodes) this.#checkNode(n, typeEnv);

    // Status.
    const status = this.#buildStatus(typeEnv);

    const graph: Graph = {
      name: rgd.name,
      file: rgd.file,
      instance: {
        group: rgd.schema.group,
        version: rgd.schema.apiVersion,
        apiVersion: `${rgd.schema.group}/${rgd.schema.apiVersion}`,
        kind: rgd.schema.kind,
        namespaced: this.#namespaced,
        schemaType,
        specSchema: specToOpenAPI(built.schema),
        statusVariables: status.variables,
        conditions: status.conditions,
        dependencies: status.dependencies,
        statusSchema: status.schema,
      },
      resources: nodes.map((n) => this.#finish(n)),
      topologicalOrder: topo.ok && !cyclic ? topo.value : [],
      layers: layers.ok && !cyclic ? layers.value : [],
      applyOrders: orders.ok && !cyclic ? Object.fromEntries(orders.value) : {},
    };
    return { graph, diagnostics: this.#diags };
  }

  #cycleFrom(cycle: readonly string[], start: string): string[] {
    const open = cycle.slice(0, -1);
    const i = open.indexOf(start);
    if (i < 0) return [...cycle];
    const rotated = [...open.slice(i), ...open.slice(0, i)];
    return [...rotated, start];
  }

  #typeEnv(vars: Map<string, CelType>, uses: ReadonlyMap<string, SelectPaths>): TypeEnv {
    try {
      return TypeEnv.create(vars, { omit: this.#ctx.omit ?? false, uses });
    } catch {
      // A schema the library cannot declare: fall back to untyped variables rather than fail.
      return TypeEnv.create(new Map([...vars.keys()].map((k) => [k, DYN])), {
        omit: this.#ctx.omit ?? false,
      });
    }
  }

  /**
   * What every expression of the RGD selects from each variable, so the type environment declares
   * only those parts of the kinds' schemas (TypeEnvOptions.uses). Found by scanning every string
   * of the resources and the status; a collection's readyWhen reads the resource as `each`.
   */
  #selectPaths(): Map<string, string[][]> {
    const uses = new Map<string, string[][]>();
    const seen = new Set<string>();
    const scan = (text: string, each?: string) => {
      if (!text.includes('${')) return;
      const found = extractExpressions(text);
      if (!found.ok) return;
      for (const m of found.value) {
        for (const ref of this.#inspector.inspect(m.expr).refs) {
          const root = each !== undefined && ref.root === EACH ? each : ref.root;
          const key = [root, ...ref.path].join('\0');
          if (seen.has(key)) continue;
          seen.add(key);
          let paths = uses.get(root);
          if (!paths) {
            paths = [];
            uses.set(root, paths);
          }
          paths.push([...ref.path]);
        }
      }
    };
    const visit = (value: unknown, each?: string): void => {
      if (typeof value === 'string') scan(value, each);
      else if (Array.isArray(value)) for (const v of value) visit(v, each);
      else if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) {
          scan(k, each);
          visit(v, each);
        }
      }
    };
    for (const r of this.#rgd.resources) {
      visit(r.template);
      visit(r.externalRef);
      visit(r.includeWhen);
      visit(r.forEach.map((d) => d.expression));
      visit(r.readyWhen, r.forEach.length > 0 ? r.id : undefined);
    }
    visit(this.#rgd.schema.status);
    return uses;
  }

  // -------------------------------------------------------------------------------------------
  // Per resource: kind, expressions, references
  // -------------------------------------------------------------------------------------------

  #draft(r: RgdResource): NodeDraft {
    const base: DocPath = ['spec', 'resources', r.index];
    const ext = r.externalRef;
    const object: JsonObject | null =
      r.template ?? (ext ? (JSON.parse(JSON.stringify(ext)) as JsonObject) : null);
    const objectBase: DocPath = r.template ? [...base, 'template'] : [...base, 'externalRef'];
    const apiVersion = typeof object?.apiVersion === 'string' ? object.apiVersion : '';
    const kind = typeof object?.kind === 'string' ? object.kind : '';
    const type: NodeType = ext
      ? ext.metadata.selector
        ? 'externalCollection'
        : 'external'
      : r.forEach.length > 0
        ? 'collection'
        : 'resource';
    const resolved = apiVersion && kind ? this.#resolver.resolve(apiVersion, kind) : undefined;
    if (object && apiVersion && kind && !resolved) {
      // A built-in group's kinds are all known: one not among them does not exist.
      const missing = this.#ctx.builtin !== false ? unknownBuiltinKindProblem(apiVersion, kind) : undefined;
      const strict = this.#ctx.unknownKinds === 'error' || missing !== undefined;
      const msg = strict
        ? `failed to get schema for resource ${r.id}: ${missing ?? `schema not found for ${apiVersion}, Kind=${kind}`}`
        : `no schema for ${kind} (${apiVersion}): expressions on resource "${r.id}" are not type-checked; pass its CRD with --crd`;
      this.#report(
        (strict ? error : warning)(msg, this.#rgd.loc.at([...objectBase, 'kind']), 'graph/unknown-kind'),
      );
    }
    if (resolved) {
      for (const d of scopeDiagnostics(this.#rgd, r, resolved.namespaced ? 'Namespaced' : 'Cluster'))
        this.#report(d);
    }
    const celType = resolved ? this.#safeCelType(resolved, `${TYPE_NAME_PREFIX}${r.id}`) : DYN;

    // kro walks templates against the kind's schema, and external refs and CRDs without one.
    const crdTemplate =
      r.template !== null && apiVersion === CRD_GROUP_VERSION && kind === 'CustomResourceDefinition';
    const walk =
      object === null
        ? { expressions: [], errors: [] as WalkError[] }
        : r.template && !crdTemplate && resolved?.schema
          ? parseResource(object, resolved.schema as Parameters<typeof parseResource>[1])
          : parseSchemalessResource(object);
    const fields: RawField[] = walk.expressions.map(rawField);
    for (const p of walk.errors) {
      const what = ext
        ? 'failed to parse external ref resource'
        : r.template && !crdTemplate && resolved?.schema
          ? 'failed to extract CEL expressions from schema for resource'
          : 'failed to parse schemaless resource';
      const docPath = [...objectBase, ...p.segments];
      this.#report(
        error(
          `${what} ${r.id}: ${p.message}`,
          p.offset !== undefined ? this.#rgd.loc.inString(docPath, p.offset) : this.#rgd.loc.at(docPath),
          'graph/expression',
        ),
      );
    }
    // kro allows expressions in CRD templates only under metadata.
    const kept = crdTemplate ? fields.filter((f) => f.path.startsWith('metadata.')) : fields;
    if (crdTemplate) {
      for (const f of fields) {
        if (f.path.startsWith('metadata.')) continue;
        this.#report(
          error(
            `CEL expressions in CRDs are only supported for metadata fields, found in path "${f.path}", resource ${r.id}`,
            this.#rgd.loc.inString([...objectBase, ...f.segments], f.matches[0]?.start ?? 0),
            'graph/crd-template',
          ),
        );
      }
    }

    const variables: MutableVariable[] = kept.map((field) => ({
      field,
      sites: field.matches.map((m) => ({
        text: m.expr,
        docPath: [...objectBase, ...field.segments],
        innerStart: m.innerStart,
        dollar: m.start,
      })),
      kind: 'static',
      references: [],
      types: [],
    }));

    const conditionSites = (list: readonly string[], key: 'readyWhen' | 'includeWhen') =>
      list.flatMap((entry, j) => {
        const u = unwrapExpression(entry);
        if (!u.ok) return [];
        return [
          {
            site: {
              text: u.value.expr,
              docPath: [...base, key, j],
              innerStart: u.value.innerStart,
              dollar: u.value.start,
            },
            refs: [] as string[],
          },
        ];
      });
    const forEach = r.forEach.flatMap((dim, i) => {
      const u = unwrapExpression(dim.expression);
      if (!u.ok) return [];
      return [
        {
          name: dim.name,
          site: {
            text: u.value.expr,
            docPath: [...base, 'forEach', i, dim.name],
            innerStart: u.value.innerStart,
            dollar: u.value.start,
          },
          refs: [] as string[],
        },
      ];
    });

    return {
      r,
      base,
      type,
      apiVersion,
      kind,
      resolved,
      object,
      objectBase,
      fields: kept,
      iterators: r.forEach.map((d) => d.name),
      dependencies: [],
      variables,
      readyWhen: conditionSites(r.readyWhen, 'readyWhen'),
      includeWhen: conditionSites(r.includeWhen, 'includeWhen'),
      forEach,
      broken: new Set(),
      celType,
    };
  }

  #safeCelType(resolved: ResolvedKind, name: string): CelType {
    try {
      return resolved.celType(name);
    } catch {
      return DYN;
    }
  }

  /** Inspects one expression; reports parse errors, unknown functions and omit misuse. */
  #inspect(site: Site, context: ExprContext, who: string, broken: Set<Site>): Inspection | undefined {
    const ins = this.#inspector.inspect(site.text);
    if (ins.parseError) {
      this.#report(
        error(
          `${who}: failed to parse expression "${excerpt(site.text)}": ${ins.parseError.message}`,
          this.#pos(site, ins.parseError.offset),
          'graph/cel',
        ),
      );
      broken.add(site);
      return undefined;
    }
    if (ins.unknownFunctions.length > 0) {
      this.#report(
        error(
          `${who}: uses unknown functions: [${ins.unknownFunctions.join(' ')}]`,
          this.#pos(site),
          'graph/unknown-function',
        ),
      );
      broken.add(site);
    }
    if (ins.usesOmit) {
      if (!(this.#ctx.omit ?? false)) {
        this.#report(
          error(
            `${who}: omit() requires the CELOmitFunction feature gate to be enabled`,
            this.#pos(site),
            'graph/omit',
          ),
        );
        broken.add(site);
      } else if (context !== 'template') {
        this.#report(
          error(
            `${who}: omit() can only be used in resource template expressions`,
            this.#pos(site),
            'graph/omit',
          ),
        );
        broken.add(site);
      }
    }
    return ins;
  }

  #unknown(
    site: Site,
    root: string,
    start: number,
    who: string,
    known: Iterable<string>,
    broken: Set<Site>,
  ): void {
    this.#report(
      error(
        `${who}: references unknown identifiers: [${root}]${suggestion(root, known)}`,
        this.#pos(site, start),
        'graph/unknown-identifier',
      ),
    );
    broken.add(site);
  }

  #inspectNode(n: NodeDraft): void {
    const id = n.r.id;
    const who = `resource "${id}"`;
    const iterators = new Set(n.iterators);
    const knownNames = [...this.#ids, SCHEMA, ...n.iterators];
    const addDep = (d: string) => {
      if (!n.dependencies.includes(d)) n.dependencies.push(d);
    };
    const usedInIdentity = new Set<string>();

    for (const v of n.variables) {
      let kind: VariableKind = 'static';
      for (const site of v.sites) {
        const ins = this.#inspect(site, 'template', who, n.broken);
        if (!ins) continue;
        for (const ref of ins.refs) {
          if (!v.references.includes(ref.root)) v.references.push(ref.root);
          if (ref.root === SCHEMA) continue;
          if (ref.root === RUNTIME) {
            this.#report(
              error(
                `${who}: runtime is only available in status.conditions expressions`,
                this.#pos(site, ref.start),
                'graph/runtime',
              ),
            );
            n.broken.add(site);
          } else if (iterators.has(ref.root)) {
            kind = 'iteration';
            if (
              v.field.path === 'metadata.name' ||
              (v.field.path === 'metadata.namespace' && n.resolved?.namespaced !== false)
            ) {
              usedInIdentity.add(ref.root);
            }
          } else if (ref.root === id) {
            this.#report(
              error(
                `${who}: self references are not allowed`,
                this.#pos(site, ref.start),
                'graph/self-reference',
              ),
            );
            n.broken.add(site);
          } else if (this.#ids.has(ref.root)) {
            addDep(ref.root);
            if (kind === 'static') kind = 'dynamic';
          } else {
            this.#unknown(site, ref.root, ref.start, who, knownNames, n.broken);
          }
        }
        // kro: omit() on identity fields would silently break ownership.
        if (ins.usesOmit && (this.#ctx.omit ?? false) && this.#isIdentity(v.field.path, n)) {
          this.#report(
            error(
              `resource "${id}": omit() cannot be used at path "${v.field.path}" — the field is required and must resolve to a concrete value`,
              this.#pos(site),
              'graph/omit',
            ),
          );
          n.broken.add(site);
        }
      }
      v.kind = kind;
    }

    if (n.iterators.length > 0) {
      const missing = n.iterators.filter((it) => !usedInIdentity.has(it));
      if (missing.length > 0) {
        this.#report(
          error(
            `node "${id}": all forEach dimensions must be used to produce a unique resource identity, missing: [${missing.join(' ')}]`,
            this.#rgd.loc.at([...n.base, 'forEach'], 'key'),
            'graph/foreach-identity',
          ),
        );
      }
    }

    for (const dim of n.forEach) {
      const dimWho = `node "${id}": forEach iterator "${dim.name}"`;
      const ins = this.#inspect(dim.site, 'forEach', dimWho, n.broken);
      if (!ins) continue;
      for (const ref of ins.refs) {
        if (!dim.refs.includes(ref.root)) dim.refs.push(ref.root);
        if (ref.root === SCHEMA) continue;
        if (ref.root === RUNTIME) {
          this.#report(
            error(
              `${dimWho}: runtime is only available in status.conditions expressions`,
              this.#pos(dim.site, ref.start),
              'graph/runtime',
            ),
          );
          n.broken.add(dim.site);
        } else if (iterators.has(ref.root)) {
          this.#report(
            error(
              `${dimWho} cannot reference other iterators [${ref.root}] - forEach iterators are independent (cartesian product)`,
              this.#pos(dim.site, ref.start),
              'graph/foreach-iterator',
            ),
          );
          n.broken.add(dim.site);
        } else if (ref.root === id) {
          this.#report(
            error(
              `${who}: self references are not allowed`,
              this.#pos(dim.site, ref.start),
              'graph/self-reference',
            ),
          );
          n.broken.add(dim.site);
        } else if (this.#ids.has(ref.root)) addDep(ref.root);
        else this.#unknown(dim.site, ref.root, ref.start, dimWho, [...this.#ids, SCHEMA], n.broken);
      }
    }

    for (const c of n.includeWhen) {
      const ins = this.#inspect(c.site, 'includeWhen', `${who} includeWhen`, n.broken);
      if (!ins) continue;
      for (const ref of ins.refs) {
        if (!c.refs.includes(ref.root)) c.refs.push(ref.root);
        if (ref.root === SCHEMA) continue;
        if (ref.root === RUNTIME) {
          this.#report(
            error(
              `${who} includeWhen: runtime is only available in status.conditions expressions`,
              this.#pos(c.site, ref.start),
              'graph/runtime',
            ),
          );
          n.broken.add(c.site);
        } else if (ref.root === id) {
          this.#report(
            error(
              `${who}: self references are not allowed`,
              this.#pos(c.site, ref.start),
              'graph/self-reference',
            ),
          );
          n.broken.add(c.site);
        } else if (this.#ids.has(ref.root)) addDep(ref.root);
        else
          this.#unknown(c.site, ref.root, ref.start, `${who} includeWhen`, [...this.#ids, SCHEMA], n.broken);
      }
    }

    // readyWhen sees only the resource itself (`each` for collections); it adds no edges.
    const self = n.type === 'collection' ? EACH : id;
    for (const c of n.readyWhen) {
      const ins = this.#inspect(c.site, 'readyWhen', `${who} readyWhen`, n.broken);
      if (!ins) continue;
      for (const ref of ins.refs) {
        if (!c.refs.includes(ref.root)) c.refs.push(ref.root);
        if (ref.root !== self)
          this.#unknown(c.site, ref.root, ref.start, `${who} readyWhen`, [self], n.broken);
      }
    }
  }

  #isIdentity(path: string, n: NodeDraft): boolean {
    return isRequiredIdentityField(path, n.resolved?.namespaced === true, this.#namespaced);
  }

  #siteReferencing(n: NodeDraft, dep: string): Site | undefined {
    for (const v of n.variables) {
      const i = v.references.indexOf(dep);
      if (i >= 0) {
        for (const s of v.sites)
          if (this.#inspector.inspect(s.text).refs.some((r) => r.root === dep)) return s;
      }
    }
    for (const d of n.forEach) if (d.refs.includes(dep)) return d.site;
    for (const c of n.includeWhen) if (c.refs.includes(dep)) return c.site;
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Type checking
  // -------------------------------------------------------------------------------------------

  #check(env: TypeEnv, site: Site, who: string): CelType | undefined {
    const r = env.check(site.text);
    if (r.ok) return r.type;
    const offset = r.start ?? 0;
    this.#report(error(`${who}: ${r.message}`, this.#pos(site, offset), 'graph/cel'));
    return undefined;
  }

  #checkNode(n: NodeDraft, env: TypeEnv): void {
    const id = n.r.id;
    let templateEnv = env;
    if (n.forEach.length > 0) {
      const iteratorTypes = new Map<string, CelType>();
      for (const dim of n.forEach) {
        let elem: CelType = DYN;
        if (!n.broken.has(dim.site)) {
          const t = this.#check(env, dim.site, `node "${id}": forEach iterator "${dim.name}"`);
          if (t) {
            dim.type = t;
            const e = listElementType(t);
            if (e === undefined) {
              this.#report(
                error(
                  `node "${id}": forEach iterator "${dim.name}" must return a list, got "${formatCelType(t)}"`,
                  this.#pos(dim.site),
                  'graph/type-mismatch',
                ),
              );
            } else elem = e;
          }
        }
        dim.elementType = elem;
        iteratorTypes.set(dim.name, elem);
      }
      templateEnv = this.#extend(env, iteratorTypes);
    }

    for (const v of n.variables) {
      const expected = expectedTypeAt(n.celType, v.field.segments);
      if (n.resolved) v.expectedType = expected;
      const what = `failed to compile template expression "${excerpt(v.field.value)}" at path "${v.field.path}"`;
      const standalone =
        v.field.matches.length === 1 &&
        v.field.matches[0]?.start === 0 &&
        v.field.matches[0]?.end === v.field.value.length;
      v.types = v.sites.map((site) =>
        n.broken.has(site) ? undefined : this.#check(templateEnv, site, `resource "${id}": ${what}`),
      );
      if (v.types.some((t) => t === undefined)) continue;
      let output: CelType;
      if (standalone) {
        output = v.types[0] ?? DYN;
      } else {
        // A string template concatenates its parts: each must be a string.
        let ok = true;
        v.types.forEach((t, i) => {
          const site = v.sites[i];
          if (!t || !site || t.kind === 'dyn' || (t.kind === 'primitive' && t.name === 'string')) return;
          ok = false;
          this.#report(
            error(
              `resource "${id}": ${what}: \${${excerpt(site.text)}} returns ${formatCelType(t)}, but every part of a string template must be a string (convert it with string(...))`,
              this.#pos(site),
              'graph/type-mismatch',
            ),
          );
        });
        if (!ok) continue;
        output = STRING;
      }
      const compat = checkAssignment(output, expected);
      if (!compat.ok) {
        const site = v.sites[0];
        this.#report(
          error(
            `type mismatch in resource "${id}" at path "${v.field.path}": expression "${excerpt(buildExpressionText(v.field))}" returns type "${formatCelType(output)}" but expected "${formatCelType(expected)}": ${compat.reason}`,
            site ? this.#pos(site) : this.#rgd.loc.at(n.base),
            'graph/type-mismatch',
          ),
        );
      }
    }

    for (const c of n.includeWhen) {
      if (n.broken.has(c.site)) continue;
      const t = this.#check(
        env,
        c.site,
        `failed to type-check includeWhen expression "${excerpt(c.site.text)}" in resource "${id}"`,
      );
      if (!t) continue;
      c.type = t;
      if (!isBoolOrOptionalBool(t)) {
        this.#report(
          error(
            `includeWhen expression "${excerpt(c.site.text)}" in resource "${id}" must return bool or optional_type(bool), but returns "${formatCelType(t)}"`,
            this.#pos(c.site),
            'graph/type-mismatch',
          ),
        );
      }
    }

    if (n.readyWhen.length > 0) {
      const readyEnv = n.type === 'collection' ? this.#extend(env, new Map([[EACH, n.celType]])) : env;
      for (const c of n.readyWhen) {
        if (n.broken.has(c.site)) continue;
        const t = this.#check(
          readyEnv,
          c.site,
          `failed to type-check readyWhen expression "${excerpt(c.site.text)}" in resource "${id}"`,
        );
        if (!t) continue;
        c.type = t;
        if (!isBoolOrOptionalBool(t)) {
          this.#report(
            error(
              `readyWhen expression "${excerpt(c.site.text)}" in resource "${id}" must return bool or optional_type(bool), but returns "${formatCelType(t)}"`,
              this.#pos(c.site),
              'graph/type-mismatch',
            ),
          );
        }
      }
    }
  }

  #extend(env: TypeEnv, vars: Map<string, CelType>): TypeEnv {
    try {
      return env.extend(vars);
    } catch {
      return env.extend(new Map([...vars.keys()].map((k) => [k, DYN])));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Status
  // -------------------------------------------------------------------------------------------

  #buildStatus(env: TypeEnv): {
    variables: FieldVariable[];
    conditions: GraphCondition[];
    dependencies: string[];
    schema: JsonObject;
  } {
    const raw = this.#rgd.schema.status;
    const base: DocPath = ['spec', 'schema', 'status'];
    const out = {
      variables: [] as FieldVariable[],
      conditions: [] as GraphCondition[],
      dependencies: [] as string[],
      schema: {} as JsonObject,
    };
    if (!isMap(raw)) {
      out.schema = inferStatusSchema([]);
      return out;
    }
    const addDep = (d: string) => {
      if (!out.dependencies.includes(d)) out.dependencies.push(d);
    };
    const extracted = extractConditionExpressions(raw);
    let rest: JsonObject = raw;
    if (!extracted.ok) {
      const at: DocPath = [
        ...base,
        'conditions',
        ...(extracted.index !== undefined ? [extracted.index] : []),
      ];
      this.#report(
        error(
          `failed to extract conditions block: ${extracted.message}`,
          this.#rgd.loc.at(at),
          'graph/condition',
        ),
      );
      const { conditions: _dropped, ...others } = raw;
      rest = others;
    } else {
      rest = extracted.rest;
      if (extracted.conditions)
        out.conditions = this.#buildConditions(
          extracted.conditions,
          [...base, 'conditions'],
          env.withLibrary(kroRuntimeLibrary, { omit: this.#ctx.omit ?? false }),
          addDep,
        );
    }

    const walk = parseSchemalessResource(rest);
    const fields: RawField[] = walk.expressions.map(rawField);
    for (const p of walk.errors) {
      const docPath = [...base, ...p.segments];
      this.#report(
        error(
          `failed to extract CEL expressions from status: ${p.message}`,
          p.offset !== undefined ? this.#rgd.loc.inString(docPath, p.offset) : this.#rgd.loc.at(docPath),
          'graph/status',
        ),
      );
    }
    if (walk.plainFields.length > 0) {
      this.#report(
        error(
          `status fields without expressions are not supported: [${walk.plainFields.map((p) => p.path).join(' ')}]`,
          this.#rgd.loc.at([...base, ...(walk.plainFields[0]?.segments ?? [])]),
          'graph/status',
        ),
      );
    }

    const statusFields: StatusField[] = [];
    const knownNames = [...this.#ids, SCHEMA];
    for (const field of fields) {
      const sites: Site[] = field.matches.map((m) => ({
        text: m.expr,
        docPath: [...base, ...field.segments],
        innerStart: m.innerStart,
        dollar: m.start,
      }));
      const broken = new Set<Site>();
      const refs: string[] = [];
      const who = `status field "${field.path}"`;
      for (const site of sites) {
        const ins = this.#inspect(site, 'status', who, broken);
        if (!ins) continue;
        for (const ref of ins.refs) {
          if (!refs.includes(ref.root)) refs.push(ref.root);
          if (ref.root === SCHEMA) continue;
          if (this.#ids.has(ref.root)) addDep(ref.root);
          else
            this.#unknown(
              site,
              ref.root,
              ref.start,
              `${who} expression "${excerpt(site.text)}"`,
              knownNames,
              broken,
            );
        }
      }
      if (broken.size === 0 && refs.length === 0) {
        this.#report(
          error(
            `failed to create instance node: instance status field must refer to a resource or schema: status.${field.path}`,
            sites[0] ? this.#pos(sites[0]) : undefined,
            'graph/status',
          ),
        );
      }
      const standalone =
        field.matches.length === 1 &&
        field.matches[0]?.start === 0 &&
        field.matches[0]?.end === field.value.length;
      const what = `failed to type-check status expression "${excerpt(field.value)}" at path "${field.path}"`;
      const types = sites.map((s) => (broken.has(s) ? undefined : this.#check(env, s, what)));
      let type: CelType | undefined;
      if (types.every((t) => t !== undefined)) {
        if (standalone) type = types[0];
        else {
          type = STRING;
          types.forEach((t, i) => {
            const site = sites[i];
            if (!t || !site || t.kind === 'dyn' || (t.kind === 'primitive' && t.name === 'string')) return;
            type = undefined;
            this.#report(
              error(
                `${what}: \${${excerpt(site.text)}} returns ${formatCelType(t)}, but every part of a string template must be a string (convert it with string(...))`,
                this.#pos(site),
                'graph/type-mismatch',
              ),
            );
          });
        }
      }
      if (type) statusFields.push({ path: field.segments, type });
      if (type && holdsUint(type) && sites[0]) {
        this.#report(
          warning(
            `${who} holds a uint (${formatCelType(type)}): kro's reconcile cannot copy it into the instance status (cannot deep copy uint64) and the instance never gets its status; convert it, e.g. int(...)`,
            this.#pos(sites[0]),
            'graph/status-uint',
          ),
        );
      }
      out.variables.push({
        path: field.path,
        segments: field.segments,
        expression: buildExpressionText(field),
        standalone,
        parts: field.matches.map((m, i) => part(m, sites[i], types[i], this.#rgd)),
        kind: 'dynamic',
        references: refs,
        ...(sites[0] ? { pos: this.#pos(sites[0], -2) } : {}),
      });
    }
    out.schema = inferStatusSchema(statusFields);
    return out;
  }

  #buildConditions(
    raw: readonly string[],
    at: DocPath,
    env: TypeEnv,
    addDep: (d: string) => void,
  ): GraphCondition[] {
    const entries: { site: Site; index: number }[] = [];
    raw.forEach((entry, i) => {
      const u = unwrapExpression(entry);
      if (!u.ok) {
        this.#report(
          error(
            `invalid conditions block: ${u.error.message}`,
            this.#rgd.loc.inString([...at, i], u.error.offset),
            'graph/condition',
          ),
        );
        return;
      }
      entries.push({
        site: {
          text: u.value.expr,
          docPath: [...at, i],
          innerStart: u.value.innerStart,
          dollar: u.value.start,
        },
        index: i,
      });
    });
    const inspections = entries.map((e) => this.#inspector.inspect(e.site.text));
    for (const p of validateConditionEntries(
      inspections.map((x) => x.ast),
      entries.map((e) => e.site.text),
    )) {
      const e = entries[p.index];
      if (e) this.#report(error(p.message, this.#pos(e.site), 'graph/condition'));
    }
    const out: GraphCondition[] = [];
    const known = [...this.#ids, SCHEMA, RUNTIME];
    entries.forEach((e) => {
      const broken = new Set<Site>();
      const who = `condition "${excerpt(e.site.text)}"`;
      const ins = this.#inspect(e.site, 'condition', who, broken);
      const refs: string[] = [];
      for (const ref of ins?.refs ?? []) {
        if (!refs.includes(ref.root)) refs.push(ref.root);
        if (ref.root === SCHEMA || ref.root === RUNTIME) continue;
        if (this.#ids.has(ref.root)) addDep(ref.root);
        else this.#unknown(e.site, ref.root, ref.start, who, known, broken);
      }
      // Without the runtime library (older environments) the entries cannot be typed.
      if (ins && broken.size === 0 && (env.kro.isDeclared(RUNTIME) || !refs.includes(RUNTIME))) {
        const t = this.#check(env, e.site, `failed to type-check condition "${excerpt(e.site.text)}"`);
        if (t && !isConditionResult(t)) {
          this.#report(
            error(
              `condition "${excerpt(e.site.text)}": condition expressions must return runtime.newCondition(...) or a list of them, got "${formatCelType(t)}"`,
              this.#pos(e.site),
              'graph/condition',
            ),
          );
        }
      }
      out.push({ expression: e.site.text, references: refs, pos: this.#pos(e.site, -2) });
    });
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Output
  // -------------------------------------------------------------------------------------------

  #finish(n: NodeDraft): GraphResource {
    const rgd = this.#rgd;
    const expr = (c: { site: Site; refs: string[]; type?: CelType }): GraphExpression => ({
      expression: c.site.text,
      references: c.refs,
      pos: this.#pos(c.site, -2),
      ...(c.type ? { type: c.type } : {}),
    });
    const variables: FieldVariable[] = n.variables.map((v) => {
      const standalone =
        v.field.matches.length === 1 &&
        v.field.matches[0]?.start === 0 &&
        v.field.matches[0]?.end === v.field.value.length;
      return {
        path: v.field.path,
        segments: v.field.segments,
        expression: buildExpressionText(v.field),
        standalone,
        parts: v.field.matches.map((m, i) => part(m, v.sites[i], v.types[i], rgd)),
        kind: v.kind,
        references: v.references,
        ...(v.sites[0] ? { pos: this.#pos(v.sites[0], -2) } : {}),
        ...(v.expectedType ? { expectedType: v.expectedType } : {}),
      };
    });
    const forEach: ForEachDimension[] = n.forEach.map((d) => ({
      name: d.name,
      expression: expr(d),
      ...(d.elementType ? { elementType: d.elementType } : {}),
    }));
    return {
      id: n.r.id,
      index: n.r.index,
      type: n.type,
      apiVersion: n.apiVersion,
      kind: n.kind,
      ...(n.resolved ? { namespaced: n.resolved.namespaced, kindSource: n.resolved.source } : {}),
      template: n.r.template,
      externalRef: n.r.externalRef,
      dependencies: n.dependencies,
      variables,
      readyWhen: n.readyWhen.map(expr),
      includeWhen: n.includeWhen.map(expr),
      forEach,
      pos: rgd.loc.at([...n.base, 'id']),
    };
  }
}

function part(
  m: ExpressionMatch,
  site: Site | undefined,
  type: CelType | undefined,
  rgd: Rgd,
): ExpressionPart {
  return {
    expression: m.expr,
    start: m.start,
    end: m.end,
    ...(site ? { pos: rgd.loc.inString(site.docPath, m.start) } : {}),
    ...(type ? { type } : {}),
  };
}

/** kro's expression text for a field: the CEL of a standalone `${e}`, else the concatenation. */
function buildExpressionText(field: RawField): string {
  const [first] = field.matches;
  if (field.matches.length === 1 && first && first.start === 0 && first.end === field.value.length)
    return first.expr;
  return buildStringTemplate(field.value, field.matches);
}

// Whether values of type `t` can be uint (kro writes them as Go uint64).
function holdsUint(t: CelType): boolean {
  switch (t.kind) {
    case 'primitive':
      return t.name === 'uint';
    case 'list':
      return holdsUint(t.elem);
    case 'map':
      return holdsUint(t.value);
    case 'optional':
      return holdsUint(t.inner);
    default:
      return false;
  }
}

function isConditionResult(t: CelType): boolean {
  const one = (x: CelType) =>
    x.kind === 'dyn' || x.kind === 'opaque' || x.kind === 'object' || x.kind === 'map';
  return one(t) || (t.kind === 'list' && one(t.elem));
}

/** Whether a build found errors (convenience for callers). */
export function graphHasErrors(result: BuildResult): boolean {
  return hasErrors(result.diagnostics);
}
