// RGD JSON -> the typed model of model.ts. Lenient on purpose: it never fails, so that validation can
// report every problem; a field of the wrong type reads as absent. Only a document without validation
// errors gives a model later stages can trust.
import { setOwn } from '../json.js';
import type {
  ExternalRef,
  ForEachDimension,
  JsonObject,
  JsonValue,
  Locator,
  Rgd,
  RgdResource,
  RgdSchema,
  Scope,
} from './model.js';

export const DEFAULT_GROUP = 'kro.run';
export const DEFAULT_SCOPE: Scope = 'Namespaced';

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function map(v: JsonValue | undefined): JsonObject | null {
  return isMap(v) ? v : null;
}

// Plain loops rather than filter and forEach with closures: these run for every resource.
function strings(v: JsonValue | undefined): string[] {
  const out: string[] = [];
  if (Array.isArray(v))
    for (let i = 0; i < v.length; i++) if (typeof v[i] === 'string') out.push(v[i] as string);
  return out;
}

function stringRecord(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, s] of Object.entries(v)) if (typeof s === 'string') setOwn(out, k, s);
  return out;
}

function buildSchema(v: JsonValue | undefined): RgdSchema {
  const s = map(v) ?? {};
  const metadata = map(s['metadata']) ?? {};
  const columns = s['additionalPrinterColumns'];
  return {
    apiVersion: str(s['apiVersion']),
    kind: str(s['kind']),
    // kro's CRD defaults `group` only when it is absent.
    group: typeof s['group'] === 'string' ? s['group'] : DEFAULT_GROUP,
    scope: s['scope'] === 'Cluster' ? 'Cluster' : DEFAULT_SCOPE,
    spec: map(s['spec']),
    types: map(s['types']),
    status: map(s['status']),
    additionalPrinterColumns: Array.isArray(columns) ? columns.filter(isMap) : null,
    shortNames: strings(s['shortNames']),
    categories: strings(s['categories']),
    metadata: {
      labels: stringRecord(metadata['labels']),
      annotations: stringRecord(metadata['annotations']),
    },
  };
}

function buildExternalRef(v: JsonValue | undefined): ExternalRef | null {
  if (!isMap(v)) return null;
  const metadata = map(v['metadata']) ?? {};
  const selector = map(metadata['selector']);
  return {
    apiVersion: str(v['apiVersion']),
    kind: str(v['kind']),
    metadata: {
      ...(typeof metadata['name'] === 'string' ? { name: metadata['name'] } : {}),
      ...(typeof metadata['namespace'] === 'string' ? { namespace: metadata['namespace'] } : {}),
      ...(selector ? { selector } : {}),
    },
  };
}

function buildForEach(v: JsonValue | undefined): ForEachDimension[] {
  const out: ForEachDimension[] = [];
  if (!Array.isArray(v)) return out;
  for (const dimension of v) {
    if (!isMap(dimension)) continue;
    for (const [name, expression] of Object.entries(dimension)) {
      if (typeof expression === 'string') out.push({ name, expression });
    }
  }
  return out;
}

function buildResource(v: JsonObject, index: number): RgdResource {
  return {
    id: str(v['id']),
    index,
    template: map(v['template']),
    externalRef: buildExternalRef(v['externalRef']),
    readyWhen: strings(v['readyWhen']),
    includeWhen: strings(v['includeWhen']),
    forEach: buildForEach(v['forEach']),
  };
}

/** The model of one RGD document. */
export function buildRgdModel(raw: JsonObject, loc: Locator, docIndex: number): Rgd {
  const metadata = map(raw['metadata']) ?? {};
  const spec = map(raw['spec']) ?? {};
  const resources: RgdResource[] = [];
  const list = spec['resources'];
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (isMap(r)) resources.push(buildResource(r, i));
    }
  }
  return {
    name: str(metadata['name']),
    file: loc.file,
    docIndex,
    schema: buildSchema(spec['schema']),
    resources,
    raw,
    loc,
  };
}
