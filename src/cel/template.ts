// Walking a resource template (or a status block) to find every field whose string value holds
// `${...}`, as kro's parser does (pkg/graph/parser/parser.go and schemaless.go).
//
// - Schemaless: every string value is scanned; map keys never are. Other leaves are "plain" fields.
// - Schema-aware: the walk follows an OpenAPI schema (the JSONSchemaProps JSON form) and checks
//   each literal against the type expected there. A standalone `${e}` may stand anywhere (its type
//   is checked later, with CEL); a string template needs a string (or untyped) field. Subtrees
//   marked `x-kubernetes-preserve-unknown-fields` are walked schemaless.
//
// Unlike kro, which stops at the first problem, the walk reports every problem it finds (kro's
// first error is among them, with kro's text) and keeps the expressions of the fields that are fine.
// Paths are kro's field paths; `segments` gives the same path as keys and indexes, relative to the
// walked value, for locating the YAML node.

import { joinPathAndFieldName } from '../graph/fieldpath.js';
import type { DocPath } from '../rgd/model.js';
import {
  buildStringTemplate,
  type ExpressionMatch,
  extractExpressions,
  isStandaloneMatch,
  type ScanResult,
} from './scanner.js';

/** The OpenAPI schema fields the walker reads (JSONSchemaProps JSON; other keys are ignored). */
export interface OpenApiSchema {
  readonly type?: string | readonly string[];
  readonly properties?: { readonly [name: string]: OpenApiSchema };
  readonly items?: OpenApiSchema | readonly OpenApiSchema[] | null;
  readonly additionalProperties?: boolean | OpenApiSchema | null;
  readonly oneOf?: readonly OpenApiSchema[];
  readonly anyOf?: readonly OpenApiSchema[];
  readonly allOf?: readonly OpenApiSchema[];
  readonly not?: OpenApiSchema;
  readonly required?: readonly string[];
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
}

/** `standalone`: the whole value is one `${e}`. `template`: text with expressions inside. */
export type ExpressionKind = 'standalone' | 'template';

/** A field whose value holds expressions (kro's FieldDescriptor). */
export interface FieldExpression {
  /** kro's field path, e.g. `spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  /** The same path as keys and indexes, relative to the walked value. */
  readonly segments: DocPath;
  readonly kind: ExpressionKind;
  /**
   * kro's `Expression.Original`: the CEL of a standalone `${e}`, or for a template the
   * concatenation kro evaluates, e.g. `"web-" + (schema.spec.name)`.
   */
  readonly expression: string;
  /** kro's `OriginalTemplate`: the string as written; set for templates only. */
  readonly template?: string;
  /** Each `${...}` in the string value, with offsets into it. */
  readonly matches: readonly ExpressionMatch[];
  /** Schema-aware walks: the schema at this field (absent inside schemaless subtrees). */
  readonly schema?: OpenApiSchema;
}

/** A field without expressions (schemaless walks only). */
export interface PlainField {
  readonly path: string;
  readonly segments: DocPath;
}

export interface WalkError {
  /** kro's error text. */
  readonly message: string;
  readonly path: string;
  readonly segments: DocPath;
  /** For a nested `${`: its offset in the string value. */
  readonly offset?: number;
}

export interface SchemalessWalk {
  readonly expressions: FieldExpression[];
  readonly plainFields: PlainField[];
  readonly errors: WalkError[];
}

export interface SchemaWalk {
  readonly expressions: FieldExpression[];
  readonly errors: WalkError[];
}

export interface WalkOptions {
  /** kro field path of the walked value itself (default `''`, the root). */
  readonly path?: string;
  /**
   * Schemaless walks: whether to list the fields without expressions (default true). Callers that
   * do not read them say so: a CRD carried as a template has thousands of them.
   */
  readonly plainFields?: boolean;
}

/** What a string value holds. */
export type StringValue =
  | { readonly kind: 'plain' }
  | {
      readonly kind: ExpressionKind;
      readonly expression: string;
      readonly matches: readonly ExpressionMatch[];
    };

const PLAIN: StringValue = Object.freeze({ kind: 'plain' });
const PLAIN_STRING: ScanResult<StringValue> = Object.freeze({ ok: true, value: PLAIN });

/** Scans one string value: plain text, a standalone expression or a template. */
export function classifyString(str: string): ScanResult<StringValue> {
  const scanned = extractExpressions(str);
  if (!scanned.ok) return scanned;
  const matches = scanned.value;
  if (matches.length === 0) return PLAIN_STRING;
  if (isStandaloneMatch(str, matches)) {
    return { ok: true, value: { kind: 'standalone', expression: matches[0]!.expr, matches } };
  }
  return { ok: true, value: { kind: 'template', expression: buildStringTemplate(str, matches), matches } };
}

/** kro's `ParseSchemalessResource`. */
export function parseSchemalessResource(value: unknown, options: WalkOptions = {}): SchemalessWalk {
  const collectPlain = options.plainFields ?? true;
  // Without plain fields, a value with no `${` in any string finds nothing and fails nowhere: a
  // lean scan settles that first. A CRD carried as a template has thousands of fields and
  // usually no expression, and the scan costs a fraction of the walk.
  if (!collectPlain && !holdsExpression(value)) return { expressions: [], plainFields: [], errors: [] };
  const walker = new Walker(options.path ?? '', collectPlain);
  walker.schemaless(value);
  return { expressions: walker.expressions, plainFields: walker.plainFields, errors: walker.errors };
}

// Whether any string value inside `value` (map keys are never scanned) contains `${`.
function holdsExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (typeof value !== 'object' || value === null) return false;
  // Leaves (most values) are settled in the loops, not by a call each.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (
        typeof v === 'string' ? v.includes('${') : typeof v === 'object' && v !== null && holdsExpression(v)
      )
        return true;
    }
    return false;
  }
  // for-in rather than Object.keys: no key array per object (a CRD carried as a template has
  // thousands). Loaded documents hold plain data, with no enumerable inherited properties.
  const map = value as Readonly<Record<string, unknown>>;
  for (const key in map) {
    const v = map[key];
    if (typeof v === 'string' ? v.includes('${') : typeof v === 'object' && v !== null && holdsExpression(v))
      return true;
  }
  return false;
}
/** kro's `ParseResource`: the walk checked against `schema`. */
export function parseResource(
  value: unknown,
  schema: OpenApiSchema | null | undefined,
  options: WalkOptions = {},
): SchemaWalk {
  const walker = new Walker(options.path ?? '', false);
  walker.typed(value, schema);
  return { expressions: walker.expressions, errors: walker.errors };
}

const ANY = 'any';
const TYPES_ANY: readonly string[] = Object.freeze([ANY]);
const TYPES_STRING_OR_INTEGER: readonly string[] = Object.freeze(['string', 'integer']);

/**
 * kro's `collectTypesFromSubSchemas`: the types a oneOf/anyOf allows, first-seen order. A branch
 * with `required` or `not` constrains an object, so it contributes `object`.
 */
export function collectTypesFromSubSchemas(subSchemas: readonly OpenApiSchema[]): string[] {
  const types: string[] = [];
  for (const sub of subSchemas) {
    if ((Array.isArray(sub.required) && sub.required.length > 0) || isSchema(sub.not)) {
      if (!types.includes('object')) types.push('object');
    }
    for (const t of schemaTypes(sub)) if (t !== '' && !types.includes(t)) types.push(t);
  }
  return types;
}

/**
 * kro's `getExpectedTypes`: the types a literal may have at a field, or undefined for a schema
 * kro cannot type (`unknown schema type`). `any` means unchecked.
 */
export function expectedTypes(schema: OpenApiSchema): readonly string[] | undefined {
  // The same schema objects are walked for every template of a kind, so remember the answer.
  const cached = expectedTypesCache.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  const types = computeExpectedTypes(schema);
  expectedTypesCache.set(schema, types ?? null);
  return types;
}

const expectedTypesCache = new WeakMap<OpenApiSchema, readonly string[] | null>();

function computeExpectedTypes(schema: OpenApiSchema): readonly string[] | undefined {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return TYPES_ANY;
  if (schema['x-kubernetes-int-or-string'] === true) return TYPES_STRING_OR_INTEGER;
  // The two lists in turn, without an array of them and a for-of over it: cold code
  // (docs/architecture.md).
  const oneOf = branchTypes(schema.oneOf);
  if (oneOf !== undefined) return oneOf;
  const anyOf = branchTypes(schema.anyOf);
  if (anyOf !== undefined) return anyOf;
  const types = schemaTypes(schema);
  if (types.length > 0 && types[0] !== '') return types;
  if (additionalPropertiesAllowed(schema)) return TYPES_ANY;
  return undefined;
}

// The types of a oneOf or anyOf list, if it is one and allows any.
function branchTypes(branches: readonly OpenApiSchema[] | undefined): string[] | undefined {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const types = collectTypesFromSubSchemas(branches);
  return types.length > 0 ? types : undefined;
}

/**
 * kro's `parseScalarTypes`: undefined when a number or boolean fits `types`, else kro's error text.
 * Accepts kro's short names `int` and `bool`.
 */
export function checkScalar(value: unknown, types: readonly string[], path: string): string | undefined {
  if (types.includes(ANY)) return undefined;
  for (const expected of types) {
    switch (expected) {
      case 'number':
        if (goKind(value) === 'integer' || goKind(value) === 'float64') return undefined;
        break;
      case 'int':
      case 'integer':
        if (goKind(value) === 'integer') return undefined;
        break;
      case 'boolean':
      case 'bool':
        if (typeof value === 'boolean') return undefined;
        break;
    }
  }
  return mismatch(types, path, goKind(value));
}

/**
 * The type name kro prints for a decoded JSON scalar: `boolean`, `integer`, or Go's `%T`.
 * An integral JS number is an integer: kro decodes `3` (and kubectl sends `3.0` as `3`) to int64.
 */
function goKind(value: unknown): string {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'float64';
    case 'bigint':
      return 'integer';
    case 'string':
      return 'string';
    default:
      return typeof value;
  }
}

function mismatch(types: readonly string[], path: string, got: string): string {
  return `expected ${types.join(' or ')} type for path ${path}, got ${got}`;
}

function isSchema(value: unknown): value is OpenApiSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NO_TYPES: readonly string[] = Object.freeze([]);

/** `type` is a string or a list in JSON (kube-openapi's StringOrArray). */
function schemaTypes(schema: OpenApiSchema): readonly string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? (t as readonly string[]) : NO_TYPES;
}

/** kube-openapi's `len(schema.Type) > 0`, without building the list. */
function hasAnyType(schema: OpenApiSchema): boolean {
  const t = schema.type;
  return typeof t === 'string' || (Array.isArray(t) && t.length > 0);
}

/** `additionalProperties: true` or a schema (kube-openapi's SchemaOrBool with Allows set). */
function additionalPropertiesAllowed(schema: OpenApiSchema): boolean {
  const ap = schema.additionalProperties;
  return ap === true || isSchema(ap);
}

/** kro's field lookup: a declared property, else additionalProperties (`true` is the empty schema). */
function fieldSchema(schema: OpenApiSchema, name: string): OpenApiSchema | undefined {
  const props = schema.properties;
  if (isSchema(props) && Object.hasOwn(props, name)) return props[name];
  const ap = schema.additionalProperties;
  if (isSchema(ap)) return ap;
  if (ap === true) return EMPTY_SCHEMA;
  return undefined;
}

const EMPTY_SCHEMA: OpenApiSchema = Object.freeze({});

/**
 * Whether `typed` finds a string without `${` fine at a field of `schema`, recording nothing: the
 * schema has a type (or what stands for one) and its expected types take a string. Remembered per
 * schema, as expectedTypes is: the same schema objects are walked for every template of a kind.
 */
function takesPlainString(schema: OpenApiSchema | undefined): boolean {
  if (!isSchema(schema)) return false;
  let takes = plainStringTaken.get(schema);
  if (takes === undefined) {
    const typed =
      schema['x-kubernetes-preserve-unknown-fields'] === true ||
      hasAnyType(schema) ||
      (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) ||
      (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) ||
      !(schema.additionalProperties === undefined || schema.additionalProperties === null);
    const expected = typed ? expectedTypes(schema) : undefined;
    takes = expected !== undefined && (expected.includes('string') || expected.includes(ANY));
    plainStringTaken.set(schema, takes);
  }
  return takes;
}

const plainStringTaken = new WeakMap<OpenApiSchema, boolean>();

class Walker {
  readonly expressions: FieldExpression[] = [];
  readonly plainFields: PlainField[] = [];
  readonly errors: WalkError[] = [];
  /** Keys and indexes from the walked root to the current value. */
  private readonly stack: (string | number)[] = [];
  /**
   * kro builds the path string at every step; here it is built only when reported, and cached per
   * depth so siblings reuse their parent's: `paths[d]` is the path of the first d segments, and
   * entries below `validPaths` are current.
   */
  private readonly paths: string[];
  private validPaths = 1;

  constructor(
    basePath: string,
    private readonly collectPlain: boolean,
  ) {
    this.paths = [basePath];
  }

  private push(segment: string | number): void {
    this.stack.push(segment);
    if (this.validPaths > this.stack.length) this.validPaths = this.stack.length;
  }

  private pop(): void {
    // Shorter prefixes stay valid; the entry at the popped depth is invalidated by the next push.
    this.stack.pop();
  }

  private path(): string {
    const depth = this.stack.length;
    for (let d = this.validPaths; d <= depth; d++) {
      const parent = this.paths[d - 1]!;
      const segment = this.stack[d - 1]!;
      this.paths[d] =
        typeof segment === 'number' ? `${parent}[${segment}]` : joinPathAndFieldName(parent, segment);
    }
    this.validPaths = depth + 1;
    return this.paths[depth]!;
  }

  private fail(message: string, offset?: number): void {
    const e: { -readonly [K in keyof WalkError]: WalkError[K] } = {
      message,
      path: this.path(),
      segments: this.stack.slice(),
    };
    if (offset !== undefined) e.offset = offset;
    this.errors.push(e);
  }

  /** Scans a string value and records what it holds. `expected` is undefined in schemaless walks. */
  private string(str: string, expected: readonly string[] | undefined, schema?: OpenApiSchema): void {
    const scanned = classifyString(str);
    if (!scanned.ok) {
      this.fail(scanned.error.message, scanned.error.offset);
      return;
    }
    const value = scanned.value;
    if (value.kind === 'standalone') {
      this.emit(value.kind, value.expression, value.matches, undefined, schema);
      return;
    }
    if (expected !== undefined && !expected.includes('string') && !expected.includes(ANY)) {
      this.fail(mismatch(expected, this.path(), 'string'));
      return;
    }
    if (value.kind === 'template') this.emit(value.kind, value.expression, value.matches, str, schema);
    else if (this.collectPlain) this.plain();
  }

  private emit(
    kind: ExpressionKind,
    expression: string,
    matches: readonly ExpressionMatch[],
    template: string | undefined,
    schema: OpenApiSchema | undefined,
  ): void {
    // Optional keys assigned, not spread from a throw-away object: a template holds hundreds.
    const path = this.path();
    const segments = this.stack.slice();
    const e: { -readonly [K in keyof FieldExpression]: FieldExpression[K] } =
      template === undefined
        ? { path, segments, kind, expression, matches }
        : { path, segments, kind, expression, template, matches };
    if (schema !== undefined) e.schema = schema;
    this.expressions.push(e);
  }

  private plain(): void {
    this.plainFields.push({ path: this.path(), segments: this.stack.slice() });
  }

  schemaless(value: unknown): void {
    // Where plain fields are not listed, a leaf that is not a string holding `${` records nothing:
    // most leaves of a template are such, and are passed over without the push, call and pop of a
    // visit (inline, not a helper: a call is what this spares).
    const lean = !this.collectPlain;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (lean && (typeof v === 'string' ? !v.includes('${') : typeof v !== 'object' || v === null))
          continue;
        this.push(i);
        this.schemaless(v);
        this.pop();
      }
    } else if (isMap(value)) {
      // for-in here and below, not a for-of over Object.keys: no key array per map and no iterator
      // result per key in code V8 has not optimized, which is most code of a short run, and these
      // loops visit every node. Loaded documents hold plain data, with no enumerable inherited
      // properties (as holdsExpression relies on too).
      for (const key in value) {
        const v = value[key];
        if (lean && (typeof v === 'string' ? !v.includes('${') : typeof v !== 'object' || v === null))
          continue;
        this.push(key);
        this.schemaless(v);
        this.pop();
      }
    } else if (typeof value === 'string') {
      // Most strings of a big template hold no expression: skip them before any scanning.
      if (this.collectPlain || value.includes('${')) this.string(value, undefined);
    } else if (this.collectPlain) {
      this.plain();
    }
  }

  typed(value: unknown, schema: OpenApiSchema | null | undefined): void {
    if (!isSchema(schema)) {
      this.fail(`schema is nil for path ${this.path()}`);
      return;
    }
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (
      !preserve &&
      !hasAnyType(schema) &&
      !(Array.isArray(schema.oneOf) && schema.oneOf.length > 0) &&
      !(Array.isArray(schema.anyOf) && schema.anyOf.length > 0) &&
      (schema.additionalProperties === undefined || schema.additionalProperties === null)
    ) {
      this.fail(`schema at path ${this.path()} has no valid type, OneOf, AnyOf, or AdditionalProperties`);
      return;
    }
    const expected = expectedTypes(schema);
    if (expected === undefined) {
      this.fail('unknown schema type');
      return;
    }

    if (typeof value === 'string') {
      this.string(value, expected, schema);
    } else if (Array.isArray(value)) {
      this.array(value, schema, expected, preserve);
    } else if (isMap(value)) {
      this.object(value, schema, expected, preserve);
    } else if (value !== null && value !== undefined) {
      const problem = checkScalar(value, expected, this.path());
      if (problem !== undefined) this.fail(problem);
    }
  }

  private object(
    value: Readonly<Record<string, unknown>>,
    schema: OpenApiSchema,
    expected: readonly string[],
    preserve: boolean,
  ): void {
    if (preserve) {
      this.schemaless(value);
      return;
    }
    if (!expected.includes('object') && !additionalPropertiesAllowed(schema)) {
      this.fail(mismatch(expected, this.path(), 'object'));
      return;
    }
    for (const key in value) {
      const child = fieldSchema(schema, key);
      // A string without `${` where a string will do records nothing: passed over without the
      // push, the walk's checks and the scan of a visit (most leaves of a typed template).
      const v = value[key];
      if (typeof v === 'string' && !this.collectPlain && !v.includes('${') && takesPlainString(child))
        continue;
      if (child === undefined) {
        // kro joins with a plain dot here, unlike everywhere else.
        const path = this.path();
        this.push(key);
        this.fail(`error getting field schema for path ${path}.${key}: schema not found for field ${key}`);
        this.pop();
        continue;
      }
      this.push(key);
      this.typed(v, child);
      this.pop();
    }
  }

  private array(
    value: readonly unknown[],
    schema: OpenApiSchema,
    expected: readonly string[],
    preserve: boolean,
  ): void {
    if (preserve) {
      this.schemaless(value);
      return;
    }
    if (!expected.includes('array')) {
      this.fail(mismatch(expected, this.path(), 'array'));
      return;
    }
    const items = schema.items;
    if (!isSchema(items)) {
      this.fail(
        `invalid array schema for path ${this.path()}: neither Items.Schema nor Properties are defined`,
      );
      return;
    }
    const plainStrings = !this.collectPlain && takesPlainString(items);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      // As in object(): a string without `${` where a string will do is passed over.
      if (plainStrings && typeof v === 'string' && !v.includes('${')) continue;
      this.push(i);
      this.typed(v, items);
      this.pop();
    }
  }
}
