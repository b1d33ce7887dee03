/**
 * Standing in for the controllers the e2e cluster does not run.
 *
 * There is no kube-controller-manager or kubelet, so nothing writes the status
 * of workloads; kro, which waits on `readyWhen` and on dependencies being
 * ready, would wait forever on an RGD like web-app's. For the kinds below, the
 * status a healthy cluster would reach is written through the status
 * subresource: a rolled-out Deployment/StatefulSet/DaemonSet/ReplicaSet and a
 * completed Job. Only objects kro created (label `kro.run/owned=true`) are
 * touched, and each only once per generation. Nothing else about them changes.
 */
import type { KubeClient, KubeObject, ObjectRef } from '../cluster/kube.js';
import { isRecord } from './diff.js';

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const condition = (type: string, reason: string, message: string): Record<string, unknown> => ({
  type,
  status: 'True',
  reason,
  message,
  lastTransitionTime: now(),
});

const specOf = (obj: KubeObject): Record<string, unknown> => (isRecord(obj.spec) ? obj.spec : {});
const statusOf = (obj: KubeObject): Record<string, unknown> => (isRecord(obj.status) ? obj.status : {});
const replicasOf = (obj: KubeObject): number => {
  const r = specOf(obj).replicas;
  return typeof r === 'number' ? r : 1;
};
const MESSAGE = 'Written by the kro-gen e2e tests in place of the missing controllers.';

interface StandIn {
  /** Is the status already what a healthy cluster reports for this generation? */
  done(obj: KubeObject): boolean;
  status(obj: KubeObject): Record<string, unknown>;
}

const rolledOut = (obj: KubeObject, field: string, want: number): boolean => {
  const status = statusOf(obj);
  return status.observedGeneration === obj.metadata.generation && status[field] === want;
};

/** Keyed by `apiVersion/kind`. */
export const STAND_INS: ReadonlyMap<string, StandIn> = new Map<string, StandIn>([
  [
    'apps/v1/Deployment',
    {
      done: (d) => rolledOut(d, 'availableReplicas', replicasOf(d)),
      status: (d) => {
        const n = replicasOf(d);
        return {
          observedGeneration: d.metadata.generation,
          replicas: n,
          updatedReplicas: n,
          readyReplicas: n,
          availableReplicas: n,
          conditions: [
            { ...condition('Available', 'MinimumReplicasAvailable', MESSAGE), lastUpdateTime: now() },
            { ...condition('Progressing', 'NewReplicaSetAvailable', MESSAGE), lastUpdateTime: now() },
          ],
        };
      },
    },
  ],
  [
    'apps/v1/StatefulSet',
    {
      done: (s) => rolledOut(s, 'readyReplicas', replicasOf(s)),
      status: (s) => {
        const n = replicasOf(s);
        const revision = `${s.metadata.name ?? 'statefulset'}-e2e`;
        return {
          observedGeneration: s.metadata.generation,
          replicas: n,
          readyReplicas: n,
          currentReplicas: n,
          updatedReplicas: n,
          availableReplicas: n,
          currentRevision: revision,
          updateRevision: revision,
          collisionCount: 0,
        };
      },
    },
  ],
  [
    'apps/v1/ReplicaSet',
    {
      done: (r) => rolledOut(r, 'availableReplicas', replicasOf(r)),
      status: (r) => {
        const n = replicasOf(r);
        return {
          observedGeneration: r.metadata.generation,
          replicas: n,
          fullyLabeledReplicas: n,
          readyReplicas: n,
          availableReplicas: n,
        };
      },
    },
  ],
  [
    'apps/v1/DaemonSet',
    {
      // One node's worth: the cluster has no nodes, so "every node" is one pretend node.
      done: (d) => rolledOut(d, 'numberAvailable', 1),
      status: (d) => ({
        observedGeneration: d.metadata.generation,
        currentNumberScheduled: 1,
        desiredNumberScheduled: 1,
        numberMisscheduled: 0,
        numberReady: 1,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
      }),
    },
  ],
  [
    'batch/v1/Job',
    {
      done: (j) => {
        const conditions = statusOf(j).conditions;
        return (
          Array.isArray(conditions) &&
          conditions.some((c) => isRecord(c) && c.type === 'Complete' && c.status === 'True')
        );
      },
      status: (j) => {
        const completions = specOf(j).completions;
        const started = now();
        return {
          startTime: started,
          completionTime: started,
          succeeded: typeof completions === 'number' ? completions : 1,
          active: 0,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            condition('SuccessCriteriaMet', 'CompletionsReached', MESSAGE),
            condition('Complete', 'CompletionsReached', MESSAGE),
          ],
        };
      },
    },
  ],
]);

export const standInKinds = (): string[] => [...STAND_INS.keys()];

const refOf = (obj: KubeObject): ObjectRef => ({
  apiVersion: obj.apiVersion,
  kind: obj.kind,
  name: obj.metadata.name ?? '',
  namespace: obj.metadata.namespace,
});

/**
 * Writes the healthy status of `obj` if it is of a stand-in kind and does not
 * have it yet. Returns true if it patched.
 */
export async function standIn(kube: KubeClient, obj: KubeObject): Promise<boolean> {
  const rule = STAND_INS.get(`${obj.apiVersion}/${obj.kind}`);
  if (!rule || rule.done(obj)) return false;
  await kube.patchStatus(refOf(obj), rule.status(obj));
  return true;
}

/**
 * The label selector for what kro created for one instance: kro's
 * `kro.run/owned`, `kro.run/instance-kind`, `-name` and (namespaced instances)
 * `-namespace` labels. The kind matters: with chained RGDs, an instance and the
 * instances it creates may share a name.
 */
export function instanceSelector(instance: KubeObject): string {
  return [
    'kro.run/owned=true',
    `kro.run/instance-kind=${instance.kind}`,
    `kro.run/instance-name=${instance.metadata.name ?? ''}`,
    ...(instance.metadata.namespace ? [`kro.run/instance-namespace=${instance.metadata.namespace}`] : []),
  ].join(',');
}

/**
 * Marks every object of a stand-in kind that kro created for one instance
 * (instanceSelector). Returns the objects patched.
 */
export async function standInForInstance(
  kube: KubeClient,
  instance: KubeObject,
  kinds: readonly string[] = standInKinds(),
): Promise<string[]> {
  const selector = instanceSelector(instance);
  const patched: string[] = [];
  for (const key of kinds) {
    const slash = key.lastIndexOf('/');
    const apiVersion = key.slice(0, slash);
    const kind = key.slice(slash + 1);
    for (const obj of await kube.list(apiVersion, kind, { labelSelector: selector })) {
      if (await standIn(kube, obj)) {
        patched.push(
          `${kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`,
        );
      }
    }
  }
  return patched;
}

/**
 * Finalizers that a kube-controller-manager controller would remove from an
 * object being deleted, and that nothing removes here: the PVC and PV
 * protection controllers' (no Pod ever uses a claim in this cluster) and the
 * garbage collector's `orphan` (kro deletes with the kind's default policy,
 * which for a batch/v1 Job is to orphan its Pods) and `foregroundDeletion`.
 */
export const CONTROLLER_FINALIZERS: ReadonlyMap<string, string | undefined> = new Map([
  ['kubernetes.io/pvc-protection', 'v1/PersistentVolumeClaim'],
  ['kubernetes.io/pv-protection', 'v1/PersistentVolume'],
  ['orphan', undefined],
  ['foregroundDeletion', undefined],
]);

/**
 * If `obj` is being deleted, removes the finalizers listed in
 * CONTROLLER_FINALIZERS (a JSON merge patch of `metadata.finalizers`).
 * Returns true if it patched.
 */
export async function releaseFinalizers(kube: KubeClient, obj: KubeObject): Promise<boolean> {
  const finalizers = Array.isArray(obj.metadata.finalizers) ? (obj.metadata.finalizers as unknown[]) : [];
  if (!obj.metadata.deletionTimestamp || finalizers.length === 0) return false;
  const key = `${obj.apiVersion}/${obj.kind}`;
  const keep = finalizers.filter((f) => {
    if (typeof f !== 'string' || !CONTROLLER_FINALIZERS.has(f)) return true;
    const only = CONTROLLER_FINALIZERS.get(f);
    return only !== undefined && only !== key;
  });
  if (keep.length === finalizers.length) return false;
  await kube.request('PATCH', await kube.pathFor(refOf(obj)), {
    body: { metadata: { finalizers: keep.length > 0 ? keep : null } },
    contentType: 'application/merge-patch+json',
  });
  return true;
}

/** releaseFinalizers for every object of the given kinds that matches a label selector. */
export async function releaseFinalizersOf(
  kube: KubeClient,
  selector: string,
  kinds: readonly string[],
): Promise<string[]> {
  const released: string[] = [];
  for (const key of kinds) {
    const slash = key.lastIndexOf('/');
    const items = await kube
      .list(key.slice(0, slash), key.slice(slash + 1), { labelSelector: selector })
      .catch(() => []);
    for (const obj of items) {
      if (await releaseFinalizers(kube, obj)) {
        released.push(
          `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`,
        );
      }
    }
  }
  return released;
}
