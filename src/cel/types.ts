// CEL types for static checking, derived from OpenAPI schemas the way kro derives its DeclTypes
// (pkg/cel/schemas.go): objects become named structs, additionalProperties become maps, arrays
// become lists, int-or-string becomes dyn. The model is plain data so the compatibility rules and
// status-schema inference can walk it; `registerCelTypes` teaches @marcbachmann/cel-js the same
// shapes so its checker can type field selections.
import type { Environment } from '@marcbachmann/cel-js';
import { setOwn } from '../json.js';

export type PrimitiveName =
  | 'int'
  | 'uint'
  | 'double'
  | 'string'
  | 'bool'
  | 'bytes'
  | 'timestamp'
  | 'duration';

export type CelType =
  | {
      readonly kind: 'dyn';
      /**
       * A schema kro cannot express (no type, an array without items): kro drops such fields
       * from its declared types, kro-gen reads them as dyn but leaves them out of status schemas.
       */
      readonly untyped?: true;
    }
  | { readonly kind: 'null' }
  | {
      readonly kind: 'type';
      /** cel-go's name of the type a `type(x)` call returns the type of (`string`), when known. */
      readonly of?: string;
    }
  | { readonly kind: 'primitive'; readonly name: PrimitiveName }
  | { readonly kind: 'list'; readonly elem: CelType }
  | { readonly kind: 'map'; readonly key: CelType; readonly value: CelType }
  | { readonly kind: 'optional'; readonly inner: CelType }
  | {
      readonly kind: 'object';
      /** kro's naming: `__type_<root>` then `.field` per property, `.@idx` per list item, `.@elem` per map value. */
      readonly name: string;
      readonly fields: Readonly<Record<string, CelType>>;
      /** x-kubernetes-preserve-unknown-fields: unknown fields read as dyn. */
      readonly preserveUnknown: boolean;
    }
  /** Any other named type the environment knows (library types such as a condition). */
  | { readonly kind: 'opaque'; readonly name: string };

export type ObjectCelType = Extract<CelType, { kind: 'object' }>;

export const DYN: CelType = { kind: 'dyn' };
/** `dyn` for a schema kro drops (see the `untyped` flag). */
export const UNTYPED: CelType = { kind: 'dyn', untyped: true };
export const NULL: CelType = { kind: 'null' };
export const STRING: CelType = { kind: 'primitive', name: 'string' };
export const INT: CelType = { kind: 'primitive', name: 'int' };
export const BOOL: CelType = { kind: 'primitive', name: 'bool' };
export const DOUBLE: CelType = { kind: 'primitive', name: 'double' };

export const listOf = (elem: CelType): CelType => ({ kind: 'list', elem });
export const mapOf = (key: CelType, value: CelType): CelType => ({ kind: 'map', key, value });
export const optionalOf = (inner: CelType): CelType => ({ kind: 'optional', inner });

/** Prefix of every type kro derives from a schema (`__type_deployment.spec`). */
export const TYPE_NAME_PREFIX = '__type_';

/** The subset of an OpenAPI v3 / JSONSchemaProps object this module reads. */
export interface OpenApiSchema {
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly additionalProperties?: boolean | OpenApiSchema;
  readonly items?: OpenApiSchema | readonly OpenApiSchema[] | null;
  readonly required?: readonly string[];
  readonly allOf?: readonly OpenApiSchema[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly [key: string]: unknown;
}

function schemaType(s: OpenApiSchema): string {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t as readonly string[]).find((x) => x !== 'null') ?? '';
  return '';
}

// Kubernetes' published OpenAPI wraps `$ref`s that carry defaults in a one-element allOf.
function flattenAllOf(s: OpenApiSchema): OpenApiSchema {
  if (s.allOf?.length !== 1 || schemaType(s) !== '' || s.properties) return s;
  const [inner] = s.allOf;
  if (!inner) return s;
  const { allOf: _drop, ...rest } = s;
  return { ...flattenAllOf(inner), ...rest };
}

function itemsSchema(s: OpenApiSchema): OpenApiSchema | undefined {
  const items = s.items;
  if (!items || Array.isArray(items)) return undefined;
  return items as OpenApiSchema;
}

/**
 * An object type whose fields are worked out when first read. A kind's schema is large (a
 * Deployment has some 300 nested objects) and an RGD reads a few paths of it, so converting it
 * whole for every resource of every RGD was most of the cost of typing the status. The value is
 * the same plain data as an eager one (`fields` is an enumerable property, in its usual place).
 */
export function lazyObjectType(
  name: string,
  preserveUnknown: boolean,
  fields: () => Record<string, CelType>,
): CelType {
  const t = { kind: 'object', name, fields: undefined as unknown, preserveUnknown };
  Object.defineProperty(t, 'fields', {
    enumerable: true,
    configurable: true,
    get() {
      const value = fields();
      Object.defineProperty(t, 'fields', { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
  return t as CelType;
}

/**
 * celTypeFromSchema for a kind's schema, the same object each time for the same schema and name.
 * The bundled kinds' schemas live as long as the process and the same resource ids come back
 * (`deployment`, `service`): the type's lazily worked-out fields are then worked out once, not once
 * per build. Types are plain data nobody changes, so sharing them between builds is safe.
 */
export function kindCelType(schema: OpenApiSchema, name: string): CelType {
  let byName = kindTypes.get(schema);
  if (byName === undefined) {
    byName = new Map();
    kindTypes.set(schema, byName);
  }
  let t = byName.get(name);
  if (t === undefined) {
    t = celTypeFromSchema(schema, name);
    byName.set(name, t);
  }
  return t;
}

const kindTypes = new WeakMap<OpenApiSchema, Map<string, CelType>>();

/**
 * The CEL type of values described by `schema`, named `name`. kro drops schemas it cannot
 * express (no type, arrays without items) and reading them is then an error; we read them as
 * `dyn` instead, so nothing valid is rejected (docs/kro-differences.md).
 */
export function celTypeFromSchema(schema: OpenApiSchema | null | undefined, name: string): CelType {
  if (!schema) return DYN;
  const s = flattenAllOf(schema);
  if (s['x-kubernetes-int-or-string'] === true) return DYN;
  const preserveUnknown = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  let type = schemaType(s);
  if (type === '' && (embedded || s.properties)) type = 'object';
  switch (type) {
    case 'array': {
      const items = itemsSchema(s);
      return items ? listOf(celTypeFromSchema(items, `${name}.@idx`)) : UNTYPED;
    }
    case 'object': {
      const ap = s.additionalProperties;
      if (ap && typeof ap === 'object') return mapOf(STRING, celTypeFromSchema(ap, `${name}.@elem`));
      return lazyObjectType(name, preserveUnknown, () => {
        const fields: Record<string, CelType> = {};
        // Keys and an indexed loop, not entries and for-of: cold code (docs/architecture.md).
        const props = s.properties;
        if (props !== undefined) {
          const keys = Object.keys(props);
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i] as string;
            setOwn(fields, key, celTypeFromSchema(props[key], `${name}.${key}`));
          }
        }
        // An embedded resource always exposes its type and object identity, as in Kubernetes.
        if (embedded) {
          fields.apiVersion ??= STRING;
          fields.kind ??= STRING;
          fields.metadata ??= {
            kind: 'object',
            name: `${name}.metadata`,
            fields: { name: STRING, generateName: STRING },
            preserveUnknown: false,
          };
        }
        return fields;
      });
    }
    case 'string':
      switch (s.format) {
        case 'byte':
          return { kind: 'primitive', name: 'bytes' };
        case 'duration':
          return { kind: 'primitive', name: 'duration' };
        case 'date':
        case 'date-time':
          return { kind: 'primitive', name: 'timestamp' };
        default:
          return STRING;
      }
    case 'boolean':
      return BOOL;
    case 'number':
      return DOUBLE;
    case 'integer':
      return INT;
    default:
      return UNTYPED;
  }
}

// The two ways a type is written: cel-go's (kro's messages show it) and the library's (its
// declarations need it). They differ only in brackets and in a few names.
interface Spelling {
  readonly null: string;
  readonly list: (elem: string) => string;
  readonly map: (key: string, value: string) => string;
  readonly optional: (inner: string) => string;
  readonly object: (name: string) => string;
}

const CEL_GO: Spelling = {
  null: 'null_type',
  list: (e) => `list(${e})`,
  map: (k, v) => `map(${k}, ${v})`,
  optional: (i) => `optional_type(${i})`,
  object: (n) => n,
};

const LIBRARY: Spelling = {
  null: 'null',
  list: (e) => `list<${e}>`,
  map: (k, v) => `map<${k}, ${v}>`,
  optional: (i) => `optional<${i}>`,
  object: (n) => registeredName(n),
};

function spell(t: CelType, s: Spelling): string {
  switch (t.kind) {
    case 'dyn':
      return 'dyn';
    case 'null':
      return s.null;
    case 'type':
      // cel-go says `type(string)`; the library's declarations know only `type`.
      return s === CEL_GO && t.of !== undefined ? `type(${t.of})` : 'type';
    case 'primitive':
      if (t.name === 'timestamp') return 'google.protobuf.Timestamp';
      if (t.name === 'duration') return 'google.protobuf.Duration';
      return t.name;
    case 'list':
      return s.list(spell(t.elem, s));
    case 'map':
      return s.map(spell(t.key, s), spell(t.value, s));
    case 'optional':
      return s.optional(spell(t.inner, s));
    case 'object':
      return s.object(t.name);
    case 'opaque':
      return t.name;
  }
}

/** cel-go's spelling of a type, as kro's error messages show it (`list(string)`, `optional_type(int)`). */
export function formatCelType(t: CelType): string {
  return spell(t, CEL_GO);
}

/** The library's spelling of a type (`list<string>`), for registering declarations. */
export function libraryTypeName(t: CelType): string {
  return spell(t, LIBRARY);
}

/**
 * The name an object type is registered under. The library's operator and signature syntax
 * accepts only word characters and dots in type names, so kro's `@idx`/`@elem` markers and odd
 * property names are spelled out.
 */
export function registeredName(name: string): string {
  let registered = registeredNames.get(name);
  if (registered === undefined) {
    registered = name.replace(/[^\w.]/g, (c) => `__${c.charCodeAt(0).toString(16)}__`);
    registeredNames.set(name, registered);
  }
  return registered;
}

// The same kinds' type names come back for every RGD and every environment: spelled once each
// (the table grows with the distinct names a process meets, as the constructors below do).
const registeredNames = new Map<string, string>();

/**
 * Object types registered in one environment, by name. The checker reports result types as
 * names; this table turns them back into shapes.
 */
export class CelTypeTable {
  // Keyed by registered name.
  readonly #objects = new Map<string, ObjectCelType>();

  /** The object type registered as `libraryName`. */
  get(libraryName: string): ObjectCelType | undefined {
    return this.#objects.get(libraryName);
  }

  has(t: ObjectCelType): boolean {
    return this.#objects.has(registeredName(t.name));
  }

  set(t: ObjectCelType): void {
    this.#objects.set(registeredName(t.name), t);
  }

  get size(): number {
    return this.#objects.size;
  }

  copy(): CelTypeTable {
    const c = new CelTypeTable();
    for (const t of this.#objects.values()) c.set(t);
    return c;
  }
}

// The constructor every registered schema type is declared with. The library wants one per type
// (it finds the type of a value by its constructor while evaluating), but these types are declared
// only in typing environments (KroEnvironment.declareObjectTypes), which check and never
// evaluate, and no value is ever an instance of it: one class serves them all, where making a
// class per type name was a fifth of declaring a type.
class SchemaObject {}

/**
 * Registers every object type inside `t` in `env` (children first: the library resolves field
 * types when a type is registered) and records them in `table`. Objects that preserve unknown
 * fields are registered without field declarations, so any field reads as `dyn`, since the
 * library cannot mix declared fields with an open remainder.
 *
 * With `registered` (registered name to the type as registered), `t` may hold parts of types
 * made by `partOfType`: those are registered as they are, while `table` records the whole types,
 * so result types read back whole.
 *
 * `env` is a typing environment's, and the call is inside its `declareObjectTypes`.
 */
export function registerCelTypes(
  env: Environment,
  table: CelTypeTable,
  t: CelType,
  registered?: Map<string, CelType>,
): void {
  for (const o of planObjectTypes(table, t, registered)) registerObjectType(env, o);
}

/**
 * What `registerCelTypes` records for `t`, without registering anything: it updates `table` and
 * `registered` the same way and returns the object types to register, in order (`registerObjectType`
 * each). A typing environment declares its variables only when an expression needs the library
 * (TypeEnv), and most never do.
 */
export function planObjectTypes(
  table: CelTypeTable,
  t: CelType,
  registered?: Map<string, CelType>,
): ObjectCelType[] {
  const out: ObjectCelType[] = [];
  planInto(out, table, t, registered);
  return out;
}

function planInto(
  out: ObjectCelType[],
  table: CelTypeTable,
  t: CelType,
  registered: Map<string, CelType> | undefined,
): void {
  switch (t.kind) {
    case 'list':
      planInto(out, table, t.elem, registered);
      return;
    case 'map':
      planInto(out, table, t.value, registered);
      return;
    case 'optional':
      planInto(out, table, t.inner, registered);
      return;
    case 'object': {
      const name = registeredName(t.name);
      if (registered ? registered.has(name) : table.has(t)) return;
      // for-in, not a for-of over Object.values: cold code (docs/architecture.md). Field records are plain
      // data, with no enumerable inherited properties.
      const fields = t.fields;
      for (const key in fields) planInto(out, table, fields[key] as CelType, registered);
      out.push(t);
      table.set((wholeTypes.get(t) as ObjectCelType | undefined) ?? t);
      registered?.set(name, t);
      return;
    }
    default:
      return;
  }
}

/** Registers one object type planned by `planObjectTypes` (its field types already registered). */
export function registerObjectType(env: Environment, t: ObjectCelType): void {
  const name = registeredName(t.name);
  if (t.preserveUnknown) {
    env.registerType(name, SchemaObject);
  } else {
    const fields: Record<string, string> = {};
    // Keys and an indexed loop (cold code, see partAt).
    const all = t.fields;
    const keys = Object.keys(all);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      setOwn(fields, k, libraryTypeName(all[k] as CelType));
    }
    env.registerType(name, { ctor: SchemaObject, fields });
  }
}

// Parts made by partOfType, and the whole type each stands for.
const wholeTypes = new WeakMap<CelType, CelType>();

/** Select paths read from a value: `[['status', 'readyReplicas'], ['spec']]`. */
export type SelectPaths = readonly (readonly string[])[];

/**
 * The part of `t` that selecting `paths` can reach: objects keep only the fields some path
 * continues into, and where a path ends the type is kept whole. Map values follow every path
 * (a select on a map is a key). Lists, optionals and objects that preserve unknown fields are
 * kept whole. A part has the same names as the whole, so registering it declares the same types
 * with fewer fields: enough to check expressions that read only those paths.
 */
export function partOfType(t: CelType, paths: SelectPaths): CelType {
  return partAt(t, paths, 0);
}

// partOfType on the paths' tails from `depth` on: the paths are passed down whole rather than
// sliced, and the loops are indexed (this runs per variable and path level as cold code,
// (docs/architecture.md)).
function partAt(t: CelType, paths: SelectPaths, depth: number): CelType {
  for (let i = 0; i < paths.length; i++) if ((paths[i] as readonly string[]).length === depth) return t;
  if (t.kind === 'object' && !t.preserveUnknown) {
    const all = t.fields;
    // The heads read, in the order first read, and the paths under each.
    const heads: string[] = [];
    const tails = new Map<string, (readonly string[])[]>();
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i] as readonly string[];
      const head = p[depth] as string;
      if (!Object.hasOwn(all, head)) continue;
      let list = tails.get(head);
      if (!list) {
        list = [];
        tails.set(head, list);
        heads.push(head);
      }
      list.push(p);
    }
    // Only the fields some path reads are visited (a kind's object has up to hundreds): the part
    // lists them in the order first read, which nothing depends on (fields are looked up by name).
    const fields: Record<string, CelType> = {};
    let same = true;
    for (let i = 0; i < heads.length; i++) {
      const key = heads[i] as string;
      const field = all[key] as CelType;
      const part = partAt(field, tails.get(key) as (readonly string[])[], depth + 1);
      if (part !== field) same = false;
      setOwn(fields, key, part);
    }
    // Counting the fields (a keys array) only where every field read came out whole.
    if (same && heads.length === Object.keys(all).length) return t;
    const part: CelType = { kind: 'object', name: t.name, fields, preserveUnknown: false };
    wholeTypes.set(part, t);
    return part;
  }
  if (t.kind === 'map') {
    const value = partAt(t.value, paths, depth + 1);
    if (value === t.value) return t;
    const part: CelType = { kind: 'map', key: t.key, value };
    wholeTypes.set(part, t);
    return part;
  }
  return t;
}

/**
 * A list of objects declared without the objects' fields: the list as a whole, for expressions
 * that only count it (`pods.size()`, see TypeEnv). A collection's element is a whole kind (a Pod
 * is some 150 object types) and declaring it was most of the cost of checking an RGD whose
 * status reads only the collection's size. Other lists are returned as they are.
 */
export function listShapePart(t: CelType): CelType {
  if (t.kind !== 'list' || t.elem.kind !== 'object' || t.elem.preserveUnknown || isPartOfType(t)) return t;
  const elem: CelType = { kind: 'object', name: t.elem.name, fields: {}, preserveUnknown: false };
  wholeTypes.set(elem, t.elem);
  const part: CelType = { kind: 'list', elem };
  wholeTypes.set(part, t);
  return part;
}

/** Whether `t` is a part made by `partOfType` (not a whole type). */
export function isPartOfType(t: CelType): boolean {
  return wholeTypes.has(t);
}

/**
 * Whether selecting `path` from a value of type `t` stays inside what `registered` (see
 * registerCelTypes) declares, so checking it gives what checking against the whole types gives.
 * A field the whole type lacks either is fine: both report it. The path starts at `path[from]`.
 */
export function selectCovered(
  t: CelType,
  path: readonly string[],
  registered: ReadonlyMap<string, CelType>,
  from = 0,
): boolean {
  let cur = asRegistered(t, registered);
  // Indexed (from `from`, sparing callers a slice), and no closure per call: cold code run for
  // every select chain checked.
  for (let i = from; i < path.length; i++) {
    const seg = path[i] as string;
    const whole = wholeTypes.get(cur);
    if (!whole) return true;
    if (cur.kind === 'object') {
      const next = cur.fields[seg];
      if (next === undefined) return whole.kind === 'object' && !Object.hasOwn(whole.fields, seg);
      cur = asRegistered(next, registered);
    } else if (cur.kind === 'map') {
      cur = asRegistered(cur.value, registered);
    } else {
      return true;
    }
  }
  // A list declared by its shape only (listShapePart) is not covered where it is read whole.
  if (cur.kind === 'list') return !wholeTypes.has(asRegistered(cur.elem, registered));
  return !wholeTypes.has(cur);
}

// The type `registered` declares under the name of `x` (an object), else `x`.
function asRegistered(x: CelType, registered: ReadonlyMap<string, CelType>): CelType {
  return x.kind === 'object' ? (registered.get(registeredName(x.name)) ?? x) : x;
}

/**
 * Reads a type name the library's checker reports (`list<__type_x.spec>`, `map<string, int>`)
 * back into a CelType. Unresolved type parameters (`list<T>` from `[]`) read as dyn.
 */
export function parseLibraryTypeName(text: string, table: CelTypeTable): CelType {
  const s = text.trim();
  const m = /^(list|map|optional|dyn)<(.*)>$/s.exec(s);
  if (m) {
    const inner = m[2] ?? '';
    switch (m[1]) {
      case 'list':
        return listOf(parseLibraryTypeName(inner, table));
      case 'optional':
        return optionalOf(parseLibraryTypeName(inner, table));
      case 'dyn':
        return DYN;
      default: {
        const [k, v] = splitTopLevel(inner);
        return mapOf(parseLibraryTypeName(k ?? 'dyn', table), parseLibraryTypeName(v ?? 'dyn', table));
      }
    }
  }
  switch (s) {
    case 'dyn':
    case 'list':
    case 'map':
      return s === 'list' ? listOf(DYN) : s === 'map' ? mapOf(DYN, DYN) : DYN;
    case 'null':
      return NULL;
    case 'type':
      return { kind: 'type' };
    case 'int':
    case 'uint':
    case 'double':
    case 'string':
    case 'bool':
    case 'bytes':
      return { kind: 'primitive', name: s };
    case 'google.protobuf.Timestamp':
      return { kind: 'primitive', name: 'timestamp' };
    case 'google.protobuf.Duration':
      return { kind: 'primitive', name: 'duration' };
    default:
      if (/^[A-Z]$/.test(s)) return DYN;
      return table.get(s) ?? { kind: 'opaque', name: s };
  }
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

/** The element type of a list type; undefined when `t` is not a list (dyn counts as a list of dyn). */
export function listElementType(t: CelType): CelType | undefined {
  if (t.kind === 'list') return t.elem;
  if (t.kind === 'dyn') return DYN;
  return undefined;
}
