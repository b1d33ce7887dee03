// Which changes of an update the API server would refuse as changes of immutable fields, by the
// table in ./table.ts.
import type { JsonObject, JsonValue } from '../../rgd/model.js';
import { type FieldDiff, formatFieldPath, jsonEqual, type PathSegment } from '../instance-fields.js';
import { type FieldCondition, IMMUTABLE_FIELDS, type ImmutableRule } from './table.js';

type Segments = readonly (string | '*')[];

function parse(path: string): Segments {
  return path
    .replace(/\[\*\]/g, '.*')
    .split('.')
    .filter((s) => s !== '');
}

/** `pattern` is `path` or one of its ancestors (`*` matches any list index). */
function covers(pattern: Segments, path: readonly PathSegment[]): boolean {
  if (pattern.length > path.length) return false;
  return pattern.every((p, i) => (p === '*' ? typeof path[i] === 'number' : p === String(path[i])));
}

function valueAt(obj: JsonValue, path: Segments): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const s of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = Object.hasOwn(cur, s) ? cur[s] : undefined;
  }
  return cur;
}

function holds(c: FieldCondition, obj: JsonObject): boolean {
  return jsonEqual(valueAt(obj, parse(c.path)), c.equals as JsonValue);
}

export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The rules for a kind (by API group and kind). */
export function immutableRules(apiVersion: string, kind: string): ImmutableRule[] {
  const group = groupOfApiVersion(apiVersion);
  return IMMUTABLE_FIELDS.filter((r) => r.group === group && r.kinds.includes(kind));
}

/**
 * The immutable fields `changes` (from the stored `old` object to its update) touch, each once, in
 * table order: the rule's path, or for a `spec-except` rule the field below it that changes.
 */
export function immutableChanges(old: JsonObject, changes: readonly FieldDiff[]): string[] {
  const apiVersion = typeof old.apiVersion === 'string' ? old.apiVersion : '';
  const kind = typeof old.kind === 'string' ? old.kind : '';
  const out: string[] = [];
  for (const rule of immutableRules(apiVersion, kind)) {
    if (rule.when && !holds(rule.when, old)) continue;
    if (rule.unless && holds(rule.unless, old)) continue;
    const base = parse(rule.path);
    const mutable = (rule.mutable ?? []).map(parse);
    for (const c of changes) {
      if (!covers(base, c.path)) continue;
      if (rule.keptWhenRemoved && c.to === undefined) continue;
      if (mutable.some((m) => covers(m, c.path))) continue;
      const field = formatFieldPath(rule.rule === 'spec-except' ? c.path.slice(0, base.length + 1) : base);
      if (!out.includes(field)) out.push(field);
    }
  }
  return out;
}
