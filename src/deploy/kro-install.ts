// kro's own installation, for bundles that install the runtime too (`synth --with-kro`): the
// objects `helm install kro oci://registry.k8s.io/kro/charts/kro --namespace <ns> --create-namespace`
// would create, rendered ahead of time from the chart in kro's Go module by tools/kro-chart
// (data/kro/<version>.json; data/kro/values.yaml records the values). A user's settings
// (namespace, image, resources, RBAC mode) are applied to those objects here, so that kro-gen never
// needs Helm or Go at run time.
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

/** kro releases whose chart is rendered into data/kro. */
export const KRO_VERSIONS: readonly string[] = ['v0.9.3'];
export const DEFAULT_KRO_VERSION = 'v0.9.3';

/** The chart's `rbac.mode`: all verbs on all resources, or a minimal role plus aggregated ones. */
export type KroRbacMode = 'unrestricted' | 'aggregation';
export const KRO_RBAC_MODES: readonly KroRbacMode[] = ['unrestricted', 'aggregation'];

/** The label that makes a ClusterRole part of kro's aggregated role (chart, rbac.mode aggregation). */
export const KRO_AGGREGATE_LABEL = 'rbac.kro.run/aggregate-to-controller';

/** What a user may change about the rendered install. */
export interface KroInstallSettings {
  readonly version?: string;
  /** The namespace kro runs in (the chart's release namespace); created by the bundle. */
  readonly namespace?: string;
  /** The controller image, `repository:tag` or `repository@digest`. */
  readonly image?: string;
  /** The controller container's resources (replaces the chart's). */
  readonly resources?: JsonObject;
  readonly rbac?: KroRbacMode;
}

/** The rendered install, with the identities other parts of a bundle refer to. */
export interface KroInstall {
  readonly version: string;
  readonly namespace: string;
  readonly rbac: KroRbacMode;
  /** Namespace first, then Helm's install order: CRDs, ServiceAccount, RBAC, Deployment. */
  readonly objects: readonly JsonObject[];
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  readonly deployment: { readonly name: string; readonly namespace: string };
}

interface ChartRender {
  readonly kroVersion: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly variants: Readonly<Record<string, { readonly objects: readonly JsonObject[] }>>;
}

const renders = new Map<string, ChartRender>();

function chartRender(version: string): ChartRender {
  let r = renders.get(version);
  if (!r) {
    r = JSON.parse(readFileSync(packagePath('data', 'kro', `${version}.json`), 'utf8')) as ChartRender;
    renders.set(version, r);
  }
  return r;
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy: the rendered data is shared between calls. */
function copy<T extends JsonValue>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * kro's install for `settings`; throws for a version kro-gen has no render of (callers check
 * KRO_VERSIONS first).
 */
export function kroInstall(settings: KroInstallSettings = {}): KroInstall {
  const version = settings.version ?? DEFAULT_KRO_VERSION;
  if (!KRO_VERSIONS.includes(version)) throw new Error(`no rendered kro chart for ${version}`);
  const render = chartRender(version);
  const mode = settings.rbac ?? 'unrestricted';
  const variant = render.variants[mode];
  if (!variant) throw new Error(`data/kro/${version}.json has no ${mode} variant`);
  const namespace = settings.namespace ?? render.namespace;
  const objects = variant.objects.map((o) => copy(o));
  let serviceAccount = { name: '', namespace };
  let deployment = { name: '', namespace };
  for (const o of objects) {
    const meta = isMap(o.metadata) ? o.metadata : {};
    if (typeof meta.namespace === 'string') meta.namespace = namespace;
    const name = typeof meta.name === 'string' ? meta.name : '';
    if (o.kind === 'ServiceAccount') serviceAccount = { name, namespace };
    if (o.kind === 'ClusterRoleBinding' && Array.isArray(o.subjects)) {
      for (const s of o.subjects) {
        if (isMap(s) && s.kind === 'ServiceAccount') s.namespace = namespace;
      }
    }
    if (o.kind === 'Deployment') {
      deployment = { name, namespace };
      const spec = isMap(o.spec) ? o.spec : {};
      const template = isMap(spec.template) ? spec.template : {};
      const podSpec = isMap(template.spec) ? template.spec : {};
      const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
      const container = containers.find((c) => isMap(c) && c.name === 'kro');
      if (isMap(container)) {
        if (settings.image !== undefined) container.image = settings.image;
        if (settings.resources !== undefined) container.resources = copy(settings.resources);
      }
    }
  }
  // `helm install --create-namespace` creates the release namespace outside the chart; a bundle
  // has to carry it.
  const ns: JsonObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  return { version, namespace, rbac: mode, objects: [ns, ...objects], serviceAccount, deployment };
}
