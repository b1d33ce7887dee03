/**
 * Smoke test of the local e2e cluster: the real kro controller accepts the
 * seed RGD and turns an Application instance into a Deployment and a Service.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { stringify } from 'yaml';
import { type Cluster, startCluster, stopCluster } from './cluster/cluster.js';
import type { KubeObject } from './cluster/kube.js';

const RGD_PATH = fileURLToPath(new URL('../../examples/web-app/rgd.yaml', import.meta.url));
const NAMESPACE = 'default';
const INSTANCE: KubeObject = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web-app-1', namespace: NAMESPACE },
  spec: { name: 'web-app-1', image: 'httpd:2.4', replicas: 3, svcType: 'NodePort' },
};
const INSTANCE_REF = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'Application',
  name: 'web-app-1',
  namespace: NAMESPACE,
};

// Narrow views of the fields the assertions read.
interface DeploymentView extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: { name: string; image: string; ports: { containerPort: number; protocol: string }[] }[];
      };
    };
  };
}
interface ServiceView extends KubeObject {
  spec: {
    type: string;
    selector: Record<string, string>;
    clusterIP: string;
    ports: { protocol: string; port: number; targetPort: number; nodePort: number }[];
  };
}

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  if (cluster) {
    // Leave a reused cluster as we found it; a cluster we started just goes away.
    if (!cluster.managed) {
      await cluster.client.delete(INSTANCE_REF, { wait: true, timeoutMs: 60_000 }).catch(() => {});
      await cluster.client.delete({
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        name: 'web-app',
      });
    }
    await stopCluster();
  }
});

describe('local cluster with the real kro controller', () => {
  it('turns an Application instance into a Deployment and a Service', async () => {
    onTestFailed(() => {
      console.error(`cluster logs:\n${cluster.logTail(60)}`);
    });
    const kube = cluster.client;

    const [applied] = await kube.applyManifests({ path: RGD_PATH });
    expect(applied?.metadata.name).toBe('web-app');
    const rgd = await kube.waitForRgdActive('web-app', { timeoutMs: 120_000 });
    console.log(`RGD web-app status:\n${stringify(rgd.status)}`);

    const crd = await kube.waitForGeneratedCrd('web-app', { timeoutMs: 60_000 });
    expect(crd.metadata.name).toBe('applications.kro.run');
    expect(crd.spec).toMatchObject({ group: 'kro.run', scope: 'Namespaced', names: { kind: 'Application' } });

    await kube.apply(INSTANCE);

    const deployment = await kube.waitForObject<DeploymentView>(
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-app-1', namespace: NAMESPACE },
      undefined,
      { timeoutMs: 120_000 },
    );
    console.log(`Deployment created by kro:\n${stringify(deployment)}`);

    // kro creates the Service only once the Deployment is ready (readyWhen, and
    // the Service's selector reads the Deployment). Nothing here runs Pods, so
    // report the rollout as done in place of the controller-manager and kubelet.
    await kube.markDeploymentAvailable({ name: 'web-app-1', namespace: NAMESPACE });

    const service = await kube.waitForObject<ServiceView>(
      { apiVersion: 'v1', kind: 'Service', name: 'web-app-1-service', namespace: NAMESPACE },
      undefined,
      { timeoutMs: 120_000 },
    );
    console.log(`Service created by kro:\n${stringify(service)}`);

    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'web-app-1' });
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web-app-1' });
    expect(deployment.spec.template.spec.containers).toHaveLength(1);
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      name: 'web-app-1',
      image: 'httpd:2.4',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });

    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.selector).toEqual({ app: 'web-app-1' });
    expect(service.spec.ports).toHaveLength(1);
    expect(service.spec.ports[0]).toMatchObject({ protocol: 'TCP', port: 80, targetPort: 80 });
    expect(service.spec.ports[0]?.nodePort).toBeGreaterThanOrEqual(30000);

    // kro marks what it manages.
    for (const child of [deployment, service]) {
      expect(child.metadata.labels).toMatchObject({
        'kro.run/owned': 'true',
        'kro.run/instance-name': 'web-app-1',
        'kro.run/instance-namespace': NAMESPACE,
        'kro.run/instance-kind': 'Application',
        'kro.run/kro-version': cluster.state?.versions.kro ?? expect.any(String),
      });
    }

    // With every resource ready, kro projects the Deployment's status into the instance.
    const instance = await kube.waitForObject(
      INSTANCE_REF,
      (obj) => (obj.status as { state?: string } | undefined)?.state === 'ACTIVE',
      { timeoutMs: 120_000 },
    );
    console.log(`Application web-app-1 status:\n${stringify(instance.status)}`);
    expect(instance.status).toMatchObject({ state: 'ACTIVE', availableReplicas: 3 });
    expect(instance.metadata.finalizers).toEqual(
      expect.arrayContaining([expect.stringContaining('kro.run')]),
    );
  });
});
