// RGDs -> generated TypeScript: one module per RGD (named after its kind) and an `index.ts` barrel.
// Class and type names are unique across the whole output; kinds that clash are disambiguated by
// their group, and what cannot be told apart (one kind and group defined twice) is an error.
import { type Diagnostic, error, warning } from '../diagnostics.js';
import { buildGraph, type GraphContext } from '../graph/build.js';
import type { JsonObject, Rgd } from '../rgd/model.js';
import { instanceSchemaOf } from '../schema/build.js';
import { statusSchemaFromTemplate } from '../schema/status.js';
import { emitModule, type ModulePlan } from './module.js';
import { type ModuleFormat, relativeSpecifier } from './module-format.js';
import { kebabCase, NameRegistry, pascalCase } from './names.js';
import { fill, type Templates } from './templates.js';

export interface GenerateOptions {
  readonly templates: Templates;
  /** kro-gen's version, written into every header and the content hash. */
  readonly version: string;
  /** The RGD's file as the header shows it; `rgd.file` by default. */
  readonly sourceName?: (rgd: Rgd) => string;
  /**
   * For typing the status from the `schema.status` expressions (built-in kinds, CRDs). The RGDs being
   * generated are always added, so chained RGDs type each other.
   */
  readonly graphContext?: GraphContext;
  /**
   * Status schemas already inferred, by RGD: the graphs a caller built (to validate the RGDs, in
   * `statusInferenceOrder` of `generationOrder` and the same context) hold them, and building every
   * graph again would double the cost of generating. An RGD not in the map gets its graph built.
   */
  readonly statusSchemas?: ReadonlyMap<Rgd, JsonObject>;
  /**
   * How the barrel spells its relative imports (see module-format.ts): `esm` (`./app.js`, the
   * default) or `commonjs` (`./app`).
   */
  readonly moduleFormat?: ModuleFormat;
}

export interface GeneratedFile {
  /** Relative to the output directory. */
  readonly path: string;
  readonly content: string;
}

export interface GeneratedModule {
  readonly file: string;
  readonly className: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly rgd: string;
  readonly source: string;
}

export interface GenerateResult {
  /** Empty when there are errors. */
  readonly files: readonly GeneratedFile[];
  readonly modules: readonly GeneratedModule[];
  readonly diagnostics: readonly Diagnostic[];
}

export const BARREL_FILE = 'index.ts';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order RGDs are generated in: by kind, group and file, so the output does not depend on the
 * order the files were named in.
 */
export function generationOrder(rgds: readonly Rgd[], sourceName: (rgd: Rgd) => string): Rgd[] {
  return [...rgds].sort(
    (a, b) =>
      compare(a.schema.kind, b.schema.kind) ||
      compare(a.schema.group, b.schema.group) ||
      compare(sourceName(a), sourceName(b)) ||
      a.docIndex - b.docIndex,
  );
}

/**
 * The order status types are inferred in (graphs built in): `sorted` (generation order), except
 * that an RGD whose kind another one creates or reads (a chained RGD) comes first. A build records
 * its RGD's status for the RGDs chaining to it (src/graph/kinds.ts), so in this order each chained
 * RGD's graph is built once, not again when the first RGD using its kind is typed. Chained kinds
 * that form a cycle are typed where the cycle closes, as ever; this order decides where that is,
 * so a caller that builds the graphs for `statusSchemas` builds them in this order.
 */
export function statusInferenceOrder(sorted: readonly Rgd[]): Rgd[] {
  const byKind = new Map(sorted.map((r) => [`${r.schema.group}/${r.schema.apiVersion} ${r.schema.kind}`, r]));
  const out: Rgd[] = [];
  const seen = new Set<Rgd>();
  const visit = (rgd: Rgd): void => {
    if (seen.has(rgd)) return;
    seen.add(rgd);
    for (const r of rgd.resources) {
      const object = r.externalRef ?? r.template;
      const chained = byKind.get(`${String(object?.['apiVersion'])} ${String(object?.['kind'])}`);
      if (chained) visit(chained);
    }
    out.push(rgd);
  };
  for (const rgd of sorted) visit(rgd);
  return out;
}

/** Generate the modules for `rgds` (valid RGDs, as the loader returns them). Never throws for bad input. */
export function generateConstructs(rgds: readonly Rgd[], opts: GenerateOptions): GenerateResult {
  const diagnostics: Diagnostic[] = [];
  const sourceName = opts.sourceName ?? ((rgd: Rgd) => rgd.file);
  const sorted = generationOrder(rgds, sourceName);

  const where = (rgd: Rgd) => {
    const p = rgd.loc.at(['spec', 'schema', 'kind']);
    return `${p.file}:${p.line}:${p.col}`;
  };
  const groupsOfKind = new Map<string, Set<string>>();
  const firstOf = new Map<string, Rgd>();
  const duplicates = new Set<Rgd>();
  for (const rgd of sorted) {
    const { kind, group } = rgd.schema;
    groupsOfKind.set(kind, (groupsOfKind.get(kind) ?? new Set()).add(group));
    const first = firstOf.get(`${group}/${kind}`);
    if (!first) {
      firstOf.set(`${group}/${kind}`, rgd);
      continue;
    }
    duplicates.add(rgd);
    diagnostics.push(
      error(
        `kind ${kind} in group ${group} is defined by two RGDs, ${first.name} (${where(first)}) and ${rgd.name}; kro would replace one's CRD with the other's, so generate them separately`,
        rgd.loc.at(['spec', 'schema', 'kind']),
        'codegen/duplicate-kind',
      ),
    );
  }

  const registry = new NameRegistry();
  const files = new Set<string>();
  const plans: Omit<ModulePlan, 'statusSchema'>[] = [];
  for (const rgd of sorted) {
    if (duplicates.has(rgd)) continue;
    const schema = instanceSchemaOf(rgd);
    diagnostics.push(...schema.diagnostics);
    const { kind, group } = rgd.schema;
    const shared = (groupsOfKind.get(kind)?.size ?? 0) > 1;
    // The same kind in two groups: both get the group in their names, so neither depends on the other.
    const className = registry.claim(shared ? `${kind}${pascalCase(group)}` : kind);
    // Kinds that differ only in case (EKSCluster, EksCluster) share a kebab-case name: a later one
    // takes a numeric suffix (compared ignoring case, for file systems that do).
    const base = `${kebabCase(kind)}${shared ? `.${group}` : ''}`;
    let fileName = `${base}.ts`;
    for (let i = 2; files.has(fileName.toLowerCase()); i++) fileName = `${base}-${i}.ts`;
    files.add(fileName.toLowerCase());
    plans.push({ rgd, schema: schema.schema, className, fileName, source: sourceName(rgd) });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { files: [], modules: [], diagnostics };

  const out: GeneratedFile[] = [];
  const modules: GeneratedModule[] = [];
  const graphContext: GraphContext = {
    ...opts.graphContext,
    rgds: [...(opts.graphContext?.rgds ?? []), ...rgds],
  };
  const statusSchemas = new Map<Rgd, JsonObject>();
  for (const rgd of statusInferenceOrder(plans.map((p) => p.rgd))) {
    statusSchemas.set(rgd, inferStatus(rgd, graphContext, diagnostics, opts.statusSchemas));
  }
  for (const plan of plans) {
    const statusSchema = statusSchemas.get(plan.rgd) as JsonObject;
    const content = emitModule(
      { ...plan, statusSchema },
      { registry, templates: opts.templates, version: opts.version },
    );
    out.push({ path: plan.fileName, content });
    const s = plan.rgd.schema;
    modules.push({
      file: plan.fileName,
      className: plan.className,
      kind: s.kind,
      apiVersion: `${s.group}/${s.apiVersion}`,
      rgd: plan.rgd.name,
      source: plan.source,
    });
  }
  const exports = [...modules]
    .sort((a, b) => compare(a.file, b.file))
    .map((m) => `export * from '${relativeSpecifier(m.file, opts.moduleFormat ?? 'esm')}';`)
    .join('\n');
  out.push({ path: BARREL_FILE, content: fill(opts.templates.index, { version: opts.version, exports }) });
  return { files: out, modules, diagnostics };
}

/**
 * The status schema kro would infer. Problems in expressions do not stop code generation (the types
 * of the spec do not depend on them); they are reported as warnings and the affected status fields
 * stay `unknown`. `kro-gen validate` reports them in full.
 */
function inferStatus(
  rgd: Rgd,
  ctx: GraphContext,
  diagnostics: Diagnostic[],
  known: ReadonlyMap<Rgd, JsonObject> | undefined,
): JsonObject {
  if (rgd.schema.status === null || Object.keys(rgd.schema.status).length === 0) {
    return statusSchemaFromTemplate(rgd.schema.status);
  }
  const inferred = known?.get(rgd);
  if (inferred) return inferred;
  const built = buildGraph(rgd, ctx);
  for (const d of built.diagnostics) {
    if (d.severity !== 'error') continue;
    diagnostics.push(
      warning(`${d.message} (status types may be less precise)`, d.pos, d.code ?? 'codegen/expression'),
    );
  }
  return built.graph.instance.statusSchema;
}
