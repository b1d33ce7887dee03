// A controller bundle that installs kro itself first (`synth --mode bundle --with-kro`): kro's
// install, then the RGDs, then the instances, each group ordered after the one before for every
// deployer the annotations address:
//
//   kubectl     document order (Namespace, CRDs, ServiceAccount, RBAC, Deployment, RGDs, instances)
//   Argo CD     the install is wave 0 (Argo CD orders kinds inside a wave and waits for the
//               Deployment to be healthy); RGDs and instances move one wave up. RGDs skip the dry
//               run: their CRD is created by the same sync.
//   kpt         RGDs depend on kro's RGD CRD and its Deployment; the install's namespaced objects
//               on the Namespace, the binding on its role and ServiceAccount, the Deployment on
//               its ServiceAccount and binding.
//   kapp        the install is one change group; RGDs are upserted after it.
import type { JsonObject, JsonValue } from '../rgd/model.js';
import {
  type AnnotationStyle,
  compareText,
  DEPENDS_ON,
  dependsOnRef,
  identityOf,
  KAPP_CHANGE_GROUP,
  KAPP_CHANGE_RULE,
  SYNC_OPTIONS,
  SYNC_WAVE,
  stamp,
} from '../synth/annotate.js';
import { kappGroup } from '../synth/kapp-groups.js';
import type { SynthManifest } from '../synth/synthesize.js';
import type { KroInstall } from './kro-install.js';
import { rgdClusterRole } from './rbac.js';

/** The ClusterRole granting kro the kinds of the bundle's RGDs (aggregation mode). */
export const RGD_ROLE_NAME = 'kro:controller:kro-gen-rgds';

/** The kapp change group of kro's install. */
export const KRO_CHANGE_GROUP = kappGroup(['kro']);
const RGD_CRD = 'resourcegraphdefinitions.kro.run';
const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** depends-on references of what one install object needs before it. */
function installDependencies(object: JsonObject, install: KroInstall): string[] {
  const id = identityOf(object);
  const nsRef = dependsOnRef({ apiVersion: 'v1', kind: 'Namespace', name: install.namespace, namespace: '' });
  const saRef = dependsOnRef({ apiVersion: 'v1', kind: 'ServiceAccount', ...install.serviceAccount });
  const refsOf = (kind: string) =>
    install.objects.filter((o) => o.kind === kind).map((o) => dependsOnRef(identityOf(o)));
  const out: string[] = [];
  if (id.namespace !== '') out.push(nsRef);
  if (id.kind === 'ClusterRoleBinding') {
    const roleRef = isMap(object.roleRef) ? object.roleRef : {};
    out.push(
      ...refsOf('ClusterRole').filter((r) => r.endsWith(`/ClusterRole/${String(roleRef.name)}`)),
      saRef,
    );
  }
  if (id.kind === 'Deployment') out.push(saRef, ...refsOf('ClusterRoleBinding'));
  return out;
}

/** Adds ordering to an object a synth bundle already annotated (a new object). */
function after(
  object: JsonObject,
  styles: readonly AnnotationStyle[],
  extra: { dependsOn: readonly string[]; kappGroup?: string; skipDryRun: boolean },
): JsonObject {
  const metadata: JsonObject = isMap(object.metadata) ? { ...object.metadata } : {};
  const annotations: Record<string, JsonValue> = isMap(metadata.annotations)
    ? { ...metadata.annotations }
    : {};
  if (styles.includes('depends-on') && extra.dependsOn.length > 0) {
    const existing = typeof annotations[DEPENDS_ON] === 'string' ? annotations[DEPENDS_ON].split(',') : [];
    annotations[DEPENDS_ON] = [...new Set([...existing, ...extra.dependsOn])].sort(compareText).join(',');
  }
  if (styles.includes('argocd')) {
    annotations[SYNC_WAVE] = String(Number(annotations[SYNC_WAVE] ?? '0') + 1);
    if (extra.skipDryRun) {
      const existing =
        typeof annotations[SYNC_OPTIONS] === 'string' ? annotations[SYNC_OPTIONS].split(',') : [];
      if (!existing.includes(SKIP_DRY_RUN)) annotations[SYNC_OPTIONS] = [...existing, SKIP_DRY_RUN].join(',');
    }
  }
  if (
    styles.includes('kapp') &&
    extra.kappGroup !== undefined &&
    annotations[KAPP_CHANGE_GROUP] !== undefined
  ) {
    const rule = `upsert after upserting ${extra.kappGroup}`;
    const rules = Object.keys(annotations).filter(
      (k) => k === KAPP_CHANGE_RULE || k.startsWith(`${KAPP_CHANGE_RULE}.`),
    );
    if (!rules.some((k) => annotations[k] === rule)) {
      annotations[rules.length === 0 ? KAPP_CHANGE_RULE : `${KAPP_CHANGE_RULE}.${rules.length}`] = rule;
    }
  }
  metadata.annotations = annotations;
  return { ...object, metadata };
}

/**
 * `bundle` (synth's bundle-mode manifests: RGDs, then instances) preceded by kro's install, with
 * the ordering annotations of `styles` extended across the three groups.
 */
export function withKroInstall(
  bundle: readonly SynthManifest[],
  install: KroInstall,
  styles: readonly AnnotationStyle[],
): SynthManifest[] {
  const objects = [...install.objects];
  if (install.rbac === 'aggregation') {
    // After the chart's roles: the aggregated role picks it up by its label.
    const at = objects.map((o) => o.kind).lastIndexOf('ClusterRole') + 1;
    const rgds = bundle.filter((m) => m.source === 'rgd').map((m) => m.object);
    objects.splice(at, 0, rgdClusterRole(rgds, RGD_ROLE_NAME, { 'app.kubernetes.io/managed-by': 'kro-gen' }));
  }
  const installed: SynthManifest[] = objects.map((object) => ({
    object: stamp(object, {
      styles,
      dependsOn: installDependencies(object, install),
      wave: 0,
      changeGroup: KRO_CHANGE_GROUP,
      dependsOnGroups: [],
    }),
    source: 'kro',
    rgd: '',
    wave: 0,
  }));
  const rgdCrd = dependsOnRef({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    name: RGD_CRD,
    namespace: '',
  });
  const controller = dependsOnRef({ apiVersion: 'apps/v1', kind: 'Deployment', ...install.deployment });
  const rest = bundle.map((m) =>
    m.source === 'rgd'
      ? {
          ...m,
          object: after(m.object, styles, {
            dependsOn: [rgdCrd, controller],
            kappGroup: KRO_CHANGE_GROUP,
            skipDryRun: true,
          }),
          wave: m.wave + 1,
        }
      : {
          ...m,
          // Instances already come after their RGD: only their wave moves.
          object: after(m.object, styles, { dependsOn: [], skipDryRun: false }),
          wave: m.wave + 1,
        },
  );
  return [...installed, ...rest];
}
