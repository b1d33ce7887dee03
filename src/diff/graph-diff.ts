// How the resource graph changed between two versions of an RGD: resources added, removed or renamed
// (same template under a new id), and for the others their dependencies, place in kro's order,
// includeWhen / readyWhen / forEach and template. Each change points at the new file.
import type { SourcePos } from '../diagnostics.js';
import type { Graph } from '../graph/model.js';
import type { JsonValue, Rgd, RgdResource } from '../rgd/model.js';
import type { ResourceChange, ResourceDiff } from './report.js';

export interface GraphSide {
  readonly rgd: Rgd;
  /** The built graph, when it built without errors (dependencies and order come from it). */
  readonly graph?: Graph;
}

/** Canonical JSON: equal values, equal text, whatever their key order. */
export function canonical(v: JsonValue | undefined | null): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
}

function kindOf(r: RgdResource): string {
  const t = r.template ?? r.externalRef;
  const kind = t && typeof t['kind'] === 'string' ? t['kind'] : undefined;
  return kind ? ` (${kind}${r.externalRef ? ', external' : ''})` : '';
}

/** What kro applies for a resource, id aside: template or externalRef, and its conditions. */
function body(r: RgdResource): string {
  return canonical({
    template: r.template,
    externalRef: (r.externalRef ?? null) as JsonValue,
    readyWhen: [...r.readyWhen],
    includeWhen: [...r.includeWhen],
    forEach: r.forEach.map((d) => ({ name: d.name, expression: d.expression })),
  });
}

/** `value` with resource ids inside `${...}` renamed (so `${config.data}` reads `${settings.data}`). */
function renameIds<T>(value: T, rename: ReadonlyMap<string, string>): T {
  if (rename.size === 0) return value;
  if (typeof value === 'string') {
    return value.replace(/\$\{[^}]*\}/g, (expr) =>
      expr.replace(/(?<![\w.$])[A-Za-z_]\w*(?!\w)/g, (id) => rename.get(id) ?? id),
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => renameIds(v, rename)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renameIds(v, rename);
    return out as T;
  }
  return value;
}

/** The old resource as it reads with the renamed ids in place of the old ones. */
function underNewIds(r: RgdResource, rename: ReadonlyMap<string, string>): RgdResource {
  return {
    ...r,
    template: renameIds(r.template, rename),
    externalRef: renameIds(r.externalRef, rename),
    readyWhen: renameIds(r.readyWhen, rename),
    includeWhen: renameIds(r.includeWhen, rename),
    forEach: renameIds(r.forEach, rename),
  };
}

function idPos(rgd: Rgd, r: RgdResource, field: string = 'id'): SourcePos {
  return rgd.loc.at(['spec', 'resources', r.index, field]);
}

const MAX_LISTED_PATHS = 5;

type Segments = readonly (string | number)[];

/** The paths at which two JSON values differ (leaves; arrays compared per index), as segments. */
export function changedSegments(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  at: Segments = [],
): Segments[] {
  if (canonical(a) === canonical(b)) return [];
  const objA = typeof a === 'object' && a !== null && !Array.isArray(a) ? a : undefined;
  const objB = typeof b === 'object' && b !== null && !Array.isArray(b) ? b : undefined;
  if (objA && objB) {
    const keys = [...new Set([...Object.keys(objA), ...Object.keys(objB)])].sort();
    return keys.flatMap((k) => changedSegments(objA[k], objB[k], [...at, k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    const out: Segments[] = [];
    for (let i = 0; i < n; i++) out.push(...changedSegments(a[i], b[i], [...at, i]));
    return out;
  }
  return [at];
}

/** `spec.ports[0].name`; `(whole)` for the root. */
export function pathText(segments: Segments): string {
  if (segments.length === 0) return '(whole)';
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The paths at which two JSON values differ, as text. */
export function changedPaths(a: JsonValue | undefined, b: JsonValue | undefined): string[] {
  return changedSegments(a, b).map(pathText);
}

function listed(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

function conditionChanges(rgd: Rgd, o: RgdResource, n: RgdResource): ResourceChange[] {
  const out: ResourceChange[] = [];
  const field = (name: 'includeWhen' | 'readyWhen', explain: string) => {
    const from = o[name];
    const to = n[name];
    if (canonical([...from]) === canonical([...to])) return;
    out.push({
      change: name,
      id: n.id,
      message: `${name} changed from [${from.join(', ')}] to [${to.join(', ')}]${explain}`,
      pos: rgd.loc.at(['spec', 'resources', n.index, name]),
    });
  };
  field(
    'includeWhen',
    ': existing instances whose conditions now exclude the resource lose its objects (kro prunes them); instances now including it get them created',
  );
  field('readyWhen', '');
  const fe = (r: RgdResource) => r.forEach.map((d) => `${d.name}: ${d.expression}`);
  if (canonical(fe(o)) !== canonical(fe(n))) {
    out.push({
      change: 'forEach',
      id: n.id,
      message: `forEach changed from [${fe(o).join(', ')}] to [${fe(n).join(', ')}]: the objects of each instance are re-expanded; those no longer produced are pruned`,
      pos: rgd.loc.at(['spec', 'resources', n.index, 'forEach']),
    });
  }
  return out;
}

function templateChange(rgd: Rgd, o: RgdResource, n: RgdResource): ResourceChange[] {
  const segments = changedSegments(
    (o.template ?? (o.externalRef as unknown as JsonValue) ?? null) as JsonValue,
    (n.template ?? (n.externalRef as unknown as JsonValue) ?? null) as JsonValue,
  );
  if (segments.length === 0) return [];
  const paths = segments.map(pathText);
  const shown = paths.slice(0, MAX_LISTED_PATHS).join(', ');
  const more = paths.length > MAX_LISTED_PATHS ? ` and ${paths.length - MAX_LISTED_PATHS} more` : '';
  const what = n.template ? 'template' : 'externalRef';
  return [
    {
      change: 'template',
      id: n.id,
      message: `${what} changed at ${shown}${more}`,
      // The first changed field, or the nearest one the new template still has.
      pos: rgd.loc.at(['spec', 'resources', n.index, what, ...(segments[0] ?? [])]),
    },
  ];
}

function dependencyChange(
  side: GraphSide,
  oldDeps: readonly string[],
  n: RgdResource,
  rename: Map<string, string>,
): ResourceChange[] {
  const newDeps = [...(side.graph?.resources.find((r) => r.id === n.id)?.dependencies ?? [])].sort();
  const was = oldDeps.map((d) => rename.get(d) ?? d).sort();
  if (canonical(newDeps) === canonical(was)) return [];
  return [
    {
      change: 'dependencies',
      id: n.id,
      message: `depends on ${listed(newDeps)} (was ${listed(was)})`,
      pos: idPos(side.rgd, n),
    },
  ];
}

/** The resources whose place in kro's topological order moved relative to the others both versions have. */
function orderChanges(oldSide: GraphSide, newSide: GraphSide, rename: Map<string, string>): ResourceChange[] {
  if (!oldSide.graph || !newSide.graph) return [];
  const oldOrder = oldSide.graph.topologicalOrder.map((id) => rename.get(id) ?? id);
  const newOrder = newSide.graph.topologicalOrder;
  const common = new Set(oldOrder.filter((id) => newOrder.includes(id)));
  const a = oldOrder.filter((id) => common.has(id));
  const b = newOrder.filter((id) => common.has(id));
  const out: ResourceChange[] = [];
  for (let i = 0; i < b.length; i++) {
    const id = b[i] as string;
    if (a[i] === id) continue;
    const r = newSide.rgd.resources.find((x) => x.id === id);
    out.push({
      change: 'order',
      id,
      message: `moves in kro's apply order to position ${i + 1} of ${b.length} among unchanged resources (was ${a.indexOf(id) + 1}): ${b.join(' → ')} (was ${a.join(' → ')})`,
      ...(r ? { pos: idPos(newSide.rgd, r) } : {}),
    });
  }
  return out;
}

/** Every graph change from `oldSide` to `newSide`, in the new file's resource order (removed ones last). */
export function diffGraph(oldSide: GraphSide, newSide: GraphSide): ResourceDiff {
  const oldById = new Map(oldSide.rgd.resources.map((r) => [r.id, r]));
  const newById = new Map(newSide.rgd.resources.map((r) => [r.id, r]));
  const removed = oldSide.rgd.resources.filter((r) => !newById.has(r.id));
  const added = newSide.rgd.resources.filter((r) => !oldById.has(r.id));

  // A removed and an added resource with the same body, once the renamed ids (its own included) are
  // read under their new names, are one resource under a new id. Repeated until nothing more matches,
  // since a rename can make another resource's references match.
  const rename = new Map<string, string>();
  const renamedFrom = new Map<string, string>();
  for (let found = true; found; ) {
    found = false;
    for (const n of added) {
      if (renamedFrom.has(n.id)) continue;
      const match = removed.find(
        (o) => !rename.has(o.id) && body(underNewIds(o, new Map([...rename, [o.id, n.id]]))) === body(n),
      );
      if (match) {
        rename.set(match.id, n.id);
        renamedFrom.set(n.id, match.id);
        found = true;
      }
    }
  }

  const changes: ResourceChange[] = [];
  for (const n of newSide.rgd.resources) {
    const from = renamedFrom.get(n.id);
    if (from !== undefined) {
      changes.push({
        change: 'renamed',
        id: n.id,
        from,
        message: `renamed from ${from} (same template)`,
        pos: idPos(newSide.rgd, n),
      });
      continue;
    }
    const kept = oldById.get(n.id);
    const o = kept && underNewIds(kept, rename);
    if (!o) {
      changes.push({
        change: 'added',
        id: n.id,
        message: n.externalRef
          ? `added${kindOf(n)}: kro reads it for every instance`
          : `added${kindOf(n)}: kro creates it in every existing instance${n.includeWhen.length > 0 ? ' whose includeWhen holds' : ''}`,
        pos: idPos(newSide.rgd, n),
      });
      continue;
    }
    const oldDeps = oldSide.graph?.resources.find((r) => r.id === o.id)?.dependencies;
    if (oldDeps && newSide.graph) changes.push(...dependencyChange(newSide, oldDeps, n, rename));
    changes.push(...conditionChanges(newSide.rgd, o, n), ...templateChange(newSide.rgd, o, n));
  }
  for (const o of removed) {
    if (rename.has(o.id)) continue;
    changes.push({
      change: 'removed',
      id: o.id,
      message: o.externalRef
        ? `removed${kindOf(o)}: kro no longer reads it (it never owned it)`
        : `removed${kindOf(o)}: kro prunes its objects from every existing instance`,
      pos: newSide.rgd.loc.at(['spec', 'resources']),
    });
  }
  changes.push(...orderChanges(oldSide, newSide, rename));
  return { changes };
}
