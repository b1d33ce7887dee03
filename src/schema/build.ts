// SimpleSchema -> schema model: resolves custom types (in dependency order, rejecting cycles),
// inlines them, applies markers and propagates defaults, exactly as kro's transformer does. Every
// problem becomes a Diagnostic that points at the offending text; a broken field is left out of the
// model and the rest is still checked.
import { type Diagnostic, error, type SourcePos } from '../diagnostics.js';
import { DirectedAcyclicGraph } from '../graph/dag.js';
import type { DocPath, JsonObject, JsonValue, Locator, Rgd } from '../rgd/model.js';
import {
  type AppliedMarkers,
  applyMarkersTo,
  facetsOf,
  type MarkerError,
  withFacets,
} from './apply-markers.js';
import { compareGoStrings, goTrimSpace } from './gostrconv.js';
import {
  type Extent,
  fieldExtent,
  formatBytes,
  MAX_EXPANDED_SCHEMA_BYTES,
  MAX_SCHEMA_DEPTH,
  objectFieldExtent,
  otherFieldExtent,
  stringFieldExtent,
  structOfFields,
} from './limits.js';
import { type Marker, parseMarkers } from './markers.js';
import {
  type InstanceSchema,
  type NamedType,
  openApiType,
  type SchemaNode,
  type StructField,
  type StructNode,
} from './model.js';
import {
  describeValue,
  isPlainObject,
  parseTypeString,
  type SimpleType,
  type TypeResult,
  typeDeps,
  typePart,
} from './types.js';
import { shownPath, validateValue } from './validate.js';

export interface SchemaSource {
  /** `spec.schema.spec` as written (null or absent means no fields). */
  readonly spec: JsonObject | null | undefined;
  /** `spec.schema.types` as written. */
  readonly types?: JsonObject | null | undefined;
  /** Locates nodes for diagnostics; without it diagnostics carry no position. */
  readonly loc?: Locator;
  /** DocPath of `spec.schema` in the RGD document. */
  readonly at?: DocPath;
}

export interface BuiltSchema {
  readonly schema: InstanceSchema;
  readonly diagnostics: readonly Diagnostic[];
}

/** Build the schema model of an RGD's instances from its SimpleSchema. */
export function buildInstanceSchema(source: SchemaSource): BuiltSchema {
  const b = new SchemaBuilder(source);
  const types = b.loadTypes(source.types ?? {});
  const spec = b.buildSpec(source.spec ?? {});
  return { schema: { spec, types }, diagnostics: b.diagnostics };
}

// An RGD's schema model is asked for by its graph build, its CRD, codegen, synth and the builds of
// RGDs chaining to it: made once per (immutable) RGD, shared read-only.
const instanceSchemas = new WeakMap<Rgd, BuiltSchema>();

/** The schema model of an RGD's instances, diagnostics positioned through the RGD's locator. */
export function instanceSchemaOf(rgd: Rgd): BuiltSchema {
  let built = instanceSchemas.get(rgd);
  if (built === undefined) {
    built = buildInstanceSchema({
      spec: rgd.schema.spec,
      types: rgd.schema.types,
      loc: rgd.loc,
      at: ['spec', 'schema'],
    });
    instanceSchemas.set(rgd, built);
  }
  return built;
}

type TypeState =
  | { readonly status: 'parsed'; readonly raw: JsonValue; readonly deps: readonly Dep[] }
  | { readonly status: 'building' }
  | { readonly status: 'built'; readonly node: SchemaNode }
  // Already reported; whatever uses it is skipped quietly so one mistake gives one diagnostic.
  | { readonly status: 'broken' };

/** A custom type named in a field string, and where. */
interface Dep {
  readonly name: string;
  readonly rel: DocPath;
  readonly offset: number;
}

class SchemaBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly types = new Map<string, TypeState>();
  private readonly loc: Locator | undefined;
  private readonly base: DocPath;

  constructor(source: SchemaSource) {
    this.loc = source.loc;
    this.base = source.at ?? ['spec', 'schema'];
  }

  loadTypes(raw: JsonObject): NamedType[] {
    const names = Object.keys(raw);
    if (names.length === 0) return [];
    for (const name of names) {
      const deps: Dep[] = [];
      const ok = this.collectDeps(raw[name] as JsonValue, ['types', name], deps);
      this.types.set(
        name,
        ok ? { status: 'parsed', raw: raw[name] as JsonValue, deps } : { status: 'broken' },
      );
    }
    this.rejectBadReferences(names);
    this.rejectOversized(names);
    const resolved: NamedType[] = [];
    for (const name of names) {
      const node = this.resolveType(name);
      if (node) resolved.push({ name, node });
    }
    return resolved;
  }

  // Parse the type part of every field string of a type definition (markers come later, as in kro).
  private collectDeps(raw: JsonValue, rel: DocPath, deps: Dep[]): boolean {
    if (typeof raw === 'string') {
      const t = parseTypeString(raw);
      if (t.error) {
        this.report(rel, t.error.message, t.error.code, typeOffset(raw));
        return false;
      }
      for (const name of new Set(typeDeps(t.type))) deps.push({ name, rel, offset: typeOffset(raw) });
      return true;
    }
    if (isPlainObject(raw)) {
      let ok = true;
      for (const [k, v] of Object.entries(raw))
        ok = this.collectDeps(v as JsonValue, [...rel, k], deps) && ok;
      return ok;
    }
    this.report(rel, unexpectedValue(raw), 'schema/unexpected-value');
    return false;
  }

  // Unknown names, self references and cycles, checked type by type in declaration order the way
  // kro adds each type's edges to its DAG (an edge set that would close a cycle is rejected).
  private rejectBadReferences(names: readonly string[]): void {
    const dag = new DirectedAcyclicGraph();
    for (const [i, name] of names.entries()) dag.addVertex(name, i);
    for (const name of names) {
      const state = this.types.get(name);
      if (state?.status !== 'parsed') continue;
      let bad = false;
      for (const dep of state.deps) {
        if (!this.types.has(dep.name)) {
          this.report(dep.rel, `unknown type: ${dep.name}`, 'schema/unknown-type', dep.offset);
          bad = true;
        } else if (dep.name === name) {
          this.report(
            dep.rel,
            `type ${name} refers to itself: self references are not allowed`,
            'schema/type-cycle',
            dep.offset,
          );
          bad = true;
        }
      }
      const problem = bad
        ? undefined
        : dag.addDependencies(
            name,
            state.deps.map((d) => d.name),
          );
      if (problem) {
        this.report(
          ['types', name],
          `cyclic dependency in type ${name}: ${problem.message}`,
          'schema/type-cycle',
          undefined,
          'key',
        );
      }
      if (bad || problem) this.types.set(name, { status: 'broken' });
    }
  }

  // Types whose inlined schema passes a limit of limits.ts, measured type by type in dependency
  // order without inlining (and without recursion: a chain of types may be thousands long).
  private rejectOversized(names: readonly string[]): void {
    const visited = new Set<string>();
    for (const root of names) {
      const stack: { name: string; expanded: boolean }[] = [{ name: root, expanded: false }];
      while (stack.length > 0) {
        const top = stack.pop() as { name: string; expanded: boolean };
        const state = this.types.get(top.name);
        if (state?.status !== 'parsed' || (visited.has(top.name) && !top.expanded)) continue;
        if (!top.expanded) {
          visited.add(top.name);
          stack.push({ name: top.name, expanded: true });
          for (const d of state.deps) if (!visited.has(d.name)) stack.push({ name: d.name, expanded: false });
          continue;
        }
        // A type using a broken one is broken too, quietly: the first one was reported.
        if (state.deps.some((d) => !this.extents.has(d.name))) {
          this.types.set(top.name, { status: 'broken' });
          continue;
        }
        const e = fieldExtent('', state.raw, (n) => this.extents.get(n));
        const problem = limitProblem(e, `type ${top.name}`);
        if (problem) {
          this.report(['types', top.name], problem, 'schema/too-large', undefined, 'key');
          this.types.set(top.name, { status: 'broken' });
        } else this.extents.set(top.name, e);
      }
    }
  }

  private readonly extents = new Map<string, Extent>();

  /**
   * `spec`'s struct, or one of no fields at all when inlining its types would pass a limit
   * (reported). The spec is measured (limits.ts) while it is built, not in a walk of its own
   * first; one over a limit has what building it reported taken back.
   */
  buildSpec(raw: JsonObject): StructNode {
    const diagnostics = this.diagnostics.length;
    const broken = this.brokenPrefixes.length;
    const extent = { bytes: 0, depth: 0 };
    const spec = this.buildStruct(raw, ['spec'], extent);
    const problem = limitProblem(extent, 'spec');
    if (!problem) return spec;
    this.diagnostics.length = diagnostics;
    this.brokenPrefixes.length = broken;
    this.report(['spec'], problem, 'schema/too-large', undefined, 'key');
    return this.buildStruct({}, ['spec']);
  }

  private resolveType(name: string): SchemaNode | undefined {
    const state = this.types.get(name);
    if (state === undefined || state.status === 'broken' || state.status === 'building') return undefined;
    if (state.status === 'built') return state.node;
    this.types.set(name, { status: 'building' });
    // Dependencies first, so a broken dependency is reported once, at its definition.
    for (const dep of state.deps) {
      if (!this.resolveType(dep.name)) {
        this.types.set(name, { status: 'broken' });
        return undefined;
      }
    }
    const rel: DocPath = ['types', name];
    let node: SchemaNode | undefined;
    if (typeof state.raw === 'string') {
      const field = this.buildField(state.raw, rel);
      // An alias's own `required=true` makes every field declared with it required.
      if (field) node = { ...field.node, typeName: name, required: field.required };
    } else {
      node = { ...this.buildStruct(state.raw as JsonObject, rel), typeName: name };
    }
    this.types.set(name, node && !this.failedUnder(rel) ? { status: 'built', node } : { status: 'broken' });
    return node;
  }

  /**
   * The struct of the fields `raw`. With `extent`, also measures it there (as limits.ts's
   * structExtent would, the custom types it uses at their own extents).
   */
  buildStruct(raw: JsonObject, rel: DocPath, extent?: { bytes: number; depth: number }): StructNode {
    const fields: StructField[] = [];
    const required = new Set<string>();
    let childHasDefault = false;
    let bytes = 0;
    let depth = 0;
    // Indexed loops: cold code (docs/architecture.md).
    const names = Object.keys(raw);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = raw[name];
      const fieldRel = [...rel, name];
      let built: { node: SchemaNode; required: boolean } | undefined;
      let e: Extent | undefined;
      if (typeof value === 'string') {
        const t = parseTypeString(value);
        if (extent) e = stringFieldExtent(name, value, t.error ? undefined : t.type, this.extentOf);
        built = this.buildField(value, fieldRel, t);
      } else if (isPlainObject(value)) {
        const inner = extent && { bytes: 0, depth: 0 };
        built = { node: this.buildStruct(value as JsonObject, fieldRel, inner), required: false };
        if (inner) e = objectFieldExtent(name, inner);
      } else {
        this.report(fieldRel, unexpectedValue(value), 'schema/unexpected-value');
        if (extent) e = otherFieldExtent(name);
      }
      if (e !== undefined) {
        bytes += e.bytes;
        if (e.depth > depth) depth = e.depth;
      }
      if (!built) continue;
      if (built.required) required.add(name);
      if (built.node.default !== undefined) childHasDefault = true;
      fields.push({ name, node: built.node });
    }
    if (extent) {
      const e = structOfFields(bytes, depth);
      extent.bytes = e.bytes;
      extent.depth = e.depth;
    }
    const requiredFields = required.size === 0 ? [] : [...required].sort(compareGoStrings);
    // Every field's node was made for this struct (by buildField or buildStruct): it takes its
    // `required` in place rather than as one more copy.
    if (required.size > 0)
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i] as StructField;
        (f.node as { required: boolean }).required = required.has(f.name);
      }
    // Key by key in the order `{kind, ...common(path), default?, fields, requiredFields}` gives:
    // a spread per struct was a copy of a copy.
    const node: Record<string, unknown> = {
      kind: 'struct',
      path: this.abs(rel),
      required: false,
      validations: [],
      immutable: false,
    };
    // `{}` lets the API server default the children even when the object is omitted; it would be
    // invalid if some field were required.
    if (childHasDefault && requiredFields.length === 0) node.default = {};
    node.fields = fields;
    node.requiredFields = requiredFields;
    return node as unknown as StructNode;
  }

  /** The extents of the custom types measured (limits.ts), for the spec's. */
  private readonly extentOf = (name: string): Extent | undefined => this.extents.get(name);

  /**
   * A field string: its node, and whether it is required in its parent. `t` is its type part
   * parsed already, if it was.
   */
  private buildField(
    text: string,
    rel: DocPath,
    t: TypeResult = parseTypeString(text),
  ): { node: SchemaNode; required: boolean } | undefined {
    if (t.error) {
      this.report(rel, t.error.message, t.error.code, typeOffset(text));
      return undefined;
    }
    let markers: readonly Marker[] = [];
    const bar = text.indexOf('|');
    if (bar >= 0) {
      const m = parseMarkers(text.slice(bar + 1));
      if (m.error) {
        this.report(rel, m.error.message, m.error.code, bar + 1 + m.error.offset);
        return undefined;
      }
      markers = m.markers;
    }
    const resolved = this.resolve(t.type, rel, text, this.abs(rel));
    if (!resolved) return undefined;
    // Without markers a built-in type's node is final as resolve() made it (no facets to apply,
    // no default to check), which is what most fields are.
    if (bar < 0 && t.type.kind !== 'custom') return { node: resolved, required: false };
    let required = t.type.kind === 'custom' && resolved.required;
    // facetsOf gives a copy of the node's facets: the markers apply to it in place.
    const applied = applyMarkersTo(openApiType(resolved.kind), facetsOf(resolved), markers);
    this.reportMarkerErrors(applied, rel, bar + 1);
    if (applied.required) required = true;
    // resolve() made `resolved` for this field: its path is already this field's.
    const node = withFacets(resolved, applied.facets, resolved.path, false);
    this.checkDefault(node, markers, rel, bar + 1);
    return { node, required };
  }

  /**
   * `text` is the field string, for where an unknown type is named in it; `path` is the field's
   * (its items and values share it).
   */
  private resolve(t: SimpleType, rel: DocPath, text: string, path: DocPath): SchemaNode | undefined {
    // Nodes are written out key by key, in the order `{kind, ...common(path)}` gives.
    switch (t.kind) {
      case 'atomic':
        return { kind: t.name, path, required: false, validations: [], immutable: false };
      case 'object':
        return { kind: 'object', path, required: false, validations: [], immutable: false };
      case 'slice': {
        const items = this.resolve(t.elem, rel, text, path);
        if (!items) return undefined;
        // resolve() made `items` for this node: it is not required in place of a copy saying so.
        (items as { required: boolean }).required = false;
        return { kind: 'array', path, required: false, validations: [], immutable: false, items };
      }
      case 'map': {
        const values = this.resolve(t.value, rel, text, path);
        if (!values) return undefined;
        (values as { required: boolean }).required = false;
        return { kind: 'map', path, required: false, validations: [], immutable: false, values };
      }
      case 'custom': {
        if (!this.types.has(t.name)) {
          this.report(rel, `unknown type: ${t.name}`, 'schema/unknown-type', typeOffset(text));
          return undefined;
        }
        const node = this.resolveType(t.name);
        return node && { ...node, path, typeName: t.name };
      }
      case 'struct':
        return undefined; // parseTypeString never yields a struct
    }
  }

  private reportMarkerErrors(applied: AppliedMarkers, rel: DocPath, markersAt: number): void {
    // Indexed: called per field with markers (cold code; mostly no errors, and an empty list
    // still makes an iterator under for-of).
    for (let i = 0; i < applied.errors.length; i++)
      this.reportMarker(applied.errors[i] as MarkerError, rel, markersAt);
  }

  private reportMarker(e: MarkerError, rel: DocPath, markersAt: number): void {
    this.report(rel, e.message, e.code, e.marker ? markersAt + e.marker.offset : markersAt);
  }

  // The API server refuses a CRD whose defaults do not validate against their own schema.
  private checkDefault(node: SchemaNode, markers: readonly Marker[], rel: DocPath, markersAt: number): void {
    if (node.default === undefined || plainlyValid(node, node.default)) return;
    let marker: Marker | undefined;
    for (let i = markers.length - 1; i >= 0 && marker === undefined; i--)
      if (markers[i]?.type === 'default') marker = markers[i];
    if (!marker) return;
    for (const p of validateValue(node, node.default)) {
      const where = p.at === '' ? '' : ` at ${shownPath(p)}`;
      this.report(
        rel,
        `default value${where} ${p.message}`,
        'schema/invalid-default',
        markersAt + marker.offset,
      );
    }
  }

  private failedUnder(rel: DocPath): boolean {
    // Markers and defaults errors inside a type definition break the type too.
    return this.brokenPrefixes.some((p) => p.length >= rel.length && rel.every((seg, i) => p[i] === seg));
  }

  private readonly brokenPrefixes: DocPath[] = [];

  private report(
    rel: DocPath,
    message: string,
    code: string,
    offset?: number,
    part: 'key' | 'value' = 'value',
  ): void {
    this.brokenPrefixes.push(rel);
    const path = this.abs(rel);
    this.diagnostics.push(error(`${describePath(rel)}: ${message}`, this.pos(path, offset, part), code));
  }

  private pos(path: DocPath, offset: number | undefined, part: 'key' | 'value'): SourcePos | undefined {
    if (!this.loc) return undefined;
    return offset === undefined ? this.loc.at(path, part) : this.loc.inString(path, offset);
  }

  private abs(rel: DocPath): DocPath {
    // concat, not a spread: cold code (docs/architecture.md).
    return this.base.concat(rel);
  }
}

/**
 * Whether validateValue would find nothing wrong with `value` at a glance: a string, boolean or
 * integer of the node's type with no enum, bound, length or pattern to meet (most defaults). Spares
 * a validation per default; anything else is validated.
 */
function plainlyValid(node: SchemaNode, value: JsonValue): boolean {
  if (node.minimum !== undefined || node.maximum !== undefined) return false;
  switch (node.kind) {
    case 'string':
      return (
        typeof value === 'string' &&
        node.enum === undefined &&
        node.pattern === undefined &&
        node.minLength === undefined &&
        node.maxLength === undefined
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && node.enum === undefined;
    default:
      return false;
  }
}

function limitProblem(e: Extent, what: string): string | undefined {
  if (e.bytes > MAX_EXPANDED_SCHEMA_BYTES) {
    return `${what} expands to about ${formatBytes(e.bytes)} of CRD schema once custom types are inlined, more than the ${formatBytes(MAX_EXPANDED_SCHEMA_BYTES)} the API server accepts in one request`;
  }
  if (e.depth > MAX_SCHEMA_DEPTH) {
    return `${what} nests ${e.depth} levels deep once custom types are inlined; kro-gen allows ${MAX_SCHEMA_DEPTH}`;
  }
  return undefined;
}

/** Offset of the type text in a field string (after leading whitespace). */
function typeOffset(text: string): number {
  const part = typePart(text);
  const trimmed = goTrimSpace(part);
  return trimmed === '' ? 0 : part.indexOf(trimmed);
}

function unexpectedValue(v: unknown): string {
  return `unexpected type: ${describeValue(v)} (a field is a SimpleSchema type string or a map of fields)`;
}

/** `spec.a.b`, with `["x.y"]` for keys that are not plain identifiers. */
export function describePath(rel: DocPath): string {
  let out = '';
  for (const seg of rel) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
