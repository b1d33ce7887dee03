// One resource of the graph while it is built (a draft the later steps fill in) and the
// GraphResource it ends as. Drafting finds the resource's kind, schema and node type, and the
// expressions of its template (or external ref), forEach, includeWhen and readyWhen, reporting
// what kro's builder rejects at that stage: unknown kinds, scope mismatches, bad templates.
import { unwrapExpression } from '../cel/scanner.js';
import { parseResource, parseSchemalessResource, type WalkError } from '../cel/template.js';
import { type CelType, DYN, TYPE_NAME_PREFIX } from '../cel/types.js';
import { error } from '../diagnostics.js';
import type { DocPath, JsonObject, RgdResource } from '../rgd/model.js';
import { scopeDiagnostics } from '../rgd/validate.js';
import { unknownBuiltinKindProblem } from '../schema/k8s-builtin.js';
import type { KindResolver, ResolvedKind } from '../schema/resolver.js';
import { type BuildState, definePos, diagnosticAt, type Site } from './build-state.js';
import type {
  FieldVariable,
  ForEachDimension,
  GraphExpression,
  GraphResource,
  NodeType,
  VariableKind,
} from './model.js';
import { expectedFieldType } from './resource-types.js';
import { isStandalone, part, type RawField } from './template-fields.js';

const CRD_GROUP_VERSION = 'apiextensions.k8s.io/v1';

export interface NodeDraft {
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

export interface MutableVariable {
  readonly field: RawField;
  readonly sites: Site[];
  kind: VariableKind;
  references: string[];
  types: (CelType | undefined)[];
  /** For a known kind: set by checkNode where it checks the field's value, else when finished. */
  expectedType?: CelType;
}

/** A resource's draft: its kind and schema, node type and expression sites, nothing inspected yet. */
export function draftNode(s: BuildState, resolver: KindResolver, r: RgdResource): NodeDraft {
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
  const resolved = apiVersion && kind ? resolver.resolve(apiVersion, kind) : undefined;
  if (object && apiVersion && kind && !resolved) {
    // A built-in group's kinds are all known: one not among them does not exist.
    const missing = s.ctx.builtin !== false ? unknownBuiltinKindProblem(apiVersion, kind) : undefined;
    const strict = s.ctx.unknownKinds === 'error' || missing !== undefined;
    const msg = strict
      ? `failed to get schema for resource ${r.id}: ${missing ?? `schema not found for ${apiVersion}, Kind=${kind}`}`
      : `no schema for ${kind} (${apiVersion}): expressions on resource "${r.id}" are not type-checked; pass its CRD with --crd`;
    const loc = s.rgd.loc;
    s.report(
      diagnosticAt(
        strict ? 'error' : 'warning',
        msg,
        () => loc.at([...objectBase, 'kind']),
        'graph/unknown-kind',
      ),
    );
  }
  // Scope problems need a cluster-scoped kind or instance: most resources are neither, and are
  // spared the call (it makes paths and a reporter before it looks).
  if (resolved && !(resolved.namespaced && s.namespaced)) {
    for (const d of scopeDiagnostics(s.rgd, r, resolved.namespaced ? 'Namespaced' : 'Cluster')) s.report(d);
  }
  const celType = resolved ? safeCelType(resolved, `${TYPE_NAME_PREFIX}${r.id}`) : DYN;

  // kro walks templates against the kind's schema, and external refs and CRDs without one.
  const crdTemplate =
    r.template !== null && apiVersion === CRD_GROUP_VERSION && kind === 'CustomResourceDefinition';
  const walk =
    object === null
      ? { expressions: [], errors: [] as WalkError[] }
      : r.template && !crdTemplate && resolved?.schema
        ? parseResource(object, resolved.schema as Parameters<typeof parseResource>[1])
        : parseSchemalessResource(object, { plainFields: false });
  const fields: RawField[] = walk.expressions;
  // Indexed loops here and below: cold code (docs/architecture.md).
  for (let i = 0; i < walk.errors.length; i++) {
    const p = walk.errors[i] as WalkError;
    const what = ext
      ? 'failed to parse external ref resource'
      : r.template && !crdTemplate && resolved?.schema
        ? 'failed to extract CEL expressions from schema for resource'
        : 'failed to parse schemaless resource';
    const docPath = [...objectBase, ...p.segments];
    s.report(
      error(
        `${what} ${r.id}: ${p.message}`,
        p.offset !== undefined ? s.rgd.loc.inString(docPath, p.offset) : s.rgd.loc.at(docPath),
        'graph/expression',
      ),
    );
  }
  // kro allows expressions in CRD templates only under metadata.
  const kept = crdTemplate ? fields.filter((f) => f.path.startsWith('metadata.')) : fields;
  if (crdTemplate) {
    for (const f of fields) {
      if (f.path.startsWith('metadata.')) continue;
      s.report(
        error(
          `CEL expressions in CRDs are only supported for metadata fields, found in path "${f.path}", resource ${r.id}`,
          s.rgd.loc.inString([...objectBase, ...f.segments], f.matches[0]?.start ?? 0),
          'graph/crd-template',
        ),
      );
    }
  }

  // Plain (indexed) loops: this runs per field of every resource.
  const variables: MutableVariable[] = [];
  for (let i = 0; i < kept.length; i++) {
    const field = kept[i] as RawField;
    // The sites of one field share its DocPath (nobody changes one).
    const docPath = objectBase.concat(field.segments);
    const sites: Site[] = [];
    const matches = field.matches;
    for (let j = 0; j < matches.length; j++) {
      const m = matches[j] as (typeof matches)[number];
      sites.push({ text: m.expr, docPath, innerStart: m.innerStart, dollar: m.start });
    }
    variables.push({ field, sites, kind: 'static', references: [], types: [] });
  }

  const forEach: NodeDraft['forEach'] = [];
  for (let i = 0; i < r.forEach.length; i++) {
    const dim = r.forEach[i] as RgdResource['forEach'][number];
    const u = unwrapExpression(dim.expression);
    if (!u.ok) continue;
    const site = {
      text: u.value.expr,
      docPath: [...base, 'forEach', i, dim.name],
      innerStart: u.value.innerStart,
      dollar: u.value.start,
    };
    forEach.push({ name: dim.name, site, refs: [] });
  }

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
    readyWhen: conditionSites(base, r.readyWhen, 'readyWhen'),
    includeWhen: conditionSites(base, r.includeWhen, 'includeWhen'),
    forEach,
    broken: new Set(),
    celType,
  };
}

// The readyWhen or includeWhen entries that are one `${...}` each (the RGD's validation reports
// the others).
function conditionSites(
  base: DocPath,
  list: readonly string[],
  key: 'readyWhen' | 'includeWhen',
): NodeDraft['readyWhen'] {
  const out: NodeDraft['readyWhen'] = [];
  for (let j = 0; j < list.length; j++) {
    const u = unwrapExpression(list[j] as string);
    if (!u.ok) continue;
    const site = {
      text: u.value.expr,
      docPath: [...base, key, j],
      innerStart: u.value.innerStart,
      dollar: u.value.start,
    };
    out.push({ site, refs: [] });
  }
  return out;
}

function safeCelType(resolved: ResolvedKind, name: string): CelType {
  try {
    return resolved.celType(name);
  } catch {
    return DYN;
  }
}

/** The GraphResource a filled-in draft ends as. */
export function finishNode(s: BuildState, n: NodeDraft): GraphResource {
  const rgd = s.rgd;
  // Positions are worked out when read (definePos), in the same place among the keys as before.
  const expr = (c: { site: Site; refs: string[]; type?: CelType }): GraphExpression => {
    const out: Mutable<GraphExpression> = { expression: c.site.text, references: c.refs };
    definePos(out, () => s.pos(c.site, -2));
    if (c.type) out.type = c.type;
    return out;
  };
  const variables: FieldVariable[] = n.variables.map((v) => {
    const standalone = isStandalone(v.field);
    const out: Mutable<FieldVariable> = {
      path: v.field.path,
      segments: v.field.segments,
      expression: v.field.expression,
      standalone,
      parts: v.field.matches.map((m, i) => part(m, v.sites[i], v.types[i], rgd)),
      kind: v.kind,
      references: v.references,
    };
    const first = v.sites[0];
    if (first) definePos(out, () => s.pos(first, -2));
    if (n.resolved) out.expectedType = v.expectedType ?? expectedFieldType(n, v.field.segments);
    return out;
  });
  const forEach: ForEachDimension[] = n.forEach.map((d) => ({
    name: d.name,
    expression: expr(d),
    ...(d.elementType ? { elementType: d.elementType } : {}),
  }));
  const resource: GraphResource = {
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
  };
  return definePos(resource, () => rgd.loc.at([...n.base, 'id']));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
