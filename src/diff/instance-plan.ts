// The per-instance plan of `kro-gen diff --instance` (docs/diff.md): each instance rendered with the
// old and the new RGD (synth's expanded semantics), and every object it has under either one listed
// as what kro does once it reconciles the instance under the new RGD:
//   create     an object only the new rendering has (kro applies it);
//   update     an object both have, with different fields (kro's server-side apply changes them;
//              a field the new rendering drops is removed, kro being its only field manager);
//   unchanged  an object both render the same;
//   delete     an object only the old rendering has: kro tracks what it applied in an ApplySet and
//              prunes members no longer desired, dependents first (reverse order of the old graph).
// Objects are matched by API group, kind, namespace and name: kro keeps an object whose resource id
// changes (a renamed id) and only relabels it.
//
// Errors of an instance: its file no longer validates against the new schema (a write of it would
// be refused), an update changes an immutable field of a built-in kind (the API server refuses
// kro's apply; kro then reports the instance in ERROR and prunes nothing), or the RGD changes the
// kind it defines (kro's RGD CRD makes schema.kind, group, apiVersion and scope immutable).
import { type Diagnostic, hasErrors, type SourcePos } from '../diagnostics.js';
import type { Graph } from '../graph/model.js';
import type { JsonObject, JsonValue, Locator, Rgd } from '../rgd/model.js';
import type { YamlDocument } from '../rgd/yaml.js';
import { identityOf, type ObjectIdentity } from '../synth/annotate.js';
import { DEFAULT_NAMESPACE, type NormalizedInstance, normalizeInstance } from '../synth/instance.js';
import { renderNormalized } from '../synth/render.js';
import { instanceModel, type SchemaSources } from '../synth/schemas.js';
import { groupOfApiVersion, immutableChanges } from './immutable/check.js';
import { diffFields, formatFieldPath } from './instance-fields.js';
import { servedUnder } from './instance-stored.js';
import type { InstancePlan, ObjectPlan } from './report.js';

export interface PlanInput {
  readonly oldRgd: Rgd;
  readonly newRgd: Rgd;
  readonly oldGraph: Graph;
  readonly newGraph: Graph;
  /**
   * Documents of the instance files, parsed once by the caller (which reports their YAML
   * problems). Those of the old RGD's kind (apiVersion and kind) are planned, the others left
   * alone: the caller gives the same documents for every RGD compared, and reports those no RGD
   * planned.
   */
  readonly instances: readonly YamlDocument[];
  /** Kind schemas for rendering (CRDs, chained RGDs); built-in kinds by default. */
  readonly sources?: SchemaSources;
  /** Objects standing in for what `externalRef` resources read (`kro-gen synth --external`). */
  readonly externals?: readonly JsonObject[];
  /** Namespace of an instance that names none (default `default`). */
  readonly defaultNamespace?: string;
}

export interface PlanInstancesResult {
  readonly plans: InstancePlan[];
  /**
   * Problems with the input (YAML errors, an instance the old RGD refuses or cannot render): the
   * plan of such an instance is left out. What breaks under the new
   * RGD is in the plans' `errors`, not here.
   */
  readonly diagnostics: Diagnostic[];
}

interface Rendered {
  readonly identity: ObjectIdentity;
  readonly object: JsonObject;
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyOf(id: ObjectIdentity): string {
  return [groupOfApiVersion(id.apiVersion), id.kind, id.namespace, id.name].join('\u0000');
}

// The API server never stores a Secret's stringData: it is merged into data, base64-encoded.
function asStored(obj: JsonObject): JsonObject {
  if (obj.apiVersion !== 'v1' || obj.kind !== 'Secret' || !isMap(obj.stringData)) return obj;
  const data: JsonObject = { ...(isMap(obj.data) ? obj.data : {}) };
  for (const [k, v] of Object.entries(obj.stringData))
    if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  const { stringData: _dropped, ...rest } = obj;
  return { ...rest, data };
}

function render(
  graph: Graph,
  rgd: Rgd,
  inst: NormalizedInstance,
  input: PlanInput,
  loc: Locator,
): { objects: Rendered[]; diagnostics: Diagnostic[] } {
  const result = renderNormalized(graph, rgd, inst, {
    annotations: [],
    labels: false,
    instanceLoc: loc,
    ...(input.sources ? { schemas: input.sources } : {}),
    externals: [...(input.externals ?? []), inst.object],
    ...(input.defaultNamespace ? { defaultNamespace: input.defaultNamespace } : {}),
  });
  const objects = result.manifests.map((m) => ({
    identity: identityOf(m.object),
    object: asStored(m.object),
  }));
  return { objects, diagnostics: [...result.diagnostics] };
}

function objectPlan(action: ObjectPlan['action'], r: Rendered, extra: Partial<ObjectPlan> = {}): ObjectPlan {
  const { apiVersion, kind, namespace, name } = r.identity;
  return {
    action,
    apiVersion,
    kind,
    ...(namespace !== '' ? { namespace } : {}),
    name,
    changes: [],
    immutable: [],
    ...extra,
  };
}

function display(id: ObjectIdentity): string {
  return `${id.kind} ${id.namespace === '' ? id.name : `${id.namespace}/${id.name}`}`;
}

/** Compares what the old and the new RGD render for one instance. */
export function diffRenderings(
  before: readonly Rendered[],
  after: readonly Rendered[],
): { objects: ObjectPlan[]; immutable: { object: ObjectIdentity; paths: string[] }[] } {
  const old = new Map(before.map((r) => [keyOf(r.identity), r]));
  const kept = new Set<string>();
  const objects: ObjectPlan[] = [];
  const immutable: { object: ObjectIdentity; paths: string[] }[] = [];
  for (const r of after) {
    const key = keyOf(r.identity);
    const was = old.get(key);
    if (!was) {
      objects.push(objectPlan('create', r));
      continue;
    }
    kept.add(key);
    const diffs = diffFields(was.object, r.object);
    if (diffs.length === 0) {
      objects.push(objectPlan('unchanged', r));
      continue;
    }
    const paths = immutableChanges(was.object, diffs);
    if (paths.length > 0) immutable.push({ object: r.identity, paths });
    objects.push(
      objectPlan('update', r, {
        changes: diffs.map((d) => ({
          path: formatFieldPath(d.path),
          ...(d.from !== undefined ? { from: d.from } : {}),
          ...(d.to !== undefined ? { to: d.to } : {}),
        })),
        immutable: paths,
      }),
    );
  }
  // kro prunes dependents first: the reverse of the old apply order.
  for (const r of [...before].reverse())
    if (!kept.has(keyOf(r.identity))) objects.push(objectPlan('delete', r));
  return { objects, immutable };
}

function definedKind(rgd: Rgd): string {
  const cluster = rgd.schema.scope === 'Cluster' ? ' (cluster-scoped)' : '';
  return `${rgd.schema.group}/${rgd.schema.apiVersion} ${rgd.schema.kind}${cluster}`;
}

function planOne(
  input: PlanInput,
  object: JsonValue,
  loc: Locator,
  diagnostics: Diagnostic[],
): InstancePlan | undefined {
  const { oldRgd, newRgd } = input;
  const nsOpts = { defaultNamespace: input.defaultNamespace ?? DEFAULT_NAMESPACE };
  const oldNorm = normalizeInstance(oldRgd, instanceModel(oldRgd).model, { object, loc }, nsOpts);
  diagnostics.push(...oldNorm.diagnostics);
  if (!oldNorm.instance || hasErrors(oldNorm.diagnostics)) return undefined;
  const stored = oldNorm.instance;
  const before = render(input.oldGraph, oldRgd, stored, input, loc);
  diagnostics.push(...before.diagnostics);
  if (hasErrors(before.diagnostics)) return undefined;

  const ref = identityOf(stored.object);
  const plan: InstancePlan = {
    instance: {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      ...(ref.namespace !== '' ? { namespace: ref.namespace } : {}),
      name: ref.name,
    },
    errors: [],
    objects: [],
  };
  const at = (pos: SourcePos | undefined) => (pos ? { pos } : {});

  if (definedKind(oldRgd) !== definedKind(newRgd)) {
    plan.errors.push({
      message: `the RGD changes the kind it defines from ${definedKind(oldRgd)} to ${definedKind(newRgd)}: the API server refuses the RGD update (kro's RGD CRD makes schema.group, apiVersion, kind and scope immutable), so this instance keeps its objects`,
      ...at(loc.at(['kind'])),
    });
    plan.objects.push(...before.objects.map((r) => objectPlan('unchanged', r)));
    return plan;
  }

  // The file, written again under the new schema: refused if it no longer validates.
  const newModel = instanceModel(newRgd).model;
  const rewrite = normalizeInstance(newRgd, newModel, { object, loc }, nsOpts);
  for (const d of rewrite.diagnostics)
    if (d.severity === 'error')
      plan.errors.push({ message: `no longer valid under the new schema: ${d.message}`, ...at(d.pos) });

  // The stored instance, as kro reads it under the new schema.
  const served = servedUnder(newModel.spec, stored.object);
  const after = render(input.newGraph, newRgd, { ...stored, object: served }, input, loc);
  for (const d of after.diagnostics)
    if (d.severity === 'error')
      plan.errors.push({ message: `cannot render with the new RGD: ${d.message}`, ...at(d.pos) });
  if (hasErrors(after.diagnostics)) return plan;

  const { objects, immutable } = diffRenderings(before.objects, after.objects);
  plan.objects.push(...objects);
  for (const { object: id, paths } of immutable)
    plan.errors.push({
      message: `${display(id)}: the update changes immutable field${paths.length > 1 ? 's' : ''} ${paths.join(', ')}: the API server refuses kro's apply, the instance goes to ERROR and nothing is pruned`,
      ...at(loc.at(['metadata', 'name'])),
    });
  return plan;
}

/** `value` is an object of the kind `rgd` defines (its apiVersion and kind). */
export function isInstanceOf(rgd: Rgd, value: JsonValue | undefined): boolean {
  return (
    isMap(value) &&
    value.apiVersion === `${rgd.schema.group}/${rgd.schema.apiVersion}` &&
    value.kind === rgd.schema.kind
  );
}

/**
 * Plans every instance of `input.instances` (see the file comment). Pure; never throws for bad
 * input. Plans are in file order, then document order.
 */
export function planInstances(input: PlanInput): PlanInstancesResult {
  const plans: InstancePlan[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of input.instances) {
    if (!isInstanceOf(input.oldRgd, doc.value)) continue;
    const plan = planOne(input, doc.value as JsonValue, doc.loc, diagnostics);
    if (plan) plans.push(plan);
  }
  return { plans, diagnostics };
}
