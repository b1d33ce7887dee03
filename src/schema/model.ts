// The typed schema model: what a SimpleSchema (`spec.schema.spec` + `spec.schema.types`) means once
// kro's grammar, custom types and markers have been resolved. Later stages read it instead of the raw
// strings: codegen emits TS types from it, CEL types `schema.spec.*` from it, synth applies defaults.
import type { DocPath, JsonValue } from '../rgd/model.js';

/** One `x-kubernetes-validations` entry. */
export interface ValidationRule {
  readonly rule: string;
  readonly message: string;
}

export type ListType = 'atomic' | 'set' | 'map';

/** What every node carries, whatever its kind. */
export interface NodeCommon {
  /**
   * Where the text that defines this node sits in the RGD: the field's value string, or the entry
   * under `types` for the fields of an inlined custom type.
   */
  readonly path: DocPath;
  /** The custom type (from `schema.types`) this node was resolved from, if any. */
  readonly typeName?: string;
  /** Listed in its parent struct's `required` (always false for array items and map values). */
  readonly required: boolean;
  readonly description?: string;
  /** Already parsed: a string default is a JS string, `{}` an object, and so on. */
  readonly default?: JsonValue;
  /** kro accepts these on any type (it does not check), so every node may carry them. */
  readonly minimum?: number;
  readonly maximum?: number;
  /**
   * Every `x-kubernetes-validations` rule in marker order, including the `self == oldSelf` rule that
   * `immutable=true` adds (kro interleaves them, and the order is visible in the CRD).
   */
  readonly validations: readonly ValidationRule[];
  readonly immutable: boolean;
}

export interface StringNode extends NodeCommon {
  readonly kind: 'string';
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface IntegerNode extends NodeCommon {
  readonly kind: 'integer';
  /** int64 values beyond 2^53 are bigints (src/rgd/int64.ts). */
  readonly enum?: readonly (number | bigint)[];
}

/** SimpleSchema `float`, OpenAPI `number`. */
export interface FloatNode extends NodeCommon {
  readonly kind: 'float';
}

export interface BooleanNode extends NodeCommon {
  readonly kind: 'boolean';
}

/** SimpleSchema `object`: any object, unknown fields preserved. */
export interface OpenObjectNode extends NodeCommon {
  readonly kind: 'object';
}

export interface ArrayNode extends NodeCommon {
  readonly kind: 'array';
  readonly items: SchemaNode;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly listType?: ListType;
  readonly listMapKeys?: readonly string[];
}

/** `map[string]T`: string keys, values of one type. */
export interface MapNode extends NodeCommon {
  readonly kind: 'map';
  readonly values: SchemaNode;
}

export interface StructField {
  readonly name: string;
  readonly node: SchemaNode;
}

/** A nested map of fields in the SimpleSchema, or a struct custom type. */
export interface StructNode extends NodeCommon {
  readonly kind: 'struct';
  /** In declaration order. */
  readonly fields: readonly StructField[];
  /** Names of required fields, sorted as kro sorts them (byte order). */
  readonly requiredFields: readonly string[];
}

export type SchemaNode =
  | StringNode
  | IntegerNode
  | FloatNode
  | BooleanNode
  | OpenObjectNode
  | ArrayNode
  | MapNode
  | StructNode;

export type SchemaNodeKind = SchemaNode['kind'];

export interface NamedType {
  readonly name: string;
  readonly node: SchemaNode;
}

/** The resolved schema of an RGD's instances. */
export interface InstanceSchema {
  /** The instance `spec`; kro always makes it an object, even when `schema.spec` is absent. */
  readonly spec: StructNode;
  /**
   * Custom types in declaration order, resolved (other types inlined). A type alias's `required`
   * says whether `required=true` was on the alias, i.e. whether fields using it become required.
   */
  readonly types: readonly NamedType[];
}

/** The OpenAPI `type` a node kind maps to (what kro's marker rules test). */
export function openApiType(
  kind: SchemaNodeKind,
): 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' {
  switch (kind) {
    case 'string':
    case 'integer':
    case 'boolean':
    case 'array':
      return kind;
    case 'float':
      return 'number';
    case 'object':
    case 'map':
    case 'struct':
      return 'object';
  }
}

/** The field named `name` of a struct node, if any. */
export function fieldOf(node: StructNode, name: string): SchemaNode | undefined {
  return node.fields.find((f) => f.name === name)?.node;
}
