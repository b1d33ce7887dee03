// kro's CRD compatibility check (kro v0.9.3, pkg/graph/crd/compat): before kro updates an instance
// CRD it compares the stored version's OpenAPI schema with the new one and refuses the update when a
// change is breaking, unless the RGD allows breaking changes. Same classification, same change types
// and the same report texts as kro. Where kro walks Go maps (in random order) we walk property names
// in Go's string order, so reports are deterministic.
import { goJsonFloat, goJsonQuote } from '../cel/lib/kro-gojson.js';
import { compareGoStrings } from '../schema/gostrconv.js';

/** kro's `ChangeType` values. */
export type CompatChangeType =
  | 'PROPERTY_REMOVED'
  | 'TYPE_CHANGED'
  | 'REQUIRED_ADDED'
  | 'ENUM_RESTRICTED'
  | 'PATTERN_CHANGED'
  | 'PATTERN_ADDED'
  | 'REQUIRED_DEFAULT_REMOVED'
  | 'PROPERTY_ADDED'
  | 'DESCRIPTION_CHANGED'
  | 'DEFAULT_CHANGED'
  | 'REQUIRED_REMOVED'
  | 'ENUM_EXPANDED'
  | 'PATTERN_REMOVED'
  | `${ConstraintPrefix}_${'ADDED' | 'REMOVED' | 'INCREASED' | 'DECREASED'}`;

type ConstraintPrefix = 'MINIMUM' | 'MAXIMUM' | 'MIN_LENGTH' | 'MAX_LENGTH' | 'MIN_ITEMS' | 'MAX_ITEMS';

export interface CompatChange {
  /** kro's path: `.properties.spec.properties.replicas.type` (relative to where the walk started). */
  readonly path: string;
  readonly type: CompatChangeType;
  readonly oldValue: string;
  readonly newValue: string;
}

export interface CompatReport {
  readonly breaking: CompatChange[];
  readonly nonBreaking: CompatChange[];
}

/** A JSONSchemaProps as JSON (absent fields are Go's zero values). */
export type SchemaProps = { readonly [key: string]: unknown };

/** One entry of a CRD's `spec.versions`. */
export type CrdVersion = { readonly [key: string]: unknown };

function emptyReport(): CompatReport {
  return { breaking: [], nonBreaking: [] };
}

function addBreaking(r: CompatReport, path: string, type: CompatChangeType, oldValue = '', newValue = '') {
  r.breaking.push({ path, type, oldValue, newValue });
}

function addNonBreaking(r: CompatReport, path: string, type: CompatChangeType, oldValue = '', newValue = '') {
  r.nonBreaking.push({ path, type, oldValue, newValue });
}

function merge(into: CompatReport, from: CompatReport): void {
  into.breaking.push(...from.breaking);
  into.nonBreaking.push(...from.nonBreaking);
}

function str(s: SchemaProps, key: string): string {
  const v = s[key];
  return typeof v === 'string' ? v : '';
}

function num(s: SchemaProps, key: string): number | undefined {
  const v = s[key];
  return typeof v === 'number' ? v : undefined;
}

function props(s: SchemaProps): Record<string, SchemaProps> {
  const v = s['properties'];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, SchemaProps>) : {};
}

function list(s: SchemaProps, key: string): readonly unknown[] {
  const v = s[key];
  return Array.isArray(v) ? v : [];
}

function has(s: SchemaProps, key: string): boolean {
  return Object.hasOwn(s, key) && s[key] !== undefined;
}

function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareGoStrings);
}

/**
 * A JSON value as Go's `json.Marshal` writes it (keys sorted, HTML characters escaped): kro compares
 * defaults and enum values by their raw JSON bytes, and its report texts quote them.
 */
export function rawJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJsonFloat(v);
  if (typeof v === 'string') return goJsonQuote(v);
  if (Array.isArray(v)) return `[${v.map(rawJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${goJsonQuote(k)}:${rawJson(o[k])}`).join(',')}}`;
}

function defaultOf(s: SchemaProps): string | undefined {
  return has(s, 'default') ? rawJson(s['default']) : undefined;
}

/** kro's `Compare`: every change between two schemas, breaking or not. */
export function compareSchemas(
  oldSchema: SchemaProps | undefined,
  newSchema: SchemaProps | undefined,
): CompatReport {
  return compare('', oldSchema, newSchema);
}

function compare(path: string, oldS: SchemaProps | undefined, newS: SchemaProps | undefined): CompatReport {
  const r = emptyReport();
  if (oldS === undefined && newS === undefined) return r;
  if (oldS === undefined) {
    addNonBreaking(r, path, 'PROPERTY_ADDED');
    return r;
  }
  if (newS === undefined) {
    addBreaking(r, path, 'PROPERTY_REMOVED');
    return r;
  }
  if (str(oldS, 'description') !== str(newS, 'description')) {
    addNonBreaking(
      r,
      `${path}.description`,
      'DESCRIPTION_CHANGED',
      str(oldS, 'description'),
      str(newS, 'description'),
    );
  }
  const oldDefault = defaultOf(oldS);
  const newDefault = defaultOf(newS);
  if (oldDefault !== newDefault) {
    addNonBreaking(r, `${path}.default`, 'DEFAULT_CHANGED', oldDefault ?? '', newDefault ?? '');
  }
  if (str(oldS, 'type') !== str(newS, 'type')) {
    // kro stops here: nothing else of a retyped property is compared.
    addBreaking(r, `${path}.type`, 'TYPE_CHANGED', str(oldS, 'type'), str(newS, 'type'));
    return r;
  }
  const oldPattern = str(oldS, 'pattern');
  const newPattern = str(newS, 'pattern');
  if (oldPattern !== newPattern) {
    if (oldPattern === '') addBreaking(r, `${path}.pattern`, 'PATTERN_ADDED', '', newPattern);
    else if (newPattern === '') addNonBreaking(r, `${path}.pattern`, 'PATTERN_REMOVED', oldPattern, '');
    else addBreaking(r, `${path}.pattern`, 'PATTERN_CHANGED', oldPattern, newPattern);
  }
  compareConstraints(path, oldS, newS, r);
  compareProperties(path, oldS, newS, r);
  compareRequiredFields(path, oldS, newS, r);
  compareEnumValues(path, oldS, newS, r);
  compareArrayItems(path, oldS, newS, r);
  return r;
}

/** kro's `compareProperties`: removed properties break; added ones break when required without a default. */
export function compareProperties(path: string, oldS: SchemaProps, newS: SchemaProps, r: CompatReport): void {
  const oldProps = props(oldS);
  const newProps = props(newS);
  for (const name of sortedKeys(oldProps)) {
    const at = `${path}.properties.${name}`;
    if (!Object.hasOwn(newProps, name)) {
      addBreaking(r, at, 'PROPERTY_REMOVED');
      continue;
    }
    merge(r, compare(at, oldProps[name], newProps[name]));
  }
  const required = new Set(list(newS, 'required'));
  for (const name of sortedKeys(newProps)) {
    if (Object.hasOwn(oldProps, name)) continue;
    const at = `${path}.properties.${name}`;
    if (required.has(name) && defaultOf(newProps[name] ?? {}) === undefined) {
      addBreaking(r, at, 'PROPERTY_ADDED', 'required=false', 'required=true');
    } else {
      addNonBreaking(r, at, 'PROPERTY_ADDED');
    }
  }
}

function uniqueStrings(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string'))];
}

/** kro's `compareRequiredFields`, for properties both schemas have (new ones are compareProperties'). */
export function compareRequiredFields(
  path: string,
  oldS: SchemaProps,
  newS: SchemaProps,
  r: CompatReport,
): void {
  const oldRequired = uniqueStrings(list(oldS, 'required'));
  const newRequired = uniqueStrings(list(newS, 'required'));
  if (oldRequired.length === 0 && newRequired.length === 0) return;
  const oldSet = new Set(oldRequired);
  const newSet = new Set(newRequired);
  const oldProps = props(oldS);
  const existed = (name: string) => Object.hasOwn(oldProps, name);
  for (const req of newRequired) {
    if (existed(req) && !oldSet.has(req)) addBreaking(r, `${path}.required`, 'REQUIRED_ADDED', '', req);
  }
  for (const req of oldRequired) {
    if (!newSet.has(req)) addNonBreaking(r, `${path}.required`, 'REQUIRED_REMOVED', req, '');
  }
  const newProps = props(newS);
  for (const req of newRequired) {
    if (!existed(req) || !oldSet.has(req)) continue;
    const oldDefault = defaultOf(oldProps[req] ?? {});
    const newDefault = Object.hasOwn(newProps, req) ? defaultOf(newProps[req] ?? {}) : undefined;
    if (oldDefault !== undefined && newDefault === undefined) {
      addBreaking(r, `${path}.required`, 'REQUIRED_DEFAULT_REMOVED', req, '');
    }
  }
}

/** kro's `compareEnumValues`: only when both schemas have an enum. */
export function compareEnumValues(path: string, oldS: SchemaProps, newS: SchemaProps, r: CompatReport): void {
  const oldEnum = [...new Set(list(oldS, 'enum').map(rawJson))];
  const newEnum = [...new Set(list(newS, 'enum').map(rawJson))];
  if (oldEnum.length === 0 || newEnum.length === 0) return;
  const oldSet = new Set(oldEnum);
  const newSet = new Set(newEnum);
  for (const v of oldEnum) if (!newSet.has(v)) addBreaking(r, `${path}.enum`, 'ENUM_RESTRICTED', v, '');
  for (const v of newEnum) if (!oldSet.has(v)) addNonBreaking(r, `${path}.enum`, 'ENUM_EXPANDED', '', v);
}

function itemsOf(s: SchemaProps): SchemaProps | undefined {
  const v = s['items'];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as SchemaProps) : undefined;
}

/** kro's `compareArrayItems`: the items schemas of two arrays. */
export function compareArrayItems(path: string, oldS: SchemaProps, newS: SchemaProps, r: CompatReport): void {
  if (str(oldS, 'type') !== 'array' || str(newS, 'type') !== 'array') return;
  const oldItems = itemsOf(oldS);
  const newItems = itemsOf(newS);
  if (oldItems && newItems) merge(r, compare(`${path}.items`, oldItems, newItems));
  else if (oldItems) addBreaking(r, `${path}.items`, 'PROPERTY_REMOVED');
  else if (newItems) addNonBreaking(r, `${path}.items`, 'PROPERTY_ADDED');
}

const CONSTRAINTS: readonly { key: string; prefix: ConstraintPrefix; lower: boolean; float: boolean }[] = [
  { key: 'minimum', prefix: 'MINIMUM', lower: true, float: true },
  { key: 'maximum', prefix: 'MAXIMUM', lower: false, float: true },
  { key: 'minLength', prefix: 'MIN_LENGTH', lower: true, float: false },
  { key: 'maxLength', prefix: 'MAX_LENGTH', lower: false, float: false },
  { key: 'minItems', prefix: 'MIN_ITEMS', lower: true, float: false },
  { key: 'maxItems', prefix: 'MAX_ITEMS', lower: false, float: false },
];

/** Go's `strconv.FormatFloat(f, 'f', -1, 64)`: the shortest round-trip digits, never an exponent. */
export function formatFloat(f: number): string {
  const s = String(f);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', exp] = m as unknown as [string, string, string, string | undefined, string];
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** kro's `compareConstraints`: a new or tightened bound breaks, a removed or relaxed one does not. */
export function compareConstraints(
  path: string,
  oldS: SchemaProps,
  newS: SchemaProps,
  r: CompatReport,
): void {
  for (const c of CONSTRAINTS) {
    const oldV = num(oldS, c.key);
    const newV = num(newS, c.key);
    if (oldV === undefined && newV === undefined) continue;
    const at = `${path}.${c.key}`;
    const fmt = c.float ? formatFloat : (v: number) => BigInt(Math.trunc(v)).toString();
    const tightened: CompatChangeType = `${c.prefix}_${c.lower ? 'INCREASED' : 'DECREASED'}`;
    const relaxed: CompatChangeType = `${c.prefix}_${c.lower ? 'DECREASED' : 'INCREASED'}`;
    if (oldV === undefined) {
      addBreaking(r, at, `${c.prefix}_ADDED`, '', fmt(newV as number));
    } else if (newV === undefined) {
      addNonBreaking(r, at, `${c.prefix}_REMOVED`, fmt(oldV), '');
    } else if (oldV !== newV) {
      const tighter = c.lower ? newV > oldV : newV < oldV;
      if (tighter) addBreaking(r, at, tightened, fmt(oldV), fmt(newV));
      else addNonBreaking(r, at, relaxed, fmt(oldV), fmt(newV));
    }
  }
}

/** kro's `CompareVersions`: a CRD's single version against the new one; an error for bad input. */
export function compareVersions(
  oldVersions: readonly CrdVersion[],
  newVersions: readonly CrdVersion[],
): { report: CompatReport } | { error: string } {
  if (oldVersions.length !== 1 || newVersions.length !== 1) {
    return {
      error: `expected exactly one version in each CRD, got ${oldVersions.length} old and ${newVersions.length} new versions`,
    };
  }
  const oldV = oldVersions[0] as CrdVersion;
  const newV = newVersions[0] as CrdVersion;
  if (str(oldV, 'name') !== str(newV, 'name')) {
    const report = emptyReport();
    addBreaking(report, 'version', 'TYPE_CHANGED', str(oldV, 'name'), str(newV, 'name'));
    return { report };
  }
  const oldSchema = openApiOf(oldV);
  if (!oldSchema) return { error: `old version ${str(oldV, 'name')} has no schema` };
  const newSchema = openApiOf(newV);
  if (!newSchema) return { error: `new version ${str(newV, 'name')} has no schema` };
  const report = compareSchemas(oldSchema, newSchema);
  if (oldV['served'] === true && newV['served'] !== true) {
    addBreaking(report, 'version.served', 'TYPE_CHANGED', 'true', 'false');
  }
  if (hasStatusSubresource(oldV) && !hasStatusSubresource(newV)) {
    addBreaking(report, 'version.subresources.status', 'PROPERTY_REMOVED');
  }
  return { report };
}

function objectAt(o: unknown, key: string): SchemaProps | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const v = (o as SchemaProps)[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as SchemaProps) : undefined;
}

function openApiOf(v: CrdVersion): SchemaProps | undefined {
  return objectAt(objectAt(v, 'schema'), 'openAPIV3Schema');
}

function hasStatusSubresource(v: CrdVersion): boolean {
  return objectAt(objectAt(v, 'subresources'), 'status') !== undefined;
}

/** The last dot-separated part of a path, as kro's messages name a property. */
function lastComponent(path: string): string {
  const parts = path.split('.');
  return parts[parts.length - 1] ?? path;
}

const CONSTRAINT_NAMES: Record<ConstraintPrefix, string> = {
  MINIMUM: 'Minimum',
  MAXIMUM: 'Maximum',
  MIN_LENGTH: 'MinLength',
  MAX_LENGTH: 'MaxLength',
  MIN_ITEMS: 'MinItems',
  MAX_ITEMS: 'MaxItems',
};

/** kro's `Change.Description()`: the sentence its report and the RGD's condition show. */
export function describeChange(c: CompatChange): string {
  const { oldValue: o, newValue: n } = c;
  switch (c.type) {
    case 'PROPERTY_REMOVED':
      return `Property ${lastComponent(c.path)} was removed`;
    case 'PROPERTY_ADDED':
      // kro compares the new value with "required", which it never sets: always "Optional".
      return n === 'required'
        ? `Required property ${lastComponent(c.path)} was added`
        : `Optional property ${lastComponent(c.path)} was added`;
    case 'TYPE_CHANGED':
      return `Type changed from ${o} to ${n}`;
    case 'REQUIRED_ADDED':
      return `Field ${n} is newly required`;
    case 'REQUIRED_REMOVED':
      return `Field ${o} is no longer required`;
    case 'ENUM_RESTRICTED':
      return `Enum value ${o} was removed`;
    case 'ENUM_EXPANDED':
      return `Enum value ${n} was added`;
    case 'PATTERN_CHANGED':
      return `Validation pattern changed from ${o} to ${n}`;
    case 'PATTERN_ADDED':
      return `Validation pattern ${n} was added`;
    case 'PATTERN_REMOVED':
      return `Validation pattern ${o} was removed`;
    case 'REQUIRED_DEFAULT_REMOVED':
      return `Default value removed from required field ${o}`;
    case 'DESCRIPTION_CHANGED':
      return `Description field was changed from ${o} to ${n}`;
    case 'DEFAULT_CHANGED':
      return `Default value was changed from ${o} to ${n}`;
  }
  const m =
    /^(MINIMUM|MAXIMUM|MIN_LENGTH|MAX_LENGTH|MIN_ITEMS|MAX_ITEMS)_(ADDED|REMOVED|INCREASED|DECREASED)$/.exec(
      c.type,
    );
  if (!m) return `Unknown change to ${c.path}`;
  const name = CONSTRAINT_NAMES[m[1] as ConstraintPrefix];
  switch (m[2]) {
    case 'ADDED':
      return `${name} constraint ${n} was added`;
    case 'REMOVED':
      return `${name} constraint ${o} was removed`;
    case 'INCREASED':
      return `${name} was increased from ${o} to ${n}`;
    default:
      return `${name} was decreased from ${o} to ${n}`;
  }
}

const MAX_SUMMARY = 3;

/** kro's `Report.String()`: the first three breaking changes, then how many more. */
export function summarizeReport(r: CompatReport): string {
  if (r.breaking.length === 0) return 'no breaking changes';
  const parts = r.breaking.slice(0, MAX_SUMMARY).map(describeChange);
  if (r.breaking.length > MAX_SUMMARY) parts.push(`and ${r.breaking.length - MAX_SUMMARY} more changes`);
  return parts.join('; ');
}
