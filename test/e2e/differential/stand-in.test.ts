/**
 * The status stand-ins are accepted by the real API server (status validation
 * of each kind) and are idempotent: a second call for the same generation
 * writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import type { KubeObject } from '../cluster/kube.js';
import { isRecord } from './diff.js';
import { releaseFinalizers, STAND_INS, standIn } from './stand-in.js';

const NAMESPACE = 'kro-e2e-stand-in';
const labels = { app: 'stand-in' };
const podTemplate = {
  metadata: { labels },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
};

const objects: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'stand-in', namespace: NAMESPACE },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: podTemplate },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'stand-in', namespace: NAMESPACE },
    spec: { replicas: 3, serviceName: 'stand-in', selector: { matchLabels: labels }, template: podTemplate },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'stand-in', namespace: NAMESPACE },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: podTemplate },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'stand-in', namespace: NAMESPACE },
    spec: { selector: { matchLabels: labels }, template: podTemplate },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'stand-in', namespace: NAMESPACE },
    spec: {
      completions: 2,
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] },
      },
    },
  },
];

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  await cluster.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
});

afterAll(async () => {
  if (cluster && !cluster.managed) {
    for (const obj of objects) {
      await cluster.client
        .delete({ apiVersion: obj.apiVersion, kind: obj.kind, name: 'stand-in', namespace: NAMESPACE })
        .catch(() => {});
    }
  }
  await stopCluster();
});

describe('status stand-ins for the controllers the e2e cluster lacks', () => {
  it("releases the garbage collector's finalizer from an object being deleted", async () => {
    const kube = cluster.client;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'stand-in-finalizer', namespace: NAMESPACE };
    const dropFinalizers = async (): Promise<void> => {
      await kube.request('PATCH', await kube.pathFor(ref), {
        body: { metadata: { finalizers: null } },
        contentType: 'application/merge-patch+json',
      });
    };
    if (await kube.get(ref)) {
      await dropFinalizers();
      await kube.delete(ref, { wait: true, timeoutMs: 30_000 });
    }
    await kube.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ref.name, namespace: NAMESPACE, finalizers: ['orphan', 'example.com/keep'] },
    });
    // As the API server deletes a Job when no policy is given (kro's way): orphaning.
    await kube.delete(ref, { propagationPolicy: 'Orphan' });
    const deleting = await kube.get(ref);
    if (!deleting) throw new Error('the ConfigMap went away despite its finalizers');
    expect(await releaseFinalizers(kube, deleting)).toBe(true);
    const after = await kube.get(ref);
    expect(after?.metadata.finalizers).toEqual(['example.com/keep']);
    if (after) expect(await releaseFinalizers(kube, after)).toBe(false);
    await dropFinalizers();
    await kube.delete(ref, { wait: true, timeoutMs: 30_000 });
  });

  it('covers exactly the kinds below', () => {
    expect([...STAND_INS.keys()].sort()).toEqual(objects.map((o) => `${o.apiVersion}/${o.kind}`).sort());
  });

  for (const obj of objects) {
    it(`${obj.kind}: the API server accepts the status and a second call is a no-op`, async () => {
      const kube = cluster.client;
      const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: 'stand-in', namespace: NAMESPACE };
      // A rerun against a long-lived cluster starts from a fresh object (no status yet).
      await kube.delete(ref);
      const old = await kube.get(ref);
      if (old) await releaseFinalizers(kube, old);
      await kube.delete(ref, { wait: true, timeoutMs: 30_000 });
      const created = await kube.apply(obj);
      expect(STAND_INS.get(`${obj.apiVersion}/${obj.kind}`)?.done(created)).toBe(false);
      expect(await standIn(kube, created)).toBe(true);
      const after = await kube.get(ref);
      if (!after) throw new Error(`${obj.kind} vanished`);
      expect(isRecord(after.status)).toBe(true);
      expect(STAND_INS.get(`${obj.apiVersion}/${obj.kind}`)?.done(after)).toBe(true);
      expect(await standIn(kube, after)).toBe(false);
    });
  }
});
