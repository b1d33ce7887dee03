/**
 * What kro did to an instance's children between two snapshots, and the comparison with kro-gen's
 * per-instance plan (src/diff/instance-plan.ts). Pure: the test takes the snapshots.
 */
import { diffFields, formatFieldPath, jsonEqual } from '../../../src/diff/instance-fields.js';
import type { InstancePlan, ObjectPlan } from '../../../src/diff/report.js';
import type { JsonObject, JsonValue } from '../../../src/rgd/model.js';
import type { KubeObject } from '../cluster/kube.js';

export interface Observed {
  readonly key: string;
  readonly action: ObjectPlan['action'];
  /** `path: from -> to` of each changed field. */
  readonly changes: readonly string[];
}

const SERVER_META = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
];
const BOOKKEEPING =
  /^(kro\.run\/|internal\.kro\.run\/|applyset\.kubernetes\.io\/|app\.kubernetes\.io\/managed-by$)/;

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

export function objectKey(o: {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
}) {
  return `${groupOf(o.apiVersion)}/${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

export function keyOfObject(o: KubeObject): string {
  return objectKey({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name ?? '',
  });
}

function filtered(map: unknown): JsonObject | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(map)) if (!BOOKKEEPING.test(k)) out[k] = v as JsonValue;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The object without what the server and kro's bookkeeping change on every write. */
export function comparable(o: KubeObject): JsonObject {
  const { status: _status, metadata, ...rest } = o as KubeObject & { status?: unknown };
  const meta: JsonObject = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (SERVER_META.includes(k)) continue;
    if (k === 'labels' || k === 'annotations') {
      const kept = filtered(v);
      if (kept) meta[k] = kept;
      continue;
    }
    meta[k] = v as JsonValue;
  }
  return { ...(rest as JsonObject), metadata: meta };
}

const shown = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

/** What happened to each child between `before` and `after`, keyed by objectKey. */
export function observe(before: readonly KubeObject[], after: readonly KubeObject[]): Map<string, Observed> {
  const out = new Map<string, Observed>();
  const old = new Map(before.map((o) => [keyOfObject(o), o]));
  for (const o of after) {
    const key = keyOfObject(o);
    const was = old.get(key);
    if (!was) {
      out.set(key, { key, action: 'create', changes: [] });
      continue;
    }
    if (was.metadata.uid !== o.metadata.uid) {
      // Deleted and created again: not what any plan predicts.
      out.set(key, { key, action: 'create', changes: ['(recreated)'] });
      continue;
    }
    const changes = diffFields(comparable(was), comparable(o)).map(
      (d) => `${formatFieldPath(d.path)}: ${shown(d.from)} -> ${shown(d.to)}`,
    );
    out.set(key, { key, action: changes.length > 0 ? 'update' : 'unchanged', changes });
  }
  for (const o of before) {
    const key = keyOfObject(o);
    if (!out.has(key)) out.set(key, { key, action: 'delete', changes: [] });
  }
  return out;
}

/**
 * What the cluster should show once kro has reconciled the instance, by kro-gen's plan: nothing
 * changes when kro refuses the RGD (its instances keep the old graph); an update of an immutable
 * field is refused by the API server, and with any apply refused kro prunes nothing.
 */
export function expectedObservation(plan: InstancePlan, refused: boolean): Map<string, Observed> {
  const out = new Map<string, Observed>();
  const blocked = plan.objects.some((o) => o.immutable.length > 0);
  for (const o of plan.objects) {
    const key = objectKey(o);
    let action = o.action;
    let changes = o.changes.map((c) => `${c.path}: ${shown(c.from)} -> ${shown(c.to)}`);
    if (refused || o.immutable.length > 0 || (blocked && action === 'delete')) {
      if (action === 'create') continue;
      action = 'unchanged';
      changes = [];
    }
    out.set(key, { key, action, changes });
  }
  return out;
}

/** Differences between expected and observed, one line each; empty when equal. */
export function compareObservations(
  expected: Map<string, Observed>,
  observed: Map<string, Observed>,
): string[] {
  const lines: string[] = [];
  for (const [key, e] of expected) {
    const o = observed.get(key);
    if (!o) {
      lines.push(`${key}: kro-gen ${e.action}, kro has no such object before or after`);
      continue;
    }
    if (o.action !== e.action)
      lines.push(
        `${key}: kro-gen ${e.action}, kro ${o.action}${o.changes.length > 0 ? ` ${o.changes.join('; ')}` : ''}`,
      );
    else if (!jsonEqual([...e.changes].sort(), [...o.changes].sort()))
      lines.push(`${key}: changes differ: kro-gen [${e.changes.join('; ')}], kro [${o.changes.join('; ')}]`);
  }
  for (const [key, o] of observed)
    if (!expected.has(key)) lines.push(`${key}: kro ${o.action}, kro-gen does not list it`);
  return lines;
}
