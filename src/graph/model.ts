// The resource graph of one RGD, as buildGraph hands it to later stages (synth evaluates it,
// codegen embeds it, `kro-gen graph` draws it). Plain JSON-serialisable data; docs/graph.md
// describes every field.
import type { CelType } from '../cel/types.js';
import type { SourcePos } from '../diagnostics.js';
import type { DocPath, ExternalRef, JsonObject } from '../rgd/model.js';
import type { KindSource } from '../schema/resolver.js';

/** kro's variable kinds: static reads only `schema`, dynamic reads other resources, iteration reads forEach iterators. */
export type VariableKind = 'static' | 'dynamic' | 'iteration';

/** kro's node types. */
export type NodeType = 'resource' | 'collection' | 'external' | 'externalCollection';

/** One `${...}` inside a field value. */
export interface ExpressionPart {
  /** The CEL text between `${` and `}`. */
  readonly expression: string;
  /** Offsets of `${` and just after `}` in the field's string value. */
  readonly start: number;
  readonly end: number;
  readonly pos?: SourcePos;
  /** The checked result type (absent when the expression could not be checked). */
  readonly type?: CelType;
}

/** A field whose value holds expressions. */
export interface FieldVariable {
  /** kro's field path inside the object (`spec.containers[0].image`, `metadata.labels["a.b"]`). */
  readonly path: string;
  /** The same path as keys and indexes, relative to the object (template or status). */
  readonly segments: DocPath;
  /**
   * kro's expression text: the CEL of a standalone `${e}`, or for a string template the
   * concatenation `"lit" + (e1) + (e2)` kro evaluates.
   */
  readonly expression: string;
  /** The whole value is one `${...}`: the field takes the result's type. Otherwise a string template. */
  readonly standalone: boolean;
  readonly parts: readonly ExpressionPart[];
  readonly kind: VariableKind;
  /** Identifiers read: resource ids, `schema`, iterators, in first-use order. */
  readonly references: readonly string[];
  /** Position of the first `${`. */
  readonly pos?: SourcePos;
  /** The type the field expects (templates only; absent when unknown). */
  readonly expectedType?: CelType;
}

/** A readyWhen / includeWhen entry or a forEach dimension's list expression. */
export interface GraphExpression {
  /** The CEL text, without `${}`. */
  readonly expression: string;
  readonly references: readonly string[];
  readonly pos?: SourcePos;
  readonly type?: CelType;
}

export interface ForEachDimension {
  readonly name: string;
  readonly expression: GraphExpression;
  /** The iterator's type: the list's element type. */
  readonly elementType?: CelType;
}

export interface GraphResource {
  readonly id: string;
  /** Position in `spec.resources`. */
  readonly index: number;
  readonly type: NodeType;
  readonly apiVersion: string;
  readonly kind: string;
  /** From the schema source; undefined when the kind is unknown. */
  readonly namespaced?: boolean;
  /** Where the kind's schema came from; undefined when unknown (then expressions on it are dyn). */
  readonly kindSource?: KindSource;
  readonly template: JsonObject | null;
  readonly externalRef: ExternalRef | null;
  /** Ids this resource depends on (templates, forEach, includeWhen; not readyWhen), first-use order. */
  readonly dependencies: readonly string[];
  readonly variables: readonly FieldVariable[];
  readonly readyWhen: readonly GraphExpression[];
  readonly includeWhen: readonly GraphExpression[];
  readonly forEach: readonly ForEachDimension[];
  /** Position of the resource's `id`. */
  readonly pos?: SourcePos;
}

export interface GraphCondition {
  /** The CEL text of one `status.conditions` entry. */
  readonly expression: string;
  readonly references: readonly string[];
  readonly pos?: SourcePos;
}

export interface GraphInstance {
  readonly group: string;
  readonly version: string;
  /** `group/version`. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** CEL type of the `schema` variable (instance without status). */
  readonly schemaType: CelType;
  /** OpenAPI schema of the instance `spec`, from the SimpleSchema. */
  readonly specSchema: JsonObject;
  /** `schema.status` fields with expressions (paths relative to `status`). */
  readonly statusVariables: readonly FieldVariable[];
  /** `schema.status.conditions` entries. */
  readonly conditions: readonly GraphCondition[];
  /** Resources the status reads (kro's instance node dependencies). */
  readonly dependencies: readonly string[];
  /** The status schema inferred from the status expressions' types, without kro's defaults. */
  readonly statusSchema: JsonObject;
}

export interface Graph {
  /** `metadata.name` of the RGD. */
  readonly name: string;
  readonly file: string;
  readonly instance: GraphInstance;
  /** In declaration order. */
  readonly resources: readonly GraphResource[];
  /** kro's topological order (dependencies first, ties by declaration order); empty when cyclic. */
  readonly topologicalOrder: readonly string[];
  /** Forward apply layers: each resource as early as its dependencies allow. */
  readonly layers: readonly (readonly string[])[];
  /** kro's `internal.kro.run/apply-order` numbers (deletion waves: leaves highest). */
  readonly applyOrders: Readonly<Record<string, number>>;
}
