// What kro does with an RGD's instance CRD when the RGD changes: the API server refuses a changed
// kind, group, apiVersion or scope (kro's RGD CRD marks them immutable); otherwise kro compares the
// stored CRD with the new one (crd-compat.ts) and refuses breaking changes unless the RGD carries
// `kro.run/allow-breaking-changes: "true"`.
import type { SourcePos } from '../diagnostics.js';
import type { DocPath, JsonObject, JsonValue, Rgd } from '../rgd/model.js';
import { buildCrd } from '../schema/crd.js';
import {
  type CompatChange,
  type CompatReport,
  compareVersions,
  describeChange,
  summarizeReport,
} from './crd-compat.js';
import type { CrdChange, CrdDiff } from './report.js';

export const ALLOW_BREAKING_ANNOTATION = 'kro.run/allow-breaking-changes';

/** An RGD and, when its graph built cleanly, the status schema kro infers from it. */
export interface CrdSide {
  readonly rgd: Rgd;
  readonly statusSchema?: JsonObject;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kro reads the annotation from the RGD's own metadata, and only the exact value "true" counts. */
export function allowsBreakingChanges(rgd: Rgd): boolean {
  const metadata = rgd.raw['metadata'];
  const annotations = isObject(metadata) ? metadata['annotations'] : undefined;
  return isObject(annotations) && annotations[ALLOW_BREAKING_ANNOTATION] === 'true';
}

function crdOf(side: CrdSide): JsonObject {
  return buildCrd(side.rgd, side.statusSchema ? { statusSchema: side.statusSchema } : {}).crd;
}

/** The name of the CRD kro creates for the RGD: `<plural>.<group>`. */
export function crdNameOf(side: CrdSide): string {
  return crdName(crdOf(side));
}

function crdName(crd: JsonObject): string {
  const metadata = crd['metadata'];
  return isObject(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : '';
}

function versions(crd: JsonObject): JsonObject[] {
  const spec = crd['spec'];
  const list = isObject(spec) ? spec['versions'] : undefined;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

const IDENTITY: readonly { field: 'kind' | 'group' | 'apiVersion' | 'scope' }[] = [
  { field: 'kind' },
  { field: 'group' },
  { field: 'apiVersion' },
  { field: 'scope' },
];

/**
 * The schema identity fields the API server will not let change: kro's RGD CRD validates each with
 * `self == oldSelf` ("kind is immutable"), so the update is refused before kro sees it.
 */
function identityChanges(oldRgd: Rgd, newRgd: Rgd): CrdChange[] {
  const out: CrdChange[] = [];
  for (const { field } of IDENTITY) {
    const from = oldRgd.schema[field];
    const to = newRgd.schema[field];
    if (from === to) continue;
    out.push({
      path: `spec.schema.${field}`,
      field: `schema.${field}`,
      type: 'IMMUTABLE_FIELD_CHANGED',
      breaking: true,
      allowed: false,
      message: `changed from ${from} to ${to}: ${field} is immutable, the API server refuses the RGD update`,
      pos: newRgd.loc.at(['spec', 'schema', field]),
    });
  }
  return out;
}

/** The API server's error for immutable schema fields, as `kubectl apply` reports it. */
function identityRefusal(rgd: Rgd, changes: readonly CrdChange[]): string {
  const causes = changes.map((c) => {
    const field = c.path.slice('spec.schema.'.length) as 'kind' | 'group' | 'apiVersion' | 'scope';
    return `${c.path}: Invalid value: ${JSON.stringify(rgd.schema[field])}: ${field} is immutable`;
  });
  const list = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
  return `ResourceGraphDefinition.kro.run ${JSON.stringify(rgd.name)} is invalid: ${list}`;
}

/** What re-creating the RGD (the only way to change its identity) does, verified against kro v0.9.3. */
function recreateNote(newCrdName: string, oldCrdName: string): string {
  return oldCrdName === newCrdName
    ? `To change it, delete and re-create the RGD; kro then updates the CRD ${newCrdName}.`
    : `To change it, delete and re-create the RGD: kro then creates the CRD ${newCrdName} and leaves the CRD ${oldCrdName}, its instances and their objects in place, no longer reconciled (kro deletes CRDs only when started with --allow-crd-deletion).`;
}

/** Where a kro compat path (`.properties.spec.properties.a.items.properties.b.type`) points. */
export function fieldOfPath(path: string): { field: string; names: string[] } {
  const parts = path.split('.').filter((p) => p !== '');
  const names: string[] = [];
  let field = '';
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'properties' && i + 1 < parts.length) {
      const name = parts[++i] as string;
      names.push(name);
      field += field === '' ? name : `.${name}`;
    } else if (parts[i] === 'items') {
      names.push('[]');
      field += '[]';
    } else if (parts[i] === 'version') {
      return { field: parts.slice(i).join('.'), names: [] };
    } else {
      break;
    }
  }
  return { field, names };
}

/** The custom type a SimpleSchema string names (`[]Server | required=true` names `Server`). */
function typeNameOf(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  let t = (v.split('|')[0] ?? '').trim();
  for (;;) {
    if (t.startsWith('[]')) t = t.slice(2);
    else if (t.startsWith('map[string]')) t = t.slice('map[string]'.length);
    else return t;
  }
}

/**
 * The YAML position in `rgd` of the SimpleSchema field a compat change names: through custom types
 * (`types:`), to the nearest field that exists (a removed field points at its parent).
 */
export function positionOfField(rgd: Rgd, names: readonly string[]): SourcePos {
  const root = names[0];
  if (root !== 'spec' && root !== 'status') return rgd.loc.at(['spec', 'schema']);
  let at: DocPath = ['spec', 'schema', root];
  let node: JsonValue | undefined = rgd.schema[root] ?? undefined;
  const types = rgd.schema.types ?? {};
  for (const name of names.slice(1)) {
    if (name === '[]') continue;
    const custom = typeNameOf(node);
    if (custom !== undefined && Object.hasOwn(types, custom)) {
      at = ['spec', 'schema', 'types', custom];
      node = types[custom];
    }
    if (!isObject(node) || !Object.hasOwn(node, name)) break;
    at = [...at, name];
    node = node[name];
  }
  return rgd.loc.at(at, 'key');
}

function toCrdChange(c: CompatChange, breaking: boolean, allowed: boolean, newRgd: Rgd): CrdChange {
  const { field, names } = fieldOfPath(c.path);
  return {
    path: c.path,
    field,
    type: c.type,
    breaking,
    allowed: breaking && allowed,
    message: describeChange(c),
    pos: positionOfField(newRgd, names),
  };
}

/** The CRD part of the diff: every change kro's check finds, and whether kro would apply the update. */
export function diffCrd(oldSide: CrdSide, newSide: CrdSide): CrdDiff {
  const oldCrd = crdOf(oldSide);
  const newCrd = crdOf(newSide);
  const name = crdName(newCrd);
  const oldName = crdName(oldCrd);
  const identity = identityChanges(oldSide.rgd, newSide.rgd);
  if (identity.length > 0) {
    return {
      name,
      ...(oldName !== name ? { oldName } : {}),
      accepted: false,
      refusal: identityRefusal(newSide.rgd, identity),
      note: recreateNote(name, oldName),
      changes: identity,
    };
  }
  const result = compareVersions(versions(oldCrd), versions(newCrd));
  // kro-gen's CRDs always have one version with a schema; kro's error case cannot arise.
  const report: CompatReport = 'report' in result ? result.report : { breaking: [], nonBreaking: [] };
  const allowed = allowsBreakingChanges(newSide.rgd);
  const changes = [
    ...report.breaking.map((c) => toCrdChange(c, true, allowed, newSide.rgd)),
    ...report.nonBreaking.map((c) => toCrdChange(c, false, allowed, newSide.rgd)),
  ];
  const refused = report.breaking.length > 0 && !allowed;
  return {
    name,
    accepted: !refused,
    ...(refused
      ? { refusal: `cannot update CRD ${name}: breaking changes detected: ${summarizeReport(report)}` }
      : {}),
    changes,
  };
}
