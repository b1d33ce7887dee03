// The instance CRD kro generates for an RGD: names from the kind (flect plural), one served and
// stored version with a status subresource, the SimpleSchema as `spec`, the status schema, and
// printer columns. Keys follow Kubernetes' usual order (apiVersion, kind, metadata, spec) and, below
// that, the field order of the Go types, so output is byte-for-byte stable.
import { type Diagnostic, error, quoted } from '../diagnostics.js';
import { setOwn } from '../json.js';
import type { DocPath, JsonObject, JsonValue, Rgd, Scope } from '../rgd/model.js';
import { instanceSchemaOf } from './build.js';
import { defaultConditionsSchema, defaultPrinterColumns, defaultStateSchema } from './crd-defaults.js';
import { compareGoStrings } from './gostrconv.js';
import type { InstanceSchema } from './model.js';
import { normalizeSchemaProps, orderKeys, specToOpenAPI } from './openapi.js';
import { pluralize } from './pluralize.js';
import { statusSchemaFromTemplate } from './status.js';

export interface CrdOptions {
  /**
   * JSONSchemaProps of the instance status (`{type: object, properties: {...}}`), as inferred from the
   * types of the `schema.status` expressions. Without it every status field is left open.
   */
  readonly statusSchema?: JsonObject;
  /**
   * Add `kro.run/owned: "true"` and `kro.run/resource-graph-definition-name`, so a CRD applied ahead of
   * kro is adopted by the RGD instead of refused as "not owned by KRO". Off by default: `kro generate
   * crd` prints no ownership labels.
   */
  readonly kroOwnedLabels?: boolean;
}

export interface BuiltCrd {
  readonly crd: JsonObject;
  /** The instance schema model the CRD's `spec` came from. */
  readonly schema: InstanceSchema;
  readonly diagnostics: readonly Diagnostic[];
}

export const KRO_OWNED_LABEL = 'kro.run/owned';
export const RGD_NAME_LABEL = 'kro.run/resource-graph-definition-name';

/** The CRD kro creates for `rgd`. */
export function buildCrd(rgd: Rgd, opts: CrdOptions = {}): BuiltCrd {
  const built = instanceSchemaOf(rgd);
  const settings = crdSettings(rgd);
  const diagnostics: Diagnostic[] = [...built.diagnostics, ...settings.diagnostics];
  const s = rgd.schema;
  const labels: Record<string, string> = { ...s.metadata.labels };
  if (opts.kroOwnedLabels) {
    labels[KRO_OWNED_LABEL] = 'true';
    labels[RGD_NAME_LABEL] = rgd.name;
  }
  const crd = newCrd({
    group: s.group,
    apiVersion: s.apiVersion,
    kind: s.kind,
    scope: s.scope,
    openAPIV3Schema: newCrdSchema(
      specToOpenAPI(built.schema),
      opts.statusSchema ?? statusSchemaFromTemplate(s.status),
      true,
    ),
    shortNames: s.shortNames,
    categories: s.categories,
    additionalPrinterColumns: settings.columns,
    labels,
    annotations: s.metadata.annotations,
  });
  return { crd, schema: built.schema, diagnostics };
}

/**
 * The problems of the CRD's own settings (printer columns, plural name), which are what buildCrd
 * finds beyond the SimpleSchema's problems (instanceSchemaOf's, which buildGraph reports too): for
 * the commands that build the graph and need no CRD, without building the schema and CRD again.
 */
export function crdChecks(rgd: Rgd): readonly Diagnostic[] {
  return crdSettings(rgd).diagnostics;
}

function crdSettings(rgd: Rgd): { columns: JsonObject[] | null; diagnostics: Diagnostic[] } {
  const at: DocPath = ['spec', 'schema'];
  const diagnostics: Diagnostic[] = [];
  const s = rgd.schema;
  const columns = printerColumns(s.additionalPrinterColumns, (i, field, message) => {
    const entry: DocPath = [...at, 'additionalPrinterColumns', i];
    const pos = rgd.loc.at(field === undefined ? entry : [...entry, field]);
    diagnostics.push(error(message, pos, 'crd/invalid-printer-column'));
  });
  const plural = pluralize(s.kind.toLowerCase());
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(plural) || plural.length > 63) {
    // flect upper-cases words it knows as acronyms, so e.g. kind `Dns` pluralizes to `dnsDNSes`, a name
    // the API server refuses; kro would only fail when installing the CRD.
    diagnostics.push(
      error(
        `kind ${s.kind} pluralizes to ${JSON.stringify(plural)} (as kro computes it), which is not a valid CRD plural name (a lowercase DNS label); choose another kind`,
        rgd.loc.at([...at, 'kind']),
        'crd/invalid-plural',
      ),
    );
  }
  return { columns, diagnostics };
}

/** kro's `SynthesizeCRD`: the CRD from spec and status schemas plus the RGD schema's CRD settings. */
export function synthesizeCrd(
  input: Omit<NewCrdInput, 'openAPIV3Schema'> & {
    readonly spec: JsonObject;
    readonly status: JsonObject;
    readonly statusFieldsOverride: boolean;
  },
): JsonObject {
  const { spec, status, statusFieldsOverride, ...rest } = input;
  return newCrd({ ...rest, openAPIV3Schema: newCrdSchema(spec, status, statusFieldsOverride) });
}

export interface NewCrdInput {
  readonly group: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope?: Scope | '';
  readonly openAPIV3Schema: JsonObject;
  readonly shortNames?: readonly string[] | null;
  readonly categories?: readonly string[] | null;
  /** Null or empty: kro's default columns. */
  readonly additionalPrinterColumns?: readonly JsonObject[] | null;
  readonly labels?: Readonly<Record<string, string>> | null;
  readonly annotations?: Readonly<Record<string, string>> | null;
}

/** The CRD object around a finished `openAPIV3Schema` (kro's `newCRD`). */
export function newCrd(input: NewCrdInput): JsonObject {
  const kind = input.kind;
  const plural = pluralize(kind.toLowerCase());
  const metadata: JsonObject = { name: `${plural}.${input.group}` };
  // Empty maps and lists are left out, as Go's omitempty does.
  const labels = sortedMap(input.labels);
  if (labels) metadata['labels'] = labels;
  const annotations = sortedMap(input.annotations);
  if (annotations) metadata['annotations'] = annotations;

  const names: JsonObject = { plural, singular: kind.toLowerCase() };
  if (input.shortNames && input.shortNames.length > 0) names['shortNames'] = [...input.shortNames];
  names['kind'] = kind;
  names['listKind'] = `${kind}List`;
  if (input.categories && input.categories.length > 0) names['categories'] = [...input.categories];

  const columns =
    input.additionalPrinterColumns && input.additionalPrinterColumns.length > 0
      ? input.additionalPrinterColumns.map((c) => ({ ...c }))
      : defaultPrinterColumns();

  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: input.group,
      names,
      scope: input.scope || 'Namespaced',
      versions: [
        {
          name: input.apiVersion,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: input.openAPIV3Schema },
          subresources: { status: {} },
          additionalPrinterColumns: columns,
        },
      ],
    },
  };
}

/**
 * The CRD's `openAPIV3Schema` (kro's `newCRDSchema`): apiVersion, kind, metadata, the spec schema and
 * the status schema, to which `state` and `conditions` are added unless present when
 * `statusFieldsOverride` is set (kro always sets it for the CRD it installs).
 */
export function newCrdSchema(
  spec: JsonObject,
  status: JsonObject,
  statusFieldsOverride: boolean,
): JsonObject {
  const statusProps: JsonObject = {
    ...((isObject(status['properties']) ? status['properties'] : {}) as JsonObject),
  };
  if (statusFieldsOverride) {
    if (!('state' in statusProps)) statusProps['state'] = defaultStateSchema();
    if (!('conditions' in statusProps)) statusProps['conditions'] = defaultConditionsSchema();
  }
  const fullStatus = normalizeSchemaProps({ ...status, properties: statusProps });
  if (Object.keys(statusProps).length === 0) delete fullStatus['properties'];
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: normalizeSchemaProps(spec),
      status: fullStatus,
    },
  };
}

const COLUMN_KEYS = ['name', 'type', 'format', 'description', 'priority', 'jsonPath'];

/**
 * The RGD's printer columns as the CRD carries them: known fields only, in Go field order, `priority`
 * dropped when 0 (omitempty). Columns missing a required field are reported and left out. `report`
 * gets the field a problem is about (undefined when the column lacks it: the column itself).
 */
export function printerColumns(
  raw: readonly JsonObject[] | null | undefined,
  report: (index: number, field: string | undefined, message: string) => void = () => {},
): JsonObject[] | null {
  if (!raw) return null;
  const out: JsonObject[] = [];
  raw.forEach((col, i) => {
    const missing = ['name', 'type', 'jsonPath'].filter((k) => typeof col[k] !== 'string' || col[k] === '');
    if (missing.length > 0) {
      // A field written with an empty or non-string value is where the problem is.
      const written = missing.find((k) => Object.hasOwn(col, k) && col[k] !== null);
      report(
        i,
        written,
        `additionalPrinterColumns[${i}]: ${missing.join(', ')} must be set to a non-empty string`,
      );
      return;
    }
    const problems = columnProblems(col);
    if (problems.length > 0) {
      for (const p of problems) report(i, p.field, `additionalPrinterColumns[${i}].${p.field}: ${p.message}`);
      return;
    }
    const known: JsonObject = {};
    for (const k of COLUMN_KEYS) {
      const v = col[k];
      if (v === undefined || v === null || (k === 'priority' && v === 0) || v === '') continue;
      setOwn(known, k, v);
    }
    out.push(orderKeys(known, COLUMN_KEYS));
  });
  return out;
}

// What the API server checks of a printer column beyond presence (apiextensions validation,
// ValidateCustomResourceColumnDefinition), in its words; sets listed sorted, as it lists them.
const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function columnProblems(col: JsonObject): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const type = col.type as string;
  if (!COLUMN_TYPES.includes(type))
    out.push({
      field: 'type',
      message: `Invalid value: ${quoted(type)}: must be one of ${COLUMN_TYPES.join(',')}`,
    });
  const format = col.format;
  if (typeof format === 'string' && format !== '' && !COLUMN_FORMATS.includes(format))
    out.push({
      field: 'format',
      message: `Invalid value: ${quoted(format)}: must be one of ${COLUMN_FORMATS.join(',')}`,
    });
  const path = col.jsonPath as string;
  if (!path.startsWith('.'))
    out.push({
      field: 'jsonPath',
      message: `Invalid value: ${quoted(path)}: must be a simple json path starting with .`,
    });
  return out;
}

function sortedMap(m: Readonly<Record<string, string>> | null | undefined): JsonObject | undefined {
  if (!m) return undefined;
  const keys = Object.keys(m).sort(compareGoStrings);
  if (keys.length === 0) return undefined;
  const out: JsonObject = {};
  for (const k of keys) setOwn(out, k, m[k] as string);
  return out;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
