/**
 * The immutable-field table (src/diff/immutable/table.ts) against the real API server: each sample
 * object is created, then an update of it is sent as a server-side apply dry run by the same field
 * manager (so fields the update drops are removed, as kro's apply removes them). The table says
 * which updates the server refuses; the server must agree.
 *
 *   immutable table: N updates, verdict equal X/N
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { immutableChanges } from '../../../src/diff/immutable/check.js';
import { diffFields } from '../../../src/diff/instance-fields.js';
import type { JsonObject } from '../../../src/rgd/model.js';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import { KubeApiError, type KubeObject } from '../cluster/kube.js';
import { reportSummaryLine } from '../differential/summary.js';

const NS = 'kro-e2e-diff-immutable';
const MANAGER = 'kro-gen-e2e-immutable';

let cluster: Cluster | undefined;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  if (cluster) await stopCluster();
});

type Obj = JsonObject;
const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: NS } : {}) });

const podSpec = (image: string, extra: Obj = {}) => ({
  containers: [{ name: 'c', image, ...extra }],
});

const workload = (kind: string, name: string, app: string, image: string, extra: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: meta(name),
  spec: {
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app } }, spec: podSpec(image) },
    ...extra,
  },
});

const job = (name: string, image: string, suspend: boolean, nodeSelector?: Obj): Obj => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: meta(name),
  spec: {
    suspend,
    template: {
      spec: { restartPolicy: 'Never', ...podSpec(image), ...(nodeSelector ? { nodeSelector } : {}) },
    },
  },
});

const service = (name: string, clusterIP?: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name),
  spec: { ports: [{ port: 80 }], selector: { app: 'x' }, ...(clusterIP ? { clusterIP } : {}) },
});

const configMap = (name: string, value: string, immutable?: boolean): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(name),
  ...(immutable !== undefined ? { immutable } : {}),
  data: { k: value },
});

const pvc = (name: string, mode: string): Obj => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: meta(name),
  spec: { accessModes: [mode], resources: { requests: { storage: '1Gi' } } },
});

const roleBinding = (name: string, role: string): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: meta(name),
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', name: 'someone', apiGroup: 'rbac.authorization.k8s.io' }],
});

const pod = (name: string, image: string, port: number): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta(name),
  spec: podSpec(image, { ports: [{ containerPort: port }] }),
});

/** [what, the stored object, its update]. */
const SAMPLES: [string, Obj, Obj][] = [
  ['Deployment selector', workload('Deployment', 'd1', 'a', 'x:1'), workload('Deployment', 'd1', 'b', 'x:1')],
  ['Deployment image', workload('Deployment', 'd2', 'a', 'x:1'), workload('Deployment', 'd2', 'a', 'x:2')],
  ['ReplicaSet selector', workload('ReplicaSet', 'r1', 'a', 'x:1'), workload('ReplicaSet', 'r1', 'b', 'x:1')],
  ['DaemonSet selector', workload('DaemonSet', 'ds1', 'a', 'x:1'), workload('DaemonSet', 'ds1', 'b', 'x:1')],
  [
    'StatefulSet serviceName',
    workload('StatefulSet', 's1', 'a', 'x:1', { serviceName: 'one' }),
    workload('StatefulSet', 's1', 'a', 'x:1', { serviceName: 'two' }),
  ],
  [
    'StatefulSet podManagementPolicy',
    workload('StatefulSet', 's2', 'a', 'x:1', { serviceName: 'one' }),
    workload('StatefulSet', 's2', 'a', 'x:1', { serviceName: 'one', podManagementPolicy: 'Parallel' }),
  ],
  [
    'StatefulSet replicas and image',
    workload('StatefulSet', 's3', 'a', 'x:1', { serviceName: 'one', replicas: 1 }),
    workload('StatefulSet', 's3', 'a', 'x:2', { serviceName: 'one', replicas: 3 }),
  ],
  ['Job image', job('j1', 'x:1', false), job('j1', 'x:2', false)],
  ['suspended Job image', job('j2', 'x:1', true), job('j2', 'x:2', true)],
  ['suspended Job nodeSelector', job('j3', 'x:1', true), job('j3', 'x:1', true, { zone: 'b' })],
  ['Service clusterIP omitted', service('svc1', 'None'), service('svc1')],
  ['Service clusterIP changed', service('svc2', 'None'), service('svc2', '10.0.0.77')],
  ['PVC accessModes', pvc('p1', 'ReadWriteOnce'), pvc('p1', 'ReadWriteMany')],
  ['ConfigMap data', configMap('c1', 'a'), configMap('c1', 'b')],
  ['immutable ConfigMap data', configMap('c2', 'a', true), configMap('c2', 'b', true)],
  [
    'Secret type',
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('sec1'), type: 'Opaque', stringData: { k: 'v' } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('sec1'),
      type: 'example.com/other',
      stringData: { k: 'v' },
    },
  ],
  ['RoleBinding roleRef', roleBinding('rb1', 'view'), roleBinding('rb1', 'edit')],
  ['Pod image', pod('pod1', 'x:1', 80), pod('pod1', 'x:2', 80)],
  ['Pod ports', pod('pod2', 'x:1', 80), pod('pod2', 'x:1', 81)],
  [
    'StorageClass parameters',
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta('kro-e2e-diff-sc', false),
      provisioner: 'example.com/p',
      parameters: { a: '1' },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta('kro-e2e-diff-sc', false),
      provisioner: 'example.com/p',
      parameters: { a: '2' },
    },
  ],
  [
    'IngressClass controller',
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta('kro-e2e-diff-ic', false),
      spec: { controller: 'example.com/a' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta('kro-e2e-diff-ic', false),
      spec: { controller: 'example.com/b' },
    },
  ],
];

describe('the immutable-field table against the API server', () => {
  it('predicts which updates the server refuses', async () => {
    if (!cluster) throw new Error('no cluster');
    const kube = cluster.client;
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const lines: string[] = [];
    let equal = 0;
    for (const [what, before, after] of SAMPLES) {
      const stored = (await kube.apply(before as unknown as KubeObject, {
        fieldManager: MANAGER,
      })) as unknown as Obj;
      const predicted = immutableChanges(stored, diffFields(before, after));
      let refusal: string | undefined;
      try {
        await kube.apply(after as unknown as KubeObject, { fieldManager: MANAGER, dryRun: true });
      } catch (err) {
        if (!(err instanceof KubeApiError) || err.status !== 422) throw err;
        refusal = err.message;
      }
      const same = predicted.length > 0 === (refusal !== undefined);
      if (same) equal++;
      lines.push(
        `${same ? 'equal' : 'DIFFERENT'} ${what}: table ${predicted.length > 0 ? `immutable ${predicted.join(', ')}` : 'mutable'}, server ${refusal ? `refuses (${refusal.slice(0, 160)})` : 'accepts'}`,
      );
    }
    for (const l of lines) console.log(`immutable ${l}`);
    reportSummaryLine(`immutable table: ${SAMPLES.length} updates, verdict equal ${equal}/${SAMPLES.length}`);
    expect(lines.filter((l) => l.startsWith('DIFFERENT'))).toEqual([]);
  }, 300_000);
});
