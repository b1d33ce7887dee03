// Expanded rendering: one instance of an RGD -> the objects kro would apply for it, in kro's
// order, each stamped with the ordering metadata other tools read.
//
// kro's runtime semantics, offline (pkg/runtime):
//   - nodes are visited in the graph's topological order; `schema` is the instance without status;
//   - a node whose dependency is excluded is excluded too (contagious), and a false `includeWhen`
//     excludes it;
//   - a collection's forEach dimensions form a cartesian product, first iterator outermost; an
//     empty dimension means no objects; more than 1000 combinations is an error;
//   - each template field takes its expression's value (standalone keeps the type, templates
//     concatenate strings), then omit() sentinels are removed;
//   - namespaced objects without a namespace take the instance's (an error for cluster-scoped
//     instances), and a collection's items must have distinct identities.
// An object whose kind is another RGD's instance kind (a chained RGD) is, unless turned off,
// replaced by what that RGD renders for it, recursively (expander.ts): expanded output is for
// clusters without kro, where nobody would reconcile the instance.
// Where kro reads the *observed* object of a dependency, we read its *desired* object: the
// rendered template. What only exists at run time (status, server-set fields) is absent there,
// so an expression reading it fails with a message suggesting bundle mode, unless it guards with
// `.?field.orValue(default)`.
import type { Graph } from '../graph/model.js';
import type { JsonValue, Locator, Rgd } from '../rgd/model.js';
import { Expander } from './expander.js';
import { formatPos, type NormalizedInstance, normalizeInstance } from './instance.js';
import { InstanceRenderer, isMap } from './instance-renderer.js';
import { compileGraph } from './program.js';
import type { ExternalReference, RenderOptions, RenderResult } from './render-model.js';
import { instanceModel } from './schemas.js';

export function renderInstance(
  graph: Graph,
  rgd: Rgd,
  instance: JsonValue,
  opts: RenderOptions = {},
): RenderResult {
  const { model } = instanceModel(rgd);
  const normalized = normalizeInstance(
    rgd,
    model,
    { object: instance, ...(opts.instanceLoc ? { loc: opts.instanceLoc } : {}) },
    {
      ...(opts.defaultNamespace !== undefined ? { defaultNamespace: opts.defaultNamespace } : {}),
      omit: opts.omit ?? false,
    },
  );
  const inst = normalized.instance;
  if (!inst || normalized.diagnostics.some((d) => d.severity === 'error')) {
    return {
      manifests: [],
      ...(inst ? { instance: inst } : {}),
      excluded: [],
      diagnostics: normalized.diagnostics,
    };
  }
  const result = renderNormalized(graph, rgd, inst, opts);
  return normalized.diagnostics.length === 0
    ? result
    : { ...result, diagnostics: [...normalized.diagnostics, ...result.diagnostics] };
}

/** renderInstance for an instance normalizeInstance has already accepted. */
export function renderNormalized(
  graph: Graph,
  rgd: Rgd,
  inst: NormalizedInstance,
  opts: RenderOptions = {},
): RenderResult {
  const expander = new Expander(opts, inst, rgd);
  const after = opts.after;
  expander.level({
    graph,
    rgd,
    inst,
    prefix: '',
    outer: {
      refs: after?.dependsOn ?? [],
      groups: after?.changeGroups ?? [],
      paths: [],
      wave: opts.waveOffset ?? 0,
    },
    chain: [],
    ...(opts.instanceLoc ? { labelPos: () => (opts.instanceLoc as Locator).at(['metadata']) } : {}),
  });
  const { diagnostics, excluded } = expander;
  if (diagnostics.some((d) => d.severity === 'error'))
    return { manifests: [], instance: inst, excluded, diagnostics };
  return { manifests: expander.manifests, instance: inst, excluded, diagnostics };
}

/**
 * The objects an instance's external references point at, where the instance alone decides them
 * (names and selectors built from `schema` only). Used to order instances that read each other.
 */
export function externalReferences(
  graph: Graph,
  rgd: Rgd,
  instance: JsonValue | NormalizedInstance,
  opts: RenderOptions = {},
): ExternalReference[] {
  if (!graph.resources.some((r) => r.type === 'external' || r.type === 'externalCollection')) return [];
  let inst: NormalizedInstance | undefined;
  if (isNormalized(instance)) inst = instance;
  else {
    inst = normalizeInstance(
      rgd,
      instanceModel(rgd).model,
      { object: instance },
      {
        ...(opts.defaultNamespace !== undefined ? { defaultNamespace: opts.defaultNamespace } : {}),
      },
    ).instance;
  }
  if (!inst) return [];
  const compiled = compileGraph(graph, { omit: opts.omit ?? false });
  return new InstanceRenderer(compiled, rgd, inst, opts).externalRefs();
}

function isNormalized(v: JsonValue | NormalizedInstance): v is NormalizedInstance {
  return (
    isMap(v) &&
    isMap((v as { object?: unknown }).object) &&
    typeof (v as { display?: unknown }).display === 'string'
  );
}

export { formatPos };
