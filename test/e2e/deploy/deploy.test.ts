/**
 * Deploying kro-gen output with the tools platform teams use (docs/deploy.md), against a fresh
 * local API server of its own:
 *
 * - a `synth --mode bundle --with-kro` bundle is server-side applied, in order, to an API server
 *   on which kro is not installed; every object must be accepted. Then the kro controller binary
 *   runs with the flags of the bundle's Deployment, authenticated as the bundle's ServiceAccount
 *   (a TokenRequest token), and must bring every instance of the bundle to ACTIVE: the RBAC the
 *   bundle grants is enough for kro to do its work.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type ClusterState, launchLocalCluster, stopLocalCluster } from '../cluster/cluster.js';
import { KubeClient, type KubeObject } from '../cluster/kube.js';
import { kroGenObjects } from '../differential/kro-gen.js';
import { standInForInstance } from '../differential/stand-in.js';
import { reportSummaryLine } from '../differential/summary.js';
import {
  applyWhenServed,
  describeObject,
  runKroAs,
  saKubeconfigPath,
  serviceAccountKubeconfig,
} from './kro-bundle.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Examples whose instances need nothing from outside the bundle (no externalRef objects). */
const BUNDLE_ARGS = [
  'synth',
  '--mode',
  'bundle',
  '--with-kro',
  'examples/web-app/rgd.yaml',
  'examples/worker-pool/rgd.yaml',
  '--instance',
  'examples/web-app/instances',
  '--instance',
  'examples/worker-pool/instances/pool.1.yaml',
];

let state: ClusterState;
let admin: KubeClient;
const results = { bundleObjects: 0, bundleAccepted: 0 };

beforeAll(async () => {
  state = await launchLocalCluster({ name: `deploy-${process.pid}`, kro: false });
  admin = KubeClient.fromKubeconfigFile(state.kubeconfig, { fieldManager: 'kro-gen-e2e-deploy' });
});

afterAll(async () => {
  if (state) await stopLocalCluster(state);
  reportSummaryLine(`deploy: bundle installs ${results.bundleAccepted}/${results.bundleObjects}`);
});

describe('synth --mode bundle --with-kro', () => {
  it('installs on an API server without kro, and kro running as its ServiceAccount reconciles it', async () => {
    onTestFailed(() => {
      console.log(`logs in ${state.logDir}`);
    });
    const bundle = await kroGenObjects(BUNDLE_ARGS);
    const kinds = bundle.map((o) => o.kind);
    // kro's install, then RGDs, then instances.
    expect(kinds.slice(0, 7)).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
    ]);
    const rgdKind = 'ResourceGraphDefinition';
    const firstInstance = kinds.findIndex((k, i) => i > 7 && k !== rgdKind);
    expect(kinds.slice(7, firstInstance).every((k) => k === rgdKind)).toBe(true);
    const instances = bundle.slice(firstInstance);
    expect(instances.length).toBe(3);

    // No kro yet: its RGD CRD is not there before the bundle brings it.
    expect(
      await admin.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'resourcegraphdefinitions.kro.run',
      }),
    ).toBeUndefined();

    // Everything up to the instances, in bundle order. A custom resource waits for its CRD to be
    // served, as kubectl users re-run apply and Argo CD retries.
    results.bundleObjects = bundle.length;
    const refused: string[] = [];
    for (const obj of bundle.slice(0, firstInstance)) {
      const problem = await applyWhenServed(admin, obj, 60_000);
      if (problem) refused.push(`${describeObject(obj)}: ${problem}`);
      else results.bundleAccepted++;
    }
    expect(refused).toEqual([]);

    // kro, as the Deployment runs it, with the ServiceAccount's identity instead of admin's.
    const deployment = bundle[6] as KubeObject;
    const sa = bundle[3] as KubeObject;
    const kubeconfig = await serviceAccountKubeconfig(
      admin,
      { name: sa.metadata.name ?? '', namespace: sa.metadata.namespace ?? '' },
      saKubeconfigPath(state),
    );
    const asSa = KubeClient.fromKubeconfigFile(kubeconfig.path);
    const review = await asSa.request<{ status: { userInfo: { username: string } } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    );
    expect(review.status.userInfo.username).toBe(kubeconfig.username);
    const args = await runKroAs(state, deployment, kubeconfig.path);
    expect(args).toContain('--leader-elect');

    // Instances: accepted once kro has created their CRDs.
    for (const obj of instances) {
      const problem = await applyWhenServed(admin, obj, 120_000);
      if (problem) refused.push(`${describeObject(obj)}: ${problem}`);
      else results.bundleAccepted++;
    }
    expect(refused).toEqual([]);

    // Every instance ACTIVE (the test writes Deployment status, as kube-controller-manager would).
    const deadline = Date.now() + 120_000;
    let pending: string[] = [];
    for (;;) {
      pending = [];
      for (const inst of instances) {
        const live = await admin.get({
          apiVersion: inst.apiVersion,
          kind: inst.kind,
          name: inst.metadata.name ?? '',
          namespace: inst.metadata.namespace ?? '',
        });
        const status = (live as { status?: { state?: string } } | undefined)?.status?.state;
        if (status !== 'ACTIVE') {
          pending.push(`${describeObject(inst)}: ${status ?? 'no state'}`);
          if (live) await standInForInstance(admin, live);
        }
      }
      if (pending.length === 0 || Date.now() > deadline) break;
      await sleep(1000);
    }
    expect(pending).toEqual([]);
  });
});
