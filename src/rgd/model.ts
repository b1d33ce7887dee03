// The typed model of a ResourceGraphDefinition, as the loader hands it to every later stage.
// Everything is plain data; `loc` answers "where in the file was this?" for error messages.
import type { SourcePos } from '../diagnostics.js';

/** A path into the RGD document: object keys and array indexes, from the document root. */
export type DocPath = readonly (string | number)[];

/** Where each node of one YAML document sits in its file. */
export interface Locator {
  readonly file: string;
  /**
   * Position of the node at `path` (its value by default, or its key). Falls back to the nearest
   * ancestor that exists, so callers can point at a field that is missing.
   */
  at(path: DocPath, part?: 'key' | 'value'): SourcePos;
  /**
   * Position of character `offset` inside the string scalar at `path` (for pointing into a `${...}`).
   * Exact for plain and quoted single-line scalars; falls back to the scalar's start otherwise.
   */
  inString(path: DocPath, offset: number): SourcePos;
  /**
   * For an unquoted scalar at `path`: `<as written> reads as <what kubectl makes of it>`, e.g.
   * `0x1F reads as the number 31`, for messages about a value of the wrong type.
   */
  readAs?(path: DocPath): string | undefined;
}

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type Scope = 'Namespaced' | 'Cluster';

export interface RgdSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** Defaults to `kro.run`, as kro's CRD default does. */
  readonly group: string;
  readonly scope: Scope;
  /** SimpleSchema of the instance spec (raw, as written). */
  readonly spec: JsonObject | null;
  /** Named custom types (raw). */
  readonly types: JsonObject | null;
  /** `${...}` projections into the instance status (raw). */
  readonly status: JsonObject | null;
  readonly additionalPrinterColumns: readonly JsonObject[] | null;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly metadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
}

export interface ForEachDimension {
  readonly name: string;
  /** The raw value, e.g. `${schema.spec.items}`. */
  readonly expression: string;
}

export interface ExternalRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly selector?: JsonObject;
  };
}

export interface RgdResource {
  readonly id: string;
  /** Position in `spec.resources`; kro's topological order breaks ties with it. */
  readonly index: number;
  readonly template: JsonObject | null;
  readonly externalRef: ExternalRef | null;
  readonly readyWhen: readonly string[];
  readonly includeWhen: readonly string[];
  readonly forEach: readonly ForEachDimension[];
}

export interface Rgd {
  /** `metadata.name` of the RGD. */
  readonly name: string;
  readonly file: string;
  /** Index of the document in a multi-document file. */
  readonly docIndex: number;
  readonly schema: RgdSchema;
  readonly resources: readonly RgdResource[];
  /** The whole document as JSON, e.g. for embedding in generated code or bundles. */
  readonly raw: JsonObject;
  readonly loc: Locator;
}
