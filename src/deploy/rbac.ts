// What kro needs to be allowed to do for the RGDs of a bundle, as a ClusterRole that the chart's
// aggregation mode (`--kro-rbac aggregation`) folds into kro's own role: kro's static role only
// covers its own kinds, and every kind an RGD creates, reads or defines must be granted besides.
//
//   instances (the kind an RGD defines)  get list watch patch update; status get patch update;
//                                        finalizers update (kro manages the instance)
//   resources (templates)                create delete get list patch update watch (kro applies,
//                                        watches and prunes them)
//   externalRef kinds                    get list watch (kro reads them)

import type { JsonObject, JsonValue } from '../rgd/model.js';
import { lookupBuiltinKind } from '../schema/k8s-builtin.js';
import { pluralize } from '../schema/pluralize.js';
import { compareText, groupOf } from '../synth/annotate.js';
import { KRO_AGGREGATE_LABEL } from './kro-install.js';

const MANAGE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];
const INSTANCE = ['get', 'list', 'patch', 'update', 'watch'];

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface InstanceKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly resource: string;
}

function instanceKindOf(rgd: JsonObject): InstanceKind | undefined {
  const spec = isMap(rgd.spec) ? rgd.spec : {};
  const schema = isMap(spec.schema) ? spec.schema : {};
  if (typeof schema.kind !== 'string' || typeof schema.apiVersion !== 'string') return undefined;
  const group = typeof schema.group === 'string' && schema.group !== '' ? schema.group : 'kro.run';
  return {
    apiVersion: `${group}/${schema.apiVersion}`,
    kind: schema.kind,
    resource: pluralize(schema.kind.toLowerCase()),
  };
}

/**
 * The aggregated ClusterRole for `rgds` (raw RGD objects), named `name`. A kind that is neither
 * built in nor defined by one of the RGDs (a CRD's kind) is granted by group, all resources:
 * kro-gen does not know its plural.
 */
export function rgdClusterRole(rgds: readonly JsonObject[], name: string, labels: Record<string, string>) {
  const instances = rgds.map(instanceKindOf).filter((k): k is InstanceKind => k !== undefined);
  // group -> resource -> verbs
  const grants = new Map<string, Map<string, Set<string>>>();
  const grant = (group: string, resource: string, verbs: readonly string[]) => {
    const byResource = grants.get(group) ?? new Map<string, Set<string>>();
    grants.set(group, byResource);
    const set = byResource.get(resource) ?? new Set<string>();
    for (const v of verbs) set.add(v);
    byResource.set(resource, set);
  };
  const resourceOf = (apiVersion: string, kind: string): string =>
    lookupBuiltinKind(apiVersion, kind)?.resource ??
    instances.find((i) => i.apiVersion === apiVersion && i.kind === kind)?.resource ??
    '*';
  for (const i of instances) {
    const group = groupOf(i.apiVersion);
    grant(group, i.resource, INSTANCE);
    grant(group, `${i.resource}/status`, ['get', 'patch', 'update']);
    grant(group, `${i.resource}/finalizers`, ['update']);
  }
  for (const rgd of rgds) {
    const spec = isMap(rgd.spec) ? rgd.spec : {};
    for (const r of Array.isArray(spec.resources) ? spec.resources : []) {
      if (!isMap(r)) continue;
      const external = isMap(r.externalRef);
      const o = isMap(r.template) ? r.template : external ? (r.externalRef as JsonObject) : undefined;
      if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
      grant(groupOf(o.apiVersion), resourceOf(o.apiVersion, o.kind), external ? READ : MANAGE);
    }
  }
  const rules: JsonObject[] = [];
  for (const group of [...grants.keys()].sort(compareText)) {
    const byResource = grants.get(group) as Map<string, Set<string>>;
    // One rule per distinct verb set, resources sorted: short and stable.
    const byVerbs = new Map<string, string[]>();
    for (const [resource, verbs] of byResource) {
      const key = [...verbs].sort(compareText).join(',');
      byVerbs.set(key, [...(byVerbs.get(key) ?? []), resource]);
    }
    for (const key of [...byVerbs.keys()].sort(compareText)) {
      rules.push({
        apiGroups: [group],
        resources: (byVerbs.get(key) as string[]).sort(compareText),
        verbs: key.split(','),
      });
    }
  }
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...labels, [KRO_AGGREGATE_LABEL]: 'true' } },
    rules,
  } satisfies JsonObject;
}
